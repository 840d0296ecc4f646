import type { Edit } from '../edit/edits.js';
import type { Service } from '../model/service.js';
import { retrySignal } from '../model/signals.js';
import type { Draft, Refusal, StepContext } from './types.js';

/**
 * supervise-daemon ignores `stopsig` (OpenRC 0.40 to 0.63): the stop signal must be the
 * first step of `retry`, which both backends read (`retry="SIGINT/60"`).
 */
export function stopsigRetry(s: Service, file: string): { note: string; edit?: Edit; line?: string } | null {
  const sig = s.value('stopsig');
  if (!sig || /^(SIG)?TERM$/i.test(sig)) return null;
  if (!/^(SIG)?[A-Za-z0-9]+$/.test(sig)) return null;
  const signal = retrySignal(sig);
  if (!signal) return { note: `stopsig=${sig} has no portable name for retry; supervise-daemon will send TERM` };
  const retry = s
    .initdAssignments('retry')
    .filter((a) => a.plain)
    .pop();
  const retryValue = s.value('retry');
  if (retryValue && retryValue.includes('/')) return null;
  if (retry) {
    const inner = retry.value.text.replace(/^"(.*)"$/s, '$1');
    if (inner.includes('"') || retry.value.quote === 'single' || retry.value.quote === 'mixed') return null;
    return {
      note: `stopsig=${sig} is ignored by supervise-daemon: retry now starts with ${signal}`,
      edit: { file, start: retry.value.start, end: retry.value.end, text: `"${signal}/${inner}"` },
    };
  }
  if (s.isSet('retry'))
    return {
      note: `stopsig=${sig} is ignored by supervise-daemon, and retry is set where rc-supervise does not edit it (conf.d): put ${signal} first in retry by hand`,
    };
  return {
    note: `stopsig=${sig} is ignored by supervise-daemon: retry="${signal}/5" sends it instead`,
    line: `retry="${signal}/5"`,
  };
}

/**
 * Step: stopsig becomes the first step of retry. A retry of several words (i2p's
 * `retry='SIGTERM/20 SIGKILL/20'`) is refused: supervise-daemon.sh passes `--retry $retry`
 * unquoted when it starts the daemon, so the second word takes the program's place and the
 * service never starts (start-stop-daemon only reads retry when stopping).
 */
export function retryStep(ctx: StepContext, d: Draft): Refusal | void {
  const value = ctx.service.value('retry');
  const words = value ? value.trim().split(/\s+/) : [];
  if (words.length > 1)
    return {
      kind: 'refuse',
      code: 'dynamic',
      reason: `retry holds several words (${value!.trim()}): OpenRC gives them to supervise-daemon unquoted when it starts the daemon, so ${words[1]} would take the program's place and the service could not start`,
      suggestion: `write retry as one schedule (${words.join('/')}), then migrate again`,
    };
  const r = stopsigRetry(ctx.service, ctx.initdPath);
  if (!r) return;
  d.notes.push(r.note);
  if (r.edit) {
    d.extraEdits.push(r.edit);
    d.initdReasons.push('stopsig must become part of retry in init.d');
  } else if (r.line) d.lines.push(r.line);
}
