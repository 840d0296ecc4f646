/**
 * `npm run eval -- <dir>`: migrate every service of a real-world tree in temporary system
 * roots and check every migration with OpenRC's own shell code (check.ts).
 *
 * How: services are collected and deduplicated (collect.ts), written into as few temporary
 * roots as their names allow (a root holds each name once; a second variant of `rngd` goes
 * into the next root), with the package's units in usr/lib/systemd/system/ as Gentoo
 * installs them. Each root gets one `rc-supervise migrate --all --json` (the CLI, as a user
 * runs it, which writes the migrated files into the temporary root) and one more
 * `migrate --all --dry-run --json` (must be a no-op). Only the checks run a process per
 * service, in parallel.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { launchesDaemon } from './classify.js';
import { checkMigration, type Violation } from './check.js';
import { collectServices, type EvalService, type InstalledChoice } from './collect.js';
import { REPO_ROOT } from './openrc-record.js';

export type Status = 'already' | 'migrated' | 'refused' | 'error' | 'internal-error';

export interface EvalRecord {
  id: string;
  name: string;
  names: string[];
  sources: EvalService['sources'];
  status: Status;
  /** Refusal code, or `exit-N` for an error. */
  code: string | null;
  reason: string | null;
  /** Evidence kind(s) of a migration, from migrate's JSON `evidence`; `unknown` when it has none. */
  evidence: string | null;
  evidenceDetail: string | null;
  route: string | null;
  /** The harness's own classifier (classify.ts). */
  launchesDaemon: boolean;
  violations: Violation[];
  /** Changes of behaviour to judge by hand (check.ts), not violations. */
  review: Violation[];
  unverified: string | null;
  diff: string | null;
  /** What migrate told the user beside the diff (its JSON notes and warnings), for hand review. */
  notes?: string[];
  /** The argv real openrc-run.sh gave supervise-daemon after the migration (check.ts), to compare runs. */
  superviseArgv?: string[];
  warnings?: string[];
}

/** One entry of `migrate --json`'s array (only what the harness reads). */
interface MigrateJson {
  service: string;
  status: 'migrated' | 'would-migrate' | 'already' | 'skipped' | 'failed';
  code?: string;
  reason?: string;
  exitCode?: number;
  error?: string;
  route?: string;
  files?: { path: string; diff: string }[];
  evidence?: unknown;
  notes?: string[];
  warnings?: string[];
}

export const CLI = path.join(REPO_ROOT, 'bin/rc-supervise.js');

