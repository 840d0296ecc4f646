/**
 * Unknown is not empty: the static model expands a variable nobody assigns as "", but at run
 * time it may come from a conf.d we were not given, the environment, or rc.conf. Checks and
 * fixes that depend on such a value ask here first.
 */
import type { LintContext } from './check.js';

/** Variables OpenRC itself sets before the script runs. */
const OPENRC_SETS = new Set(['RC_SVCNAME', 'SVCNAME', 'RC_PREFIX', 'RC_SERVICE', 'RC_RUNLEVEL', 'RC_LIBEXECDIR']);

export interface Origins {
  /** Set at top level of the init script only. */
  initd: string[];
  /** Set in conf.d (its value is the admin's: never copy it into init.d). */
  confd: string[];
  /** Assigned nowhere we can see, positional, or a computation (`$(...)`, backticks). */
  unknown: string[];
}

/** Where the variables referenced by `text` (a value as written) come from. */
export function origins(ctx: LintContext, text: string): Origins {
  const out: Origins = { initd: [], confd: [], unknown: [] };
  if (/\$\(|`/.test(text)) out.unknown.push('$(...)');
  for (const m of text.matchAll(/\$(?:\{[#!]?([A-Za-z_]\w*)|([A-Za-z_]\w*)|([0-9@*#?$!-]))/g)) {
    const name = m[1] ?? m[2];
    if (!name) {
      out.unknown.push(`$${m[3]}`);
      continue;
    }
    if (OPENRC_SETS.has(name)) continue;
    if (ctx.confd?.topLevel(name).length) out.confd.push(name);
    else if (ctx.initd.topLevel(name).length) out.initd.push(name);
    else out.unknown.push(name);
  }
  return out;
}

/** True when `text` depends on nothing but literals and the init script's own top-level variables. */
export function initdOnly(ctx: LintContext, text: string): boolean {
  const o = origins(ctx, text);
  return o.confd.length === 0 && o.unknown.length === 0;
}

/** A value that an option parser would take for an option: never write one as a variable's value. */
export function looksLikeOption(v: string): boolean {
  return /^-/.test(v.trim());
}
