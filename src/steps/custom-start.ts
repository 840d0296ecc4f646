import { BLOCK_WORDS, BRANCH_WORDS, stmtEnd, stripQuotedAndComments } from './shell-shape.js';
import { guardedConversion } from './guarded-start.js';
import type { Edit } from '../edit/edits.js';
import { parseOptions, SHARED_MEANING, type ParsedArgs, type ParsedOption } from '../model/options.js';
import type { Service, SsdCall } from '../model/service.js';
import { OPENRC_OWN_COMMANDS } from '../model/commands.js';
import type { Assignment, Command, FunctionDef } from '../parse/shellfile.js';
import { unquoted, type Token } from '../parse/words.js';
import { assignment } from '../shell/quote.js';
import { referencedVars, samePath } from './emit.js';
import { matchesFlag } from './flags.js';
import { DECLARATIVE, shellQuoteWord } from './ssd-args.js';
import { retrySignal } from '../model/signals.js';
import { NO_FORK_WORDS } from './foreground.js';
import type { Converted, Draft, Refusal, StepContext } from './types.js';
import type { PidfileReader } from '../knowledge/logrotate.js';
import { CHATTER, MESSAGES } from './chatter.js';

/** Functions openrc-run provides that run the chosen supervisor: calling them does not bypass it. */
const DEFAULT_START = new Set(['default_start', 'supervise_start', 'ssd_start', 'start_stop_daemon_start']);
const DEFAULT_STOP = new Set(['default_stop', 'supervise_stop', 'ssd_stop', 'start_stop_daemon_stop']);
/** Words that make a program detach; their presence means start() launches a daemon. */
export const DAEMONIZE_WORDS =
  /^(--daemon|--daemonize|--daemonise|-daemon|-daemonize|-daemonise|--fork|--background|--detach|-D|-d|-b|-B)$/;

/**
 * OpenRC's helpers and common system tools: never the daemon, whatever their flags say
 * (`checkpath -d` creates a directory, `modprobe -b` honours the blacklist, `install -d`...).
 */
const NEVER_DAEMON = new Set([
  ...CHATTER,
  ...['eerror', 'vebegin', 'veend', 'ewend', 'ewaitfile', 'checkpath', 'yesno', 'get_bootparam', 'is_older_than'],
  ...['service_set_value', 'service_get_value', 'service_started', 'service_stopped', 'rc-service', 'rc-status'],
  ...['mkdir', 'chown', 'chmod', 'chgrp', 'install', 'touch', 'rm', 'ln', 'cp', 'mv', 'cat', 'echo', 'printf'],
  ...['sed', 'grep', 'egrep', 'awk', 'cut', 'tr', 'head', 'tail', 'sort', 'find', 'xargs', 'test', '['],
  ...['modprobe', 'rmmod', 'insmod', 'sysctl', 'mount', 'umount', 'mknod', 'ulimit', 'sleep', 'kill', 'killall'],
  ...['pkill', 'pgrep', 'pidof', 'setfacl', 'chattr', 'tar', 'ip', 'ifconfig', 'route', 'iptables', 'getent'],
]);
const neverDaemon = (name: string) => NEVER_DAEMON.has(name) || /^mark_service_/.test(name);
/** A command of start() passing a word that makes a program detach (helpers and tools excepted). */
const withDaemonizeFlag = (c: Command) =>
  !neverDaemon(c.name) && c.words.slice(1).some((w) => DAEMONIZE_WORDS.test(unquoted(w.text)));

/**
 * Programs start() runs by name with a daemonize flag (`mdadm --monitor --daemonise`): the
 * daemon, when a rule knows the name (the caller looks it up; a bare name says nothing alone).
 */
export function daemonizingPrograms(s: Service): string[] {
  return s.initd.commands.filter((c) => c.fn === 'start' && withDaemonizeFlag(c)).map((c) => c.name);
}

const refuse = (reason: string, suggestion?: string): Refusal => ({
  kind: 'refuse',
  code: 'custom-start',
  reason: reason.startsWith('custom ') ? reason : `custom start()/stop(): ${reason}`,
  suggestion:
    suggestion ??
    'replace start()/stop() by command/command_args (and start_pre()/start_post() for the other steps), then run migrate again',
});

/** The service's own name: what openrc-run sets these to, whatever the script does. */
const OWN_NAME = /^(RC_SVCNAME|SVCNAME)$/;

/**
 * Whether an eval may set `v`. suricata's `eval SURICATACONF=\$SURICATA_CONF_${SURICATAID}`
 * assigns the one name written before its `=` (as the Service model reads such evals,
 * unknownValues); code with a computed name (`eval $x`, `eval "${n}=…"`) may set anything, and
 * one that writes `v=` sets v.
 */
