import { createHash, randomBytes } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { EXIT, RcError } from '../errors.js';
import type { FileChange } from '../migrate/migrate.js';
import { ensureInside, fsError, MAX_SCRIPT_BYTES, readSmallSync, underRoot, writeAtomic } from './files.js';
import { validateManifest } from './manifest-schema.js';

/**
 * State kept under the root, outside /etc/init.d (OpenRC would read anything there).
 * RC_SUPERVISE_STATE_DIR (relative to the root) moves it, e.g. onto a writable /run.
 */
export const STATE_DIR = process.env.RC_SUPERVISE_STATE_DIR?.replace(/^\/+/, '') || 'var/lib/rc-supervise';

export const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

export interface ManifestEntry {
  run: string;
  service: string;
  path: string;
  /** null when the migration created the file. */
  hashBefore: string | null;
  hashAfter: string;
  backup: string | null;
  mode: number;
  uid: number;
  gid: number;
  time: string;
  /** 'pending' is recorded before the write (write-ahead), 'done' after. */
  state: 'pending' | 'done';
  /** Directories this migration created for the file (e.g. etc/conf.d), removed by its revert. */
  createdDirs?: string[];
}

export interface Manifest {
  version: 1;
  entries: ManifestEntry[];
  /** Directories rc-supervise created under the root (removed again by a full revert). */
  createdDirs?: string[];
}

/** A manifest of thousands of migrations is a few MB; more is not ours. */
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

/**
 * The manifest, or an empty one when there is none. Anything else we do not understand
 * (another JSON shape, a newer version, a FIFO, a link out of the root) is an error: taking
 * it for empty would let `revert --all` delete the only backups, and `migrate` drop records.
 */
export async function readManifest(root: string): Promise<Manifest> {
  const rel = `${STATE_DIR}/manifest.json`;
  const text = readSmallSync(root, underRoot(root, rel), rel, MAX_MANIFEST_BYTES);
  if (text === undefined) return { version: 1, entries: [] };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // Not JSON.parse's message: it quotes the file's first bytes.
    throw new RcError(`${rel}: not valid JSON; not rc-supervise's manifest (nothing changed)`, EXIT.INPUT, rel);
  }
  const problem = validateManifest(data, STATE_DIR);
  if (problem)
    throw new RcError(
      `${rel}: not a manifest this rc-supervise understands: ${problem} (nothing changed)`,
      EXIT.INPUT,
      rel,
    );
  return data as Manifest;
}

export async function writeManifest(root: string, m: Manifest): Promise<void> {
  const abs = underRoot(root, `${STATE_DIR}/manifest.json`);
  await fs.mkdir(path.dirname(abs), { recursive: true });
  await writeAtomic(abs, JSON.stringify(m, null, 2) + '\n', { mode: 0o644 });
}

/** Creates `rel` under root; returns the directories (relative) that did not exist before. */
export async function mkdirUnder(root: string, rel: string): Promise<string[]> {
  const created: string[] = [];
  const parts = rel.split('/').filter(Boolean);
  // One level at a time: a recursive mkdir reports EROFS and ENOSPC as ENOENT.
  for (let i = 1; i <= parts.length; i++) {
    const d = parts.slice(0, i).join('/');
    const abs = underRoot(root, d);
    await ensureInside(root, abs, d);
    const st = await fs.stat(abs).catch(() => undefined);
    if (st) {
      // A file where a directory belongs (var/lib/rc-supervise as a regular file): input, not a bug.
      if (!st.isDirectory())
        throw new RcError(`${d}: not a directory (rc-supervise needs ${rel} there)`, EXIT.INPUT, d);
      continue;
    }
    try {
      await fs.mkdir(abs);
    } catch (e) {
      // EEXIST here: a second rc-supervise created it between our lstat and mkdir. It is
      // still a directory rc-supervise made, and whichever run records it removes it later.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw fsError(e, rel);
    }
    created.push(d);
  }
  await ensureInside(root, underRoot(root, rel), rel);
  return created;
}

/** Directories rc-supervise made for its state, recorded as soon as they exist (one per line). */
const CREATED = 'created-dirs';

