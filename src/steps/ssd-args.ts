import { MISREAD_SHORT, REDUNDANT, SHARED_MEANING, SSD_OPTIONS, parseOptions } from '../model/options.js';
import type { Service } from '../model/service.js';
import type { Draft, Refusal, StepContext } from './types.js';
import { referencedVars } from './emit.js';
import { evalWords, evalWordsWith, splitValue } from '../parse/words.js';
import type { ShellFile } from '../parse/shellfile.js';

export interface Trap {
  lines: string[];
  note: string;
  /** Word positions (in start_stop_daemon_args's words) kept in supervise_daemon_args. */
  keptAt: number[];
  /** Declarative lines: the variable, its value's word position, and whether it is joined (--user=x). */
  declaredAt: { variable: string; at: number; joined: boolean }[];
  /** start_stop_daemon_args's words (values). */
  words: string[] | null;
  /** The value of a --wait it drops (start-stop-daemon's start failed when the daemon died that soon). */
  waited?: string;
  /** Streams start-stop-daemon hands to a logger process (--stdout-logger/-3, --stderr-logger/-4). */
  loggers?: ('stdout' | 'stderr')[];
  /** Words that are no option (headscale's `serve`): start-stop-daemon passes them to the daemon. */
  operands?: string[];
}

/** start-stop-daemon options that have a declarative variable both backends read. */
export const DECLARATIVE: Record<string, string> = {
  chdir: 'directory',
  user: 'command_user',
  chuid: 'command_user',
  umask: 'umask',
  chroot: 'chroot',
  stdout: 'output_log',
  stderr: 'error_log',
};

/**
 * start_stop_daemon_args reaches supervise-daemon when supervise_daemon_args is unset
 * (docs/openrc.md), and supervise-daemon rejects start-stop-daemon-only options.
 */
export function fallbackTrap(s: Service, emptyIsUnset = false): Trap | null {
  if (s.isSet('supervise_daemon_args') && !(emptyIsUnset && s.value('supervise_daemon_args') === '')) return null;
  if (!s.isSet('start_stop_daemon_args')) return null;
  const words = s.words('start_stop_daemon_args');
  if (words && words.length === 0) return null;
  // clsync's "${cmd_nice} ${cmd_ionice}", sks's "--chdir ${SKS_DIR} --user sks": whatever it
  // holds at run time is options supervise-daemon takes with the same meaning, which it then
  // gets as start-stop-daemon does (supervise-daemon.sh's fallback): nothing to block.
  if (onlySharedOptions(s)) return null;
  // Only option values unknown here (a converted start()'s `--env HOME=\"\${HOME_DIR}\"`, read
  // at start): when every option is one supervise-daemon takes too, nothing needs blocking.
  const shape = words === null ? optionShape(s) : null;
  if (shape && trapFor(s, shape) === null) return null;
  return trapFor(s, words);
}

/**
 * supervise-daemon's long options (its longopts[] and the common ones, OpenRC 0.45 to 0.63):
 * an abbreviation it reads as start-stop-daemon does is a unique prefix of one of these.
 */
const SD_LONG_NAMES = [
  'healthcheck-timer',
  'healthcheck-delay',
  'capabilities',
  'secbits',
  'no-new-privs',
  'respawn-delay',
  'respawn-delay-step',
  'respawn-delay-cap',
  'chdir',
  'env',
  'group',
  'ionice',
  'stop',
  'umask',
  'respawn-max',
  'nicelevel',
  'oom-score-adj',
  'pidfile',
  'respawn-period',
  'retry',
  'chroot',
  'signal',
  'start',
  'user',
  'stdin',
  'stdout',
  'stderr',
  'stdout-logger',
  'stderr-logger',
  'reexec',
  'notify',
  'help',
  'nocolor',
  'version',
  'verbose',
  'quiet',
];

/**
 * Every value start_stop_daemon_args can hold is a run of whole options supervise-daemon takes
 * with the same meaning, each written so it reads them alike (a prefix, `--nice`, only when it
 * names the same option there). Each assignment's value is read with its references standing
 * in: one inside an option's value (`--chdir ${SKS_DIR}`) may hold anything, even a value
 * unknown here; one that is a whole word (`${cmd_nice}`) may hold each value it is assigned
 * anywhere (`[ -n "$X" ] && cmd_nice="--nice $X"`) or nothing, each itself such a run, and is
 * unknown (so false) when nothing here assigns it or a file the script sources may.
 */
