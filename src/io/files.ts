import { childProcess, crypto } from '../builtins.js';
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
  /** Hard links to the file (more than 1: another name shares these bytes). */
  nlink?: number;
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
  return {
    text,
    realPath,
    linkTarget,
    mode: st.mode & 0o7777,
    uid: st.uid,
    gid: st.gid,
    mtimeMs: st.mtimeMs,
    nlink: st.nlink,
  };
}

const linkCache = new Map<string, Map<string, string[]>>();

/**
 * Names in directory `dir` that are symlinks resolving to `real` (conf.d/rngd -> dbus):
 * writing `real` would change those services too. One scan per directory and process.
 */
export function symlinksTo(dir: string, real: string): string[] {
  let m = linkCache.get(dir);
  if (!m) {
    m = new Map();
    let names: string[] = [];
    try {
      names = fsSync.readdirSync(dir);
    } catch {
      // no directory: no links
    }
    for (const n of names) {
      const p = path.join(dir, n);
      try {
        if (!fsSync.lstatSync(p).isSymbolicLink()) continue;
        const to = fsSync.realpathSync(p);
        m.set(to, [...(m.get(to) ?? []), n]);
      } catch {
        // dangling: points at nothing we write
      }
    }
    linkCache.set(dir, m);
  }
  return m.get(real) ?? [];
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
  meta: { mode: number; uid?: number; gid?: number; keepAttributesOf?: string },
): Promise<void> {
  const dir = path.dirname(abs);
  const tmp = path.join(dir, `.${path.basename(abs)}.rc-supervise-${crypto().randomBytes(4).toString('hex')}.tmp`);
  let fh: fs.FileHandle | undefined;
  try {
    fh = await fs.open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    await fh.writeFile(text, 'utf8');
    await fh.sync();
    if (meta.uid !== undefined && meta.gid !== undefined && process.getuid?.() === 0)
      await fh.chown(meta.uid, meta.gid);
    await fh.close();
    fh = undefined;
    // After the chown (which clears security.capability): the replaced file's extended
    // attributes (user.*, ACLs, labels) go onto the new one, so a migration and its revert
    // keep them.
    if (meta.keepAttributesOf) copyAttributes(meta.keepAttributesOf, tmp);
    await fs.chmod(tmp, meta.mode);
    await fs.rename(tmp, abs);
  } catch (e) {
    await fh?.close().catch(() => undefined);
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw fsError(e, abs);
  }
  await syncDir(dir);
}

let cpLacksAttributesOnly = false;

/**
 * Copies the extended attributes (and ACL) of `from` onto `to`. Node has no xattr API;
 * GNU cp has (--attributes-only: the data of `to` stays). A cp without the option (busybox)
 * cannot carry them: then files with xattrs lose them, as before (documented).
 */
