#!/usr/bin/env node
// ShellFile construction time of two checkouts on the same files, in one warm process: the
// built dist/ of each (`npm run build` there first), each file list read once, 15 alternating
// rounds, medians; with the grammar's parse alone for reference.
//
//   node bench/shellfile-ab.mjs OLD_CHECKOUT NEW_CHECKOUT LISTFILE   (one path a line)
//
// Both checkouts share web-tree-sitter when one's node_modules links to the other's: NEW is
// initialised first, so that it gets the WebAssembly module's exports (src/parse/flat.ts).
import { readFileSync } from 'node:fs';
const [a, b, list] = process.argv.slice(2);
const A = await import(a + '/dist/src/parse/shellfile.js'),
  Ap = await import(a + '/dist/src/parse/parser.js');
const B = await import(b + '/dist/src/parse/shellfile.js'),
  Bp = await import(b + '/dist/src/parse/parser.js');
await Bp.initParser();
await Ap.initParser();
const texts = readFileSync(list, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((f) => readFileSync(f, 'utf8'));
const P = Bp; // parse cost alone, for reference
const ta = [],
  tb = [],
  tp = [];
for (let r = 0; r < 15; r++) {
  let t = performance.now();
  for (const x of texts) new A.ShellFile('x', x);
  ta.push(performance.now() - t);
  t = performance.now();
  for (const x of texts) new B.ShellFile('x', x);
  tb.push(performance.now() - t);
  t = performance.now();
  for (const x of texts) P.parseTree(x).delete();
  tp.push(performance.now() - t);
}
const med = (v) => v.sort((x, y) => x - y)[v.length >> 1].toFixed(1);
console.log(
  `${texts.length} files: ShellFile old ${med(ta)} ms, new ${med(tb)} ms, parse alone ${med(tp)} ms (medians of 15, one process)`,
);
