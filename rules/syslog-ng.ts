import type { ServiceRule } from '../src/rules/types.js';

const rule: ServiceRule = {
  id: 'syslog-ng',
  services: ['syslog-ng'],
  daemons: ['syslog-ng'],
  summary:
    'syslog-ng --foreground --process-mode=foreground under supervise-daemon; --pidfile moves to command_args_background; reload through the supervisor.',
  route: 'init.d',
  foreground: '--foreground --process-mode=foreground',
  // Seen under real OpenRC: in the foreground syslog-ng still writes its built-in pid file,
  // /run/syslog-ng.pid on Gentoo (--with-pidfile-dir=/var/run), the supervisor's pidfile.
  ownPidfile: '*',
  backgroundFlags: [
    { flag: '--pidfile', value: true, why: 'pidfile' },
    { flag: '-p', value: true, why: 'pidfile' },
    { flag: '--process-mode', value: true, valueMatch: /^["']?(safe-)?background["']?$/, why: 'daemonize' },
  ],
  signals: { reload: 'HUP' },
  notes: [
    'Without options syslog-ng runs in "safe-background" mode: it forks, and the parent stays behind as its own supervisor of a worker child (wiki). --foreground stops the fork; --process-mode=foreground also drops syslog-ng\'s internal supervisor, so the real worker is supervise-daemon\'s child. Both are needed.',
    'The wiki moves --pidfile "${SYSLOG_NG_PIDFILE}" to command_args_background and keeps pidfile="${SYSLOG_NG_PIDFILE}" for the supervisor. Unsure: syslog-ng may still write its default pid file (<pidfile-dir>/syslog-ng.pid, /run/syslog-ng.pid on Gentoo) when --pidfile is absent; if so it would overwrite the supervisor\'s pid at that same path. Not verified; if `rc-service syslog-ng stop` leaves syslog-ng running, give the supervisor another pidfile.',
    'reload() runs checkconfig (syslog-ng --syntax-only) first, which is independent of the supervisor; only the start-stop-daemon --signal HUP must become ${supervisor} ${RC_SVCNAME} --signal HUP (docs/openrc.md §3). syslog-ng-ctl reload over the control socket is a supervisor-independent alternative.',
    'command_user="${SYSLOG_NG_USER}:${SYSLOG_NG_GROUP}" always has a value (both default to root), so the bare --user trap of docs/openrc.md §2 does not apply.',
  ],
  sources: [
    'wiki: syslog-ng',
    'syslog-ng(8): -F, --foreground: do not daemonize; --process-mode <safe-background|background|foreground>; -p, --pidfile FILE; -s, --syntax-only; SIGHUP reloads the configuration and reopens files',
    'docs/openrc.md §2',
    'docs/openrc.md §3',
  ],
};

export default rule;
