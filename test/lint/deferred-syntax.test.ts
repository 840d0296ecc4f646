/**
 * A batch lint (drainLint) asks the shells about scripts the grammar cannot parse in the
 * background and lints those scripts last: what it reports, and for which target, must be
 * exactly what linting each target on its own reports.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LintTarget } from '../../src/lint/discover.js';
import type { LintConfig } from '../../src/lint/lint.js';
import { drainLint, lintTarget } from '../../src/lint/run-targets.js';
import { initParser } from '../../src/parse/parser.js';
import { ShellFile } from '../../src/parse/shellfile.js';

beforeAll(() => initParser());

let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'rcs-deferred-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const SCRIPTS: Record<string, string> = {
  // no shell accepts it
  'broken.initd': '#!/sbin/openrc-run\ncommand=/usr/bin/broken\nstart_pre() {\n\tif [ -n "$x" ]; then\n\t\t:\n}\n',
  'clean.initd': '#!/sbin/openrc-run\ncommand=/usr/bin/clean\ncommand_background=yes\npidfile=/run/clean.pid\n',
  // a conf.d the grammar cannot parse, beside a clean script
  'withconf.initd': '#!/sbin/openrc-run\ncommand=/usr/bin/withconf\n',
  'withconf.confd': 'WITHCONF_OPTS="-a\n',
  // the grammar fails on a word any shell takes; bash accepts the file, dash does not (the array)
  'bashonly.initd':
    '#!/sbin/openrc-run\ncommand=/usr/bin/bashonly\nstart_pre() {\n\techo "${X:+ (${X})}"\n\tx=(a b)\n}\n',
  // the grammar fails on it, every shell accepts it: no syntax error
  'fine.initd': '#!/sbin/openrc-run\ncommand=/usr/bin/fine\nstart_pre() {\n\techo "${X:+ (${X})}"\n}\n',
};

function targets(): LintTarget[] {
  for (const [name, text] of Object.entries(SCRIPTS)) writeFileSync(path.join(dir, name), text);
  return Object.keys(SCRIPTS)
    .filter((n) => n.endsWith('.initd'))
    .map((n) => {
      const confd = path.join(dir, n.replace('.initd', '.confd'));
      return { initd: path.join(dir, n), confd: SCRIPTS[path.basename(confd)] ? confd : null, inInitdTree: false };
    });
}

async function both(config: LintConfig) {
  const ts = targets();
  const queue = new Int32Array(new SharedArrayBuffer(4));
  const batch = await drainLint({ kind: 'lint', targets: ts, configs: [config], configOf: ts.map(() => 0) }, queue);
  const byIndex = new Map(batch);
  return { batch: ts.map((_, k) => byIndex.get(k)), alone: ts.map((t) => lintTarget(t, undefined, config)) };
}

test('scripts the grammar cannot parse: the same findings, for the same targets, as linted one by one', async () => {
  // every one but the clean ones goes the deferred way: the grammar fails on it
  for (const n of ['broken.initd', 'withconf.confd', 'bashonly.initd', 'fine.initd'])
    expect(new ShellFile(n, SCRIPTS[n]).errors.length).toBeGreaterThan(0);
  const { batch, alone } = await both({});
  expect(batch).toEqual(alone);
  const ids = (k: number) => (batch[k] && 'findings' in batch[k]! ? batch[k]!.findings.map((f) => f.ruleId) : []);
  // the deferred ones did get the shells' verdicts (this is what the background checks are for)
  expect(ids(0)).toContain('syntax-error');
  expect(ids(1)).not.toContain('syntax-error');
  expect(ids(2)).toContain('syntax-error');
  expect(ids(3)).toContain('syntax-error');
  expect(ids(4)).not.toContain('syntax-error');
  const bashOnly =
    batch[3] && 'findings' in batch[3] ? batch[3].findings.find((f) => f.ruleId === 'syntax-error') : null;
  expect(bashOnly?.message).toMatch(/^dash cannot parse this \(.*\), bash can/);
});

test('with syntax-error turned off nothing is asked, and the rest is the same', async () => {
  const { batch, alone } = await both({ disable: ['syntax-error'] });
  expect(batch).toEqual(alone);
  expect(batch.flatMap((r) => (r && 'findings' in r ? r.findings : [])).map((f) => f.ruleId)).not.toContain(
    'syntax-error',
  );
});
