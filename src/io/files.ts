import { randomBytes } from 'node:crypto';
import fsSync, { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import { EXIT, RcError } from '../errors.js';

export const MAX_SCRIPT_BYTES = 1024 * 1024;

/** Resolves `rel` under `root`, refusing `..` escapes. */
export function underRoot(root: string, rel: string): string {
  const abs = path.resolve(root, rel);
  const r = path.resolve(root);
  if (abs !== r && !abs.startsWith(r.endsWith(path.sep) ? r : r + path.sep))
    throw new RcError(`${rel}: path leaves --root ${root}`, EXIT.INPUT, rel);
  return abs;
}

/** `p` is `root` or below it (both real paths). */
function within(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/**
 * `abs` (or, when it does not exist yet, its nearest existing ancestor) must resolve inside
 * `root` once every symlink on the way is followed: a symlinked `etc/init.d` or state
 * directory pointing out of the root is never written through (nor read).
 */
export async function ensureInside(root: string, abs: string, display: string): Promise<void> {
  let p = abs;
  for (;;) {
    try {
      const real = await fs.realpath(p);
      const rootReal = await fs.realpath(root);
      if (!within(rootReal, real))
        throw new RcError(`${display}: leads outside --root (${p} -> ${real}); not followed`, EXIT.INPUT, display);
      return;
    } catch (e) {
      if (e instanceof RcError) throw e;
      const up = path.dirname(p);
      if (up === p) return;
      p = up;
    }
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const rootCache = new Map<string, string>();

/** realpath of a root, once per process (it does not move during a run). */
function realRoot(root: string): string {
  let r = rootCache.get(root);
  if (r === undefined) {
    r = fsSync.realpathSync(root);
    rootCache.set(root, r);
  }
  return r;
}

const insideCache = new Set<string>();

/** ensureInside, synchronously, for a root already resolved (directories found inside are remembered). */
function ensureInsideSync(rootReal: string, abs: string, display: string): void {
  // Everything is inside '/' (lint reads with root '/'): no realpath per directory.
  if (rootReal === path.sep) return;
  const key = `${rootReal}\0${abs}`;
  if (insideCache.has(key)) return;
  ensureInsideUncached(rootReal, abs, display);
  insideCache.add(key);
}

function ensureInsideUncached(rootReal: string, abs: string, display: string): void {
  for (let p = abs; ; p = path.dirname(p)) {
    let real: string;
    try {
      real = fsSync.realpathSync(p);
    } catch {
      if (path.dirname(p) === p) return;
      continue;
    }
    if (!within(rootReal, real))
      throw new RcError(`${display}: leads outside --root (${p} -> ${real}); not followed`, EXIT.INPUT, display);
    return;
  }
}

export interface ReadResult {
  text: string;
  /** Absolute path actually read (after following an in-root symlink). */
  realPath: string;
  /** Set when the path itself is a symlink: its target as stored. */
  linkTarget?: string;
  mode: number;
  uid: number;
  gid: number;
  mtimeMs: number;
}

/**
 * Reads a shell file defensively: never opens FIFOs or devices (no blocking), refuses
 * symlinks leaving `root`, directories, huge files, NUL bytes and invalid UTF-8, and keeps
 * a BOM as text so that untouched bytes stay untouched.
 */
export async function readScript(root: string, abs: string, display: string): Promise<ReadResult> {
  return readScriptSync(root, abs, display);
}

/**
 * The same, synchronously: a script is a few kilobytes, and a batch of thousands pays more
 * for a dozen awaited file-system calls per file than for the reads themselves.
 */
export function readScriptSync(root: string, abs: string, display: string): ReadResult {
  let lst;
  try {
    lst = fsSync.lstatSync(abs);
  } catch (e) {
    throw fsError(e, display);
  }
  const rootReal = realRoot(root);
  ensureInsideSync(rootReal, path.dirname(abs), display);
  let linkTarget: string | undefined;
  let realPath = abs;
  if (lst.isSymbolicLink()) {
    linkTarget = fsSync.readlinkSync(abs);
    try {
      realPath = fsSync.realpathSync(abs);
    } catch {
      throw new RcError(`${display}: dangling symlink (-> ${linkTarget})`, EXIT.INPUT, display);
    }
    if (!within(rootReal, realPath))
      throw new RcError(
        `${display}: symlink leads outside --root (-> ${linkTarget}); not followed`,
        EXIT.INPUT,
        display,
      );
  }
  const st = lst.isSymbolicLink() ? fsSync.statSync(realPath) : lst;
  if (st.isDirectory()) throw new RcError(`${display}: is a directory, expected a file`, EXIT.INPUT, display);
  if (!st.isFile())
    throw new RcError(`${display}: not a regular file (FIFO, socket or device); not read`, EXIT.INPUT, display);
  if (st.size > MAX_SCRIPT_BYTES)
    throw new RcError(
      `${display}: ${st.size} bytes is too large for a service script (limit ${MAX_SCRIPT_BYTES})`,
      EXIT.INPUT,
      display,
    );
  let buf: Buffer;
  try {
    // O_NONBLOCK: if the file was swapped for a FIFO since lstat(), open must not hang.
    const fd = fsSync.openSync(realPath, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      buf = fsSync.readFileSync(fd);
    } finally {
      fsSync.closeSync(fd);
    }
  } catch (e) {
    throw fsError(e, display);
  }
  const nul = buf.indexOf(0);
  if (nul >= 0)
    throw new RcError(`${display}: binary file (NUL byte at offset ${nul}); not a shell script`, EXIT.INPUT, display);
  let text: string;
  try {
    text = UTF8.decode(buf);
  } catch {
    throw new RcError(`${display}: not valid UTF-8 text`, EXIT.INPUT, display);
  }
  return { text, realPath, linkTarget, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtimeMs: st.mtimeMs };
}

export function fsError(e: unknown, display: string): RcError {
  const err = e as NodeJS.ErrnoException;
  const what: Record<string, string> = {
    ENOENT: 'no such file',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EISDIR: 'is a directory',
    ENOTDIR: 'a parent is not a directory',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on device',
    ELOOP: 'too many symlinks',
  };
  return new RcError(`${display}: ${what[err.code ?? ''] ?? err.message}`, EXIT.INPUT, display);
}

/** Whether anything (a dangling symlink too) is at `p`; synchronous, see readScriptSync. */
export function existsSync(p: string): boolean {
  try {
    fsSync.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

export async function exists(p: string): Promise<boolean> {
  try {
    await fs.lstat(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Atomic replace: write a hidden, non-executable temp file in the same directory (OpenRC
 * never takes it for a service), fsync, give it the final mode and owner, rename over the
 * target, fsync the directory. On any failure the temp file is removed and the target is
 * untouched. Written by hand rather than with write-file-atomic because that library names
 * its temp file `<name>.<hash>` and chmods it before the rename, which for a moment puts an
 * executable, service-looking file into /etc/init.d.
 */
export async function writeAtomic(
  abs: string,
  text: string,
  meta: { mode: number; uid?: number; gid?: number },
): Promise<void> {
  const dir = path.dirname(abs);
  const tmp = path.join(dir, `.${path.basename(abs)}.rc-supervise-${randomBytes(4).toString('hex')}.tmp`);
  let fh: fs.FileHandle | undefined;
  try {
    fh = await fs.open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    await fh.writeFile(text, 'utf8');
    await fh.sync();
    if (meta.uid !== undefined && meta.gid !== undefined && process.getuid?.() === 0)
      await fh.chown(meta.uid, meta.gid);
    await fh.close();
    fh = undefined;
    await fs.chmod(tmp, meta.mode);
    await fs.rename(tmp, abs);
  } catch (e) {
    await fh?.close().catch(() => undefined);
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw fsError(e, abs);
  }
  await syncDir(dir);
}

async function syncDir(dir: string): Promise<void> {
  try {
    const d = await fs.open(dir, constants.O_RDONLY);
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch {
    // Some file systems refuse fsync on directories; the rename is still atomic.
  }
}
