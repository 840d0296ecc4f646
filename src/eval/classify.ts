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
 *   - or has a stop() that ends a process with kill/killall/pkill as one of its own steps (not
 *     inside an if/case/loop, not `kill -0`): what stop() always kills, start() left running
 *     (sendmail, portsentry, vtund run the daemon directly, without start-stop-daemon).
 * Everything else is one-shot (mounts, firewall rules, module loading, ...). Known misses, in
 * the "one-shot" direction: a daemon started through a control script (`apachectl start`) and
 * stopped the same way, or one stopped only under a condition.
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
  return (COMMAND.test(code) && defaultStart) || LAUNCHER.test(code) || stopKills(script);
}

const STOP = /^(?:function\s+)?stop\s*\(\s*\)\s*\{?[ \t]*$/m;
const KILL = /^\s*(?:\/usr)?(?:\/s?bin\/)?(?:kill|killall|pkill)\s+(?!-0\s)(?!-s\s+0\s)\S/;

/** stop() (a function at the start of a line, up to its closing `}` at the start of a line) kills unconditionally. */
function stopKills(script: string): boolean {
  const m = STOP.exec(script);
  if (!m) return false;
  const body = script.slice(m.index + m[0].length).split('\n');
  let depth = 0;
  for (const line of body) {
    if (/^}/.test(line)) break;
    const bare = line.replace(/"(?:[^"\\]|\\.)*"|'[^']*'/g, '""');
    if (depth === 0 && KILL.test(bare)) return true;
    for (const k of bare.matchAll(/(?:^|[\s;&|(])(if|case|for|while|until|fi|esac|done)(?=[\s;&|)]|$)/g))
      depth += /^(if|case|for|while|until)$/.test(k[1]) ? 1 : -1;
  }
  return false;
}
