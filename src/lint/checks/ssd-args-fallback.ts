import { insertBlock } from '../../steps/emit.js';
import { fallbackTrap } from '../../steps/ssd-args.js';
import { supervisedSeverity, supervisorPossible, type Check } from '../check.js';

const check: Check = {
  meta: {
    id: 'ssd-args-fallback',
    defaultSeverity: 'warning',
    summary: 'start_stop_daemon_args with start-stop-daemon-only options and no supervise_daemon_args',
    fixable: 'safe',
    docs: {
      what: '`start_stop_daemon_args` holds options only start-stop-daemon knows (`--wait`, `-b`, `--make-pidfile`, ...) and `supervise_daemon_args` is unset.',
      why: 'OpenRC hands start_stop_daemon_args to supervise-daemon when supervise_daemon_args is unset; supervise-daemon rejects the option and the service does not start.',
      example: {
        bad: '#!/sbin/openrc-run\nsupervisor=supervise-daemon\ncommand=/usr/sbin/foo\ncommand_args_foreground=-f\nstart_stop_daemon_args="--wait 1000"\n',
        good: '#!/sbin/openrc-run\nsupervisor=supervise-daemon\ncommand=/usr/sbin/foo\ncommand_args_foreground=-f\nstart_stop_daemon_args="--wait 1000"\nsupervise_daemon_args=" "\n',
      },
      fix: 'Safe: sets supervise_daemon_args to the options both daemons read the same way (a single space when none: OpenRC < 0.46 treats "" as unset).',
    },
  },
  run(ctx) {
    if (!supervisorPossible(ctx)) return [];
    const trap = fallbackTrap(ctx.service);
    if (!trap) return [];
    const a =
      ctx.service.initdAssignments('start_stop_daemon_args').pop() ??
      ctx.initd.topLevel('start_stop_daemon_args').pop();
    return [
      {
        start: a?.start ?? 0,
        end: a?.end,
        message: trap.note,
        severity: supervisedSeverity(ctx),
        fix: { safety: 'safe', edits: [insertBlock(ctx.service, ctx.initdPath, trap.lines, false)] },
      },
    ];
  },
};
export default check;
