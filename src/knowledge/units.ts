import { readdirSync } from 'node:fs';
import path from 'node:path';
import { readScriptSync, underRoot } from '../io/files.js';
import { evalWords } from '../parse/words.js';

/** What a systemd unit says about how its daemon runs (the parts rc-supervise uses). */
export interface UnitFacts {
  /** Where it was read, relative to the root (or as given). */
  path: string;
  /** Type=, lowercased; systemd's default is simple. */
  type: string;
  /** ExecStart argv as systemd splits it (prefixes such as `-`/`@`/`+` removed). */
  execStart: string[];
}

/** Where Gentoo and others install units whatever the init system (systemd.eclass). */
export const UNIT_DIRS = ['usr/lib/systemd/system', 'lib/systemd/system'];

/**
 * Parses the [Service] section of a unit: the last Type= and ExecStart= win (an empty
 * `ExecStart=` resets, as in drop-ins). Backslash-newline continues a line. ExecStart is
 * split by shell rules, which is close to systemd's own for the simple words we compare.
 */
export function parseUnit(text: string, where: string): UnitFacts | null {
  let section = '';
  let type: string | null = null;
  let pidFile = false;
  let exec: string | null = null;
  for (const raw of text.replace(/\\\r?\n/g, ' ').split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const sec = /^\[(.+)\]$/.exec(line);
    if (sec) {
      section = sec[1];
      continue;
    }
    if (section !== 'Service') continue;
    const m = /^([A-Za-z]+)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    if (m[1] === 'Type') type = m[2].trim().toLowerCase();
    if (m[1] === 'ExecStart') exec = m[2].trim() === '' ? null : m[2].trim();
    if (m[1] === 'PIDFile' && m[2].trim() !== '') pidFile = true;
  }
  // No Type= but a PIDFile=: written for a daemon that forks and writes its pid file
  // (tox-bootstrapd's unit), whatever the default type says.
  if (type === null) type = pidFile ? 'forking (no Type=, but PIDFile=)' : 'simple';
  if (exec === null) return null;
  const words = evalWords(exec.replace(/^[-@+!:]+/, ''));
  if (!words || words.length === 0) return null;
  return { path: where, type, execStart: words };
}

const cache = new Map<string, UnitFacts[]>();

/**
 * Every readable unit under ROOT's unit directories, read once per root and process. A unit
 * that is not a regular file, too large, outside the root or not text is passed over: a unit
 * is a hint, and its absence only means less evidence.
 */
export function unitsOnRoot(root: string): UnitFacts[] {
  const key = path.resolve(root);
  const known = cache.get(key);
  if (known) return known;
  const found: UnitFacts[] = [];
  for (const dir of UNIT_DIRS) {
    let names: string[];
    try {
      names = readdirSync(underRoot(root, dir))
        .filter((n) => n.endsWith('.service'))
        .sort();
    } catch {
      continue;
    }
    for (const n of names) {
      const rel = `${dir}/${n}`;
      try {
        const r = readScriptSync(root, underRoot(root, rel), rel);
        const u = parseUnit(r.text, rel);
        if (u) found.push(u);
      } catch {
        // unreadable, a FIFO, a link out of the root: no evidence from it
      }
    }
  }
  cache.set(key, found);
  return found;
}

/**
 * Programs that run another program named by their arguments: a unit that runs one of them is
 * about that other program (airsonic's `java -jar airsonic.war` says nothing of puppetdb's java).
 */
const INTERPRETERS =
  /^(java|python[0-9.]*|perl[0-9.]*|ruby[0-9.]*|node|nodejs|sh|bash|dash|env|mono|php[0-9.]*|dotnet|lua[0-9.]*|tclsh[0-9.]*|erl|su|sudo|nice|ionice|chpst|capsh|setpriv|runuser|busybox|tini|dumb-init|s6-setuidgid|xvfb-run)$/;

/**
 * Units whose ExecStart runs the daemon (same basename), service-named ones first; for an
 * interpreter or a launcher, only the unit named after the service.
 */
export function unitsFor(units: readonly UnitFacts[], daemon: string, service: string): UnitFacts[] {
  const base = (p: string) => p.slice(p.lastIndexOf('/') + 1);
  return units
    .filter((u) => base(u.execStart[0]) === daemon)
    .filter((u) => !INTERPRETERS.test(daemon) || base(u.path) === `${service}.service`)
    .sort((a, b) => Number(base(b.path) === `${service}.service`) - Number(base(a.path) === `${service}.service`));
}
