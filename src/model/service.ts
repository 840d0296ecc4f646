import type { Assignment, Command, ShellFile, Word } from '../parse/shellfile.js';
import { evalWords, evalWordsWith, expandStatic, splitValue, unquoted } from '../parse/words.js';
import { parseOptions, type ParsedArgs } from './options.js';

/** A `start-stop-daemon` call found anywhere in the init script. */
export interface SsdCall {
  cmd: Command;
  /** argv after argv[0], as static text where it can be known (quotes removed). */
  args: string[];
  parsed: ParsedArgs;
  kind: 'start' | 'stop' | 'signal' | 'status' | 'other';
  /** The signal as written (e.g. `HUP`, `"${SIG}"`), for kind 'signal'. */
  signal?: string;
}

/**
 * A call that signals the daemon through its pidfile. Under supervise-daemon the pidfile
 * holds the supervisor's pid, which ignores HUP/USR1/... (docs/openrc.md §3).
 */
export interface SignalCall {
  cmd: Command;
  /** The signal as written, without a leading dash (`HUP`, `SIGUSR1`, `1`, `"${SIG}"`). */
  signal: string;
  via: 'start-stop-daemon' | 'kill' | 'pkill';
}

export interface SupervisorFact {
  /** Static value in effect, or null when it cannot be known statically. */
  value: string | null;
  /** Where the effective value comes from. */
  where: 'init.d' | 'conf.d' | 'default';
  /** True when init.d leaves the choice to conf.d (no plain top-level override). */
  confdCanDecide: boolean;
  /** The init.d assignment that sets it, if any. */
  initdAssignment?: Assignment;
  confdAssignment?: Assignment;
}

/** Variables a service's shell code sets, resolved statically (null = known to be dynamic). */
export type Env = Map<string, string | null>;

/**
 * The facts rules read: one service, init.d and conf.d together, in OpenRC's load order
 * (conf.d first, then the init script, whose plain assignments win).
 */
export class Service {
  readonly env: Env;
  readonly ssdCalls: SsdCall[];
  /** Every call in a function that signals the daemon via its pidfile (s-s-d, kill, pkill). */
  readonly signalCalls: SignalCall[];
  readonly supervisor: SupervisorFact;
  /**
   * Variables OpenRC's start/stop depend on whose value rc-supervise cannot read statically
   * with certainty, with the reason: they are null in `env` (unknown, never empty), and a
   * migration that would rely on them is refused.
   */
  readonly unknown: Map<string, string>;

  constructor(
    readonly name: string,
    readonly initd: ShellFile,
    readonly confd: ShellFile | null,
    /** rc.conf and friends, sourced before conf.d (may be empty). */
    readonly rcconf: ShellFile[] = [],
  ) {
    this.env = evaluate([...rcconf, ...(confd ? [confd] : []), initd], name);
    this.unknown = unknownValues([...(confd ? [confd] : []), initd]);
    for (const n of this.unknown.keys()) this.env.set(n, null);
    this.ssdCalls = initd.commands.filter((c) => c.name === 'start-stop-daemon').map(toSsdCall);
    this.supervisor = supervisorFact(this);
    this.signalCalls = [
      ...this.ssdCalls
        .filter((c) => c.kind === 'signal' && c.cmd.fn !== null)
        .map((c): SignalCall => ({ cmd: c.cmd, signal: c.signal!, via: 'start-stop-daemon' })),
      ...initd.commands.flatMap((c) =>
        c.fn === null ? [] : killCall(c, this.value('pidfile'), (x) => this.expand(x)),
      ),
    ].sort((a, b) => a.cmd.start - b.cmd.start);
  }

  /**
   * The `kill`/`pkill` calls that signal through `pidfile`, a pid file the script names only in
   * a start-stop-daemon call (a custom start() converted to pidfile=: icinga's reload(),
   * `kill -HUP \`cat /var/run/icinga/icinga.lock\``). signalCalls has those only for pidfile=.
   */
  killCallsThrough(pidfile: string): SignalCall[] {
    if (this.value('pidfile') !== undefined) return [];
    // One reading ${pidfile} is in signalCalls already: each command once (two edits of one span would overlap).
    const known = new Set(this.signalCalls.map((c) => c.cmd.start));
    return this.initd.commands.flatMap((c) =>
      c.fn === null || known.has(c.start) ? [] : killCall(c, pidfile, (x) => this.expand(x)),
    );
  }

