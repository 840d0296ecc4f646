import { promises as fs } from 'node:fs';
import path from 'node:path';
import { EXIT, RcError, type ExitCode } from '../errors.js';
import { readManifest, sha256, withLock, writeManifest, type ManifestEntry } from '../io/apply.js';
import { underRoot, writeAtomic } from '../io/files.js';
import { unifiedDiff } from '../edit/diff.js';
import { colorDiff, errColors, info, type Out } from './output.js';

export interface RevertArgs {
  services: string[];
  root: string;
  all: boolean;
  force: boolean;
  /** Write nothing: print the diff reverting would apply. */
  dryRun?: boolean;
}

async function readOrNull(p: string): Promise<string | null> {
  try {
    return await fs.readFile(p, 'utf8');
  } catch {
    return null;
  }
}

/**
 * Puts back exactly what a migration replaced, from the manifest: original bytes, mode and
 * owner; files the migration created are removed. A file changed since the migration is
 * left alone (and named) unless --force. A full revert also removes rc-supervise's state.
 */
export async function runRevert(args: RevertArgs, io: Out): Promise<ExitCode> {
  const root = path.resolve(args.root);
  if (!args.all && args.services.length === 0) throw new RcError('name at least one service, or use --all', EXIT.USAGE);
  let failed = 0;
  // --dry-run reads without the lock (it writes nothing): a migration running meanwhile may
  // make the diff stale, as any dry run can be.
  const locked = args.dryRun
    ? async (fn: () => Promise<void>) => fn()
    : (fn: () => Promise<void>) => withLock(root, fn);
  await locked(async () => {
    const manifest = await readManifest(root);
    const wanted = (e: ManifestEntry) => args.all || args.services.includes(e.service);
    const byService = new Map<string, ManifestEntry[]>();
    for (const e of manifest.entries) if (wanted(e)) byService.set(e.service, [...(byService.get(e.service) ?? []), e]);
    for (const name of args.services)
      if (!byService.has(name)) {
        io.err(`${errColors(io).yellow(name)}: nothing to revert (no migration recorded under ${root})\n`);
        failed++;
      }
    const done = new Set<ManifestEntry>();
    for (const [service, entries] of byService) {
      // Check every file of the service first: a service is reverted whole or not at all.
      const problems: string[] = [];
      const original = new Set<ManifestEntry>();
      for (const e of entries) {
        const cur = await readOrNull(underRoot(root, e.path));
        const h = cur === null ? null : sha256(cur);
        // A write-ahead entry whose file was never written (crash) is already original.
        if (h === e.hashBefore) original.add(e);
        else if (h !== e.hashAfter) problems.push(`${e.path} changed since the migration`);
        if (e.backup) {
          const b = await readOrNull(underRoot(root, e.backup));
          if (b === null || sha256(b) !== e.hashBefore) problems.push(`backup ${e.backup} is missing or damaged`);
        }
      }
      const fatal = problems.filter((p) => p.startsWith('backup'));
      if (fatal.length || (problems.length && !args.force)) {
        io.err(
          `${service}: ${args.dryRun ? 'would not be reverted' : 'not reverted'}: ${problems.join('; ')}${fatal.length ? '' : ' (--force to revert anyway)'}\n`,
        );
        failed++;
        continue;
      }
      if (args.dryRun) {
        for (const e of [...entries].reverse()) {
          if (original.has(e)) continue;
          const cur = await readOrNull(underRoot(root, e.path));
          const back = e.backup === null ? null : await readOrNull(underRoot(root, e.backup));
          io.out(colorDiff(unifiedDiff(e.path, cur, back), io.c));
        }
        info(
          io,
          `would revert ${service}: ${entries.map((e) => (e.backup ? `restore ${e.path}` : `remove ${e.path}`)).join(', ')}\n`,
        );
        continue;
      }
      for (const e of [...entries].reverse()) {
        const abs = underRoot(root, e.path);
        if (original.has(e)) {
          // nothing to put back
        } else if (e.backup === null) await fs.rm(abs, { force: true });
        else await writeAtomic(abs, (await readOrNull(underRoot(root, e.backup)))!, e);
        if (e.backup) await fs.rm(underRoot(root, e.backup), { force: true });
        done.add(e);
      }
      info(
        io,
        `reverted ${service}: ${entries.map((e) => (e.backup ? `restored ${e.path}` : `removed ${e.path}`)).join(', ')}\n`,
      );
    }
    if (args.dryRun) return;
    manifest.entries = manifest.entries.filter((e) => !done.has(e));
    // An empty manifest makes withLock remove rc-supervise's state (and dirs it created).
    await writeManifest(root, manifest);
  });
  return failed ? EXIT.FAILED : EXIT.OK;
}