function onlySharedOptions(s: Service): boolean {
  const sources = sourcesFiles(s);
  // sks's `source /etc/conf.d/sks` above start_stop_daemon_args="--chdir ${SKS_DIR} --user sks":
  // what the sourced file sets of it is overwritten only by a plain line of the script's below
  // every such command that does not read the value it replaces.
  if (sources) {
    const last = Math.max(
      ...s.initd.commands.filter((c) => c.name === '.' || c.name === 'source').map((c) => (c.fn ? Infinity : c.start)),
    );
    const over = s.initd.assignments.some(
      (a) =>
        a.name === 'start_stop_daemon_args' &&
        a.fn === null &&
        a.plain &&
        a.form === 'assign' &&
        a.start > last &&
        !referencedVars(a.value.text).includes('start_stop_daemon_args'),
    );
    if (!over) return false;
  }
  const active = new Set<string>();
  const runOk = (name: string): boolean => {
    if (active.has(name)) return true; // start_stop_daemon_args="${start_stop_daemon_args} ...": checked as a whole
    const all = assignmentsOf(s, name);
    if (!all.length || (sources && name !== 'start_stop_daemon_args')) return false;
    active.add(name);
    const ok = all.every((a) => a.form === 'assign' && textOk(assigned(a.value.text)));
    active.delete(name);
    return ok;
  };
  // The string an assignment's value makes (what supervise-daemon.sh's eval then reads), kept
  // to values whose quoting is only an outer pair of double quotes: null otherwise.
  const assigned = (text: string): string | null => {
    const inner = /^"([^"\\]*)"$/.exec(text);
    if (inner) return inner[1];
    return /["'\\]/.test(text) ? null : text;
  };
  const textOk = (text: string | null): boolean => {
    if (text === null) return false;
    const refs: { name: string; dflt?: string }[] = [];
    const marked = text.replace(
      /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}$]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
      (_m, a: string | undefined, op: string | undefined, d: string | undefined, b: string | undefined) => {
        refs.push({ name: (a ?? b)!, ...(op !== undefined && { dflt: d }) });
        return `\u0002${refs.length - 1}\u0003`;
      },
    );
    if (/[$`]/.test(marked)) return false;
    const words = evalWords(marked);
    if (!words) return false;
    // A whole-word reference right after an option that wants its value as the next word is
    // that value; any other is a run of its own, left out of the words read here.
    const runs: number[] = [];
    const optionWords = words.filter((w, i) => {
      const m = /^\u0002(\d+)\u0003$/.exec(w);
      if (!m) return true;
      const prev = i > 0 ? parseOptions([words[i - 1]], undefined, { abbreviations: true }).options[0] : undefined;
      if (prev && prev.spec.value && prev.value === undefined) return true;
      runs.push(Number(m[1]));
      return false;
    });
    if (!sharedRun(optionWords)) return false;
    // A value from a variable is one word only when the eval does not split it: quoted there,
    // or holding no blank in any value it is assigned (`--chdir ${DIR}`).
    const blank = refs.some((r, k) => {
      if (runs.includes(k)) return false;
      const at = `\u0002${k}\u0003`;
      const quoted = new RegExp(`'[^']*${at}[^']*'|"[^"]*${at}[^"]*"`).test(marked);
      return (
        !quoted &&
        [r.dflt ?? '', ...assignmentsOf(s, r.name).map((a) => a.value.text.replace(/^(["'])(.*)\1$/s, '$2'))].some(
          (v) => /\s/.test(v.trim()),
        )
      );
    });
    if (blank) return false;
    return runs.every((k) => {
      const r = refs[k];
      if (r.dflt !== undefined && !textOk(/["'\\]/.test(r.dflt) ? null : r.dflt)) return false;
      return (r.dflt !== undefined && !setAnywhere(s, r.name)) || runOk(r.name);
    });
  };
  return runOk('start_stop_daemon_args');
}

/** Words that are whole options supervise-daemon takes alike (markers only inside their values). */
function sharedRun(words: string[]): boolean {
  const p = parseOptions(words, undefined, { abbreviations: true });
  if (p.unknown.length || p.operandsAt < words.length) return false;
  const values = new Set(p.options.flatMap((o) => (o.valueIndex === undefined ? [] : [o.valueIndex])));
  for (const o of p.options) {
    if (!SHARED_MEANING.has(o.spec.long) || REDUNDANT.has(o.spec.long)) return false;
    if (/^-[^-]/.test(o.written) && MISREAD_SHORT.has(o.written[1])) return false;
    if (o.spec.value && o.value === undefined) return false;
    const w = words[o.index];
    // A reference inside the option word itself only in its joined value (`--env=X=${V}`, `-N${V}`).
    const joinedAt = w.startsWith('--') ? w.indexOf('=') : 1;
    if (w.includes('\u0002') && (o.valueIndex !== undefined || joinedAt < 0 || w.indexOf('\u0002') <= joinedAt))
      return false;
    if (w.startsWith('--')) {
      const name = w.slice(2).split('=')[0];
      const hits = SD_LONG_NAMES.filter((n) => n.startsWith(name));
      if (!(SD_LONG_NAMES.includes(name) ? name === o.spec.long : hits.length === 1 && hits[0] === o.spec.long))
        return false;
    }
  }
  return words.every((w, i) => !w.includes('\u0002') || values.has(i) || p.options.some((o) => o.index === i));
}

/**
 * deluged's converted `${DELUGED_UMASK:+--umask ${DELUGED_UMASK}}`, outside quotes: the words
 * inside are given only when the variable is set and non-empty, and are gone otherwise (both
 * supervise-daemon.sh and start-stop-daemon.sh expand the value unquoted in their eval). The
 * text with each such form read as given, its variable's own expansion quoted so that it stays
 * one word (a stand-in, `names`, marks it as unknown); null when a form is not of this shape, or
 * when a value the variable is assigned anywhere holds a blank, which the eval would split.
 */
function givenWhenSet(s: Service, text: string): { text: string; names: Set<string> } | null {
  const names = new Set<string>();
  let bad = false;
  const out = text.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*):\+([^}]*\}?)\}/g,
    (m, n: string, inner: string, at: number) => {
      const before = text.slice(0, at).replace(/'[^']*'/g, '');
      const own = new RegExp(`\\$\\{${n}\\}|\\$${n}(?![A-Za-z0-9_])`, 'g');
      const rest = inner.replace(own, '');
      if ((before.match(/"/g) ?? []).length % 2 || /[$`"'\\{}]/.test(rest)) {
        bad = true;
        return m;
      }
      const blank = assignmentsOf(s, n).some((a) => /\s/.test(a.value.text.replace(/^(["'])(.*)\1$/s, '$2').trim()));
      if (blank) {
        bad = true;
        return m;
      }
      names.add(n);
      return inner.replace(own, `"\${${n}}"`);
    },
  );
  return bad ? null : { text: out, names };
}

/**
 * The words of start_stop_daemon_args when what it reads at start (a function sets it) is only
 * ever inside double quotes, within a word that is an option's value: those words are the
 * options as they will be, whatever the values (a stand-in marks the unknown parts).
 */
function optionShape(s: Service): string[] | null {
  const raw = s.value('start_stop_daemon_args');
  if (typeof raw !== 'string') return null;
  const given = givenWhenSet(s, raw);
  if (!given) return null;
  const v = given.text;
  if (/\$/.test(v.replace(/"[^"]*"|'[^']*'/g, ''))) return null;
  const unknown = '\u0001';
  const words = evalWordsWith(v, (n) =>
    given.names.has(n) || s.initd.assignments.some((a) => a.name === n && a.fn !== null) ? unknown : s.env.get(n),
  );
  if (!words) return null;
  const p = parseOptions(words, undefined, { abbreviations: true });
  const values = new Set(p.options.flatMap((o) => (o.valueIndex === undefined ? [] : [o.valueIndex])));
  return words.every((w, i) => !w.includes(unknown) || values.has(i)) ? words : null;
}

function trapFor(s: Service, words: string[] | null): Trap | null {
  const keep: string[] = [];
  const dropped: string[] = [];
  const declared: string[] = [];
  const keptAt: number[] = [];
  const declaredAt: Trap['declaredAt'] = [];
  // start-stop-daemon's --wait N: start failed when the daemon died within N ms.
  let waited: string | undefined;
  const loggers: ('stdout' | 'stderr')[] = [];
  let operands: string[] = [];
  if (words) {
    // getopt_long takes a unique prefix (`--nice 5` is --nicelevel, collectd's conf.d): kept,
    // it is written out in full, which supervise-daemon surely knows.
    const parsed = parseOptions(words, undefined, { abbreviations: true });
    for (const o of parsed.options) {
      const w0 = words[o.index];
      const name = w0.startsWith('--') ? w0.slice(2).split('=')[0] : '';
      if (name && name !== o.spec.long)
        words[o.index] = `--${o.spec.long}${w0.includes('=') ? w0.slice(w0.indexOf('=')) : ''}`;
      const written = words.slice(o.index, o.index + o.count);
      const short = /^-[^-]/.test(o.written);
      if (REDUNDANT.has(o.spec.long)) continue;
      // --chuid has no supervise-daemon option, but its declarative variable (command_user)
      // both backends read: it is kept that way, not dropped (bopm would run as root).
      const declarable =
        o.spec.long === 'chuid' && o.value !== undefined && !o.value.startsWith('-') && !s.isSet('command_user');
      if (declarable) {
        // Dropped from supervise_daemon_args (whatever supervise-daemon makes of --chuid) and
        // said as command_user, which both backends read.
        dropped.push(written.join(' '));
        if (!declared.some((d) => d.startsWith('command_user='))) {
          declared.push(`command_user="${o.value!.replace(/["\\$`]/g, '\\$&')}"`);
          declaredAt.push({
            variable: 'command_user',
            at: o.valueIndex ?? o.index,
            joined: o.valueIndex === undefined,
          });
        }
        continue;
      }
      if (!SHARED_MEANING.has(o.spec.long) || (short && MISREAD_SHORT.has(o.written[1]))) {
        if (o.spec.long === 'wait' && o.value !== undefined) waited = o.value;
        if (o.spec.long === 'stdout-logger' || o.spec.long === 'stderr-logger')
          loggers.push(o.spec.long === 'stdout-logger' ? 'stdout' : 'stderr');
        dropped.push(written.join(' '));
        continue;
      }
      const variable = DECLARATIVE[o.spec.long];
      // Declarative variables are what both backends read. A value that looks like an option
      // means the words were misread (an empty variable swallowed): keep them as they are.
      if (variable && o.value !== undefined && !o.value.startsWith('-') && !s.isSet(variable)) {
        if (!declared.some((d) => d.startsWith(`${variable}=`))) {
          declared.push(`${variable}="${o.value.replace(/["\\$`]/g, '\\$&')}"`);
          declaredAt.push({ variable, at: o.valueIndex ?? o.index, joined: o.valueIndex === undefined });
        }
      } else {
        keep.push(...written);
        for (let k = 0; k < o.count; k++) keptAt.push(o.index + k);
      }
    }
    operands = words.slice(parsed.operandsAt);
    dropped.push(...parsed.unknown, ...operands);
    if (dropped.length === 0) return null;
  }
  const value = keep.length ? keep.map((w) => shellQuoteWord(w)).join(' ') : ' ';
  const shown = value === ' ' ? '" " (a single space: OpenRC before 0.46 treats "" as unset)' : `"${value}"`;
  const moved = declared.length ? `; ${declared.join(', ')} instead of the option` : '';
  const note = words
    ? `start_stop_daemon_args (${words.join(' ')}) would reach supervise-daemon, which rejects ${dropped.join(', ')}: supervise_daemon_args set to ${shown}${moved}`
    : 'start_stop_daemon_args is computed at run time and would reach supervise-daemon: supervise_daemon_args set so it does not';
  // A single space, not "": OpenRC before 0.46 expands ${supervise_daemon_args:-...}.
  return {
    lines: [...declared, `supervise_daemon_args="${value.replace(/["\\$`]/g, '\\$&')}"`],
    note,
    keptAt,
    declaredAt,
    words,
    ...(waited !== undefined && { waited }),
    ...(loggers.length && { loggers }),
    ...(operands.length && { operands }),
  };
}

