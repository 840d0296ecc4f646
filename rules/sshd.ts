import type { ServiceRule } from '../src/rules/types.js';

const rule: ServiceRule = {
  id: 'sshd',
  services: ['sshd'],
  daemons: ['sshd'],
  summary: 'sshd -D under supervise-daemon; its own PidFile moves to the background arguments',
  route: 'init.d',
  // -D alone is not enough: upstream sshd still writes PidFile in -D mode, and Gentoo's
  // SSHD_PIDFILE (/run/sshd.pid) is also sshd's compiled-in PidFile. The daemon would
  // overwrite the supervisor's pid and `stop` would kill only sshd, which is then respawned.
  foreground: '-D -o PidFile=none',
  backgroundFlags: [{ flag: '-o', value: true, valueMatch: /^["']?PidFile=/i, why: 'pidfile' }],
  ownPidfile: '/run/sshd.pid',
  signals: { reload: 'HUP' },
  notes: [
    "The wiki keeps sshd writing its PidFile under -D; sshd writes it at the supervisor's pidfile path, so rc-supervise adds `-o PidFile=none` to the foreground arguments.",
    'The wiki comments out `--wait 1000` by hand; rc-supervise sets supervise_daemon_args instead so start_stop_daemon_args keeps working under start-stop-daemon.',
  ],
  sources: [
    'wiki: sshd (use -D; move -o PidFile= to command_args_background; reload via ${supervisor} --signal HUP)',
    'sshd(8): -D "sshd will not detach and does not become a daemon"; SIGHUP re-executes sshd with its original arguments',
    'sshd_config(5): PidFile "none" writes no pid file; the compiled-in default is /run/sshd.pid',
    'docs/openrc.md §2 (start_stop_daemon_args fallback, pidfile belongs to the supervisor)',
  ],
};

export default rule;
