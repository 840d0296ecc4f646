import { readdirSync } from 'node:fs';
import path from 'node:path';
import { readValueOrUndefined, underRoot } from '../io/files.js';

/** A file outside the init script that may signal the daemon through its pid file. */
export interface PidfileReader {
  /** Relative to the root: `etc/logrotate.d/dnsmasq`. */
  path: string;
  text: string;
}

const cache = new Map<string, PidfileReader[]>();

/**
 * ROOT/etc/logrotate.d/*, read once per root and process: their postrotate scripts signal
 * daemons through pid files (`kill -USR2 $(cat /run/dnsmasq.pid)`). Only regular files inside
 * the root are read; one that cannot be read is passed over (less evidence, never a guess
 * that it says nothing: see pidfileStep).
 */
export function logrotateOnRoot(root: string): PidfileReader[] {
  const key = path.resolve(root);
  const known = cache.get(key);
  if (known) return known;
  const dir = 'etc/logrotate.d';
  let names: string[] = [];
  try {
    names = readdirSync(underRoot(root, dir)).sort();
  } catch {
    names = [];
  }
  const found: PidfileReader[] = [];
  for (const n of names) {
    const rel = `${dir}/${n}`;
    const text = readValueOrUndefined(root, rel, 1 << 20);
    if (text !== undefined) found.push({ path: rel, text });
  }
  cache.set(key, found);
  return found;
}
