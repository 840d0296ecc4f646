import { gateNote, UNKNOWN_NEWER } from '../src/knowledge/rules.js';
import type { ServiceRule } from '../src/rules/types.js';

const rule: ServiceRule = {
  id: 'dbus',
  services: ['dbus'],
  daemons: ['dbus-daemon'],
  summary: 'Set supervisor="supervise-daemon" and command_args_foreground="--nofork --nopidfile" in /etc/conf.d/dbus.',
  route: 'conf.d',
  foreground: '--nofork --nopidfile',
  // --nopidfile exists from dbus 1.5.10 (commit a8423067, 2012-02-02; NEWS of 1.5.10, released
  // 2012-02-21); dbus 1.4 ends in usage() and exit(1) on it, and without it 1.4 writes the
  // system.conf pid file and will not start over a stale one: a known older version is refused
  // (round 18's review of a 2012 package tree); an unknown one is taken to be newer, as for the
  // knowledge entries whose words came before 2016 (src/knowledge/rules.ts ASSUMED_NEWER_THAN).
  foregroundSince: '1.5.10',
  versionedForeground: '--nofork --nopidfile',
  foregroundSinceReleased: '2012-02',
  versionNote: gateNote('dbus-daemon', '--nofork --nopidfile', '1.5.10', '2012-02', UNKNOWN_NEWER),
  backgroundFlags: [{ flag: '--fork', why: 'daemonize' }],
  // From <pidfile> in Gentoo's system.conf; --nopidfile in `foreground` keeps dbus-daemon off it.
  ownPidfile: '/run/dbus.pid',
  warnings: [
    'When D-Bus is stopped the system or desktop may become unstable; best restart the system after migrating dbus (Gentoo wiki).',
    'Readiness: with <fork/> dbus-daemon listened on its sockets before it forked, so start-stop-daemon returned with the bus up; supervise-daemon returns once it has spawned dbus-daemon, so at boot a service that needs dbus may start a moment before the bus socket exists (docs/openrc.md §4). Services that retry their connection are not affected.',
  ],
  notes: [
    'dbus-daemon --system forks because the system bus configuration (system.conf) contains <fork/>; --nofork overrides it. --fork is the opposite and must not reach supervise-daemon.',
    'system.conf also names a <pidfile> (Gentoo: /run/dbus.pid), the same path the stock script gives as pidfile=. dbus-daemon refuses to start when its pid file already exists ("The pid file ... exists, if the message bus is not running, remove this file") and supervise-daemon creates its own pid file there before starting the child: --nopidfile is required, not cosmetic.',
    'The stock reload() calls dbus-send ... org.freedesktop.DBus.ReloadConfig, which talks to the bus, not to a pid: it keeps working unchanged. dbus-daemon also reloads its configuration on SIGHUP.',
    'Restarting dbus to apply the change also restarts (or breaks) every service that needs it: bluetooth, iwd, avahi-daemon, elogind, NetworkManager...',
    'Newer Gentoo dbus scripts already set supervisor=supervise-daemon and command_args_foreground="--nofork" in init.d; such a script is already supervised and must be left alone.',
  ],
  sources: [
    'wiki: dbus-daemon',
    'dbus-daemon(1): --fork / --nofork: override the <fork> setting of the configuration file; --nopidfile: do not write a pid file even if the configuration names one; SIGHUP reloads the configuration',
    'dbus bus/bus.c: start fails when the configured pid file exists',
    'foregroundSince: freedesktop/dbus tag dbus-1.4.16 bus/main.c knows --nofork and --fork but not --nopidfile (an unknown word ends in usage() and exit(1)); commit a8423067 (2012-02-02) adds --nopidfile, in NEWS of 1.5.10 (tag dbus-1.5.10, 2012-02-21)',
    'dbus bus/bus.c bus_context_new(): the listening sockets are set up (process_config_first_time_only) before _dbus_become_daemon() forks',
    'docs/openrc.md §1',
    'docs/openrc.md §2',
    'docs/openrc.md §4',
  ],
};

export default rule;
