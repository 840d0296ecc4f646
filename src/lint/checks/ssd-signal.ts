import { rewritableSignalCalls, signalRewrites } from '../../steps/signals.js';
import { supervisedSeverity, supervisorPossible, type Check } from '../check.js';

const check: Check = {
  meta: {
    id: 'ssd-signal',
    defaultSeverity: 'warning',
    summary: 'signal sent through the pidfile (start-stop-daemon --signal, kill $(cat pidfile), pkill -F)',
    fixable: 'safe',
    docs: {
      what: 'A function that signals the daemon with `start-stop-daemon --signal`, `kill -SIG $(cat "$pidfile")` or `pkill -SIG -F "$pidfile"`.',
      why: 'Under supervise-daemon the pidfile holds the supervisor, which ignores HUP, USR1 and the like: reload silently does nothing (TERM would stop the whole service).',
      example: {
        bad: '#!/sbin/openrc-run\nsupervisor=supervise-daemon\ncommand=/usr/sbin/foo\ncommand_args_foreground=-f\nextra_started_commands=reload\nreload() {\n\tstart-stop-daemon --signal HUP --pidfile "${pidfile}"\n}\n',
        good: '#!/sbin/openrc-run\nsupervisor=supervise-daemon\ncommand=/usr/sbin/foo\ncommand_args_foreground=-f\nextra_started_commands=reload\nreload() {\n\t${supervisor} ${RC_SVCNAME} --signal HUP\n}\n',
      },
      fix: 'Safe when the script sets supervise-daemon: the call becomes `${supervisor} ${RC_SVCNAME} --signal SIG`. Not offered while the supervisor is still start-stop-daemon.',
    },
  },
  run(ctx) {
    if (!supervisorPossible(ctx)) return [];
    const edits = signalRewrites(ctx.service, ctx.initdPath);
    return rewritableSignalCalls(ctx.service).map((c, i) => ({
      start: c.cmd.start,
      end: c.cmd.end,
      message: `${c.cmd.fn}() sends ${c.signal} with ${c.via} through the pidfile: under supervise-daemon it reaches the supervisor, not the daemon; use \${supervisor} \${RC_SVCNAME} --signal ${c.signal}`,
      severity: supervisedSeverity(ctx),
      fix: ctx.service.supervised ? { safety: 'safe' as const, edits: [edits[i]] } : undefined,
    }));
  },
};
export default check;
