import { promises as fs } from 'node:fs';
import path from 'node:path';
import { EXIT, RcError, type ExitCode } from '../errors.js';
import {
  crashPoint,
  mkdirUnder,
  readManifest,
  runId,
  sha256,
  STATE_DIR,
  withLock,
  writeManifest,
  type Manifest,
  type ManifestEntry,
} from '../io/apply.js';
import { ensureInside, MAX_SCRIPT_BYTES, readSmallSync, resolveRoot, underRoot, writeAtomic } from '../io/files.js';
import { toRcError } from '../migrate/batch.js';
import { unifiedDiff } from '../edit/diff.js';
import { colorDiff, errColors, info, type Out } from './output.js';

export interface RevertArgs {
  services: string[];
  root: string;
  all: boolean;
  force: boolean;
  /** Show what would be put back (a diff from now to then); write nothing. */
  dryRun?: boolean;
}

/** A file under ROOT, resolved inside it (a symlinked etc/init.d leading out is refused). */
function readUnder(root: string, rel: string): string | null {
  return readSmallSync(root, underRoot(root, rel), rel, MAX_SCRIPT_BYTES) ?? null;
}

const hashOf = (text: string | null) => (text === null ? null : sha256(text));

/** What reverting one file means. */
interface FileRevert {
  path: string;
  /** The entries undone: a consistent chain of migrations of this file, oldest first. */
  chain: ManifestEntry[];
  /** Older records of the file, made before it was replaced from outside (a package update). */
  superseded: ManifestEntry[];
  /** What goes back: the oldest chain entry's backup text, or null (the migration created the file). */
  target: string | null;
  /** The file as it is now. */
  current: string | null;
  /** The file is neither what a migration wrote nor what it replaced. */
  changed: boolean;
}

/**
 * The migrations of one file, latest first, as far as each one's result is what the next
 * one found (hashAfter = next hashBefore): those are undone together, back to the first
 * one's original. An older record whose result was replaced in between (the package
 * installed a new script, then it was migrated again) describes a file that no longer
 * exists: reverting means going back to the package's file, the latest original.
 */
function planFile(root: string, rel: string, entries: ManifestEntry[]): FileRevert {
  let m = entries.length - 1;
  while (m > 0 && entries[m - 1].hashAfter === entries[m].hashBefore) m--;
  const chain = entries.slice(m);
  const superseded = entries.slice(0, m);
  const first = chain[0];
  let target: string | null = null;
  if (first.hashBefore !== null) {
    const b = first.backup === null ? null : readUnder(root, first.backup);
    if (b === null || sha256(b) !== first.hashBefore)
      throw new RcError(`backup ${first.backup ?? '(none)'} of ${rel} is missing or damaged`, EXIT.FAILED, rel);
    target = b;
  }
  const current = readUnder(root, rel);
  const h = hashOf(current);
  // Valid states: what the latest migration wrote, or any original along the chain (a revert
  // or a migration that was killed half-way).
  const known = new Set<string | null>([chain[chain.length - 1].hashAfter, ...chain.map((e) => e.hashBefore)]);
  return { path: rel, chain, superseded, target, current, changed: !known.has(h) };
}

/**
 * Puts back exactly what a migration replaced, from the manifest: original bytes, mode,
 * owner and extended attributes; files (and directories) the migration created are removed.
 * Write-ahead, as migrate: files first, then the manifest, then the backups, so a kill at
 * any point leaves every file old or new and a later revert finishes the job. A file
 * changed since the migration is left alone unless --force, which keeps a copy of it.
 */
export async function runRevert(args: RevertArgs, io: Out): Promise<ExitCode> {
  const root = resolveRoot(args.root);
  if (!args.all && args.services.length === 0) throw new RcError('name at least one service, or use --all', EXIT.USAGE);
  let failed = 0;
  if (args.dryRun) return previewRevert(root, args, io);
  // SIGINT/SIGTERM/SIGHUP: finish the service in progress, revert no further one.
  let interrupted: NodeJS.Signals | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    interrupted = sig;
  };
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, onSignal);
  try {
    await withLock(root, async () => {
      const manifest = await readManifest(root);
      const run = runId();
      const wanted = (e: ManifestEntry) => args.all || args.services.includes(e.service);
      const byService = new Map<string, ManifestEntry[]>();
      for (const e of manifest.entries)
        if (wanted(e)) byService.set(e.service, [...(byService.get(e.service) ?? []), e]);
      for (const name of args.services)
        if (!byService.has(name)) {
          io.err(`${errColors(io).yellow(name)}: nothing to revert (no migration recorded under ${root})\n`);
          failed++;
        }
      for (const [service, entries] of byService) {
        if (interrupted) {
          io.err(`${service}: not reverted: interrupted by ${interrupted}\n`);
          failed++;
          continue;
        }
        try {
          await revertService(root, manifest, service, entries, args.force, run, io);
        } catch (e) {
          // One service failing (a read-only file, a damaged backup) does not stop the others.
          io.err(`${service}: not reverted: ${toRcError(e).message}\n`);
          failed++;
        }
      }
      await removeOrphanBackups(root, manifest);
      // An empty manifest makes withLock remove rc-supervise's state (and dirs it created).
    });
  } finally {
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(s, onSignal);
  }
  return failed ? EXIT.FAILED : EXIT.OK;
}

