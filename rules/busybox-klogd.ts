import type { ServiceRule } from '../src/rules/types.js';

// Gentoo's busybox applet services run `command="/bin/busybox <applet>"`: the daemon binary is
// busybox itself, so this rule goes by the service name the busybox ebuild installs it as
// (newinitd "${FILESDIR}"/<applet>.initd busybox-<applet>), never by the daemon name.

const rule: ServiceRule = {
  id: 'busybox-klogd',
  services: ['busybox-klogd'],
  daemons: [],
  summary: 'busybox klogd -n under supervise-daemon; the supervisor keeps its own pid file',
  route: 'init.d',
  foreground: '-n',
  ownPidfile: '*',
  sources: [
    'busybox sysklogd/klogd.c: the klogd applet\'s usage text lists -n ("run in foreground"); without it the applet daemonizes',
    'busybox sysklogd/klogd.c: recent versions write klogd.pid under CONFIG_PID_FILE_PATH after the optional daemonizing; "*" gives the supervisor a pid file of its own whatever the version does',
  ],
};

export default rule;