function evalMaySet(c: Command, v: string): boolean {
  const code = c.words
    .slice(1)
    .map((w) => w.text)
    .join(' ');
  const eq = code.indexOf('=');
  const lhs = eq < 0 ? code : code.slice(0, eq);
  return (
    !/^["']?[A-Za-z_]\w*$/.test(lhs.trim()) || /[;&|\n`]|\$\(/.test(code) || new RegExp(`\\b${v}\\s*\\+?=`).test(code)
  );
}

/** Why a variable has no single static value (undefined: it has one). */
function notStatic(s: Service, v: string, seen: Set<string>): string | undefined {
  if (OWN_NAME.test(v) || seen.has(v)) return undefined;
  seen.add(v);
  if (s.unknown.has(v)) return s.unknown.get(v);
  const files = [s.initd, ...(s.confd ? [s.confd] : [])];
  const all = files.flatMap((f) => f.assignments.filter((a) => a.name === v));
  if (all.length === 0) return `${v} is not set by the script or its conf.d`;
  const odd = all.find((a) => a.fn !== null || !a.plain || a.guard);
  if (odd) return `${v} is set ${odd.fn ? `in ${odd.fn}()` : 'under a condition'}`;
  // A sourced file or an eval may set it where a static reading cannot see: in a function (it
  // may run before start()), in conf.d, or at init.d's top level after its last assignment
  // (rpc.statd's `. /etc/conf.d/nfs` above `rpc_bin=/sbin/rpc.statd` cannot change it).
  const lastTop = Math.max(-1, ...s.initd.topLevel(v).map((a) => a.end));
  const hidden = files
    .flatMap((f) => f.commands.filter((c) => f !== s.initd || c.fn !== null || c.start > lastTop))
    .find(
      (c) =>
        ((c.name === '.' || c.name === 'source') && !sourcesOwnConfd(s, c)) ||
        (c.name === 'eval' && !c.subshell && evalMaySet(c, v)) ||
        (/^(read|getopts)$/.test(c.name) && c.words.some((w) => w.text === v)),
    );
  if (hidden) return `the script runs ${hidden.name}, which may set ${v}`;
  const value = s.value(v);
  if (typeof value !== 'string' || value === '' || /[\s$`]/.test(value)) return `${v} has no single static value`;
  for (const a of all)
    for (const w of referencedVars(a.value.text)) {
      const why = notStatic(s, w, seen);
      if (why) return why;
    }
  return undefined;
}

/**
 * `. FILE` or `source FILE` reading one of the files OpenRC itself loads for this service or
 * for an instance of it: openrc-run.sh sources conf.d/${RC_SVCNAME%%.*} and then
 * conf.d/${RC_SVCNAME} before the script runs, so such a file sets nothing those did not
 * already set (memcached's `source "${CONFSRC}"`, CONFSRC being "${CONFBASE}" or
 * "${CONFBASE}.${CONF}" with CONFBASE=/etc/conf.d/memcached and CONF="${SVCNAME#*.}").
 * FILE, and every value the variable it names can take, must be /etc/conf.d/<the service's
 * base name> alone or followed by `.` and words derived from the service's own name.
 */
function sourcesOwnConfd(s: Service, c: Command): boolean {
  if (c.words.length !== 2) return false;
  const base = s.name.split('.')[0];
  const own = `/etc/conf.d/${base}`;
  // What may follow the own file's name: `.` and a suffix derived from the service's name.
  // Each variable it reads is the service's name or set only from it (or to a plain word).
  const files = [s.initd, ...(s.confd ? [s.confd] : [])];
  const ownSuffix = (rest: string | undefined) =>
    rest === undefined ||
    (!/[/\s`]|\$\(/.test(rest) &&
      readsOwnName(s, rest, new Set()) &&
      referencedVars(rest).every((v) => {
        if (OWN_NAME.test(v)) return true;
        const set = files.flatMap((f) => f.assignments.filter((a) => a.name === v));
        return (
          set.length > 0 &&
          set.every((a) => {
            const x = unquoted(a.value.text);
            return (
              !/[/\s`]/.test(x) &&
              (!x.includes('$') || (/^\$\{?(RC_SVCNAME|SVCNAME)\b[^$]*$/.test(x) && !/\$\(/.test(x)))
            );
          })
        );
      }));
  const fits = (text: string, seen: Set<string>): boolean => {
    if (text === own) return true;
    if (text.startsWith(`${own}.`)) return ownSuffix(text.slice(own.length + 1));
    const m = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))(?:\.(.+))?$/.exec(text);
    if (!m) return false;
    const name = m[1] ?? m[2];
    const all = files.flatMap((f) => f.assignments.filter((a) => a.name === name));
    // `${CONFBASE}.${CONF}`: the variable is set once, plainly at the script's top level, to the
    // own conf.d file (read as written: notStatic would look at this very command again).
    if (m[3] !== undefined)
      return (
        ownSuffix(m[3]) &&
        all.length === 1 &&
        s.initd.assignments.includes(all[0]) &&
        all[0].fn === null &&
        all[0].plain &&
        !all[0].guard &&
        all[0].end < c.start &&
        unquoted(all[0].value.text) === own
      );
    // `"${CONFSRC}"`: each of its assignments must fit.
    if (seen.has(name)) return false;
    seen.add(name);
    return all.length > 0 && all.every((a) => fits(unquoted(a.value.text), seen));
  };
  return fits(unquoted(c.words[1].text), new Set());
}

/**
 * The static value of the program word of a launch (`/usr/bin/${RC_SVCNAME}`,
 * `$BIN_DIR/$PROGRAM`), when every variable in it has one static value: set by a plain
 * top-level assignment (init.d or conf.d, in OpenRC's order), never in a function or under a
 * condition, or the service's own name. Service.expand alone would read an unknown variable
 * as empty, hence the checks. `ownName`: the value depends on the service's name.
 */
export function staticProgram(
  s: Service,
  word: string,
): { path: string; ownName: boolean } | { why: string } | undefined {
  if (!/[$`]/.test(word)) return undefined;
  if (/`|\$\(|\$\{[^}]*[^\w}]/.test(word)) return { why: 'it is computed' };
  const seen = new Set<string>();
  for (const v of referencedVars(word)) {
    const why = notStatic(s, v, seen);
    if (why) return { why };
  }
  const path = s.expand(word);
  if (!path || /[\s$`]/.test(path) || path.endsWith('/')) return { why: 'it has no single static value' };
  return { path, ownName: readsOwnName(s, word, new Set()) };
}

/**
 * No file rc-supervise reads assigns `name` anywhere (not even in a function), none sources
 * another file, and OpenRC does not provide it: its value at start time is empty.
 */
function setNowhere(s: Service, name: string): boolean {
  if (/^(RC_|SVCNAME$)/.test(name) || s.value(name) !== undefined) return false;
  const files = [...s.rcconf, ...(s.confd ? [s.confd] : []), s.initd];
  return !files.some(
    (f) => f.assignments.some((a) => a.name === name) || f.commands.some((c) => c.name === '.' || c.name === 'source'),
  );
}

/** The word's value depends on the service's name, directly or through the variables it reads (`PROGRAM=${SVCNAME%%.*}`). */
function readsOwnName(s: Service, text: string, seen: Set<string>): boolean {
  return referencedVars(text).some((v) => {
    if (OWN_NAME.test(v)) return true;
    if (seen.has(v)) return false;
    seen.add(v);
    const files = [s.initd, ...(s.confd ? [s.confd] : [])];
    return files.some((f) => f.assignments.some((a) => a.name === v && readsOwnName(s, a.value.text, seen)));
  });
}

/**
 * Basename of the program start() launches with start-stop-daemon (--exec, --startas or the
 * operand), when static: how a custom-start script's daemon is looked up in the rules.
 */
export function launchedDaemon(s: Service): string | undefined {
  for (const c of s.ssdCalls) {
    if (c.kind !== 'start' || c.cmd.fn !== 'start') continue;
    const o =
      c.parsed.options.find((x) => x.spec.long === 'startas') ?? c.parsed.options.find((x) => x.spec.long === 'exec');
    const prog =
      o?.value ??
      (c.parsed.operandsAt < c.args.length && c.args[c.parsed.operandsAt] !== '--'
        ? c.args[c.parsed.operandsAt]
        : undefined);
    // `--exec "${DAEMON}"` with DAEMON="/usr/sbin/${NAME}" at the top: its static value.
    const known = prog ? staticProgram(s, prog) : undefined;
    const value = known ? ('path' in known ? known.path : undefined) : prog;
    if (value && !/[$`\s]/.test(value)) return value.slice(value.lastIndexOf('/') + 1);
  }
  // The binary run directly with a daemonize flag (`/usr/sbin/avahi-daemon -D`).
  for (const c of s.initd.commands) {
    if (c.fn !== 'start' || !c.words[0].text.startsWith('/') || !withDaemonizeFlag(c)) continue;
    if (!/[$`]/.test(c.words[0].text)) return c.name;
    const known = staticProgram(s, c.words[0].text);
    if (known && 'path' in known) return known.path.slice(known.path.lastIndexOf('/') + 1);
  }
  return undefined;
}

/**
 * The programs start() runs directly (no start-stop-daemon --start) while stop() stops a daemon
 * with start-stop-daemon --stop or killall (rinetd's `/usr/sbin/rinetd` and `start-stop-daemon
 * --stop --pidfile /var/run/rinetd.pid`): the launch forks by itself, and only a rule for the
 * program (the caller looks it up) can say whether it is the daemon. convertCustomStart then
 * checks that stop() stops that same program (directLaunch). Helpers, the script's own functions
 * and commands without a static program name are never candidates.
 */
export function directlyRun(s: Service): string[] {
  if (!s.initd.fn('start') || !s.initd.fn('stop')) return [];
  if (s.ssdCalls.some((c) => c.kind === 'start')) return [];
  const stopsDaemon = s.initd.commands.some(
    (c) =>
      c.fn === 'stop' &&
      (c.name === 'killall' ||
        (c.name === 'start-stop-daemon' && !isSsdStart(s, c)) ||
        (c.name === 'kill' && killedByFile(c) !== undefined)),
  );
  if (!stopsDaemon) return [];
  const names: string[] = [];
  for (const c of s.initd.commands) {
    if (c.fn !== 'start' || neverDaemon(c.name) || MESSAGES.has(c.name) || s.defines(c.name)) continue;
    if (/^(return|local|export|unset|set|cd|exit|wait|eval|\.|source)$/.test(c.name)) continue;
    const argv0 = c.words[0].text;
    const known = /[$`]/.test(argv0) ? staticProgram(s, argv0) : undefined;
    if (known && 'path' in known) names.push(known.path.slice(known.path.lastIndexOf('/') + 1));
    else if (!known) names.push(c.name);
  }
  return [...new Set(names)];
}

/**
 * poolmon's start() and stop() each set `local pidfile=/run/poolmon.pid` and pass
 * `--pidfile "${pidfile}"`: `v` is given one literal path wherever the script sets it (conf.d
 * never), and the converted pid file is that name or the same path, so stop()'s own setting
 * names the very file the supervisor's stop (or, supervisor removed, OpenRC's) uses.
 */
function oneLiteralFile(s: Service, v: string, lines: readonly string[]): boolean {
  if (s.confd?.assignments.some((a) => a.name === v || a.name === 'pidfile')) return false;
  const all = s.initd.assignments.filter((a) => a.name === v);
  if (all.some((a) => !a.plain || a.guard || a.form !== 'assign')) return false;
  const values = new Set(all.map((a) => unquoted(a.value.text)));
  const [path] = values;
  if (values.size !== 1 || !path.startsWith('/') || /[$`*?[\]\s~\\]/.test(path)) return false;
  const given = [
    ...lines.filter((l) => l.startsWith('pidfile=')).map((l) => l.slice('pidfile='.length)),
    ...s.initd.assignments.filter((a) => a.name === 'pidfile' && a.fn === null).map((a) => a.value.text),
  ];
  return (
    given.length > 0 &&
    given.every((g) => unquoted(g) === path || new RegExp(`^(["']?)(\\$${v}|\\$\\{${v}\\})\\1$`).test(g))
  );
}

/**
 * carbon-c-relay's stop(): `local pfile=${pidfile}`, then `[[ -e /run/carbon-c-relay.pid ]] &&
 * pfile="/run/carbon-c-relay.pid"` ("migration path"), and `--pidfile "${pfile}"`. The other file
 * is one an older version of the script had the daemon write: nothing in the script names it
 * now, and the rule says the daemon writes no pid file unless told (under the supervisor its
 * pid file flag goes to command_args_background), so no supervised daemon ever makes it. stop()
 * then stops through pidfile, as the supervisor's stop does; the fallback only reached a daemon
 * an older script had started. Only: V set twice in stop(), first plainly to `${pidfile}`, then
 * on one line `[ -e L ] && V=L` (or `[[ … ]]`, `-f`) with L an absolute literal path that
 * appears nowhere else in the script or conf.d, and V read only by the stop's --pidfile.
 * Returns the two lines (as written) and L.
 */
function legacyPidfileFallback(
  s: Service,
  stopFn: FunctionDef,
  v: string,
  stopper: Command,
): { lines: string[]; path: string } | undefined {
  const sets = s.initd.assignments.filter((a) => a.name === v);
  if (sets.length !== 2 || sets.some((a) => a.fn !== stopFn.name || a.form !== 'assign')) return undefined;
  const [first, second] = [...sets].sort((a, b) => a.start - b.start);
  if (!first.plain || !/^"?\$\{?pidfile\}?"?$/.test(first.value.text)) return undefined;
  if (first.declaration && first.declaration !== 'local') return undefined;
  const t = s.initd.text;
  const line = (o: number) => t.slice(s.initd.lineStart(o), s.initd.lineEnd(o)).replace(/\r?\n$/, '');
  const firstLine = line(first.start);
  if (!new RegExp(`^\\s*(local\\s+)?${v}=\\S+\\s*$`).test(firstLine)) return undefined;
  const path = unquoted(second.value.text);
  if (!path.startsWith('/') || /[$`*?[\]\s~\\'"]/.test(path)) return undefined;
  const esc = path.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
  const secondLine = line(second.start);
  const shape = new RegExp(
    `^\\s*(\\[\\[|\\[)\\s+-[ef]\\s+(["']?)${esc}\\2\\s+(\\]\\]|\\])\\s*&&\\s*${v}=(["']?)${esc}\\4\\s*$`,
  );
  if (!shape.test(secondLine)) return undefined;
  // L only there: the launch, the daemon's arguments, other functions and conf.d never name it.
  const count = (x: string) => x.split(path).length - 1;
  if (count(t) !== 2 || (s.confd && count(s.confd.text) > 0)) return undefined;
  // Both before the stop, and V read only by the stop's own words.
  if (first.start > stopper.start || second.start > stopper.start) return undefined;
  const reads = new RegExp(`\\$\\{?${v}\\b`);
  const body = t.slice(stopFn.body.start, stopFn.body.end);
  const outside = body.slice(0, stopper.start - stopFn.body.start) + body.slice(stopper.end - stopFn.body.start);
  if (reads.test(outside.replace(secondLine, '').replace(firstLine, ''))) return undefined;
  return { lines: [firstLine, secondLine], path };
}

/** Why a launch line that goes on with `||`, `&&`, `|` or `&` is refused. */
const CHAINED = 'start() chains the launch with other commands on its line (||, &&, | or &)';

/** What start() does, as far as the conversion is concerned. */
export type StartShape =
  | { kind: 'none' }
  | { kind: 'default' }
  | {
      kind: 'launch';
      launch: Command;
      how: 'start-stop-daemon' | 'binary';
      guard?: Command;
      /** The launch line ends in a lone `&` (spread's): allowed only for start-stop-daemon --background. */
      amp?: true;
      /**
       * heimdal-kadmind's `/usr/sbin/kadmind "${OPTIONS}" &` then `echo $! > FILE`: a program run
       * in the background of start()'s shell whose pid the next line records (pidRecord).
       */
      pidRecord?: PidRecord;
    }
  | { kind: 'oneshot' }
  | { kind: 'refuse'; reason: string; suggestion?: string };

/** `echo $! > FILE` right after a launch run with `&`: the line as written and FILE. */
export type PidRecord = { line: string; file: string };

/**
 * The line right after a launch ended by `&` when it only writes `$!` (the pid of that
 * background process) to a file: `echo $! > FILE` (`"$!"`, `${!}`, `>FILE`), nothing else on it.
 */
function pidRecordAfter(s: Service, start: FunctionDef, launch: Command): PidRecord | undefined {
  const t = s.initd.text;
  const from = s.initd.lineEnd(stmtEnd(launch));
  const body = t.slice(from, s.initd.lineStart(start.body.end - 1)).split(/\r?\n/);
  const line = body.find((l) => l.trim() !== '' && !/^\s*#/.test(l));
  if (line === undefined) return undefined;
  const m = /^\s*echo\s+("?)\$(?:!|\{!\})\1\s*>\s*("?)([^\s"'`$;&|<>()]+)\2\s*;?\s*$/.exec(line);
  return m ? { line, file: m[3] } : undefined;
}

function bodyText(s: Service, f: FunctionDef): string {
  return s.initd.text.slice(f.body.start + 1, f.body.end - 1);
}

/** The word without its single-quoted parts (where `$` is a plain character). */
function stripQuotedSingle(w: string): string {
  return w.replace(/'[^']*'/g, '');
}

/**
 * Depth of if/case/loops at `offset` inside a function body (0: runs unconditionally). A keyword
 * may follow or precede a backquote: musl-nscd's ``local secure=`while read curline ; do … done <
 * /etc/nsswitch.conf` `` opens its loop right after one, and missing that `while` counted the
 * `done` alone, which put the launch after it at depth -1.
 */
function nesting(s: Service, f: FunctionDef, offset: number): number {
  const t = stripQuotedAndComments(s.initd.text.slice(f.body.start + 1, offset));
  let depth = 0;
  for (const m of t.matchAll(BLOCK_WORDS)) depth += /^(if|case|for|while|until)$/.test(m[1]) ? 1 : -1;
  return depth;
}

/** The line (as written, shortened) of the innermost if/case/loop still open at `offset`. */
function innermost(s: Service, f: FunctionDef, offset: number): string | undefined {
  const at = enclosingAt(s, f, offset);
  if (at === undefined) return undefined;
  const line = s.initd.text
    .slice(at, s.initd.lineEnd(at))
    .replace(/\r?\n$/, '')
    .trim();
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}

/**
 * Where start()'s start-stop-daemon hides from the launch reading, said as it is: run behind
 * another program or a command word held in a variable (rtorrentd's `env TERM="xterm"
 * start-stop-daemon …`, spawn-fcgi's `env -i ${E} /sbin/start-stop-daemon …` in a while loop,
 * preload's `${ionice} start-stop-daemon …` in a for loop), or given its options in a variable
 * (dnetc's `start-stop-daemon ${STARTOPTS} -- ${DNETOPTS}`, --start and --exec in STARTOPTS).
 */
function hiddenSsdReason(
  s: Service,
  start: FunctionDef,
  cmds: Command[],
): { reason: string; suggestion: string } | undefined {
  const isSsd = (w: string) => /(^|\/)start-stop-daemon$/.test(unquoted(w));
  const where = (c: Command) => {
    const open = innermost(s, start, c.start);
    return open && /^(for|while|until)\b/.test(open) ? `, inside a loop (\`${open}\`)` : '';
  };
  for (const c of cmds) {
    const at = c.words.findIndex((w) => isSsd(w.text));
    // A test or look-up naming it (`[ -x /sbin/start-stop-daemon ]`, `command -v …`) runs nothing.
    if (
      at > 0 &&
      c.name !== 'start-stop-daemon' &&
      !neverDaemon(c.name) &&
      !/^(command|which|type|hash)$/.test(c.name)
    ) {
      const front = c.words
        .slice(0, at)
        .map((w) => w.text)
        .join(' ');
      const via = /^\$/.test(c.words[0].text)
        ? `behind ${c.words[0].text}, a command word held in a variable`
        : `through ${c.name}`;
      const onlyEnv = c.name === 'env' && c.words.slice(1, at).every((w) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(w.text));
      const loop = where(c);
      return {
        reason: `start() runs start-stop-daemon ${via} (\`${front} ${c.words[at].text} …\`)${loop}: rc-supervise converts only a start-stop-daemon run directly`,
        suggestion: loop
          ? 'run start-stop-daemon directly in start(), once (one supervisor keeps one daemon: an instance each needs a service each), then migrate again'
          : `run start-stop-daemon directly in start() (its own options set the daemon's environment, --env${onlyEnv ? ', as env did' : ''}, and its I/O priority, --ionice), then migrate again`,
      };
    }
    if (c.name === 'start-stop-daemon' && !isSsdStart(s, c)) {
      const dd = c.words.findIndex((w) => w.text === '--');
      const opts = c.words.slice(1, dd < 0 ? undefined : dd);
      const held = opts.filter((w) => /^"?\$\{?[A-Za-z_][A-Za-z0-9_]*\}?"?$/.test(w.text));
      if (held.length === 0 || held.length !== opts.length) continue;
      const names = held.map((w) => referencedVars(w.text)[0]);
      const setIn = [
        ...new Set(s.initd.assignments.filter((a) => names.includes(a.name) && a.fn).map((a) => `${a.fn}()`)),
      ];
      return {
        reason: `start()'s start-stop-daemon takes all its options from ${held.map((w) => w.text).join(' ')}${setIn.length ? ` (set in ${setIn.join(', ')})` : ''}${where(c)}: rc-supervise reads start-stop-daemon's options only where the call writes them out (--start, --exec …)`,
        suggestion:
          'write the options out in the start-stop-daemon call in start() (or as command=, command_args=), then migrate again',
      };
    }
  }
  return undefined;
}

/** Whether `offset` in f is in an else/elif branch of the innermost `if` open there (minidlna's `if [ $stop -eq 1 ]; then eend 1; else <launch>`). */
function inElseBranch(s: Service, f: FunctionDef, offset: number): boolean {
  const t = stripQuotedAndComments(s.initd.text.slice(f.body.start + 1, offset));
  const open: { kw: string; inElse: boolean }[] = [];
  for (const m of t.matchAll(BRANCH_WORDS))
    if (/^(if|case|for|while|until)$/.test(m[1])) open.push({ kw: m[1], inElse: false });
    else if (/^(else|elif)$/.test(m[1])) {
      if (open.length) open[open.length - 1].inElse = true;
    } else open.pop();
  return !!open[open.length - 1]?.inElse;
}

/** Whether the innermost `if` open at `offset` in f has an else/elif branch after it. */
function elseAfter(s: Service, f: FunctionDef, offset: number): boolean {
  const t = stripQuotedAndComments(s.initd.text.slice(offset, f.body.end));
  let depth = 0;
  for (const m of t.matchAll(BRANCH_WORDS)) {
    if (/^(if|case|for|while|until)$/.test(m[1])) depth++;
    else if (/^(else|elif)$/.test(m[1])) {
      if (depth === 0) return true;
    } else if (depth-- === 0) return false;
  }
  return false;
}

/** End of the command's whole statement: its redirections may follow on a continued line. */

// --start anywhere among the words (mysql's `${DEBUG:+"--verbose"} --start`, which the option
// parser stops before), or a call the model reads as a start (no mode word at all).
const isSsdStart = (s: Service, c: Command) =>
  c.name === 'start-stop-daemon' &&
  (/(^|\s)(--start|-S)(\s|$)/.test(c.words.map((w) => w.text).join(' ')) ||
    s.ssdCalls.find((x) => x.cmd === c)?.kind === 'start');

/** The program a command runs when it names the service's daemon (literally or as ${command}). */
function runsDaemon(s: Service, c: Command, daemons: readonly string[]): boolean {
  const argv0 = unquoted(c.words[0].text);
  if (/^\$\{?command\}?$/.test(argv0)) return !!s.command;
  // `/usr/sbin/${EXE}` with EXE=bird at the top: the static value names the program.
  const known = /[$`]/.test(argv0) ? staticProgram(s, c.words[0].text) : undefined;
  if (known && 'path' in known) return daemons.includes(known.path.slice(known.path.lastIndexOf('/') + 1));
  return daemons.includes(c.name);
}

/** The old reason, for a helper whose launches say nothing more precise. */
const cannotFollow = (fn: string) =>
  `${fn}() runs start-stop-daemon in a way rc-supervise cannot follow from start() (arguments passed in, a loop over instances?)`;

/** The command's line ends in a lone `&` (after its pipeline, if any): it runs in the background. */
function inBackground(s: Service, c: Command): boolean {
  const line = s.initd.text.slice(c.start, s.initd.lineEnd(stmtEnd(c)));
  return /(^|[^&])&\s*$/.test(stripQuotedAndComments(line).trimEnd());
}

/** The function's body has a for/while/until loop. */
function loops(s: Service, fn: string): boolean {
  const f = s.initd.fn(fn);
  return !!f && /(^|[\s;&|(])(for|while|until)\s/.test(stripQuotedAndComments(bodyText(s, f)));
}

/** Inside a for/while/until loop of the function at `offset`. */
function inLoop(s: Service, f: FunctionDef, offset: number): boolean {
  const t = stripQuotedAndComments(s.initd.text.slice(f.body.start + 1, offset));
  let depth = 0;
  for (const m of t.matchAll(/(?:^|[\s;&|(])(for|while|until|done)(?=[\s;&|)]|$)/g)) depth += m[1] === 'done' ? -1 : 1;
  return depth > 0;
}

/**
 * What a function of the script's own that start() calls starts: its start-stop-daemon calls
 * other than --stop/--signal, and programs it runs with a bare `start` word (opendnssec's
 * `${CONTROL_BIN} enforcer start`, a control program's subcommand).
 */
function helperStarts(s: Service, fn: string): Command[] {
  return s.initd.commands.filter((x) => {
    if (x.fn !== fn) return false;
    if (x.name === 'start-stop-daemon') {
      const kind = s.ssdCalls.find((c) => c.cmd === x)?.kind;
      return kind === 'start' || kind === 'other';
    }
    return !s.defines(x.name) && !neverDaemon(x.name) && x.words.slice(1).some((w) => /^["']?start["']?$/.test(w.text));
  });
}

/** A command as written, its continued lines joined, cut to `max` characters (`...` ending) for a message. */
function commandExcerpt(s: Service, c: Command, max: number): string {
  const w = s.initd.text.slice(c.start, c.end).replace(/\s*\\\r?\n\s*/g, ' ');
  return w.length > max ? `${w.slice(0, max - 3)}...` : w;
}

/**
 * Why start() cannot be converted when it launches through functions of the script's own
 * (sysklogd's start_daemon syslogd/klogd, hylafaxplus's start_faxq/start_hfaxd, uwsgi's
 * start_emperor or start_app, chrome-remote-desktop's for_users loop, auditd's start_auditd):
 * the precise shape, or undefined when start() calls no such function.
 */
function helperLaunchReason(s: Service): { reason: string; suggestion: string } | undefined {
  const start = s.initd.fn('start');
  if (!start) return undefined;
  const calls = s.initd.commands.filter(
    (c) => c.fn === 'start' && c.name !== 'start' && s.defines(c.name) && helperStarts(s, c.name).length > 0,
  );
  if (calls.length === 0) return undefined;
  const shown = (c: Command) => (c.words.length === 1 ? `${c.name}()` : commandExcerpt(s, c, 40));
  const perDaemon = 'give each daemon a service of its own (an init script each), then migrate each';
  for (const c of calls) {
    const f = s.initd.fn(c.name)!;
    const looped = helperStarts(s, c.name).find((x) => inLoop(s, f, x.start));
    if (looped)
      return {
        reason: `${c.name}() runs ${looped.name} in a loop, once per item (an instance each): one supervisor keeps one daemon`,
        suggestion: `give each instance a service of its own (one start-stop-daemon call in start(), the instance from the service's name), then migrate`,
      };
  }
  const total = calls.reduce((n, c) => n + helperStarts(s, c.name).length, 0);
  const names = [...new Set(calls.map((c) => `${c.name}()`))];
  if (total === 1)
    return {
      reason: `start() launches the daemon inside ${names[0]}, a function of its own, which rc-supervise does not read through (only a launch in start() itself, or a function that only puts fixed words before the caller's for start-stop-daemon)`,
      suggestion: `move the launch from ${names[0]} into start(), then migrate again`,
    };
  if (names.length === calls.length && calls.every((c) => nesting(s, start, c.start) > 0))
    return {
      reason: `start() launches the daemon through ${names.join(' or ')}, functions of its own, as a condition picks: a supervisor runs one command line, and rc-supervise cannot choose it for the script`,
      suggestion:
        'keep the one launch your configuration uses in start() itself (or give each way a service of its own), then migrate again',
    };
  return {
    reason: `start() starts ${total} programs through functions of its own (${calls.map(shown).join('; ')}): one supervisor keeps one daemon`,
    suggestion: perDaemon,
  };
}

/**
 * denyhosts's purge(), listed only in extra_stopped_commands and called from nowhere else: its
 * start-stop-daemon --start runs the program in the foreground (no --background, no daemonize
 * word) to completion, and only while the service is stopped, when no supervisor runs either. It
 * bypasses nothing and stays as it is.
 */
function stoppedOnlyRun(s: Service, c: SsdCall): boolean {
  const fn = c.cmd.fn;
  if (!fn || c.kind !== 'start') return false;
  const only = (v: string) => s.words(v);
  const stopped = only('extra_stopped_commands');
  const others = [only('extra_commands'), only('extra_started_commands'), only('opts')];
  if (!stopped?.includes(fn) || others.some((w) => w === null || (w ?? []).includes(fn))) return false;
  if (OPENRC_OWN_COMMANDS.has(fn) || s.initd.commands.some((x) => x.name === fn)) return false;
  if (c.parsed.options.some((o) => o.spec.long === 'background' || o.spec.long === 'make-pidfile')) return false;
  return !c.cmd.words.slice(1).some((w) => DAEMONIZE_WORDS.test(unquoted(w.text)));
}

/** The program a start-stop-daemon --start call runs and the operands it gives it, as written. */
function launchWords(c: SsdCall): string[] {
  const o =
    c.parsed.options.find((x) => x.spec.long === 'startas') ?? c.parsed.options.find((x) => x.spec.long === 'exec');
  const raw = c.cmd.words.slice(1).map((w) => w.text);
  const operands = raw.slice(c.parsed.operandsAt).filter((w) => w !== '--');
  return [...(o?.value !== undefined ? [o.value] : []), ...operands];
}

/**
 * gatling's reload(): HUP, then the very start-stop-daemon --start of start() again (a restart
 * of its own, with conf.d read anew); freenet's status()/stop(): start-stop-daemon --start runs
 * the control script start() runs, with another subcommand. Both said as what they are.
 */
function relaunch(s: Service, b: SsdCall, shape: StartShape): Refusal | undefined {
  if (b.kind !== 'start' || shape.kind !== 'launch' || shape.how !== 'start-stop-daemon') return undefined;
  const own = s.ssdCalls.find((c) => c.cmd === shape.launch);
  if (!own) return undefined;
  const mine = launchWords(own);
  const theirs = launchWords(b);
  if (mine.length === 0 || mine[0] !== theirs[0]) return undefined;
  const fn = b.cmd.fn!;
  const SUB = /^["']?(start|stop|status|restart|reload)["']?$/;
  const sub = theirs.find((w) => SUB.test(w));
  if (mine.some((w) => unquoted(w) === 'start') && sub && unquoted(sub) !== 'start') {
    const prog = mine
      .slice(
        0,
        mine.findIndex((w) => unquoted(w) === 'start'),
      )
      .join(' ');
    return refuse(
      `start() runs ${prog} start, and ${fn}() runs ${prog} ${unquoted(sub)} (both through start-stop-daemon --start): a control script that starts, stops and checks the daemon its own way; rc-supervise cannot tell which program it keeps running or how to keep that one in the foreground`,
      `set command (and command_args) to the program the control script runs, in its foreground form (a Java Service Wrapper script's is its console subcommand), then migrate again`,
    );
  }
  if (mine.join(' ') !== theirs.join(' ')) return undefined;
  const sig = s.ssdCalls.find((c) => c.kind === 'signal' && c.cmd.fn === fn && c.cmd.start < b.cmd.start)?.signal;
  return refuse(
    `${fn}() starts ${mine[0]} again itself with start()'s own start-stop-daemon --start${sig ? `, after sending it ${sig}` : ''} (a restart of its own, with conf.d read anew): under supervise-daemon that second start would run a daemon beside the supervised one, and the supervisor restarts a daemon that exits with the command line it started with`,
    `drop ${fn}() (rc-service ${s.name} restart starts the daemon again with conf.d read anew), or make it only signal the daemon, then migrate again`,
  );
}

/** `if [ -n "${RC_UNAME}" ]; then`: a test of a variable OpenRC sets for every service script. */
const OPENRC_SETS = /^if\s+\[\[?\s+-n\s+"?\$\{?(RC_UNAME|RC_VERSION)\}?"?\s+\]\]?\s*;\s*then$/;

/** The service's name as a word: what OpenRC 0.35+ supervise-daemon needs first. */
const SERVICE_NAME_WORD = /^"?\$(\{RC_SVCNAME\}|RC_SVCNAME\b|\{SVCNAME\}|SVCNAME\b)"?$/;

/**
 * Classifies start(): a single daemon launch (convertible), the default start (nothing to
 * do), a one-shot (no daemon), or a launch the tool cannot convert, with the precise reason.
 */
export function startShape(s: Service, daemons: readonly string[]): StartShape {
  const start = s.initd.fn('start');
  if (!start) return { kind: 'none' };
  const cmds = s.initd.commands.filter((c) => c.fn === 'start' && !CHATTER.has(c.name));
  const body = stripQuotedAndComments(bodyText(s, start));
  const raw = bodyText(s, start);
  if (cmds.some((c) => DEFAULT_START.has(c.name)) && !cmds.some((c) => isSsdStart(s, c))) return { kind: 'default' };
  const launches = cmds.filter((c) => isSsdStart(s, c) || runsDaemon(s, c, daemons));
  // asterisk's `asterisk_run_loop ${OPTS} 2>&1 | logger … &`: a function of the script's own,
  // run in the background, that runs the daemon again in a loop whenever it exits.
  const ownLoop = cmds.find((c) => c.name !== 'start' && s.defines(c.name) && inBackground(s, c) && loops(s, c.name));
  if (ownLoop)
    return {
      kind: 'refuse',
      reason: `start() runs ${ownLoop.name}() in the background (&), a loop of the script's own that runs the daemon again whenever it exits: the script is its own supervisor, and supervise-daemon cannot keep a daemon that loop starts`,
      suggestion: `run the daemon itself in start() (or as command), in the foreground, without ${ownLoop.name}() (supervise-daemon then restarts it; what the loop did after a crash is lost), then migrate again`,
    };
  const evals = cmds.filter((c) => c.name === 'eval');
  const evalLaunch = evals.find((c) => /start-stop-daemon|\$\{?command\b/.test(c.words.map((w) => w.text).join(' ')));
  if (evalLaunch) {
    // slapd's `eval start-stop-daemon … -- -u ldap -g ldap "${OPTS}"`: the values of the
    // variables are read a second time, as shell (conf.d's OPTS holds quotes for that).
    const read = [...new Set(evalLaunch.words.slice(1).flatMap((w) => referencedVars(stripQuotedSingle(w.text))))];
    // badvpn's start() is a copy of an old OpenRC ssd_start(): `eval start-stop-daemon --start
    // --exec $command … -- $command_args`. OpenRC's own start does that (and honours supervisor=).
    if (read.includes('command') && read.includes('command_args'))
      return {
        kind: 'refuse',
        reason:
          "start() launches $command with $command_args through eval, as OpenRC's own start does: it re-implements that start, which rc-supervise does not convert (it bypasses supervisor=)",
        suggestion:
          "remove start() if it only repeats OpenRC's start (compare it with start-stop-daemon.sh's ssd_start), so that OpenRC's own start runs, then migrate again",
      };
    return {
      kind: 'refuse',
      reason: read.length
        ? `start() launches the daemon through eval, which reads the value of ${read.join(', ')} as shell code (quotes, \$, ;), so rc-supervise cannot read the launch's words statically`
        : 'start() launches the daemon through eval, which rc-supervise cannot read statically',
      ...(read.length && {
        suggestion:
          "write the launch as command=, command_args= (OpenRC's start runs its command line through eval too, so a value such as conf.d's is read as shell there the same way) and start_pre(), then migrate again",
      }),
    };
  }
  const ctl = cmds.find((c) => /ctl$/.test(c.name) && c.words.some((w) => /^["']?start["']?$/.test(w.text)));
  if (ctl && launches.length === 0)
    return {
      kind: 'refuse',
      reason: `start() runs the control script ${ctl.name} start, which starts the daemon its own way (it forks)`,
    };
  // glusterfsd's and vdradmin's `if …; then start-stop-daemon … A; else start-stop-daemon … B; fi`:
  // one launch or the other, not two daemons.
  if (
    launches.length === 2 &&
    nesting(s, start, launches[0].start) > 0 &&
    nesting(s, start, launches[0].start) === nesting(s, start, launches[1].start) &&
    /(^|[\s;])(else|elif)(?=[\s;]|$)/.test(
      stripQuotedAndComments(s.initd.text.slice(0, launches[1].start)).slice(launches[0].end),
    ) &&
    !/(^|[\s;])(fi|done|esac)(?=[\s;]|$)/.test(
      stripQuotedAndComments(s.initd.text.slice(0, launches[1].start)).slice(launches[0].end),
    )
  ) {
    // vdradmin's `if [ -n "${RC_UNAME}" ]; then … else # baselayout-1 …; fi`: OpenRC's
    // env_config() sets RC_UNAME (uname(2)'s sysname) and RC_VERSION for every service script
    // (src/shared/misc.c; src/rc/rc-misc.c before), so only the then-branch ever runs there.
    const cond = innermost(s, start, launches[0].start);
    const rcSet = cond && OPENRC_SETS.exec(cond);
    if (rcSet)
      return {
        kind: 'refuse',
        reason: `start() launches the daemon in one of two branches of \`${cond}\`, a test that is always true under OpenRC (it sets ${rcSet[1]} for every service script): the else branch is for baselayout-1 and never runs, but rc-supervise does not remove it itself`,
        suggestion: `keep only the launch of the then-branch in start() (remove \`${cond}\`, the else branch and its fi), then migrate again`,
      };
    return {
      kind: 'refuse',
      reason:
        'start() launches the daemon in one of two branches of a condition (if … else …), each with its own words, which rc-supervise does not merge into one command line',
      suggestion:
        'keep one launch in start(), with the words that differ in a variable set in each branch before it, then migrate again',
    };
  }
  if (launches.length > 1)
    return {
      kind: 'refuse',
      reason: `start() launches ${launches.length} programs (${launches.map((c) => c.name).join(', ')}): one supervisor keeps one daemon`,
    };
  if (launches.length === 0) {
    // mysql-supervise: the script runs the supervisor itself; nothing to convert, not one-shot.
    if (/(^|[^\w-])supervise-daemon([^\w-]|$)/.test(stripQuotedAndComments(raw))) {
      // Since OpenRC 0.35 (commit 913b2ca5) supervise-daemon exits at once unless its first
      // argument is the service's name ("the first argument is --pidfile and must be mysql"):
      // mysql-supervise's `supervise-daemon ${DEBUG:+"--verbose"} --pidfile … --start …`
      // fails there, so nothing is supervised.
      const sd = cmds.find((c) => c.name === 'supervise-daemon');
      const first = sd?.words[1]?.text;
      if (sd && !(first && SERVICE_NAME_WORD.test(first)))
        return {
          kind: 'refuse',
          reason: `start() runs supervise-daemon itself, with ${first === undefined ? 'no argument' : `\`${first}\``} first instead of the service's name, which supervise-daemon requires as its first argument since OpenRC 0.35 (it exits with "the first argument is … and must be <service>"): from that version on this start() fails, and no daemon is started or supervised`,
          suggestion:
            'pass "${RC_SVCNAME}" as the first argument of every supervise-daemon call in the script (start() and stop()); the script then supervises the daemon itself and needs no migration. Or use a start-stop-daemon script of the package and migrate that one',
        };
      return {
        kind: 'refuse',
        reason: "start() runs supervise-daemon itself: the daemon is supervised already, in the script's own way",
      };
    }
    // metalog's `ssd() { start-stop-daemon --exec … "$@" ; }` and start()'s `ssd --start --
    // --daemonize …`: the launch is in a function of the script's own, which rc-supervise does
    // not follow (its other calls, `ssd --stop`, `ssd --signal USR2`, would need rewriting too);
    // said before the daemonize word makes `ssd` look like an unknown program.
    const wrapper = cmds.find(
      (c) =>
        c.name !== 'start' &&
        s.defines(c.name) &&
        s.initd.commands.some((x) => x.fn === c.name && x.name === 'start-stop-daemon'),
    );
    if (wrapper) return { kind: 'refuse', ...(helperLaunchReason(s) ?? { reason: cannotFollow(wrapper.name) }) };
    // A start() that still starts something long-running is never called one-shot.
    const daemonish = /start-stop-daemon/.test(raw) || cmds.some(withDaemonizeFlag);
    const hidden = /start-stop-daemon/.test(raw) ? hiddenSsdReason(s, start, cmds) : undefined;
    if (hidden) return { kind: 'refuse', ...hidden };
    if (daemonish)
      return {
        kind: 'refuse',
        reason: /start-stop-daemon/.test(raw)
          ? 'start() starts a daemon in a way rc-supervise cannot follow (start-stop-daemon inside a variable, function or subshell)'
          : `start() runs a program with a daemonize flag (${cmds.find(withDaemonizeFlag)!.name}), but rc-supervise knows nothing about that program`,
      };
    return { kind: 'oneshot' };
  }
  const launch = launches[0];
  if (/\b(for|while|until)\b/.test(body) && nesting(s, start, launch.start) > 0)
    return { kind: 'refuse', reason: 'start() launches the daemon inside a loop (several instances?)' };
  if (nesting(s, start, launch.start) !== 0) {
    // mcstransd's `if is_selinux_enabled; then … start-stop-daemon …; fi`: said with the condition.
    const cond = innermost(s, start, launch.start);
    // With no else, start() succeeds having started nothing when the condition is false:
    // OpenRC's own start always launches, and a start_pre() that returns 1 would fail the
    // service (and the services that need it) instead.
    if (cond && /^if\s/.test(cond) && !inElseBranch(s, start, launch.start) && !elseAfter(s, start, stmtEnd(launch)))
      return {
        kind: 'refuse',
        reason: `start() launches the daemon inside a condition (\`${cond}\`) with no else: when it is false, start() succeeds without starting anything, which OpenRC's own start cannot do, and a start_pre() that returned 1 there would fail the service instead`,
        suggestion: `keep that start() and stop() by hand: set command= (and command_args=) to the launch, and make start() \`${cond.replace(/;?\s*then$/, '')}; then default_start; fi\` and stop() the same with default_stop (other steps kept before default_start), then migrate again`,
      };
    return {
      kind: 'refuse',
      reason: `start() launches the daemon inside a condition${cond ? ` (\`${cond}\`)` : ''}`,
    };
  }
  if (launch.inSubshell)
    return {
      kind: 'refuse',
      reason: 'start() launches the daemon inside a subshell ( … ); what the subshell does around it would be lost',
    };
  const guard = launchGuard(s, launch);
  const ls = s.initd.lineStart(guard?.start ?? launch.start);
  const prevLine = s.initd.text.slice(s.initd.lineStart(Math.max(0, ls - 1)), ls);
  const lead = s.initd.text.slice(ls, guard ? guard.start : launch.start);
  if (lead.trim() !== '' || /(\\|&&|\|\||\|)\s*\r?\n$/.test(prevLine))
    return {
      kind: 'refuse',
      reason: 'start() runs the launch as part of a longer command (&&, ||, a pipe or a continued line)',
    };
  const line = s.initd.text.slice(s.initd.lineStart(launch.start), s.initd.lineEnd(stmtEnd(launch)));
  const rest = stripQuotedAndComments(line.slice(stmtEnd(launch) - s.initd.lineStart(launch.start))).replace(
    /\d*[<>]&\d+|\d*&?>>?\s*\S+|\d*<\s*\S+/g,
    ' ',
  ); // redirections are not chaining
  const how = isSsdStart(s, launch) ? 'start-stop-daemon' : 'binary';
  // `start-stop-daemon --background … &`: checked once its options are read (convertCustomStart).
  const amp = how === 'start-stop-daemon' && /^\s*&\s*$/.test(rest);
  // heimdal-kadmind's `kadmind "${OPTIONS}" &` with `echo $! > FILE` next: the script records the
  // pid of the very process it started as the daemon's (convertCustomStart weighs it).
  const pidRecord = how === 'binary' && /^\s*&\s*$/.test(rest) ? pidRecordAfter(s, start, launch) : undefined;
  if (!amp && !pidRecord && /(\|\||&&|\||&)\s*(\S|$)/.test(rest)) {
    // eflite's `… -- -D || eend 1`: the chain named, as written; dk-filter's `… && \` with
    // what the continued lines add (up to two more), cut at 60 characters.
    let end = s.initd.lineEnd(stmtEnd(launch));
    for (let k = 0; k < 2 && /\\\r?\n$/.test(s.initd.text.slice(s.initd.lineStart(end - 1), end)); k++)
      end = s.initd.lineEnd(end);
    const chain = s.initd.text
      .slice(stmtEnd(launch), end)
      .replace(/\\\r?\n/g, ' ')
      .replace(/\s+/g, ' ')
      .replace(/ \\?$/, '')
      .trim();
    return {
      kind: 'refuse',
      reason: chain
        ? `${CHAINED.replace(/ \(.*\)$/, '')} (\`${chain.length > 60 ? `${chain.slice(0, 57)}...` : chain}\`)`
        : CHAINED,
    };
  }
  if (launch.words.some((w) => /\$\(|`/.test(w.text)))
    return {
      kind: 'refuse',
      reason: 'the launch uses command substitution, which would run whenever the script is read',
    };
  // karmabot-bin's `LOG_FILE=${LOG_FILE} CLIENT_ID=… start-stop-daemon …`: the daemon's own
  // environment, from conf.d values openrc-run does not export. OpenRC's start would launch it
  // without them (found by the review of round 15's new migrations).
  if (launch.env)
    return {
      kind: 'refuse',
      reason: `start() gives the launch variables of its own (${launch.env.map((e) => e.slice(0, e.indexOf('=') + 1)).join(' ')}…), which OpenRC's start would not pass to the daemon: convert it by hand (--env in start_stop_daemon_args and supervise_daemon_args, or export in start_pre())`,
    };
  return {
    kind: 'launch',
    launch,
    how,
    ...(guard && { guard }),
    ...(amp && { amp: true as const }),
    ...(pidRecord && { amp: true as const, pidRecord }),
  };
}

/**
 * The one command of `check && start-stop-daemon …` (dnsproxy's `checkconfig && \` on the line
 * before the launch): a simple command of start() on one line of its own, joined to the launch by
 * `&&` alone. The caller makes sure the start's status after it is the list's: then `check ||
 * return $?` in start_pre() fails the start exactly when the launch was skipped, with the same
 * status (openrc-run.sh runs `start_pre || exit $?`).
 */
function launchGuard(s: Service, launch: Command): Command | undefined {
  const t = s.initd.text;
  const before = s.initd.commands.filter((c) => c.fn === launch.fn && c.end <= launch.start);
  const g = before[before.length - 1];
  if (!g || s.initd.commands.some((c) => c !== g && c.start > g.start && c.start < launch.start)) return undefined;
  if (!/^[ \t]*&&[ \t]*(\\?\r?\n[ \t]*)?$/.test(t.slice(stmtEnd(g), launch.start))) return undefined;
  // One line, from its start: no `!`, no list or pipeline it belongs to, no continued line.
  if (t.slice(g.start, stmtEnd(g)).includes('\n')) return undefined;
  // A check, not a step whose meaning depends on where it runs (a `cd` in start_pre() may not
  // reach the supervisor's child) or that leaves the function.
  if (isSsdStart(s, g) || /^(eval|\.|source|cd|pushd|exec|exit|return|local|export|set|unset)$/.test(g.name))
    return undefined;
  return g;
}

interface Split {
  pre: string[];
  post: string[];
}

/** The function's statements (whole lines) before and after one command, chatter about the launch dropped. */
function splitAround(s: Service, f: FunctionDef, cmd: Command | null): Split | null {
  const t = s.initd.text;
  const first = s.initd.lineEnd(f.body.start); // after `start() {`
  const last = s.initd.lineStart(f.body.end - 1); // the line of `}`
  if (first > last || t.slice(last, f.body.end - 1).trim() !== '') return null;
  if (t.slice(f.body.start + 1, s.initd.lineEnd(f.body.start)).trim() !== '') return null;
  const lines = (a: number, b: number) =>
    a >= b
      ? []
      : t
          .slice(a, b)
          .replace(/\r?\n$/, '')
          .split(/\r?\n/);
  // Messages about the launch itself (openrc-run prints its own): ebegin/eend lines at the
  // function's own level; those inside an if/case speak of other steps and stay.
  // An ebegin whose step ends in a plain `eend 0` that stays (inside an if: ietd's "Removing
  // devices") is that step's heading, not the launch's: it stays too. (An `eend 1` on an error
  // path closes the launch's heading on failure: munged's "Starting munged" still goes.)
  const dropChatter = (ls: string[]): string[] => {
    let depth = 0;
    const kept: { l: string; begin: boolean }[] = [];
    for (const l of ls) {
      const bare = stripQuotedAndComments(l);
      const chatter = depth === 0 && /^\s*(ebegin|eend|return\s+\$\{?\?\}?)(\s[^;&|]*)?$/.test(l);
      for (const m of bare.matchAll(BLOCK_WORDS)) depth += /^(if|case|for|while|until)$/.test(m[1]) ? 1 : -1;
      if (l.trim() === '') continue;
      if (!chatter) kept.push({ l, begin: false });
      else if (/^\s*ebegin\b/.test(l)) kept.push({ l, begin: true });
    }
    const out: string[] = [];
    kept.forEach((k, i) => {
      if (!k.begin) out.push(k.l);
      else {
        // Kept when a plain eend follows before the next ebegin, in a line that stays.
        const next = kept.slice(i + 1).findIndex((x) => x.begin);
        const until = next < 0 ? kept.length : i + 1 + next;
        if (kept.slice(i + 1, until).some((x) => /^\s*eend(\s+0)?\s*;?\s*$/.test(x.l))) out.push(k.l);
      }
    });
    return out;
  };
  if (!cmd) return { pre: dropChatter(lines(first, last)), post: [] };
  const cs = s.initd.lineStart(cmd.start);
  const ce = s.initd.lineEnd(stmtEnd(cmd));
  return { pre: dropChatter(lines(first, cs)), post: dropChatter(lines(ce, last)) };
}

/**
 * A name declared `local` in the part before the launch (or the stop) and mentioned after
 * it: once split into *_pre() and *_post(), the second function no longer sees the value
 * (named's stop() counts its wait loop in a `local reported=0` set before the stop).
 */
function localAcross(pre: readonly string[], post: readonly string[]): string | undefined {
  const names = pre.flatMap((l) =>
    [...stripQuotedAndComments(l).matchAll(/(?:^|[\s;&|{(])local\s+([^;&|)]*)/g)].flatMap((m) =>
      m[1].split(/\s+/).flatMap((w) => /^[A-Za-z_]\w*(?==|$)/.exec(w)?.[0] ?? []),
    ),
  );
  // Any mention, quoted or not (`"${reported}"`): a refusal too many is only a refusal. But
  // a name the second part sets before anything reads it (`retval=$?`) needs nothing from the first.
  const after = post.join('\n');
  return names.find((n) => {
    const first = new RegExp(`(^|[^\\w])${n}([^\\w]|$)`).exec(after);
    return first !== null && !new RegExp(`^\\s*${n}=`).test(after.slice(after.lastIndexOf('\n', first.index) + 1));
  });
}

/**
 * The status the old stop() kept for its own eend/return (`retval=$?` right after the stop,
 * then `return ${retval}`, or `[ $ret -ne 0 ] && return 1`): in stop_post() `$?` is no longer
 * the stop's, and stop_post() runs only after a stop that worked, so the lines say nothing;
 * they go, with a `local` of that name alone on its line before the stop.
 */
function dropStopStatus(sp: Split): Split & { status?: string } {
  // `local ret=$?` too (midentd): a local set there holds the stop's status just the same.
  const m = sp.post.length ? /^\s*(?:local\s+)?([A-Za-z_]\w*)=\$\?\s*$/.exec(sp.post[0]) : null;
  if (!m) return sp;
  const v = m[1];
  const rest = sp.post.slice(1);
  // `return ${retval}`, or `[ $ret -ne 0 ] && return 1`: a failed stop never reaches stop_post().
  const ref = `"?\\$\\{?${v}\\}?"?`;
  const ret = new RegExp(
    `^\\s*(return\\s+${ref}|\\[\\s+${ref}\\s+(-ne|!=)\\s+"?0"?\\s+\\]\\s*&&\\s*return(\\s+(\\d+|${ref}))?)\\s*$`,
  );
  const mentions = (l: string) => new RegExp(`(^|[^\\w])${v}([^\\w]|$)`).test(l);
  if (rest.some((l) => mentions(l) && !ret.test(l))) return sp;
  const decl = new RegExp(`^\\s*local\\s+${v}\\s*$`);
  if (sp.pre.some((l) => mentions(l) && !decl.test(l))) return sp;
  return { pre: sp.pre.filter((l) => !decl.test(l)), post: rest.filter((l) => !ret.test(l)), status: v };
}

function ownsItsLines(s: Service, f: FunctionDef): boolean {
  const t = s.initd.text;
  const start = s.initd.lineStart(f.start);
  if (t.slice(start, f.start).trim() !== '') return false;
  if (/\\\r?\n$/.test(t.slice(Math.max(0, start - 3), start))) return false;
  const end = s.initd.lineEnd(f.end);
  return t.slice(f.end, end).trim() === '';
}

/** Replaces the function's whole lines by `text` (which may be empty: removal). */
function replaceFunction(s: Service, file: string, f: FunctionDef, text: string): Edit {
  const t = s.initd.text;
  const start = s.initd.lineStart(f.start);
  let end = s.initd.lineEnd(f.end);
  if (text === '') {
    const before = t.slice(0, start);
    const prevBlank = before === '' || /(^|\n)[ \t]*\r?\n$/.test(before);
    const next = /^[ \t]*\r?\n/.exec(t.slice(end));
    if (prevBlank && next) end += next[0].length;
  }
  return { file, start, end, text };
}

/** Whether lines hold a command (not only blanks and comments). */
function hasCode(lines: readonly string[]): boolean {
  return lines.some((l) => l.trim() !== '' && !l.trim().startsWith('#'));
}

function fnText(name: string, body: string[], eol: string): string {
  // A body of comments alone is not a function body for sh (dash: syntax error): none is written.
  if (!hasCode(body)) return '';
  // Before the launch, a failing command did not stop start() or stop(); as the last command
  // of start_pre()/stop_pre() it would. Explicit `|| return 1` lines keep working.
  const last = [...body].reverse().find((l) => l.trim() !== '' && !l.trim().startsWith('#')) ?? '';
  const tail =
    name.endsWith('_pre') && !/^\s*(return|exit)\b/.test(last) ? [`${/^\s*/.exec(last)?.[0] || '\t'}return 0`] : [];
  return [`${name}() {`, ...body, ...tail, '}', ''].join(eol);
}

/** Two functions replacing one, a blank line between them when both exist. */
function fnPair(a: [string, string[]], b: [string, string[]], eol: string): string {
  const x = fnText(a[0], a[1], eol);
  const y = fnText(b[0], b[1], eol);
  return x && y ? x + eol + y : x + y;
}

/** Checks that only read: allowed in an if/elif condition whose branches print. */
const CHECKS = new Set(['[', 'test', 'pgrep', 'pidof']);

type PostPlan = { keep: string[]; notes: string[] } | { refuse: string; suggestion?: string };

/**
 * What start() did after the launch, judged for start_post(). Under supervise-daemon start
 * returns once the child is spawned, not when a forking daemon is ready, and start_post() cannot
 * see the launch's exit status. Safe: messages, a sleep, an informative check, OpenRC's bounded
 * ewaitfile; a report of the launch's status that only prints is dropped. Anything touching what
 * the daemon creates (its socket, pid file, files, a wait loop of the script's own) is refused.
 * After a `start-stop-daemon --background` launch without --wait (spawnedOnly) other commands
 * are kept too: that start returned at the spawn as well, so nothing ran later than it will now.
 */
function classifyPost(
  s: Service,
  start: FunctionDef,
  launch: Command,
  post: string[],
  startAssigns: readonly { name: string; declaration?: string }[],
  spawnedOnly = false,
  launchPid: readonly string[] = [],
  forksAtOnce?: string,
): PostPlan {
  let code = post.filter((l) => !/^\s*#/.test(l));
  if (code.length === 0) return { keep: post, notes: [] };
  const shapeNotes: string[] = [];
  // ttyd's `if eend ${?}; then setup_perms; setup_links; return 0; fi`: the steps run only when
  // the launch succeeded. openrc-run runs start_post() only when start succeeded (`"$1" || exit
  // $?`, then "$1"_post), so they go there, one level less indented. (A failed launch made that
  // start() return 0, the status of an if whose branch did not run: now the start fails.)
  const ifOk = /^\s*if\s+eend\s+"?\$\{?\?\}?"?\s*;\s*then\s*$/;
  if (
    code.length >= 3 &&
    ifOk.test(code[0]) &&
    /^\s*fi\s*$/.test(code[code.length - 1]) &&
    !code.slice(1, -1).some((l) => /^\s*(if|elif|else|fi)\b|\$\{?\?/.test(l))
  ) {
    const first = post.indexOf(code[0]);
    const last = post.lastIndexOf(code[code.length - 1]);
    post = post.slice(first + 1, last).map((l) => l.replace(/^\t/, ''));
    code = post.filter((l) => !/^\s*#/.test(l));
    shapeNotes.push(
      'start() ran its steps after the launch only when the launch succeeded (`if eend $?; then … fi`): they are start_post(), which openrc-run runs only after a successful start',
    );
  }
  const t = s.initd.text;
  const from = s.initd.lineEnd(stmtEnd(launch));
  const inPost = (x: { start: number }) => x.start >= from && x.start < start.body.end;
  const cmds = s.initd.commands.filter((c) => c.fn === 'start' && inPost(c));
  const assigns = s.initd.assignments.filter((a) => a.fn === 'start' && inPost(a));
  const bare = code.map(stripQuotedAndComments).join('\n');
  const shown = (c: Command) => commandExcerpt(s, c, 60);
  const lineOf = (c: Command) => t.slice(s.initd.lineStart(c.start), s.initd.lineEnd(c.start));
  const inCondition = (c: Command) => {
    const l = lineOf(c);
    const at = c.start - s.initd.lineStart(c.start);
    return /^\s*(if|elif)\s/.test(l) && !/\bthen\b/.test(stripQuotedAndComments(l.slice(0, at)));
  };
  // qcontrol's start() launches its daemon, drives it, then stops it again; logmein-hamachi's
  // stops it when the login fails. In start_post() the stop would hit the supervised daemon.
  const stopper = cmds.find(
    (c) => c.name === 'start-stop-daemon' && c.words.some((w) => /^["']?(--stop|-K)["']?$/.test(w.text)),
  );
  if (stopper)
    return {
      refuse: `start() can stop the daemon again after the launch (${shown(stopper)}); in start_post() that stop would hit the supervised daemon, which the supervisor then starts again`,
    };
  // monitorix polls for its pid file, spamass-milter for its socket, openl2tpd retries its
  // configuration tool: the loop's own line says which.
  const loop = code.find((l) => /(^|[\s;&|(])(while|until|for)\s/.test(stripQuotedAndComments(l)));
  if (loop !== undefined) {
    const head = loop.trim().length > 60 ? `${loop.trim().slice(0, 57)}...` : loop.trim();
    return {
      refuse: `start() waits in a loop of its own after the launch (\`${head}\`); under the supervisor start_post() could give up before the daemon is ready`,
      suggestion:
        "where the loop only waits for a file the daemon creates in the foreground too, write it as OpenRC's bounded `ewaitfile TIMEOUT FILE`, which start_post() can keep, then migrate again",
    };
  }
  const write = /(^|[^\d&<>])\d*>>?\s*([^&\s;|)]+)/.exec(bare);
  if (write && write[2] !== '/dev/null') return { refuse: `start() writes ${write[2]} after the launch` };
  // The launch's own exit status, read right after it.
  const cap = /^\s*(?:local\s+)?([A-Za-z_]\w*)=["']?\$\{?\?\}?["']?\s*$/.exec(code[0]);
  const status = cap ? cap[1] : /^\s*if\s+(\[|test)\s.*\$\{?\?/.test(code[0]) ? '?' : undefined;
  if (status !== undefined) {
    const reads = (x: string) => /\$\{?\?/.test(x) || (status !== '?' && new RegExp(`\\b${status}\\b`).test(x));
    const other = cmds.find(
      (c) =>
        !MESSAGES.has(c.name) &&
        !(['[', 'test'].includes(c.name) && inCondition(c) && reads(t.slice(c.start, c.end))) &&
        !(
          c.name === 'return' &&
          c.words.length <= 2 &&
          (c.words.length === 1 || /^\d+$|^["']?\$/.test(c.words[1].text))
        ),
    );
    if (other || assigns.length !== (cap ? 1 : 0))
      return {
        refuse: `start() acts on the launch's exit status after it (${other ? shown(other) : 'it sets variables'}); start_post() cannot see that status`,
      };
    return {
      keep: [],
      notes: [
        `start() only reported the launch's exit status after it (${status === '?' ? '$?' : `$${status}`}): dropped, as start_post() cannot see that status; openrc-run reports a failed start itself`,
      ],
    };
  }
  // `kill -0 $!` after `start-stop-daemon … &`: start_post() has no background job.
  if (/\$\{?!/.test(code.map(stripQuotedSingle).join('\n')))
    return {
      refuse: "start() reads $! (the last background job's pid) after the launch; start_post() has no such job",
    };
  // In quotes too (`einfo "status $?"`).
  if (/\$\{?\?/.test(code.join('\n')))
    return { refuse: "start() reads the launch's exit status ($?) after it; start_post() cannot see that status" };
  if (assigns.length) return { refuse: `start() sets ${assigns[0].name} after the launch` };
  // `[ -S "$sock" ] && einfo …` as the last line would fail start_post() when the test fails.
  const chain = /(&&|\|\|)/.exec(bare);
  if (chain)
    return {
      refuse: `start() chains commands with ${chain[1]} after the launch; in start_post() a failing test would fail the start`,
    };
  const pidVars = ['pidfile', 'PIDFILE', 'PID_FILE', 'PIDF'];
  // `--pidfile ${DB_PID}` then `chown dropbear $DB_PID`: the variables its value reads.
  const launchPidVars = [...(launchPid[0] ?? '').matchAll(/\$\{?([A-Za-z_]\w*)/g)].map((m) => m[1]);
  const pidValue = s.value('pidfile');
  const readsPid = (l: string) =>
    [...pidVars, ...launchPidVars].some((v) => new RegExp(`\\$\\{?${v}\\b`).test(l)) ||
    (pidValue && l.includes(pidValue)) ||
    launchPid.some((x) => l.includes(x));
  // rabbitmq's `rabbitmqctl -q wait /var/run/rabbitmq.pid`: the line says which use it is.
  const pidLine = code.find(readsPid);
  if (pidLine !== undefined) {
    const l = pidLine.trim().length > 60 ? `${pidLine.trim().slice(0, 57)}...` : pidLine.trim();
    return {
      refuse: `start() reads the daemon's pid file after the launch (\`${l}\`); under the supervisor that file may not be there yet, or be the supervisor's own`,
    };
  }
  const notes: string[] = [...shapeNotes];
  for (const c of cmds) {
    if (MESSAGES.has(c.name)) {
      // `eend 1` or eerror (which returns 1) fails start_post(): the supervisor would keep
      // restarting the daemon of a service marked failed, where start() had left none running.
      if (
        c.name === 'eerror' ||
        (c.name === 'eend' && c.words.length > 1 && !/^["']?(0|\$\{?\?\}?)["']?$/.test(c.words[1].text))
      )
        return {
          refuse: `start() can fail the start after the launch (${shown(c)}); in start_post() the supervisor would keep the daemon of a service marked failed`,
        };
      continue;
    }
    if (c.name === 'sleep') continue;
    // mailgraph's `umask "${UMASK}"`, giving back the mask `UMASK=$(umask)` saved before the
    // launch: the builtin sets only this shell's mask, which the daemon never had. OpenRC's
    // start-stop-daemon calls umask(022) (or --umask's value) in its child before the exec since
    // 0.3.0 (commit fabee4dc), and supervise-daemon does the same for every child it spawns. A
    // value that cannot fail (a saved mask, octal digits) keeps start_post() from failing on it.
    if (c.name === 'umask' && umaskCannotFail(s, start, launch, c)) {
      notes.push(
        `start_post() keeps \`${shown(c)}\`, which start() ran after the launch: it sets the file mode mask of the init script's own shell only; the daemon never inherits that shell's mask (start-stop-daemon and supervise-daemon both give it 022, or what --umask / umask= says)`,
      );
      continue;
    }
    if (c.name === 'return' && (c.words.length === 1 || c.words[1].text === '0')) continue;
    if (c.name === 'return')
      return {
        refuse: `start() can fail the start after the launch (${shown(c)}); in start_post() the supervisor would keep the daemon of a service marked failed`,
      };
    if (c.name === 'ewaitfile') {
      notes.push(
        `start_post() keeps start()'s bounded wait (${shown(c)}): it waits for what the daemon creates, and holds when the supervisor starts the daemon a moment later; if it times out the start fails, as before`,
      );
      continue;
    }
    if (CHECKS.has(c.name) && inCondition(c)) {
      if (c.name === 'pgrep' || c.name === 'pidof')
        notes.push(`start_post() keeps start()'s informative check (${shown(c)}): it only prints a message`);
      continue;
    }
    // log_packets' real_cleandisk after `start-stop-daemon -b -m`: start-stop-daemon returned as
    // soon as snort was spawned, so the command never waited for it to be ready either; in
    // start_post() it runs at the same moment.
    // A command named by a variable (Alpine's bmc-watchdog runs `$OPTIONS` on a line its launch
    // forgot to continue): what runs is not known, so it is not kept.
    // ttyd forks before anything else (rule forksAtOnce): start-stop-daemon without
    // --background returned at that fork, so the command never waited for it to be ready either.
    if (forksAtOnce && !/[$`]/.test(c.words[0]?.text ?? '$')) {
      notes.push(
        `start_post() keeps \`${shown(c)}\`, which start() ran after the launch: ${forksAtOnce} forks before it does any work (rule ${forksAtOnce}), so start-stop-daemon returned as soon as it was spawned and the command never waited for it to be ready; under the supervisor it runs at the same moment, once per start, not again when the supervisor restarts a daemon that died`,
      );
      continue;
    }
    if (spawnedOnly && !/[$`]/.test(c.words[0]?.text ?? '$')) {
      notes.push(
        `start_post() keeps \`${shown(c)}\`, which start() ran after the launch: start-stop-daemon --background returned as soon as the daemon was spawned, so it never waited for the daemon to be ready, and under the supervisor it runs at the same moment; like all of start_post() it runs once per start, not again when the supervisor restarts a daemon that died`,
      );
      continue;
    }
    return {
      refuse: `start() runs \`${shown(c)}\` after the launch; under the supervisor start_post() could run it before the daemon is ready`,
    };
  }
  // A local of start() set before the launch is gone in start_post().
  const local = startAssigns.find(
    (a) => a.declaration === 'local' && new RegExp(`\\$\\{?${a.name}\\b`).test(code.join('\n')),
  );
  if (local)
    return { refuse: `start() reads ${local.name} after the launch, a local that start_pre() would not pass on` };
  return { keep: post, notes };
}

/**
 * `umask 022` (octal digits), or `umask "${V}"` where start() saved V from `$(umask)` before
 * the launch: a mask that the builtin always accepts.
 */
function umaskCannotFail(s: Service, start: FunctionDef, launch: Command, c: Command): boolean {
  if (c.words.length !== 2) return false;
  const w = c.words[1].text;
  if (/^(["']?)0?[0-7]{3}\1$/.test(w)) return true;
  const m = /^("?)\$(?:\{([A-Za-z_]\w*)\}|([A-Za-z_]\w*))\1$/.exec(w);
  if (!m) return false;
  const v = m[2] ?? m[3];
  const sets = s.initd.assignments.filter((a) => a.name === v);
  return (
    sets.length > 0 &&
    sets.every(
      (a) =>
        a.fn === 'start' &&
        a.start > start.body.start &&
        a.end < launch.start &&
        /^"?(\$\(\s*umask\s*\)|`\s*umask\s*`)"?$/.test(a.value.text),
    )
  );
}

const STOPPERS = /^(kill|pkill|killall|start-stop-daemon)$/;

const INTERPRETED_NO_PIDFILE =
  'start() runs an interpreted daemon (--interpreted) and no pidfile is set: without the supervisor, stop would look for it by --exec, which never matches a script run by its interpreter';
const INTERPRETED_SUGGESTION = 'set pidfile= to the file the daemon writes (the one stop() used), then migrate again';

/**
 * The value the launch's arguments give the rule's pid file option, as written (`-p FILE`,
 * `--pidfile=FILE`, `-pFILE`, `-pid=FILE`): the file the daemon writes. Undefined when none is given.
 */
function toldPidfile(rule: StepContext['rule'], args: readonly Token[]): string | undefined {
  const flags = (rule?.backgroundFlags ?? []).filter((f) => f.why === 'pidfile' && f.value);
  let given: string | undefined;
  args.forEach((_, i) => {
    const w = unquoted(args[i].text);
    for (const f of flags) {
      const n = matchesFlag(args as Token[], i, f);
      if (n === 2) given = args[i + 1].text;
      else if (n === 1) given = w.startsWith(`${f.flag}=`) ? w.slice(f.flag.length + 1) : w.slice(f.flag.length);
    }
  });
  return given;
}

/**
 * Two words naming the same file: as written, or by their static values (every variable with one
 * plain top-level value: an unknown one is never read as empty).
 */
function sameFile(s: Service, a: string, b: string): boolean {
  if (unquoted(a) === unquoted(b)) return true;
  const fixed = (w: string) => {
    if (!/[$`]/.test(w)) return unquoted(w);
    const k = staticProgram(s, w);
    return k && 'path' in k ? k.path : undefined;
  };
  const x = fixed(a);
  const y = fixed(b);
  return !!x && !!y && x.startsWith('/') && samePath(x, y);
}

/**
 * sec's stop(): one `start-stop-daemon --stop --pidfile FILE` (nothing else selecting the
 * process), where FILE is the file the launch told the daemon, by the rule's pid file option,
 * to write. Then stop() found the daemon by its own pid file, and pidfile= can name it.
 */
function stopByToldPidfile(
  s: Service,
  rule: StepContext['rule'],
  stopFn: FunctionDef,
  args: readonly Token[],
): { stop: string; given: string } | undefined {
  if (!rule || rule.refuse) return undefined;
  const given = toldPidfile(rule, args);
  if (given === undefined) return undefined;
  const stoppers = s.initd.commands.filter((c) => c.fn === stopFn.name && STOPPERS.test(c.name));
  if (stoppers.length !== 1 || stoppers[0].name !== 'start-stop-daemon') return undefined;
  const raw = stoppers[0].words.slice(1).map((w) => w.text);
  const p = parseOptions(raw.map(unquoted));
  if (p.unknown.length || p.operandsAt < raw.length) return undefined;
  if (!p.options.some((o) => o.spec.long === 'stop')) return undefined;
  if (p.options.some((o) => !HOW_TO_STOP.has(o.spec.long) || o.spec.long === 'exec')) return undefined;
  const pid = p.options.find((o) => o.spec.long === 'pidfile');
  if (!pid) return undefined;
  const v = pid.valueIndex !== undefined ? raw[pid.valueIndex] : raw[pid.index].slice(raw[pid.index].indexOf('=') + 1);
  return sameFile(s, v, given) ? { stop: v, given } : undefined;
}

/**
 * The file of `kill [-TERM|-15|-s TERM] \`cat FILE\`` (or `$(cat FILE)`, `$(< FILE)`): the one
 * process the file names, sent TERM, as start-stop-daemon --stop --pidfile FILE does. Undefined
 * for another signal, several targets, or anything else.
 */
function killedByFile(c: Command): string | undefined {
  const w = c.words.slice(1).map((x) => x.text);
  let i = 0;
  if (w[i] === '-s' || w[i] === '-n') i += 2;
  else if (/^-[A-Za-z0-9]+$/.test(w[i] ?? '')) i += 1;
  if (i > 0 && !/^-?(SIG)?TERM$|^-?15$/i.test(w[i - 1] ?? '')) return undefined;
  if (w[i] === '--') i += 1;
  if (w.length !== i + 1) return undefined;
  const m = /^"?(?:\$\(\s*(?:cat\s+|<\s*)([^)<>;&|\s]+)\s*\)|`\s*(?:cat\s+|<\s*)([^`<>;&|\s]+)\s*`)"?$/.exec(w[i]);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** start-stop-daemon --stop options that only say how to stop, not which process. */
const HOW_TO_STOP = new Set(['stop', 'quiet', 'verbose', 'signal', 'retry', 'exec', 'pidfile']);

/**
 * A program start() ran directly (no start-stop-daemon): it forked by itself, so the launch is
 * the daemon's only when a rule knows that program (its no-fork words) and stop() stops that
 * same program: start-stop-daemon --stop whose --exec is the launched program and whose
 * --pidfile is the file the daemon writes (the value of the rule's pid file flag in the launch,
 * or else the rule's own default pid file), or killall of the program. Nothing may follow the
 * launch but eend/return. Then the launch is what OpenRC's start-stop-daemon runs for
 * command=/command_args (no --background, no --make-pidfile: the daemon forks as before), and
 * the supervisor stops the very daemon stop() stopped. Returns the refusal, or the note that
 * says which evidence made the launch the daemon's.
 */
function directLaunch(
  s: Service,
  rule: StepContext['rule'],
  start: FunctionDef,
  launch: Command,
  args: readonly Token[],
  stopFn: FunctionDef,
  /** Where OpenRC's PATH finds a program run by bare name, on the root (programOnRoot). */
  resolved?: string,
  /** `prog … &` and then `echo $! > FILE` (heimdal-kadmind): the pid the script recorded. */
  pidRecord?: PidRecord,
): Refusal | string | undefined {
  const prog = unquoted(launch.words[0].text);
  const shown = launch.words[0].text;
  const known = /[$`]/.test(shown) ? staticProgram(s, shown) : undefined;
  const name = known && 'path' in known ? known.path.slice(known.path.lastIndexOf('/') + 1) : launch.name;
  const recorded = pidRecord
    ? `start() runs ${shown} in the background of its own shell (\`&\`) and writes its pid ($!) to ${pidRecord.file}`
    : undefined;
  // `&` and `echo $!`: the script takes the process it started for the daemon, which holds only
  // if the program stays in the foreground; a script can be wrong about that, so a rule must
  // say so too (without one directRunReason refuses: nothing says it stays in the foreground).
  // No rule (a `${command}` launch): the foreground step refuses, or the user's
  // --foreground-args vouch for the program, as for any launch.
  if (!rule || rule.refuse) return undefined;
  // A daemonize flag of the rule in the launch (avahi-daemon -D, verynice -d FILE) says already
  // that the program is the daemon, made to fork: not this case.
  const forkFlags = (rule.backgroundFlags ?? []).filter((f) => f.why === 'daemonize');
  const forks = args.some((_, i) => forkFlags.some((f) => matchesFlag(args as Token[], i, f) > 0));
  if (recorded && forks)
    return refuse(
      `${recorded}, but passes it a word that makes it fork (rule ${rule.id}): that pid is not the daemon's`,
    );
  if (forks) return undefined;
  if (recorded && rule.foreground !== '')
    return refuse(
      `${recorded}, taking that process for the daemon, but ${rule.foreground === undefined ? `the rule ${rule.id} does not say how ${name} stays in the foreground` : `the rule ${rule.id} says ${name} stays in the foreground only with ${rule.foreground}`}: rc-supervise cannot tell what start() ran`,
    );
  const ran = pidRecord
    ? `start() ran ${shown} in the background of its own shell (\`&\`) and wrote its pid ($!) to ${pidRecord.file}`
    : `start() ran ${shown} directly`;
  const tail = pidRecord
    ? `The rule says it stays in the foreground by itself, as that pid took it to: the supervisor runs it the same way and keeps its pid itself (under it ${pidRecord.file} is no longer written)`
    : 'It forked by itself, and under start-stop-daemon it still runs as before (no --background, no --make-pidfile)';
  // Under start-stop-daemon the launch must return, as it did in start(): it forks by itself.
  // A rule saying the program stays in the foreground by itself contradicts that start() went
  // on after it.
  if (rule.foreground === '' && !recorded)
    return refuse(
      `start() runs ${shown} directly and goes on after it, but the rule ${rule.id} says it stays in the foreground by itself: rc-supervise cannot tell what start() ran`,
    );
  // Only the launch's own status reported after it: anything else is judged by no one here.
  const t = s.initd.text;
  const after = t
    .slice(s.initd.lineEnd(stmtEnd(launch)), s.initd.lineStart(start.body.end - 1))
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '' && !/^\s*#/.test(l));
  // eend with its status and a message, nothing that runs or chains another command.
  const other = after.find(
    (l) =>
      l !== pidRecord?.line &&
      (/[;&|`]|\$\(/.test(stripQuotedSingle(l).replace(/\s*;\s*$/, '')) ||
        !/^\s*((eend|ewend)(\s.*)?|return(\s+(\$\?|\$\{\?\}|"\$\?"|0))?)\s*;?\s*$/.test(l)),
  );
  if (other)
    return refuse(
      `start() runs ${shown} directly and then \`${other.trim().slice(0, 60)}\`: after a launch that forks by itself, only its status may be reported`,
    );
  const stoppers = s.initd.commands.filter((c) => c.fn === stopFn.name && STOPPERS.test(c.name));
  if (stoppers.length !== 1) return undefinedStop();
  const stopper = stoppers[0];
  const sameProgram = (word: string) => {
    const a = unquoted(word);
    if (a === prog || (!!resolved && a === resolved)) return true;
    const x = /[$`]/.test(word) ? staticProgram(s, word) : { path: a, ownName: false };
    const y = /[$`]/.test(launch.words[0].text)
      ? staticProgram(s, launch.words[0].text)
      : { path: prog, ownName: false };
    return !!x && !!y && 'path' in x && 'path' in y && x.path === y.path && x.path.startsWith('/');
  };
  if (stopper.name === 'killall') {
    const ops = stopper.words.slice(1).map((w) => w.text);
    if (ops.length === 1 && !ops[0].startsWith('-') && (sameProgram(ops[0]) || unquoted(ops[0]) === name))
      return `${ran} and stop() stopped it with killall ${ops[0]}: the same program, which the rule ${rule.id} knows, so that launch is the daemon's${pidRecord ? `. ${tail}` : `; ${tail[0].toLowerCase()}${tail.slice(1)}`}`;
    return refuse(
      `start() runs ${shown} directly, and stop() runs ${stopper.words
        .map((w) => w.text)
        .join(' ')
        .slice(0, 60)}: rc-supervise cannot tell it stops the same daemon`,
    );
  }
  if (stopper.name === 'kill') {
    // mcollectived's `kill \`cat ${pidfile}\``: TERM (or no signal) to the pid the file holds,
    // what start-stop-daemon --stop --pidfile FILE does; the file must be the one the launch told
    // the daemon to write (or the rule's default one), as for --pidfile below.
    const file = killedByFile(stopper);
    const given = toldPidfile(rule, args);
    const own = rule.ownPidfile && rule.ownPidfile !== '*' ? rule.ownPidfile : undefined;
    if (file !== undefined && pidRecord && sameFile(s, file, pidRecord.file))
      return `${ran}, and stop() stopped it by ${commandExcerpt(s, stopper, 60)}, that file; the rule ${rule.id} knows that program: so that launch is the daemon's. ${tail}`;
    if (file !== undefined && given !== undefined && sameFile(s, file, given))
      return `${ran}, and stop() stopped it by ${commandExcerpt(s, stopper, 60)}, the file the launch told it to write; the rule ${rule.id} knows that program: so that launch is the daemon's. ${tail}`;
    if (file !== undefined && given === undefined && own && sameFile(s, file, own))
      return `${ran}, and stop() stopped it by ${commandExcerpt(s, stopper, 60)}, the pid file ${name} writes by default (rule ${rule.id}); the rule ${rule.id} knows that program: so that launch is the daemon's. ${tail}`;
    return refuse(
      file === undefined
        ? `start() runs ${shown} directly, and stop() runs ${commandExcerpt(s, stopper, 60)}: rc-supervise cannot tell it stops the same daemon`
        : `start() runs ${shown} directly, and stop() kills the process of ${file}, which nothing says ${name} writes${given !== undefined ? ` (the launch names ${given})` : ''}: rc-supervise cannot tell it is the same daemon`,
    );
  }
  if (stopper.name !== 'start-stop-daemon') return undefinedStop();
  const raw = stopper.words.slice(1).map((w) => w.text);
  const p = parseOptions(raw.map(unquoted));
  const narrower = p.options.find((o) => !HOW_TO_STOP.has(o.spec.long));
  if (p.unknown.length || narrower || p.operandsAt < raw.length)
    return refuse(
      `start() runs ${shown} directly, and stop()'s start-stop-daemon selects the process with ${narrower ? `--${narrower.spec.long}` : (p.unknown[0] ?? raw[p.operandsAt])}: rc-supervise cannot tell it is the same daemon`,
    );
  const valueOf = (o: ParsedOption) =>
    o.valueIndex !== undefined ? raw[o.valueIndex] : raw[o.index].slice(raw[o.index].indexOf('=') + 1);
  const exec = p.options.find((o) => o.spec.long === 'exec');
  const pid = p.options.find((o) => o.spec.long === 'pidfile');
  if (!exec && !pid)
    return refuse(`start() runs ${shown} directly, and stop()'s start-stop-daemon names no --exec or --pidfile`);
  const evidence: string[] = [];
  if (exec) {
    if (!sameProgram(valueOf(exec)))
      return refuse(
        `start() runs ${shown} directly, and stop() stops --exec ${valueOf(exec)}: rc-supervise cannot tell it is the same program`,
      );
    evidence.push(`--exec ${valueOf(exec)}, the same program`);
  }
  if (pid) {
    const v = valueOf(pid);
    // The value the launch gave the rule's pid file flag, if it gave one: then the daemon
    // writes there and nowhere else by default.
    const given = toldPidfile(rule, args);
    const same = (a: string, b: string) => sameFile(s, a, b);
    const own = rule.ownPidfile && rule.ownPidfile !== '*' ? rule.ownPidfile : undefined;
    if (pidRecord && same(v, pidRecord.file)) evidence.push(`--pidfile ${v}, the file start() wrote its pid to`);
    else if (given !== undefined && same(v, given))
      evidence.push(`--pidfile ${v}, the file the launch told it to write`);
    else if (given === undefined && own && same(v, own))
      evidence.push(`--pidfile ${v}, the pid file ${name} writes by default (rule ${rule.id})`);
    else
      return refuse(
        `start() runs ${shown} directly, and stop() stops the process of --pidfile ${v}, which nothing says ${name} writes${given !== undefined ? ` (the launch names ${given})` : ''}: rc-supervise cannot tell it is the same daemon`,
      );
  }
  return `${ran}, and stop() stopped it by ${evidence.join(', and by ')}; the rule ${rule.id} knows that program: so that launch is the daemon's. ${tail}`;

  function undefinedStop(): Refusal {
    return refuse(
      `start() runs ${shown} directly, and stop() does not stop exactly one daemon with start-stop-daemon --stop or killall: rc-supervise cannot tell it stops the same daemon`,
    );
  }
}

/**
 * An `mv` that start() runs before the launch, itself or in a function of the script it calls
 * there (one level: `check_setup || return 1`), shown as `mv …` or `check_setup(): mv …`.
 */
function renamesBeforeLaunch(s: Service, start: FunctionDef, launch: Command): string | undefined {
  const before = s.initd.commands.filter(
    (c) => c.fn === 'start' && c.start >= start.body.start && c.end <= launch.start,
  );
  const shown = (c: Command) =>
    s.initd.text
      .slice(c.start, c.end)
      .replace(/\s*\\\r?\n\s*/g, ' ')
      .slice(0, 60);
  const own = before.find((c) => c.name === 'mv' && !madeHere(s, c));
  if (own) return shown(own);
  for (const c of before) {
    if (c.name === 'start' || !s.defines(c.name)) continue;
    const m = s.initd.commands.find((x) => x.fn === c.name && x.name === 'mv' && !madeHere(s, x));
    if (m) return `${c.name}(): ${shown(m)}`;
  }
  return undefined;
}

/**
 * An `mv` whose source is a file the same function made before it: a temporary file from
 * `$(mktemp …)` or one it wrote with `>`/`>>` (dictd's prepconfig() builds its configuration in
 * `$(mktemp)` and moves it into place). Such a move puts what the script generated where the
 * daemon reads it, and the result stays there for a restarted daemon too: not a rotation of
 * files the daemon itself wrote (lambdamoo's `.db.new`).
 */
function madeHere(s: Service, mv: Command): boolean {
  const src = mv.words.slice(1).find((w) => !w.text.startsWith('-'));
  if (!src) return false;
  const word = src.text.replace(/^"(.*)"$/s, '$1');
  const fn = mv.fn ? s.initd.functions.find((f) => f.name === mv.fn) : undefined;
  if (!fn) return false;
  const body = s.initd.text.slice(fn.body.start, mv.start);
  const esc = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const v = /^\$\{?(\w+)\}?$/.exec(word)?.[1];
  if (v && new RegExp(String.raw`(^|[\s;&|])(local\s+)?${v}=\$\(mktemp\b`, 'm').test(body)) return true;
  return new RegExp(String.raw`>\s*"?${esc}"?(\s|$)`, 'm').test(body);
}

/**
 * OpenRC's ssd_start() as sh/start-stop-daemon.sh had it in 0.x (Roy Marples' 2007-2009
 * version), without its start_inactive and service_set_value steps: badvpn's init scripts carry
 * this copy as their start(). Compared word for word (comments, blank lines and line
 * continuations aside): anything else is not this copy.
 */
const OPENRC_SSD_START = [
  '[ -n "$command" ] || return 0',
  'local _background=',
  'ebegin "Starting ${name:-$RC_SVCNAME}"',
  'if yesno "${command_background}"; then',
  'if [ -z "${pidfile}" ]; then',
  'eend 1 "command_background option used but no pidfile specified"',
  'return 1',
  'fi',
  '_background="--background --make-pidfile"',
  'fi',
  'eval start-stop-daemon --start --exec $command ${procname:+--name} $procname ${pidfile:+--pidfile} $pidfile $_background $start_stop_daemon_args -- $command_args',
  'eend $? "Failed to start $RC_SVCNAME"',
  'return $?',
].join(' ');

function copiesOpenrcStart(s: Service): boolean {
  const start = s.initd.fn('start');
  if (!start) return false;
  const body = s.initd.text
    .slice(start.body.start + 1, start.body.end - 1)
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .filter((l) => !/^\s*#/.test(l))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  return body === OPENRC_SSD_START;
}

/**
 * A custom start()/stop() that launches exactly one daemon becomes the declarative variables:
 * what start() did before the launch goes to start_pre(), after it to start_post(); stop()
 * likewise to stop_pre()/stop_post(); the launch's start-stop-daemon options become
 * command_user, directory, ...; a restart() that only stops and starts goes. Anything else is a
 * refusal with the reason: a wrong conversion is worse than none.
 */
/** A conversion that launches nothing itself (OpenRC's own start runs the launch): only lines, edits and notes. */
function noLaunch(lines: string[], edits: Edit[], notes: string[]): Converted {
  return { command: '', args: [], hoist: [], deferred: [], backgroundMakePidfile: false, lines, edits, notes };
}

export function convertCustomStart(ctx: StepContext): Converted | Refusal | 'oneshot' | null {
  const s = ctx.service;
  const file = ctx.initdPath;
  const daemons = ctx.rule?.daemons ?? [];
  const shape = startShape(s, daemons);
  const stopFn = s.initd.fn('stop');
  // One of OpenRC's own functions defined inside start(), stop() or restart() (a `}` missing,
  // so that stop() sits inside start()): it exists only once the outer one has run, and the
  // conversion's edits of the two would overlap. Helpers defined there (pentoo's
  // binary-driver-handler) are the outer function's own business.
  const fns = s.initd.functions;
  const OWN = /^(start|stop|restart|reload|status|(start|stop)_(pre|post))$/;
  const within = (g: FunctionDef) =>
    fns.find((f) => f !== g && OWN.test(f.name) && g.start < f.start && f.end <= g.end);
  const outer = fns.find((g) => ['start', 'stop', 'restart'].includes(g.name) && within(g));
  if (outer) {
    const inner = within(outer)!;
    return refuse(
      `${inner.name}() is defined inside ${outer.name}() (a missing \`}\`?): it exists only once ${outer.name}() has run, and rc-supervise cannot convert one without the other`,
    );
  }
  // Any other function that starts or stops the daemon with start-stop-daemon bypasses the
  // supervisor just the same (a restart() calling it was left behind before).
  // denyhosts's purge() runs the program to completion while the service is stopped: no bypass.
  const bypass = s.ssdCalls.find(
    (c) =>
      (c.kind === 'start' || c.kind === 'stop') &&
      c.cmd.fn &&
      !['start', 'stop', 'restart'].includes(c.cmd.fn) &&
      !stoppedOnlyRun(s, c),
  );
  if (bypass) {
    // What start() itself does first: changing the other function alone would not help.
    if (shape.kind === 'refuse') return refuse(shape.reason, shape.suggestion);
    const fn = bypass.cmd.fn!;
    if (s.initd.commands.some((c) => c.fn === 'start' && c.name === fn)) {
      const h = helperLaunchReason(s);
      return h ? refuse(h.reason, h.suggestion) : refuse(cannotFollow(fn));
    }
    return (
      relaunch(s, bypass, shape) ??
      refuse(
        `${fn}() calls start-stop-daemon --${bypass.kind} itself, which bypasses the supervisor`,
        `rewrite ${fn}() for the supervisor (a signal through \`\${supervisor} \${RC_SVCNAME} --signal …\`), or drop it, then migrate again`,
      )
    );
  }
  if (shape.kind === 'none' || shape.kind === 'default') {
    if (!stopFn) {
      if (!s.initd.fn('restart')) return null;
      const edits: Edit[] = [];
      const notes: string[] = [];
      const rr = removeRestart(s, file, notes, edits);
      if (rr) return rr;
      return noLaunch([], edits, notes);
    }
    const stopCmds = s.initd.commands.filter((c) => c.fn === 'stop' && !CHATTER.has(c.name));
    if (stopCmds.some((c) => DEFAULT_STOP.has(c.name))) return null;
    if (shape.kind === 'none' && !s.command) return notOneshot(s) ?? 'oneshot';
    const edits: Edit[] = [];
    const lines: string[] = [];
    const notes: string[] = [];
    const r = convertStop(s, file, stopFn, daemons, s.initd.eol, lines, notes, edits, ctx.rule?.stopWords, {
      startPreFree: !s.defines('start_pre'),
      noOwnPidfile: ctx.rule?.noOwnPidfile === true,
      stopCommands: ctx.rule?.stopCommands,
      stopPreludes: ctx.rule?.stopPreludes,
    });
    if (r) return r;
    const rr = removeRestart(s, file, notes, edits);
    if (rr) return rr;
    return noLaunch(lines, edits, notes);
  }
  if (shape.kind === 'oneshot') return notOneshot(s) ?? 'oneshot';
  // badvpn's start(): OpenRC's own ssd_start() of old, copied word for word. Without it OpenRC's
  // start runs: the same launch from the same variables, and it honours supervisor=.
  if (shape.kind === 'refuse' && !stopFn && !s.initd.fn('restart') && copiesOpenrcStart(s)) {
    const start = s.initd.fn('start')!;
    if (!ownsItsLines(s, start)) return refuse(shape.reason, shape.suggestion);
    return noLaunch(
      [],
      [replaceFunction(s, file, start, '')],
      [
        "start() was a copy of OpenRC's own start-stop-daemon start (ssd_start() of OpenRC 0.x: eval start-stop-daemon --start --exec $command … -- $command_args, with --background --make-pidfile for command_background): removed, so that OpenRC's own start runs the same launch from the same variables, with the supervisor that supervisor= names",
      ],
    );
  }
  if (shape.kind === 'refuse') return refuse(shape.reason, shape.suggestion);
  const { launch } = shape;
  const start = s.initd.fn('start')!;
  if (shape.guard) {
    const why = guardedStatus(s, start, launch);
    if (why)
      return refuse(
        `start() launches the daemon only if ${shape.guard.name} succeeds (\`${shape.guard.name} && …\`), ${why}`,
      );
  }
  // lambdamoo's check_setup() renames the database the server wrote last (`.db.new`) to the one
  // it reads (`.db`) before each launch. start_pre() does that only when the service starts:
  // when the supervisor restarts a daemon that died, the daemon runs again on the files as they
  // were (the old database, its next checkpoint overwriting the newer one), where start() would
  // have moved them first. Renaming files before the launch is such a step; without the
  // supervisor a dead daemon stayed down until someone started it again, through start().
  const mover = renamesBeforeLaunch(s, start, launch);
  if (mover)
    return refuse(
      `start() renames files before the launch (${mover}): start_pre() would do that only when the service starts, not when the supervisor restarts a daemon that died, which would then run on the files as they were`,
    );
  // Said last (tgtd's status() runs pidof, but its start() configures the daemon after the
  // launch): whatever else keeps start()/stop() from converting is the truer reason.
  const ownStatus = s.defines('status') && statusReadsProcess(s);

  // The launch itself.
  let command: string;
  let args: Token[];
  const lines: string[] = [];
  // The lines made from the launch's options that OpenRC reads only inside its eval (below).
  const optionLines: OptionLine[] = [];
  const notes: string[] = [];
  let backgroundMakePidfile = false;
  // `start-stop-daemon --make-pidfile … &` without --background (below).
  let ampMakePidfile = false;
  // start-stop-daemon --background (without --wait) returned as soon as the daemon was spawned.
  let spawnedOnly = false;
  // start-stop-daemon --background: it gave the daemon /dev/null for stdin, stdout and stderr
  // (or --stdout/--stderr's files), whatever the launch line's own redirections said.
  let ssdBackground = false;
  // The launch's --pidfile as written, and its value: what start() does with it after the launch.
  let launchPid: string[] = [];
  // An --interpreted launch without a pid file whose stop() used the file the daemon was told to write.
  let interpretedPidfile: { stop: string; given: string } | undefined;
  const tok = (w: { text: string; start: number; end: number }): Token => ({
    text: w.text,
    start: w.start,
    end: w.end,
  });
  if (shape.how === 'start-stop-daemon') {
    // The launch's words, with an operand whose words are certain written out (below).
    let lw: { text: string; start: number; end: number }[] = launch.words;
    // Where each word came from, when it was written out: a `${VAR:+…}` (cond: VAR), or the
    // script's own start_stop_daemon_args (own), which OpenRC keeps passing after the migration.
    let origin: ({ cond?: string; own?: boolean; shown: string } | undefined)[] = lw.map(() => undefined);
    const parseLaunch = () => {
      const words = lw.slice(1).map((w) => unquoted(w.text));
      const sep = words.indexOf('--');
      const optionWords = sep < 0 ? words : words.slice(0, sep);
      // OpenRC's start-stop-daemon permutes: `-S /usr/sbin/munged --user munge -- args` names
      // the program as an operand. Options are parsed around operands; one operand at most.
      const p: ParsedArgs = { options: [], unknown: [], operandsAt: optionWords.length };
      const operands: number[] = [];
      for (let i = 0; i < optionWords.length;) {
        // getopt_long takes unique abbreviations (`--nice 10` is --nicelevel): so does this parse.
        const part = parseOptions(optionWords.slice(i), undefined, { abbreviations: true });
        p.options.push(
          ...part.options.map((o) => ({
            ...o,
            index: o.index + i,
            valueIndex: o.valueIndex === undefined ? undefined : o.valueIndex + i,
          })),
        );
        p.unknown.push(...part.unknown);
        i += part.operandsAt;
        if (i < optionWords.length) operands.push(i++);
      }
      return { sep, p, operands };
    };
    let { sep, p, operands } = parseLaunch();
    if (p.unknown.length)
      return refuse(`start()'s start-stop-daemon has options rc-supervise does not know: ${p.unknown.join(' ')}`);
    // Without `--`, every word before the end that getopt_long takes for an option is
    // start-stop-daemon's, wherever it stands, and the operands are the daemon's (in their
    // order, before the words after `--`). So an operand is certain only when no word it
    // expands to can start with `-`: literal text, or variables whose value is known.
    const unsureText = (t: string) =>
      `start()'s start-stop-daemon passes ${t} before \`--\`: if its value starts with \`-\`, start-stop-daemon takes it for one of its own options, so rc-supervise cannot tell whose it is`;
    const unsureFix = "put the daemon's arguments after `--` in start(), then migrate again";
    let unsure = operands.find((i) => !operandIsCertain(s, lw[i + 1].text, launch.fn));
    if (unsure !== undefined) {
      // ser2net's `${start_stop_daemon_args}` (set plainly at the top of the script) and
      // deluged's `${DELUGED_UMASK:+--umask ${DELUGED_UMASK}}`: words whose options are known.
      // They are written out in the launch (as the shell splits them), and read again.
      const unsureAt = new Set(operands.filter((i) => !operandIsCertain(s, lw[i + 1].text, launch.fn)));
      const next: typeof lw = [lw[0]];
      const nextOrigin: typeof origin = [undefined];
      for (let i = 1; i < lw.length; i++) {
        if (!unsureAt.has(i - 1)) {
          next.push(lw[i]);
          nextOrigin.push(origin[i]);
          continue;
        }
        const known = knownOptionWords(s, lw[i].text);
        if (!known) return refuse(unsureText(lw[i].text), unsureFix);
        for (const w of known.words) {
          next.push({ text: w, start: lw[i].start, end: lw[i].end });
          nextOrigin.push({ cond: known.cond, own: known.variable === 'start_stop_daemon_args', shown: lw[i].text });
        }
      }
      lw = next;
      origin = nextOrigin;
      ({ sep, p, operands } = parseLaunch());
      if (p.unknown.length)
        return refuse(`start()'s start-stop-daemon has options rc-supervise does not know: ${p.unknown.join(' ')}`);
      unsure = operands.find((i) => origin[i + 1] !== undefined || !operandIsCertain(s, lw[i + 1].text, launch.fn));
      if (unsure !== undefined) return refuse(unsureText(origin[unsure + 1]?.shown ?? lw[unsure + 1].text), unsureFix);
      // A `${VAR:+…}` group is options only, each with its value inside the group.
      for (const o of p.options) {
        const from = origin[o.index + 1];
        const valueFrom = o.valueIndex === undefined ? from : origin[o.valueIndex + 1];
        if (from?.cond !== valueFrom?.cond || (from?.cond !== undefined && from.shown !== valueFrom?.shown))
          return refuse(
            `start()'s start-stop-daemon passes ${o.written} with a value only partly inside ${(from ?? valueFrom)!.shown}, which rc-supervise does not convert`,
          );
      }
    }
    // The value as written (quotes kept): the next word, or what follows `=` in `--user="x"`.
    const written = (o: (typeof p.options)[number]) => {
      if (o.valueIndex !== undefined) return lw[o.valueIndex + 1].text;
      const w = lw[o.index + 1].text;
      const eq = w.indexOf('=');
      return o.written.startsWith('--') && eq > 0 ? w.slice(eq + 1) : (o.value ?? '');
    };
    const given = (long: string) => p.options.some((o) => o.spec.long === long);
    // sancp's and lambdamoo's `start-stop-daemon --start --make-pidfile --pidfile F … &`, without
    // --background: OpenRC's start-stop-daemon has its child write its own pid to F before it
    // execs the program (with or without --background), and then waits for that child, which
    // the `&` keeps from holding up start(). So the script, as with --background --make-pidfile,
    // relies on the program not forking: F names it, and stop() signals it there. It is read as
    // that launch (start-stop-daemon.c: `if (makepidfile && pidfile)` in the child, `if
    // (!background)` waitpid in the parent; the same from 0.13 to master).
    ampMakePidfile = !!shape.amp && !given('background') && given('make-pidfile') && given('pidfile');
    const has = (long: string) => given(long) || (long === 'background' && ampMakePidfile);
    spawnedOnly = has('background') && !has('wait');
    // The child's output: /dev/null with --background, and also with --quiet (which sets
    // EINFO_QUIET, under which the child's stdout and stderr go to /dev/null as well).
    ssdBackground = given('background') || (ampMakePidfile && given('quiet'));
    // spread's `start-stop-daemon --background … &`: start-stop-daemon returns at the spawn
    // anyway, so the `&` only kept start() from seeing its status. Without --background it
    // is what puts the daemon in the background, which says nothing of its forking, unless
    // --make-pidfile has the pid file name the program itself (above).
    if (shape.amp) {
      // ip-sentinel's `start-stop-daemon --start --exec … -- … &`: neither option says that
      // the program stays in the foreground.
      if (!has('background'))
        return refuse(
          'start() runs start-stop-daemon in the background of its own shell (`&`), without --background and without --make-pidfile --pidfile: that says nothing about whether the daemon forks or stays in the foreground',
          'if the program stays in the foreground, launch it with --background --make-pidfile --pidfile FILE instead of `&` (stop() stopping it through FILE); if it forks, drop the `&`; then migrate again',
        );
      notes.push(
        ampMakePidfile
          ? "start() ran start-stop-daemon --make-pidfile without --background in the background of its own shell (`&`): start-stop-daemon's child wrote its own pid to the pid file and ran the daemon in its place, while the `&` kept start() from waiting for it, as --background --make-pidfile would; openrc-run now sees and reports the launch's status"
          : "start() ran start-stop-daemon --background in the background of its own shell (`&`), which only kept it from seeing the launch's status: openrc-run now sees and reports it",
      );
      if (ampMakePidfile && !given('quiet') && !(launch.redirects ?? []).length)
        notes.push(
          "without --background or --quiet the daemon's output went where start()'s did (the console of the start); under the supervisor it goes to /dev/null unless output_log/error_log are set",
        );
    }
    if (launch.wrapper)
      notes.push(
        `start() ran start-stop-daemon through ${launch.wrapper}, which only gave it a session of its own: the daemon had one anyway (start-stop-daemon's child calls setsid() before it runs the daemon), and supervise-daemon's child does the same`,
      );
    const pidOpt = p.options.find((o) => o.spec.long === 'pidfile')?.value;
    if (pidOpt) launchPid = [pidOpt, unquoted(s.expand(pidOpt) ?? '')].filter((x) => x.length > 1);
    const exec = p.options.find((o) => o.spec.long === 'startas') ?? p.options.find((o) => o.spec.long === 'exec');
    if (exec?.value) command = written(exec);
    else if (operands.length >= 1) command = lw[operands.shift()! + 1].text;
    else if (sep >= 0 && sep + 2 < lw.length)
      // apache2's `start-stop-daemon --start --pidfile "${PIDFILE}" -- ${APACHE2} ${APACHE2_OPTS} -k
      // start`: OpenRC's start-stop-daemon then runs the first word after `--` (start-stop-daemon.c:
      // `if (!exec) exec = *argv;`), with the rest as its arguments.
      return refuse(
        `start()'s start-stop-daemon names no --exec or --startas: OpenRC's start-stop-daemon runs the first word after \`--\` (${lw[sep + 2].text}) as the program, a form rc-supervise does not convert`,
        'name the program with --exec in start() (or convert start() by hand), then migrate again',
      );
    else return refuse("start()'s start-stop-daemon names no program (--exec, --startas or an operand)");
    // `--exec "${JAVA}"` with JAVA set nowhere (a conf.d that does not exist here): command=
    // would be empty, which OpenRC runs as no daemon at all.
    const lone = /^["']?\$\{?([A-Za-z_]\w*)\}?["']?$/.exec(command)?.[1];
    if (lone && setNowhere(s, lone))
      return refuse(
        `start() runs ${command}, and neither the script nor its conf.d sets ${lone}: rc-supervise cannot tell which program that is`,
        `set ${lone} in /etc/conf.d/${s.name} (the conf.d the package installs may set it), then migrate again`,
      );
    // webmin's `WEBMIN_EXE="%exe%"`, which its ebuild replaces (sed) with the program's path
    // when it installs the script: this file is not the one a system runs.
    const placeholder = lone ? unquoted(s.expand(command) ?? '') : '';
    if (/^%[A-Za-z_]\w*%$/.test(placeholder))
      return {
        kind: 'refuse',
        code: 'template',
        reason: `template: start() runs ${command}, whose value ${placeholder} is a placeholder the ebuild fills in when it installs the script`,
        suggestion: 'run rc-supervise on the installed file',
      };
    if (/\$/.test(command) && !/^["']?\$\{?[A-Za-z_]\w*\}?["']?$/.test(command)) {
      // command= keeps the variables as written (it follows them at run time); their static
      // value only names the program, for the rule.
      const known = staticProgram(s, command);
      if (!known || !('path' in known))
        return refuse(
          `start() runs ${command}, which rc-supervise cannot read statically${known && 'why' in known ? ` (${known.why})` : ''}`,
        );
      if (known.ownName)
        notes.push(
          `start() names the program through the service's own name: ${command} was read as ${known.path} for the service name ${s.name}; a link to this script under another name runs another binary, which this migration did not read`,
        );
    }
    args = sep < 0 ? [] : lw.slice(sep + 2).map(tok);
    // `--exec /usr/bin/mono /usr/lib/mono/${xsppath} -- --root ...`: with the program named by an
    // option, the operands before `--` are the daemon's first arguments (getopt moves them behind
    // the options, in order; start-stop-daemon passes them on before the words after `--`).
    // Without --exec the first operand was the program (taken above).
    // liquidsoap's `--make-pidfile ${pidfile}`: --make-pidfile takes no value, so the pid file's
    // path went to the daemon as its first argument. The script meant it for start-stop-daemon;
    // what the daemon made of it rc-supervise cannot tell, and later steps would take the word
    // for the daemon's own pid file option and move it.
    const pidWordAt = operands.find((i) => {
      const t = unquoted(lw[i + 1].text);
      const pf = s.value('pidfile');
      return (
        /^\$(\{pidfile\}|pidfile)$/.test(t) ||
        (typeof pf === 'string' && pf.length > 0 && t === unquoted(pf)) ||
        (pidOpt !== undefined && t === unquoted(pidOpt))
      );
    });
    if (pidWordAt !== undefined)
      return refuse(
        `start()'s start-stop-daemon passes the pid file ${lw[pidWordAt + 1].text} as a word of its own before \`--\`${
          pidWordAt > 0 && /^(--make-pidfile|-m)$/.test(unquoted(lw[pidWordAt].text))
            ? ' (after --make-pidfile, which takes no value)'
            : ''
        }: start-stop-daemon gave it to the daemon as its first argument, and rc-supervise cannot tell what the daemon made of it`,
        'fix the launch in start() (--make-pidfile takes no value; --pidfile names the file), then migrate again',
      );
    args = [...operands.map((i) => tok(lw[i + 1])), ...args];
    // With a rule for the daemon the script's --background no longer matters: the rule says how
    // the daemon stays in the foreground, and that is what the supervisor runs.
    const ruled = ctx.rule && !ctx.rule.refuse && ctx.rule.foreground !== undefined;
    if (has('background') && !has('make-pidfile') && ruled) {
      notes.push(
        `start() ran the daemon with start-stop-daemon --background and no --make-pidfile; the rule ${ctx.rule!.id} says how it stays in the foreground, so the supervisor runs it with those words`,
      );
      // The words start() passed may already keep it in the foreground (`supervisord -n`, the
      // rule's own words, or a common no-fork spelling): then, as when it never forks, it only
      // ran in the background under start-stop-daemon because --background put it there.
      const passed = args.map((a) => unquoted(a.text));
      const ruleWords = ctx.rule!.foreground!.split(/\s+/).filter(Boolean);
      const staysAnyway =
        ctx.rule!.foreground === '' ||
        ruleWords.every((w) => passed.includes(w)) ||
        passed.some((w) => NO_FORK_WORDS.test(w));
      if (staysAnyway) {
        // It does not fork: under start-stop-daemon something must still put it in the
        // background, as --background did, or start would wait on it forever.
        backgroundMakePidfile = true;
        if (!s.isSet('command_background')) lines.push('command_background="yes"');
        if (!s.isSet('pidfile') && !has('pidfile')) lines.push('pidfile="/run/${RC_SVCNAME}.pid"');
        // fancontrol writes /var/run/fancontrol.pid itself and will not start while it exists:
        // --make-pidfile (which command_background brings) writes that file before it starts.
        // The file start-stop-daemon would write: the script's pidfile=, else the launch's --pidfile.
        const pidWord = s.isSet('pidfile') ? '${pidfile}' : p.options.find((o) => o.spec.long === 'pidfile')?.value;
        const pidPath = s.isSet('pidfile') ? s.value('pidfile') : pidWord ? s.expand(pidWord) : null;
        const shown = pidPath ? unquoted(pidPath) : pidWord;
        const own = ctx.rule!.ownPidfile;
        const id = ctx.rule!.id;
        // '*': it writes one at a path its build decides, which the script's may well be.
        const clash = !!pidWord && !!own && (own === '*' || (!!pidPath && samePath(unquoted(pidPath), own)));
        notes.push(
          clash
            ? `under start-stop-daemon (were supervisor= set back), command_background="yes" would also have start-stop-daemon write ${shown} before ${id} starts (--make-pidfile), ${own === '*' ? `where ${id} may write its own pid file (rule ${id}: it writes one, at a path its build decides)` : `the file ${id} writes itself (rule ${id})`}: a daemon that will not start over an existing pid file fails there; start() left that file to the daemon. Under supervise-daemon the supervisor keeps a pid file of its own`
            : 'under start-stop-daemon, command_background="yes" backgrounds it as --background did (with a pid file start-stop-daemon writes)',
        );
      }
    } else if (has('background') && !has('make-pidfile'))
      return refuse(
        'start() uses start-stop-daemon --background without --make-pidfile: the script stops the daemon by name, so it says nothing about whether the daemon forks, and converting it could leave start-stop-daemon waiting on a daemon that does not fork',
        "convert start() by hand; pass the daemon's no-fork option with --foreground-args",
      );
    if (has('background') && has('make-pidfile')) {
      backgroundMakePidfile = true;
      if (!s.isSet('command_background')) lines.push('command_background="yes"');
    }
    const nss: string[] = [];
    const nssWords: OptionLine['words'] = [];
    let waited: string | undefined;
    for (const o of p.options) {
      const long = o.spec.long;
      const from = origin[o.index + 1];
      // `${DEBUG:+"--verbose"}`, `${DELUGED_UMASK:+--umask ${DELUGED_UMASK}}`: an option given
      // only when VAR is set keeps that condition, in start_stop_daemon_args (read when the
      // script is read, after conf.d), for an option that means the same to both daemons.
      // Not as a declarative variable: OpenRC passes `--umask $umask` whenever umask is set,
      // even empty (`${umask+--umask}`, start-stop-daemon.sh), and the empty value swallows the
      // next word.
      if (from?.cond !== undefined && !['quiet', 'verbose'].includes(long)) {
        const v = written(o);
        if (!SHARED_MEANING.has(long) || /["'\\`{}]/.test(v.replace(/\$\{?[A-Za-z_]\w*\}?/g, '')))
          return refuse(
            `start()'s start-stop-daemon passes --${long} only when ${from.cond} is set (${from.shown}), which rc-supervise does not convert`,
          );
        const text = `\${${from.cond}:+--${long}${o.value === undefined ? '' : ` ${v}`}}`;
        nss.push(text);
        if (o.value !== undefined) nssWords.push({ option: `--${long}`, word: v, cond: true });
        notes.push(
          `start() passed start-stop-daemon ${from.shown}: start_stop_daemon_args keeps it as written, so --${long} is still given only when ${from.cond} is set`,
        );
        continue;
      }
      if (['start', 'exec', 'startas', 'background', 'make-pidfile', 'quiet', 'verbose'].includes(long)) continue;
      // The script's own start_stop_daemon_args, which start() passed: OpenRC passes it to
      // start-stop-daemon after the migration too (and the ssd-args step says what
      // supervise-daemon gets of it), so its options that need no reading stay there.
      if (from?.own && (DECLARATIVE[long] !== undefined || SHARED_MEANING.has(long) || long === 'wait')) continue;
      const v = written(o);
      if (long === 'pidfile') {
        // `${SRP_DAEMON_PID:-/var/run/srpd.pid}`: a name nothing sets, with a default that is never
        // empty (and holds no glob or tilde, which the launch's unquoted word expanded and an
        // assignment does not). pidfile= keeps the expansion as written, so at the top of the
        // script it reads the same conf.d (sourced first) and gets the same file as the launch
        // did; a plain `${PIDFILE}` nothing sets has no value to keep.
        const defaulted = (x: string) =>
          [...v.matchAll(/\$(\{)?([A-Za-z_]\w*)(:-[^}$`"'\s*?[~]+\})?/g)].every(
            (m) => m[2] !== x || (m[1] !== undefined && m[3] !== undefined),
          );
        const unset = referencedVars(v).find(
          (x) =>
            !s.isSet(x) &&
            !s.initd.assignments.some((a) => a.name === x) &&
            !/^(RC_SVCNAME|SVCNAME)$/.test(x) &&
            !defaulted(x),
        );
        if (unset)
          return refuse(`start() names its pid file with ${unset}, which neither the script nor its conf.d sets`);
        const current = s.value('pidfile');
        // A pid file a function computes when the service starts (dovecot's checkconfig()
        // reads base_dir from the configuration) cannot be a top-level pidfile=, which is read
        // before start_pre() and again at stop. start-stop-daemon only used it to find the
        // daemon; when the rule says the daemon writes its own pid file in the foreground too,
        // that file stays what it was for anything else that reads it, and the supervisor
        // keeps one of its own (supervise-daemon's default, since no pidfile is set).
        const late = referencedVars(v).filter(
          (x) => !s.isSet(x) && s.initd.assignments.some((a) => a.name === x && a.fn !== null),
        );
        // v2ray's checkconfig() sets V2_PIDFILE from RC_SVCNAME, and start() has
        // start-stop-daemon --background --make-pidfile write the daemon's pid there. That name
        // cannot be a pidfile= (see above), and it need not be: the daemon never learns it, so
        // where the file is matters only to what else reads it. With no other reader, pidfile=
        // is a fixed file of rc-supervise's own, which both backends record and stop by.
        // Not a name start() itself sets: a plain value there moves to the top of the script
        // (pidfile=${PIDFILE} then reads it as before).
        if (
          current === undefined &&
          late.length &&
          has('background') &&
          has('make-pidfile') &&
          !s.initd.assignments.some((a) => late.includes(a.name) && a.fn === 'start')
        ) {
          const fns = [...new Set(s.initd.assignments.filter((a) => late.includes(a.name) && a.fn).map((a) => a.fn))];
          const sets = `${fns.map((f) => `${f}()`).join(', ')} ${fns.length > 1 ? 'compute' : 'computes'}`;
          const at = (o.valueIndex ?? o.index) + 1;
          const why = madePidfileReader(s, ctx.pidfileReaders ?? [], launch, at, late);
          if (why)
            return refuse(
              `start() has start-stop-daemon write the pid file ${v} (--make-pidfile), which ${sets} when the service starts; pidfile= cannot read it (OpenRC records pidfile as written when the service starts, and stop uses that record unexpanded), and a file of rc-supervise's own would do only if nothing else read that one, but ${why}`,
            );
          lines.push(`pidfile=${OWN_PIDFILE}`);
          notes.push(
            `start() had start-stop-daemon write the daemon's pid (--make-pidfile) to ${v}, which ${sets} when the service starts: pidfile= cannot read that name (OpenRC records pidfile as written when the service starts, and stop uses that record unexpanded), and the daemon never learns it, so pidfile= is a file of rc-supervise's own, ${OWN_PIDFILE} (nothing else in the script or on the root reads ${v}). Under supervise-daemon it is the supervisor's pid file (its default name); under start-stop-daemon (were supervisor= set back) command_background="yes" has start-stop-daemon write the daemon's pid there, as --make-pidfile did, and stop finds it there`,
          );
          continue;
        }
        if (
          current === undefined &&
          late.length &&
          ctx.rule?.ownPidfile === '*' &&
          !args.some((a) => referencedVars(a.text).some((x) => late.includes(x)))
        ) {
          const fns = [...new Set(s.initd.assignments.filter((a) => late.includes(a.name) && a.fn).map((a) => a.fn))];
          notes.push(
            `start() gave start-stop-daemon the pid file ${v}, which ${fns.map((f) => `${f}()`).join(', ')} ${fns.length > 1 ? 'compute' : 'computes'} when the service starts: not a pidfile= (read when the script is read). ${ctx.rule.daemons[0] ?? 'The daemon'} writes its own pid file in the foreground too (rule ${ctx.rule.id}), so that file stays as it was, and supervise-daemon keeps its own default one (/var/run/supervise-\${RC_SVCNAME}.pid)`,
          );
          continue;
        }
        if (current === undefined) lines.push(`pidfile=${v}`);
        else if (!/^["']?\$\{?pidfile\}?["']?$/.test(v) && current !== o.value)
          return refuse(`start() writes the pid file ${v}, but pidfile is set to ${current}`);
        continue;
      }
      if (long === 'name') {
        // mailgraph's launch names --name twice: one line.
        if (!s.isSet('procname') && !lines.includes(`procname=${v}`)) lines.push(`procname=${v}`);
        continue;
      }
      if (long === 'interpreted') {
        // Without a pid file, the declarative start-stop-daemon path (supervisor removed) stops
        // by --exec, which never matches a script run by its interpreter: stop would find
        // nothing and leave the daemon running. sec's stop() found it by the very file the
        // launch told it to write (`-pid=/run/sec.pid`, the rule's pid file option): that file
        // becomes pidfile= (convertStop takes it from stop(); checked after it below).
        if (s.value('pidfile') === undefined && !has('pidfile')) {
          const told = stopFn ? stopByToldPidfile(s, ctx.rule, stopFn, args) : undefined;
          if (!told) return refuse(INTERPRETED_NO_PIDFILE, INTERPRETED_SUGGESTION);
          interpretedPidfile = told;
          notes.push(
            `start() ran an interpreted daemon (--interpreted) and gave start-stop-daemon no pid file; stop() found it by --pidfile ${told.stop}, the file the launch told it to write with its pid file option (rule ${ctx.rule!.id}): pidfile= names that file, so that start-stop-daemon (were supervisor= set back) finds the script by its pid file as stop() did, not by --exec`,
          );
        }
        // start-stop-daemon uses it only to find the running process by its interpreter (the
        // already-running check); the supervisor knows its child's pid.
        notes.push(
          'start-stop-daemon --interpreted of start() dropped: it only matched the running script by its interpreter; the supervisor tracks its child itself',
        );
        continue;
      }
      if (long === 'wait') {
        // start-stop-daemon failed the start when the daemon died within that time (sldd exits at
        // once when its conf.d lists no hosts). Kept for start-stop-daemon (supervisor removed) in
        // start_stop_daemon_args; supervise-daemon lacks --wait, so it gets supervise_daemon_args
        // of its own, as the ssd-args step does for a script's own start_stop_daemon_args --wait:
        // its start returns once the child is spawned and respawns a daemon that dies (said).
        if (o.value === undefined)
          return refuse(
            `start() makes start-stop-daemon wait (--wait) with a time rc-supervise cannot read`,
            'convert start() by hand (e.g. start_stop_daemon_args for start-stop-daemon and a supervise_daemon_args of its own), then migrate again',
          );
        if (s.isSet('supervise_daemon_args'))
          return refuse(
            `start() makes start-stop-daemon wait (--wait ${v}), which supervise-daemon lacks, and the script sets supervise_daemon_args already`,
          );
        waited = v;
        continue;
      }
      const variable = DECLARATIVE[long];
      if (variable) {
        if (s.isSet(variable)) return refuse(`start() passes --${long} but ${variable} is set as well`);
        optionLines.push({ at: lines.length, variable, words: [{ option: o.written, word: v }], value: v });
        lines.push(`${variable}=${v}`);
        continue;
      }
      if (SHARED_MEANING.has(long)) {
        // Written out in full: an abbreviation start-stop-daemon takes may be ambiguous to supervise-daemon.
        nss.push(
          o.valueIndex !== undefined
            ? `--${long} ${v}`
            : o.written.startsWith('--')
              ? `--${long}${o.value === undefined ? '' : `=${v}`}`
              : o.written,
        );
        // The words the option's value was written as (`-eHOME=…` keeps it in the option's own word).
        if (o.value !== undefined)
          nssWords.push(
            o.valueIndex !== undefined || o.written.startsWith('--')
              ? { option: `--${long}`, word: v }
              : { option: '', word: o.written },
          );
        continue;
      }
      return refuse(`start()'s start-stop-daemon uses --${long}, which has no declarative equivalent`);
    }
    if (nss.length || waited !== undefined) {
      if (s.isSet('start_stop_daemon_args'))
        return refuse('start() passes options that need start_stop_daemon_args, which the script sets already');
      const ssd = [...nss, ...(waited !== undefined ? [`--wait ${waited}`] : [])];
      optionLines.push({
        at: lines.length,
        variable: 'start_stop_daemon_args',
        words: [...nssWords, ...(waited !== undefined ? [{ option: '--wait', word: waited }] : [])],
        value: ssd.join(' '),
      });
      lines.push(`start_stop_daemon_args="${ssd.join(' ').replace(/"/g, '\\"')}"`);
      if (waited !== undefined) {
        // A single space where nothing else is left: OpenRC before 0.46 takes "" for unset and
        // hands start_stop_daemon_args (with --wait) to supervise-daemon (docs/openrc.md §2).
        if (nss.length)
          optionLines.push({
            at: lines.length,
            variable: 'supervise_daemon_args',
            words: nssWords,
            value: nss.join(' '),
          });
        lines.push(`supervise_daemon_args="${nss.length ? nss.join(' ').replace(/"/g, '\\"') : ' '}"`);
        notes.push(
          `start-stop-daemon's --wait ${waited} stays in start_stop_daemon_args, for start-stop-daemon; supervise-daemon, which lacks it, gets supervise_daemon_args${nss.length ? ' with the other options' : ' set to " " (a single space: OpenRC before 0.46 treats "" as unset)'}: its start no longer waits ${waited} ms to see the daemon still running (supervise-daemon starts it again when it dies)`,
        );
      }
    }
  } else {
    command = launch.words[0].text;
    args = launch.words.slice(1).map(tok);
    // `mdadm --monitor --daemonise` found through PATH: command= wants the program's path,
    // which the script does not say; the root does, where OpenRC's own PATH finds it, unless
    // the script or its conf.d sets a PATH of its own (rc.conf is looked at by programOnRoot).
    let resolved: string | undefined;
    if (!/[/$]/.test(command)) {
      const bare = unquoted(command); // programOnRoot takes plain names only
      const setsPath = [s.initd, s.confd].some((f) => !!f && f.assignments.some((a) => a.name === 'PATH'));
      const found = setsPath ? undefined : ctx.findProgram?.(bare);
      if (!found)
        return refuse(
          `start() runs ${command} by name (found through PATH); command= needs its path, which the script does not give${
            setsPath
              ? ', and the script sets a PATH of its own'
              : ctx.findProgram
                ? ", and OpenRC's PATH (/bin, /sbin, /usr/bin, /usr/sbin) finds no such program on this root (or rc.conf sets a PATH of its own)"
                : ''
          }`,
          `write start() with the program's full path (e.g. /sbin/${bare}), then migrate again`,
        );
      notes.push(
        `start() runs ${command} by name: on this root OpenRC's PATH (/bin:/sbin:/usr/bin:/usr/sbin, before the caller's) finds ${found}, which command= names`,
      );
      resolved = found;
      command = found;
    } // With a stop() of its own the script says which process it takes for the daemon.
    const direct = stopFn
      ? directLaunch(s, ctx.rule, start, launch, args, stopFn, resolved, shape.pidRecord)
      : undefined;
    if (typeof direct === 'object') return direct;
    if (direct) notes.push(direct);
    if (direct && shape.pidRecord) {
      // It stays in the foreground: under start-stop-daemon (were supervisor= set back) start
      // would wait on it forever unless something put it in the background, as the `&` did;
      // command_background does, and --make-pidfile writes the file `echo $!` wrote.
      if (!s.isSet('command_background')) lines.push('command_background="yes"');
      if (!s.isSet('pidfile')) lines.push(assignment('pidfile', shape.pidRecord.file));
      notes.push(
        `under start-stop-daemon (were supervisor= set back), command_background="yes" backgrounds it as the \`&\` did, and start-stop-daemon writes its pid to ${s.isSet('pidfile') ? '${pidfile}' : shape.pidRecord.file} as \`echo $!\` did`,
      );
      if (!(launch.redirects ?? []).length)
        notes.push(
          "the daemon's output went where start()'s did (the console of the start); under the supervisor it goes to /dev/null unless output_log/error_log are set",
        );
    }
  }
  // `$*`, `$@`, `$1`: start()'s own arguments (none, when openrc-run calls it). Moved to the
  // top of the script they become the script's: openrc-run.sh's sourcex sets them to the
  // script's path while the script is read (StorAgnt's java got /etc/init.d/StorAgnt).
  const positional = [command, ...args.map((a) => a.text)].find((w) =>
    /\$(\{[#]?)?[*@#0-9]/.test(stripQuotedSingle(w)),
  );
  if (positional)
    return refuse(
      `the launch passes ${positional}, start()'s own arguments: at the top of the script they would be the script's (openrc-run sets them while it reads it)`,
    );
  if (/^["']?\$\{?command\}?["']?$/.test(command)) command = '';
  else if (s.command !== undefined && s.command !== null) {
    const cur = s.command;
    if (cur !== unquoted(command)) return refuse(`start() runs ${command}, but command is set to ${cur}`);
    command = '';
  }

  // The launch's output sent to a file (a startup log, or even the pid file) would go to the
  // supervisor's output instead: not converted. /dev/null and fd duplications change nothing.
  const out = (launch.redirects ?? []).find(
    (r) => !/^(\d*(>|>>|&>|>&)\/dev\/null|\d*[<>]&\d+|\d*<\/dev\/null)$/.test(r.text.replace(/\s+/g, '')),
  );
  // amuled's `start-stop-daemon --start --background ... >${LOG}`: the child's output was
  // /dev/null (start-stop-daemon.c, the child's dup2 of devnull_fd when background is set), so
  // the file got only start-stop-daemon's own messages, and the daemon loses nothing.
  if (out && ssdBackground)
    notes.push(
      `start() sent start-stop-daemon's own output to a file (${(launch.redirects ?? []).map((r) => r.text).join(' ')}): the daemon's never went there (with --background, or --quiet, start-stop-daemon gives it /dev/null, as supervise-daemon does unless output_log/error_log are set), so that file no longer gets start-stop-daemon's messages, nor is it created or emptied at each start`,
    );
  else if (out) {
    // openconnect's `<<EOF` with the VPN password: supervise-daemon gives the daemon /dev/null
    // (input_file, OpenRC 0.62, names a file to read, not text of the script's own).
    const heredoc = (launch.redirects ?? []).find((r) => /^\d*<<(?!<)/.test(r.text));
    if (heredoc)
      return refuse(
        `start() feeds the launch a here-document on its standard input (${heredoc.text.split(/\r?\n/)[0]}); supervise-daemon gives the daemon /dev/null there (input_file, from OpenRC 0.62, reads a file, not text from the script)`,
        'keep this service on start-stop-daemon, or have the daemon read that input from a file of its own, then migrate again',
      );
    // MailScanner's `> /var/run/${SVCNAME}.pid`: the pid file is filled from the launch's output.
    const target = /^\d*>>?\s*(.+)$/.exec(out.text.trim())?.[1];
    if (target && launchPid.length && (launchPid[0] === target || unquoted(s.expand(target) ?? '') === launchPid[1]))
      return refuse(
        `start() fills the launch's pid file with the launch's output (${out.text}); under supervise-daemon that output goes to /dev/null (or output_log), and the pid file is the supervisor's own`,
        'convert start() by hand: the daemon must write its pid file itself, or none be needed',
      );
    return refuse(
      `start() sends the launch's output to a file (${out.text}); under supervise-daemon the daemon's output goes to /dev/null unless output_log/error_log name a file (OpenRC 0.35), which the daemon then writes, appending, for as long as it runs, not only while it starts`,
      "convert start() by hand (output_log/error_log send the daemon's output to a file)",
    );
  }

  // A signal the old start()/stop() sent besides the launch would be copied as written into
  // start_post()/stop_pre() and reach the supervisor: not converted.
  // stop()'s own `start-stop-daemon --stop --signal 1` is how it stops the daemon: convertStop
  // turns that signal into retry, and the line itself goes.
  const stopsWith = (c: Command) =>
    c.fn === 'stop' && c.name === 'start-stop-daemon' && c.words.some((w) => /^["']?(--stop|-K)["']?$/.test(w.text));
  const sent = s.signalCalls.find((c) => (c.cmd.fn === 'start' || c.cmd.fn === 'stop') && !stopsWith(c.cmd));
  // redmine's stop(): `start-stop-daemon --signal INT --pidfile …` and nothing else: the signal
  // is how it stops the daemon (sent once; start-stop-daemon without --stop does not wait).
  // convertStop turns it into retry, as it does where stop() is converted alone.
  const onlyWay =
    sent &&
    sent.cmd.fn === 'stop' &&
    sent.cmd.name === 'start-stop-daemon' &&
    !s.initd.commands.some((c) => c.fn === 'stop' && c !== sent.cmd && STOPPERS.test(c.name));
  if (sent && !onlyWay)
    return refuse(`${sent.cmd.fn}() also sends ${sent.signal} through the pid file, which would reach the supervisor`);

  // Variables the new top-level lines read must be known where they are read.
  const hoist: string[] = [];
  const hoistEdits: Set<number> = new Set();
  const used = new Set([command, ...args.map((a) => a.text), ...lines].flatMap(referencedVars));
  const startAssigns = s.initd.assignments.filter((a) => a.fn === 'start' && a.start < launch.start);
  // A variable the launch's arguments read that a function sets (start() before the launch, or
  // a checkconfig() it calls) may be read when the service starts instead of when the script is
  // read: command_args is expanded by OpenRC's eval after start_pre(), which now holds what
  // start() did before the launch, in the same order (docs/openrc.md §2). So `${V}` is written
  // into command_args escaped, and the launch gets the value it got before.
  const argVars = new Set(args.map((a) => a.text).flatMap(referencedVars));
  // The lines from the launch's options that OpenRC reads only inside that same eval (both
  // backends): written with `\${V}` they read V at start too. Not pidfile, chroot, command or
  // procname: OpenRC records their text when the service starts, and stop uses that record
  // without expanding it again (docs/openrc.md §2).
  const lateLines = optionLines.filter((l) => LATE_READ.has(l.variable));
  const lateVars = new Set(lateLines.flatMap((l) => referencedVars(lines[l.at])));
  const fixedReader = (v: string): string | undefined => {
    if (referencedVars(command).includes(v)) return 'command';
    const l = lines.find((x, i) => !lateLines.some((ll) => ll.at === i) && referencedVars(x).includes(v));
    return l?.slice(0, l.indexOf('='));
  };
  const deferred: string[] = [];
  /** The functions that build command_args when the service starts (commandArgsBuiltAtStart). */
  let argsAtStart: string[] | undefined;
  const unlocal: Assignment[] = [];
  /** `local V` (declare, typeset) in start() before the launch, without a value. */
  const declaredLocal = (v: string) =>
    new RegExp(`(^|[;&|{(\\s])(local|declare|typeset)\\s+([^;&|\\n]*\\s)?${v}(\\s|;|$)`, 'm').test(
      s.initd.text.slice(start.body.start, launch.start),
    );
  /**
   * dhcrelay's `local iface_opts` on a line of its own, before start() sets it under a
   * condition: the line is dropped from start_pre() (the variable is then read at start).
   * Only where no other code sets V (no top-level or conf.d value, no other function, nothing
   * sourced): the local then hid nothing, and V is empty until start_pre() sets it, as it was
   * in start() (bash's `local V` starts unset; dash's takes the outer value, which is unset
   * too). The whole line as written, or undefined.
   */
  const bareLocals: string[] = [];
  const bareLocal = (v: string): string | undefined => {
    const body = s.initd.text.slice(start.body.start, launch.start);
    const decl = new RegExp(`(^|[;&|{(\\s])(local|declare|typeset)\\s+([^;&|\\n]*\\s)?${v}(\\s|;|$)`, 'gm');
    const own = new RegExp(`^[ \\t]*local[ \\t]+${v}[ \\t]*;?[ \\t]*$`, 'gm');
    const found = body.match(own) ?? [];
    if (found.length !== 1 || (body.match(decl) ?? []).length !== 1) return undefined;
    const files = [...s.rcconf, ...(s.confd ? [s.confd] : []), s.initd];
    const elsewhere = files.some(
      (f) =>
        f.assignments.some((a) => a.name === v && (f !== s.initd || a.fn !== 'start')) ||
        f.commands.some((c) => c.name === '.' || c.name === 'source' || (c.name === 'eval' && !c.subshell)),
    );
    if (elsewhere || s.value(v) !== undefined) return undefined;
    return found[0].replace(/\r$/, '');
  };
  // `lines`: a variable those late lines read may be read at start too (not when the caller
  // only makes a value data, which keeps what the lines read as it was).
  const deferral = (v: string, asLines = true): string | null => {
    const fixed = fixedReader(v);
    if (fixed) return `${fixed}= reads it${RECORDED.has(fixed) ? `: ${RECORDED_WHY(fixed)}` : ''}`;
    if (!argVars.has(v) && !lateVars.has(v)) return `not only the daemon's arguments read it`;
    if (!asLines && lateVars.has(v)) return `not only the daemon's arguments read it`;
    if (OPENRC_VARS.test(v)) return openrcVarWhy(v);
    const drop: Assignment[] = [];
    for (const a of startAssigns.filter((x) => x.name === v && x.declaration)) {
      // `local V=…` in start(): in start_pre() the value would end with it. One name, as the
      // assignment's own statement, loses the keyword; anything else is not rewritten.
      if (a.declaration === 'export' || a.declaration === 'readonly') continue;
      if (a.declaration !== 'local' || !new RegExp(`^local\\s+${v}=`).test(s.initd.text.slice(a.start, a.end)))
        return `start() declares it with ${a.declaration}`;
      drop.push(a);
    }
    if (declaredLocal(v)) {
      const bare = bareLocal(v);
      if (!bare) return `start() declares it local`;
      if (!bareLocals.includes(bare)) bareLocals.push(bare);
    }
    // Only a variable that is read at start time loses its `local`.
    unlocal.push(...drop);
    return null;
  };
  for (const v of used) {
    const set = startAssigns.filter((a) => a.name === v);
    if (set.length === 0) continue;
    const last = set[set.length - 1];
    const reads = referencedVars(last.value.text).find((x) => x !== v && startAssigns.some((a) => a.name === x));
    const why =
      set.length > 1
        ? `start() builds ${v}, which the launch needs, in ${set.length} steps; it cannot move to the top of the script as one line`
        : reads
          ? `start() sets ${v} from ${reads}, which start() sets too: the launch's variables cannot move to the top of the script in order`
          : set.some((a) => !a.plain) || /\$\(|`/.test(last.value.text)
            ? `start() computes ${v}, which the launch needs, in a way that cannot move to the top of the script`
            : null;
    if (why === null) {
      hoist.push(`${v}=${last.value.text}`);
      for (const a of set) hoistEdits.add(a.start);
      continue;
    }
    const no = deferral(v);
    if (no) return refuse(`${why} (and it cannot be read at start time: ${no})`);
    deferred.push(v);
  }
  for (const v of used) {
    if (hoist.some((h) => h.startsWith(`${v}=`)) || deferred.includes(v)) continue;
    const top = s.initd.assignments.some((a) => a.fn === null && a.name === v);
    const inFn = s.initd.assignments.find((a) => a.fn !== null && a.fn !== 'start' && a.name === v);
    if (!inFn) continue;
    const no = deferral(v);
    // Set at the top too: that value is not the one the launch read when a function start()
    // calls set it again (a checkconfig() choosing another pid file), so it is refused as well.
    // start_pre() runs before the launch under either start (shellinaboxd's adds --user-css=…):
    // the value is the same, but known only then.
    const hook = inFn.fn === 'start_pre' && OPENRC_VARS.test(v);
    const suggestion =
      v === 'command_args' || v === 'pidfile'
        ? `set ${v} with plain lines at the top of the script (they may read conf.d's variables), or convert start() by hand, then migrate again`
        : undefined;
    // ser2net's config_check() builds command_args when the service starts: left there (below).
    if (no && v === 'command_args' && !top && !hook && no === openrcVarWhy(v)) {
      const built = commandArgsBuiltAtStart(s, ctx.rule, start, launch, args);
      if (typeof built === 'string')
        return refuse(
          `the launch reads command_args, which only ${inFn.fn}() sets, when the service starts: ${built}, so rc-supervise cannot tell that the words it builds hold none of the daemon's options the conversion must move`,
          "set command_args with plain lines at the top of the script (they may read conf.d's variables), or convert start() by hand, then migrate again",
        );
      argsAtStart = built.fns;
      deferred.push(v);
      continue;
    }
    // shellinaboxd's start_pre(): `command_args="${command_args} --user-css=$(my_join , …)"`, with
    // literal double quotes around each label. The launch passed those words as they were; OpenRC's
    // start, under either supervisor, evaluates command_args again (ssd_start and supervise_start
    // alike), so their quotes and other shell characters would be read as shell.
    const computed =
      hook && v === 'command_args'
        ? s.initd.assignments.find((a) => a.name === v && a.fn === 'start_pre' && /\$\(|`/.test(a.value.text))
        : undefined;
    if (no && computed)
      return refuse(
        `the launch reads command_args, to which start_pre() adds words computed when the service starts (${commandExcerptText(computed.value.text)}): the launch passed them to the daemon as they were, but OpenRC's own start, under start-stop-daemon as under supervise-daemon, evaluates command_args again, so quotes or other shell characters in those words would be read as shell and the daemon would get other words`,
        "keep this service's own start(); or have start_pre() build words that need no second reading (no quotes, no shell characters) and remove start(), then migrate again",
      );
    if (no)
      return refuse(
        hook
          ? `the launch reads ${v}, which start_pre() also sets, when the service starts: ${no}`
          : top
            ? `the launch reads ${v}, which ${inFn.fn}() sets too: the value the top of the script gives it may not be the one the launch got (and it cannot be read at start time: ${no})`
            : `the launch reads ${v}, which only ${inFn.fn}() sets: at the top of the script it would be empty (and it cannot be read at start time: ${no})`,
        suggestion,
      );
    deferred.push(v);
  }
  // A value expanded when the script is read goes through OpenRC's eval a second time
  // (docs/openrc.md §2): quotes, `$`, `;`, `#`, `*` in it would be read as shell, which the
  // launch never did (`FOO_TAG='$(id)'` would run id). So every other variable of the
  // arguments is read at start time too; one whose value holds such characters and cannot be
  // (it also names the pid file, or OpenRC reads the name) is refused.
  const asData: string[] = [];
  for (const v of argVars) {
    if (deferred.includes(v)) continue;
    const hoisted = hoist.findIndex((h) => h.startsWith(`${v}=`));
    const value = hoisted >= 0 ? s.expand(hoist[hoisted].slice(v.length + 1)) : s.value(v);
    const special = value === null || (value !== undefined && EVAL_SPECIAL.test(value));
    // A value start() computes in one plain step stays where it is hoisted unless it must be
    // data; every other variable (conf.d's, the script's top level) is read at start time, so
    // that what a user writes there later reaches the daemon as the launch gave it too.
    if (hoisted >= 0 && !special) continue;
    const no = deferral(v, false);
    if (no !== null && !special) continue;
    if (no === null) {
      if (hoisted >= 0) {
        hoist.splice(hoisted, 1);
        for (const a of startAssigns) if (a.name === v) hoistEdits.delete(a.start);
      }
      deferred.push(v);
      asData.push(v);
    } else if (value !== null)
      return refuse(
        `the launch reads ${v}, whose value ${JSON.stringify(value)} holds characters OpenRC's eval would read as shell (command_args is expanded twice), and it cannot be read at start time: ${no}`,
        'convert start() by hand, or change the value, then migrate again',
      );
  }
  const early = deferred.filter((v) => !asData.includes(v));
  const refs = (vs: string[]) => vs.map((v) => `\${${v}}`).join(', ');
  // A line from the launch's options that reads a variable only start_pre() sets: written so that
  // OpenRC's eval reads the launch's word as the launch had it, at start. Every `$` of it is
  // escaped: its other variables then read the value they had at the launch as well.
  const lateDone: OptionLine[] = [];
  for (const l of lateLines) {
    const reads = [...new Set(referencedVars(lines[l.at]))];
    if (!reads.some((v) => early.includes(v))) continue;
    for (const { option, word: w, cond } of l.words) {
      // `${VAR:+--umask ${VAR}}` is kept whole in the line: read back by the eval at start, it
      // gives the words the launch's own unquoted expansion gave (VAR is set by no function).
      const why = cond ? undefined : notOneWord(w, (v) => oneField(s, v, (fn) => calledBefore(s, start, launch, fn)));
      if (why)
        return refuse(
          `start()'s start-stop-daemon passes ${option ? `${option} ` : ''}${w}, which reads ${refs(reads.filter((v) => early.includes(v)))} set only when the service starts; ${l.variable}= can read it then too, but ${why}`,
        );
    }
    const openrc = reads.find((v) => OPENRC_VARS.test(v) && !OWN_NAME.test(v));
    if (openrc)
      return refuse(
        `start-stop-daemon's ${shownOptions(l)} reads \${${openrc}}, a name OpenRC itself sets while the service starts; ${l.variable}= read at start would get OpenRC's value`,
      );
    // Its other variables keep the value they had at the launch: start_pre() does not set them
    // (those start() set are hoisted or read at start already), unless start() declared one
    // local without setting it, which hides the value the script's top level gives it.
    const hidden = reads.find((v) => !early.includes(v) && declaredLocal(v));
    if (hidden)
      return refuse(
        `start() declares ${hidden} local, and start-stop-daemon's ${shownOptions(l)} reads it: read at start it would have another value`,
      );
    lines[l.at] = `${l.variable}="${l.value.replace(/["\\$`]/g, '\\$&')}"`;
    lateDone.push(l);
  }
  const earlyArgs = early.filter((v) => argVars.has(v));
  if (argsAtStart)
    notes.push(
      `command_args is still built by ${argsAtStart.map((f) => `${f}()`).join(', ')}, now called from start_pre(): openrc-run runs start_pre() and OpenRC's start in one shell, and the start expands \${command_args} after it, so the daemon gets the words the launch got; none of them is one of the daemon's daemonize or pid file options (rule ${ctx.rule!.id}), which the conversion moves out of the launch's other words`,
    );
  if (earlyArgs.length)
    notes.push(
      `the daemon's arguments read ${refs(earlyArgs)} when the service starts: OpenRC builds the command line after start_pre(), which sets ${earlyArgs.length > 1 ? 'them' : 'it'} as start() did before the launch (docs/openrc.md §2)`,
    );
  if (lateDone.length)
    notes.push(
      `${lateDone.map((l) => `${l.variable}=`).join(', ')} ${lateDone.length > 1 ? 'read' : 'reads'} ${refs([...new Set(lateDone.flatMap((l) => referencedVars(l.value)))])} when the service starts, as the launch did: OpenRC reads ${lateDone.length > 1 ? 'them' : 'it'} only in the eval that builds the command line, after start_pre() (docs/openrc.md §2)`,
    );
  if (asData.length)
    notes.push(
      `the daemon's arguments read ${refs(asData)} when the service starts, so that OpenRC's eval takes ${asData.length > 1 ? 'their values' : 'its value'} as data, as the launch did, not as shell (docs/openrc.md §2)`,
    );
  if (s.initd.assignments.some((a) => a.fn === 'start' && a.start > launch.start && used.has(a.name)))
    return refuse('start() changes a variable the launch reads after the launch');

  // command_args: the launch's words; the script's own command_args only if the launch passes it.
  const usesCommandArgs = args.some((a) => /\$\{?command_args\}?/.test(a.text));
  // kafka's `command_args="/etc/kafka/server.properties"` and a start() passing those very
  // words, literally (`-- /etc/kafka/server.properties`): the command line is the same either
  // way; the launch's words are written below it (the later assignment wins, same value).
  const literal = (w: string) => !/[$`\\*?[\]{}~]/.test(w);
  const given = s.isSet('command_args') ? s.words('command_args') : undefined;
  // Its own value literal too, wherever it is set: aprx's `command_args="$DAEMON_OPTS"` (empty
  // now) beside a launch passing no words is the same command line only until conf.d sets it.
  const written = [s.initd, ...(s.confd ? [s.confd] : [])].flatMap((f) =>
    f.assignments.filter((a) => a.name === 'command_args'),
  );
  const sameAsCommandArgs =
    !!given &&
    args.length > 0 &&
    written.length > 0 &&
    written.every((a) => literal(unquoted(a.value.text))) &&
    args.every((a) => literal(a.text)) &&
    given.length === args.length &&
    given.every((w, i) => w === unquoted(args[i].text));
  if (s.isSet('command_args') && !usesCommandArgs && !sameAsCommandArgs)
    return refuse('command_args is set but start() does not pass it: converting would add it to the command line');
  if (sameAsCommandArgs)
    notes.push(
      `start() passed the words of command_args (${args.map((a) => a.text).join(' ')}) itself, literally: command_args is written again with them, the same value`,
    );

  if (!ownsItsLines(s, start)) return refuse('start() shares its lines with other code');
  const pieces = splitAround(s, start, launch);
  if (!pieces) return refuse('start() is written on one line with its braces');
  // `echo $! > FILE` after the `&` launch (directLaunch took it as evidence): the supervisor
  // keeps the daemon's pid, and nothing is left in the background for $! to name.
  if (shape.pidRecord) pieces.post = pieces.post.filter((l) => l !== shape.pidRecord!.line);
  if (shape.guard) {
    // `check && \` ends the part before the launch (or `check && ` opens the launch's own line):
    // in start_pre() it becomes `check || return $?`.
    const g = shape.guard;
    const t = s.initd.text;
    const own = s.initd.lineStart(g.start) !== s.initd.lineStart(launch.start);
    const written = t.slice(s.initd.lineStart(g.start), s.initd.lineEnd(g.start)).replace(/\r?\n$/, '');
    if (own && pieces.pre[pieces.pre.length - 1] !== written)
      return refuse('start() runs the launch as part of a longer command (&&, ||, a pipe or a continued line)');
    const check = `${t.slice(s.initd.lineStart(g.start), g.end)} || return $?`;
    pieces.pre.splice(pieces.pre.length - (own ? 1 : 0), own ? 1 : 0, check);
    notes.push(
      `start() launched the daemon only if ${g.name} succeeded: start_pre() runs \`${check.trim()}\`, so that its failure fails the start with its status, as before (openrc-run runs start_pre || exit $?)`,
    );
  }
  // musl-nscd's ``local secure=`while read curline ; do …`` over 20 lines: an assignment written
  // over several lines loses its `local` on the lines joined (each line is one of pre's).
  const unlocalText = (a: Assignment) => s.initd.text.slice(a.start, a.end);
  const multiLine = unlocal.filter((a) => /\n/.test(unlocalText(a)) && !/\r/.test(unlocalText(a)));
  let joinedPre = pieces.pre
    .filter((l) => !startAssigns.some((a) => hoistEdits.has(a.start) && l.includes(s.initd.text.slice(a.start, a.end))))
    .map((l) => {
      for (const a of unlocal) {
        if (multiLine.includes(a)) continue;
        const text = unlocalText(a);
        if (l.includes(text)) return l.replace(text, text.replace(/^local\s+/, ''));
      }
      return l;
    })
    .join('\n');
  for (const a of multiLine) {
    const text = unlocalText(a);
    if (joinedPre.split(text).length === 2) joinedPre = joinedPre.replace(text, () => text.replace(/^local\s+/, ''));
  }
  const pre = joinedPre.split('\n');
  if (bareLocals.length) {
    const at = bareLocals.map((b) => pre.indexOf(b));
    if (at.some((i) => i < 0))
      return refuse(
        'start() declares a variable of the launch local on a line rc-supervise does not move as it stands',
      );
    for (const i of at.sort((a, b) => b - a)) pre.splice(i, 1);
    notes.push(
      `start() declared ${bareLocals.map((b) => b.trim().replace(/^local\s+|\s*;$/g, '')).join(', ')} local (\`local NAME\`, no value): that line is dropped from start_pre(), which sets the variable for OpenRC's start to read; nothing else sets it, so it is empty until then, as under the local`,
    );
  }
  if (
    unlocal.some((a) =>
      multiLine.includes(a)
        ? !pre.join('\n').includes(unlocalText(a).replace(/^local\s+/, ''))
        : !pre.some((l) => l.includes(unlocalText(a).replace(/^local\s+/, ''))),
    )
  )
    return refuse('start() declares a variable of the launch local on a line rc-supervise does not move as it stands');
  const eol = s.initd.eol;
  const postPlan = classifyPost(
    s,
    start,
    launch,
    pieces.post,
    startAssigns,
    spawnedOnly,
    launchPid,
    !!ctx.rule?.forksAtOnce && !spawnedOnly && !ctx.rule.refuse ? ctx.rule.id : undefined,
  );
  if ('refuse' in postPlan) return refuse(postPlan.refuse, postPlan.suggestion);
  const post = postPlan.keep;
  const acrossStart = localAcross(pieces.pre, post);
  if (acrossStart)
    return refuse(
      `start() declares ${acrossStart} local before the launch and reads it after: split into start_pre() and start_post(), the second would not see its value`,
    );
  const ownPre = hasCode(pre) && s.defines('start_pre') ? keepOwnHook(s, file, 'start_pre') : undefined;
  for (const [name, body] of [
    ['start_pre', pre],
    ['start_post', post],
  ] as const)
    if (hasCode(body) && s.defines(name) && !(name === 'start_pre' && ownPre))
      return refuse(`start() has steps for ${name}(), which the script defines already`);
  // A successful early return before the launch ("already running") skipped the launch; in
  // start_pre() it would only end start_pre().
  const earlyLine = pre.find((l) => /(^|[;&|{]\s*|\bthen\s+)(return|exit)(\s+0)?\s*(;|$|\}|fi\b)/.test(l));
  if (earlyLine !== undefined) {
    // openvpn's and NetworkManager's `[ "${IN_BACKGROUND}" = "true" ] && return 0`: the
    // daemon's own hook scripts start the service again (openrc-run sets IN_BACKGROUND), and
    // start() then only lets OpenRC mark it started.
    const reentry = /\bIN_BACKGROUND\b/.test(earlyLine);
    return refuse(
      `start() can return early before the launch (\`${earlyLine.trim()}\`), skipping it; in start_pre() that return would only end start_pre(), and the daemon would be launched anyway${reentry ? ". Here the daemon's own hook scripts start the service again (IN_BACKGROUND) while it runs, to have OpenRC mark it started" : ''}`,
      reentry
        ? 'keep this service on start-stop-daemon: its start() is re-entered by the daemon it started'
        : undefined,
    );
  }
  const edits: Edit[] = [
    replaceFunction(
      s,
      file,
      start,
      fnPair(['start_pre', ownPre ? ownPre.callFirst(pre) : pre], ['start_post', post], eol),
    ),
  ];
  if (ownPre) {
    edits.push(ownPre.edit);
    notes.push(ownPre.note('start'));
  }
  // Said only of a function that is written (fnText writes none for comments alone).
  if (hasCode(pre)) notes.push('what start() did before the launch is now start_pre()');
  if (hasCode(post)) notes.push('what start() did after the launch is now start_post()');
  notes.push(...postPlan.notes);

  const launchPidfile = lines.some((l) => l.startsWith('pidfile='));
  if (stopFn) {
    const r = convertStop(s, file, stopFn, [...daemons, launch.name], eol, lines, notes, edits, ctx.rule?.stopWords, {
      startPreFree: !s.defines('start_pre') && !hasCode(pre),
      noOwnPidfile: ctx.rule?.noOwnPidfile === true,
      stopCommands: ctx.rule?.stopCommands,
      stopPreludes: ctx.rule?.stopPreludes,
    });
    if (r) return r;
  }
  // The interpreted launch's pid file, from stop() (above): convertStop must have set it.
  if (interpretedPidfile && !lines.some((l) => l.startsWith('pidfile=')))
    return refuse(INTERPRETED_NO_PIDFILE, INTERPRETED_SUGGESTION);
  const rr = removeRestart(s, file, notes, edits);
  if (rr) return rr;
  const pidfileFromStop = !launchPidfile && lines.some((l) => l.startsWith('pidfile='));
  if (ownStatus)
    return refuse("custom status() reads the daemon's state its own way; under the supervisor it would be wrong");
  return {
    command,
    args,
    hoist,
    deferred,
    lines,
    edits,
    backgroundMakePidfile,
    ...(ampMakePidfile && { ampMakePidfile }),
    notes,
    pidfileFromStop,
    ...(argsAtStart && { argsAtStart }),
  };
}

/**
 * Why a variable OpenRC itself reads cannot be left for the start to set: for command_args and
 * pidfile, what rc-supervise would lose (ser2net's config_check() builds command_args,
 * courier-authlib's setauth() sets pidfile, both only when the service starts).
 */
function openrcVarWhy(v: string): string {
  if (v === 'command_args')
    return "command_args is the argument list OpenRC's own start reads, and rc-supervise must see its words (the daemon's flags among them) to convert the launch";
  if (v === 'pidfile')
    return "pidfile is the pid file OpenRC's start and stop use, and rc-supervise must know it to give the supervisor one the daemon does not write";
  return `${v} is a name OpenRC itself reads`;
}

/**
 * Variables OpenRC's own functions read or set while a service starts: a deferred
 * `\${V}` must not be one of them (their values then are OpenRC's, not the script's).
 */
const OPENRC_VARS =
  /^(command\w*|pidfile|procname|supervisor|retry|chroot|directory|output_\w+|error_\w+|input_file|respawn_\w+|healthcheck_\w+|capabilities|secbits|no_new_privs|umask|notify|name|description\w*|extra_(?:started_|stopped_)?commands|start_stop_daemon_args|supervise_daemon_args|stopsig|stopgroup|ready|func|rc|_\w*|RC_\w+|SVCNAME|EINFO_\w+|SSD_\w+)$/;

/**
 * Variables from start-stop-daemon's options that OpenRC reads only inside the eval building the
 * command line (supervise_start and ssd_start alike), so that `\${V}` in them is expanded at start.
 */
const LATE_READ = new Set([
  'output_log',
  'error_log',
  'directory',
  'command_user',
  'umask',
  'start_stop_daemon_args',
  'supervise_daemon_args',
]);

/**
 * The pid file rc-supervise gives a launch whose start-stop-daemon --make-pidfile wrote a file
 * only a function names: supervise-daemon's own default name, which no daemon writes by itself.
 */
const OWN_PIDFILE = '"/run/supervise-${RC_SVCNAME}.pid"';

/** Lines that only make, own or clean a pid file's place (checkpath, rm, `${PIDFILE%/*}`): they read nothing. */
const PLACE_ONLY = /\b(checkpath|mkdir|chown|chmod|rm|install|dirname)\b|%\/\*/;

/**
 * What else learns or reads the pid file the launch had start-stop-daemon make (--make-pidfile)
 * under a name `late` only functions set (undefined: nothing). The launch's other words (the
 * daemon would be told the name), any other read of those names in the script but stop()'s own
 * `start-stop-daemon --stop` (which goes), their assignments and lines that only make or clean
 * the file's place; and a file on the root (logrotate, cron) naming the file those functions set.
 */
function madePidfileReader(
  s: Service,
  readers: readonly PidfileReader[],
  launch: Command,
  pidWordAt: number,
  late: readonly string[],
): string | undefined {
  const told = launch.words.find((w, i) => i !== pidWordAt && referencedVars(w.text).some((x) => late.includes(x)));
  if (told) return `the launch also passes ${told.text}: the daemon learns that name`;
  const t = s.initd.text;
  for (const v of late) {
    for (const m of t.matchAll(new RegExp(`\\$\\{?#?${v}(?![A-Za-z0-9_])`, 'g'))) {
      const at = m.index;
      if (at >= launch.start && at < stmtEnd(launch)) continue;
      if (s.initd.assignments.some((a) => a.name === v && a.start <= at && at < a.end)) continue;
      const stops = s.initd.commands.some(
        (c) =>
          c.fn === 'stop' &&
          c.name === 'start-stop-daemon' &&
          c.start <= at &&
          at < c.end &&
          c.words.some((w) => /^["']?(--stop|-K)["']?$/.test(w.text)),
      );
      if (stops) continue;
      const line = t.slice(s.initd.lineStart(at), s.initd.lineEnd(at));
      if (/^\s*#/.test(line) || PLACE_ONLY.test(line)) continue;
      const fn = s.initd.functions.filter((f) => f.body.start <= at && at < f.body.end).pop();
      return `${fn ? `${fn.name}()` : 'the top of the script'} reads ${v} too (\`${line.trim().slice(0, 60)}\`)`;
    }
  }
  // The file the functions name, as far as it is written out: `/run/v2ray.${V2_CFGNAME}pid` is
  // /run/v2ray. and what follows; a name with no such start is looked for by the service's name.
  // Both as written and as this service's name makes it (a reader may name it either way).
  for (const a of s.initd.assignments.filter((x) => late.includes(x.name) && x.fn !== null)) {
    for (const value of new Set([unquoted(a.value.text), unquoted(s.expand(a.value.text) ?? a.value.text)])) {
      const stem = value.slice(0, value.search(/[$`]|$/));
      const base = stem.slice(stem.lastIndexOf('/') + 1);
      const names =
        stem.startsWith('/') && base.length > 1
          ? [stem, stem.replace(/^\/var\/run\//, '/run/'), stem.replace(/^\/run\//, '/var/run/')]
          : [s.name];
      const r = readers.find((x) => names.some((n) => x.text.includes(n)));
      if (r) return `${r.path} may read it (it names ${names[0]})`;
    }
  }
  return undefined;
}

/** Variables OpenRC records as text at start (service_set_value) for a stop that does not expand them again. */
const RECORDED = new Set(['pidfile', 'chroot', 'command', 'procname']);
const RECORDED_WHY = (v: string) =>
  v === 'pidfile' || v === 'chroot'
    ? `OpenRC records ${v} as written when the service starts, and stop uses that record unexpanded`
    : `start-stop-daemon's stop uses the ${v} OpenRC recorded as written when the service started, unexpanded`;

/** A line of the launch's options and the words its value was written as. */
interface OptionLine {
  /** Its index in the converted lines. */
  at: number;
  variable: string;
  /** Each option's value as the launch wrote it, with the option (full name; '' when it is in the word). */
  /** cond: inside a `${VAR:+…}` kept as the launch wrote it, which an eval reads back the same. */
  words: { option: string; word: string; cond?: boolean }[];
  /** The line's value as the launch's text (for start_stop_daemon_args, its options and values). */
  value: string;
}

/** The options of a line whose value reads a variable, for a message. */
const shownOptions = (l: OptionLine) =>
  l.words
    .filter((w) => referencedVars(w.word).length)
    .map((w) => w.option || w.word)
    .join(', ');

/**
 * Why a launch word, given to OpenRC's eval through a variable, may not come out as the one word
 * the launch passed (undefined: it does). The variable is expanded unquoted first (split on blanks,
 * globbed), then the eval reads the text: a word with no blank, glob character or backslash, and
 * no expansion outside double quotes, is exactly one word both times, whatever the values.
 */
function notOneWord(w: string, oneFieldSure: (v: string) => boolean = () => false): string | undefined {
  if (/\s/.test(w)) return 'its word holds blanks, which the eval would not read back as written';
  if (/[*?[\\]/.test(w))
    return 'its word holds a glob character or a backslash, which OpenRC would expand before the eval';
  const outside = w.replace(/"[^"]*"|'[^']*'/g, '');
  // v2ray's `-1 ${V2_LOG}`: unquoted in the launch and unquoted in the eval, so a value that is
  // sure to be one field (oneField) gives the option the same one word both times.
  const plainRefs = [...outside.matchAll(/\$\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*)/g)].map((m) => m[1] ?? m[2]);
  const sure =
    plainRefs.length > 0 &&
    !/\$/.test(outside.replace(/\$\{[A-Za-z_]\w*\}|\$[A-Za-z_]\w*/g, '')) &&
    plainRefs.every(oneFieldSure);
  if (/\$/.test(outside) && !sure)
    return 'the launch reads it unquoted: an empty value or one with blanks would give its option other words than before';
  if (/\$(?![A-Za-z_]|\{[A-Za-z_])/.test(w))
    return 'it reads a special parameter, which the eval would read later with another value';
  return undefined;
}

/**
 * Whether `v` is one field, with no blank or glob character, wherever the launch read it: each
 * time a function sets it, to safe characters (EVAL_SPECIAL's, without blanks) with some of them
 * written out, never with `local` or a default (v2ray's checkconfig():
 * V2_LOG="/var/log/v2ray.${V2_CFGNAME}log"); and it is never empty at the launch: one of those
 * functions, setting it unconditionally, runs in start() before the launch (or is start() itself,
 * before the launch), or the top of the script or conf.d gives it a static value that is one such
 * field (sshguard's SSHGUARD_WAIT="999" in conf.d, which start() sets to 999 only when empty;
 * conmux's CONMUX_LOG, which checkconfig() defaults the same way). A value from conf.d is the one
 * conf.d holds now, as for every option word the top of the script expands (`-1 ${LOG}` becomes
 * output_log=${LOG}, read unquoted by the eval as the launch read it). Its expansions may only be
 * the service's name (OpenRC's service names are single words: its dependency scripts list them
 * in blank-separated words) or names of the same kind, which may be empty
 * (V2_CFGNAME="${RC_SVCNAME#*.}.", set only for an instance).
 */
function oneField(s: Service, v: string, calledFirst: (fn: string) => boolean, mayBeEmpty = false, depth = 0): boolean {
  if (/^(RC_SVCNAME|SVCNAME)$/.test(v)) return true;
  if (depth > 3 || OPENRC_VARS.test(v)) return false;
  const sets = s.initd.assignments.filter((a) => a.name === v && a.fn !== null);
  const top = s.value(v);
  // Set at the top or in conf.d: its static value now must be one safe field (empty only where
  // an empty value is allowed).
  if (s.isSet(v) && (typeof top !== 'string' || !(mayBeEmpty ? /^[A-Za-z0-9_./:,=+@%^-]*$/ : SAFE_FIELD).test(top)))
    return false;
  if (!s.isSet(v) && !sets.length) return false;
  if (sets.some((a) => a.form !== 'assign' || a.declaration)) return false;
  if (!mayBeEmpty && !(s.isSet(v) || sets.some((a) => a.plain && (a.fn === 'start' || calledFirst(a.fn!)))))
    return false;
  return sets.every((a) => {
    if (/['`\\]|\$\(/.test(a.value.text)) return false;
    const names: string[] = [];
    const literal = a.value.text
      .replace(/"/g, '')
      .replace(/\$\{([A-Za-z_]\w*)(?:(?:##?|%%?)[A-Za-z0-9_.*-]*)?\}|\$([A-Za-z_]\w*)/g, (_m, n1, n2) => {
        names.push(n1 ?? n2);
        return '';
      });
    if (!/^[A-Za-z0-9_./:,=+@%^-]*$/.test(literal) || (!mayBeEmpty && !literal)) return false;
    return names.every((n) => n !== v && oneField(s, n, calledFirst, true, depth + 1));
  });
}

/** One field of safe characters: nothing the unquoted expansion or OpenRC's eval would split, glob or read as shell. */
const SAFE_FIELD = /^[A-Za-z0-9_./:,=+@%^-]+$/;

/** Whether start() calls function `fn` (a command of that name) before the launch. */
function calledBefore(s: Service, start: FunctionDef, launch: Command, fn: string): boolean {
  return s.initd.commands.some(
    (c) => c.fn === 'start' && c.name === fn && c.start >= start.start && c.start < launch.start,
  );
}

/**
 * A value the shell would read differently when OpenRC's eval parses it again: anything but
 * letters, digits, blanks and `_./:,=+@%^-`, runs of blanks (collapsed by the first
 * expansion), or a word starting with `#` (a comment) or `~`.
 */
const EVAL_SPECIAL = /[^A-Za-z0-9_./:,=+@%^ -]|  |(^| )[#~]/;

/**
 * An operand of start-stop-daemon before `--` that stays an operand whatever the system's
 * values: written as literal text that does not start with `-` (`/etc/ices2/ices.xml`,
 * `server`), or made of variables whose static value is known and gives no word that starts
 * with `-` (`"\${REDMINE_DIR}"/bin/rails` with REDMINE_DIR="/var/lib/redmine").
 */
function operandIsCertain(s: Service, text: string, fn: string | null): boolean {
  const lead = text.replace(/^["']+/, '');
  if (lead.startsWith('-')) return false;
  if (!/[$`]/.test(text)) return true;
  if (/`|\$\(/.test(text)) return false;
  // Only plain references: `${DEBUG:+"--verbose"}` is written to hold an option.
  if (/\$\{[^}]*[^\w}]/.test(text)) return false;
  // A variable the launching function sets itself: the static value is not the one the launch
  // reads. syslog-ng's start() sets SYSLOG_NG_OPTS="-- ${SYSLOG_NG_OPTS}", whose `--` is
  // start-stop-daemon's end of options (the daemon never saw it; supervise-daemon would pass
  // it on). Certain only when each such value, as written, cannot start a word with `-`.
  for (const [, name] of text.matchAll(/\$\{?([A-Za-z_]\w*)/g))
    for (const a of s.initd.assignments.filter((x) => x.name === name && x.fn !== null && x.fn === fn)) {
      const own = a.value.text.replace(new RegExp(`\\$\\{?${name}\\}?`, 'g'), '');
      if (/`|\$\(/.test(own)) return false;
      const ownValue = /\$/.test(own) ? s.expand(own) : own.replace(/["']/g, '');
      if (ownValue === null || ownValue.split(/\s+/).some((w) => w.startsWith('-'))) return false;
    }
  const v = s.expand(text);
  if (v === null) return false;
  // Unquoted expansions are split into words: each must be safe.
  const pieces = /^"[^"]*"$/.test(text) ? [v] : v.split(/[ \t\n]+/).filter(Boolean);
  return pieces.every((w) => !w.startsWith('-'));
}

/**
 * The words an operand of start-stop-daemon before `--` stands for, when they are certain
 * whatever the system's values, written as they would be in the launch (each its own word):
 * - `${VAR}` (unquoted) with VAR set once, plainly, at the top of the init script (read after
 *   conf.d, so nothing else changes it before start()), and no function setting it: ser2net's
 *   `start_stop_daemon_args="--quiet --exec ${command} --name ${name} --pidfile ${pidfile}"`.
 *   The variables its value reads must be set only at the top of the script, before it (or
 *   nowhere in the script), so that written out in the launch they read the same values.
 * - `${VAR:+ALT}` (unquoted) with ALT literal options and plain references: `${DEBUG:+"--verbose"}`,
 *   `${DELUGED_UMASK:+--umask ${DELUGED_UMASK}}` (nothing when VAR is empty; cond says which VAR).
 * Null when the words are not certain (the caller keeps refusing).
 */
function knownOptionWords(s: Service, text: string): { words: string[]; cond?: string; variable?: string } | null {
  const piece = /^(?:"?--?[A-Za-z][\w-]*"?|"?\$\{?[A-Za-z_]\w*\}?"?|[\w./:,=+@%^-]+)$/;
  const plainRefs = (v: string) => [...v.matchAll(/\$\{?([A-Za-z_]\w*)\}?/g)].map((m) => m[1]);
  const setInFunction = (n: string) => s.initd.assignments.some((a) => a.name === n && a.fn !== null);
  const cond = /^\$\{([A-Za-z_]\w*):\+(.*)\}$/s.exec(text);
  if (cond) {
    const [, name, alt] = cond;
    const words = alt.split(/[ \t]+/).filter(Boolean);
    if (!words.length || !words.every((w) => piece.test(w) && !/^"[^"]*$|^[^"]*"$/.test(w))) return null;
    // Its first word is an option: ALT is written to hold start-stop-daemon's options.
    if (!/^"?-/.test(words[0])) return null;
    // Read when the launch runs: a function that sets them (start() itself) changes them.
    if ([name, ...plainRefs(alt)].some(setInFunction)) return null;
    return { words, cond: name };
  }
  const ref = /^\$\{?([A-Za-z_]\w*)\}?$/.exec(text);
  if (!ref) return null;
  const name = ref[1];
  const all = s.initd.assignments.filter((a) => a.name === name);
  if (all.length !== 1) return null;
  const a = all[0];
  if (a.fn !== null || !a.plain || a.form !== 'assign' || (a.declaration && a.declaration !== 'export')) return null;
  let value = a.value.text;
  if (a.value.quote === 'double' || a.value.quote === 'single') value = value.slice(1, -1);
  else if (a.value.quote !== 'none' && a.value.quote !== 'empty') return null;
  if (/["'\\`]|\$\(/.test(value)) return null;
  if (a.value.quote === 'single' && /\$/.test(value)) return null;
  // Only plain references (no `${X:-…}`), each set only at the top of the script, before it.
  if (/\$\{[^}]*[^\w}]/.test(value) || /\$[^{A-Za-z_]/.test(value)) return null;
  for (const n of plainRefs(value)) {
    if (n === name || setInFunction(n)) return null;
    if (s.initd.assignments.some((b) => b.name === n && (b.start > a.start || !b.plain))) return null;
  }
  const words = value.split(/[ \t\n]+/).filter(Boolean);
  if (!words.every((w) => piece.test(w))) return null;
  return { words, variable: name };
}

/**
 * A script that stops a process, or sets command, runs a daemon somewhere: it is never called
 * one-shot, even when rc-supervise cannot see how start() runs it.
 */
/** samba's conf.d `smbd_start="start-stop-daemon --start …"`, one per daemon of its list: said with their names. */
function confdLaunchText(s: Service): string {
  const names = (s.confd?.assignments ?? [])
    .filter((a) => /(^|[^\w-])(start-stop-daemon|supervise-daemon)([^\w-]|$)/.test(a.value.text))
    .map((a) => a.name);
  const shown = names.length > 4 ? [...names.slice(0, 4), '…'] : names;
  return names.length
    ? `conf.d holds start-stop-daemon command lines (${shown.join(', ')}) that the script runs itself (through eval?), which rc-supervise cannot follow`
    : 'conf.d names start-stop-daemon for the script to run (eval?), which rc-supervise cannot follow';
}

function notOneshot(s: Service): Refusal | null {
  const ran = [
    ...new Set(
      s.initd.commands
        .filter(
          (c) => c.fn === 'start' && !MESSAGES.has(c.name) && !/^(return|local|export|unset|set|cd|exit)$/.test(c.name),
        )
        .map((c) => c.name),
    ),
  ].slice(0, 4);
  const what = ran.length ? `start() runs ${ran.join(', ')}` : 'start() launches nothing rc-supervise recognises';
  if (s.command)
    return refuse(`${what}, but command is set to ${s.command}: rc-supervise cannot tell how start() runs the daemon`);
  const stops =
    s.ssdCalls.find((c) => c.kind === 'stop' && c.cmd.fn !== null)?.cmd ??
    s.initd.commands.find((c) => c.fn !== null && /^(kill|pkill|killall)$/.test(c.name));
  // start-stop-daemon run by a helper function, or named in conf.d for an eval (samba's `smbd_start=`).
  const helper = s.ssdCalls.find((c) => c.cmd.fn !== null && c.cmd.fn !== 'stop')?.cmd;
  const confdLaunch =
    s.confd &&
    /(^|[^\w-])(start-stop-daemon|supervise-daemon)([^\w-]|$)/m.test(s.confd.text.replace(/(^|\s)#.*$/gm, '$1'));
  if (!stops && (helper || confdLaunch)) {
    const h = helper ? helperLaunchReason(s) : undefined;
    if (h) return refuse(h.reason, h.suggestion);
    return refuse(helper ? cannotFollow(helper.fn!) : confdLaunchText(s));
  }
  // squid: start() runs the program with options only, stop() asks the same program to stop it
  // (`squid -k shutdown`). A tool run with a subcommand (`fw start`/`fw stop` of shorewall,
  // `laptop_mode auto`/`laptop_mode stop`) is not that.
  const runs = s.initd.commands.filter(
    (c) =>
      c.fn === 'start' &&
      !neverDaemon(c.name) &&
      !MESSAGES.has(c.name) &&
      (c.words.length === 1 || /^["']?[-$]/.test(c.words[1].text)) &&
      !c.words.slice(1).some((w) => /^["']?(start|restart|reload|up|on|load)["']?$/.test(w.text)),
  );
  const selfStop = s.initd.commands.find(
    (c) =>
      c.fn === 'stop' &&
      runs.some((x) => x.name === c.name) &&
      c.words.slice(1).some((w) => /^["']?(stop|shutdown|quit|-k|--kill)["']?$/.test(w.text)),
  );
  if (!stops && selfStop)
    return refuse(
      `start() runs ${selfStop.name} directly, and stop() asks the same program to stop it (${selfStop.words
        .map((w) => w.text)
        .join(' ')
        .slice(0, 60)}): rc-supervise cannot tell whether it forks or how to keep it in the foreground`,
    );
  if (stops) {
    // irda's `checkconfig`, `modprobe`, `sysctl` are no daemon: the programs it runs are named.
    const programs = [...new Set(programsRun(s).map((c) => c.name))].slice(0, 4);
    const ran = programs.length ? `start() runs ${programs.join(', ')}` : what;
    return refuse(
      directRunReason(s, stops) ??
        `${s.initd.fn('start') ? `${ran} directly` : 'the script has no start() and no static command'}, and ${stops.fn}() stops a daemon (${stops.name}): rc-supervise cannot tell which program is the daemon or whether it forks`,
    );
  }
  return null;
}

/** OpenRC's helpers and shell builtins a start() runs around its launch: never the daemon. */
const NOT_A_PROGRAM =
  /^(return|local|export|unset|set|cd|exit|wait|eval|\.|source|read|let|shift|break|continue|true|false|type|command|trap|umask|save_options|get_options|mountinfo|service_\w+|telinit)$/;

/**
 * The programs start() runs: not a helper, a message, a builtin or a function of the script, nor
 * a program named by a variable without one static value (openib's `/etc/init.d/$ibdev start`).
 */
function programsRun(s: Service): Command[] {
  return s.initd.commands.filter(
    (c) =>
      c.fn === 'start' &&
      !neverDaemon(c.name) &&
      !MESSAGES.has(c.name) &&
      !s.defines(c.name) &&
      !NOT_A_PROGRAM.test(c.name) &&
      !DEFAULT_START.has(c.name) &&
      !inSubstitution(s, c) &&
      (!/[$`]/.test(c.words[0].text) || 'path' in (staticProgram(s, c.words[0].text) ?? { why: '' })),
  );
}

/** The command runs inside `$( … )` or backticks on its line (openib's `"$(hostname -s) HCA"`): its output is a value. */
function inSubstitution(s: Service, c: Command): boolean {
  const before = stripQuotedSingle(s.initd.text.slice(s.initd.lineStart(c.start), c.start));
  let depth = 0;
  for (const m of before.matchAll(/\$\(|\(|\)/g))
    depth = m[0] === '$(' ? depth + 1 : m[0] === ')' ? Math.max(0, depth - 1) : depth;
  return depth > 0 || (before.match(/`/g)?.length ?? 0) % 2 === 1;
}

/**
 * Why start() that runs its daemon directly (no start-stop-daemon --start) while a function
 * stops one cannot be converted, said precisely where the script shows it (undefined: no more
 * precise reason than the general one): stop() stops several daemons; start() runs the same
 * program in a loop or more than once; it runs it through env or in its own background (`&`);
 * or the one program it runs is unknown to the rules (directlyRun and directLaunch convert a
 * known one stopped by start-stop-daemon --stop or killall).
 */
function directRunReason(s: Service, stops: Command): string | undefined {
  const start = s.initd.fn('start');
  if (!start) return undefined;
  const t = s.initd.text;
  const stopFn = stops.fn ? s.initd.fn(stops.fn) : undefined;
  // sendmail's two `kill $(head -n 1 FILE)`, nfs's mountd and nfsd: one per daemon. A KILL
  // (a fallback after TERM), a `kill -0` probe or one inside a condition is not another daemon.
  const stoppers = stopFn
    ? s.initd.commands.filter(
        (c) =>
          c.fn === stopFn.name &&
          (/^(kill|pkill|killall)$/.test(c.name) || (c.name === 'start-stop-daemon' && !isSsdStart(s, c))) &&
          nesting(s, stopFn, c.start) === 0 &&
          !c.words.some((w) => /^["']?(-0|-9|-KILL|-SIGKILL|KILL|SIGKILL)["']?$/.test(w.text)),
      )
    : [];
  const shown = (c: Command) => {
    const all = c.words
      .map((w) => w.text)
      .join(' ')
      .replace(/\s+/g, ' ');
    return all.length > 80 ? `${all.slice(0, 79)}…` : all;
  };
  if (stoppers.length > 1)
    return `stop() stops ${stoppers.length} processes (${stoppers.map(shown).join('; ')}): start() launches several daemons, and one supervisor keeps one (one service per daemon)`;
  const runs = programsRun(s);
  // The programs stop() stops by name (vtun's `killall vtund`, `--exec /usr/sbin/food`): a
  // program start() runs in a loop or more than once is then the daemon, several times over.
  const baseOf = (w: string) => {
    const known = /[$`]/.test(w) ? staticProgram(s, w) : undefined;
    const path = known && 'path' in known ? known.path : unquoted(w);
    return path.slice(path.lastIndexOf('/') + 1);
  };
  const named = new Set(
    stoppers.flatMap((c) => {
      const words = c.words.slice(1).map((w) => w.text);
      if (c.name === 'killall') return words.filter((w) => !/^["']?-/.test(w)).map(baseOf);
      if (c.name !== 'start-stop-daemon') return [];
      const p = parseOptions(words.map(unquoted));
      return p.options
        .filter((o) => (o.spec.long === 'exec' || o.spec.long === 'name') && o.value !== undefined)
        .map((o) => baseOf(o.valueIndex !== undefined ? words[o.valueIndex] : o.value!));
    }),
  );
  const stopped = runs.filter((c) => named.has(baseOf(c.words[0].text)));
  const body = stripQuotedAndComments(bodyText(s, start));
  const looped = stopped.find((c) => /\b(for|while|until)\b/.test(body) && nesting(s, start, c.start) > 0);
  if (looped && /\b(for|while|until)\b/.test(stripQuotedAndComments(t.slice(start.body.start, looped.start))))
    return `start() runs ${looped.words[0].text} inside a loop (one instance per pass), and ${stops.fn}() stops it by name (${stops.name}): one supervisor keeps one daemon (one service per instance)`;
  const progs = [...new Set(runs.map((c) => c.words[0].text))];
  if (progs.length !== 1) return undefined;
  const prog = progs[0];
  const same = runs.filter((c) => c.words[0].text === prog);
  if (same.length > 1 && stopped.length > 1)
    return `start() runs ${prog} ${same.length} times, and ${stops.fn}() stops it by name (${stops.name}): several daemons, and one supervisor keeps one (one service per daemon)`;
  if (same.length > 1) return undefined;
  const c = same[0];
  // courier's `/usr/bin/env - /usr/lib/courier-imap/gentoo-imapd.rc --pid=…`.
  if (c.name === 'env') {
    const target = c.words
      .slice(1)
      .map((w) => w.text)
      .find((w) => !/^["']?-/.test(w) && !/^[A-Za-z_]\w*=/.test(w));
    return `start() runs ${target ?? 'its daemon'} through env (\`${shown(c)}\`), and ${stops.fn}() stops a daemon (${stops.name}): rc-supervise cannot tell whether that program is the daemon or whether it forks, nor keep the environment env gives it`;
  }
  const rest = stripQuotedAndComments(t.slice(stmtEnd(c), s.initd.lineEnd(stmtEnd(c)))).replace(
    /\d*[<>]&\d+|\d*&?>>?\s*\S+|\d*<\s*\S+/g,
    ' ',
  );
  // amphetadesk's `./AmphetaDesk.pl > /dev/null &`: backgrounded by the script's own shell.
  if (/^\s*&\s*(;|$)/.test(rest))
    return `start() runs ${prog} in the background of its own shell (\`&\`), and ${stops.fn}() stops it (${stops.name}): nothing says whether ${c.name} stays in the foreground (a daemon that forks would be lost by the supervisor, which would start it again and again)`;
  return `start() runs ${prog} directly and goes on after it (so it forks by itself), and ${stops.fn}() stops a daemon (${stops.name}): rc-supervise converts such a launch only for a program a rule knows (its no-fork option), stopped by start-stop-daemon --stop (--exec or --pidfile) or killall`;
}

/**
 * Why the start's status after `check && launch` may not be the list's (undefined: it is): in
 * start(), a failed check skipped the launch, and only an `eend $?` or `return $?` right after it,
 * as the last line, made start() fail with the check's status. Anything else after it (a step, a
 * message that succeeds) would have run whether or not the daemon was launched.
 */
function guardedStatus(s: Service, start: FunctionDef, launch: Command): string | undefined {
  const t = s.initd.text;
  const from = s.initd.lineEnd(stmtEnd(launch));
  const to = s.initd.lineStart(start.body.end - 1);
  const after = (from < to ? t.slice(from, to) : '').split(/\r?\n/).filter((l) => l.trim() !== '' && !/^\s*#/.test(l));
  const status = String.raw`(\$\?|\$\{\?\}|"\$\?"|"\$\{\?\}")`;
  const message = String.raw`("(?:[^"\\$\x60]|\$\{?\w+\}?)*"|'[^']*')`;
  const passes = new RegExp(
    String.raw`^\s*((?:eend|ewend)\s+${status}(\s+${message})?|return(\s+${status})?)\s*;?\s*$`,
  );
  if (after.length === 0 || (after.length === 1 && passes.test(after[0]))) return undefined;
  return 'and does more after it, which ran even when the check failed and nothing was launched';
}

/** Programs that look a process up (or signal it) by pid, name or pid file. */
const PROCESS_READERS = new Set([
  ...['start-stop-daemon', 'supervise-daemon', 'kill', 'pkill', 'killall', 'pgrep', 'pidof', 'ps', 'fuser', 'lsof'],
  ...['eval', '.', 'source'],
]);

/**
 * Whether the script's own status() may look at the daemon's process: its pid or pid file (which,
 * under supervise-daemon, name the supervisor), the process table, /proc. openrc-run.sh runs the
 * script's status() whichever supervisor starts the daemon, so one that only reports what a tool
 * says over the daemon's own channel (omxoed's `omx_info`, `iscsiadm -m session`) or the
 * service's state (service_started) answers the same after the conversion. Anything rc-supervise
 * cannot see through (a function of the script, eval, a sourced file) counts as reading it.
 */
function statusReadsProcess(s: Service): boolean {
  const f = s.initd.fn('status');
  if (!f) return true;
  const text = bodyText(s, f);
  if (/pid|\/proc\b|\$!|\$\{!\}/i.test(text)) return true;
  return s.initd.commands.some(
    (c) =>
      c.fn === 'status' &&
      (PROCESS_READERS.has(c.name) || /^(mark_service_|service_set_value)/.test(c.name) || s.defines(c.name)),
  );
}

/** killall options that only say how to signal (psmisc and busybox read them alike). */
const KILLALL_HOW = /^-(q|w|-quiet|-wait|(SIG)?[A-Z][A-Z0-9+-]*|\d+)$/;

/**
 * `killall [-q] [-w] [-SIG|-s SIG] NAME`, one plain process name that is not the daemon's (nor
 * the supervisor's, nor start-stop-daemon's): killall matches that exact name, so it cannot
 * signal the daemon, whatever the supervisor. Not pkill (its pattern matches any part of a
 * name, or of a command line with -f), not a path (killall then matches by executable), not
 * -r/-u/-e and other selecting options.
 */
function otherProgramKillall(s: Service, c: Command, daemons: readonly string[]): boolean {
  if (c.name !== 'killall') return false;
  const w = c.words.slice(1).map((x) => x.text);
  const names: string[] = [];
  for (let i = 0; i < w.length; i++) {
    if (w[i] === '-s' || w[i] === '--signal') {
      if (!/^(SIG)?[A-Z][A-Z0-9+-]*$|^\d+$/.test(w[++i] ?? '')) return false;
    } else if (w[i].startsWith('-')) {
      if (!KILLALL_HOW.test(w[i])) return false;
    } else names.push(w[i]);
  }
  if (names.length !== 1 || !/^[A-Za-z0-9_][A-Za-z0-9._+-]*$/.test(names[0])) return false;
  const own = new Set([...daemons, 'supervise-daemon', 'start-stop-daemon', s.name]);
  if (s.daemon) own.add(s.daemon);
  // The programs the script's own start-stop-daemon calls name (--exec, --name, the program operand).
  for (const x of s.ssdCalls) {
    const p = parseOptions(x.cmd.words.slice(1).map((y) => unquoted(y.text)));
    for (const o of p.options)
      if ((o.spec.long === 'exec' || o.spec.long === 'name' || o.spec.long === 'startas') && o.value)
        own.add(o.value.slice(o.value.lastIndexOf('/') + 1));
  }
  return !own.has(names[0]);
}

/**
 * Why stop()'s computed `--retry VALUE` cannot become `retry=VALUE` set in start_pre() and
 * stop_pre() (undefined: it can). Only one command substitution of a function the script
 * defines, called with no words (watchdog's `$(get_delay)`): it reads what the script's top
 * level and conf.d set, the same in start_pre() as in stop(), provided stop() sets nothing
 * itself (a function sees its caller's variables). A --signal beside it would make a bare number
 * mean that signal first; retry set anywhere else would be overwritten or overwrite it.
 */
function computedRetryRefusal(
  s: Service,
  value: string,
  signal: boolean,
  lines: readonly string[],
  startPreFree: boolean,
): string | undefined {
  const m = /^"?(?:\$\(\s*([A-Za-z_][\w-]*)\s*\)|`\s*([A-Za-z_][\w-]*)\s*`)"?$/.exec(value);
  const fn = m?.[1] ?? m?.[2];
  // sabnzbd's `--retry "${signals}"`: TERM/1/KILL/1, or NULL/5/… first when the daemon answered
  // "ok" to the shutdown request stop() sent it (`if [ "$(wget … mode=shutdown)" = "ok" ]`).
  const own = /^"?\$\{?([A-Za-z_]\w*)\}?"?$/.exec(value)?.[1];
  const stopFn = s.initd.fn('stop');
  if (own && stopFn)
    for (const a of s.initd.assignments.filter((x) => x.name === own && x.fn === 'stop' && !x.plain)) {
      const cond = enclosing(s, stopFn, a.start);
      if (cond && /\$\(|`/.test(cond))
        return `stop() sets ${own} itself under \`${cond}\`: the schedule depends on what that command answers when the service stops, and supervise-daemon takes its one schedule when it starts the daemon`;
    }
  if (!fn || !s.defines(fn) || /^(start|stop)(_pre|_post)?$/.test(fn))
    return 'not one call of a function of the script, which could be run when the service starts too';
  if (s.initd.assignments.some((a) => a.fn === 'stop'))
    return `stop() sets variables of its own, which ${fn}() may read`;
  if (signal) return 'with a --signal beside it';
  if (
    s.isSet('retry') ||
    s.initd.assignments.some((a) => a.name === 'retry') ||
    lines.some((l) => l.startsWith('retry='))
  )
    return 'retry is set elsewhere too';
  if (!startPreFree) return 'start_pre() is taken, where supervise-daemon would need it computed';
  return undefined;
}

/** The first line of the innermost if/case/loop around `offset` in the function, as written. */
function enclosing(s: Service, f: FunctionDef, offset: number): string | undefined {
  const at = enclosingAt(s, f, offset);
  if (at === undefined) return undefined;
  const line = s.initd.text.slice(at, s.initd.lineEnd(at)).replace(/\r?\n$/, '');
  return line.length > 70 ? `${line.slice(0, 67)}...` : line;
}

/** Where the innermost if/case/loop around `offset` in the function starts (its keyword). */
function enclosingAt(s: Service, f: FunctionDef, offset: number): number | undefined {
  const from = f.body.start + 1;
  const t = stripQuotedAndComments(s.initd.text.slice(from, offset));
  const open: number[] = [];
  for (const m of t.matchAll(BLOCK_WORDS)) {
    const at = m.index + m[0].length - m[1].length;
    if (/^(if|case|for|while|until)$/.test(m[1])) open.push(at);
    else open.pop();
  }
  const at = open.pop();
  return at === undefined ? undefined : from + at;
}

interface RetryChoice {
  /** The stop standing for both (the one without --retry, else the second). */
  rep: Command;
  /** The whole `if … fi`. */
  start: number;
  end: number;
  cond: string;
  /** The top-level line that sets retry as the condition chooses (none: both stop alike). */
  line?: string;
  /** A branch gave no --retry. */
  bare: boolean;
}

/**
 * logstash's stop(): `if [ "${KILL_ON_STOP_TIMEOUT}" = "1" ]; then start-stop-daemon --stop
 * --pidfile=${pidfile} --retry=TERM/5/KILL/5; else start-stop-daemon --stop --pidfile=${pidfile};
 * fi`. Two stops of the same process that differ only in their schedule, chosen by one test of
 * settings that conf.d or the script's top level give (no function sets them, OpenRC does not,
 * nothing is run): the test gives the same answer read at the top of the script, when
 * supervise-daemon takes retry (at start) and when start-stop-daemon does (at stop). Only that
 * exact `if`/`else`/`fi`, one command per branch.
 */
function retryChoice(s: Service, stopFn: FunctionDef, stoppers: Command[]): RetryChoice | undefined {
  const [a, b] = [...stoppers].sort((x, y) => x.start - y.start);
  if (stoppers.length !== 2 || a.name !== 'start-stop-daemon' || b.name !== 'start-stop-daemon') return undefined;
  if (nesting(s, stopFn, a.start) !== 1 || nesting(s, stopFn, b.start) !== 1) return undefined;
  const ifAt = enclosingAt(s, stopFn, a.start);
  if (ifAt === undefined || enclosingAt(s, stopFn, b.start) !== ifAt) return undefined;
  const t = s.initd.text;
  if (t.slice(s.initd.lineStart(ifAt), ifAt).trim() !== '' || !t.startsWith('if', ifAt)) return undefined;
  const esc = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const text = (c: Command) => t.slice(c.start, stmtEnd(c));
  const sep = String.raw`[ \t]*\r?\n[ \t]*`;
  const m = new RegExp(
    String.raw`^if[ \t]+([^\n]+?)[ \t]*(?:;[ \t]*|\r?\n[ \t]*)then${sep}${esc(text(a))}${sep}else${sep}${esc(text(b))}${sep}fi(?=[ \t]*(\r?\n|$))`,
  ).exec(t.slice(ifAt));
  if (!m) return undefined;
  const cond = m[1];
  if (
    !/^(\[\s.*\s\]|test\s.*)$/.test(cond) ||
    /[`;&|<>()\\]/.test(cond) ||
    /\$(?![{A-Za-z_])|\$\{(?![A-Za-z_])/.test(cond)
  )
    return undefined;
  const vars = referencedVars(cond);
  if (
    vars.some(
      (v) =>
        OPENRC_VARS.test(v) ||
        /^(SVCNAME|RC_\w*)$/.test(v) ||
        s.initd.assignments.some((x) => x.name === v && x.fn !== null) ||
        !!s.confd?.assignments.some((x) => x.name === v && x.fn !== null),
    )
  )
    return undefined;
  const parsed = [a, b].map((c) => {
    const words = c.words.slice(1).map((w) => unquoted(w.text));
    return { words, p: parseOptions(words) };
  });
  if (parsed.some(({ words, p }) => p.operandsAt !== words.length || p.unknown.length > 0)) return undefined;
  if (parsed.some(({ p }) => p.options.some((o) => o.spec.long === 'signal'))) return undefined;
  const rest = parsed.map(({ p }) =>
    p.options
      .filter((o) => o.spec.long !== 'retry')
      .map((o) => `${o.spec.long}=${o.value ?? ''}`)
      .sort()
      .join(' '),
  );
  if (rest[0] !== rest[1]) return undefined;
  const retries = parsed.map(({ p }) => p.options.find((o) => o.spec.long === 'retry')?.value);
  if (retries.some((r) => r !== undefined && (r === '' || /[$`\s]/.test(r)))) return undefined;
  const [ra, rb] = retries;
  const set = (r: string) => `retry=${shellQuoteWord(r)}`;
  const line =
    ra !== undefined && rb !== undefined
      ? ra === rb
        ? set(ra)
        : `if ${cond}; then ${set(ra)}; else ${set(rb)}; fi`
      : ra !== undefined
        ? `if ${cond}; then ${set(ra)}; fi`
        : rb !== undefined
          ? `if ! ${cond}; then ${set(rb)}; fi`
          : undefined;
  return {
    rep: rb === undefined ? b : ra === undefined ? a : b,
    start: ifAt,
    end: ifAt + m[0].length,
    cond,
    line,
    bare: ra === undefined || rb === undefined,
  };
}

/**
 * Whether a command is the control command a rule's entry names (`knotc stop`): its program's
 * file name and words, as written. A last `*` in the entry stands for one more word, literal (no
 * expansion): ctlinnd's reason, `ctlinnd shutdown "OpenRC service stop"`.
 */
function ctlIs(c: Command, entry: string): boolean {
  const want = entry.split(/\s+/);
  const said = [c.name.replace(/^.*\//, ''), ...c.words.slice(1).map((w) => unquoted(w.text))];
  if (want[want.length - 1] !== '*') return said.join(' ') === want.join(' ');
  const last = c.words[c.words.length - 1]?.text ?? '';
  return (
    said.length === want.length &&
    said.slice(0, -1).join(' ') === want.slice(0, -1).join(' ') &&
    !/[$`\\]/.test(last) &&
    !/^["']?-/.test(last)
  );
}

/**
 * innd's stop(): `ctlinnd throttle "…"`, then `ctlinnd shutdown "…"`, and `eend $?`: no process
 * signalled, the daemon asked to stop through its control program. Where the rule's sourced
 * stopCommands say that command ends the daemon the way SIGTERM does, and every command run
 * before it is one of its stopPreludes (whose effect that stop includes), all unconditional and
 * nothing else but messages, the span from the first of them to the stop command is the
 * supervisor's stop; else undefined.
 */
function ctlOnlyStop(
  s: Service,
  f: FunctionDef,
  stopCmds: readonly Command[],
  stopCommands: readonly string[],
  preludes: readonly string[],
): { stop: Command; first: Command } | undefined {
  if (!stopCommands.length) return undefined;
  const runs = stopCmds.filter((c) => !MESSAGES.has(c.name) && !/^(eend|ewend)$/.test(c.name));
  const stop = runs[runs.length - 1];
  if (!stop || !stopCommands.some((e) => ctlIs(stop, e))) return undefined;
  if (!runs.slice(0, -1).every((c) => preludes.some((e) => ctlIs(c, e)))) return undefined;
  // Unconditional, each a statement of its own on its line (no `a && b`, no pipe, no redirection).
  if (runs.some((c) => nesting(s, f, c.start) !== 0 || (c.redirects?.length ?? 0) > 0)) return undefined;
  for (const c of runs) {
    const line = s.initd.text.slice(s.initd.lineStart(c.start), s.initd.lineEnd(stmtEnd(c))).trim();
    if (line !== s.initd.text.slice(c.start, stmtEnd(c)).trim()) return undefined;
  }
  // After the stop command only `eend $?`/`ewend $?`, which read its status (dropped with it).
  if (stopCmds.some((c) => c.start > stop.start && !/^(eend|ewend)$/.test(c.name))) return undefined;
  return { stop, first: runs[0] };
}

/**
 * knot's stop(): the control program's stop command (one of the rule's stopCommands, as
 * `knotc stop`), unconditional, then the TERM stop (start-stop-daemon --stop) inside only
 * `if` tests of the command's status or of the pid file's existence, nothing else in between
 * or after but their `fi`s: the span from the command to the last `fi`, else undefined.
 */
function ctlStopFallback(
  s: Service,
  f: FunctionDef,
  ctl: Command,
  stopper: Command,
  stopCommands: readonly string[],
): { start: number; end: number } | undefined {
  if (stopper.name !== 'start-stop-daemon' || !stopCommands.length) return undefined;
  // A plain TERM stop, as the control command's path is: no other signal, no schedule.
  if (stopper.words.slice(1).some((w) => /^["']?(-[A-Za-z]*[sR]|--signal|--retry)/.test(w.text))) return undefined;
  if (!stopCommands.some((e) => ctlIs(ctl, e)) || nesting(s, f, ctl.start) !== 0) return undefined;
  const depth = nesting(s, f, stopper.start);
  if (depth < 1) return undefined;
  const t = s.initd.text;
  const body = (a: number, b: number) =>
    t
      .slice(a, b)
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
  // Each test reads only the command's status or the pid file: `[ "$?" != 0 ]`, `[ -f $pidfile ]`.
  const word = /^("?\$\{?(\?|pidfile)\}?"?|!=|-ne|-eq|=|!|"?0"?|-[fes])$/;
  const test = (l: string) => {
    const m = /^if\s+\[\s+(.*)\s+\]\s*;\s*then$/.exec(l);
    return !!m && m[1].split(/\s+/).every((w) => word.test(w));
  };
  const before = body(s.initd.lineEnd(stmtEnd(ctl)), s.initd.lineStart(stopper.start));
  if (before.length !== depth || !before.every(test)) return undefined;
  // Then exactly `depth` lines of `fi`, and the end of the last one.
  let at = s.initd.lineEnd(stmtEnd(stopper));
  for (let n = 0; n < depth;) {
    const end = s.initd.lineEnd(at);
    if (end <= at) return undefined;
    const l = t.slice(at, end).trim();
    if (l === 'fi') n++;
    else if (l !== '' && !l.startsWith('#')) return undefined;
    if (n === depth) return { start: ctl.start, end: at + t.slice(at, end).indexOf('fi') + 2 };
    at = end;
  }
  return undefined;
}

/**
 * lxd's stop(): `if [ "$RC_GOINGDOWN" = "YES" ] || [ "$RC_REBOOT" = "YES" ]; then` (shut the
 * containers down too) or `if [ "${RC_CMD}" = restart ]; then` (leave them running): a choice
 * made from OpenRC's state when the service stops. supervise-daemon takes its one stop schedule
 * when it starts the daemon (supervise_start passes --retry, supervise_stop none), so no
 * conversion can make it. The names read, or undefined.
 */
const STOP_STATE = /\$\{?(RC_GOINGDOWN|RC_REBOOT|RC_CMD|RC_RUNLEVEL|RC_DEFAULTLEVEL|RC_BOOTLEVEL)\b/g;
function stopStateRefusal(cond: string | undefined): Refusal | undefined {
  const names = cond ? [...new Set([...cond.matchAll(STOP_STATE)].map((m) => m[1]))] : [];
  if (!names.length) return undefined;
  return refuse(
    `stop() chooses how to stop the daemon by \`${cond}\`, which reads OpenRC's state when the service stops (${names.join(', ')}); supervise-daemon takes its one stop schedule when it starts the daemon (supervise_start passes --retry, supervise_stop none), so under it that choice cannot be made`,
    'keep this service on start-stop-daemon; or choose one way to stop it, remove stop() (set retry for that schedule) and migrate again',
  );
}

/**
 * The reason for a stop() that does not stop one process: none (innd's `ctlinnd shutdown`,
 * canna's `cannakill`: the daemon asked to stop its own way) or several (ovdb's two daemons,
 * iaxmodem's children, totd's two pid files chosen by an if).
 */
function stopCountRefusal(s: Service, stopFn: FunctionDef, stopCmds: Command[], stoppers: Command[]): Refusal {
  const shown = (c: Command) => {
    const text = s.initd.text
      .slice(c.start, c.end)
      .replace(/\\\r?\n\s*/g, '')
      .replace(/\s+/g, ' ');
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  };
  const list = (cs: Command[]) =>
    [...new Set(cs.map(shown))].slice(0, 4).join('; ') + (new Set(cs.map(shown)).size > 4 ? '; ...' : '');
  if (stoppers.length === 0) {
    const runs = stopCmds.filter(
      (c) =>
        !MESSAGES.has(c.name) &&
        !/^(return|local|export|unset|set|exit|sleep|mark_service_\w+)$/.test(c.name) &&
        !/^(eend|ewend)$/.test(c.name),
    );
    return refuse(
      runs.length
        ? `stop() signals no process itself (no start-stop-daemon, kill, pkill or killall): it stops the daemon its own way, through ${list(runs)}, where the supervisor's stop would only send the daemon SIGTERM, and nothing rc-supervise knows says the daemon ends the same way on that`
        : 'stop() stops no process (no start-stop-daemon, kill, pkill or killall, and no other program): the supervisor would stop a daemon that stop() left running',
      runs.length
        ? "if the daemon's own documentation says SIGTERM shuts it down the same way, remove stop() (set retry for the time the daemon needs), then migrate again; otherwise keep the service on start-stop-daemon"
        : undefined,
    );
  }
  const within = stoppers.find((c) => nesting(s, stopFn, c.start) !== 0);
  const around = within ? enclosing(s, stopFn, within.start) : undefined;
  const state = stopStateRefusal(around);
  if (state) return state;
  // ovdb's stop(): `--stop --pidfile /run/news/ovdb_server.pid`, then the same for
  // ovdb_monitor.pid, both always run: two daemons, each found through its own pid file.
  const files = stoppers.map((c) => {
    if (c.name !== 'start-stop-daemon' || nesting(s, stopFn, c.start) !== 0) return undefined;
    const w = c.words.map((x) => unquoted(x.text));
    if (!w.some((x) => x === '--stop' || x === '-K')) return undefined;
    const i = w.findIndex((x) => x === '--pidfile' || x === '-p');
    const f = i >= 0 ? w[i + 1] : w.find((x) => x.startsWith('--pidfile='))?.slice('--pidfile='.length);
    return f && f.startsWith('/') && !/[$`*?]/.test(f) ? f : undefined;
  });
  if (files.every(Boolean) && new Set(files).size === files.length)
    return refuse(
      `stop() stops ${files.length} processes, each through a pid file of its own (${files.join(', ')}): the service runs several daemons, and one supervisor keeps one (one service per daemon)`,
      'run each daemon as a service of its own (each with its command), or keep this service on start-stop-daemon',
    );
  return refuse(
    `stop() runs ${stoppers.length} commands that stop or signal processes (${list(stoppers)})${around ? ` under \`${around}\`` : ''}, where the supervisor's stop is one schedule of signals to its one child: rc-supervise cannot tell which of them that replaces, nor what the others still have to do`,
    'where the others only end what the daemon leaves behind, keep them in stop_post() and let the default stop() stop the daemon, then migrate again',
  );
}

/** stop() becomes the supervisor's stop: its other steps go to stop_pre()/stop_post(). */
function convertStop(
  s: Service,
  file: string,
  stopFn: FunctionDef,
  daemons: readonly string[],
  eol: string,
  lines: string[],
  notes: string[],
  edits: Edit[],
  stopWords: readonly string[] = [],
  more: {
    startPreFree?: boolean;
    noOwnPidfile?: boolean;
    stopCommands?: readonly string[];
    stopPreludes?: readonly string[];
  } = {},
): Refusal | void {
  if (!ownsItsLines(s, stopFn)) return refuse('stop() shares its lines with other code');
  const stopCmds = s.initd.commands.filter((c) => c.fn === 'stop' && !CHATTER.has(c.name));
  let stoppers = stopCmds.filter((c) => STOPPERS.test(c.name) || runsDaemon(s, c, daemons));
  // pptpd's stop(): `start-stop-daemon --stop --pidfile /run/pptpd.pid`, then `killall -SIGTERM
  // pptpctrl` for the per-call children that outlive pptpd. Such a killall signals only
  // processes of another name, after the daemon's stop: in stop_post() it runs once the
  // supervisor has stopped the daemon and has itself exited, so it cannot reach either of them
  // (nor make the supervisor respawn anything), and it ends what it ended before.
  const main = stoppers.filter((c) => !otherProgramKillall(s, c, daemons));
  if (main.length === 1 && main.length < stoppers.length) {
    const after = stoppers.filter((c) => c !== main[0]);
    if (after.every((c) => c.start >= stmtEnd(main[0]))) {
      stoppers = main;
      notes.push(
        `stop()'s ${after.map((c) => c.words.map((w) => w.text).join(' ')).join('; ')} after the stop signals processes of another name, which the daemon's stop does not end: it stays, in stop_post(), which runs once the supervisor has stopped the daemon and exited`,
      );
    }
  }
  // innd's `ctlinnd throttle …; ctlinnd shutdown …`: the control program's stop command alone
  // (after only its preludes), which the rule's sources say ends the daemon as SIGTERM does.
  const ctlOnly =
    stoppers.length === 0
      ? ctlOnlyStop(s, stopFn, stopCmds, more.stopCommands ?? [], more.stopPreludes ?? [])
      : undefined;
  if (ctlOnly) {
    const one = ctlOnly.first === ctlOnly.stop;
    stoppers = [ctlOnly.stop];
    notes.push(
      `stop() ran ${(one ? [ctlOnly.stop] : [ctlOnly.first, ctlOnly.stop]).map((c) => commandExcerpt(s, c, 60)).join(' ... ')}, which stop${one ? 's' : ''} the daemon the way SIGTERM does (its rule's stopCommands${one ? '' : ' and stopPreludes'}, with their sources): the supervisor's stop, which sends SIGTERM, replaces ${one ? 'it' : 'them'}`,
    );
  }
  const choice = stoppers.length === 2 ? retryChoice(s, stopFn, stoppers) : undefined;
  if (stoppers.length !== 1 && !choice) return stopCountRefusal(s, stopFn, stopCmds, stoppers);
  const stopper = choice ? choice.rep : stoppers[0];
  /** knot's `knotc stop`, then the TERM stop only when it failed: both one TERM stop (below). */
  let fallback: { start: number; end: number } | undefined;
  /** What stands where the stop was: the stop, or the whole `if … fi` choosing its schedule. */
  let span: Command = choice
    ? { ...stopper, start: choice.start, end: choice.end, redirects: [] }
    : ctlOnly
      ? { ...stopper, start: ctlOnly.first.start, end: stopper.end, redirects: [] }
      : stopper;
  // knot's `knotc stop`, accel-ppp's `accel-cmd shutdown hard`: the daemon asked to stop its
  // own way first, the signal only a fallback. Said where stop() is refused anyway.
  const askedFirst = stopCmds.find(
    (c) =>
      !ctlOnly &&
      c.start < stopper.start &&
      !MESSAGES.has(c.name) &&
      !s.defines(c.name) &&
      c.words.slice(1).some((w) => /^["']?(stop|shutdown|quit|halt|kill|-k|-kill|--kill)["']?$/.test(w.text)),
  );
  const first = askedFirst
    ? `stop() first asks the daemon to stop its own way (${s.initd.text.slice(askedFirst.start, askedFirst.end).replace(/\s+/g, ' ').slice(0, 60)}), where the supervisor's stop would only send it a signal; it signals the daemon only after that`
    : undefined;
  // knot's stop(): `knotc stop`, then only when that failed (`if [ "$?" != 0 ]; then if [ -f
  // $pidfile ]; then`) `start-stop-daemon --stop --pidfile $pidfile`. Where the rule's sourced
  // stopCommands say the control command ends the daemon the way SIGTERM does, either path is
  // one TERM stop, which is the supervisor's stop: all from the command to the last `fi` goes.
  if (!choice && askedFirst) {
    fallback = ctlStopFallback(s, stopFn, askedFirst, stopper, more.stopCommands ?? []);
    if (fallback) {
      span = { ...stopper, start: fallback.start, end: fallback.end, redirects: [] };
      notes.push(
        `stop() ran ${commandExcerpt(s, askedFirst, 60)}, which stops the daemon the way SIGTERM does (its rule's stopCommands, with their source), and stopped it with a signal only when that failed: the supervisor's stop, which sends SIGTERM, replaces both`,
      );
    }
  }
  if (!choice && !fallback && nesting(s, stopFn, stopper.start) !== 0) {
    const around = enclosing(s, stopFn, stopper.start);
    const state = first ? undefined : stopStateRefusal(around);
    if (state) return state;
    return refuse(
      first
        ? `${first} (inside ${around ? `\`${around}\`` : 'a condition'})`
        : `stop() stops the daemon inside ${around ? `\`${around}\`` : 'a condition or loop'}: the supervisor's stop is one schedule of signals to its one child, the same whatever that ${around && /^(for|while|until)\b/.test(around) ? 'loop' : 'condition'} chose, so rc-supervise cannot replace it`,
      first
        ? "if the daemon's own documentation says SIGTERM shuts it down the same way, remove stop() (set retry for the time it needs), then migrate again; otherwise keep the service on start-stop-daemon"
        : 'where every branch stops the daemon alike, replace stop() by the default one (with retry for the schedule), then migrate again',
    );
  }
  // tas's stop(): `IPMITAS -agent stop-service`, the daemon's own program asked to stop it. The
  // supervisor would only send a signal, and that shutdown path would never run; epmd's
  // `-kill` is a request epmd turns down while nodes are registered. Only where the rule says
  // the program's words send the running daemon TERM (avahi-daemon -k) is it the same stop.
  const ownStop = stopper.words.slice(1).map((w) => unquoted(w.text));
  const known = ownStop.length === 1 && stopWords.includes(ownStop[0]);
  if (known)
    // eturnal's `"${command}" stop`: the rule's sourced stopWords say the program's stop ends the
    // daemon the way SIGTERM does, so the supervisor's SIGTERM is the same stop. Said, since
    // the script's own words for it go.
    notes.push(
      `stop() ran ${stopper.words
        .map((w) => w.text)
        .join(' ')
        .slice(
          0,
          80,
        )}, which stops the daemon the way SIGTERM does (its rule's stopWords, with their source): the supervisor's stop, which sends SIGTERM, replaces it`,
    );
  if (!STOPPERS.test(stopper.name) && !known && !ctlOnly)
    return refuse(
      `stop() stops the daemon through its own program (${stopper.words
        .map((w) => w.text)
        .join(' ')
        .slice(0, 80)}); the supervisor would only send it a signal`,
    );
  // ser2net's `start-stop-daemon --stop ${start_stop_daemon_args}`: a variable set once, plainly,
  // at the top of the script to options only (knownOptionWords) stands for its words, read as
  // start()'s launch reads them; its --retry or --signal, if any, are then seen below.
  const stopWordsOf = (ws: readonly { text: string }[]) =>
    stopper.name !== 'start-stop-daemon'
      ? ws.map((w) => w.text)
      : ws.flatMap((w) => {
          if (!/^\$\{?[A-Za-z_]\w*\}?$/.test(w.text)) return [w.text];
          const k = knownOptionWords(s, w.text);
          return k && !k.cond && /^-/.test(k.words[0] ?? '') ? k.words : [w.text];
        });
  const stopRaw = stopWordsOf(stopper.words.slice(1));
  const words = stopRaw.map((w) => unquoted(w));
  /** stop()'s own variable naming the pid file, known to be the converted one (oneLiteralFile). */
  let pidLocal: string | undefined;
  /** retry computed by a function of the script when the service starts and stops (watchdog's get_delay). */
  let computedRetry: string | undefined;
  let computedRetryFn: string | undefined;
  /** stop()'s fallback to an older script's pid file (legacyPidfileFallback). */
  let legacy: { lines: string[]; path: string } | undefined;
  if (stopper.name === 'start-stop-daemon') {
    const p = parseOptions(words);
    // `--stop ${RETRY} --pidfile …`: a variable where an option stands may hold --retry or
    // --signal, which the supervisor's stop would then miss.
    // Words after `--` are the daemon's arguments; a quoted word or a static path is the program.
    const raw = stopRaw;
    const hidden =
      words[p.operandsAt - 1] === '--'
        ? undefined
        : raw.slice(p.operandsAt).find((w, i) => {
            if (w === '--' || raw.slice(p.operandsAt, p.operandsAt + i).includes('--')) return false;
            if (!w.includes('$') || /^"[^"]*"$/.test(w)) return false;
            const v = s.expand(w);
            return !v || /[\s$`]/.test(v) || v.startsWith('-');
          });
    // bitlbee's `local pidfile=`, then `yesno ${BITLBEE_STOP_ALL:-YES} || pidfile="--pidfile …"`:
    // stop() itself picks the options, here whether to stop every process of the -u user.
    const hv = hidden ? referencedVars(hidden) : [];
    const own = hv.length === 1 ? s.initd.assignments.filter((a) => a.name === hv[0] && a.fn === stopFn.name) : [];
    if (
      hidden &&
      own.length > 0 &&
      !s.initd.assignments.some((a) => a.name === hv[0] && a.fn !== stopFn.name) &&
      !s.confd?.assignments.some((a) => a.name === hv[0])
    )
      return refuse(
        `stop()'s start-stop-daemon passes ${hidden}, which stop() itself sets (to ${[
          ...new Set(own.map((a) => `\`${a.value.text}\``)),
        ].join(
          ' or ',
        )}): the options of its stop, and so which processes it stops and how, are chosen when it runs, where the supervisor's stop is one schedule of signals to its one child`,
        'where stop() only stops the daemon, remove it (set retry for its schedule); where it also stops other processes, keep that in stop_post() by hand; then migrate again',
      );
    if (hidden)
      return refuse(
        `stop()'s start-stop-daemon passes ${hidden}, which may hold options (--retry, --signal) rc-supervise cannot read`,
      );
    // darkstat's stop() found its instance through `--pidfile ${PIDFILE}` (a file the daemon
    // writes when told) while start() gave start-stop-daemon none: without a pidfile= the
    // start-stop-daemon path (supervisor removed) would stop by --exec, every instance at once.
    const pf = p.options.find((o) => o.spec.long === 'pidfile');
    // carbon-c-relay's stop(): `local pfile=${pidfile}`, then another file when an old one
    // exists, and `--pidfile "${pfile}"`. The supervisor's stop (and, without it, OpenRC's
    // start-stop-daemon stop) uses pidfile, whatever stop() computed: not the same stop.
    // Unless the other file is only an older script's, which no supervised daemon writes
    // (legacyPidfileFallback).
    const pfWord =
      pf && (pf.valueIndex !== undefined ? raw[pf.valueIndex] : raw[pf.index].slice(raw[pf.index].indexOf('=') + 1));
    const ownPidfile = pfWord
      ? referencedVars(pfWord).find((x) => s.initd.assignments.some((a) => a.name === x && a.fn === stopFn.name))
      : undefined;
    legacy =
      ownPidfile && more.noOwnPidfile && s.isSet('pidfile')
        ? legacyPidfileFallback(s, stopFn, ownPidfile, stopper)
        : undefined;
    if (legacy) pidLocal = ownPidfile;
    if (
      ownPidfile &&
      !legacy &&
      (lines.some((l) => l.startsWith('pidfile=')) || s.isSet('pidfile')) &&
      !oneLiteralFile(s, ownPidfile, lines)
    )
      return refuse(
        `stop() finds the daemon through --pidfile ${pfWord}, and stop() itself sets ${ownPidfile}; the supervisor's stop would use pidfile instead`,
      );
    if (ownPidfile && oneLiteralFile(s, ownPidfile, lines)) pidLocal = ownPidfile;
    if (pf && !lines.some((l) => l.startsWith('pidfile=')) && !s.isSet('pidfile')) {
      const v = pfWord!;
      // Only a name the script's top level gives: pidfile= is read when the script is read, so
      // not a variable any function sets (a local stop() computes, monkeyd's `local
      // PIDFILE=$(awk …)`, or one start() sets at start), and no glob (bacula's `/var/run/bacula-dir.*.pid` globs
      // on stop()'s command line, not in an assignment).
      const fnSet = referencedVars(v).some((x) => s.initd.assignments.some((a) => a.name === x && a.fn !== null));
      if (v && !fnSet && !/[*?[]/.test(unquoted(v))) {
        lines.push(`pidfile=${v}`);
        notes.push(`pidfile=${v}: the file stop() found the daemon by (start() gave start-stop-daemon no pid file)`);
      }
    }
    const r = p.options.find((o) => o.spec.long === 'retry');
    // watchdog's `--retry $(get_delay)`: a schedule computed when stop() runs. Written as data
    // (quoted) it would reach start-stop-daemon as the literal text; written as code at the top
    // of the script it would run before get_delay() is even defined.
    const sig = p.options.find((o) => o.spec.long === 'signal');
    if (r?.value && /[$`]/.test(r.value)) {
      const why = computedRetryRefusal(s, r.value, !!sig, lines, more.startPreFree ?? false);
      if (why)
        return refuse(
          `stop()'s start-stop-daemon --retry ${r.value} is computed when stop() runs; a top-level retry= cannot hold it (${why})`,
        );
      computedRetry = r.value;
      computedRetryFn = /[A-Za-z_][\w-]*/.exec(r.value.replace(/^"?(\$\(|`)/, ''))?.[0];
    }
    // redmine's `start-stop-daemon --signal INT --pidfile …`: without --stop, start-stop-daemon
    // sends the signal once and returns (a schedule of "0"): the supervisor's stop sends it too,
    // and then waits for the daemon to end.
    if (sig?.value && !words.some((w) => w === '--stop' || w === '-K'))
      notes.push(
        `stop() sent ${sig.value} once, without --stop, so without waiting for the daemon to end; the supervisor's stop sends it and then waits for the daemon to end (retry)`,
      );
    const nonTerm = sig?.value && !/^(SIG)?TERM$|^15$/i.test(sig.value) ? sig.value : undefined;
    const name = nonTerm ? retrySignal(nonTerm) : undefined;
    if (nonTerm && !name) return refuse(`stop() sends signal ${nonTerm}, which has no portable name for retry`);
    if (choice) {
      if (choice.line) lines.push(choice.line);
      notes.push(
        `stop() chose its stop schedule with \`${choice.cond}\`, which reads only what conf.d or the script's top level set: the same choice now sets retry at the top of the script (${choice.line ?? 'both stopped alike'}), read by supervise-daemon when it starts the daemon and by start-stop-daemon when it stops it${
          choice.bare && (s.isSet('retry') || lines.some((l) => l.startsWith('retry=')))
            ? `; where stop() gave start-stop-daemon no --retry (its default: TERM, then 5 s), the script's own retry now applies`
            : ''
        }`,
      );
    } else if (computedRetry) {
      // Written below, in start_pre() and stop_pre().
    } else if (r?.value && !s.isSet('retry'))
      // A bare timeout sends --signal first (OpenRC's parse_schedule): keep that signal.
      lines.push(`retry=${shellQuoteWord(name && /^\d+$/.test(r.value) ? `${name}/${r.value}` : r.value)}`);
    else if (name && !s.isSet('retry')) lines.push(`retry=${shellQuoteWord(`${name}/5`)}`);
  } else if (/^(kill|pkill|killall)$/.test(stopper.name)) {
    // mcollectived's `kill \`cat ${pidfile}\``: as for --pidfile above, the file stop() found
    // the daemon by becomes pidfile= when nothing set one (a name the top level gives).
    const file = stopper.name === 'kill' ? killedByFile(stopper) : undefined;
    if (file && !lines.some((l) => l.startsWith('pidfile=')) && !s.isSet('pidfile')) {
      const fnSet = referencedVars(file).some((x) => s.initd.assignments.some((a) => a.name === x && a.fn !== null));
      if (!fnSet && !/[*?[]/.test(unquoted(file))) {
        lines.push(`pidfile=${file}`);
        notes.push(`pidfile=${file}: the file stop() found the daemon by (${commandExcerpt(s, stopper, 60)})`);
      }
    }
    const si = words.findIndex((w) => w === '-s' || w === '--signal');
    const sig =
      si >= 0 ? `-${words[si + 1] ?? ''}` : words.find((w) => /^-[A-Za-z0-9]+$/.test(w) && !/^-[FU]$/.test(w));
    if (sig && !/^-(SIG)?TERM$|^-15$/i.test(sig))
      return refuse(
        first
          ? `${first} (${stopper.name} ${sig})`
          : `stop() stops the daemon with ${stopper.name} ${sig}; the supervisor would send TERM (set retry by hand)`,
        first
          ? "if the daemon's own documentation says SIGTERM shuts it down the same way, remove stop() (set retry for the time it needs), then migrate again; otherwise keep the service on start-stop-daemon"
          : undefined,
      );
  }
  // `qterm -t quick || start-stop-daemon --stop …` (TORQUE): the daemon's own shutdown first,
  // the signal only as a fallback. The line goes whole, so another program on it would be
  // dropped unseen; messages and a return are fine.
  const lineFrom = s.initd.lineStart(stopper.start);
  const lineTo = s.initd.lineEnd(stmtEnd(stopper));
  const beside = s.initd.commands.find(
    (c) =>
      c !== stopper &&
      c.fn === stopFn.name &&
      c.start >= lineFrom &&
      c.start < lineTo &&
      !CHATTER.has(c.name) &&
      c.name !== 'return' &&
      // `kill \`cat FILE\``: the cat that reads the pid, inside the stop's own words
      !(c.name === 'cat' && c.start > stopper.start && c.end <= stopper.end) &&
      // the function the computed --retry calls, inside the stop's own words
      !(computedRetryFn !== undefined && c.name === computedRetryFn && c.start > stopper.start && c.end <= stopper.end),
  );
  if (beside)
    return refuse(
      `stop() runs ${beside.name} on the line that stops the daemon (${s.initd.text.slice(lineFrom, lineTo).trim().slice(0, 80)}); the supervisor would only send its signal`,
    );
  const split = splitAround(s, stopFn, span);
  if (!split) return refuse('stop() is written on one line with its braces');
  const sp = dropStopStatus(split);
  // pptpd's `result=$?`, a killall, `eend $result`: stop() ended with the stop's own status, so
  // the steps between never decided it. stop_post() runs only after a stop that worked, and
  // openrc-run runs `stop_post || exit $?`: ending it with `return 0` keeps a step that finds
  // nothing to do (killall with no such process, exit 1) from failing the stop it never failed.
  if (sp.status && hasCode(sp.post)) {
    const body = s.initd.text.slice(s.initd.lineEnd(stopFn.body.start), s.initd.lineStart(stopFn.body.end - 1));
    const last = body
      .split(/\r?\n/)
      .reverse()
      .find((l) => l.trim() !== '' && !l.trim().startsWith('#'));
    const ref = `"?\\$\\{?${sp.status}\\}?"?`;
    if (last && new RegExp(`^\\s*(eend|ewend|return)\\s+${ref}(\\s+("[^"]*"|'[^']*'))?\\s*;?\\s*$`).test(last))
      sp.post.push(`${/^\s*/.exec(last)?.[0] || '\t'}return 0`);
  }
  // poolmon's `local pidfile=/run/poolmon.pid`, which only the stop read: the supervisor's stop
  // now names that file, and stop_pre() would keep a local that nothing reads.
  const setsPidLocal = (l: string) => !!pidLocal && new RegExp(`^\\s*(local\\s+)?${pidLocal}=\\S+\\s*$`).test(l);
  if (pidLocal && ![...sp.pre, ...sp.post].some((l) => !setsPidLocal(l) && new RegExp(`\\$\\{?${pidLocal}\\b`).test(l)))
    sp.pre = sp.pre.filter((l) => !setsPidLocal(l));
  if (legacy) {
    sp.pre = sp.pre.filter((l) => !legacy!.lines.includes(l));
    notes.push(
      `stop() stopped through ${legacy.path} instead of pidfile when that file existed: a pid file of an older version of the script, which nothing in it names now and which the daemon, told no pid file, does not write (rule); the supervisor's stop uses its own pid file, so a daemon an older script started with that file is not stopped by it: stop such a daemon before migrating (migrate --restart stops the service with the script as it was)`,
    );
  }
  // The stop's exit status read right after it: in stop_post() `$?` is no longer the stop's.
  // knot's `ewend $?` after its `fi`: the status of the stop, now the supervisor's, which
  // openrc-run reports itself.
  if (
    (fallback || ctlOnly) &&
    sp.post.filter((l) => l.trim() !== '').length === 1 &&
    /^\s*e(w)?end\s+"?\$\{?\?\}?"?\s*$/.test(sp.post.find((l) => l.trim() !== '')!)
  )
    sp.post = [];
  const afterStop = sp.post.find((l) => !/^\s*#/.test(l));
  if (afterStop && /\$\?|\$\{\?\}/.test(afterStop))
    return refuse(
      `stop() reads the stop's exit status after it (${afterStop.trim().slice(0, 60)}); in stop_post() that status is gone`,
    );
  const across = localAcross(sp.pre, sp.post);
  if (across)
    return refuse(
      `stop() declares ${across} local before it stops the daemon and reads it after: split into stop_pre() and stop_post(), the second would not see its value`,
    );
  // watchdog's `--retry $(get_delay)` (the check interval its configuration file sets, 10 s
  // by default): supervise-daemon takes its stop schedule when it starts the daemon
  // (supervise_start passes --retry; supervise_stop passes none), start-stop-daemon when it
  // stops it (ssd_stop). openrc-run runs start_pre()/stop_pre() in the shell that then runs
  // start/stop, so each sets retry for the backend that reads it then: the same computation,
  // at start from the configuration the daemon was started with.
  const retryLine = computedRetry
    ? `${/^\s*/.exec(s.initd.text.slice(s.initd.lineStart(stopper.start), stopper.start))?.[0] || '\t'}retry="${unquoted(computedRetry)}"`
    : undefined;
  if (retryLine) sp.pre.push(retryLine);
  const ownPre = hasCode(sp.pre) && s.defines('stop_pre') ? keepOwnHook(s, file, 'stop_pre') : undefined;
  for (const [name, body] of [
    ['stop_pre', sp.pre],
    ['stop_post', sp.post],
  ] as const)
    if (hasCode(body) && s.defines(name) && !(name === 'stop_pre' && ownPre))
      return refuse(`stop() has steps for ${name}(), which the script defines already`);
  const startPre = retryLine ? fnText('start_pre', [retryLine.replace(/^\s*/, '\t')], eol) + eol : '';
  edits.push(
    replaceFunction(
      s,
      file,
      stopFn,
      startPre + fnPair(['stop_pre', ownPre ? ownPre.callFirst(sp.pre) : sp.pre], ['stop_post', sp.post], eol),
    ),
  );
  if (retryLine)
    notes.push(
      `stop()'s --retry ${computedRetry} is computed when the service starts, in start_pre() (supervise-daemon takes its stop schedule when it starts the daemon), and again when it stops, in stop_pre() (start-stop-daemon's stop reads retry then): retry=${unquoted(computedRetry!)} in both`,
    );
  if (ownPre) {
    edits.push(ownPre.edit);
    notes.push(ownPre.note('stop'));
  }
  // Said only of the functions written (fnText writes none for comments alone: libvirt-snmp's
  // stop() kept a comment beside its stop, and no stop_pre() was written).
  const written = [
    hasCode(sp.pre.filter((l) => l !== retryLine)) && 'stop_pre()',
    hasCode(sp.post) && 'stop_post()',
  ].filter(Boolean);
  if (written.length) notes.push(`stop()'s other steps are now ${written.join('/')}`);
}

/**
 * The script's own start_pre() (stop_pre()) when start() (stop()) has steps for that name too
 * (apcupsd's start_pre() makes /run/apcupsd, its start() removes a flag file and makes the
 * same directory again): openrc-run.sh runs `start_pre || exit $?` and then `start`. Its
 * definition is renamed in place (script_start_pre), and the new start_pre() calls it first with
 * `script_start_pre || return $?`: it runs as before, in the same shell and with no arguments,
 * and its failure still ends the start, with its status, before start()'s steps. Only a single
 * plain `name() {` at the top level, which nothing calls by name, and a new name nothing uses.
 */
function keepOwnHook(
  s: Service,
  file: string,
  name: 'start_pre' | 'stop_pre',
): { edit: Edit; callFirst: (body: string[]) => string[]; note: (fn: string) => string } | undefined {
  const defs = s.initd.functions.filter((f) => f.name === name);
  if (defs.length !== 1) return undefined;
  const f = defs[0];
  const t = s.initd.text;
  if (s.initd.lineStart(f.start) !== f.start || !t.startsWith(name, f.start)) return undefined;
  if (!/^[ \t]*\([ \t]*\)/.test(t.slice(f.start + name.length))) return undefined;
  // A top-level statement of its own, not inside an if/case/loop (sssd defines start() under a condition).
  if (!s.initd.topStatements.some((x) => x.start === f.start)) return undefined;
  if (s.initd.commands.some((c) => c.name === name)) return undefined;
  const renamed = `script_${name}`;
  const used = new RegExp(`(^|[^\\w])${renamed}([^\\w]|$)`);
  if (used.test(t) || (s.confd && used.test(s.confd.text))) return undefined;
  return {
    edit: { file, start: f.start, end: f.start + name.length, text: renamed },
    callFirst: (body) => [`${/^\s*/.exec(body[0] ?? '')?.[0] || '\t'}${renamed} || return $?`, ...body],
    note: (fn) =>
      `the script's own ${name}() is now ${renamed}(), called first by the ${name}() that holds what ${fn}() did before ${fn === 'start' ? 'the launch' : 'the stop'}: openrc-run runs ${name} || exit $? and then ${fn}, so its failure still ends the ${fn} before those steps, with its status`,
  };
}

/**
 * A restart() that only stops and starts is what openrc-run does anyway: it goes. One that does
 * more never ran either: openrc-run handles restart itself (stop, then start, with their
 * dependencies), and a script's restart() "cannot be overridden" (openrc-run(8); openrc-run.c
 * svc_restart()). It stays as it is, said so, unless the script's own code calls it.
 */
function removeRestart(s: Service, file: string, notes: string[], edits: Edit[]): Refusal | void {
  const restart = s.initd.fn('restart');
  if (!restart) return;
  const rc = s.initd.commands.filter((c) => c.fn === 'restart' && !CHATTER.has(c.name));
  if (!rc.every((c) => /^(stop|start|svc_stop|svc_start|sleep)$/.test(c.name))) {
    if (s.initd.commands.some((c) => c.name === 'restart' && c.fn !== 'restart'))
      return refuse('custom restart() does more than stop and start, and the script calls it itself');
    notes.push(
      'restart() is left as it is: openrc-run never runs it (restart cannot be overridden: openrc-run stops and starts the service itself, openrc-run(8)), before the migration or after',
    );
    return;
  }
  if (!ownsItsLines(s, restart)) return refuse('restart() shares its lines with other code');
  edits.push(replaceFunction(s, file, restart, ''));
  const paused = rc.some((c) => c.name === 'sleep');
  notes.push(
    `restart() only stopped and started${paused ? ' (with a pause between)' : ''}: removed (openrc-run does that itself${paused ? ', without the pause' : ''})`,
  );
}

/** Step: custom start()/stop() bypass the supervisor; convert them or refuse with the reason. */
export function customStartStep(ctx: StepContext, d: Draft): Refusal | void {
  const guarded = guardedConversion(ctx, convertCustomStart);
  const r = guarded ?? convertCustomStart(ctx);
  if (r === null) return;
  if (r === 'oneshot')
    return {
      kind: 'refuse',
      code: 'oneshot',
      reason:
        'one-shot service: no `command`; its start() runs programs that finish, so there is no daemon to supervise',
      suggestion: 'nothing to do: only long-running daemons benefit from supervise-daemon',
    };
  if ('kind' in r) return r;
  d.converted = r;
  d.notes.push(
    guarded
      ? "start()'s launch and stop()'s stop replaced by default_start and default_stop (command/command_args say what they run), so that the supervisor starts the daemon"
      : `custom ${
          ['start', 'stop']
            .filter((f) => ctx.service.defines(f))
            .map((f) => `${f}()`)
            .join(' and ') || 'start()/stop()'
        } replaced by command/command_args, so that the supervisor starts the daemon`,
    ...r.notes,
  );
  for (const c of ctx.service.ssdCalls.filter((x) => stoppedOnlyRun(ctx.service, x)))
    d.notes.push(
      `${c.cmd.fn}() keeps its start-stop-daemon --start: openrc-run runs it only while the service is stopped (extra_stopped_commands), when no supervisor runs, and it runs the program in the foreground to its end, as before`,
    );
  d.initdReasons.unshift('custom start()/stop() must be replaced in init.d');
}

/**
 * ser2net's and ttyd's `config_check()`, which start() calls before the launch: it builds
 * command_args (`command_args="${EXTRA_OPTS}"`, then `command_args="${command_args} -p
 * ${CONTROL_PORT}"` under conditions), and the launch passes `${command_args}` plus static words
 * (`-P "${pidfile}"`). In start_pre() the function still sets command_args, in the shell whose
 * default_start then reads it (openrc-run.sh runs start_pre, start and start_post as functions
 * of one shell; supervise_start and ssd_start expand $command_args in their eval), so the daemon
 * gets the words config_check() built, as the launch did. That holds only where those words
 * cannot hold what the conversion must move (the daemon's daemonize and pid file options, which
 * the rule names): every word each assignment adds is a literal that is not one of them, or a
 * variable that no function sets and whose value (conf.d's) holds none of them and nothing
 * OpenRC's eval would read as shell, or a variable set only in functions from such words.
 * Returns the names of the functions that set command_args, or why not.
 */
function commandArgsBuiltAtStart(
  s: Service,
  rule: StepContext['rule'],
  start: FunctionDef,
  launch: Command,
  args: readonly Token[],
): { fns: string[] } | string {
  if (!rule || rule.refuse || rule.foreground === undefined)
    return "no rule says which of the daemon's options daemonize it or name its pid file";
  const own = (t: string) => /^\$\{?command_args\}?$/.test(t);
  const at = args.filter((a) => own(a.text));
  if (at.length !== 1 || args.some((a) => !own(a.text) && referencedVars(a.text).includes('command_args')))
    return 'the launch passes command_args other than as one unquoted ${command_args} word';
  const sets = s.initd.assignments.filter((a) => a.name === 'command_args');
  if (
    s.initd.assignments.some((a) => a.fn === null && a.name === 'command_args') ||
    s.confd?.assignments.some((a) => a.name === 'command_args') ||
    s.rcconf.some((f) => f.assignments.some((a) => a.name === 'command_args'))
  )
    return 'command_args is also set outside the function';
  if (
    [s.initd, ...(s.confd ? [s.confd] : []), ...s.rcconf].some((f) =>
      f.commands.some((c) => c.name === '.' || c.name === 'source' || (c.name === 'eval' && !c.subshell)),
    )
  )
    return 'the script also sources a file or runs eval, which may set it';
  const fns = [...new Set(sets.map((a) => a.fn!))];
  if (fns.some((fn) => fn === 'start' || /^(start|stop)_(pre|post)$/.test(fn) || !calledBefore(s, start, launch, fn)))
    return 'command_args is set by a function start() does not call before the launch';
  if (sets.some((a) => a.form !== 'assign' || a.declaration || s.initd.setsLocal(a)))
    return 'command_args is declared or set through a default';
  // The other words of the launch are static: they read nothing a function sets.
  const setInFn = (v: string) => s.initd.assignments.some((a) => a.name === v && a.fn !== null);
  const other = args.find((a) => !own(a.text) && referencedVars(a.text).some(setInFn));
  if (other) return `the launch also passes ${other.text}, which a function sets`;
  const specs = rule.backgroundFlags ?? [];
  const isFlag = (w: string) =>
    specs.some(
      (f) =>
        w === f.flag ||
        (f.value && w.startsWith(`${f.flag}=`)) ||
        (/^-[^-]$/.test(f.flag) && new RegExp(`^-[A-Za-z0-9]*${f.flag[1].replace(/\W/g, '\\$&')}`).test(w)),
    );
  const seen = new Set<string>();
  /** A variable's value and, where functions set it, their values too. */
  const refOk = (r: string, w: string, oneWord: boolean, depth: number): string | undefined => {
    if (r === 'command_args') return `it reads \${command_args} inside ${w}`;
    if (OPENRC_VARS.test(r)) return `it reads \${${r}}, a name OpenRC itself sets`;
    const value = s.value(r);
    if (value === null) return `it reads \${${r}}, whose value is not known here`;
    if (value !== undefined) {
      if (EVAL_SPECIAL.test(value) || (oneWord && /[ \t]/.test(value)))
        return `it reads \${${r}}, whose value ${JSON.stringify(value)} OpenRC's eval would read as shell`;
      const flag = value.split(/[ \t]+/).find(isFlag);
      if (flag) return `it reads \${${r}}, whose value holds ${flag}, a daemonize or pid file option`;
    }
    if (seen.has(r) || !setInFn(r)) return undefined;
    seen.add(r);
    const own = s.initd.assignments.filter((a) => a.name === r);
    if (depth > 2 || own.some((a) => a.fn === null || a.form !== 'assign' || a.declaration))
      return `it reads \${${r}}, which is set in a way rc-supervise does not follow`;
    for (const a of own) {
      const why = wordsOk(a.value.text, depth + 1);
      if (why) return why;
    }
    return undefined;
  };
  const wordsOk = (text: string, depth: number): string | undefined => {
    let v = text;
    if (/^"[^"]*"$/.test(v)) v = v.slice(1, -1);
    // ttyd's `${PTY/\/dev\/}`: a pattern operation on one variable, its pattern without blanks
    // or expansions. The variable's value must then be one safe field, and the word must not
    // start with the operation (a literal before it, `/dev/`, keeps it from being an option).
    const ops: { name: string; word: string }[] = [];
    v = v.replace(/\$\{([A-Za-z_]\w*)([/#%][^}\s"'`$]*)\}/g, (_m, name: string) => {
      ops.push({ name, word: '' });
      return `\u0000${ops.length - 1}\u0000`;
    });
    if (/["'`\\]|\$\(/.test(v)) return `it is written with quotes or a command substitution (${text})`;
    for (const w of v.split(/[ \t]+/).filter(Boolean)) {
      if (own(w)) continue;
      for (const m of w.matchAll(/\u0000(\d+)\u0000/g)) {
        if (w.startsWith('\u0000') && specs.length)
          return `it adds a word that starts with a pattern operation on \${${ops[+m[1]].name}}`;
        const why = refOk(ops[+m[1]].name, w, true, depth);
        if (why) return why;
      }
      const plain = w.replace(/\u0000\d+\u0000/g, 'x');
      const refs = referencedVars(plain);
      if (!refs.length) {
        if (isFlag(plain)) return `it adds ${w}, which the daemon takes as a daemonize or pid file option`;
        if (EVAL_SPECIAL.test(plain)) return `it adds ${w}, which OpenRC's eval would read as shell`;
        continue;
      }
      if (/\$\{[^}]*[^\w}]/.test(plain))
        return `it reads a variable through an operation rc-supervise does not follow (${w})`;
      for (const r of refs) {
        const why = refOk(r, w, false, depth);
        if (why) return why;
      }
    }
    return undefined;
  };
  for (const a of sets) {
    const why = wordsOk(a.value.text, 0);
    if (why) return `${a.fn}() sets command_args, but ${why}`;
  }
  return { fns };
}

/** A value as written, cut at 60 characters. */
function commandExcerptText(text: string): string {
  const one = text.replace(/\s+/g, ' ');
  return one.length > 60 ? `${one.slice(0, 57)}...` : one;
}
