import type { ServiceRule } from '../src/rules/types.js';

// Gentoo's busybox applet services run `command="/bin/busybox <applet>"`: the daemon binary is
// busybox itself, so this rule goes by the service name the busybox ebuild installs it as
// (newinitd "${FILESDIR}"/<applet>.initd busybox-<applet>), never by the daemon name.

const rule: ServiceRule = {
  id: 'busybox-syslogd',
  services: ['busybox-syslogd'],
  daemons: [],
  summary: 'busybox syslogd -n under supervise-daemon; the supervisor keeps its own pid file',
  route: 'init.d',
  foreground: '-n',
  ownPidfile: '/var/run/syslogd.pid',
  sources: [
    'busybox sysklogd/syslogd.c: the syslogd applet\'s usage text lists -n ("run in foreground"); without it the applet daemonizes',
    'busybox sysklogd/syslogd.c do_syslogd(): write_pidfile_std_path_and_ext("syslogd") runs whether or not it forked (CONFIG_PID_FILE_PATH, default /var/run)',
  ],
};

export default rule;
