import type { ServiceRule } from '../src/rules/types.js';

const rule: ServiceRule = {
  id: 'dhcpcd',
  services: ['dhcpcd'],
  daemons: ['dhcpcd'],
  summary: 'Set supervisor="supervise-daemon" and command_args_foreground="--nobackground" in /etc/conf.d/dhcpcd.',
  route: 'conf.d',
  foreground: '--nobackground',
  backgroundFlags: [
    // "Background immediately" (do not wait for a lease): still a fork.
    { flag: '-b', why: 'daemonize' },
    { flag: '--background', why: 'daemonize' },
  ],
  ownPidfile: '/run/dhcpcd/pid',
  notes: [
    'dhcpcd forks into the background once it has configured an address (or timed out); -B/--nobackground keeps it in the foreground. -b/--background makes it fork at once instead, so it belongs in command_args_background.',
    "The stock pidfile=/run/dhcpcd/pid is dhcpcd's own pid file (start-stop-daemon reads it, it does not write it). The dhcpcd manager process writes and locks that file also with --nobackground (dhcpcd's pidfile_lock), so under supervise-daemon it overwrites the supervisor's pid and `rc-service dhcpcd stop` signals dhcpcd, which the supervisor then respawns. The wiki does not mention this. Checked against dhcpcd's sources, not on a running system.",
    'conf.d cannot move that pidfile: the stock script sets pidfile= unconditionally and is read after conf.d (docs/openrc.md §1). A working migration gives the supervisor its own pidfile in init.d (e.g. pidfile="/run/supervise-dhcpcd.pid").',
    'This rule is for the standalone dhcpcd service (dhcpcd on all interfaces). Interfaces configured by netifrc (config_eth0="dhcp") have netifrc start dhcpcd with start-stop-daemon itself; they are refused as netifrc services.',
  ],
  sources: [
    'wiki: dhcpcd',
    'dhcpcd(8): -B, --nobackground: do not run in the background; -b, --background: background immediately; the manager writes /run/dhcpcd/pid (per-interface mode: /run/dhcpcd/<iface>.pid)',
    'docs/openrc.md §1',
    'docs/openrc.md §2',
  ],
};

export default rule;
