import type { ServiceRule } from '../src/rules/types.js';

const rule: ServiceRule = {
  id: 'fcron',
  services: ['fcron'],
  daemons: ['fcron'],
  summary:
    'fcron --foreground under supervise-daemon; reload through the supervisor; keep FCRON_SSDARGS ("--wait 1000") away from supervise-daemon.',
  route: 'init.d',
  foreground: '--foreground',
  backgroundFlags: [
    { flag: '-b', why: 'daemonize' },
    { flag: '--background', why: 'daemonize' },
  ],
  // The default of fcron.conf's `pidfile`; the stock script reads the real value at run time.
  ownPidfile: '/run/fcron.pid',
  signals: { reload: 'HUP' },
  notes: [
    "fcron writes its pid into the pidfile named in fcron.conf (default /run/fcron.pid) also in the foreground, and the stock script reuses that path as pidfile=, i.e. as supervise-daemon's pid file: the supervisor must get its own pidfile, or `rc-service fcron stop` stops only the child, which is then respawned. rc-supervise does that (the script's start_pre() then reads fcron's file as ${daemon_pidfile}).",
    'The wiki keeps start_stop_daemon_args=${FCRON_SSDARGS:-"--wait 1000"}. With supervise_daemon_args unset it is handed to supervise-daemon (docs/openrc.md §2), which rejects --wait: under real OpenRC the wiki\'s fcron recipe does not start. rc-supervise sets supervise_daemon_args instead; FCRON_SSDARGS="" in conf.d would not help (":-" substitutes the default for an empty value).',
    "fcron's pid file also locks out a second fcron and tells fcrontab where to send its signals, so it must stay fcron's: it is the supervisor that needs another file (e.g. /run/supervise-fcron.pid). The stock pidfile=$(getconfig pidfile ...) is computed at run time, so rc-supervise cannot see the clash statically.",
    "The wiki's reload uses ${SVCNAME} (a deprecated alias of RC_SVCNAME that still works) and keeps --pidfile, which supervise-daemon accepts and ignores with --signal (docs/openrc.md §3).",
    'In the foreground fcron also copies its log messages to stderr, which supervise-daemon discards unless error_log is set.',
    'Instances fcron.<name> (same script, /etc/fcron/fcron.<name>.conf) need the same changes.',
  ],
  sources: [
    'wiki: fcron',
    'fcron(8): -f, --foreground: do not fork to the background (messages also go to stderr); -b, --background: run in the background (default); SIGHUP: re-read the configuration and fcrontabs',
    'fcron.conf(5): pidfile: where fcron writes its pid',
    'docs/openrc.md §2',
    'docs/openrc.md §3',
  ],
};

export default rule;
