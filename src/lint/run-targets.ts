import path from 'node:path';
import { readScriptSync, type ReadResult } from '../io/files.js';
import type { Version } from './check.js';
import type { LintTarget } from './discover.js';
import { lintFile, lintParsed, parseInput, startShellVerdicts, type LintConfig } from './lint.js';
import { take, type WorkOrder } from '../pool/pool.js';
import { cacheKey } from './cache.js';
import type { Finding } from './types.js';

export const display = (p: string): string => {
  const r = path.relative(process.cwd(), p);
  return r && !r.startsWith('..') ? r : p;
};

export interface TargetsResult {
  findings: Finding[];
  /** Messages for files that could not be read. */
  unreadable: string[];
}

/**
 * What linting one target gave: its findings (with lint --cache, under which key to keep them),
 * or why it could not be read (null: skipped).
 */
export type TargetResult = { findings: Finding[]; key?: string } | { unreadable: string } | null;

/** A binary file that only has an init script's name (found without reading it) is skipped. */
export function skipQuietly(t: LintTarget, initdFailed: boolean, e: unknown): boolean {
  return !!t.byName && initdFailed && /binary file \(NUL byte/.test((e as Error).message);
}

/** What lint reads of one target: display paths, texts, mode (in an etc/init.d tree), name. */
export function lintInput(t: LintTarget, initd: ReadResult, confd: ReadResult | null) {
  return {
    initdPath: display(t.initd),
    initdText: initd.text,
    confdPath: t.confd ? display(t.confd) : null,
    confdText: confd?.text ?? null,
    mode: t.inInitdTree ? initd.mode : undefined,
    name: t.name,
  };
}

/** What lint reads of one target, or what to report instead (null: skipped quietly). */
export function readTarget(t: LintTarget): ReturnType<typeof lintInput> | { unreadable: string } | null {
  let initd;
  let confd = null;
  try {
    initd = readScriptSync('/', t.initd, display(t.initd));
    if (t.confd) confd = readScriptSync('/', t.confd, display(t.confd));
  } catch (e) {
    // A binary file that merely has an init script's name is not ours to report.
    if (skipQuietly(t, initd === undefined, e)) return null;
    return { unreadable: (e as Error).message };
  }
  return lintInput(t, initd, confd);
}

/** Reads and lints one target (no fixing). */
export function lintTarget(t: LintTarget, target: Version | undefined, config: LintConfig): TargetResult {
  const input = readTarget(t);
  return input === null || 'unreadable' in input ? input : { findings: lintFile(input, { target, config }) };
}

/** Results in target order, folded into one list of findings and one of read errors. */
export function collect(results: Iterable<TargetResult | undefined>): TargetsResult {
  const findings: Finding[] = [];
  const unreadable: string[] = [];
  for (const r of results) {
    if (!r) continue;
    if ('unreadable' in r) unreadable.push(r.unreadable);
    else for (const f of r.findings) findings.push(f);
  }
  return { findings, unreadable };
}

/**
 * Lints targets taken from the shared queue until it is empty (pool/pool.ts). A script the
 * grammar cannot parse is parsed, its shells' verdicts are started in the background, and it
 * is linted once the queue is empty and they are in: the shells run while this thread lints
 * the others, instead of each blocking it in turn. Results are by target index, so the order
 * in which they are made does not matter.
 */
export async function drainLint(
  order: Extract<WorkOrder, { kind: 'lint' }>,
  queue: Int32Array,
): Promise<[number, TargetResult][]> {
  const { targets, target, configs, configOf, fingerprint } = order;
  const out: [number, TargetResult][] = [];
  const later: { k: number; finish: () => TargetResult }[] = [];
  const verdicts: Promise<void>[] = [];
  for (const k of take(queue, targets.length)) {
    const config = configs[configOf[k]];
    const input = readTarget(targets[k]);
    if (input === null || 'unreadable' in input) {
      out.push([k, input]);
      continue;
    }
    const parsed = parseInput(input);
    const asked = startShellVerdicts(parsed, config);
    // The key of what was read here: a file changed since the main thread looked is kept as it is now.
    const key = fingerprint === undefined ? undefined : cacheKey(fingerprint, input, target, config);
    const finish = () => ({ findings: lintParsed(input, parsed, { target, config }), ...(key ? { key } : {}) });
    if (asked) {
      verdicts.push(asked);
      later.push({ k, finish });
    } else out.push([k, finish()]);
  }
  await Promise.all(verdicts);
  for (const { k, finish } of later) out.push([k, finish()]);
  return out;
}
