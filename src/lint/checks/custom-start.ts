import { supervisorPossible, type Check } from '../check.js';

const DEFAULT_CALL: Record<string, RegExp> = {
  start: /^(default_start|supervise_start|ssd_start)$/,
  stop: /^(default_stop|supervise_stop|ssd_stop)$/,
};

const check: Check = {
  meta: {
    id: 'custom-start',
    defaultSeverity: 'info',
    summary: 'custom start()/stop() bypasses the supervisor',
    fixable: 'none',
    docs: {
      what: 'The init script defines start() or stop() (other than a thin wrapper around default_start/default_stop) while it launches a daemon and supervise-daemon is, or may be, its supervisor. One finding per script; a warning when supervise-daemon is set, else info.',
      why: 'OpenRC calls the function instead of supervise-daemon: the daemon is never supervised, and a supervisor set in conf.d is silently ignored.',
      example: {
        bad: '#!/sbin/openrc-run\ncommand=/usr/sbin/foo\nstart() {\n\tebegin "Starting foo"\n\tstart-stop-daemon --start --exec /usr/sbin/foo\n\teend $?\n}\n',
        good: '#!/sbin/openrc-run\ncommand=/usr/sbin/foo\nstart() {\n\tebegin "Starting foo"\n\tdefault_start\n\teend $?\n}\n',
      },
      fix: 'None automatic in lint; `rc-supervise migrate` converts functions that only launch a known daemon.',
    },
  },
  run(ctx) {
    if (!supervisorPossible(ctx)) return [];
    // A one-shot service (no command, no daemon launched) needs its start(): nothing to supervise.
    const launches = ctx.service.ssdCalls.some((c) => c.kind === 'start');
    if (!ctx.service.command && !launches) return [];
    // A control script (`start-stop-daemon --start --exec neo4j -- start`, `swift-init -- proxy start`)
    // is not a daemon supervise-daemon could run: nothing to convert.
    const controlScript = ctx.service.ssdCalls.some(
      (c) => c.kind === 'start' && c.args.slice(c.parsed.operandsAt).some((w) => /^(start|restart)$/.test(w)),
    );
    if (controlScript) return [];
    const custom = ctx.initd.functions.filter((f) => {
      if (f.name !== 'start' && f.name !== 'stop') return false;
      const calls = ctx.initd.commands.filter((c) => c.fn === f.name && c.start >= f.start && c.end <= f.end);
      // A function that calls default_start/default_stop goes through the supervisor, whatever
      // else it does around the call (code-server's start() runs checkconfig first), unless it
      // also runs start-stop-daemon or supervise-daemon itself.
      const viaDefault =
        calls.some((c) => DEFAULT_CALL[f.name].test(c.name)) &&
        !calls.some((c) => c.name === 'start-stop-daemon' || c.name === 'supervise-daemon');
      return !viaDefault;
    });
    if (!custom.length) return [];
    const names = custom.map((f) => `${f.name}()`).join(' and ');
    const first = custom[0];
    return [
      {
        start: first.start,
        end: first.start + first.name.length,
        message: ctx.service.supervised
          ? `custom ${names} bypass${custom.length > 1 ? '' : 'es'} supervise-daemon, which is set: the daemon is not supervised; use command/command_args (and start_pre/stop_post for extra steps)`
          : `custom ${names}: supervise-daemon can never supervise this daemon (a supervisor= in conf.d is ignored); to allow it, use command/command_args (and start_pre/stop_post for extra steps)`,
        severity: ctx.service.supervised ? 'warning' : 'info',
      },
    ];
  },
};
export default check;
