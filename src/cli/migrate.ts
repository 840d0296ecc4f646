import { promises as fs, promises as fsp } from 'node:fs';
import path from 'node:path';
import { unifiedDiff } from '../edit/diff.js';
import { EXIT, RcError, type ExitCode } from '../errors.js';
import {
  readManifest,
  runId,
  withLock,
  writeManifest,
  writeService,
  type Manifest,
  type ManifestEntry,
} from '../io/apply.js';
import { isStarted, rcAction, settled } from '../io/live.js';
import { resolveRoot, underRoot, writeAtomic } from '../io/files.js';
import { batchError, drainMigrate, toRcError } from '../migrate/batch.js';
import type { FileChange, ServiceResult } from '../migrate/migrate.js';
import { onProgress, poolThreads, takePool } from '../pool/pool.js';
import type { PlanOptions } from '../migrate/plan.js';
import type { EvidenceLevel } from '../steps/types.js';
import { parseVersion } from '../lint/check.js';
import { initParser } from '../parse/parser.js';
import { rootVersion } from './explain.js';
import { colorDiff, errColors, info, type Out } from './output.js';
import { evalSafePath, parseWords, quoteWords } from '../shell/quote.js';

export interface MigrateArgs {
  services: string[];
  root: string;
  all: boolean;
  dryRun: boolean;
  exclude: string[];
  /** -i: show each service's diff and ask before writing it. */
  interactive?: boolean;
  foregroundArgs?: string;
  /** --min-evidence: the weakest evidence a migration may rest on. */
  minEvidence?: EvidenceLevel;
  json: boolean;
  /** Live system: stop with the old definition, write, start with the new one, roll back on failure. */
  restart?: boolean;
  /** How long the new daemon must stay up after a --restart (ms). */
  settleMs?: number;
  openrcVersion?: string;
  /** "syslog" or "file[:DIR]". */
  log?: string;
  respawn?: { delay?: number; max?: number; period?: number };
}

/** --log, --respawn-*, --openrc-version into plan options, with supervise-daemon's own sanity checks. */
function planOptions(args: MigrateArgs, root: string): PlanOptions {
  const target = args.openrcVersion ? parseVersion(args.openrcVersion) : rootVersion(root).version;
  if (!target) throw new RcError(`--openrc-version ${args.openrcVersion}: expected X.Y or X.Y.Z`, EXIT.USAGE);
  let log: PlanOptions['log'];
  if (args.log === 'syslog') log = { kind: 'syslog' };
  else if (args.log === 'file' || args.log?.startsWith('file:')) {
    const dir = args.log.slice(5) || '/var/log';
    const why = evalSafePath(dir);
    if (why) throw new RcError(`--log ${JSON.stringify(args.log)}: ${why}`, EXIT.USAGE);
    log = { kind: 'file', dir: dir.replace(/\/+$/, '') };
  } else if (args.log !== undefined) throw new RcError(`--log ${args.log}: expected syslog or file[:DIR]`, EXIT.USAGE);
  const r = args.respawn;
  if (r) {
    for (const [k, v] of Object.entries(r))
      if (v !== undefined && (!Number.isInteger(v) || v < 0))
        throw new RcError(
          `--respawn-${k} ${v}: expected a whole number of ${k === 'max' ? 'respawns' : 'seconds'}`,
          EXIT.USAGE,
        );
    if (r.delay === 0) throw new RcError('--respawn-delay 0: supervise-daemon rejects a zero delay', EXIT.USAGE);
    // supervise-daemon warns about this itself: the respawn limit could never be reached.
    if (r.delay !== undefined && r.max && r.period !== undefined && r.delay * r.max > r.period)
      throw new RcError(
        `--respawn-delay ${r.delay} × --respawn-max ${r.max} = ${r.delay * r.max}s exceeds --respawn-period ${r.period}s: the limit could never trigger`,
        EXIT.USAGE,
      );
  }
  return {
    foregroundArgs: foregroundWords(args.foregroundArgs),
    target,
    log,
    respawn: r,
    ...(args.minEvidence ? { minEvidence: args.minEvidence } : {}),
  };
}

