import type { ServiceRule } from '../src/rules/types.js';

const rule: ServiceRule = {
  id: 'metalog',
  services: ['metalog'],
  daemons: ['metalog'],
  summary:
    'metalog in the foreground writing its pid to /run/metametalog.pid; --daemonize/--pidfile move to the background arguments; buffer/unbuffer through the supervisor.',
  route: 'init.d',
  // The wiki's words: metalog has no "no-fork" option (it forks only with -B), but without a
  // --pidfile it writes its compiled-in pid file, which is the supervisor's pidfile path.
  foreground: '--pidfile /run/metametalog.pid',
  backgroundFlags: [
    { flag: '-B', why: 'daemonize' },
    { flag: '--daemonize', why: 'daemonize' },
    { flag: '--pidfile', value: true, why: 'pidfile' },
    // Short form: -p in the getopt string of the sources read, -P in one version of metalog(8).
    { flag: '-p', value: true, why: 'pidfile' },
    { flag: '-P', value: true, why: 'pidfile' },
  ],
  ownPidfile: '/run/metalog.pid',
  signals: { buffer: 'USR2', unbuffer: 'USR1' },
  // The wiki uses supervise_daemon_args="--stdout /dev/null --stderr /dev/null"; these give
  // supervise-daemon the same options (OpenRC 0.35+) and leave supervise_daemon_args alone.
  extraVars: { output_log: '/dev/null', error_log: '/dev/null' },
  notes: [
    "metalog writes its pid file even in the foreground, at the compiled-in default (/var/run/metalog.pid, i.e. /run/metalog.pid) unless --pidfile names another. The stock pidfile= is that same path, so without the wiki's --pidfile /run/metametalog.pid metalog would overwrite the supervisor's pid and OpenRC could not stop it (wiki). /dev/null must not be used: metalog deletes and re-creates its pid file (wiki).",
    'metalog(8): SIGUSR1 enables synchronous (unbuffered) mode and SIGUSR2 disables it, so buffer() sends USR2 and unbuffer() sends USR1, as the stock script does. The wiki\'s "--signal x" is a placeholder for those.',
    'Under supervise-daemon a leftover start-stop-daemon --signal USR1/USR2 reaches the supervisor, which blocks both: buffer/unbuffer would silently do nothing (docs/openrc.md §3).',
    'The wiki redirects metalog\'s stdout/stderr with supervise_daemon_args="--stdout /dev/null --stderr /dev/null" so its copy of every log line never reaches a tty. output_log/error_log="/dev/null" produce the same supervise-daemon options without taking over supervise_daemon_args. (The supervise-daemon source read for this rule already points the child\'s stdio at /dev/null; the redirect is kept for older versions.)',
    'Gentoo\'s stock script writes "--pidfile=${pidfile}" (joined with "="); both spellings are matched.',
    'metalog -s/--synchronous and -a/--async are the start-up counterparts of unbuffer/buffer.',
  ],
  sources: [
    'wiki: metalog',
    'metalog(8): -B, --daemonize: start in the background; --pidfile FILE: alternate pid file (default /var/run/metalog.pid); -a, --async; -s, --synchronous; SIGUSR1 enables synchronous mode, SIGUSR2 disables it',
    'docs/openrc.md §2',
    'docs/openrc.md §3',
    'docs/openrc.md §5',
  ],
};

export default rule;
