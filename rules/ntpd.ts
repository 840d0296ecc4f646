import type { ServiceRule } from '../src/rules/types.js';

const rule: ServiceRule = {
  id: 'ntpd',
  services: ['ntpd'],
  daemons: ['ntpd'],
  // OpenNTPD installs a daemon and a service of the same name, whose -n is its config test.
  packages: ['net-misc/ntp', 'ntp', 'net-misc/ntpsec', 'ntpsec'],
  packageUnknown: 'apply',
  // OpenNTPD by name, or by its configuration file (ISC ntpd and ntpsec read /etc/ntp.conf;
  // Alpine's openntpd script names only /etc/ntpd.conf: found on a second real-world set).
  otherImplementation: /OpenNTPD|\/etc\/ntpd\.conf\b/i,
  summary: 'ntpd -n under supervise-daemon; -p ${pidfile} moves to command_args_background.',
  route: 'init.d',
  foreground: '-n',
  backgroundFlags: [
    { flag: '-p', value: true, why: 'pidfile' },
    { flag: '--pidfile', value: true, why: 'pidfile' },
  ],
  notes: [
    "ntpd forks unless given -n, and writes a pid file only when given -p/--pidfile; once -p moves to command_args_background nothing competes with the supervisor's pidfile.",
    'The wiki comments out start_stop_daemon_args="--pidfile ${pidfile}". Under supervise-daemon that fallback would only repeat --pidfile, which supervise-daemon takes with the same meaning (docs/openrc.md §6): harmless, but redundant.',
    'ntpd -q (set the clock and quit) must not be in NTPD_OPTS under a supervisor: ntpd would exit and be respawned over and over. -g and -u ntp:ntp are fine.',
    'Newer Gentoo ntpd scripts already carry command_args_background="-p ${pidfile}" and command_args_foreground="-n"; there only supervisor= is missing and conf.d can hold it.',
  ],
  sources: [
    'wiki: ntpd',
    "ntpd(8): -n, --nofork: don't fork; -p, --pidfile FILE: record the process id in FILE; -q, --quit: set the time and exit; -g, --panicgate",
    'docs/openrc.md §2',
    'docs/openrc.md §6',
    'ntpsec ntpd(8) (docs/ntpd.adoc): -n, --nofork as in ISC ntpd; its Gentoo package is net-misc/ntpsec',
    'OpenNTPD ntpd(8): -n is configtest mode (check the configuration and exit), -d stays in the foreground: the rule is not for it (review of real migrations, 2026-11-25)',
  ],
};

export default rule;