/**
 * --foreground-args as words OpenRC's eval hands to the daemon: only data (no `$`, no
 * backquote, no operator) is accepted, then written back in a canonical form (plain words
 * and '…') whose characters are also literal inside the "…" it is written into. A word
 * holding `$`, backquote, `"` or a backslash is refused: no daemon flag needs one, and each
 * would need a second level of quoting through eval.
 */
function foregroundWords(given: string | undefined): string | undefined {
  if (given === undefined) return undefined;
  const r = parseWords(given);
  if (!r.ok) throw new RcError(`--foreground-args ${JSON.stringify(given)}: ${r.reason}`, EXIT.USAGE);
  const odd = r.words.find((w) => /[$`"\\]/.test(w));
  if (odd !== undefined)
    throw new RcError(
      `--foreground-args ${JSON.stringify(given)}: the word ${JSON.stringify(odd)} holds $, \`, " or \\, which OpenRC's eval would not pass through as written`,
      EXIT.USAGE,
    );
  return quoteWords(r.words);
}

type Outcome =
  | { service: string; status: 'migrated' | 'would-migrate'; result: ServiceResult; backups: string[] }
  | { service: string; status: 'already'; result: ServiceResult }
  | { service: string; status: 'skipped'; result: ServiceResult }
  | { service: string; status: 'declined'; result: ServiceResult }
  | { service: string; status: 'failed'; error: RcError };

/**
 * Names in init.d that are not services: dotfiles (Portage's `._cfg0000_sshd`), editor and
 * patch leftovers, and the copies package managers leave beside a file they would not
 * overwrite (dpkg, apk, pacman, rpm, ucf).
 */
export const NOT_A_SERVICE =
  /[~#]$|\.(bak|orig|rej|swp|dpkg-\w+|apk-new|pacnew|pacsave|pacorig|rpmnew|rpmsave|ucf-\w+)$/;

/** Every service script in ROOT/etc/init.d (dotfiles and backups left out), sorted. */
export async function listServices(root: string): Promise<string[]> {
  const dir = underRoot(root, 'etc/init.d');
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    throw new RcError(`${dir}: no init.d directory under --root ${root}`, EXIT.INPUT);
  }
  return names.filter((n) => !n.startsWith('.') && !NOT_A_SERVICE.test(n)).sort();
}

export async function runMigrate(args: MigrateArgs, io: Out): Promise<ExitCode> {
  const start = performance.now();
  const c = errColors(io);
  const root = resolveRoot(args.root);
  // --all plans services in this thread and worker threads (pool/pool.ts); the grammar
  // compiles in the background meanwhile. Writing stays in this thread, one service at a time.
  const pool = takePool(args.all ? poolThreads() : 1, 'migrate');
  const parserReady = initParser();
  parserReady.catch(() => {}); // awaited (and any error reported) in pool.run
  let names: string[];
  let opts: PlanOptions;
  try {
    if (!args.all && args.services.length === 0)
      throw new RcError('name at least one service, or use --all', EXIT.USAGE);
    if (args.restart && root !== '/')
      throw new RcError('--restart acts on the running system: it needs --root / (the default)', EXIT.USAGE);
    names = args.all ? (await listServices(root)).filter((n) => !args.exclude.includes(n)) : args.services;
    opts = planOptions(args, root);
  } catch (e) {
    pool.close();
    throw e;
  }

  // A progress line on a terminal while a long batch is planned (the writing phase has its own).
  const progress = io.errTTY && !io.quiet && !args.json && names.length > 20;
  let drawn = 0;
  if (progress)
    onProgress((taken, count) => {
      const now = performance.now();
      if (now - drawn < 100) return;
      drawn = now;
      io.err(`\rplanning [${taken}/${count}]`.padEnd(30));
    });
  let results;
  try {
    results = await pool.run({ kind: 'migrate', root, names, options: opts }, names.length, drainMigrate, parserReady);
  } finally {
    onProgress(undefined);
    if (progress && drawn) io.err('\r'.padEnd(31) + '\r');
  }
  if (process.env.RC_SUPERVISE_TIMING)
    io.err(
      `rc-supervise: timing: start-up ${Math.round(start)} ms, planned ${names.length} service(s) in ` +
        `${Math.round(performance.now() - start)} ms on ${pool.describe()}\n`,
    );
  const outcomes: Outcome[] = names.map((name, i): Outcome => {
    const r = results[i]!;
    if ('error' in r) return { service: name, status: 'failed', error: batchError(r.error) };
    const result = r.ok;
    const kind = result.plan.kind;
    if (kind === 'migrate') return { service: name, status: 'would-migrate', result, backups: [] };
    if (kind === 'already') return { service: name, status: 'already', result };
    return { service: name, status: 'skipped', result };
  });

  if (args.interactive && !(await askEach(outcomes, io))) {
    io.err('stopped: nothing written\n');
    return EXIT.OK;
  }

  // An explicit list is all-or-nothing: one bad service means nothing is written.
  const explicitFailure = !args.all && outcomes.some((o) => o.status === 'failed' || o.status === 'skipped');
  if (!args.dryRun && !explicitFailure && outcomes.some((o) => o.status === 'would-migrate')) {
    // SIGINT/SIGTERM: finish the service being written (its files stay consistent), write
    // no further one, and report what was done.
    let interrupted: NodeJS.Signals | undefined;
    const onSignal = (sig: NodeJS.Signals) => {
      interrupted = sig;
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    process.on('SIGHUP', onSignal); // an ssh session that drops
    try {
      await withLock(root, async (createdDirs) => {
        const manifest = await readManifest(root);
        manifest.createdDirs = [...new Set([...(manifest.createdDirs ?? []), ...createdDirs])];
        const run = runId();
        let i = 0;
        const todo = outcomes.filter((o) => o.status === 'would-migrate').length;
        for (const [k, o] of outcomes.entries()) {
          if (o.status !== 'would-migrate') continue;
          if (interrupted) {
            outcomes[k] = {
              service: o.service,
              status: 'failed',
              error: new RcError(`${o.service}: not written: interrupted by ${interrupted}`, EXIT.FAILED),
            };
            continue;
          }
          if (io.errTTY && !io.quiet && todo > 5) io.err(`\r[${++i}/${todo}] ${o.service}`.padEnd(40));
          try {
            const live = await isStarted(root, o.service);
            if (live && args.restart) {
              const stop = await rcAction(root, o.service, 'stop');
              if (!stop.ok)
                throw new RcError(`${o.service}: not migrated: stopping it failed: ${stop.output}`, EXIT.FAILED);
            }
            const entries = await writeService(root, o.service, o.result.changes, run, manifest);
            outcomes[k] = { ...o, status: 'migrated', backups: entries.flatMap((e) => (e.backup ? [e.backup] : [])) };
            if (live && args.restart)
              await restartOrRollBack(root, o.service, o.result.changes, entries, manifest, args);
            else if (live)
              io.err(
                `${c.yellow('warning:')} ${o.service} is running under start-stop-daemon; after this change \`rc-service ${o.service} stop\` looks for a supervisor instead. Restart it now (rc-service ${o.service} restart), or use --restart.\n`,
              );
          } catch (e) {
            outcomes[k] = { service: o.service, status: 'failed', error: toRcError(e) };
          }
        }
        if (io.errTTY && !io.quiet && todo > 5) io.err('\r'.padEnd(41) + '\r');
      });
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.off('SIGHUP', onSignal);
    }
  }

  if (args.json) io.out(JSON.stringify(outcomes.map(jsonOutcome), null, 2) + '\n');
  else report(outcomes, args, io);

  const failed = outcomes.filter((o) => o.status === 'failed') as Extract<Outcome, { status: 'failed' }>[];
  if (!args.all) {
    if (outcomes.some((o) => o.status === 'declined')) return failed.length ? EXIT.FAILED : EXIT.OK;
    if (failed.length) return failed.map((f) => f.error.exitCode).sort((a, b) => b - a)[0];
    if (outcomes.some((o) => o.status === 'skipped')) return EXIT.FAILED;
    return EXIT.OK;
  }
  return failed.length ? EXIT.FAILED : EXIT.OK;
}

/**
 * `--restart`: the old definition was stopped and the new files are written. Start the
 * service; if the start fails or the daemon does not stay up, stop it, put the old files
 * back and start the old definition again.
 */
async function restartOrRollBack(
  root: string,
  svc: string,
  changes: FileChange[],
  entries: ManifestEntry[],
  manifest: Manifest,
  args: MigrateArgs,
): Promise<void> {
  const start = await rcAction(root, svc, 'start');
  const check = start.ok ? await settled(root, svc, args.settleMs ?? 1500) : { ok: false, why: start.output };
  if (check.ok) return;
  await rcAction(root, svc, 'stop');
  for (const ch of changes) {
    const abs = ch.source?.realPath ?? underRoot(root, ch.path);
    if (ch.before === null) await fsp.rm(abs, { force: true });
    else await writeAtomic(abs, ch.before, { ...ch.source!, keepAttributesOf: abs });
  }
  manifest.entries = manifest.entries.filter((e) => !entries.includes(e));
  await writeManifest(root, manifest);
  const old = await rcAction(root, svc, 'start');
  throw new RcError(
    `${svc}: the migrated service did not run (${check.why}); rolled back and ${old.ok ? 'started the old definition again' : `could not restart the old definition: ${old.output}`}`,
    EXIT.FAILED,
  );
}

function jsonOutcome(o: Outcome) {
  if (o.status === 'failed')
    return { service: o.service, status: o.status, exitCode: o.error.exitCode, error: o.error.message };
  const p = o.result.plan;
  const base = { service: o.service, status: o.status, rule: o.result.rule?.id ?? null };
  if (p.kind === 'migrate')
    return {
      ...base,
      route: p.route,
      why: p.why,
      files: o.result.changes.map((ch) => ({
        path: ch.path,
        created: ch.before === null,
        diff: unifiedDiff(ch.path, ch.before, ch.after),
      })),
      backups: 'backups' in o ? o.backups : [],
      evidence: p.evidence,
      notes: p.notes,
      warnings: p.warnings,
    };
  if (p.kind === 'already') return { ...base, where: p.where };
  return { ...base, code: p.code, reason: p.reason, suggestion: p.suggestion };
}

/**
 * -i (as etc-update and dispatch-conf ask): each service's diff, then y (migrate), n (leave
 * it) or q (stop: nothing is written at all). False: the user quit.
 */
async function askEach(outcomes: Outcome[], io: Out): Promise<boolean> {
  const todo = outcomes.filter((o) => o.status === 'would-migrate');
  for (const [n, o] of todo.entries()) {
    if (o.status !== 'would-migrate') continue;
    for (const ch of o.result.changes) io.out(colorDiff(unifiedDiff(ch.path, ch.before, ch.after), io.c));
    for (;;) {
      const answer = await io.ask!(`migrate ${o.service} (${n + 1}/${todo.length})? [y,n,q,?] `);
      const a = (answer ?? 'q').trim().toLowerCase();
      if (a === 'y' || a === 'yes') break;
      if (a === 'n' || a === 'no') {
        outcomes[outcomes.indexOf(o)] = { service: o.service, status: 'declined', result: o.result };
        break;
      }
      if (a === 'q' || a === 'quit') return false;
      io.err('y: migrate this service; n: leave it as it is; q: stop, writing nothing\n');
    }
  }
  return true;
}

function report(outcomes: Outcome[], args: MigrateArgs, io: Out): void {
  const c = errColors(io);
  const counts = { migrated: 0, already: 0, skipped: 0, failed: 0, declined: 0 };
  let noKill = 0;
  const reasons = new Map<string, number>();
  for (const o of outcomes) {
    switch (o.status) {
      case 'would-migrate':
      case 'migrated': {
        counts.migrated++;
        const p = o.result.plan;
        if (p.kind !== 'migrate') break;
        if (args.dryRun) {
          for (const ch of o.result.changes) io.out(colorDiff(unifiedDiff(ch.path, ch.before, ch.after), io.c));
        }
        const verb = o.status === 'migrated' ? 'migrated' : 'would migrate';
        info(io, `${c.green(verb)} ${c.bold(o.service)} via ${p.route}: ${p.why}\n`);
        for (const ch of o.result.changes) info(io, `  ${ch.before === null ? 'created' : 'changed'} ${ch.path}\n`);
        if (o.status === 'migrated' && o.backups.length) info(io, `  backup: ${o.backups.join(', ')}\n`);
        for (const ev of p.evidence) info(io, `  ${c.cyan('evidence:')} ${ev.kind}: ${ev.detail}\n`);
        for (const n of p.notes) info(io, `  ${c.cyan('note:')} ${n}\n`);
        // A warning is about this service: with -q it still needs its name.
        for (const w of p.warnings) io.err(`  ${io.quiet ? `${o.service}: ` : ''}${c.yellow('warning:')} ${w}\n`);
        if (o.status === 'migrated') info(io, `  restart it to take effect: rc-service ${o.service} restart\n`);
        if (p.stopsWithoutKill) noKill++;
        break;
      }
      case 'declined': {
        counts.declined++;
        info(io, `${c.dim('declined')} ${o.service}: not written\n`);
        break;
      }
      case 'already': {
        counts.already++;
        const p = o.result.plan;
        info(
          io,
          `${c.dim('ok')} ${o.service}: already supervised (set in ${p.kind === 'already' ? p.where : '?'}); nothing to do\n`,
        );
        break;
      }
      case 'skipped': {
        counts.skipped++;
        const p = o.result.plan;
        if (p.kind !== 'refuse') break;
        reasons.set(p.code, (reasons.get(p.code) ?? 0) + 1);
        // A named service that is refused is the answer the user asked for: it stays with -q.
        if (!args.all || !io.quiet)
          io.err(`${c.yellow('skipped')} ${o.service}: ${p.reason}\n  hint: ${p.suggestion}\n`);
        break;
      }
      case 'failed':
        counts.failed++;
        io.err(`${c.red('error')} ${o.error.message}\n`);
        break;
    }
  }
  // Said once, above the summary (which stays the last line), not per service: most scripts
  // leave retry unset (TERM, 5 s, no KILL). Under start-stop-daemon a daemon that outlived it
  // made stop fail; under supervise-daemon stop succeeds and the daemon runs on without its
  // supervisor (docs/openrc.md §8).
  if (noKill)
    info(
      io,
      `${c.cyan('note:')} ${noKill === counts.migrated ? (noKill > 1 ? 'all of them stop' : 'it stops') : `${noKill} of them stop`} without a KILL step (retry unset, a bare timeout or no KILL): under supervise-daemon, a daemon still running when the schedule ends is left running without its supervisor and stop reports success, where start-stop-daemon's stop failed; give retry a KILL step (retry="TERM/30/KILL/5") where a daemon may not stop on TERM (docs/openrc.md §8)\n`,
    );
  if (outcomes.length > 1 || args.all) {
    const why = [...reasons].map(([k, n]) => `${n} ${k}`).join(', ');
    const verb = args.dryRun ? 'would migrate' : 'migrated';
    info(
      io,
      `${counts.migrated} ${verb}, ${counts.already} already supervised, ${counts.skipped} skipped${why ? ` (${why})` : ''}, ${counts.failed} failed${counts.declined ? `, ${counts.declined} declined` : ''}\n`,
    );
  }
  if (!args.all && outcomes.some((o) => o.status === 'failed' || o.status === 'skipped') && outcomes.length > 1)
    io.err('nothing written: every named service must migrate cleanly (or use --all)\n');
}