/** A word as shell source that reads back as exactly that word. */
export function shellQuoteWord(w: string, always = false): string {
  if (!always && /^[\w@%+=:,./-]+$/.test(w)) return w;
  return `'${w.replace(/'/g, `'\\''`)}'`;
}

/** Every value start_stop_daemon_args is assigned, in init.d (any level) and conf.d. */
function ssdArgsValues(s: Service) {
  return assignmentsOf(s, 'start_stop_daemon_args').map((a) => a.value);
}

/** Every assignment of `name`, in init.d (any level) and conf.d. */
function assignmentsOf(s: Service, name: string) {
  return [...s.initd.assignments, ...(s.confd?.assignments ?? [])].filter((a) => a.name === name);
}

/** Set somewhere: by conf.d or the init script, at any level. */
function setAnywhere(s: Service, name: string): boolean {
  return s.isSet(name) || assignmentsOf(s, name).length > 0;
}

/** A `${V:-default}` default whose braces pair up (`${A:-x}${B}` is two expansions, not one default). */
function balancedBraces(x: string): boolean {
  return x.split('{').length === x.split('}').length && !/^[^{]*\}/.test(x);
}

/** The script sources another file (`.`, `source`), which may set any variable. */
function sourcesFiles(s: Service): boolean {
  return s.initd.commands.some((c) => c.name === '.' || c.name === 'source');
}

/** Variables OpenRC sets for every service: known when the script runs. */
const OPENRC_VARS = /^(RC_SVCNAME|SVCNAME|RC_SERVICE|RC_CMD|RC_RUNLEVEL|RC_PREFIX|RC_LIBEXECDIR)$/;

/**
 * Why the trap's lines cannot be written exactly, or null. supervise_daemon_args and the
 * declarative variables are written from the words' values; that is exact only when every
 * variable those words read is known here (a file the script sources may set one: then the
 * value is unknown, never empty), and a word taken from a variable (`--user ${EXPORTER_USER}`)
 * is written as that reference (a fixed copy would no longer follow conf.d). An option chosen
 * by an expansion (`${PMS_USER:+--user}`) may appear later: it cannot be kept or dropped now.
 */
export function trapProblem(s: Service, trap: Trap): string | null {
  const texts = ssdArgsValues(s);
  const sources = sourcesFiles(s);
  const seen = new Set<string>(['start_stop_daemon_args']);
  const queue = texts.flatMap((v) => referencedVars(v.text));
  while (queue.length) {
    const name = queue.shift()!;
    if (seen.has(name) || OPENRC_VARS.test(name)) continue;
    seen.add(name);
    // Unset is empty in the shell, unless a file the script sources may set it.
    if (!s.isSet(name) && sources)
      return `start_stop_daemon_args reads ${name}, which neither the script nor its conf.d sets (a file it sources may): its value is unknown`;
    for (const a of assignmentsOf(s, name)) queue.push(...referencedVars(a.value.text));
  }
  // Only options supervise-daemon would keep matter (`${FCRON_SSDARGS:-"--wait 1000"}` is dropped either way).
  // A default for a variable set nowhere (dash-core's `${SSD_OPTS:--N ${DASHD_NICE} -w 2000}`) is
  // what applies: wordSources reads its words as the script writes them when it is a whole word
  // of the plain top-level assignment (anything else is refused there, or as computed at run
  // time), and the note says that what a conf.d SSD_OPTS would hold reaches start-stop-daemon only.
  const optional = texts.find((v) =>
    [...v.text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[-+=])([^}]*)\}/g)].some((m) => {
      if (/-$/.test(m[2]) && !setAnywhere(s, m[1])) return false;
      const inner = evalWords(m[3]) ?? m[3].split(/\s+/);
      return parseOptions(inner).options.some((o) => SHARED_MEANING.has(o.spec.long) && !REDUNDANT.has(o.spec.long));
    }),
  );
  if (optional)
    return `start_stop_daemon_args chooses options by an expansion (${optional.text.trim()}): which reach supervise-daemon depends on values set later`;
  return null;
}

/**
 * Where each of start_stop_daemon_args's words comes from: the tokens of its effective
 * assignment (the last plain top-level one, init.d over conf.d), each with how many words it
 * makes. Null when that cannot be told (no such assignment, quoting rc-supervise does not
 * split, counts that do not add up).
 */
function wordSources(s: Service, words: string[]): { text: string; literal: boolean; count: number }[] | null {
  const plain = (f: ShellFile | null) =>
    (f?.assignments ?? []).filter(
      (a) => a.name === 'start_stop_daemon_args' && a.fn === null && a.plain && a.form === 'assign',
    );
  const last = plain(s.initd).pop() ?? plain(s.confd).pop();
  if (!last || (last.value.quote !== 'double' && last.value.quote !== 'none' && last.value.quote !== 'empty'))
    return null;
  const written = splitValue(last.value.text, last.value.start, last.value.quote);
  if (!written) return null;
  // chronograf's `: ${SSD_OPTS:="-w 1000 -1 ${CHRONOGRAF_LOG} -2 ${CHRONOGRAF_LOG}"}` and
  // start_stop_daemon_args="${SSD_OPTS}": a lone variable set once, above, by the script alone
  // (conf.d sets it nowhere) and holding several words stands for its own words, so that each
  // keeps its own source.
  const inlined = (t: { text: string; start: number; end: number }) => {
    const dflt = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(:?-)([^]*)\}$/.exec(t.text);
    if (dflt && !setAnywhere(s, dflt[1]) && balancedBraces(dflt[3])) {
      const text = dflt[3];
      const at = t.start + 2 + dflt[1].length + dflt[2].length;
      const quote = /^"[^"]*"$/.test(text) ? 'double' : /^'[^']*'$/.test(text) ? 'single' : 'none';
      return splitValue(text, at, quote) ?? [t];
    }
    const ref = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(t.text);
    if (!ref || ref[1] === 'start_stop_daemon_args' || !s.initd.assignments.includes(last)) return [t];
    const sets = assignmentsOf(s, ref[1]);
    const a = sets[0];
    if (
      sets.length !== 1 ||
      !s.initd.assignments.includes(a) ||
      a.fn !== null ||
      !a.plain ||
      a.start > last.start ||
      (a.value.quote !== 'double' && a.value.quote !== 'none')
    )
      return [t];
    // A variable of one word stays as it is: its reference is how that word is written (a copy
    // of its value would no longer follow conf.d).
    const v = s.expand(t.text);
    if (v === null || (evalWords(v)?.length ?? 0) < 2) return [t];
    return splitValue(a.value.text, a.value.start, a.value.quote) ?? [t];
  };
  const self = /\$\{?start_stop_daemon_args\b/;
  // mysqld_exporter's start_stop_daemon_args="${start_stop_daemon_args} --user ${EXPORTER_USER}",
  // line after line: each `${start_stop_daemon_args}` is what the plain top-level line above
  // made, when every line setting it in init.d is such a line (none in a condition or function)
  // and the first reads no earlier value (conf.d's). Left as it is otherwise.
  const own = s.initd.assignments.filter((a) => a.name === 'start_stop_daemon_args');
  const chain =
    s.initd.assignments.includes(last) &&
    own.every((a) => a.fn === null && a.plain && a.form === 'assign') &&
    !self.test(own[0]?.value.text ?? '');
  const unchained = (a: (typeof own)[number], toks: { text: string; start: number; end: number }[]) =>
    toks.flatMap((t): { text: string; start: number; end: number }[] => {
      if (!chain || !/^\$\{?start_stop_daemon_args\}?$/.test(t.text)) return [t];
      const prev = own.filter((b) => b.start < a.start).pop();
      if (!prev || (prev.value.quote !== 'double' && prev.value.quote !== 'none')) return [t];
      const split = splitValue(prev.value.text, prev.value.start, prev.value.quote);
      return split ? unchained(prev, split) : [t];
    });
  const tokens = unchained(last, written).flatMap(inlined);
  const counts = tokens.map((t) => {
    if (self.test(t.text)) return -1;
    const v = s.expand(t.text);
    return v === null ? NaN : (evalWords(v)?.length ?? NaN);
  });
  if (counts.some((c) => Number.isNaN(c)) || counts.filter((c) => c < 0).length > 1) return null;
  const known = counts.filter((c) => c >= 0).reduce((x, y) => x + y, 0);
  const rest = words.length - known;
  if (rest < 0 || (rest > 0 && !counts.includes(-1))) return null;
  const out: { text: string; literal: boolean; count: number }[] = [];
  tokens.forEach((t, i) => {
    const n = counts[i] < 0 ? rest : counts[i];
    for (let k = 0; k < n; k++) out.push({ text: t.text, literal: !/[$`]/.test(t.text), count: n });
  });
  return out.length === words.length ? out : null;
}

