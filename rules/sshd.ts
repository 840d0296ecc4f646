import { gateNote, UNKNOWN_NEWER } from '../src/knowledge/rules.js';
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
  // PidFile=none means no pid file only from OpenSSH 6.8 (openssh-portable commit 161cf419f,
  // 2014-12-22, first in tag V_6_8_P1, 2015-03-16: servconf.c CLEAR_ON_NONE(options->pid_file)).
  // Before, sshd.c main() fopen()s options.pid_file whatever it is, after chdir("/"): an older
  // sshd would write its pid to a file /none (V_5_9_P1, V_6_7_P1). Known older versions are
  // refused (funkycode's openssh-5.x scripts, holdout 10); an unknown one is taken to be newer.
  foregroundSince: '6.8',
  versionedForeground: '-D -o PidFile=none',
  foregroundSinceReleased: '2015-03',
  versionNote: gateNote('sshd', '-D -o PidFile=none', '6.8', '2015-03', UNKNOWN_NEWER),
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
    'foregroundSince: openssh-portable commit 161cf419f (2014-12-22, in tag V_6_8_P1 dated 2015-03-16) makes servconf.c turn a PidFile of "none" into no pid file (CLEAR_ON_NONE); in V_6_7_P1 and older sshd.c main() opens options.pid_file as given, so "none" names a file',
    'openssh-portable servconf.c process_server_config_line(), sPidFile/parse_filename: a value is taken only while pid_file is still NULL, so the first PidFile given (command line -o before sshd_config, and the first -o among several) wins',
    'docs/openrc.md §2 (start_stop_daemon_args fallback, pidfile belongs to the supervisor)',
  ],
};

export default rule;
