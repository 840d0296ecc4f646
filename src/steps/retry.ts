import type { Edit } from '../edit/edits.js';
import type { Service } from '../model/service.js';
import { retrySignal, SCHEDULE_SIGNAL } from '../model/signals.js';
import { unquoted } from '../parse/words.js';
import type { Draft, Refusal, StepContext } from './types.js';
import { hasKillStep } from '../lint/checks/retry-no-kill.js';

/**
 * supervise-daemon ignores `stopsig` (OpenRC 0.40 to 0.63): the stop signal must be the
 * first step of `retry`, which both backends read (`retry="SIGINT/60"`).
 */
export function stopsigRetry(
  s: Service,
  file: string,
): { note: string; edit?: Edit; line?: string; schedule?: string } | null {
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
      schedule: `${signal}/${inner}`,
    };
  }
  if (s.isSet('retry'))
    return {
      note: `stopsig=${sig} is ignored by supervise-daemon, and retry is set where rc-supervise does not edit it (conf.d): put ${signal} first in retry by hand`,
    };
  return {
    note: `stopsig=${sig} is ignored by supervise-daemon: retry="${signal}/5" sends it instead`,
    line: `retry="${signal}/5"`,
    schedule: `${signal}/5`,
  };
}

/**
 * i2p's `retry='SIGTERM/20 SIGKILL/20'`, set by one plain top-level line of the script (which
 * OpenRC reads after conf.d, so the script's value is the one in force): every word a
 * signal/timeout pair, joined with `/` into the one schedule both backends parse
 * (parse_schedule, src/shared/schedules.c) as the author meant: TERM, 20 s, KILL, 20 s.
 */
function joinedSchedule(s: Service, file: string, words: string[]): { edit: Edit; schedule: string } | null {
  if (!words.every((w) => /^[A-Z0-9]+\/\d+$/.test(w) && SCHEDULE_SIGNAL.test(w.split('/')[0]))) return null;
  const top = s.initdAssignments('retry').filter((a) => a.fn === null);
  const last = top[top.length - 1];
  if (!last || !last.plain || last.form !== 'assign' || last.guard || /["'$`\\]/.test(unquoted(last.value.text)))
    return null;
  if (unquoted(last.value.text).trim().split(/\s+/).join(' ') !== words.join(' ')) return null;
  // A function may set retry again when the service runs: not the value read here.
  if (s.initd.assignments.some((a) => a.name === 'retry' && a.fn !== null)) return null;
  const schedule = words.join('/');
  return { edit: { file, start: last.value.start, end: last.value.end, text: `"${schedule}"` }, schedule };
}

/**
 * Step: stopsig becomes the first step of retry. A retry of several words (i2p's
 * `retry='SIGTERM/20 SIGKILL/20'`) is refused: supervise-daemon.sh passes `--retry $retry`
 * unquoted when it starts the daemon, so the second word takes the program's place and the
 * service never starts (start-stop-daemon only reads retry when stopping).
 */
export function retryStep(ctx: StepContext, d: Draft): Refusal | void {
  let value = ctx.service.value('retry');
  const words = value ? value.trim().split(/\s+/) : [];
  const joined = words.length > 1 ? joinedSchedule(ctx.service, ctx.initdPath, words) : null;
  if (joined) {
    // Written as one schedule, it means under both backends what the script's author wrote.
    d.extraEdits.push(joined.edit);
    d.initdReasons.push('retry must be one schedule in init.d');
    d.notes.push(
      `retry="${value!.trim()}" is now written as one schedule, "${joined.schedule}": OpenRC passes retry unquoted, so as two words supervise-daemon would have taken ${words[1]} for the program; as one, both supervisors stop the daemon by that schedule`,
    );
    value = joined.schedule;
  } else if (words.length > 1)
    return {
      kind: 'refuse',
      code: 'dynamic',
      reason: `retry holds several words (${value!.trim()}): OpenRC gives them to supervise-daemon unquoted when it starts the daemon, so ${words[1]} would take the program's place and the service could not start`,
      suggestion: `write retry as one schedule (${words.join('/')}), then migrate again`,
    };
  const r = stopsigRetry(ctx.service, ctx.initdPath);
  if (r) {
    d.notes.push(r.note);
    if (r.edit) {
      d.extraEdits.push(r.edit);
      d.initdReasons.push('stopsig must become part of retry in init.d');
    } else if (r.line) d.lines.push(r.line);
  }
  // bitcoind's conf.d `retry=60`: a schedule the script chose, without KILL. start-stop-daemon's
  // stop failed when the daemon outlived it (the service stayed started, and said so);
  // supervise-daemon's stop succeeds and leaves the daemon running without its supervisor.
  // An unset retry (TERM/5) is the same, but so common that migrate says it once in its
  // summary instead (stopsWithoutKill).
  // The schedule as it will be: stopsig folded in where it was (retry="30" -> "SIGQUIT/30").
  // adchpp-lan's converted stop() (`start-stop-daemon --stop ... -R SIGINT/5`) becomes the line
  // retry=SIGINT/5 (custom-start step): the same schedule question, asked of that line.
  // A schedule read from a variable there is not known (null), as a computed retry= is not.
  const line = d.converted?.lines.map((l) => /^retry=(.+)$/.exec(l)?.[1]).find((v) => v !== undefined);
  const converted = line === undefined ? undefined : /[$`]/.test(line) ? null : unquoted(line);
  const final = r?.schedule ?? (value === undefined && converted !== undefined ? converted : value);
  // An unknown value (computed) may hold a KILL step: not counted.
  if (final !== null) d.stopsWithoutKill = !final || !hasKillStep(final);
  if (final && !r?.line && !hasKillStep(final) && !/[$`]/.test(final))
    d.notes.push(
      `retry="${final.trim()}" has no KILL step: under supervise-daemon a stop that outlasts it reports success and leaves the daemon running without its supervisor, where start-stop-daemon's stop failed and said so; end retry with /KILL/5 if the daemon may take longer (docs/openrc.md §8)`,
    );
}
