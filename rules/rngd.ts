import type { ServiceRule } from '../src/rules/types.js';

const rule: ServiceRule = {
  id: 'rngd',
  services: ['rngd'],
  daemons: ['rngd'],
  summary:
    'Set supervisor="supervise-daemon" and command_args_foreground="--foreground" in /etc/conf.d/rngd; keep start_stop_daemon_args ("--wait 1000") away from supervise-daemon.',
  route: 'conf.d',
  foreground: '--foreground',
  // rng-tools' message() uses syslog only when am_daemon is set, which only the background branch does.
  foregroundLogs: 'stderr',
  backgroundFlags: [
    { flag: '-b', why: 'daemonize' },
    { flag: '--background', why: 'daemonize' },
    { flag: '-p', value: true, why: 'pidfile' },
    { flag: '--pid-file', value: true, why: 'pidfile' },
  ],
  notes: [
    'rngd daemonizes by default; -f/--foreground keeps it in the foreground (wiki, rngd(8)).',
    'Gentoo\'s rngd 6.x script sets start_stop_daemon_args="--wait 1000". With supervise_daemon_args unset that reaches supervise-daemon, which rejects --wait (docs/openrc.md §2): the wiki\'s conf.d lines alone do not start rngd under real OpenRC. conf.d must also set supervise_daemon_args (a single space works with every OpenRC version).',
    'The stock script already keeps "--pid-file ${pidfile} --background" in command_args_background and builds command_args in start_pre from the conf.d variables; start_pre runs before the supervise-daemon command line is built, so that keeps working.',
    "As far as I can tell from rng-tools' sources rngd writes its pid file only when it daemonizes, so with --foreground it does not touch the supervisor's /run/rngd.pid. Not verified on a running system.",
  ],
  sources: [
    'wiki: rngd',
    'rngd(8): -f, --foreground: do not fork and become a daemon; -b, --background: become a daemon (default); -p, --pid-file=FILE (default /var/run/rngd.pid)',
    'docs/openrc.md §2',
    'foregroundLogs: rng-tools 5 rngd.h message(): syslog() only when am_daemon is set, which only the daemonizing branch of main() does; otherwise the message goes to stderr (review of real migrations, 2026-11-25)',
  ],
};

export default rule;