const TEMP = /^\..+\.rc-supervise-[0-9a-f]{8}\.tmp$/;
/** `.lock.<pid>.<random>`: a run's lock file before it is linked into place (pid captured). */
const LOCK_TEMP = /^\.lock\.(\d+)\.[0-9a-f]{8}$/;

/** What rc-supervise ever puts into its state directory. */
const OURS = new Set(['manifest.json', 'lock', CREATED, 'backup', 'overwritten']);

/**
 * A state directory that holds anything else is not ours (RC_SUPERVISE_STATE_DIR=/etc, =/run,
 * =.): it is refused before anything is written or removed there.
 */
async function checkStateDir(root: string): Promise<void> {
  const names = await fs.readdir(underRoot(root, STATE_DIR)).catch((e) => {
    throw fsError(e, STATE_DIR);
  });
  const foreign = names.filter((n) => !OURS.has(n) && !TEMP.test(n) && !LOCK_TEMP.test(n));
  if (foreign.length)
    throw new RcError(
      `${STATE_DIR}: not rc-supervise's state directory (it holds ${foreign
        .slice(0, 3)
        .map((n) => `'${n}'`)
        .join(', ')}${foreign.length > 3 ? ', …' : ''}); nothing written or removed there`,
      EXIT.INPUT,
      STATE_DIR,
    );
}

/** Temp files of a run that was killed inside an atomic write (hidden, 0600, never services). */
async function removeStaleTemps(root: string): Promise<void> {
  for (const dir of ['etc/init.d', 'etc/conf.d', STATE_DIR]) {
    const abs = underRoot(root, dir);
    const names = await fs.readdir(abs).catch(() => [] as string[]);
    for (const n of names) {
      // Another run's lock temp file, written but not yet linked, is not stale while its pid lives.
      const lockPid = dir === STATE_DIR ? LOCK_TEMP.exec(n)?.[1] : undefined;
      if (TEMP.test(n) || (lockPid !== undefined && !alive(Number(lockPid))))
        await fs.rm(path.join(abs, n), { force: true });
    }
  }
  await sweepBackups(underRoot(root, `${STATE_DIR}/backup`), false);
}

/**
 * Under backup/: removes our temp files (a kill inside writeAtomic) and, with `emptyDirs`,
 * directories left empty by revert. Backups themselves are never removed here.
 */
async function sweepBackups(dir: string, emptyDirs: boolean): Promise<void> {
  const ents = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of ents) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) await sweepBackups(p, emptyDirs);
    else if (TEMP.test(e.name)) await fs.rm(p, { force: true });
  }
  if (emptyDirs) await fs.rmdir(dir).catch(() => undefined);
}

/**
 * One writer per root: a lock file with our pid; a stale lock (dead pid) is taken over.
 * `fn` learns which directories taking the lock created. When no migration is recorded
 * afterwards (all reverted, or nothing written), rc-supervise's state and the directories
 * it created for it are removed again, so the root is as it was.
 */
export async function withLock<T>(root: string, fn: (createdDirs: string[]) => Promise<T>): Promise<T> {
  const dir = underRoot(root, STATE_DIR);
  const createdDirs = await mkdirUnder(root, STATE_DIR);
  // Recorded at once: a run killed before its first manifest write leaves var/lib (which it
  // made) behind otherwise, and the next run could not tell it is ours to remove.
  if (createdDirs.length) {
    await fs.appendFile(path.join(dir, CREATED), createdDirs.map((d) => `${d}\n`).join('')).catch(() => undefined);
    if (process.env.RC_SUPERVISE_TEST_CRASH_AT === 'state-dir') process.kill(process.pid, 'SIGKILL');
  }
  await checkStateDir(root).catch(async (e) => {
    await cleanUp(root, createdDirs);
    throw e;
  });
  const lock = path.join(dir, 'lock');
  for (let attempt = 0; ; attempt++) {
    // The lock appears with our pid already in it (written to a temp file, then linked):
    // a lock file that exists but is still empty would look stale to a second process.
    const tmp = path.join(dir, `.lock.${process.pid}.${randomBytes(4).toString('hex')}`);
    try {
      await fs.writeFile(tmp, `${process.pid}\n`, { mode: 0o644 });
      await fs.link(tmp, lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        // ENOSPC and the like: never leave a lock (or its temp file) nobody owns. The state is
        // cleaned up only while no other run holds the lock: one that does may not have recorded
        // its first migration yet, and would lose its backup directory (two runs racing on one
        // root, round 20); the directories are in CREATED, for whichever run ends last.
        await fs.rm(tmp, { force: true });
        const held = await fs.lstat(lock).then(
          () => true,
          () => false,
        );
        if (!held) await cleanUp(root, createdDirs);
        throw fsError(e, `${STATE_DIR}/lock`);
      }
      // A lock that is a FIFO, a directory or huge is not ours: refused (exit 2), never waited on.
      let pidText: string | undefined;
      try {
        pidText = readSmallSync(root, lock, `${STATE_DIR}/lock`, 64);
      } catch (e) {
        await cleanUp(root, createdDirs);
        throw e;
      }
      const pid = Number((pidText ?? '').trim());
      if (attempt === 0 && !(pid > 0 && alive(pid))) {
        await fs.rm(lock, { force: true });
        continue;
      }
      // The directories we made for the state are already in CREATED, for whichever run ends last.
      throw new RcError(lockHeldMessage(pid, lock), EXIT.FAILED);
    } finally {
      await fs.rm(tmp, { force: true });
    }
  }
  try {
    await removeStaleTemps(root);
    return await fn(createdDirs);
  } finally {
    await fs.rm(lock, { force: true });
    await cleanUp(root, createdDirs);
  }
}

