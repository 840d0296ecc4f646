import { promises as fs } from 'node:fs';
import { EXIT, RcError, type ExitCode } from '../errors.js';
import path from 'node:path';
import { withLock } from '../io/apply.js';
import { MAX_SCRIPT_BYTES, readScript, readSmallSync, writeAtomic } from '../io/files.js';
import { toRcError } from '../migrate/batch.js';
import { parseVersion } from '../lint/check.js';
import { discover } from '../lint/discover.js';
import { ALL_META, configFindings, DEFAULT_OPENRC_VERSION, findConfig, fixFile } from '../lint/lint.js';
import { SEVERITY_RANK, type Finding, type Severity } from '../lint/types.js';
import { initParser } from '../parse/parser.js';
import { poolThreads, takePool, type Pool } from '../pool/pool.js';
import type { Version } from '../lint/check.js';
import type { LintTarget } from '../lint/discover.js';
import type { LintConfig } from '../lint/lint.js';
import { collect, display, drainLint, skipQuietly } from '../lint/run-targets.js';
import { FORMATTERS, type FormatName } from '../report/index.js';
import type { Out } from './output.js';

export interface LintArgs {
  paths: string[];
  format?: FormatName;
  severity: Severity;
  fix: boolean;
  unsafe: boolean;
  openrcVersion?: string;
  version: string;
  color: 0 | 1;
}

/**
 * RC_SUPERVISE_TIMING=1: where a lint run's time went, on stderr (milliseconds since the
 * process started, per phase, and how the targets were shared between threads).
 */
function timingLine(
  t: { start: number; discovered: number; linted: number; done: number },
  pool: Pool,
  targets: number,
  files: number,
): string {
  const ms = (x: number) => `${Math.round(x)} ms`;
  return (
    `rc-supervise: timing: start-up ${ms(t.start)}, discovery ${ms(t.discovered - t.start)} (${targets} init scripts, ${files} files), ` +
    `lint ${ms(t.linted - t.discovered)} on ${pool.describe()}, ` +
    `output ${ms(t.done - t.linted)}, total ${ms(t.done)}\n`
  );
}

export async function runLint(args: LintArgs, io: Out): Promise<ExitCode> {
  const start = performance.now();
  // Workers boot (see pool/pool.ts), and this thread compiles the grammar in the background,
  // while the arguments are checked and the paths walked.
  const pool = takePool(args.fix ? 1 : poolThreads());
  const parserReady = initParser();
  parserReady.catch(() => {}); // awaited (and any error reported) where it is used
  let config: LintConfig;
  let target: Version;
  let targets: LintTarget[];
  const paths = args.paths.length ? args.paths : ['.'];
  try {
    for (const p of paths) {
      try {
        await fs.stat(p);
      } catch {
        throw new RcError(`${p}: no such file or directory`, EXIT.INPUT, p);
      }
    }
    config = findConfig(paths[0]);
    const versionText = args.openrcVersion ?? config.openrcVersion ?? DEFAULT_OPENRC_VERSION;
    const v = parseVersion(versionText);
    if (!v) throw new RcError(`--openrc-version ${versionText}: expected X.Y or X.Y.Z`, EXIT.USAGE);
    target = v;
    targets = await discover(paths);
  } catch (e) {
    pool.close();
    throw e;
  }
  const discovered = performance.now();
  const findings: Finding[] = [...configFindings(config)];
  let unreadable = 0;
  let fixedTotal = 0;
  if (args.fix) {
    pool.close();
    await initParser();
    // Scripts in a system tree (ROOT/etc/init.d) are written under that root's lock, as
    // migrate writes them: lint --fix beside migrate --all must not overwrite its work.
    const roots = [
      ...new Set(
        targets.flatMap((t) => {
          const dir = path.dirname(path.resolve(t.initd));
          return t.inInitdTree && path.basename(path.dirname(dir)) === 'etc' ? [path.dirname(path.dirname(dir))] : [];
        }),
      ),
    ].sort();
    const locked = (i: number, fn: () => Promise<void>): Promise<void> =>
      i === roots.length ? fn() : withLock(roots[i], () => locked(i + 1, fn));
    await locked(0, async () => {
      for (const t of targets) {
        let initd;
        let confd = null;
        try {
          initd = await readScript('/', t.initd, display(t.initd));
          if (t.confd) confd = await readScript('/', t.confd, display(t.confd));
        } catch (e) {
          if (skipQuietly(t, initd === undefined, e)) continue;
          unreadable++;
          io.err(`rc-supervise: ${(e as Error).message}\n`);
          continue;
        }
        const input = {
          initdPath: display(t.initd),
          initdText: initd.text,
          confdPath: t.confd ? display(t.confd) : null,
          confdText: confd?.text ?? null,
          mode: t.inInitdTree ? initd.mode : undefined,
        };
        const r = fixFile(input, { target, config, unsafe: args.unsafe });
        let wrote = true;
        for (const [file, text] of r.texts) {
          const src = file === input.initdPath ? initd : confd;
          if (!src || text === src.text) continue;
          try {
            // Compare before write: a file changed since it was read is not overwritten.
            const now = readSmallSync(null, src.realPath, file, MAX_SCRIPT_BYTES);
            if (now !== src.text)
              throw new RcError(`${file}: changed on disk since it was read; not overwritten`, EXIT.FAILED, file);
            await writeAtomic(src.realPath, text, { ...src, keepAttributesOf: src.realPath });
          } catch (e) {
            // One file that cannot be written does not stop the others (nor the report).
            wrote = false;
            unreadable++;
            io.err(`rc-supervise: ${toRcError(e).message}\n`);
          }
        }
        if (wrote) fixedTotal += r.fixed;
        findings.push(...r.findings);
      }
    });
  } else {
    const r = collect(
      await pool.run({ kind: 'lint', targets, target, config }, targets.length, drainLint, parserReady),
    );
    for (const m of r.unreadable) io.err(`rc-supervise: ${m}\n`);
    unreadable = r.unreadable.length;
    // Not push(...): a spread of a whole repository's findings can exceed V8's argument limit.
    for (const f of r.findings) findings.push(f);
  }

  const linted = performance.now();
  const format: FormatName = args.format ?? (io.isTTY ? 'stylish' : 'gcc');
  io.out(
    FORMATTERS[format](findings, {
      checks: ALL_META,
      version: args.version,
      color: args.color,
      filesLinted: targets.length,
    }),
  );
  if (process.env.RC_SUPERVISE_TIMING) {
    const files = targets.length + targets.filter((t) => t.confd).length;
    io.err(timingLine({ start, discovered, linted, done: performance.now() }, pool, targets.length, files));
  }
  if (args.fix && fixedTotal) io.err(`fixed ${fixedTotal} problem${fixedTotal === 1 ? '' : 's'}\n`);
  if (targets.length === 0) io.err(`rc-supervise: no init scripts found under ${paths.join(', ')}\n`);
  if (unreadable) return EXIT.INPUT;
  const threshold = SEVERITY_RANK[args.severity];
  return findings.some((f) => SEVERITY_RANK[f.severity] >= threshold) ? EXIT.FAILED : EXIT.OK;
}

/** `lint --list-rules`: every check id, its default severity and fix safety, one line each. */
export function listChecks(io: Out): ExitCode {
  const w = Math.max(...ALL_META.map((m) => m.id.length));
  for (const m of ALL_META)
    io.out(
      `${m.id.padEnd(w)}  ${m.defaultSeverity.padEnd(7)}  ${(m.fixable === 'none' ? '' : `fix:${m.fixable}`).padEnd(11)}  ${m.summary}\n`,
    );
  return EXIT.OK;
}
