/**
 * Issue 15 items 16, 17 and 20: repeated options, a config file that is not what we expect,
 * and command lines that used to do something other than what they say. Each case: the
 * documented exit code, a message naming the option or key, and the root unchanged.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EXIT } from '../../src/errors.js';
import { CONFIG_SCHEMA } from '../../src/lint/config-schema.js';
import { COMMANDS } from '../../src/cli/spec.js';
import { run, treeHash } from '../helpers/cli.js';
import { FIXTURES, REPO, makeRoot } from '../helpers/fixtures.js';

const SSHD = readFileSync(path.join(FIXTURES, 'sshd/stock/init.d.in'), 'utf8');
const SSHD_CONF = readFileSync(path.join(FIXTURES, 'sshd/stock/conf.d.in'), 'utf8');
const NTPD = readFileSync(path.join(FIXTURES, 'ntpd/stock/init.d.in'), 'utf8');

/** A script lint reports an error for (a syntax error) and a warning for (start-stop-daemon --signal). */
const ERRORING = '#!/sbin/openrc-run\ncommand=/usr/sbin/foo\nstart_pre() {\n  if true; then\n}\n';

function lintDir(files: Record<string, string>): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'rcs-opts-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(d, rel)), { recursive: true });
    writeFileSync(path.join(d, rel), text);
  }
  return d;
}

describe('item 16: an option that takes a value, given twice, is a usage error everywhere', () => {
  // Every value option of every command, from the spec --help is built from.
  const cases = COMMANDS.flatMap((c) =>
    c.options
      .filter((o) => o.type !== 'boolean' && o.type !== 'list' && o.name !== 'explain')
      .map(
        (o) =>
          [
            c.name,
            o.name,
            o.choices ? o.choices[0] : o.type === 'number' ? '2' : o.name === 'root' ? '.' : '1.0',
          ] as const,
      ),
  );
  test.each(cases)('%s --%s twice: exit 4, nothing written', async (cmd, opt, value) => {
    const root = await makeRoot([{ svc: 'sshd', initd: SSHD, confd: SSHD_CONF }]);
    const before = treeHash(root);
    const operand = cmd === 'lint' ? [root] : cmd === 'status' || cmd === 'rules' ? [] : ['sshd'];
    const rootArgs =
      opt === 'root' ? ['--root', root, '--root', root] : cmd === 'lint' || cmd === 'rules' ? [] : ['--root', root];
    const repeat = opt === 'root' ? [] : [`--${opt}`, value, `--${opt}`, value];
    const r = await run(cmd, ...operand, ...rootArgs, ...repeat);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toContain(`--${opt} given 2 times`);
    expect(r.stderr).not.toMatch(/internal error|at .*\.ts:\d+/);
    expect(treeHash(root)).toBe(before);
  });

  test('lint --severity error --severity warning over an error does not exit 0 (a CI run stays red)', async () => {
    const d = lintDir({ 'foo.initd': ERRORING });
    const r = await run('lint', d, '--severity', 'error', '--severity', 'warning');
    expect(r.code).not.toBe(EXIT.OK);
    expect(r.code).toBe(EXIT.USAGE);
  });

  test('-f gcc -f json: exit 4, no output on stdout', async () => {
    const d = lintDir({ 'foo.initd': ERRORING });
    const r = await run('lint', d, '-f', 'gcc', '-f', 'json');
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stdout).toBe('');
  });

  test('switches may be repeated (the last --X / --no-X wins) and lists accumulate', async () => {
    const root = await makeRoot([
      { svc: 'sshd', initd: SSHD, confd: SSHD_CONF },
      { svc: 'ntpd', initd: NTPD, confd: null },
    ]);
    const before = treeHash(root);
    const r = await run(
      'migrate',
      '--all',
      '--root',
      root,
      '--dry-run',
      '--dry-run',
      '--exclude',
      'sshd',
      '--exclude',
      'ntpd',
    );
    expect(r.code).toBe(EXIT.OK);
    expect(r.stderr).toMatch(/^0 would migrate/m);
    expect(treeHash(root)).toBe(before);
  });
});