/** rc-supervise as a user runs it (the CLI, no colour), its output collected. */
export function runCli(
  args: string[],
  timeoutMs = 600_000,
  cwd?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

/** migrate's JSON for `names` in `root`: one process for all of them; one per service if that process fails as a whole. */
async function migrateJson(root: string, names: string[], dryRun: boolean): Promise<Map<string, MigrateJson>> {
  const base = ['migrate', '--root', root, '--json', ...(dryRun ? ['--dry-run'] : [])];
  const all = await runCli([...base, '--all']);
  const parsed = parseJson(all.stdout);
  if (parsed) return new Map(parsed.map((o) => [o.service, o]));
  const out = new Map<string, MigrateJson>();
  for (const n of names) {
    const one = await runCli([...base, n], 60_000);
    const p = parseJson(one.stdout)?.[0];
    out.set(
      n,
      p ?? {
        service: n,
        status: 'failed',
        exitCode: one.code,
        error: (one.stderr.trim().split('\n').at(-1) ?? '').slice(0, 300) || `exit ${one.code}`,
      },
    );
  }
  return out;
}

function parseJson(s: string): MigrateJson[] | null {
  try {
    const v = JSON.parse(s) as unknown;
    return Array.isArray(v) ? (v as MigrateJson[]) : null;
  } catch {
    return null;
  }
}

/** `evidence: {kind, detail}` (or a list of them) → "kind[+kind]" and the details. */
export function evidenceOf(o: MigrateJson): { kind: string; detail: string | null } {
  const list = Array.isArray(o.evidence) ? o.evidence : o.evidence ? [o.evidence] : [];
  const ev = list.filter(
    (e): e is { kind: string; detail?: unknown } => typeof e === 'object' && e !== null && 'kind' in e,
  );
  if (ev.length === 0) return { kind: 'unknown', detail: null };
  return {
    kind: [...new Set(ev.map((e) => String(e.kind)))].join('+'),
    detail: ev.map((e) => (e.detail === undefined ? '' : String(e.detail))).join('; ') || null,
  };
}

/** Spread services over roots so that each root holds a name once. */
function assignRoots(services: EvalService[]): EvalService[][] {
  const roots: EvalService[][] = [];
  const used: Set<string>[] = [];
  for (const s of services) {
    let k = used.findIndex((u) => !u.has(s.name));
    if (k < 0) {
      k = roots.length;
      roots.push([]);
      used.push(new Set());
    }
    roots[k].push(s);
    used[k].add(s.name);
  }
  return roots;
}

function writeRoot(root: string, services: EvalService[]): void {
  for (const d of ['etc/init.d', 'etc/conf.d', 'usr/lib/systemd/system'])
    mkdirSync(path.join(root, d), { recursive: true });
  const unitDir = path.join(root, 'usr/lib/systemd/system');
  for (const s of services) {
    const p = path.join(root, 'etc/init.d', s.name);
    writeFileSync(p, s.initd);
    chmodSync(p, 0o755);
    if (s.confd !== null) writeFileSync(path.join(root, 'etc/conf.d', s.name), s.confd);
    // The package database entry Gentoo keeps for the ebuild that installed the script (what
    // migrate reads for a version-dependent fact).
    if (s.installedBy) {
      const dir = path.join(root, 'var/db/pkg', s.installedBy.category, s.installedBy.pf);
      mkdirSync(dir, { recursive: true });
      const md5 = createHash('md5').update(s.initd).digest('hex');
      writeFileSync(path.join(dir, 'CONTENTS'), `dir /etc/init.d\nobj /etc/init.d/${s.name} ${md5} 1700000000\n`, {
        flag: 'a',
      });
    }
    // The package's logrotate files, where logrotate would find them.
    for (const f of s.logrotate ?? []) {
      mkdirSync(path.join(root, 'etc/logrotate.d'), { recursive: true });
      writeFileSync(path.join(root, 'etc/logrotate.d', `${s.name}.${f.name}`), f.text);
    }
    // ... and its cron jobs (which cron directory does not matter to the reader check).
    for (const f of s.cron ?? []) {
      mkdirSync(path.join(root, 'etc/cron.weekly'), { recursive: true });
      writeFileSync(path.join(root, 'etc/cron.weekly', `${s.name}.${f.name}`), f.text);
    }
    // A unit named after the service is its own; another package's unit of that name does not replace it.
    const own = s.units.find((u) => u.name === `${s.name}.service`);
    if (own) writeFileSync(path.join(unitDir, own.name), own.text);
  }
  for (const s of services)
    for (const u of s.units) {
      const p = path.join(unitDir, u.name);
      if (!existsSync(p)) writeFileSync(p, u.text);
    }
}

function readOr(p: string, fallback: string | null): string | null {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return fallback;
  }
}

/** Run `fn` over `items` with at most `n` at a time. */
async function pool<T, R>(items: T[], n: number, fn: (t: T, i: number) => Promise<R>, tick?: () => void): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
      tick?.();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(n, items.length)) }, worker));
  return out;
}

export interface EvalOptions {
  jobs?: number;
  /** Keep the temporary roots (printed) for a look at the migrated files. */
  keep?: boolean;
  /** Progress lines on stderr. */
  progress?: (msg: string) => void;
  /** Which of several ebuilds installing a script counts as installed (collectServices). */
  installed?: InstalledChoice;
}

