import type { ServiceRule } from '../src/rules/types.js';

const rule: ServiceRule = {
  id: 'tor',
  services: ['tor'],
  daemons: ['tor'],
  summary:
    'tor --runasdaemon 0 under supervise-daemon; --runasdaemon 1 and --PidFile move to command_args_background; reload through the supervisor.',
  route: 'init.d',
  foreground: '--runasdaemon 0',
  // Tor reads option names case-insensitively, with one or two leading dashes.
  backgroundFlags: [
    { flag: '--RunAsDaemon', value: true, valueMatch: /^["']?1["']?$/, ignoreCase: true, why: 'daemonize' },
    { flag: '-RunAsDaemon', value: true, valueMatch: /^["']?1["']?$/, ignoreCase: true, why: 'daemonize' },
    { flag: '--PidFile', value: true, ignoreCase: true, why: 'pidfile' },
    { flag: '-PidFile', value: true, ignoreCase: true, why: 'pidfile' },
  ],
  // Gentoo's default torrc says "PIDFile /run/tor/tor.pid"; tor writes it in the foreground too.
  ownPidfile: '/run/tor/tor.pid',
  signals: { reload: 'HUP' },
  notes: [
    'Tor option names are case-insensitive and may carry one or two leading dashes (--RunAsDaemon = --runasdaemon = -runasdaemon), hence ignoreCase. RunAsDaemon takes a boolean: only 1 daemonizes.',
    'The wiki writes --runasdaemon 0 into command_args itself. Under start-stop-daemon (no command_background) tor would then never fork and the start would block. rc-supervise puts "--runasdaemon 0" in command_args_foreground and "--runasdaemon 1 --PidFile ..." in command_args_background (as newer Gentoo scripts do), so both backends work.',
    'The wiki keeps command_args_background="-p ${pidfile}", but tor has no -p option (its pid file option is PidFile) and the wiki has commented out pidfile=, so under start-stop-daemon tor would get a bare "-p" and stop at the unknown option.',
    'The wiki\'s reload calls "${supervisor} -s HUP --pidfile ${pidfile}" without the service name. supervise-daemon requires $RC_SVCNAME as its first argument and exits ("the first argument is -s and must be tor"), so reload fails. The working form is ${supervisor} ${RC_SVCNAME} --signal HUP (-s is accepted as the short form of --signal from 0.40; --pidfile is ignored with --signal; docs/openrc.md §3).',
    'The wiki deletes pidfile= so that supervise-daemon uses /var/run/supervise-tor.pid (OpenRC 0.40+). That matters: Gentoo\'s torrc has "PIDFile /run/tor/tor.pid", which tor writes also in the foreground, so the supervisor must not use /run/tor/tor.pid.',
    'stopsig=INT is ignored by supervise-daemon from 0.40 to 0.63.x (docs/openrc.md §2): tor then gets SIGTERM (immediate exit) instead of SIGINT (a relay\'s graceful shutdown). Use retry="SIGINT/${GRACEFUL_TIMEOUT:-60}" instead of retry + stopsig.',
    'command_progress=yes is ignored by supervise-daemon (docs/openrc.md §4).',
  ],
  sources: [
    'wiki: tor',
    'tor(1): command-line options are torrc options, case-insensitive, with one or two leading dashes; RunAsDaemon 0|1; PidFile FILE; --verify-config; SIGHUP: reload torrc; SIGINT: relays shut down gracefully; SIGTERM: clean immediate exit',
    'tor src/app/config/config.c: "Each keyword may be prefixed with one or two dashes."',
    'supervise-daemon.c: "the first argument is %s and must be %s"; getopt "s:" = --signal',
    'docs/openrc.md §2',
    'docs/openrc.md §3',
    'docs/openrc.md §4',
  ],
};

export default rule;
