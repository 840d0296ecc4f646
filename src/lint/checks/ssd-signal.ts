import { rewritableSignalCalls, signalRewrites } from '../../steps/signals.js';
import { latentSeverity, supervisorPossible, type Check } from '../check.js';

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
      fix: 'Safe when the script sets supervise-daemon: the call becomes `if [ "${supervisor}" = supervise-daemon ]; then ${supervisor} ${RC_SVCNAME} --signal SIG; else <the call as it was>; fi`, so it still works under start-stop-daemon. Not offered while the supervisor is still start-stop-daemon.',
    },
  },
  run(ctx) {
    if (!supervisorPossible(ctx)) return [];
    // A custom start() launches the daemon itself: supervise-daemon never runs, the pidfile is the daemon's.
    if (ctx.service.defines('start')) return [];
    const edits = signalRewrites(ctx.service, ctx.initdPath);
    const byPidfile = (c: (typeof ctx.service.signalCalls)[number]) => {
      if (c.via !== 'start-stop-daemon') return true;
      // `start-stop-daemon --signal HUP --exec X` (no --pidfile) finds the daemon by name: it reaches it either way.
      const call = ctx.service.ssdCalls.find((x) => x.cmd === c.cmd);
      return !!call?.parsed.options.some((o) => o.spec.long === 'pidfile');
    };
    return rewritableSignalCalls(ctx.service)
      .flatMap((c, i) => (byPidfile(c) ? [{ c, i }] : []))
      .map(({ c, i }) => ({
        start: c.cmd.start,
        end: c.cmd.end,
        message: `${c.cmd.fn}() sends ${c.signal} with ${c.via} through the pidfile: ${ctx.service.supervised ? 'under supervise-daemon it reaches' : 'if conf.d chooses supervise-daemon, it reaches'} the supervisor, not the daemon; use \${supervisor} \${RC_SVCNAME} --signal ${c.signal}`,
        severity: latentSeverity(ctx, 'error'),
        fix: ctx.service.supervised ? { safety: 'safe' as const, edits: [edits[i]] } : undefined,
      }));
  },
};
export default check;
