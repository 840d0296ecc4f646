#!/usr/bin/env node
// The file-system floor for `rc-supervise lint .` in an ebuild repository: what lint must
// read, with no analysis at all. It walks the tree as discovery does (src/discover/
// ebuild-repo.ts: a directory whose link count says it has no subdirectory is not listed, on
// file systems that keep such counts), lists every files/ directory, and reads the ebuilds
// of each package whose files/ holds more than patches, then every file but the patches of
// those files/ directories (the init scripts and conf.d among them: a little more than lint
// reads). Run from the repository's root.
//
//   node bench/read-floor.mjs
//
// Prints one JSON line: directories listed, directories only stat'ed, files read, bytes.
import { existsSync, lstatSync, readdirSync, readFileSync, statfsSync, statSync } from 'node:fs';

const COUNTING = new Set([0xef53, 0x58465342, 0x01021994]);
const root = process.cwd();
const dev = COUNTING.has(statfsSync(root).type) ? statSync(root).dev : null;
const n = { listed: 0, stated: 0, read: 0, bytes: 0 };
const list = (d) => {
  n.listed++;
  return readdirSync(d, { withFileTypes: true });
};
const read = (f) => {
  n.read++;
  n.bytes += readFileSync(f).length;
};
const filesUnder = (d, out = []) => {
  for (const e of list(d)) {
    if (e.isDirectory()) filesUnder(`${d}/${e.name}`, out);
    else if (e.isFile()) out.push(`${d}/${e.name}`);
  }
  return out;
};
const PATCH = /\.(?:patch|diff)$/;
const pkg = (d, files) => {
  if (files.every((f) => PATCH.test(f))) return;
  for (const e of list(d)) if (e.name.endsWith('.ebuild')) read(`${d}/${e.name}`);
  for (const f of files) if (!PATCH.test(f)) read(f);
};
const walk = (d, depth) => {
  if (depth > 0 && dev !== null) {
    const st = lstatSync(d);
    n.stated++;
    if (st.dev === dev && st.nlink === 2 && !existsSync(`${d}/files`)) return;
    if (st.dev === dev && st.nlink === 3 && lstatSync(`${d}/files`, { throwIfNoEntry: false })?.isDirectory())
      return pkg(d, filesUnder(`${d}/files`));
  }
  const ents = list(d);
  if (depth > 0 && ents.some((e) => e.name.endsWith('.ebuild') || (e.isDirectory() && e.name === 'files'))) {
    if (ents.some((e) => e.name === 'files')) pkg(d, filesUnder(`${d}/files`));
    return;
  }
  for (const e of ents)
    if (e.isDirectory() && !e.name.startsWith('.') && !['profiles', 'metadata', 'eclass', 'licenses'].includes(e.name))
      walk(`${d}/${e.name}`, depth + 1);
};
walk(root, 0);
process.stdout.write(JSON.stringify(n) + '\n');
