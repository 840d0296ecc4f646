import { promises as fs } from 'node:fs';
import { EXIT, RcError, type ExitCode } from '../errors.js';
import { readScript, writeAtomic } from '../io/files.js';
import { parseVersion } from '../lint/check.js';
import { discover } from '../lint/discover.js';
import { ALL_META, configFindings, DEFAULT_OPENRC_VERSION, findConfig, fixFile } from '../lint/lint.js';
import { SEVERITY_RANK, type Finding, type Severity } from '../lint/types.js';
import { initParser } from '../parse/parser.js';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Version } from '../lint/check.js';
import type { LintTarget } from '../lint/discover.js';
import type { LintConfig } from '../lint/lint.js';
import { display, lintTargets, skipQuietly, type TargetsResult } from '../lint/run-targets.js';
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

/** Worker threads pay off from about this many files on (two cores, `npm run bench`). */
export const PARALLEL_FROM = 1500;

/**
 * Lints in worker threads when the run is large and there is more than one core (each
 * worker parses its share; the grammar is compiled once per worker), else in this thread.
 * RC_SUPERVISE_JOBS=N overrides the number of workers (1: none).
 */
async function lintParallel(
  targets: LintTarget[],
  target: Version,
  config: LintConfig,
  files: number,
): Promise<TargetsResult> {
  const jobs = Number(process.env.RC_SUPERVISE_JOBS ?? (files >= PARALLEL_FROM ? os.availableParallelism() : 1));
  const workerUrl = new URL('../lint/worker.js', import.meta.url);
  // Under ts-jest the sources are .ts: workers need the compiled file.
  if (jobs <= 1 || !existsSync(workerUrl)) {
    await initParser({ files });
    return lintTargets(targets, target, config);
  }
  const shares: LintTarget[][] = Array.from({ length: jobs }, () => []);
  targets.forEach((t, i) => shares[Math.floor((i * jobs) / targets.length)].push(t));
  const results = await Promise.all(
    shares.map(
      (share) =>
        new Promise<TargetsResult>((resolve, reject) => {
          const w = new Worker(workerUrl, { workerData: { targets: share, target, config, files: files / jobs } });
          w.once('message', (m: TargetsResult) => {
            resolve(m);
            void w.terminate();
          });
          w.once('error', reject);
        }),
    ),
  );
  return { findings: results.flatMap((r) => r.findings), unreadable: results.flatMap((r) => r.unreadable) };
}

export async function runLint(args: LintArgs, io: Out): Promise<ExitCode> {
  const paths = args.paths.length ? args.paths : ['.'];
  for (const p of paths) {
    try {
      await fs.stat(p);
    } catch {
      throw new RcError(`${p}: no such file or directory`, EXIT.INPUT, p);
    }
  }
  const config = findConfig(paths[0]);
  const versionText = args.openrcVersion ?? config.openrcVersion ?? DEFAULT_OPENRC_VERSION;
  const target = parseVersion(versionText);
  if (!target) throw new RcError(`--openrc-version ${versionText}: expected X.Y or X.Y.Z`, EXIT.USAGE);

  const targets = await discover(paths);
  const files = targets.length + targets.filter((t) => t.confd).length;
  const findings: Finding[] = [...configFindings(config)];
  let unreadable = 0;
  let fixedTotal = 0;
  if (args.fix) {
    await initParser({ files });
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
      for (const [file, text] of r.texts) {
        const src = file === input.initdPath ? initd : confd;
        if (src && text !== src.text) await writeAtomic(src.realPath, text, src);
      }
      fixedTotal += r.fixed;
      findings.push(...r.findings);
    }
  } else {
    const r = await lintParallel(targets, target, config, files);
    for (const m of r.unreadable) io.err(`rc-supervise: ${m}\n`);
    unreadable = r.unreadable.length;
    findings.push(...r.findings);
  }

  const format: FormatName = args.format ?? (io.isTTY ? 'stylish' : 'gcc');
  io.out(
    FORMATTERS[format](findings, {
      checks: ALL_META,
      version: args.version,
      color: args.color,
      filesLinted: targets.length,
    }),
  );
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
