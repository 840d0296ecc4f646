import type { ServiceRule } from '../src/rules/types.js';

const rule: ServiceRule = {
  id: 'cupsd',
  services: ['cupsd'],
  daemons: ['cupsd'],
  summary:
    'Set supervisor="supervise-daemon" in /etc/conf.d/cupsd and stop start_stop_daemon_args ("-b -m --pidfile ...") from reaching supervise-daemon.',
  route: 'conf.d',
  // The stock command_args carry -f already (then nothing is added); a script without it
  // (Alpine's runs /usr/sbin/cupsd bare, and cupsd forks) gets command_args_foreground="-f".
  foreground: '-f',
  // Debian's cupsd writes /run/cups/cupsd.pid also in the foreground (verify-daemons); the
  // stock script's /run/cupsd.pid is another path.
  ownPidfile: '/run/cups/cupsd.pid',
  notes: [
    'cupsd daemonizes unless given -f (or -F, -l). The stock command_args already carry -f, which is why the wiki needs no command_args_foreground.',
    'The stock script backgrounds the foreground cupsd with start_stop_daemon_args="-b -m --pidfile ${pidfile}". With supervise_daemon_args unset these words are handed to supervise-daemon (docs/openrc.md §2): -b is unknown to it and -m means --respawn-max there and swallows the next word (docs/openrc.md §6), so start fails. The wiki\'s conf.d-only change is therefore not enough under real OpenRC.',
    'Fix from conf.d (supervise_daemon_args is not set in init.d): supervise_daemon_args=" ". A set but empty value stops the fallback only from OpenRC 0.46 (before, the expansion is ${supervise_daemon_args:-...}); a single space works with every version. Keeping "--pidfile ${pidfile}" is pointless there: supervise-daemon already gets --pidfile, and ${pidfile} is still unset when conf.d is read.',
    'The stock command_args already hold -f, so nothing is added there; a script without it (Alpine\'s runs /usr/sbin/cupsd with no arguments) gets command_args_foreground="-f".',
    'pidfile="/run/cupsd.pid" is made by start-stop-daemon -m; as far as I know cupsd writes no pid file there, so supervise-daemon can use it. Debian\'s cupsd was seen writing /run/cups/cupsd.pid, also in the foreground: a script whose pidfile is that path gives the supervisor another.',
  ],
  sources: [
    'wiki: cupsd',
    'cupsd(8): -f: run in the foreground; -F: run in the foreground but detach from the controlling terminal; -l: on-demand mode for launchd/systemd; -t: test the configuration; without -f/-F/-l cupsd runs in the background',
    'npm run verify-daemons (docs/verified-daemons.md, 2026-11-25, Debian cups-daemon 2.4.2-3+deb12u9): with -f it stayed in the foreground under supervise-daemon and wrote /run/cups/cupsd.pid',
    'docs/openrc.md §1',
    'docs/openrc.md §2',
    'docs/openrc.md §6',
  ],
};

export default rule;
