import { readdirSync } from 'node:fs';
import path from 'node:path';
import { readValueOrUndefined, underRoot } from '../io/files.js';

/** The package that installed a file, as the system's package database says. */
export interface InstalledPackage {
  /** `net-analyzer/zabbix` (Gentoo) or `zabbix-agentd` (Alpine). */
  name: string;
  /** As the database writes it: `6.0.22-r1`, `6.4.0-r0`. */
  version: string;
  /** Where it was read, relative to the root: `var/db/pkg/net-analyzer/zabbix-6.0.22-r1/CONTENTS`. */
  where: string;
}

// Gentoo's VDB directory name is <PN>-<PVR>: the version starts at the last `-<digit>` that
// is not the `-rN` revision (PN may contain `-1` parts only when not followed by a version).
const PF = /^(.+?)-(\d[^-]*(?:-r\d+)?)$/;

/**
 * Who owns each file of etc/init.d on ROOT, read once per root and process: Gentoo's
 * var/db/pkg/<cat>/<pf>/CONTENTS (`obj /etc/init.d/<name> <md5> <mtime>`) and Alpine's
 * lib/apk/db/installed (`P:`, `V:`, `F:etc/init.d`, `R:<name>`). Only what is inside the root
 * is read (readValueOrUndefined follows no link out of it); an unreadable or malformed entry
 * is passed over: the installed version is then unknown, which is a refusal, never a guess
 * (but for an old version gate, whose words apply with a note saying what was assumed:
 * src/knowledge/rules.ts ASSUMED_NEWER_THAN).
 */
const cache = new Map<string, Map<string, InstalledPackage>>();

export function initdOwners(root: string): Map<string, InstalledPackage> {
  const key = path.resolve(root);
  const known = cache.get(key);
  if (known) return known;
  const owners = new Map<string, InstalledPackage>();
  const list = (rel: string): string[] => {
    try {
      return readdirSync(underRoot(root, rel)).sort();
    } catch {
      return [];
    }
  };
  for (const cat of list('var/db/pkg')) {
    for (const pf of list(`var/db/pkg/${cat}`)) {
      const m = PF.exec(pf);
      if (!m) continue;
      const rel = `var/db/pkg/${cat}/${pf}/CONTENTS`;
      // CONTENTS of a large package runs to megabytes; 16 MiB is more than any real one.
      const text = readValueOrUndefined(root, rel, 16 << 20);
      if (!text) continue;
      for (const line of text.split('\n')) {
        const f = /^obj \/etc\/init\.d\/([^/\s]+) /.exec(line);
        if (f) owners.set(f[1], { name: `${cat}/${m[1]}`, version: m[2], where: rel });
      }
    }
  }
  const apk = 'lib/apk/db/installed';
  const db = readValueOrUndefined(root, apk, 256 << 20);
  if (db) {
    for (const block of db.split(/\n\n+/)) {
      let name: string | undefined;
      let version: string | undefined;
      let dir: string | undefined;
      for (const line of block.split('\n')) {
        const tag = line.slice(0, 2);
        const v = line.slice(2);
        if (tag === 'P:') name = v;
        else if (tag === 'V:') version = v;
        else if (tag === 'F:') dir = v;
        else if (tag === 'R:' && dir === 'etc/init.d' && name && version) owners.set(v, { name, version, where: apk });
      }
    }
  }
  cache.set(key, owners);
  return owners;
}

/**
 * Compares the leading numeric part of two versions (`6.0.22-r1` against `3.0`): -1, 0 or 1,
 * or undefined when either has none (a version like `9999` is a live ebuild: compared as is).
 */
export function compareVersions(a: string, b: string): number | undefined {
  const nums = (v: string) => /^\d+(?:\.\d+)*/.exec(v)?.[0].split('.').map(Number);
  const x = nums(a);
  const y = nums(b);
  if (!x || !y) return undefined;
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}
