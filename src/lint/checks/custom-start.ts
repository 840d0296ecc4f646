import { supervisedSeverity, supervisorPossible, type Check } from '../check.js';

const check: Check = {
  meta: {
    id: 'custom-start',
    defaultSeverity: 'warning',
    summary: 'custom start()/stop()/status() bypasses the supervisor',
    fixable: 'none',
    docs: {
      what: 'The init script defines start(), stop() or status() while supervise-daemon is, or may be, its supervisor.',
      why: 'OpenRC calls the function instead of supervise-daemon: the daemon is never supervised, and a supervisor set in conf.d is silently ignored.',
      example: {
        bad: '#!/sbin/openrc-run\ncommand=/usr/sbin/foo\nstart() {\n\tebegin "Starting foo"\n\tstart-stop-daemon --start --exec /usr/sbin/foo\n\teend $?\n}\n',
        good: '#!/sbin/openrc-run\ncommand=/usr/sbin/foo\n',
      },
      fix: 'None automatic in lint; `rc-supervise migrate` converts functions that only launch a known daemon.',
    },
  },
  run(ctx) {
    if (!supervisorPossible(ctx)) return [];
    // A one-shot service (no command, no daemon launched) needs its start(): nothing to supervise.
    const launches = ctx.service.ssdCalls.some((c) => c.kind === 'start');
    if (!ctx.service.command && !launches) return [];
    return ctx.initd.functions
      .filter((f) => ['start', 'stop', 'status'].includes(f.name))
      .map((f) => ({
        start: f.start,
        end: f.start + f.name.length,
        message: `custom ${f.name}() bypasses supervise-daemon: use command/command_args (and ${f.name}_pre/${f.name}_post for extra steps)`,
        severity: supervisedSeverity(ctx),
      }));
  },
};
export default check;
