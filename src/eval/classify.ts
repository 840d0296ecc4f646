/**
 * The harness's own, deliberately simple, "does this service launch a daemon?" — independent
 * of rc-supervise's classification, so that the headline share is not measured with the
 * yardstick under test.
 *
 * A service launches a daemon when its init script or conf.d (comments removed):
 *   - assigns a non-empty `command=` (openrc-run's default start() then runs it), or
 *   - names `start-stop-daemon` or `supervise-daemon` (a custom start() launching one).
 * Everything else is one-shot (mounts, firewall rules, module loading, ...). Known misses, in
 * the "one-shot" direction: a daemon started through a control script (`apachectl start`) or
 * run directly with its own daemonize flag.
 */
export function withoutComments(text: string): string {
  return text
    .split('\n')
    .map((l) => l.replace(/(^|[\s;])#.*$/, '$1'))
    .join('\n');
}

const COMMAND = /(?:^|[\s;&|({])command=(?!(?:""|''|)(?:\s|;|$))/m;
const LAUNCHER = /(?:^|[^\w-])(?:start-stop-daemon|supervise-daemon)(?:[^\w-]|$)/m;

export function launchesDaemon(initd: string, confd: string | null): boolean {
  const code = withoutComments(initd) + '\n' + withoutComments(confd ?? '');
  return COMMAND.test(code) || LAUNCHER.test(code);
}
