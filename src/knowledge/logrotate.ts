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
 * ROOT/etc/logrotate.d/* and the cron job directories (etc/cron.d, etc/cron.{hourly,daily,
 * weekly,monthly}), read once per root and process: their scripts signal daemons through pid
 * files (`kill -USR2 $(cat /run/dnsmasq.pid)`). Only regular files inside
 * the root are read; one that cannot be read is passed over (less evidence, never a guess
 * that it says nothing: see pidfileStep).
 */
export function pidfileReadersOnRoot(root: string): PidfileReader[] {
  const key = path.resolve(root);
  const known = cache.get(key);
  if (known) return known;
  const found: PidfileReader[] = [];
  // cron jobs too: polipo's weekly job signals the daemon (USR1/USR2) through its pid file.
  for (const dir of CRON_AND_LOGROTATE) {
    let names: string[] = [];
    try {
      names = readdirSync(underRoot(root, dir)).sort();
    } catch {
      names = [];
    }
    for (const n of names) {
      const rel = `${dir}/${n}`;
      const text = readValueOrUndefined(root, rel, 1 << 20);
      if (text !== undefined) found.push({ path: rel, text });
    }
  }
  cache.set(key, found);
  return found;
}

const CRON_AND_LOGROTATE = [
  'etc/logrotate.d',
  'etc/cron.d',
  'etc/cron.hourly',
  'etc/cron.daily',
  'etc/cron.weekly',
  'etc/cron.monthly',
];
