/**
 * The daemons to verify: knowledge-base entries (knowledge/daemons/<id>.json, checked
 * against knowledge/schema.json) and the curated rules (rules/*.ts), reduced to what a run
 * needs: the binaries, the foreground words, the pid file the daemon is known to write.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import ajvModule from 'ajv';
import { compareVersions } from '../../src/knowledge/installed.js';
import type { ServiceRule } from '../../src/rules/types.js';

export interface VerifyEntry {
  id: string;
  /** Where it comes from: "kb:<file>" or "rule:<id>". */
  origin: string;
  binaries: string[];
  services: string[];
  /** Words for command_args_foreground; undefined = the entry does not say (nothing to verify). */
  foreground?: string;
  /** The version from which the foreground words (or staying in the foreground) exist. */
  foregroundSince?: string;
  ownPidfile?: string;
  refuse?: string;
  /** Controls only: the result the run must give (shows the checks can fail). */
  expect?: 'forked' | 'pidfile';
  /** The recipe to use when not the one named like the id. */
  recipe?: string;
}

/**
 * Two runs that must fail, so a report full of "ok" means something: dnsmasq without its
 * foreground words forks (and writes /run/dnsmasq.pid); sshd with -D but without
 * `-o PidFile=none` writes its compiled-in /run/sshd.pid, the supervisor's pidfile.
 */
export const CONTROLS: VerifyEntry[] = [
  {
    id: 'control-dnsmasq-no-foreground',
    origin: 'control:dnsmasq',
    binaries: ['dnsmasq'],
    services: ['dnsmasq'],
    foreground: '',
    expect: 'forked',
    recipe: 'dnsmasq',
  },
  {
    id: 'control-sshd-own-pidfile',
    origin: 'control:sshd',
    binaries: ['sshd'],
    services: ['sshd'],
    foreground: '-D',
    expect: 'pidfile',
    recipe: 'sshd',
  },
];

/** Entry JSON as far as the verifier reads it (the schema checks the rest). */
interface KbJson {
  id: string;
  binaries: string[];
  services?: string[];
  foreground?: string;
  foregroundSince?: string;
  ownPidfile?: string;
  refuse?: { reason: string };
}

export interface LoadResult {
  entries: VerifyEntry[];
  /** Files that could not be used, with why (bad JSON, schema errors, id != file name). */
  invalid: { file: string; why: string }[];
}

/** Read every *.json in `dir`; entries that fail the schema are reported, not verified. */
export function loadKnowledge(dir: string, schemaPath: string): LoadResult {
  // CommonJS package: under NodeNext the default import is module.exports; `.default` is the class.
  const ajv = new ajvModule.default({ allErrors: true, strict: false });
  const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
  const entries: VerifyEntry[] = [];
  const invalid: LoadResult['invalid'] = [];
  for (const name of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const file = path.join(dir, name);
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      invalid.push({ file, why: `not JSON: ${(e as Error).message}` });
      continue;
    }
    if (!validate(data)) {
      invalid.push({ file, why: ajv.errorsText(validate.errors) });
      continue;
    }
    const kb = data as KbJson;
    if (kb.id !== name.slice(0, -'.json'.length)) {
      invalid.push({ file, why: `id "${kb.id}" is not the file name` });
      continue;
    }
    entries.push(fromKb(kb, `kb:${name}`));
  }
  return { entries, invalid };
}

export function fromKb(kb: KbJson, origin: string): VerifyEntry {
  return {
    id: kb.id,
    origin,
    binaries: kb.binaries,
    services: kb.services ?? [],
    foreground: kb.foreground,
    ...(kb.foregroundSince ? { foregroundSince: kb.foregroundSince } : {}),
    ownPidfile: kb.ownPidfile,
    refuse: kb.refuse?.reason,
  };
}

/**
 * Why the Debian package cannot show anything about the entry: it is older than the version
 * from which the entry's foreground words exist (vde2 2.3.2 has no --nostdin; the entry
 * refuses that version itself). null when it is new enough, or either version is unknown.
 */
export function olderThanEntry(e: VerifyEntry, debianVersion: string | undefined): string | null {
  if (!e.foregroundSince || !debianVersion) return null;
  const v = debianVersion.replace(/^\d+:/, '');
  if (compareVersions(v, e.foregroundSince) !== -1) return null;
  const how = e.foreground ? `with ${e.foreground}` : 'by itself';
  return `Debian's ${debianVersion} is older than ${e.foregroundSince}, from which ${e.binaries[0]} stays in the foreground ${how}: the entry refuses that version`;
}

export function fromRule(r: ServiceRule): VerifyEntry {
  return {
    id: r.id,
    origin: `rule:${r.id}`,
    binaries: r.daemons,
    services: r.services,
    foreground: r.foreground,
    ownPidfile: r.ownPidfile,
    refuse: r.refuse?.reason,
  };
}

/**
 * Rules first (they are the strongest evidence); a KB entry with the same id or a binary a
 * rule already covers is verified too, separately, because the two may disagree.
 */
export function mergeEntries(rules: VerifyEntry[], kb: VerifyEntry[]): VerifyEntry[] {
  const seen = new Set<string>();
  const out: VerifyEntry[] = [];
  for (const e of [...rules, ...kb]) {
    const key = `${e.origin.split(':')[0]}:${e.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(e);
  }
  return out;
}
