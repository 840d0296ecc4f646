import type { Check } from '../check.js';
import { origins } from '../unknown.js';

/**
 * True when a retry schedule (`TERM/30/KILL/5`, `SIGINT/60`, `30`) has a KILL step. OpenRC's
 * parse_schedule_item() reads an item that starts with a digit as a timeout, so `9` waits 9 s;
 * a signal may carry a leading `-` (`-9`, `-KILL`, `-SIGKILL`).
 */
export function hasKillStep(retry: string): boolean {
  return retry
    .trim()
    .split('/')
    .some((step) => /^-?(SIG)?KILL$|^-9$/i.test(step.trim()));
}

const check: Check = {
  meta: {
    id: 'retry-no-kill',
    defaultSeverity: 'info',
    summary: 'supervised service whose stop schedule (retry) has no KILL step',
    fixable: 'none',
    docs: {
      what: 'A service under supervise-daemon whose `retry` is unset, a plain number, or a schedule without KILL.',
      why: 'supervise-daemon\'s stop sends TERM, waits, and reports success even when the daemon ignored it: the daemon keeps running, orphaned, and the next start runs a second copy. A schedule ending in KILL (`retry="TERM/30/KILL/5"`) avoids it.',
      example: {
        bad: '#!/sbin/openrc-run\nsupervisor=supervise-daemon\ncommand=/usr/sbin/foo\ncommand_args_foreground=-f\nretry="SIGTERM/30"\n',
        good: '#!/sbin/openrc-run\nsupervisor=supervise-daemon\ncommand=/usr/sbin/foo\ncommand_args_foreground=-f\nretry="SIGTERM/30/SIGKILL/5"\n',
      },
      fix: 'None: choose the timeout for the daemon (databases need long ones).',
    },
  },
  run(ctx) {
    const s = ctx.service;
    if (!s.supervised || !s.command || s.defines('start') || s.defines('stop')) return [];
    const as = [...s.initdAssignments('retry'), ...s.confdAssignments('retry')];
    // A value we cannot see (an unpaired conf.d variable, a computation) may well have the KILL step.
    if (as.some((a) => origins(ctx, a.value.text).unknown.length)) return [];
    const retry = s.value('retry');
    if (retry === null) return [];
    if (retry !== undefined && hasKillStep(retry)) return [];
    // Unset here: the admin may set it in a conf.d we were not given.
    if (retry === undefined && !ctx.confd) return [];
    // Point at the retry assignment, else at what makes the service supervised.
    const a = s.initdAssignments('retry').pop();
    const ca = s.confdAssignments('retry').pop();
    const sup = s.supervisor;
    const inConfd = !a && (!!ca || (!sup.initdAssignment && !!sup.confdAssignment));
    const at = a ?? ca ?? sup.initdAssignment ?? sup.confdAssignment;
    return [
      {
        in: inConfd ? 'confd' : 'initd',
        start: at?.start ?? 0,
        end: at?.end,
        message:
          retry === undefined
            ? 'retry is unset: supervise-daemon stops with TERM only, and a daemon that ignores it keeps running unsupervised; add a KILL step (retry="TERM/30/KILL/5")'
            : `retry="${retry}" has no KILL step: a daemon that ignores the signal keeps running unsupervised after stop; end it with /KILL/5`,
      },
    ];
  },
};
export default check;
