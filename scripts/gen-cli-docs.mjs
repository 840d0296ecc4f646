#!/usr/bin/env node
// Writes the man page and the completions (src/cli/docs-gen.ts, built into dist/) under a
// directory: `node scripts/gen-cli-docs.mjs DIR [VERSION]`.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function writeCliDocs(dir, version) {
  const { cliDocs } = await import(pathToFileURL(path.join(REPO, 'dist/src/cli/docs-gen.js')).href);
  for (const [rel, text] of Object.entries(cliDocs(version))) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const [dir, version] = process.argv.slice(2);
  if (!dir) throw new Error('usage: gen-cli-docs.mjs DIR [VERSION]');
  await writeCliDocs(dir, version ?? JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')).version);
}
