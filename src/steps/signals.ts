import type { Edit } from '../edit/edits.js';
import { signalRewriteEdit } from '../edit/signal-rewrite.js';
import type { Service, SignalCall } from '../model/service.js';
import type { Draft, StepContext } from './types.js';

/** `[ "$supervisor" = ... ]`, `case "${supervisor}" in`: the script picks its own code per backend. */
const SUPERVISOR_SWITCH = /(\[\[?|\btest)\s+[^\]\n]*\$\{?supervisor\b|\bcase\s+"?\$\{?supervisor\b/;

/** Functions whose body switches on the supervisor: their start-stop-daemon branch is theirs. */
export function switchingFunctions(s: Service): Set<string> {
  const out = new Set<string>();
  for (const f of s.initd.functions)
    if (SUPERVISOR_SWITCH.test(s.initd.text.slice(f.body.start, f.body.end))) out.add(f.name);
  return out;
}

/** True when the script chooses code by `$supervisor` anywhere (a dual-mode script). */
export function isDualMode(s: Service): boolean {
  return SUPERVISOR_SWITCH.test(s.initd.text);
}

/**
 * `${supervisor} ${RC_SVCNAME} --signal X` for every call that signals through the pidfile,
 * except inside a function that already switches on the supervisor (its start-stop-daemon
 * branch only runs under start-stop-daemon, where it is right).
 */
export function rewritableSignalCalls(s: Service): SignalCall[] {
  const own = switchingFunctions(s);
  return s.signalCalls.filter((c) => !(c.cmd.fn && own.has(c.cmd.fn)));
}

export function signalRewrites(s: Service, file: string): Edit[] {
  // The command's words only: prefix assignments and redirects around them stay.
  return rewritableSignalCalls(s).map<Edit>((c) => ({
    ...signalRewriteEdit(s.initd, c.cmd, `\${supervisor} \${RC_SVCNAME} --signal ${c.signal}`),
    file,
  }));
}

/** Step: signals sent through the pidfile would now reach the supervisor (a silent no-op for HUP). */
export function signalsStep(ctx: StepContext, d: Draft): void {
  // A call inside a start()/stop() the custom-start step replaces goes with that function.
  const replaced = d.converted?.edits ?? [];
  d.signalEdits = signalRewrites(ctx.service, ctx.initdPath).filter(
    (e) => !replaced.some((r) => r.start <= e.start && e.end <= r.end),
  );
  if (d.signalEdits.length) d.initdReasons.push('init.d sends signals with start-stop-daemon');
}