/**
 * When no migration is recorded any more: removes what rc-supervise itself made (its
 * manifest, its records, empty backup directories, the directories it created) and nothing
 * else. Never a recursive delete: a state directory holding anything else keeps it, and a
 * directory that existed before rc-supervise stays.
 */
async function cleanUp(root: string, createdDirs: string[]): Promise<void> {
  let manifest: Manifest;
  try {
    manifest = await readManifest(root);
    await checkStateDir(root);
  } catch {
    return;
  }
  if (manifest.entries.length) return;
  let recorded: string[] = [];
  try {
    recorded = (readSmallSync(root, underRoot(root, `${STATE_DIR}/${CREATED}`), CREATED, 1024 * 1024) ?? '')
      .split('\n')
      .filter((d) => d && !d.split('/').includes('..') && !d.startsWith('/'));
  } catch {
    // not a file of ours: left alone
  }
  // Best effort: a mount point or a read-only directory stays, the real error was reported.
  const dir = underRoot(root, STATE_DIR);
  await sweepBackups(path.join(dir, 'backup'), true);
  for (const n of ['manifest.json', CREATED]) await fs.rm(path.join(dir, n), { force: true }).catch(() => undefined);
  const dirs = [...new Set([...createdDirs, ...(manifest.createdDirs ?? []), ...recorded])].sort(
    (a, b) => b.length - a.length,
  );
  for (const d of dirs) await fs.rmdir(underRoot(root, d)).catch(() => undefined);
}

/**
 * Why the lock cannot be taken, and how to clear it. A live pid that is not rc-supervise means
 * the lock outlived its run (a crash, then the pid was reused) or comes from another pid
 * namespace (a container or chroot sharing the root): only a human can tell, so say how.
 */
function lockHeldMessage(pid: number, lock: string): string {
  let cmdline: string | undefined;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    // no /proc, or not ours to read: say what we know
  }
  if (pid > 0 && cmdline !== undefined && !cmdline.includes('rc-supervise'))
    return (
      `${lock} names pid ${pid}, which is alive but is not rc-supervise (${cmdline.slice(0, 60) || '?'}): ` +
      `the lock was left by a run that died (and the pid was reused), or was taken from another pid namespace ` +
      `(a container or chroot). If no rc-supervise is working on this root, remove ${lock} and try again`
    );
  return (
    `another rc-supervise (pid ${pid || '?'}) is writing this root (${lock}); try again when it is done ` +
    `(if that run is stuck, stop it: kill ${pid || 'PID'}; if it runs in another pid namespace and is gone, remove ${lock})`
  );
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

let writesBeforeCrash = Number(process.env.RC_SUPERVISE_TEST_CRASH_AFTER_WRITES ?? 0);

