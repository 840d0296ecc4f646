import { samePath } from '../../steps/emit.js';
import type { Check } from '../check.js';

const check: Check = {
  meta: {
    id: 'pidfile-collision',
    defaultSeverity: 'error',
    summary: "the daemon writes the supervisor's pidfile itself",
    fixable: 'none',
    docs: {
      what: "Under supervise-daemon, `pidfile` equals the path a known daemon writes on its own even in the foreground (sshd's PidFile, dnsmasq's and acpid's default pid file, metalog's compiled-in one), and nothing tells the daemon otherwise.",
      why: "The daemon overwrites the supervisor's pid with its own: `stop` then signals the daemon, the supervisor respawns it, and the service cannot be stopped.",
      example: {
        bad: '#!/sbin/openrc-run\nsupervisor=supervise-daemon\ncommand=/usr/sbin/dnsmasq\npidfile=/run/dnsmasq.pid\ncommand_args_foreground="--keep-in-foreground"\n',
        good: '#!/sbin/openrc-run\nsupervisor=supervise-daemon\ncommand=/usr/sbin/dnsmasq\npidfile=/run/dnsmasq.pid\ncommand_args_foreground="--keep-in-foreground --pid-file"\n',
      },
      fix: 'None automatic: give the daemon another pid file (or none) in command_args_foreground, or give the supervisor another pidfile.',
    },
  },
  run(ctx) {
    const s = ctx.service;
    const own = ctx.rule?.ownPidfile;
    const pidfile = s.value('pidfile');
    if (!s.supervised || !own || !pidfile || !samePath(pidfile, own)) return [];
    const fg = [s.value('command_args'), s.value('command_args_foreground')].join(' ');
    if (/pid/i.test(fg)) return [];
    const a = s.initdAssignments('pidfile').pop();
    return [
      {
        start: a?.start ?? 0,
        end: a?.end,
        message: `${s.daemon} writes ${own} itself, which is also the supervisor's pidfile: stop would kill only the daemon; tell ${s.daemon} to use another pid file`,
      },
    ];
  },
};
export default check;