async function revertService(
  root: string,
  manifest: Manifest,
  service: string,
  entries: ManifestEntry[],
  force: boolean,
  run: string,
  io: Out,
): Promise<void> {
  const byPath = new Map<string, ManifestEntry[]>();
  for (const e of entries) byPath.set(e.path, [...(byPath.get(e.path) ?? []), e]);
  // Check every file of the service first: a service is reverted whole or not at all.
  const files = [...byPath].map(([rel, list]) => planFile(root, rel, list));
  const changed = files.filter((f) => f.changed);
  if (changed.length && !force)
    throw new RcError(
      `${changed.map((f) => `${f.path} changed since the migration`).join('; ')} (--force to revert anyway; a copy of it is kept)`,
      EXIT.FAILED,
    );
  const said: string[] = [];
  for (const f of changed) {
    // As dispatch-conf archives: what --force overwrites is kept, and the user told where.
    const copy = `${STATE_DIR}/overwritten/${run}/${f.path}`;
    await mkdirUnder(root, path.dirname(copy));
    if (f.current !== null) {
      await writeAtomic(underRoot(root, copy), f.current, { mode: 0o600 });
      said.push(`kept the changed ${f.path} as ${copy}`);
    }
  }
  for (const f of [...files].reverse()) {
    const abs = underRoot(root, f.path);
    await ensureInside(root, path.dirname(abs), f.path);
    const first = f.chain[0];
    if (f.target === null) {
      if (f.current !== null) {
        await fs.rm(abs, { force: true });
        crashPoint();
      }
      for (const d of f.chain.flatMap((e) => e.createdDirs ?? []).sort((a, b) => b.length - a.length))
        await fs.rmdir(underRoot(root, d)).catch(() => undefined);
      said.push(`removed ${f.path}`);
    } else {
      if (f.current !== f.target) {
        await writeAtomic(abs, f.target, { ...first, keepAttributesOf: abs });
        crashPoint();
      } else await keepModeOwner(abs, first);
      said.push(`restored ${f.path}`);
    }
    if (f.superseded.length)
      said.push(
        `dropped ${f.superseded.length} older record(s) of ${f.path}: the file was replaced after them (a package update?)`,
      );
  }
  const gone = new Set(files.flatMap((f) => [...f.chain, ...f.superseded]));
  manifest.entries = manifest.entries.filter((e) => !gone.has(e));
  await writeManifest(root, manifest);
  crashPoint();
  for (const e of gone) if (e.backup) await fs.rm(underRoot(root, e.backup), { force: true });
  info(io, `reverted ${service}: ${said.join(', ')}\n`);
}

/** A file already back to its bytes (a revert killed half-way): mode and owner too. */
async function keepModeOwner(abs: string, e: ManifestEntry): Promise<void> {
  const st = await fs.lstat(abs);
  if ((st.mode & 0o7777) !== e.mode) await fs.chmod(abs, e.mode);
  if (process.getuid?.() === 0 && (st.uid !== e.uid || st.gid !== e.gid)) await fs.lchown(abs, e.uid, e.gid);
}

/**
 * Backups no manifest entry names any more (a revert killed after its manifest write):
 * only files at the paths rc-supervise gives backups, under its own backup/ directory.
 */
async function removeOrphanBackups(root: string, manifest: Manifest): Promise<void> {
  const named = new Set(manifest.entries.flatMap((e) => (e.backup ? [e.backup] : [])));
  const base = underRoot(root, `${STATE_DIR}/backup`);
  const runs = await fs.readdir(base).catch(() => [] as string[]);
  for (const r of runs) {
    if (!/^[0-9A-Za-z-]+$/.test(r)) continue;
    for (const kind of ['init.d', 'conf.d']) {
      const rel = `${STATE_DIR}/backup/${r}/etc/${kind}`;
      const names = await fs.readdir(underRoot(root, rel)).catch(() => [] as string[]);
      for (const n of names)
        if (/^[A-Za-z0-9_][A-Za-z0-9_.@+-]*$/.test(n) && !named.has(`${rel}/${n}`))
          await fs.rm(underRoot(root, `${rel}/${n}`), { force: true });
    }
  }
}

/**
 * --dry-run: the diff from each file as it is now to what revert would put back, planned
 * exactly as revert plans it, without the lock (it writes nothing: a migration running
 * meanwhile may make it stale, as any dry run can be).
 */
async function previewRevert(root: string, args: RevertArgs, io: Out): Promise<ExitCode> {
  let failed = 0;
  const manifest = await readManifest(root);
  const byService = new Map<string, ManifestEntry[]>();
  for (const e of manifest.entries)
    if (args.all || args.services.includes(e.service))
      byService.set(e.service, [...(byService.get(e.service) ?? []), e]);
  for (const name of args.services)
    if (!byService.has(name)) {
      io.err(`${errColors(io).yellow(name)}: nothing to revert (no migration recorded under ${root})\n`);
      failed++;
    }
  for (const [service, entries] of byService) {
    const byPath = new Map<string, ManifestEntry[]>();
    for (const e of entries) byPath.set(e.path, [...(byPath.get(e.path) ?? []), e]);
    let files: FileRevert[];
    try {
      files = [...byPath].map(([rel, list]) => planFile(root, rel, list));
    } catch (e) {
      io.err(`${service}: would not be reverted: ${toRcError(e).message}\n`);
      failed++;
      continue;
    }
    const changed = files.filter((f) => f.changed);
    if (changed.length && !args.force) {
      io.err(
        `${service}: would not be reverted: ${changed.map((f) => `${f.path} changed since the migration`).join('; ')} (--force to revert anyway; a copy of it is kept)\n`,
      );
      failed++;
      continue;
    }
    for (const f of [...files].reverse())
      if (f.current !== f.target) io.out(colorDiff(unifiedDiff(f.path, f.current, f.target), io.c));
    info(
      io,
      `would revert ${service}: ${files.map((f) => (f.target === null ? `remove ${f.path}` : `restore ${f.path}`)).join(', ')}\n`,
    );
  }
  return failed ? EXIT.FAILED : EXIT.OK;
}
