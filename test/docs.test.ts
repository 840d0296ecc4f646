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
