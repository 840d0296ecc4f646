import type { ServiceRule } from '../src/rules/types.js';

// Gentoo's busybox applet services run `command="/bin/busybox <applet>"`: the daemon binary is
// busybox itself, so this rule goes by the service name the busybox ebuild installs it as
// (newinitd "${FILESDIR}"/<applet>.initd busybox-<applet>), never by the daemon name.
// Its one operand, the device (WATCHDOG_OPTS="/dev/watchdog" in conf.d), ends command_args:
// OpenRC appends -F after it, which a getopt() that stops at the first operand (musl's) never
// reads; the foreground step refuses that case and says to put -F before the device.

const rule: ServiceRule = {
  id: 'busybox-watchdog',
  services: ['busybox-watchdog'],
  daemons: [],
  summary: 'busybox watchdog -F under supervise-daemon; the supervisor keeps its own pid file',
  route: 'init.d',
  foreground: '-F',
  ownPidfile: '*',
  sources: [
    'busybox miscutils/watchdog.c watchdog_main(): usage "[-t N[ms]] [-T N[ms]] [-F] DEV", -F "Run in foreground"; bb_daemonize_or_rexec() runs only without -F (OPT_FOREGROUND, there since 2006, busybox 1.2)',
    'busybox miscutils/watchdog.c watchdog_main(): the pid file watchdog.pid in CONFIG_PID_FILE_PATH is written after the optional daemonizing, so in the foreground too (since 1.21, commit 12677acf0; so in the 1.27.2 and 1.29.1 the ebuilds install); Gentoo\'s ebuild sets PID_FILE_PATH to /run, the very /run/watchdog.pid of the script, and upstream\'s default is /var/run: "*" gives the supervisor a pid file of its own',
  ],
};

export default rule;
