import type { ServiceRule } from '../src/rules/types.js';

// Gentoo's busybox applet services run `command="/bin/busybox <applet>"`: the daemon binary is
// busybox itself, so this rule goes by the service name the busybox ebuild installs it as
// (newinitd "${FILESDIR}"/<applet>.initd busybox-<applet>), never by the daemon name.

const rule: ServiceRule = {
  id: 'busybox-ntpd',
  services: ['busybox-ntpd'],
  daemons: [],
  summary: 'busybox ntpd -n under supervise-daemon',
  route: 'init.d',
  foreground: '-n',
  sources: [
    'busybox networking/ntpd.c: the ntpd applet\'s usage text lists -n ("run in foreground"); without it the applet daemonizes',
    "busybox networking/ntpd.c: the pid file is written only after daemonizing, so in the foreground the script's pidfile stays the supervisor's",
  ],
};

export default rule;
