import path from 'node:path';
import { readScriptSync, type ReadResult } from '../io/files.js';
import type { Version } from './check.js';
import type { LintTarget } from './discover.js';
import { lintFile, type LintConfig } from './lint.js';
import { take, type WorkOrder } from '../pool/pool.js';
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

/** What linting one target gave: its findings, or why it could not be read (null: skipped). */
export type TargetResult = { findings: Finding[] } | { unreadable: string } | null;

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

/** Reads and lints one target (no fixing). */
export function lintTarget(t: LintTarget, target: Version | undefined, config: LintConfig): TargetResult {
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
  return {
    findings: lintFile(lintInput(t, initd, confd), { target, config }),
  };
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

/** Lints targets taken from the shared queue until it is empty (pool/pool.ts). */
export function drainLint(order: Extract<WorkOrder, { kind: 'lint' }>, queue: Int32Array): [number, TargetResult][] {
  const { targets, target, configs, configOf } = order;
  const out: [number, TargetResult][] = [];
  for (const k of take(queue, targets.length)) out.push([k, lintTarget(targets[k], target, configs[configOf[k]])]);
  return out;
}
