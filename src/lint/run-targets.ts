import path from 'node:path';
import { readScriptSync } from '../io/files.js';
import type { Version } from './check.js';
import type { LintTarget } from './discover.js';
import { lintFile, type LintConfig } from './lint.js';
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

/** A binary file that only has an init script's name (found without reading it) is skipped. */
export function skipQuietly(t: LintTarget, initdFailed: boolean, e: unknown): boolean {
  return !!t.byName && initdFailed && /binary file \(NUL byte/.test((e as Error).message);
}

/** Reads and lints targets (no fixing): what the main thread or one worker does. */
export function lintTargets(targets: LintTarget[], target: Version, config: LintConfig): TargetsResult {
  const findings: Finding[] = [];
  const unreadable: string[] = [];
  for (const t of targets) {
    let initd;
    let confd = null;
    try {
      initd = readScriptSync('/', t.initd, display(t.initd));
      if (t.confd) confd = readScriptSync('/', t.confd, display(t.confd));
    } catch (e) {
      // A binary file that merely has an init script's name is not ours to report.
      if (skipQuietly(t, initd === undefined, e)) continue;
      unreadable.push((e as Error).message);
      continue;
    }
    findings.push(
      ...lintFile(
        {
          initdPath: display(t.initd),
          initdText: initd.text,
          confdPath: t.confd ? display(t.confd) : null,
          confdText: confd?.text ?? null,
          mode: t.inInitdTree ? initd.mode : undefined,
        },
        { target, config },
      ),
    );
  }
  return { findings, unreadable };
}
