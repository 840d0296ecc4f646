import { readFileSync } from 'node:fs';
import path from 'node:path';
import { rulesMarkdown } from '../src/cli/rules.js';
import { RULES } from '../src/rules/registry.js';
import { REPO } from './helpers/fixtures.js';
import { readdirSync } from 'node:fs';

test('README rule table is generated from the rule modules (npm run docs)', () => {
  const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const start = readme.indexOf('\n', readme.indexOf('<!-- rules:start')) + 1;
  const end = readme.indexOf('<!-- rules:end -->');
  expect(readme.slice(start, end)).toBe(rulesMarkdown());
});

test('every rule file is registered, and its id equals its file name', () => {
  const files = readdirSync(path.join(REPO, 'rules'))
    .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
    .map((f) => f.replace(/\.ts$/, ''))
    .sort();
  expect(RULES.map((r) => r.id).sort()).toEqual(files);
  for (const r of RULES) expect(r.sources.length).toBeGreaterThan(0);
});