/**
 * The trap's lines with each value written as the script writes it: a word the script writes
 * out as itself; a word one variable makes, as that reference (`command_user="${EXPORTER_USER}"`
 * follows conf.d; a copy of its value would not). Returns a reason instead when a value comes
 * from a variable that makes several words, or its source cannot be told.
 */
function asWritten(s: Service, trap: Trap): string[] | string {
  const words = trap.words;
  if (!words || (!trap.keptAt.length && !trap.declaredAt.length)) return trap.lines;
  const src = wordSources(s, words);
  const anyVar = ssdArgsValues(s).some((v) => /[$`]/.test(v.text));
  if (!src && anyVar) return 'start_stop_daemon_args is built in a way rc-supervise cannot follow word by word';
  // 'value': the script writes the word out; a token text: one variable makes it; null: neither.
  // `--chdir \"${SD_HOMEDIR}\"` in a double-quoted value (stdiscosrv, znc): OpenRC's eval reads
  // the escaped quotes, so the word is that one variable's value; a declarative line takes the
  // reference itself, supervise_daemon_args the token as the script writes it.
  const written = (at: number, joined: boolean, declared: boolean): 'value' | string | null => {
    const x = src?.[at];
    if (!x || x.literal) return 'value';
    if (x.count !== 1 || joined) return null;
    const quoted = /^\\"(\$\{[A-Za-z_]\w*\}|\$[A-Za-z_]\w*)\\"$/.exec(x.text);
    if (quoted) return declared ? quoted[1] : x.text;
    return /^[^"'`]*\$/.test(x.text) ? x.text : null;
  };
  const cannot = (w: string) =>
    `start_stop_daemon_args passes ${w} through a variable rc-supervise cannot write as the script does`;
  const lines: string[] = [];
  for (const d of trap.declaredAt) {
    const w = written(d.at, d.joined, true);
    if (w === null) return cannot(words[d.at]);
    lines.push(w === 'value' ? trap.lines.find((l) => l.startsWith(`${d.variable}=`))! : `${d.variable}="${w}"`);
  }
  const kept: string[] = [];
  for (const at of trap.keptAt) {
    const w = written(at, false, false);
    if (w === null) return cannot(words[at]);
    kept.push(w === 'value' ? shellQuoteWord(words[at]).replace(/["\\$`]/g, '\\$&') : w);
  }
  lines.push(kept.length ? `supervise_daemon_args="${kept.join(' ')}"` : trap.lines[trap.lines.length - 1]);
  return lines;
}

/**
 * ps3mediaserver's `${PMS_USER:+--user} ${PMS_USER}`: an option given only when its variable
 * is set, followed by that variable as its value. Both daemons read the pair alike whatever the
 * variable holds (nothing when it is empty), so it is kept as written in supervise_daemon_args,
 * expanded where start_stop_daemon_args was; the literal words around it are read as usual.
 * Only for one plain top-level assignment (init.d or conf.d, the only one anywhere) whose other
 * words are written out; null otherwise, and when it has no such pair.
 */
function pairedForm(s: Service): Trap | null {
  const all = assignmentsOf(s, 'start_stop_daemon_args');
  if (all.length !== 1) return null;
  const a = all[0];
  if (a.fn !== null || !a.plain || a.form !== 'assign' || (a.value.quote !== 'double' && a.value.quote !== 'none'))
    return null;
  const tokens = splitValue(a.value.text, a.value.start, a.value.quote);
  if (!tokens) return null;
  const pairs: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const m = /^\$\{([A-Za-z_][A-Za-z0-9_]*):?\+(--[a-z-]+)\}$/.exec(tokens[i].text);
    if (m) {
      const next = tokens[i + 1]?.text;
      if (next !== `\${${m[1]}}` && next !== `$${m[1]}`) return null;
      const spec = SSD_OPTIONS.find((o) => o.long === m[2].slice(2));
      if (!spec || !spec.value || !SHARED_MEANING.has(spec.long) || REDUNDANT.has(spec.long)) return null;
      pairs.push(`${tokens[i].text} ${next}`);
      i++;
      continue;
    }
    if (/[$`"'\\]/.test(tokens[i].text)) return null;
    rest.push(tokens[i].text);
  }
  if (!pairs.length) return null;
  const trap = trapFor(s, [...rest]);
  // Nothing dropped, or words that are no option: as before.
  if (!trap || trap.operands?.length) return null;
  const kept = trap ? trap.keptAt.map((at) => shellQuoteWord(trap.words![at])) : rest.map((w) => shellQuoteWord(w));
  const declared = trap ? trap.lines.slice(0, -1) : [];
  const value = [...kept, ...pairs].join(' ').replace(/["\\`]/g, '\\$&');
  const lines = [...declared, `supervise_daemon_args="${value}"`];
  const dropped = trap ? trap.note.replace(/^.*which rejects (.*): supervise_daemon_args set to .*$/s, '$1') : '';
  return {
    lines,
    note: `start_stop_daemon_args would reach supervise-daemon${trap ? `, which rejects ${dropped}` : ''}: supervise_daemon_args set to "${value}", the options given only when their variable is set kept as the script writes them`,
    keptAt: [],
    declaredAt: [],
    words: null,
    ...(trap?.waited !== undefined && { waited: trap.waited }),
    ...(trap?.loggers && { loggers: trap.loggers }),
  };
}

/** Step: start_stop_daemon_args must not hand start-stop-daemon-only options to supervise-daemon. */
export function ssdArgsStep(ctx: StepContext, d: Draft): Refusal | void {
  // jetty-runner's `supervise_daemon_args="$supervise_daemon_args"`, empty: from OpenRC 0.46 an
  // empty value stops the fallback, but before it supervise-daemon.sh expands
  // ${supervise_daemon_args:-${start_stop_daemon_args}} (Debian 12's 0.45.2), so start-stop-
  // daemon's options still reach supervise-daemon. The script's own line may come after any
  // line rc-supervise would add, so it is not rewritten here.
  const s = ctx.service;
  const empty =
    s.isSet('supervise_daemon_args') && s.value('supervise_daemon_args') === '' ? fallbackTrap(s, true) : null;
  if (empty) {
    const set = [...s.initdAssignments('supervise_daemon_args'), ...s.confdAssignments('supervise_daemon_args')][0];
    const file = set && s.confdAssignments('supervise_daemon_args').includes(set) ? s.confd : s.initd;
    const at = set && file ? ` (${file.path}:${file.lineCol(set.start).line})` : '';
    return {
      kind: 'refuse',
      code: 'dynamic',
      reason: `supervise_daemon_args is set but empty${at}, which stops the fallback to start_stop_daemon_args only from OpenRC 0.46 on: before that (Debian 12's 0.45.2) supervise-daemon.sh reads \${supervise_daemon_args:-\${start_stop_daemon_args}}, and ${empty.note.replace(/: supervise_daemon_args set to .*$/s, '')}`,
      suggestion:
        'set supervise_daemon_args to a single space (" "), which stops the fallback in every version, or to the options supervise-daemon accepts, then migrate again',
    };
  }
  let trap = fallbackTrap(s);
  if (!trap) {
    const knob = unsetKnob(ctx.service);
    if (knob?.sourced)
      return {
        kind: 'refuse',
        code: 'dynamic',
        reason: `start_stop_daemon_args reads ${knob.names}, which neither the script nor its conf.d sets (a file it sources may): its value is unknown; supervise_daemon_args cannot be set for it exactly`,
        suggestion:
          'set supervise_daemon_args by hand (the options supervise-daemon accepts, as the script writes them), then migrate again',
      };
    if (knob) d.notes.push(knob.note);
    return;
  }
  // Computed at run time (clsync's "${cmd_nice} ${cmd_ionice}"): which of its options
  // supervise-daemon would take (nice, ionice) cannot be told; blocking them all loses those.
  const paired = pairedForm(ctx.service);
  if (paired) {
    trap = paired;
  }
  const problem = paired ? null : trap.words === null ? computedProblem(ctx.service) : trapProblem(ctx.service, trap);
  // headscale's conf.d: start_stop_daemon_args="${HEADSCALE_OPTIONS}" with `serve`, its subcommand.
  // start-stop-daemon passes words that are no option of its own to the daemon, in front of
  // command_args (start-stop-daemon.c: the words left after its options follow --exec's
  // program); supervise-daemon would not, and the daemon would start without them.
  if (!problem && trap.operands?.length)
    return {
      kind: 'refuse',
      code: 'dynamic',
      reason: `start_stop_daemon_args passes ${trap.operands.join(' ')}, which ${trap.operands.length > 1 ? 'are' : 'is'} no option of start-stop-daemon: it hands ${trap.operands.length > 1 ? 'them' : 'it'} to the daemon in front of command_args, and supervise-daemon would not, so the daemon would start without ${trap.operands.length > 1 ? 'them' : 'it'}`,
      suggestion: `move ${trap.operands.join(' ')} out of start_stop_daemon_args to the front of command_args, then migrate again`,
    };
  const lines = problem ?? asWritten(ctx.service, trap);
  if (typeof lines === 'string')
    return {
      kind: 'refuse',
      code: 'dynamic',
      reason: `${lines}; supervise_daemon_args cannot be set for it exactly`,
      suggestion:
        'set supervise_daemon_args by hand (the options supervise-daemon accepts, as the script writes them), then migrate again',
    };
  if (lines.join('\n') !== trap.lines.join('\n'))
    trap.note = trap.note.replace(
      /supervise_daemon_args set to .*$/,
      `written as the script writes its words: ${lines.join(', ')}`,
    );
  trap.lines = lines;
  // What --wait did is gone, said: supervise-daemon's start returns once the child is spawned.
  const wait = trap.waited
    ? `; the start no longer waits ${trap.waited} ms to see the daemon still running (supervise-daemon starts it again when it dies)`
    : '';
  d.notes.push(trap.note + wait + adminNote(ctx.service, lines));
  d.lines.push(...trap.lines);
  // jupyterhub's `-3 logger -4 logger`: the daemon's only log went to a logger process.
  // supervise-daemon (before 0.51, which adds output_logger/error_logger) has no such option
  // and discards what is not given a file: the log is lost unless a file is named.
  for (const stream of trap.loggers ?? []) {
    const variable = stream === 'stdout' ? 'output_log' : 'error_log';
    if (ctx.service.isSet(variable) || lines.some((l) => l.startsWith(`${variable}=`))) continue;
    d.warnings.push(
      `start_stop_daemon_args hands the daemon's ${stream} to a logger process (--${stream}-logger), which is not carried over (supervise-daemon takes a logger only from OpenRC 0.51, as ${stream === 'stdout' ? 'output_logger' : 'error_logger'}): under supervise-daemon that ${stream} is discarded; set ${variable} to a file, or from OpenRC 0.51 ${stream === 'stdout' ? 'output_logger' : 'error_logger'}, to keep it`,
    );
  }
}

/**
 * sensu's `start_stop_daemon_args="${SSD_OPTS:-}"`: empty today, so nothing to block, but a
 * variable nothing sets is an admin's knob, and with supervise_daemon_args unset supervise-daemon
 * gets start_stop_daemon_args too (supervise-daemon.sh: `${supervise_daemon_args-${start_stop_daemon_args}}`):
 * what is put there later reaches it. Said, not blocked: the admin may mean options both take.
 */
function unsetKnob(s: Service): { names: string; sourced: boolean; note: string } | null {
  if (setAnywhere(s, 'supervise_daemon_args') || !s.isSet('start_stop_daemon_args')) return null;
  const knobs = [...new Set(ssdArgsValues(s).flatMap((v) => wholeWordVars(v.text)))].filter(
    (n) => n !== 'start_stop_daemon_args' && !OPENRC_VARS.test(n) && !setAnywhere(s, n),
  );
  if (!knobs.length) return null;
  const names = knobs.join(', ');
  // A file the script sources may set it (trapProblem's rule): its value is unknown today.
  const sourced = sourcesFiles(s);
  return {
    names,
    sourced,
    note: `start_stop_daemon_args reads ${names}, which neither the script nor its conf.d sets: with supervise_daemon_args unset, supervise-daemon gets start_stop_daemon_args too, so what is put in ${names} later reaches it as well; it rejects start-stop-daemon's own options (--background, --wait, --progress) and reads -P, -m and -a as other options (docs/openrc.md §2, §6): supervise-daemon's options go in supervise_daemon_args`,
  };
}

/**
 * Variables whose expansion is a whole word of the value that is no option's value: what they
 * hold are options (`${SSD_OPTS}`), not `--user ${NOVA_USER}`'s user, which supervise-daemon
 * takes as start-stop-daemon does. Empty when the value cannot be read word by word.
 */
function wholeWordVars(text: string): string[] {
  // `${DEBUG:+--verbose}` gives a fixed word, never what DEBUG holds: left as written (no knob).
  const marked = text.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-=][^}]*)?\}|\$([A-Za-z_][A-Za-z0-9_]*)(?![A-Za-z0-9_{])/g,
    (_m, a: string | undefined, b: string | undefined) => `\u0002${a ?? b}\u0003`,
  );
  // The assignment's value (its quotes removed), then split as supervise-daemon.sh's unquoted
  // ${start_stop_daemon_args} is: "${SSD_OPTS} --nicelevel 5" is two words.
  const words = evalWords(marked)?.flatMap((w) => w.split(/[ \t\n]+/).filter(Boolean));
  if (!words) return [];
  const values = new Set(
    parseOptions(words, undefined, { abbreviations: true }).options.flatMap((o) =>
      o.valueIndex === undefined ? [] : [o.valueIndex],
    ),
  );
  return words.flatMap((w, i) => {
    const m = /^\u0002([A-Za-z_][A-Za-z0-9_]*)\u0003$/.exec(w);
    return m && !values.has(i) ? [m[1]] : [];
  });
}

/**
 * A variable start_stop_daemon_args reads that the lines written for supervise-daemon do not
 * (fcron's `${FCRON_SSDARGS:-"--wait 1000"}`, znc's `${ZNC_SSDARGS}` from conf.d) is the admin's
 * to set: what goes there from now on reaches start-stop-daemon only. Said, with where it is set.
 */
function adminNote(s: Service, lines: readonly string[]): string {
  const read = new Set(lines.flatMap((l) => referencedVars(l.slice(l.indexOf('=') + 1))));
  const left = [...new Set(ssdArgsValues(s).flatMap((v) => referencedVars(v.text)))].filter(
    (n) => n !== 'start_stop_daemon_args' && !OPENRC_VARS.test(n) && !read.has(n),
  );
  if (!left.length) return '';
  const where = left.map((n) => (s.isSet(n) ? n : `${n} (unset here)`)).join(', ');
  return `; what ${where} ${left.length > 1 ? 'hold' : 'holds'} reaches start-stop-daemon only: supervise-daemon's options go in the supervise_daemon_args this migration writes (change it there: where it is written in init.d, one set in conf.d is overridden)`;
}

/**
 * start_stop_daemon_args computed at run time (set in a condition, or from variables): blocking
 * it all with " " is exact only when every value it can take is written out and holds nothing
 * supervise-daemon also takes. With variables (clsync's "${cmd_nice} ${cmd_ionice}") that
 * cannot be told, and blocking them all would lose nice/ionice/user settings: refused.
 */
function computedProblem(s: Service): string | null {
  const values = ssdArgsValues(s).map((v) => v.text);
  const reason =
    'start_stop_daemon_args is computed at run time: which of its options supervise-daemon also takes (--nicelevel, --ionice, --user...) cannot be told';
  if (values.some((v) => /[$`]/.test(v))) return reason;
  for (const v of values) {
    const words = evalWords(v);
    if (!words) return reason;
    const kept = parseOptions(words, undefined, { abbreviations: true }).options.some(
      (o) => SHARED_MEANING.has(o.spec.long) && !REDUNDANT.has(o.spec.long),
    );
    if (kept) return reason;
  }
  return null;
}
