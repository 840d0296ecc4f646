import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checksMarkdown, rulesMarkdown } from '../src/cli/rules.js';
import { RULES } from '../src/rules/registry.js';
import { REPO } from './helpers/fixtures.js';
import { readdirSync } from 'node:fs';

const generated = (name: string) => {
  const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const start = readme.indexOf('\n', readme.indexOf(`<!-- ${name}:start`)) + 1;
  return readme.slice(start, readme.indexOf(`<!-- ${name}:end -->`));
};

test('docs/rules.md is generated from the rules and the knowledge base (npm run docs)', () => {
  expect(readFileSync(path.join(REPO, 'docs', 'rules.md'), 'utf8')).toBe(rulesMarkdown());
});

test('README command reference is generated from the CLI spec, as --help and the man page are (npm run docs)', async () => {
  const { cliMarkdown } = await import('../src/cli/docs-gen.js');
  expect(generated('cli')).toBe(cliMarkdown());
});

test('README check table is generated from the lint checks (npm run docs)', () => {
  expect(generated('checks')).toBe(checksMarkdown());
});

test('every rule file is registered, and its id equals its file name', () => {
  const files = readdirSync(path.join(REPO, 'rules'))
    .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
    .map((f) => f.replace(/\.ts$/, ''))
    .sort();
  expect(RULES.map((r) => r.id).sort()).toEqual(files);
  for (const r of RULES) expect(r.sources.length).toBeGreaterThan(0);
});

test('docs/checks/<id>.md is generated for every check (npm run docs), and nothing else is there', async () => {
  const { ALL_META } = await import('../src/lint/lint.js');
  const { checkMarkdown } = await import('../src/report/check-docs.js');
  const dir = path.join(REPO, 'docs/checks');
  for (const m of ALL_META) expect(readFileSync(path.join(dir, `${m.id}.md`), 'utf8')).toBe(checkMarkdown(m));
  expect(readdirSync(dir).sort()).toEqual(['README.md', ...ALL_META.map((m) => `${m.id}.md`)].sort());
});

describe('docs/openrc.md is what user-facing text cites', () => {
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith('.ts') ? [path.join(d, e.name)] : [],
    );
  // src/migrate/ is being rewritten on another branch; its citations change there.
  const files = [...walk(path.join(REPO, 'src')), ...walk(path.join(REPO, 'rules'))].filter(
    (f) => !f.includes(`${path.sep}src${path.sep}migrate${path.sep}`),
  );
  test('no text cites the internal openrc-facts reference', () => {
    for (const f of files) expect([f, readFileSync(f, 'utf8').includes('openrc-facts')]).toEqual([f, false]);
  });
  test('every docs/openrc.md §N cited exists', () => {
    const doc = readFileSync(path.join(REPO, 'docs/openrc.md'), 'utf8');
    const sections = new Set([...doc.matchAll(/^## (\d+)\. /gm)].map((m) => m[1]));
    const cited = files.flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/docs\/openrc\.md §§?(\d+)(?:[-,] ?§?(\d+))?/g)].flatMap((m) =>
        m[2] ? [m[1], m[2]] : [m[1]],
      ),
    );
    expect(cited.length).toBeGreaterThan(50);
    for (const n of cited) expect(sections.has(n)).toBe(true);
  });
});
