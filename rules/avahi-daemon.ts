import type { ServiceRule } from '../src/rules/types.js';

const rule: ServiceRule = {
  id: 'avahi-daemon',
  services: ['avahi-daemon'],
  daemons: ['avahi-daemon'],
  summary:
    'Drop the custom start()/stop() that run "avahi-daemon -D" / "-k", declare command="/usr/sbin/avahi-daemon" and let supervise-daemon keep it in the foreground.',
  route: 'init.d',
  // avahi-daemon stays in the foreground unless -D/--daemonize is given: no foreground words.
  foreground: '',
  backgroundFlags: [
    { flag: '-D', why: 'daemonize' },
    { flag: '--daemonize', why: 'daemonize' },
  ],
  // avahi-daemon.c writes its pid file also in the foreground (daemon_pid_file_create()).
  ownPidfile: '/run/avahi-daemon/pid',
  signals: { reload: 'HUP' },
  // avahi-daemon.c: -k reads the pid file and sends the running daemon SIGTERM.
  stopWords: ['-k', '--kill'],
  notes: [
    'The stock script has no command= and starts/stops the binary itself in start()/stop(); custom start()/stop() bypass any supervisor (docs/openrc.md §4), so both must go and command="/usr/sbin/avahi-daemon" must be declared, as the wiki does.',
    'A leftover "avahi-daemon -k" (the old stop()) would kill the supervised child and supervise-daemon would simply respawn it: nothing of the old stop() may survive.',
    'The wiki keeps reload() as "${command} -r". That still works under supervise-daemon: -r makes a second avahi-daemon read avahi\'s own pid file (/run/avahi-daemon/pid, written also in the foreground) and send SIGHUP to the real daemon. "${supervisor} ${RC_SVCNAME} --signal HUP" is equivalent (docs/openrc.md §3).',
    'Do not set pidfile= to /run/avahi-daemon/pid: avahi-daemon refuses to start when that file names a live process, and the supervisor would be that process. Leaving pidfile unset (supervise-daemon then uses /var/run/supervise-avahi-daemon.pid) needs OpenRC 0.40 or later (docs/openrc.md §2, §5).',
    'In the foreground avahi-daemon logs to stderr unless -s/--syslog is given (syslog is implied only in daemon mode); supervise-daemon discards stderr unless error_log is set, so command_args="-s" keeps the log in syslog. Not part of the wiki recipe.',
  ],
  sources: [
    'wiki: avahi-daemon',
    'avahi-daemon(8): -D, --daemonize: daemonize after startup; -k, --kill: kill a running daemon (avahi-daemon/main.c: daemon_pid_file_kill_wait(SIGTERM, 5)); -r, --reload: make a running daemon reload its static service files, like SIGHUP; -s, --syslog: log to syslog instead of stderr, implied in daemon mode',
    'npm run verify-daemons (docs/verified-daemons.md, 2026-11-25, Debian avahi-daemon 0.8-10+deb12u1): with no -D it stayed in the foreground under supervise-daemon and wrote /run/avahi-daemon/pid',
    'docs/openrc.md §2',
    'docs/openrc.md §3',
    'docs/openrc.md §4',
  ],
};

export default rule;
