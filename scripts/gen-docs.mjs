#!/usr/bin/env node
// Regenerates the generated tables in README.md (after `npm run build`).
import { readFileSync, writeFileSync } from 'node:fs';
import { checksMarkdown, rulesMarkdown } from '../dist/src/cli/rules.js';

let readme = readFileSync('README.md', 'utf8');
writeFileSync('docs/rules.md', rulesMarkdown());
for (const [name, body] of [['checks', checksMarkdown()]]) {
  const start = readme.indexOf(`<!-- ${name}:start`);
  const end = readme.indexOf(`<!-- ${name}:end -->`);
  readme = readme.slice(0, readme.indexOf('\n', start) + 1) + body + readme.slice(end);
}
writeFileSync('README.md', readme);
