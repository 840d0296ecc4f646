import type { ServiceRule } from '../src/rules/types.js';

/*
 * Gentoo's busybox applet services run `command="/bin/busybox <applet>"`: the daemon binary is
 * busybox itself, so these rules go by the service names the busybox ebuild installs them as
 * (newinitd "${FILESDIR}"/ntpd.initd busybox-ntpd, ...), never by the daemon name.
 */
const usage = (applet: string, file: string, word: string) =>
  `busybox ${file}: the ${applet} applet's usage text lists ${word} ("run in foreground"); without it the applet daemonizes`;

export const busyboxNtpd: ServiceRule = {
  id: 'busybox-ntpd',
  services: ['busybox-ntpd'],
  daemons: [],
  summary: 'busybox ntpd -n under supervise-daemon',
  route: 'init.d',
  foreground: '-n',
  sources: [
    usage('ntpd', 'networking/ntpd.c', '-n'),
    "busybox networking/ntpd.c: the pid file is written only after daemonizing, so in the foreground the script's pidfile stays the supervisor's",
  ],
};

export const busyboxSyslogd: ServiceRule = {
  id: 'busybox-syslogd',
  services: ['busybox-syslogd'],
  daemons: [],
  summary: 'busybox syslogd -n under supervise-daemon; the supervisor keeps its own pid file',
  route: 'init.d',
  foreground: '-n',
  ownPidfile: '/var/run/syslogd.pid',
  sources: [
    usage('syslogd', 'sysklogd/syslogd.c', '-n'),
    'busybox sysklogd/syslogd.c do_syslogd(): write_pidfile_std_path_and_ext("syslogd") runs whether or not it forked (CONFIG_PID_FILE_PATH, default /var/run)',
  ],
};

export const busyboxKlogd: ServiceRule = {
  id: 'busybox-klogd',
  services: ['busybox-klogd'],
  daemons: [],
  summary: 'busybox klogd -n under supervise-daemon; the supervisor keeps its own pid file',
  route: 'init.d',
  foreground: '-n',
  ownPidfile: '*',
  sources: [
    usage('klogd', 'sysklogd/klogd.c', '-n'),
    'busybox sysklogd/klogd.c: recent versions write klogd.pid under CONFIG_PID_FILE_PATH after the optional daemonizing; "*" gives the supervisor a pid file of its own whatever the version does',
  ],
};

// No rule for busybox watchdog: its device operand comes before command_args_foreground, and
// -F after an operand is an operand too where getopt does not permute (musl, Alpine).
