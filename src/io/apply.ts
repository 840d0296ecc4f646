import { createHash, randomBytes } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { EXIT, RcError } from '../errors.js';
import type { FileChange } from '../migrate/migrate.js';
import { ensureInside, fsError, underRoot, writeAtomic } from './files.js';

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
}

export interface Manifest {
  version: 1;
  entries: ManifestEntry[];
  /** Directories rc-supervise created under the root (removed again by a full revert). */
  createdDirs?: string[];
}

export async function readManifest(root: string): Promise<Manifest> {
  try {
    const m = JSON.parse(await fs.readFile(underRoot(root, `${STATE_DIR}/manifest.json`), 'utf8')) as Manifest;
    if (m.version === 1 && Array.isArray(m.entries)) return m;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw fsError(e, `${STATE_DIR}/manifest.json`);
  }
  return { version: 1, entries: [] };
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
    const existed = await fs.lstat(abs).then(
      () => true,
      () => false,
    );
    if (existed) continue;
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

/** Directories made by runs that did not get the lock (one per line). */
const CREATED = 'created-dirs';

const TEMP = /^\..+\.rc-supervise-[0-9a-f]{8}\.tmp$/;

/** Temp files of a run that was killed inside an atomic write (hidden, 0600, never services). */
async function removeStaleTemps(root: string): Promise<void> {
  for (const dir of ['etc/init.d', 'etc/conf.d', STATE_DIR]) {
    const abs = underRoot(root, dir);
    const names = await fs.readdir(abs).catch(() => [] as string[]);
    for (const n of names) if (TEMP.test(n)) await fs.rm(path.join(abs, n), { force: true });
  }
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
        // ENOSPC and the like: never leave a lock (or its temp file) nobody owns.
        await fs.rm(tmp, { force: true });
        await cleanUp(root, createdDirs);
        throw fsError(e, `${STATE_DIR}/lock`);
      }
      const pid = Number((await fs.readFile(lock, 'utf8').catch(() => '')).trim());
      if (attempt === 0 && !(pid > 0 && alive(pid))) {
        await fs.rm(lock, { force: true });
        continue;
      }
      // The directories we made for the state are recorded for the run that holds the lock,
      // so that whichever run ends last removes them (see cleanUp).
      if (createdDirs.length)
        await fs.appendFile(path.join(dir, CREATED), createdDirs.map((d) => `${d}\n`).join('')).catch(() => undefined);
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

async function cleanUp(root: string, createdDirs: string[]): Promise<void> {
  let manifest: Manifest;
  try {
    manifest = await readManifest(root);
  } catch {
    return;
  }
  if (manifest.entries.length) return;
  const recorded = await fs.readFile(underRoot(root, `${STATE_DIR}/${CREATED}`), 'utf8').then(
    (t) => t.split('\n').filter(Boolean),
    () => [] as string[],
  );
  // Best effort: a mount point or a read-only directory stays, the real error was reported.
  await fs.rm(underRoot(root, STATE_DIR), { recursive: true, force: true }).catch(() => undefined);
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
 * file write, as a power cut between two writes would stop it.
 */
function crashPoint(): void {
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
      plan.push({ ch, target, entry });
      entries.push(entry);
    }
    // Write-ahead: the manifest knows about every file before any of them changes, so a
    // crash between two writes still leaves something `revert` can undo exactly.
    manifest.entries.push(...entries);
    recorded = true;
    await writeManifest(root, manifest);
    for (const { ch, target, entry } of plan) {
      let current: string | null = null;
      try {
        current = await fs.readFile(target, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw fsError(e, ch.path);
      }
      if (current !== ch.before)
        throw new RcError(`${ch.path}: changed on disk since it was read; not overwritten`, EXIT.FAILED, ch.path);
      await ensureInside(root, path.dirname(target), ch.path);
      if (ch.before === null) await mkdirUnder(root, path.dirname(ch.path));
      await writeAtomic(target, ch.after, entry);
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
      else await writeAtomic(d.abs, d.before, d).catch(() => undefined);
    }
    if (recorded) {
      manifest.entries.splice(manifest.entries.length - entries.length, entries.length);
      await writeManifest(root, manifest).catch(() => undefined);
    }
    throw e;
  }
  return entries;
}
