import type { Service } from '../model/service.js';
import type { ShellFile } from '../parse/shellfile.js';
import type { ServiceRule } from '../rules/types.js';
import type { CheckMeta, Fix, Severity } from './types.js';

import type { Version } from '../model/version.js';

export { atLeast, parseVersion, type Version } from '../model/version.js';

export interface LintContext {
  /** Display paths of the files (edits in fixes use these as `file`). */
  initdPath: string;
  confdPath: string | null;
  initd: ShellFile;
  confd: ShellFile | null;
  service: Service;
  rule?: ServiceRule;
  /** File mode, when the file lives in an `etc/init.d` tree (mode matters there). */
  mode?: number;
  /** The OpenRC version the scripts must work with. */
  target: Version;
}

export interface RawFinding {
  /** Which file the offsets are in (default init.d). */
  in?: 'initd' | 'confd';
  start: number;
  end?: number;
  message: string;
  /** Overrides the check's default severity (e.g. error when supervised, warning otherwise). */
  severity?: Severity;
  fix?: Fix;
}

export interface Check {
  meta: CheckMeta;
  run(ctx: LintContext): RawFinding[];
}

/**
 * Severity from certainty: `supervised` when the script runs under supervise-daemon now;
 * info (advice) when conf.d could merely choose it.
 */
export function latentSeverity(ctx: LintContext, supervised: Severity): Severity {
  return ctx.service.supervised ? supervised : 'info';
}

/** Checks about life under supervise-daemon only matter where it can be chosen. */
export function supervisorPossible(ctx: LintContext): boolean {
  return ctx.service.supervised || ctx.service.supervisor.confdCanDecide;
}
