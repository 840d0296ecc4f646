#!/usr/bin/env node
// Regenerates the rule table in README.md from the rule modules (after `npm run build`).
import { readFileSync, writeFileSync } from 'node:fs';
import { rulesMarkdown } from '../dist/src/cli/rules.js';

const readme = readFileSync('README.md', 'utf8');
const start = readme.indexOf('<!-- rules:start');
const end = readme.indexOf('<!-- rules:end -->');
const head = readme.slice(0, readme.indexOf('\n', start) + 1);
writeFileSync('README.md', head + rulesMarkdown() + readme.slice(end));
