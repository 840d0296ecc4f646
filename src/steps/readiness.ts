import { ssdBackgrounds } from './flags.js';
import type { Draft, Refusal, StepContext } from './types.js';

/**
 * Commands that only print, check, wait a fixed time or boundedly (OpenRC's ewaitfile), keep
 * OpenRC's own records, or set the shell's umask: what a converted start()'s start_post() may hold too.
 */
const HARMLESS = new Set([
  'ebegin', 'eend', 'einfo', 'veinfo', 'ewarn', 'vewarn', 'eerror', 'eindent', 'eoutdent',
  ':', 'echo', 'printf', 'true', 'sleep', 'return', 'ewaitfile', '[', 'test', 'pgrep', 'pidof',
  'service_set_value', 'service_get_value', 'yesno',
  // Sets the script's own shell's mask only: the daemon gets 022 or --umask (custom-start.ts).
  'umask',
]); // prettier-ignore

/**
 * Step: the script's own start_post() runs right after the start. Under start-stop-daemon a
 * daemon that forks by itself was past its set-up (sockets bound) by then; supervise-daemon
 * returns once the child is spawned. A start_post() that talks to the daemon (iscsid's
 * `iscsiadm --loginall`, which then starts a second, unsupervised iscsid when the socket is
 * not there yet) would race it: refused, naming the command. Not when start-stop-daemon
 * backgrounded the daemon itself (command_background, --background): the race was there
 * already, and the migration does not change it.
 */
export function readinessStep(ctx: StepContext, d: Draft): Refusal | void {
  const s = ctx.service;
  if (d.converted || !s.defines('start_post')) return;
  if (ssdBackgrounds(s)) return;
  // termpkg's ttyd forks before it does any work (rule forksAtOnce): start-stop-daemon's start
  // returned at that fork, before any set-up, so start_post() never ran later than it will now.
  if (ctx.rule?.forksAtOnce && !ctx.rule.refuse) return;
  const c = s.initd.commands.find(
    (x) => x.fn === 'start_post' && !HARMLESS.has(x.name) && !/^mark_service_/.test(x.name),
  );
  if (!c) return;
  const shown = s.initd.text.slice(c.start, c.end).replace(/\s*\\\r?\n\s*/g, ' ');
  return {
    kind: 'refuse',
    code: 'custom-start',
    reason: `start_post() runs \`${shown.length > 60 ? `${shown.slice(0, 57)}...` : shown}\` right after the start: the daemon forked under start-stop-daemon, so it was set up by then, but supervise-daemon returns once the child is spawned, and this could run before the daemon is ready`,
    suggestion: 'make start_post() wait for what it needs (e.g. ewaitfile for the socket), then migrate again',
  };
}
