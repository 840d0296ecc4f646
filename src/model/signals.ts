/** The signal numbers every Linux architecture shares, by number. */
export const SIGNAL_NAMES: Record<string, string> = {
  '1': 'HUP',
  '2': 'INT',
  '3': 'QUIT',
  '9': 'KILL',
  '14': 'ALRM',
  '15': 'TERM',
};

/**
 * The signal names a retry schedule item may carry, with or without SIG (parse_signal's
 * signallist in OpenRC's src/shared/schedules.c, 0.45; case matters there).
 */
export const SCHEDULE_SIGNAL =
  /^(SIG)?(HUP|INT|QUIT|ILL|TRAP|ABRT|BUS|FPE|KILL|USR1|SEGV|USR2|PIPE|ALRM|TERM|CHLD|CONT|STOP|TSTP|TTIN|TTOU|URG|XCPU|XFSZ|VTALRM|PROF|WINCH|IO|PWR|SYS)$/;

/**
 * A signal as a retry schedule item (`SIGINT`): in OpenRC's schedule an item starting with a
 * digit is a timeout, so a number must become its name. Null for a number without a portable name.
 */
export function retrySignal(sig: string): string | null {
  if (/^\d+$/.test(sig)) return SIGNAL_NAMES[sig] ? `SIG${SIGNAL_NAMES[sig]}` : null;
  return `SIG${sig.replace(/^SIG/i, '').toUpperCase()}`;
}