function copyAttributes(from: string, to: string): void {
  if (cpLacksAttributesOnly || !existsSync(from)) return;
  const r = childProcess().spawnSync('cp', ['--attributes-only', '--preserve=mode,xattr', '--', from, to], {
    encoding: 'utf8',
  });
  if (r.error || /unrecognized option|invalid option|unknown option/i.test(r.stderr ?? '')) {
    cpLacksAttributesOnly = true;
    return;
  }
  if (r.status !== 0)
    throw new RcError(
      `${from}: its extended attributes could not be kept: ${(r.stderr ?? '').trim()}`,
      EXIT.INPUT,
      from,
    );
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

/** State values (a pid, a start time, a version) are a few bytes: more is not OpenRC's. */
export const MAX_VALUE_BYTES = 4096;

/**
 * Reads a small file without ever blocking or slurping: a FIFO, a socket, a device or a
 * directory at a path we expect to hold a value (run/openrc/options/…, lib/rc/version,
 * the lock, the manifest, .rc-supervise.json) is refused, not opened for reading
 * (O_NONBLOCK: opening a FIFO with no writer returns at once; fstat then tells what it is).
 * With `root`, the path is first resolved through every symlink and must stay inside it,
 * so a link to /etc/shadow is never read. Returns undefined when nothing is there.
 */
export function readSmallSync(
  root: string | null,
  abs: string,
  display: string,
  cap: number = MAX_VALUE_BYTES,
): string | undefined {
  if (root !== null && !existsSync(abs)) return undefined;
  // Everything is inside '/'. (Also a root reached through /proc/<pid>/root: its realpath is
  // '/', and resolving a path below it by readlink would leave that mount namespace.)
  if (root !== null && realRoot(root) !== path.sep) {
    let real: string;
    try {
      real = fsSync.realpathSync(abs);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // a dangling link: nothing there
      throw fsError(e, display);
    }
    if (!within(realRoot(root), real))
      throw new RcError(`${display}: leads outside --root (-> ${real}); not read`, EXIT.INPUT, display);
  }
  let fd: number;
  try {
    fd = fsSync.openSync(abs, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw fsError(e, display);
  }
  try {
    const st = fsSync.fstatSync(fd);
    if (st.isDirectory()) throw new RcError(`${display}: is a directory, expected a file`, EXIT.INPUT, display);
    if (!st.isFile())
      throw new RcError(`${display}: not a regular file (FIFO, socket or device); not read`, EXIT.INPUT, display);
    if (st.size > cap)
      throw new RcError(`${display}: ${st.size} bytes, more than the ${cap} expected; not read`, EXIT.INPUT, display);
    // Read at most cap+1 bytes: a file that grows meanwhile is still caught.
    const buf = Buffer.alloc(cap + 1);
    let n = 0;
    for (;;) {
      const r = fsSync.readSync(fd, buf, n, buf.length - n, null);
      if (r === 0) break;
      n += r;
      if (n > cap) throw new RcError(`${display}: more than the ${cap} bytes expected; not read`, EXIT.INPUT, display);
    }
    return buf.subarray(0, n).toString('utf8');
  } catch (e) {
    if (e instanceof RcError) throw e;
    throw fsError(e, display);
  } finally {
    fsSync.closeSync(fd);
  }
}

/** readSmallSync, for value files whose problems only mean "unknown" (status, live checks). */
export function readValueOrUndefined(root: string, rel: string, cap: number = MAX_VALUE_BYTES): string | undefined {
  try {
    return readSmallSync(root, underRoot(root, rel), rel, cap);
  } catch {
    return undefined;
  }
}

/**
 * `--root` as given: an empty string (an unset shell variable) must not silently mean the
 * current directory, which from `/` is the live system.
 */
export function resolveRoot(arg: string | undefined): string {
  if (arg === undefined) return path.resolve('/');
  if (arg.trim() === '')
    throw new RcError(
      '--root "": an empty root (an unset variable?); give a directory, or / for this system',
      EXIT.USAGE,
    );
  return path.resolve(arg);
}

/**
 * `rel` resolved under `root` as a process chrooted there would see it: each component is
 * looked at with lstat, and a symlink's target is taken relative to the root when absolute
 * (a system mounted at /mnt/gentoo has `usr/sbin/dropbear -> /usr/bin/dropbearmulti`), so
 * nothing outside the root is ever looked at, not even its metadata; `..` stops at the root.
 * Hand-written because fs.realpath follows an absolute link out of the root. Returns the
 * absolute path and its stat, or undefined when a component is missing or the links loop.
 */
export function resolveInRootSync(root: string, rel: string): { abs: string; stat: fsSync.Stats } | undefined {
  const base = path.resolve(root);
  const todo = rel.split('/').filter((c) => c && c !== '.');
  const done: string[] = [];
  let links = 0;
  while (todo.length) {
    const c = todo.shift()!;
    if (c === '..') {
      done.pop();
      continue;
    }
    const abs = path.join(base, ...done, c);
    let st: fsSync.Stats;
    try {
      st = fsSync.lstatSync(abs);
    } catch {
      return undefined;
    }
    if (st.isSymbolicLink()) {
      if (++links > 40) return undefined;
      let target: string;
      try {
        target = fsSync.readlinkSync(abs);
      } catch {
        return undefined;
      }
      if (target.startsWith('/')) done.length = 0;
      todo.unshift(...target.split('/').filter((x) => x && x !== '.'));
      continue;
    }
    if (todo.length && !st.isDirectory()) return undefined;
    done.push(c);
  }
  const abs = path.join(base, ...done);
  try {
    return { abs, stat: fsSync.lstatSync(abs) };
  } catch {
    return undefined;
  }
}

/**
 * Where OpenRC's PATH finds the program `name` on the root. openrc-run puts its own helpers
 * (RC_LIBEXECDIR/bin) and then /bin:/sbin:/usr/bin:/usr/sbin before whatever PATH it was
 * started with (src/shared/misc.c env_config()), so the first executable regular file in those
 * four directories is the one a script running `name` starts, wherever it was called from.
 * Undefined when OpenRC's helper directory has that name too, none of the four has it (then
 * it comes from the caller's PATH, which is not known), or rc.conf (read by openrc-run before
 * the script, in the same shell) sets a PATH of its own: never guessed.
 */
export function programOnRoot(root: string, name: string): string | undefined {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/.test(name)) return undefined;
  if (rcConfSetsPath(root)) return undefined;
  const program = (dir: string) => {
    const r = resolveInRootSync(root, `${dir}/${name}`);
    return !!r && r.stat.isFile() && (r.stat.mode & 0o111) !== 0;
  };
  if (['lib/rc/bin', 'usr/libexec/rc/bin'].some((d) => resolveInRootSync(root, `${d}/${name}`))) return undefined;
  const dir = ['bin', 'sbin', 'usr/bin', 'usr/sbin'].find(program);
  return dir && `/${dir}/${name}`;
}

/** etc/rc.conf or a file of etc/rc.conf.d has a word `PATH=` anywhere, in a comment too (then it only refuses). */
function rcConfSetsPath(root: string): boolean {
  const texts: string[] = [];
  const read = (rel: string) => {
    const r = resolveInRootSync(root, rel);
    if (r?.stat.isFile() && r.stat.size <= MAX_SCRIPT_BYTES) texts.push(fsSync.readFileSync(r.abs, 'utf8'));
  };
  read('etc/rc.conf');
  const dir = resolveInRootSync(root, 'etc/rc.conf.d');
  if (dir?.stat.isDirectory())
    for (const n of fsSync.readdirSync(dir.abs).sort()) read(`${path.relative(path.resolve(root), dir.abs)}/${n}`);
  // Comments are not skipped: a commented-out PATH= only makes the lookup refuse (conservative).
  return texts.some((t) => /(^|[\s;&|(#])PATH=/m.test(t));
}
