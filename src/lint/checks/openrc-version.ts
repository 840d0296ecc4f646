import { atLeast, type Check, type Version } from '../check.js';

/** First upstream OpenRC release that reads each variable (docs/openrc.md §5). */
export const SINCE: Record<string, Version> = {
  supervisor: [0, 21, 0],
  command_args_foreground: [0, 21, 0],
  respawn_delay: [0, 26, 0],
  respawn_max: [0, 26, 0],
  respawn_period: [0, 26, 0],
  output_log: [0, 35, 0],
  error_log: [0, 35, 0],
  directory: [0, 35, 0],
  umask: [0, 35, 0],
  healthcheck_timer: [0, 39, 0],
  healthcheck_delay: [0, 39, 0],
  capabilities: [0, 45, 0],
  secbits: [0, 45, 0],
  no_new_privs: [0, 45, 0],
  output_logger: [0, 51, 0],
  error_logger: [0, 51, 0],
  notify: [0, 62, 0],
  input_file: [0, 62, 0],
  stopgroup: [0, 64, 0],
};

/**
 * Variables whose first release depends on the backend: start-stop-daemon passes
 * output_logger/error_logger since 0.37 (upstream commit e6d01471, "start-stop-daemon: add
 * ability to log stdout or stderr to processes"), supervise-daemon only since 0.51 (SINCE).
 */
const SINCE_SSD: Record<string, Version> = {
  output_logger: [0, 37, 0],
  error_logger: [0, 37, 0],
};

const check: Check = {
  meta: {
    id: 'openrc-version',
    defaultSeverity: 'warning',
    summary: 'variable the target OpenRC version does not know (or ignores)',
    fixable: 'none',
    docs: {
      what: 'A variable that the target OpenRC release (`--openrc-version`, or the config file) does not read yet, for the backend the script runs under (`output_logger`/`error_logger`: start-stop-daemon since 0.37, supervise-daemon since 0.51), and `stopsig` under supervise-daemon where it is ignored (0.40 to 0.63).',
      why: 'Older OpenRC silently ignores unknown variables: the setting has no effect on the systems you target.',
      example: {
        bad: '#!/sbin/openrc-run\nsupervisor=supervise-daemon\ncommand=/usr/sbin/foo\noutput_logger="logger -t foo"\n',
        good: '#!/sbin/openrc-run\nsupervisor=supervise-daemon\ncommand=/usr/sbin/foo\noutput_log=/var/log/foo.log\n',
      },
      fix: 'None: raise the target version or use what it has.',
    },
  },
  run(ctx) {
    const out = [];
    const t = ctx.target.join('.');
    for (const [which, f] of [
      ['initd', ctx.initd],
      ['confd', ctx.confd],
    ] as const) {
      if (!f) continue;
      for (const a of f.assignments) {
        if (a.fn !== null) continue;
        // Alpine's start-stop-daemon scripts set output_logger: read there long before 0.51.
        const ssd = !ctx.service.supervised && SINCE_SSD[a.name];
        const since = ssd || SINCE[a.name];
        if (since && !atLeast(ctx.target, since))
          out.push({
            in: which,
            start: a.start,
            end: a.end,
            message: `${a.name} needs OpenRC ${since.join('.')}+${a.name in SINCE_SSD ? (ssd ? ' (under start-stop-daemon)' : ' under supervise-daemon') : ''}; the target is ${t}, which ignores it`,
          });
        if (
          a.name === 'stopsig' &&
          ctx.service.supervised &&
          atLeast(ctx.target, [0, 40, 0]) &&
          !atLeast(ctx.target, [0, 64, 0])
        )
          out.push({
            in: which,
            start: a.start,
            end: a.end,
            message: `stopsig is ignored by supervise-daemon on OpenRC ${t}: use retry="SIG/timeout" (e.g. retry="SIGINT/30")`,
          });
      }
    }
    return out;
  },
};
export default check;