/**
 * Fault injection for the crash-consistency test only: with
 * RC_SUPERVISE_TEST_CRASH_AFTER_WRITES=N the process SIGKILLs itself right after its Nth
 * file write, as a power cut between two writes would stop it. RC_SUPERVISE_TEST_CRASH_AT=state-dir
 * kills it right after it made (and recorded) the state directory, before any manifest.
 */
export function crashPoint(): void {
  if (writesBeforeCrash > 0 && --writesBeforeCrash === 0) process.kill(process.pid, 'SIGKILL');
}

export function runId(now = new Date()): string {
  return now.toISOString().replace(/[:.]/g, '-');
}

/**
 * Writes one service's changes: backs each original up under STATE_DIR, checks that the
 * file on disk is still what was read (no lost concurrent edit), writes atomically keeping
 * mode and owner, and records everything in the manifest. If a later file of the same
 * service fails, the earlier ones are put back, so a service is never half-migrated.
 */
export async function writeService(
  root: string,
  service: string,
  changes: FileChange[],
  run: string,
  manifest: Manifest,
): Promise<ManifestEntry[]> {
  const done: { abs: string; before: string | null; mode: number; uid: number; gid: number }[] = [];
  const entries: ManifestEntry[] = [];
  let recorded = false;
  try {
    const plan: { ch: FileChange; target: string; entry: ManifestEntry }[] = [];
    for (const ch of changes) {
      const abs = underRoot(root, ch.path);
      const target = ch.source?.realPath ?? abs;
      let backup: string | null = null;
      if (ch.before !== null) {
        backup = `${STATE_DIR}/backup/${run}/${ch.path}`;
        const babs = underRoot(root, backup);
        await mkdirUnder(root, path.dirname(backup));
        // Backups are never executable: even copied somewhere odd they are not services.
        await writeAtomic(babs, ch.before, { mode: 0o600 });
      }
      const entry: ManifestEntry = {
        run,
        service,
        path: ch.path,
        hashBefore: ch.before === null ? null : sha256(ch.before),
        hashAfter: sha256(ch.after),
        backup,
        mode: ch.source?.mode ?? 0o644,
        uid: ch.source?.uid ?? 0,
        gid: ch.source?.gid ?? 0,
        time: new Date().toISOString(),
        state: 'pending',
      };
      if (ch.before === null) {
        // Made before the write-ahead record, and recorded in it: revert removes them again.
        await ensureInside(root, path.dirname(target), ch.path);
        const made = await mkdirUnder(root, path.dirname(ch.path));
        if (made.length) entry.createdDirs = made;
      }
      plan.push({ ch, target, entry });
      entries.push(entry);
    }
    // Write-ahead: the manifest knows about every file before any of them changes, so a
    // crash between two writes still leaves something `revert` can undo exactly.
    manifest.entries.push(...entries);
    recorded = true;
    await writeManifest(root, manifest);
    for (const { ch, target, entry } of plan) {
      const current = readSmallSync(root, target, ch.path, MAX_SCRIPT_BYTES) ?? null;
      if (current !== ch.before)
        throw new RcError(`${ch.path}: changed on disk since it was read; not overwritten`, EXIT.FAILED, ch.path);
      await ensureInside(root, path.dirname(target), ch.path);
      await writeAtomic(target, ch.after, { ...entry, keepAttributesOf: target });
      crashPoint();
      done.push({ abs: target, before: ch.before, mode: entry.mode, uid: entry.uid, gid: entry.gid });
    }
    for (const e of entries) e.state = 'done';
    await writeManifest(root, manifest);
  } catch (e) {
    for (const entry of entries)
      if (entry.backup) await fs.rm(underRoot(root, entry.backup), { force: true }).catch(() => undefined);
    for (const d of done.reverse()) {
      if (d.before === null) await fs.rm(d.abs, { force: true }).catch(() => undefined);
      else await writeAtomic(d.abs, d.before, { ...d, keepAttributesOf: d.abs }).catch(() => undefined);
    }
    if (recorded) {
      manifest.entries.splice(manifest.entries.length - entries.length, entries.length);
      await writeManifest(root, manifest).catch(() => undefined);
    }
    for (const entry of entries)
      for (const d of [...(entry.createdDirs ?? [])].reverse())
        await fs.rmdir(underRoot(root, d)).catch(() => undefined);
    throw e;
  }
  return entries;
}