  /** Static value of a variable after everything is sourced (undefined: unset; null: dynamic). */
  value(name: string): string | null | undefined {
    return this.env.has(name) ? this.env.get(name)! : undefined;
  }

  /**
   * The words `eval` makes of a variable's value; null when dynamic or unparseable. A
   * reference the value still holds (`command_args="\${opts}"`, read at start time) is
   * expanded as the eval does, with the static values; a variable some function sets is
   * unknown there (start_pre() may have set it), never empty.
   */
  words(name: string): string[] | null {
    const v = this.value(name);
    if (v === undefined) return [];
    if (v === null) return null;
    if (!/\$/.test(v)) return evalWords(v);
    return evalWordsWith(v, (n) =>
      this.initd.assignments.some((a) => a.name === n && a.fn !== null && !this.initd.setsLocal(a))
        ? null
        : this.env.get(n),
    );
  }

  /** A word's static value with this service's variables (null: not static). */
  expand(text: string): string | null {
    // An unknown (null) variable makes the word unknown, never empty.
    return expandStatic(text, (n) => this.env.get(n));
  }

  isSet(name: string): boolean {
    return this.env.has(name);
  }

  /** Top-level functions the init script defines. */
  defines(fn: string): boolean {
    return this.initd.functions.some((f) => f.name === fn);
  }

  get command(): string | null | undefined {
    return this.value('command');
  }

  /** Basename of the daemon binary, when static. */
  get daemon(): string | undefined {
    const c = this.command;
    if (!c) return undefined;
    const w = evalWords(c)?.[0];
    return w ? w.slice(w.lastIndexOf('/') + 1) : undefined;
  }

  get supervised(): boolean {
    return this.supervisor.value === 'supervise-daemon';
  }

  /** Plain top-level assignments of `name` in init.d (form 'assign'). */
  initdAssignments(name: string): Assignment[] {
    return this.initd.topLevel(name, 'assign');
  }

  confdAssignments(name: string): Assignment[] {
    return this.confd?.topLevel(name, 'assign') ?? [];
  }
}

/** The variables whose value decides the command lines OpenRC builds (docs/openrc.md §2). */
export const DECISIVE = [
  'command',
  'command_args',
  'command_args_background',
  'command_args_foreground',
  'command_background',
  'pidfile',
  'supervisor',
  'start_stop_daemon_args',
  'supervise_daemon_args',
];

/**
 * Where a decisive variable is set in a way a static reading gets wrong: `$'…'` (bash
 * quoting, dash keeps the `$`), escaped blanks (`-p\ ${pidfile}`: one word for the
 * assignment, two for eval), a command substitution, an assignment inside a function
 * (start_pre() runs after the values were read here), or an `eval` that may set anything.
 */
/** Variables whose words are split and searched for flags: a computed value hides them. */
const SPLIT = new Set([
  'command_args',
  'command_args_background',
  'command_args_foreground',
  'start_stop_daemon_args',
  'supervise_daemon_args',
  'supervisor',
]);

/**
 * Programs that print one value (a path, a host or user name, a number): what a command
 * substitution of one of them gives is a word, not a list of options.
 */
const ONE_VALUE = new Set([
  'basename',
  'dirname',
  'getconf',
  'hostname',
  'id',
  'nproc',
  'readlink',
  'realpath',
  'uname',
  'whoami',
]);

/**
 * True when every command substitution in the value runs a program of ONE_VALUE and is an
 * option's argument: the word holding it follows an option word (filebeat's
 * `-path.config $(dirname $FILEBEAT_CONFIG)`, rp-pppoe's `-C ${AC_NAME:-$(hostname)}`) or is
 * glued to one (`--config=$(…)`). Such a value is unknown, as a conf.d variable set by a
 * substitution is (never empty), but it hides no options: the steps read the words around
 * it, and the migration goes on. Any other substitution (`$(cat /etc/x.args)`, a function of
 * the script, one standing alone) may expand to any options, the daemonize flag among them:
 * unknown, and refused.
 */
