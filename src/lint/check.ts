import type { Service } from '../model/service.js';
import type { ShellFile } from '../parse/shellfile.js';
import type { ServiceRule } from '../rules/types.js';
import type { CheckMeta, Fix, Severity } from './types.js';

/** OpenRC version as [major, minor, patch]. */
export type Version = [number, number, number];

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

/** Error when the service runs under supervise-daemon now; a warning when conf.d may pick it. */
export function supervisedSeverity(ctx: LintContext): Severity {
  return ctx.service.supervised ? 'error' : 'warning';
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

export function atLeast(v: Version, min: Version): boolean {
  for (let i = 0; i < 3; i++) if (v[i] !== min[i]) return v[i] > min[i];
  return true;
}

export function parseVersion(s: string): Version | null {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?$/.exec(s.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : null;
}
