import { promises as fs, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { EXIT, RcError, toRcError, type ExitCode } from '../errors.js';
import { MAX_SCRIPT_BYTES, readScript, readSmallSync, writeAtomic } from '../io/files.js';
import { setInstallLinesMemo } from '../discover/ebuild-repo.js';
import { parseVersion } from '../lint/check.js';
import { discover } from '../lint/discover.js';
import { ALL_META, configFindings, findConfig, fixFile, forgetConfigs, lintFile } from '../lint/lint.js';
import { SEVERITY_RANK, type Finding, type Severity } from '../lint/types.js';
import { grammarPath, initParser } from '../parse/parser.js';
import { Pool, threadsFor } from '../pool/pool.js';
import type { Version } from '../lint/check.js';
import type { LintTarget } from '../lint/discover.js';
import type { LintConfig } from '../lint/lint.js';
import {
  collect,
  display,
  drainLint,
  lintInput,
  readTarget,
  skipQuietly,
  type TargetResult,
} from '../lint/run-targets.js';
import { cacheKey, fingerprint, LintCache } from '../lint/cache.js';
import { checkMarkdown } from '../report/check-docs.js';
import { FORMATTERS, type FormatName } from '../report/index.js';
import { info, type Out } from './output.js';

export interface LintArgs {
  paths: string[];
  format?: FormatName;
  /** Findings below this are not printed (ShellCheck's -S). */
  severity: Severity;
  /** Exit 1 when a printed finding is at least this severe. */
  failOn?: Severity | 'never';
  select?: string[];
  ignore?: string[];
  /** With `-`: the name stdin's script is reported under. */
  stdinFilename?: string;
  fix: boolean;
  unsafe: boolean;
  /** --cache: the cache file (or a directory to hold it); unset: no cache. */
  cache?: string;
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
  pool: Pool | undefined,
  targets: number,
  files: number,
  cached: number | undefined,
): string {
  const ms = (x: number) => `${Math.round(x)} ms`;
  return (
    `rc-supervise: timing: start-up ${ms(t.start)}, discovery ${ms(t.discovered - t.start)} (${targets} init scripts, ${files} files), ` +
    `lint ${ms(t.linted - t.discovered)} on ${pool?.describe() ?? 'main'}` +
    (cached === undefined ? '' : ` (${cached} of ${targets} from the cache)`) +
    ', ' +
    `output ${ms(t.done - t.linted)}, total ${ms(t.done)}\n`
  );
}

const KNOWN_IDS = new Set(ALL_META.map((m) => m.id));

function checkIds(option: string, ids: string[]): void {
  const bad = ids.filter((id) => !KNOWN_IDS.has(id));
  if (bad.length)
    throw new RcError(
      `--${option}: unknown check id${bad.length > 1 ? 's' : ''} ${bad.map((b) => `'${b}'`).join(', ')} (rc-supervise lint --list-rules lists them)`,
      EXIT.USAGE,
    );
}

/** A conf.d's init script beside it (`foo.confd` → `foo.initd`, `conf.d/foo` → `init.d/foo`). */
function initdForConfd(confd: string): string | null {
  const dir = path.dirname(confd);
  const base = path.basename(confd);
  if (path.basename(dir) === 'conf.d') {
    const p = path.join(path.dirname(dir), 'init.d', base);
    return existsSync(p) ? p : null;
  }
  const stem = base.replace(/(\.confd|-confd)$/, '');
  for (const cand of [`${stem}.initd`, `${stem}.init`, `${stem}.rc`, `${stem}-initd`]) {
    const p = path.join(dir, cand);
    if (existsSync(p)) return p;
  }
  return null;
}

/**
 * Command-line paths as discovery takes them: an ebuild stands for its package directory; a
 * conf.d alone for its init script (which discovery pairs with it). Explicit init-script
 * files are looked up in their directory so that their conf.d is paired too.
 */
async function discoverArgs(paths: string[], onFound?: (n: number) => void): Promise<LintTarget[]> {
  const out: LintTarget[] = [];
  const seen = new Set<string>();
  // How many found so far, for onFound (approximate across paths: duplicates count twice).
  const found = onFound && ((n: number) => onFound(out.length + n));
  for (const p of paths) {
    const st = statSync(p);
    let targets: LintTarget[];
    if (st.isDirectory()) targets = await discover([p], found);
    else if (/\.ebuild$/.test(p)) targets = await discover([path.dirname(p)], found);
    else {
      const isConfd = /(\.confd|-confd)$/.test(p) || path.basename(path.dirname(p)) === 'conf.d';
      const initd = isConfd ? initdForConfd(p) : p;
      if (!initd)
        throw new RcError(`${p}: a conf.d file, and no init script found beside it to lint it with`, EXIT.INPUT, p);
      targets = (await discover([initd])).map((t) => ({ ...t, confd: t.confd ?? confdBeside(t.initd) }));
      if (isConfd) targets = targets.map((t) => ({ ...t, confd: path.normalize(p) }));
    }
    for (const t of targets)
      if (!seen.has(t.initd)) {
        seen.add(t.initd);
        out.push(t);
      }
  }
  return out;
}

/** The conf.d of one init script named on the command line (discovery only pairs within a walk). */
function confdBeside(initd: string): string | null {
  const dir = path.dirname(initd);
  const base = path.basename(initd);
  const cands =
    path.basename(dir) === 'init.d'
      ? [path.join(path.dirname(dir), 'conf.d', base)]
      : [
          ...new Set(
            [base.replace(/(\.initd(-r\d+)?|\.init|\.rc|-initd)$/, '')].flatMap((s) => [
              `${s}.confd`,
              `${s.replace(/-r\d+$/, '')}.confd`,
              `${s}-confd`,
            ]),
          ),
        ].map((n) => path.join(dir, n));
  return cands.find((c) => existsSync(c) && statSync(c).isFile()) ?? null;
}

export async function runLint(args: LintArgs, io: Out): Promise<ExitCode> {
  const start = performance.now();
  forgetConfigs();
  checkIds('select', args.select ?? []);
  checkIds('ignore', args.ignore ?? []);
  let target: Version | undefined;
  if (args.openrcVersion !== undefined) {
    target = parseVersion(args.openrcVersion) ?? undefined;
    if (!target) throw new RcError(`--openrc-version ${args.openrcVersion}: expected X.Y or X.Y.Z`, EXIT.USAGE);
  }
  /** The run's own settings over a file's config. */
  const withArgs = (c: LintConfig): LintConfig => ({
    ...c,
    disable: [...(c.disable ?? []), ...(args.ignore ?? [])],
    ...(args.select?.length ? { select: args.select } : {}),
  });
  const findings: Finding[] = [];
  let unreadable = 0;
  const unreadableMessages: string[] = [];
  let fixedTotal = 0;
  let targets: LintTarget[] = [];
  let pool: Pool | undefined;
  let discovered = start;
  /** With --cache: how many targets' findings came from it. */
  let cached: number | undefined;

  if (args.paths.includes('-')) {
    // One script from stdin (an editor's buffer, `git show`): reported as --stdin-filename,
    // whose directory also picks the config.
    if (args.paths.length > 1) throw new RcError('lint: - (stdin) cannot be mixed with other paths', EXIT.USAGE);
    const name = args.stdinFilename ?? '<stdin>';
    const [text, config] = await Promise.all([
      io.readStdin ? io.readStdin() : Promise.resolve(''),
      findConfig(args.stdinFilename ? path.dirname(path.resolve(args.stdinFilename)) : '.'),
      initParser(),
    ]);
    if (text.includes('\0')) throw new RcError(`${name}: binary file (NUL byte) on stdin`, EXIT.INPUT);
    discovered = performance.now();
    findings.push(...configFindings(config));
    findings.push(...lintFile({ initdPath: name, initdText: text }, { target, config: withArgs(config) }));
    targets = [{ initd: name, confd: null, inInitdTree: false }];
  } else {
    // This thread compiles the grammar in the background while the paths are walked; workers
    // (pool/pool.ts) start as soon as discovery has found enough scripts for them, so that
    // they boot while it goes on (never for lint --fix, which works in this thread).
    // With --cache neither is started before the cache has said how many scripts are left.
    const onFound = (n: number) => {
      if (!pool && !args.fix && args.cache === undefined && threadsFor(n) > 1) pool = new Pool(threadsFor(n), 'lint');
    };
    const parserReady = args.cache === undefined ? initParser() : undefined;
    parserReady?.catch(() => {}); // awaited (and any error reported) where it is used
    // Opened before discovery, which keeps the ebuilds' install lines in it too.
    const fp = args.cache === undefined ? undefined : fingerprint(grammarPath());
    const cache = fp === undefined ? undefined : LintCache.open(args.cache!, fp);
    if (cache?.note) io.err(`rc-supervise: ${cache.note}\n`);
    const paths = args.paths.length ? args.paths : ['.'];
    let configs: LintConfig[];
    let configOf: number[];
    try {
      for (const p of paths) {
        try {
          await fs.stat(p);
        } catch {
          throw new RcError(`${p}: no such file or directory`, EXIT.INPUT, p);
        }
      }
      setInstallLinesMemo(cache?.installMemo());
      try {
        targets = await discoverArgs(paths, onFound);
      } finally {
        setInstallLinesMemo(undefined);
      }
      // Each file's nearest .rc-supervise.json (one lookup per directory, cached).
      const byConfig = new Map<LintConfig, number>();
      configs = [];
      configOf = [];
      for (const t of targets) {
        const c = await findConfig(path.dirname(t.initd));
        let k = byConfig.get(c);
        if (k === undefined) {
          k = configs.length;
          byConfig.set(c, k);
          configs.push(c);
        }
        configOf.push(k);
      }
      // A config that lies outside every linted file still gets its unknown ids reported
      // when it is the one for the first path (the repository's own).
      if (!targets.length) configs.push(await findConfig(paths[0]));
    } catch (e) {
      pool?.close();
      throw e;
    }
    discovered = performance.now();
    for (const c of configs) findings.push(...configFindings(c));
    const effective = configs.map(withArgs);
    if (args.fix) {
      // Loaded here: the lock's manifest code brings ajv, which a plain lint does not need.
      const [{ withLock }] = await Promise.all([import('../io/apply.js'), initParser()]);
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
        for (const [k, t] of targets.entries()) {
          let initd;
          let confd = null;
          try {
            initd = await readScript('/', t.initd, display(t.initd));
            if (t.confd) confd = await readScript('/', t.confd, display(t.confd));
          } catch (e) {
            if (skipQuietly(t, initd === undefined, e)) continue;
            unreadable++;
            unreadableMessages.push((e as Error).message);
            io.err(`rc-supervise: ${(e as Error).message}\n`);
            continue;
          }
          const input = lintInput(t, initd, confd);
          const r = fixFile(input, { target, config: effective[configOf[k]], unsafe: args.unsafe });
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
              unreadableMessages.push(toRcError(e).message);
              io.err(`rc-supervise: ${toRcError(e).message}\n`);
            }
          }
          if (wrote) fixedTotal += r.fixed;
          findings.push(...r.findings);
        }
      });
    } else {
      const results = new Array<TargetResult | undefined>(targets.length);
      // The targets left to lint (by index): all of them, or those the cache has no entry for.
      let todo = targets.map((_, k) => k);
      if (cache && fp !== undefined) {
        todo = [];
        cached = 0;
        for (const [k, t] of targets.entries()) {
          const input = readTarget(t);
          if (input === null || 'unreadable' in input) {
            results[k] = input;
            continue;
          }
          const kept = cache.get(cacheKey(fp, input, target, effective[configOf[k]]));
          if (kept) {
            results[k] = { findings: kept };
            cached++;
          }
          // The first script to lint: the grammar loads (in background threads) while the rest are looked up.
          else if (todo.push(k) === 1) initParser().catch(() => {});
        }
      }
      if (todo.length) {
        pool ??= new Pool(threadsFor(todo.length), 'lint');
        const got = await pool.run(
          {
            kind: 'lint',
            targets: todo.map((k) => targets[k]),
            target,
            configs: effective,
            configOf: todo.map((k) => configOf[k]),
            ...(fp === undefined ? {} : { fingerprint: fp }),
          },
          todo.length,
          drainLint,
          parserReady ?? initParser(),
        );
        for (const [i, r] of got.entries()) {
          results[todo[i]] = r;
          if (cache && r && 'findings' in r && r.key) cache.put(r.key, r.findings);
        }
      } else pool?.close();
      const why = cache?.save();
      if (why) io.err(`rc-supervise: ${why}\n`);
      const r = collect(results);
      for (const m of r.unreadable) io.err(`rc-supervise: ${m}\n`);
      unreadable = r.unreadable.length;
      unreadableMessages.push(...r.unreadable);
      // Not push(...): a spread of a whole repository's findings can exceed V8's argument limit.
      for (const f of r.findings) findings.push(f);
    }
    if (targets.length === 0) info(io, `rc-supervise: no init scripts found under ${paths.join(', ')}\n`);
  }

  const linted = performance.now();
  const shown = findings.filter((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[args.severity]);
  const format: FormatName = args.format ?? (io.isTTY ? 'stylish' : 'gcc');
  io.out(
    FORMATTERS[format](shown, {
      checks: ALL_META,
      version: args.version,
      color: args.color,
      filesLinted: targets.length,
      unreadable: unreadableMessages,
    }),
  );
  if (process.env.RC_SUPERVISE_TIMING) {
    const files = targets.length + targets.filter((t) => t.confd).length;
    io.err(timingLine({ start, discovered, linted, done: performance.now() }, pool, targets.length, files, cached));
  }
  if (args.fix && fixedTotal) info(io, `fixed ${fixedTotal} problem${fixedTotal === 1 ? '' : 's'}\n`);
  if (unreadable) return EXIT.INPUT;
  const failOn = args.failOn ?? 'warning';
  if (failOn === 'never') return EXIT.OK;
  // What is not printed never fails the run: a red CI must show why.
  const threshold = Math.max(SEVERITY_RANK[failOn], SEVERITY_RANK[args.severity]);
  return shown.some((f) => SEVERITY_RANK[f.severity] >= threshold) ? EXIT.FAILED : EXIT.OK;
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

/** `lint --explain ID`: the check's documentation page, as docs/checks/ID.md has it. */
export function explainCheck(id: string, io: Out): ExitCode {
  const m = ALL_META.find((x) => x.id === id);
  if (!m) throw new RcError(`--explain ${id}: no such check (rc-supervise lint --list-rules lists them)`, EXIT.USAGE);
  io.out(checkMarkdown(m));
  return EXIT.OK;
}