describe('item 17: .rc-supervise.json is validated against the published schema', () => {
  const bad: [string, string, RegExp][] = [
    [
      'a number for openrcVersion',
      '{"openrcVersion": 0.52}',
      /openrcVersion: must be a string, e\.g\. "0\.44" \(got 0\.52\)/,
    ],
    ['a string for disable', '{"disable": "bashism"}', /disable: must be array \(got "bashism"\)/],
    [
      'a bad severity',
      '{"severity": {"bashism": "fatal"}}',
      /severity\.bashism: must be one of error, warning, info, off \(got "fatal"\)/,
    ],
    ['an unknown key', '{"disabled": ["bashism"]}', /unknown key 'disabled'/],
    ['a version that is not X.Y', '{"openrcVersion": "latest"}', /openrcVersion: must look like "0\.44"/],
    ['not an object', '[]', /\(top level\): must be object/],
    ['a non-string id', '{"disable": [1]}', /disable\[0\]: must be string \(got 1\)/],
  ];
  test.each(bad)('%s: exit 2, the key named, no findings printed', async (_name, json, message) => {
    const d = lintDir({ '.rc-supervise.json': json, 'foo.initd': ERRORING });
    const r = await run('lint', d);
    expect(r.code).toBe(EXIT.INPUT);
    expect(r.stderr).toContain('.rc-supervise.json: ');
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  test('a valid config is used; unknown rule ids in it are still findings (not errors)', async () => {
    const d = lintDir({
      '.rc-supervise.json':
        '{"$schema": "x", "openrcVersion": "0.44", "disable": ["syntax-error", "no-such"], "severity": {}}',
      'foo.initd': ERRORING,
    });
    const r = await run('lint', d, '-f', 'json');
    const ids = (JSON.parse(r.stdout) as { ruleId: string; message: string }[]).map((f) => f.ruleId);
    expect(ids).not.toContain('syntax-error');
    expect(JSON.parse(r.stdout)[0].message).toBe("unknown rule id 'no-such' in the config");
  });

  test('the published schema/rc-supervise.schema.json is the one the code validates with', () => {
    expect(JSON.parse(readFileSync(path.join(REPO, 'schema/rc-supervise.schema.json'), 'utf8'))).toEqual(CONFIG_SCHEMA);
  });
});

describe('item 20: command lines mean what they say', () => {
  async function twoServices() {
    const root = await makeRoot([
      { svc: 'sshd', initd: SSHD, confd: SSHD_CONF },
      { svc: 'ntpd', initd: NTPD, confd: null },
    ]);
    return { root, before: treeHash(root) };
  }

  test('migrate sshd --all: exit 4, nothing migrated', async () => {
    const { root, before } = await twoServices();
    const r = await run('migrate', 'sshd', '--all', '--root', root);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toContain('name services or use --all, not both');
    expect(treeHash(root)).toBe(before);
  });

  test('revert sshd --all: exit 4, nothing reverted', async () => {
    const { root } = await twoServices();
    expect((await run('migrate', 'sshd', 'ntpd', '--root', root)).code).toBe(EXIT.OK);
    const migrated = treeHash(root);
    const r = await run('revert', 'sshd', '--all', '--root', root);
    expect(r.code).toBe(EXIT.USAGE);
    expect(treeHash(root)).toBe(migrated);
  });

  test('--exclude without --all: exit 4 (it used to be ignored)', async () => {
    const { root, before } = await twoServices();
    const r = await run('migrate', 'sshd', '--exclude', 'sshd', '--root', root);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toContain('--exclude needs --all');
    expect(treeHash(root)).toBe(before);
  });

  test('after --, an operand that looks like an option is a service name', async () => {
    const { root, before } = await twoServices();
    const r = await run('migrate', '--root', root, '--', '--all');
    expect(r.code).toBe(EXIT.INPUT);
    expect(r.stderr).toContain('--all: not a valid service name');
    expect(treeHash(root)).toBe(before);
    const e = await run('explain', '--root', root, '--', 'sshd');
    expect(e.code).toBe(EXIT.OK);
  });

  test.each(['-1', '0', 'abc', ''])('--settle %p: exit 4', async (v) => {
    const { root, before } = await twoServices();
    const r = await run('migrate', 'sshd', '--root', root, `--settle=${v}`);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toContain('--settle');
    expect(treeHash(root)).toBe(before);
  });

  test('a lock held by a live process that is not rc-supervise: refused at once, with how to clear it', async () => {
    const { root, before } = await twoServices();
    const sleeper = spawn('sleep', ['60']);
    try {
      mkdirSync(path.join(root, 'var/lib/rc-supervise'), { recursive: true });
      writeFileSync(path.join(root, 'var/lib/rc-supervise/lock'), `${sleeper.pid}\n`);
      const lockedTree = treeHash(root);
      const r = spawnSync('node', [path.join(REPO, 'bin/rc-supervise.js'), 'migrate', 'sshd', '--root', root], {
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(r.signal).toBeNull();
      expect(r.status).toBe(EXIT.FAILED);
      expect(r.stderr).toContain(`names pid ${sleeper.pid}, which is alive but is not rc-supervise (sleep 60)`);
      expect(r.stderr).toContain(`remove ${path.join(root, 'var/lib/rc-supervise/lock')}`);
      expect(treeHash(root)).toBe(lockedTree);
    } finally {
      sleeper.kill();
    }
    expect(before).not.toBe('');
  });
});