function substitutionsAreOptionValues(v: Assignment['value']): boolean {
  const tokens = splitValue(v.text, v.start, v.quote);
  if (!tokens) return false;
  return tokens.every((t, i) => {
    const at = t.text.search(/\$\(|`/);
    if (at < 0) return true;
    const programs = [...t.text.matchAll(/\$\(\s*([^\s()`;|&<>]*)|`\s*([^\s()`;|&<>]*)/g)].map((m) => m[1] ?? m[2]);
    if (!programs.every((p) => ONE_VALUE.has(p)) || /[;|&<>]/.test(t.text)) return false;
    const glued = /^["']?--?[A-Za-z][\w.-]*=/.exec(t.text);
    if (glued) return glued[0].length <= at;
    const before = i > 0 ? unquoted(tokens[i - 1].text) : '';
    return /^-[A-Za-z-]/.test(before) && before !== '--' && !/^["']?-/.test(t.text);
  });
}

function unknownValues(files: ShellFile[]): Map<string, string> {
  const out = new Map<string, string>();
  const decisive = new Set(DECISIVE);
  for (const f of files) {
    const at = (o: number) => `${f.path}:${f.lineCol(o).line}`;
    for (const c of f.commands) {
      if (c.name !== 'eval' || c.subshell) continue;
      // `eval conf=\$config_${IFVAR}` sets conf: harmless. `eval "supervisor=…"` names what
      // OpenRC reads. Computed code (`eval $x`) may set anything: at the top level it runs
      // whenever the script is sourced, so everything is unknown; inside a function (drbd's
      // `eval $CMD`, `eval ${test_command}`) it runs commands of that function, and only a
      // name written out counts.
      const code = c.words
        .slice(1)
        .map((w) => w.text)
        .join(' ');
      const lhs = code.includes('=') ? code.slice(0, code.indexOf('=')) : code;
      const names =
        /[$`]/.test(lhs) && c.fn === null
          ? DECISIVE
          : DECISIVE.filter((n) => new RegExp(`\\b${n}\\s*\\+?=`).test(code));
      for (const n of names)
        if (!out.has(n)) out.set(n, `eval at ${at(c.start)} may set it; rc-supervise cannot read that statically`);
    }
    for (const a of f.assignments) {
      if (!decisive.has(a.name) || out.has(a.name)) continue;
      const v = a.value;
      let why: string | undefined;
      // An append in a function (`command_args="${command_args} -n ${src}"`, rngd's start_pre)
      // keeps the top-level words as they are read here; one that replaces the value, or
      // appends the pidfile, is unknown.
      const appends = new RegExp(`^"?\\$\\{?${a.name}\\}?[\\s"]`).test(v.text) && !/\$\{?pidfile\b/.test(v.text);
      // `local command=${1}` in a helper function is that function's own variable.
      if (a.fn !== null && !appends && !f.setsLocal(a))
        why = `set inside ${a.fn}() at ${at(a.start)}, which runs only when the service does`;
      else if (f.bashisms.some((b) => b.what.startsWith("$'") && b.start >= v.start && b.end <= v.end))
        why = `$'…' quoting at ${at(v.start)} (bash only: dash keeps the $)`;
      else if (v.quote !== 'double' && v.quote !== 'single' && /\\[ \t]/.test(v.text))
        why = `an escaped blank at ${at(v.start)} (one word for the assignment, split again by OpenRC's eval)`;
      else if (
        /\$\(|`/.test(v.text) &&
        v.quote !== 'single' &&
        SPLIT.has(a.name) &&
        !(a.fn === null && substitutionsAreOptionValues(v))
      )
        why = `computed by a command substitution at ${at(v.start)}`;
      else if (/^\\\r?\n/.test(f.text.slice(v.end, v.end + 3)))
        why = `a line continuation right after the value at ${at(v.end)} (the next line continues the statement)`;
      if (why) out.set(a.name, why);
    }
  }
  return out;
}

function evaluate(files: ShellFile[], svc: string): Env {
  const env: Env = new Map();
  env.set('RC_SVCNAME', svc);
  env.set('SVCNAME', svc);
  env.set('RC_PREFIX', '');
  const lookup = (n: string) => {
    const v = env.get(n);
    return v === null ? undefined : v;
  };
  for (const f of files) {
    const list = f.assignments.filter((a) => a.fn === null).sort((a, b) => a.start - b.start);
    for (const a of list) {
      const known = env.get(a.name);
      if (a.form === 'default' && known !== undefined && known !== '') continue;
      // A value that needs a variable we only know as dynamic is itself dynamic.
      const usesDynamic = [...a.value.text.matchAll(/\$\{?([A-Za-z_]\w*)/g)].some((m) => env.get(m[1]) === null);
      if (a.guard && !a.plain) {
        // `if [ "$supervisor" = supervise-daemon ]; then pidfile=...; fi` (what rc-supervise writes)
        const g = env.get(a.guard.name);
        if (g === null) env.set(a.name, null);
        else if ((g ?? '') === a.guard.value) env.set(a.name, usesDynamic ? null : expandStatic(a.value.text, lookup));
        continue;
      }
      const v = !a.plain || usesDynamic ? null : expandStatic(a.value.text, lookup);
      env.set(a.name, v);
    }
  }
  return env;
}

const PIDFILE_VAR = String.raw`["']?\$\{?pidfile\}?["']?`;

/**
 * True for `$(cat "$pidfile")`, `` `cat ${pidfile}` ``, `$(cat /run/x.pid)` naming the pidfile,
 * and bash's `$(< ${pidfile})` (carbon-c-relay's reload(): the same read without cat; under
 * dash it reads nothing, and the kill fails as it did before).
 */
type Expand = (text: string) => string | null;

/** One file under both names (/var/run is /run on every current OpenRC system), as the pidfile step reads them. */
const runPath = (p: string) => p.replace(/^\/var\/run\//, '/run/');

function readsPidfile(text: string, pidfile: string | null | undefined, expand?: Expand): boolean {
  const m = /^"?(?:\$\(\s*(?:cat\s+|<\s*)([^)<>]*?)\s*\)|`\s*(?:cat\s+|<\s*)([^`<>]*?)\s*`)"?$/.exec(text);
  if (!m) return false;
  const arg = (m[1] ?? m[2]).trim();
  if (new RegExp(`^${PIDFILE_VAR}$`).test(arg)) return true;
  // `$(cat "${FOO_PIDFILE}")` where FOO_PIDFILE holds the same path as pidfile.
  const value = expand ? expand(arg) : unquoted(arg);
  return !!pidfile && !!value && runPath(value) === runPath(pidfile);
}

function isPidfileWord(text: string, pidfile: string | null | undefined, expand?: Expand): boolean {
  if (new RegExp(`^${PIDFILE_VAR}$`).test(text)) return true;
  const value = expand ? expand(text) : unquoted(text);
  return !!pidfile && !!value && runPath(value) === runPath(pidfile);
}

/** `kill -HUP $(cat "$pidfile")`, `kill -s USR1 ...`, `pkill -HUP -F "$pidfile"`. */
function killCall(cmd: Command, pidfile: string | null | undefined, expand?: Expand): SignalCall[] {
  const w = cmd.words.map((x) => x.text);
  if (cmd.name === 'kill') {
    let sig: string | undefined;
    let i = 1;
    for (; i < w.length; i++) {
      const a = w[i];
      if (a === '--') {
        i++;
        break;
      }
      if ((a === '-s' || a === '-n') && i + 1 < w.length) sig = w[++i];
      else if (/^-[A-Za-z0-9]+$/.test(a) && a !== '-l') sig = a.slice(1);
      else break;
    }
    const targets = w.slice(i);
    if (!sig || targets.length !== 1 || !readsPidfile(targets[0], pidfile, expand)) return [];
    // TERM/KILL stop (the stop step's business); 0 only asks whether the process lives.
    if (/^(SIG)?(TERM|KILL)$|^(15|9|0)$/i.test(sig)) return [];
    return [{ cmd, signal: sig, via: 'kill' }];
  }
  if (cmd.name === 'pkill') {
    let sig: string | undefined;
    let file = false;
    for (let i = 1; i < w.length; i++) {
      const a = w[i];
      if ((a === '-F' || a === '--pidfile') && i + 1 < w.length) file = isPidfileWord(w[++i], pidfile, expand) || file;
      else if (a.startsWith('--pidfile=')) file = isPidfileWord(a.slice(10), pidfile, expand) || file;
      else if (a === '--signal' && i + 1 < w.length) sig = w[++i];
      else if (/^-[A-Z0-9]+$/.test(a) && !/^-[FU]$/.test(a)) sig = a.slice(1);
    }
    if (!sig || !file || /^(SIG)?(TERM|KILL)$|^(15|9|0)$/i.test(sig)) return [];
    return [{ cmd, signal: sig, via: 'pkill' }];
  }
  return [];
}

function unquote(w: Word): string {
  const words = evalWords(w.text);
  return words && words.length === 1 ? words[0] : w.text;
}

function toSsdCall(cmd: Command): SsdCall {
  const args = cmd.words.slice(1).map(unquote);
  // start-stop-daemon reads its options with getopt_long, which takes a unique abbreviation
  // (gross's `--pid "${GROSS_PID}"` is --pidfile): read as it does, or the words after one are
  // taken for operands and the --exec after them is never seen.
  const parsed = parseOptions(args, undefined, { abbreviations: true });
  const has = (long: string) => parsed.options.some((o) => o.spec.long === long);
  const sig = parsed.options.find((o) => o.spec.long === 'signal');
  let kind: SsdCall['kind'] = 'other';
  if (has('start')) kind = 'start';
  else if (sig && !isStopSignal(sig.value) && !has('retry')) kind = 'signal';
  else if (has('stop')) kind = 'stop';
  else if (sig) kind = 'signal';
  else if (optionsKnown(args, parsed)) kind = 'start';
  let signal: string | undefined;
  if (sig) {
    const written = sig.valueIndex !== undefined ? cmd.words[sig.valueIndex + 1].text : (sig.value ?? '');
    signal = written;
  }
  return { cmd, args, parsed, kind, signal };
}

/**
 * OpenRC's start-stop-daemon starts when told neither --start, --stop nor --signal: main()
 * takes its stop path only for `stop || sig != -1` and otherwise goes on to start the program
 * (src/start-stop-daemon/start-stop-daemon.c; docs/openrc.md §2). fem-overlay's acme-dns runs
 * `start-stop-daemon -x "${command}" -b -m ... -- ${command_args}` that way. Only said when every
 * word where an option may stand is read: `start-stop-daemon ${STARTOPTS} -- ...` (dnetc) may
 * hold --stop, so it stays unknown.
 */
function optionsKnown(args: string[], parsed: ParsedArgs): boolean {
  const at = parsed.operandsAt;
  const values = new Set(parsed.options.map((o) => o.valueIndex));
  // An option word itself built from a variable (`-$X`, `--$MODE`): its meaning is not known.
  for (let i = 0; i < at; i++) if (!values.has(i) && args[i].replace(/=[^]*$/, '').includes('$')) return false;
  // The first operand, unless `--` came before it: a variable there may expand to options.
  return at >= args.length || args[at - 1] === '--' || !args[at].includes('$');
}

/** `--stop --signal TERM` stops; `--signal HUP` (with or without --stop) only signals. */
function isStopSignal(sig: string | undefined): boolean {
  if (!sig) return true;
  return /^(SIG)?(TERM|KILL|INT|QUIT)$|^(15|9|2|3)$/i.test(sig);
}

function supervisorFact(s: Service): SupervisorFact {
  const initdAs = s.initdAssignments('supervisor');
  const confdAs = s.confdAssignments('supervisor');
  const overriding = initdAs.filter((a) => a.plain && !/\$\{?supervisor\b/.test(a.value.text));
  const initdAssignment = initdAs[initdAs.length - 1];
  const confdAssignment = confdAs[confdAs.length - 1];
  const value = s.value('supervisor');
  const where: SupervisorFact['where'] = overriding.length
    ? 'init.d'
    : confdAssignment
      ? 'conf.d'
      : initdAssignment || s.initd.topLevel('supervisor', 'default').length
        ? 'init.d'
        : 'default';
  return {
    value: value === undefined ? 'start-stop-daemon' : value,
    where,
    confdCanDecide: overriding.length === 0,
    initdAssignment,
    confdAssignment,
  };
}
