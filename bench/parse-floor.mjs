#!/usr/bin/env node
// The parse-only floor for `rc-supervise lint`: load web-tree-sitter and the bash grammar
// exactly as the CLI does (dist/src/parse/parser.js initParser/parseTree), then read and parse
// the given files in this one process. No discovery, no checks, no output formatting.
//
//   node bench/parse-floor.mjs [--repo DIR] FILE... | @LISTFILE (one path a line)
//
// --repo: the rc-supervise checkout whose dist/ to load (default: this one).
//
// Prints one JSON line: files, bytes, files with parse errors, and where the time went
// (module load + WASM init, reading, parsing), measured inside the process.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const t0 = performance.now();
const argv = process.argv.slice(2);
let repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (argv[0] === '--repo') {
  repo = path.resolve(argv[1]);
  argv.splice(0, 2);
}
const { initParser, parseTree } = await import(path.join(repo, 'dist/src/parse/parser.js'));
await initParser();
const t1 = performance.now();

const files = argv.flatMap((a) =>
  a.startsWith('@') ? readFileSync(a.slice(1), 'utf8').split('\n').filter(Boolean) : [a],
);
if (!files.length) {
  process.stderr.write('usage: node bench/parse-floor.mjs FILE... | @LISTFILE\n');
  process.exit(2);
}

let bytes = 0;
let withErrors = 0;
let readMs = 0;
let parseMs = 0;
for (const f of files) {
  const a = performance.now();
  const text = readFileSync(f, 'utf8');
  const b = performance.now();
  const tree = parseTree(text);
  if (tree.rootNode.hasError) withErrors++;
  tree.delete();
  const c = performance.now();
  bytes += text.length;
  readMs += b - a;
  parseMs += c - b;
}
process.stdout.write(
  JSON.stringify({
    files: files.length,
    chars: bytes,
    withErrors,
    // performance.now() starts at process start-up, so t0 is the time Node took to get here.
    nodeStartMs: Math.round(t0),
    initMs: Math.round(t1 - t0),
    readMs: Math.round(readMs),
    parseMs: Math.round(parseMs),
  }) + '\n',
);
