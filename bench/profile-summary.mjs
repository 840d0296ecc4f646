#!/usr/bin/env node
// Summarises a V8 .cpuprofile (from `node --cpu-prof`) by self time: per function and per file.
//
//   node --cpu-prof --cpu-prof-dir=/tmp/prof bin/rc-supervise.js lint DIR >/dev/null
//   node bench/profile-summary.mjs /tmp/prof/*.cpuprofile [--top 25]
//
// "self" is time sampled in the function itself; "total" also counts its callees (each
// function counted once per stack, so recursion is not double-counted).
import { readFileSync } from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
let top = 25;
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--top') top = Number(args[++i]);
  else files.push(args[i]);
}
if (!files.length) {
  process.stderr.write('usage: node bench/profile-summary.mjs FILE.cpuprofile... [--top N]\n');
  process.exit(2);
}

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const short = (url) => {
  if (!url) return '(native/vm)';
  const p = url.replace(/^file:\/\//, '');
  return p.startsWith(repo + '/') ? p.slice(repo.length + 1) : p;
};

for (const file of files) {
  const prof = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // Sample weights: timeDeltas[i] is the time before sample i.
  const self = new Map();
  const deltas = prof.timeDeltas;
  for (let i = 0; i < prof.samples.length; i++) {
    const dt = deltas[i + 1] ?? 0;
    self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + dt);
  }
  const totalUs = [...self.values()].reduce((a, b) => a + b, 0);
  const fnSelf = new Map();
  const fnTotal = new Map();
  const fileSelf = new Map();
  const key = (n) => {
    const cf = n.callFrame;
    return `${cf.functionName || '(anonymous)'}  ${short(cf.url)}${cf.url ? `:${cf.lineNumber + 1}` : ''}`;
  };
  for (const [id, us] of self) {
    const n = byId.get(id);
    fnSelf.set(key(n), (fnSelf.get(key(n)) ?? 0) + us);
    const f = n.callFrame.url ? short(n.callFrame.url) : `(${n.callFrame.functionName || 'vm'})`;
    fileSelf.set(f, (fileSelf.get(f) ?? 0) + us);
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const k = key(byId.get(cur));
      if (seen.has(k)) continue;
      seen.add(k);
      fnTotal.set(k, (fnTotal.get(k) ?? 0) + us);
    }
  }
  const ms = (us) => (us / 1000).toFixed(0).padStart(6);
  const pct = (us) => ((100 * us) / totalUs).toFixed(1).padStart(5);
  console.log(`${file}: ${(totalUs / 1000).toFixed(0)} ms sampled`);
  console.log(`\n  self ms   %   by file`);
  for (const [f, us] of [...fileSelf].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`  ${ms(us)} ${pct(us)}  ${f}`);
  console.log(`\n  self ms   %   by function`);
  for (const [f, us] of [...fnSelf].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`  ${ms(us)} ${pct(us)}  ${f}`);
  console.log(`\n total ms   %   by function (inclusive)`);
  for (const [f, us] of [...fnTotal].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`  ${ms(us)} ${pct(us)}  ${f}`);
}
