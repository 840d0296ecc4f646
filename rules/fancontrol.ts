import type { ServiceRule } from '../src/rules/types.js';

const rule: ServiceRule = {
  id: 'fancontrol',
  services: ['fancontrol'],
  daemons: ['fancontrol'],
  summary:
    'Set supervisor="supervise-daemon" in /etc/conf.d/fancontrol and keep FANCONTROL_SSDARGS ("--background --wait 1000") away from supervise-daemon.',
  // The wiki says conf.d; the pid file clash below needs init.d.
  route: 'init.d',
  // fancontrol is a bash loop that never forks; start-stop-daemon put it in the background.
  foreground: '',
  ownPidfile: '/run/fancontrol.pid',
  notes: [
    'fancontrol never daemonizes; the stock script backgrounds it through start_stop_daemon_args="${FANCONTROL_SSDARGS}" (default "--background --wait 1000"). Under supervise-daemon nothing has to be added to keep it in the foreground.',
    'With supervise_daemon_args unset those start_stop_daemon_args reach supervise-daemon (docs/openrc.md §2), which rejects --background and --wait: start fails. The wiki\'s conf.d-only recipe is not enough; conf.d must also set supervise_daemon_args (a single space works with every OpenRC version). FANCONTROL_SSDARGS="" in conf.d does not help: the script uses ${FANCONTROL_SSDARGS:-...}, which replaces an empty value by the default.',
    'fancontrol writes $$ to PIDFILE=/var/run/fancontrol.pid (hard-coded in the script) and refuses to start if the file exists. /var/run is /run on current systems, and supervise-daemon creates its pid file before it starts the child, so with the stock pidfile= fancontrol can never start under supervise-daemon. conf.d cannot change that pidfile (docs/openrc.md §1); init.d must, so rc-supervise migrates fancontrol in init.d and gives the supervisor /run/supervise-fancontrol.pid.',
    'On SIGTERM/SIGINT/SIGHUP/SIGQUIT fancontrol sets the fans back to full speed and deletes its pid file before exiting; retry="${FANCONTROL_TERMTIMEOUT}" (TERM/60/KILL/5) reaches supervise-daemon as --retry and keeps that grace time.',
  ],
  sources: [
    'wiki: fancontrol',
    'fancontrol(8) and lm-sensors prog/pwm/fancontrol: PIDFILE=/var/run/fancontrol.pid, exits when it exists, removes it when stopped by a signal; no option to daemonize',
    'supervise-daemon.c: with --start, the pid file is created before the child is forked',
    'docs/openrc.md §1',
    'docs/openrc.md §2',
  ],
};

export default rule;
