/**
 * The harness's own, deliberately simple, "does this service launch a daemon?" — independent
 * of rc-supervise's classification, so that the headline share is not measured with the
 * yardstick under test.
 *
 * A service launches a daemon when its init script or conf.d (comments removed):
 *   - assigns a non-empty `command=` and keeps openrc-run's default start(), which runs it
 *     (no start() of its own at the start of a line, or one that calls `default_start`): a
 *     custom start() makes `command` just a name its functions use (`${command} start` of a
 *     firewall tool like shorewall, `${command} -q server all up` of pdnsd-ctl), or
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

/**
 * A start() of the script's own: defined at the start of a line (one indented inside an `if`,
 * like sssd's baselayout-1 guard, is not the one that runs), and not calling default_start.
 */
const OWN_START = /^(?:function\s+)?start\s*\(\s*\)/m;

export function launchesDaemon(initd: string, confd: string | null): boolean {
  const script = withoutComments(initd);
  const code = script + '\n' + withoutComments(confd ?? '');
  const defaultStart = !OWN_START.test(script) || /(?:^|[^\w-])default_start(?:[^\w-]|$)/m.test(script);
  return (COMMAND.test(code) && defaultStart) || LAUNCHER.test(code);
}
