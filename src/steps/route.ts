import type { Draft, Refusal, StepContext } from './types.js';
import { referencedVars } from './emit.js';
import { isDualMode } from './signals.js';
import { ShellFile } from '../parse/shellfile.js';
import { templateWords } from '../parse/syntax-check.js';

/** Template words an ebuild fills in (`@neededservices@`): the file is not the installed script yet. */
const TEMPLATE_WORD = /@[A-Za-z_][A-Za-z0-9_]*@/;

export function templateWord(text: string): string | null {
  for (const line of text.split('\n')) {
    if (/^\s*#/.test(line)) continue;
    const m = TEMPLATE_WORD.exec(line);
    if (m) return m[0];
  }
  return null;
}

/** A script whose template words are all inside depend(), each replaced by a plain word. */
export interface DependTemplates {
  /** The template words, once each (`@neededservices@`). */
  words: string[];
  /** The script with each replaced by its stand-in (the shell grammar misreads `@name@`). */
  text: string;
  /** Stand-in → template word. */
  standIns: Map<string, string>;
}

/**
 * cupsd's `@neededservices@`, which the ebuild replaces by `need avahi-daemon dbus` (or nothing)
 * inside depend(): OpenRC runs depend() only to build its dependency tree, and no step reads
 * or edits it, so the migration is the same whatever the ebuild fills in there. The script
 * with plain stand-ins for them when every one is inside depend()'s body (read with the
 * stand-ins: the grammar misreads a bare `@name@` and can swallow the functions after it),
 * and the rest reads without a syntax error; null otherwise.
 */
export function dependOnlyTemplates(path: string, text: string): DependTemplates | null {
  const found = templateWords(text);
  if (!found.length) return null;
  const standIns = new Map<string, string>();
  let out = '';
  let at = 0;
  for (const w of found) {
    // Of the same length, so that offsets (the plan's edits) hold for the file as read too.
    const standIn = `x${w.text.slice(1, -1)}x`;
    if (text.includes(standIn)) return null;
    standIns.set(standIn, w.text);
    out += text.slice(at, w.start) + standIn;
    at = w.end;
  }
  out += text.slice(at);
  const file = new ShellFile(path, out);
  if (file.errors.length) return null;
  const depend = file.functions.filter((f) => f.name === 'depend');
  const inside = (start: number) => depend.some((f) => start >= f.body.start && start < f.body.end);
  for (const [standIn] of standIns)
    for (let i = out.indexOf(standIn); i >= 0; i = out.indexOf(standIn, i + 1)) if (!inside(i)) return null;
  return { words: [...new Set(found.map((w) => w.text))], text: out, standIns };
}

/**
 * Step (first): services no supervisor should take (a rule's refusal, netifrc interfaces,
 * templates) and services already supervised. Returns 'already' to stop planning quietly.
 */
export function routePrecheck(ctx: StepContext): Refusal | 'already' | void {
  const { service: s, rule } = ctx;
  // A version-dependent rule whose version is unknown (or too old) refuses, unless the script
  // already passes the version's no-fork words itself (then it was written for such a
  // version, and the script is the evidence). Other script evidence is not enough: without
  // its words the daemon may still not serve (vde_switch exits at end of stdin without
  // --nostdin).
  // --foreground-args is the user's own word on how the daemon stays in the foreground (after
  // changing its configuration, as several refusals suggest): it wins, with the refusal kept
  // as a warning (foreground step).
  // A service already supervised (by hand, or by an earlier run with --foreground-args) is
  // not refused again: there is nothing to do.
  if (
    rule?.refuse &&
    ctx.options.foregroundArgs === undefined &&
    !(s.supervised && !ctx.options.residual) &&
    !(rule.foregroundSince && scriptPassesWords(ctx, rule.versionedForeground ?? ''))
  )
    return { kind: 'refuse', code: 'rule', ...rule.refuse };
  if (
    s.name.startsWith('net.') ||
    ctx.initdIsLink?.endsWith('net.lo') ||
    /\/lib\/netifrc|\bnetifrc\b/.test(s.initd.text)
  )
    return {
      kind: 'refuse',
      code: 'netifrc',
      reason: 'netifrc interface: netifrc starts dhcpcd, wpa_supplicant and friends with start-stop-daemon itself',
      suggestion:
        'leave net.* services as they are; to supervise a DHCP client, run it as its own service (e.g. dhcpcd)',
    };
  if (s.supervised && !ctx.options.residual) return 'already';
}

/**
 * Step (last): the least invasive place. conf.d survives package updates, so it takes the
 * whole migration when the init script lets conf.d choose the supervisor and nothing in
 * init.d itself must change; otherwise init.d, and the reason says why.
 */
export function chooseRoute(ctx: StepContext, d: Draft): { route: 'conf.d' | 'init.d'; why: string; dual: boolean } {
  const s = ctx.service;
  const reasons = [...d.initdReasons];
  // chronograf: output_log="${CHRONOGRAF_LOG}" reads a variable the init script sets (with a
  // default) after conf.d has been read; at the end of conf.d it would still be empty there.
  // Conservative: an escaped \${V} (read at start) or a V only a function sets counts too.
  const late = [...new Set([...d.lines, ...(d.foreground ? [d.foreground] : [])].flatMap(referencedVars))].filter(
    (v) => !/^(RC_\w+|SVCNAME)$/.test(v) && s.initd.assignments.some((a) => a.name === v),
  );
  if (late.length)
    reasons.push(
      `the lines read ${late.map((v) => `\${${v}}`).join(', ')}, which the init script sets after conf.d is read`,
    );
  if (!s.supervisor.confdCanDecide) reasons.unshift('init.d sets supervisor itself, so conf.d cannot decide');
  const dual = isDualMode(s) && s.supervisor.confdCanDecide;
  if (reasons.length === 0)
    return {
      route: 'conf.d',
      why: dual
        ? 'the init script already switches on $supervisor: conf.d chooses it (survives package updates)'
        : 'the init script lets conf.d choose the supervisor (survives package updates)',
      dual,
    };
  return { route: 'init.d', why: reasons[0], dual };
}

/** The script's own static command_args already hold every one of these words. */
function scriptPassesWords(ctx: StepContext, words: string): boolean {
  const want = words.split(/\s+/).filter(Boolean);
  const given = ctx.service.words('command_args') ?? [];
  return want.length > 0 && want.every((w) => given.includes(w));
}