export async function evaluate(dir: string, opts: EvalOptions = {}): Promise<EvalRecord[]> {
  const say = opts.progress ?? (() => {});
  const t0 = Date.now();
  const services = collectServices(dir, opts.installed);
  say(`${services.length} distinct services (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'rcs-eval-'));
  const records: EvalRecord[] = [];
  const toCheck: { rec: EvalRecord; svc: EvalService; root: string }[] = [];
  try {
    const groups = assignRoots(services);
    for (const [k, group] of groups.entries()) {
      const root = path.join(tmp, `root${k}`);
      writeRoot(root, group);
      const names = group.map((s) => s.name);
      const first = await migrateJson(root, names, false);
      const second = await migrateJson(root, names, true);
      say(
        `root ${k + 1}/${groups.length}: migrated ${group.length} services (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
      );
      for (const svc of group) {
        const o = first.get(svc.name);
        const rec: EvalRecord = {
          id: svc.id,
          name: svc.name,
          names: svc.names,
          sources: svc.sources,
          status: 'error',
          code: null,
          reason: null,
          evidence: null,
          evidenceDetail: null,
          route: null,
          launchesDaemon: launchesDaemon(svc.initd, svc.confd),
          violations: [],
          review: [],
          unverified: null,
          diff: null,
        };
        records.push(rec);
        if (!o) {
          rec.status = 'internal-error';
          rec.reason = 'missing from migrate --json output';
          continue;
        }
        if (o.status === 'already') rec.status = 'already';
        else if (o.status === 'skipped') {
          rec.status = 'refused';
          rec.code = o.code ?? 'unknown';
          rec.reason = o.reason ?? null;
        } else if (o.status === 'failed') {
          const internal = o.exitCode === 70 || /internal error/i.test(o.error ?? '');
          rec.status = internal ? 'internal-error' : 'error';
          rec.code = `exit-${o.exitCode ?? '?'}`;
          rec.reason = o.error ?? null;
        } else {
          rec.status = 'migrated';
          const ev = evidenceOf(o);
          rec.evidence = ev.kind;
          rec.evidenceDetail = ev.detail;
          rec.route = o.route ?? null;
          rec.diff = (o.files ?? []).map((f) => f.diff).join('');
          rec.notes = o.notes ?? [];
          rec.warnings = o.warnings ?? [];
          const again = second.get(svc.name);
          if (again && again.status !== 'already') {
            const what =
              again.status === 'failed'
                ? `fails: ${again.error}`
                : again.status === 'skipped'
                  ? `refuses (${again.code}): ${again.reason}`
                  : `changes it again:\n${(again.files ?? []).map((f) => f.diff).join('')}`;
            rec.violations.push({ kind: 'second-run', detail: `a second migrate ${what}` });
          }
          toCheck.push({ rec, svc, root });
        }
      }
    }
    const jobs = opts.jobs ?? Math.max(1, os.availableParallelism());
    let done = 0;
    await pool(
      toCheck,
      jobs,
      async ({ rec, svc, root }) => {
        const after = {
          initd: readOr(path.join(root, 'etc/init.d', svc.name), svc.initd)!,
          confd: readOr(path.join(root, 'etc/conf.d', svc.name), svc.confd),
        };
        try {
          const r = await checkMigration(svc.name, { initd: svc.initd, confd: svc.confd }, after);
          rec.violations.push(...r.violations);
          rec.review.push(...(r.review ?? []));
          rec.unverified = r.unverified ?? null;
          if (r.superviseArgv) rec.superviseArgv = r.superviseArgv;
        } catch (e) {
          rec.unverified = `check failed: ${(e as Error).message.split('\n')[0]}`;
        }
      },
      () => {
        if (++done % 100 === 0 || done === toCheck.length)
          say(`checked ${done}/${toCheck.length} migrations (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      },
    );
  } finally {
    if (opts.keep) say(`temporary roots kept in ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }
  return records;
}
