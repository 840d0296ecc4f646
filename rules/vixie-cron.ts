import type { ServiceRule } from '../src/rules/types.js';

const rule: ServiceRule = {
  id: 'vixie-cron',
  services: ['vixie-cron'],
  // "cron" is also the binary of other Vixie-derived crons (e.g. Debian's cron).
  daemons: ['cron'],
  summary: 'Set supervisor="supervise-daemon" and command_args_foreground="-n" in /etc/conf.d/vixie-cron.',
  route: 'conf.d',
  foreground: '-n',
  ownPidfile: '/var/run/cron.pid',
  notes: [
    'cron daemonizes unless given -n (wiki).',
    "The stock pidfile=/var/run/cron.pid is cron's own pid file: cron writes and locks it itself (acquire_daemonlock), also with -n, so under supervise-daemon it replaces the supervisor's pid and `rc-service vixie-cron stop` signals cron, which the supervisor respawns. The wiki does not mention this. From the cron sources, not tested on a running system.",
    'conf.d cannot move that pidfile: the stock script sets pidfile= unconditionally and is read after conf.d (docs/openrc.md §1). A working migration gives the supervisor another pidfile in init.d.',
    'cron notices crontab changes by itself; the stock script has no reload.',
  ],
  sources: [
    'wiki: vixie-cron',
    'cron(8) (vixie-cron 4.1): -n: stay in the foreground; pid file /var/run/cron.pid',
    'docs/openrc.md §1',
    'docs/openrc.md §2',
  ],
};

export default rule;
