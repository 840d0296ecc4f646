import type { ServiceRule } from '../src/rules/types.js';

// Gentoo's busybox applet services run `command="/bin/busybox <applet>"`: the daemon binary is
// busybox itself, so this rule goes by the service name the busybox ebuild installs it as
// (newinitd "${FILESDIR}"/crond.initd busybox-crond), never by the daemon name. That also
// covers a busybox-crond script that runs the applet through its crond link
// (command=/usr/sbin/crond). The rule names no daemon: crond is also cronie's binary
// (knowledge/daemons/crond.json), and a curated rule matched by daemon name would win over it.

const rule: ServiceRule = {
  id: 'busybox-crond',
  services: ['busybox-crond'],
  daemons: [],
  summary: 'busybox crond -f under supervise-daemon; the supervisor keeps its own pid file',
  route: 'init.d',
  foreground: '-f',
  ownPidfile: '*',
  notes: [
    'busybox crond logs to syslog in the foreground too, unless -d N (stderr) or -L FILE is given.',
    "Gentoo's busybox ebuilds set PID_FILE_PATH (/var/run in srcshelton's 1.36.1), so crond.pid is the script's own pidfile (/var/run/crond.pid or /run/crond.pid): the supervisor takes another.",
  ],
  sources: [
    'busybox miscutils/crond.c crond_main(): usage "-f Foreground", "-b Background (default)"; bb_daemonize_or_rexec() runs only without -f (OPT_f; the same in 1.10.0, 1.20.0 and master)',
    'busybox miscutils/crond.c crond_main(): write_pidfile_std_path_and_ext("crond") (before 1.21: write_pidfile("/var/run/crond.pid")) runs after the optional daemonizing, so in the foreground too; libbb/pidfile.c puts it in CONFIG_PID_FILE_PATH (default /var/run)',
    'busybox miscutils/crond.c crond_main(): syslog unless -d (stderr) or -L (log file) is given, whether or not it forks',
  ],
};

export default rule;
