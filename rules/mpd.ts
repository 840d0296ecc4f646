import type { ServiceRule } from '../src/rules/types.js';

const rule: ServiceRule = {
  id: 'mpd',
  services: ['mpd'],
  daemons: ['mpd'],
  summary: 'mpd --no-daemon under supervise-daemon; reload through the supervisor.',
  route: 'init.d',
  foreground: '--no-daemon',
  signals: { reload: 'HUP' },
  // mpd writes mpd.conf's pid_file also with --no-daemon: the supervisor gets a pid file of its
  // own, and start_pre()'s checkpath keeps making pid_file's directory (as ${daemon_pidfile}).
  ownPidfile: '*',
  notes: [
    "mpd writes the pid_file of mpd.conf also with --no-daemon, and the stock script uses that same path as pidfile=, i.e. as supervise-daemon's pid file: rc-supervise gives the supervisor its own pidfile and keeps start_pre's checkpath on the directory of pid_file (the script reads it as ${daemon_pidfile}).",
    'mpd has no daemonize flag to move: it detaches unless --no-daemon is given, and its pid file comes from mpd.conf (pid_file), not from the command line.',
    "pidfile=$(get_config pid_file): under supervise-daemon pidfile is the supervisor's pid file (docs/openrc.md §2), while mpd writes pid_file itself at start-up, also with --no-daemon. mpd's pid then replaces the supervisor's, and `rc-service mpd stop` signals mpd, which the supervisor respawns. The wiki keeps this line. The value is read from mpd.conf at run time, so rc-supervise cannot compare paths statically.",
    'Do not simply point pidfile= elsewhere: Gentoo\'s start_pre runs `checkpath -d -m 700 -o mpd:mpd "$(dirname "${pidfile}")"`, which with pidfile=/run/supervise-mpd.pid would chown /run to mpd. Keep that checkpath on the directory of pid_file. Dropping pid_file from mpd.conf instead also works (supervise-daemon then defaults to /var/run/supervise-mpd.pid, OpenRC 0.40+), but newer Gentoo scripts refuse to start without pid_file.',
    'As far as I know mpd handles SIGHUP by reopening its log file (what logrotate needs) and does not re-read mpd.conf, so "reload" is a log reopen. A logrotate postrotate that signals the pid in pid_file keeps working only while pid_file is mpd\'s own.',
  ],
  sources: [
    'wiki: mpd',
    "mpd(1): --no-daemon: don't detach from console; --kill: kill the running mpd through pid_file",
    "mpd.conf(5): pid_file: file to save mpd's process ID in",
    'MPD src/unix/Daemon.cxx: daemonize_begin(false) returns early without a parent to write the pid file, so daemonize_commit() writes it ("there is no parent - do it now"), and daemonize_finish() removes it at exit (found by a review of real migrations, 2026-11-26)',
    'docs/openrc.md §2',
    'docs/openrc.md §3',
  ],
};

export default rule;
