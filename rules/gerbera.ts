import type { ServiceRule } from '../src/rules/types.js';

const rule: ServiceRule = {
  id: 'gerbera',
  services: ['gerbera'],
  daemons: ['gerbera'],
  summary:
    'Set supervisor="supervise-daemon" in /etc/conf.d/gerbera and keep start_stop_daemon_args ("--wait 500") away from supervise-daemon.',
  route: 'conf.d',
  // The stock script runs gerbera without -D (command_background): it stays in the foreground.
  foreground: '',
  backgroundFlags: [
    { flag: '-D', why: 'daemonize' },
    { flag: '--daemon', why: 'daemonize' },
    { flag: '-P', value: true, why: 'pidfile' },
    { flag: '--pidfile', value: true, why: 'pidfile' },
  ],
  notes: [
    'gerbera daemonizes only with -D/--daemon and writes a pid file only with -P/--pidfile; the stock script uses neither (start-stop-daemon backgrounds it with command_background), so supervisor= is enough for the daemon itself, as the wiki says.',
    'The stock script also sets start_stop_daemon_args="--wait 500". With supervise_daemon_args unset that reaches supervise-daemon, which rejects --wait (docs/openrc.md §2): the wiki\'s conf.d-only change does not start gerbera under real OpenRC. conf.d must also set supervise_daemon_args (a single space works with every OpenRC version).',
    "gerbera's -p is --port, not a pid file option. -D/--daemon and -P/--pidfile come from MediaTomb; I did not check whether the newest gerbera releases still accept them (the stock script uses neither).",
    'command_user="gerbera:gerbera" becomes supervise-daemon --user; retry="10" becomes --retry 10.',
  ],
  sources: [
    'wiki: gerbera',
    'gerbera(1): -D, --daemon: daemonize after startup; -P, --pidfile FILE: write a pid file; -p, --port: server port; -c, --config; -l, --logfile',
    'docs/openrc.md §2',
  ],
};

export default rule;
