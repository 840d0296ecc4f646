import { dquoteInner } from '../shell/quote.js';
import { parseOptions } from '../model/options.js';
import type { Service } from '../model/service.js';
import { unitsFor, type UnitFacts } from '../knowledge/units.js';
import { splitValue, unquoted } from '../parse/words.js';
import { staticProgram } from './custom-start.js';
import { draftSets, referencedVars } from './emit.js';
import { flagsPassed, isYes, removeTokens, ssdBackgrounds } from './flags.js';
import type { Draft, Evidence, Refusal, StepContext } from './types.js';
import type { Edit } from '../edit/edits.js';
import type { Command } from '../parse/shellfile.js';

/**
 * Spellings that only ever mean "do not fork" (no daemon uses them for anything else). Short
 * letters (-f, -n, -F) mean different things to different daemons: only a rule or unit says.
 */
export const NO_FORK_WORDS =
  /^(--foreground|-foreground|--nofork|--no-fork|-nofork|--no-daemon|--nodaemon|-nodaemon|--no-daemonize|--nodaemonize|--no-detach|--nodetach|-nodetach|--no-background|--nobackground|--keep-in-foreground|--dont-fork|-dontfork|--daemon=(no|false|0|off)|--daemonize=(no|false|0|off)|--fork=(no|false|0|off)|--background=(no|false|0|off))$/;

/** Spellings that make a program fork when a unit passes them (a unit that does is inconsistent). */
const FORK_WORDS = /^(--daemon|--daemonize|-daemon|--fork|--background|--detach|-d|-D|-b|-B)$/;

/**
 * The daemon's arguments as the script passes them: a converted start()'s launch words, else
 * command_args (null when command_args is not static).
 */
function scriptArgs(s: Service, d: Draft): string[] | null {
  return d.converted ? d.converted.args.map((a) => unquoted(a.text)) : staticWords(s, 'command_args');
}

function staticWords(s: Service, name: string): string[] | null {
  return s.words(name);
}

/** What the script itself proves about the daemon staying in the foreground. */
function scriptEvidence(ctx: StepContext, d: Draft): Evidence | null {
  const s = ctx.service;
  if (isYes(s.value('command_background')))
    return {
      kind: 'script',
      detail:
        'command_background=yes: start-stop-daemon backgrounds the daemon and writes its pid file itself, so the daemon does not fork',
    };
  if (d.converted?.backgroundMakePidfile)
    return {
      kind: 'script',
      detail: d.converted.ampMakePidfile
        ? 'start() ran it with start-stop-daemon --make-pidfile in the background of its shell (`&`): the script relies on the daemon not forking'
        : 'start() ran it with start-stop-daemon --background --make-pidfile: the script relies on the daemon not forking',
    };
  const ssd = staticWords(s, 'start_stop_daemon_args');
  if (ssd && ssd.length) {
    const p = parseOptions(ssd);
    const has = (l: string) => p.options.some((o) => o.spec.long === l);
    if (has('background') && has('make-pidfile'))
      return {
        kind: 'script',
        detail: 'start_stop_daemon_args has --background --make-pidfile: the script relies on the daemon not forking',
      };
  }
  const daemonize = (ctx.rule?.backgroundFlags ?? []).filter((f) => f.why === 'daemonize').map((f) => f.flag);
  const bg = staticWords(s, 'command_args_background') ?? [];
  const movedWords = d.movedText ? (splitValue(d.movedText, 0, 'none') ?? []).map((t) => t.text) : [];
  const fork = [...bg, ...movedWords].find(
    (w) => daemonize.includes(w) || (bg.includes(w) && FORK_WORDS.test(w) && !movedWords.includes(w)),
  );
  if (fork)
    return {
      kind: 'script',
      detail: `the daemonize flag ${fork} is passed only under start-stop-daemon (command_args_background), so without it the daemon stays in the foreground`,
    };
  for (const v of ['command_args', 'command_args_foreground']) {
    const words = staticWords(s, v) ?? [];
    const w = words.find((x) => NO_FORK_WORDS.test(x));
    if (w) return { kind: 'script', detail: `${v} already passes ${w}, which keeps the daemon in the foreground` };
  }
  if (d.converted) {
    const w = d.converted.args.map((a) => unquoted(a.text)).find((x) => NO_FORK_WORDS.test(x));
    if (w) return { kind: 'script', detail: `start() already passed ${w}, which keeps the daemon in the foreground` };
  }
  return null;
}

/**
 * A systemd unit of the same binary with Type=simple/exec/notify shows how it runs in the
 * foreground: its ExecStart option words the script does not pass. Words with `$` (MAINPID,
 * EnvironmentFile variables) or `%` specifiers are dropped with the option before them;
 * options with a value are left out (a config path is the unit's choice, not a foreground
 * flag). A strong hint, not proof: said in the note.
 */
export function unitForeground(
  unit: UnitFacts,
  scriptWords: readonly string[] | null,
): { words: string[]; extra: string[] } | { bad: string } {
  if (!/^(simple|exec|notify|notify-reload|idle)$/.test(unit.type)) return { bad: `Type=${unit.type}` };
  const argv = unit.execStart.slice(1);
  const out: string[] = [];
  const valued = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i];
    const next = argv[i + 1];
    if (/[$%]/.test(w)) continue;
    if (!w.startsWith('-')) continue; // an operand, or the value of the option before it
    if (next !== undefined && !next.startsWith('-')) {
      i++; // an option with a value: the unit's choice of file or address, not a foreground flag
      valued.set(w, next);
      continue;
    }
    if (/=.*\//.test(w)) continue;
    if (FORK_WORDS.test(w)) return { bad: `ExecStart passes ${w}` };
    out.push(w);
  }
  // The same option with another word than the unit's may be the mode itself (h2o's
  // `-m daemon` where the unit runs `-m master`): the unit then says nothing about this script.
  const sw = scriptWords ?? [];
  for (let i = 0; i + 1 < sw.length; i++) {
    const unitValue = valued.get(sw[i]);
    if (unitValue !== undefined && !/[$%]/.test(unitValue) && sw[i + 1] !== unitValue && !/^-/.test(sw[i + 1]))
      return { bad: `the script passes ${sw[i]} ${sw[i + 1]} where ExecStart passes ${sw[i]} ${unitValue}` };
  }
  const have = new Set(scriptWords ?? []);
  const words = out.filter((w) => !have.has(w));
  const unitWords = new Set(argv);
  const extra = (scriptWords ?? []).filter((w) => w.startsWith('-') && !unitWords.has(w));
  return { words, extra };
}

/**
 * fhem: the script launches the daemon with start-stop-daemon (or runs it from start()) with
 * nothing backgrounding it and no daemonize flag to move, so start returns only because the
 * daemon forks with exactly these arguments. A unit that runs the same arguments as
 * Type=simple then contradicts the script (fhem.pl forks unless its configuration says
 * `nofork`). Unknown start_stop_daemon_args: nothing can be said.
 */
function scriptShowsFork(s: Service, d: Draft): boolean {
  if (d.movedText.trim() || d.convertedTake.size) return false;
  if (d.converted) return true;
  if (isYes(s.value('command_background'))) return false;
  const ssd = staticWords(s, 'start_stop_daemon_args');
  if (ssd === null) return false;
  return !parseOptions(ssd).options.some((o) => o.spec.long === 'background');
}

/**
 * What the foreground mode changes besides not forking, said as warnings. dbmail -D: what it
 * does only when it daemonizes. Where it logs (gpm -D, sslh -f: stderr instead of syslog) is
 * passed on to the policy step, which warns once it knows what keeps that stream.
 */
function foregroundSideEffects(ctx: StepContext, d: Draft): void {
  const { rule } = ctx;
  // dbmail's umask 0077, gmetad.conf's umask: set only on the daemonizing path.
  if (rule?.foregroundSkips)
    d.warnings.push(
      `in the foreground ${rule.id} skips what it does only when it daemonizes (rule ${rule.id}): ${rule.foregroundSkips}`,
    );
  // airflow's `--stdout FILE --stderr FILE` (its conf.d AIRFLOW_ARGS): read only on the --daemon
  // path, so in the foreground those log files are no longer written (judged sample, round 20).
  const daemonOnly = rule?.daemonOnlyFlags?.length
    ? flagsPassed(argsLeft(ctx.service, d) ?? [], rule.daemonOnlyFlags).map((m) => m.text)
    : [];
  if (daemonOnly.length)
    d.warnings.push(
      `${rule!.id} reads ${daemonOnly.join(', ')} only when it daemonizes (rule ${rule!.id}): under supervise-daemon it stays in the foreground and ignores ${daemonOnly.length > 1 ? 'them' : 'it'}, so what ${daemonOnly.length > 1 ? 'they ask for' : 'it asks for'} (a log file, most often) no longer happens; keep its output with --log file:DIR or output_log/error_log instead`,
    );
  // qemu-ga 2.12-4.0: daemon=true in qemu-ga.conf forks it, and no word on the command line wins.
  if (rule?.configForks)
    d.warnings.push(
      `${rule.id} also daemonizes when ${rule.configForks}, and no command-line word overrides that (rule ${rule.id}): keep it off, or under supervise-daemon the daemon leaves its supervisor, which starts it again and again`,
    );
  // clamd: its parent waited until the databases were loaded and the sockets open, so under
  // start-stop-daemon the start (and what depends on it) waited too. Not when start-stop-daemon
  // backgrounded it already: that start never waited.
  if (rule?.readyOnFork && !ssdBackgrounds(ctx.service) && !d.converted?.backgroundMakePidfile)
    d.warnings.push(
      `under start-stop-daemon the start returned only once ${rule.readyOnFork} (rule ${rule.id}: the forking parent waits for that); supervise-daemon's start returns as soon as the daemon is spawned, so services that need ${rule.id} may start before it is ready`,
    );
  // lvmlockd with a lockspace started, dmeventd while it monitors devices: TERM is logged and
  // ignored. Under supervise-daemon stop then succeeds and the daemon runs on without it.
  if (rule?.termDeferred)
    d.warnings.push(
      `${rule.id} does not end on TERM while ${rule.termDeferred} (rule ${rule.id}): under supervise-daemon stop then reports success and leaves it running without its supervisor (the next start fails), where start-stop-daemon's stop failed and said so; stop it only once that is over`,
    );
  // Warned about by the policy step, once the lines that keep a stream are all written.
  d.foregroundLogs = rule?.foregroundLogs;
}

/**
 * Step: the daemon must not fork, or the supervisor loses it and respawns it in a loop.
 * Evidence, strongest first: --foreground-args; a rule (curated or knowledge base, with
 * sources); the script itself; a systemd unit of the same binary. Otherwise: refuse.
 */
export function foregroundStep(ctx: StepContext, d: Draft): Refusal | void {
  const r = chooseForeground(ctx, d);
  if (r || ctx.options.foregroundArgs !== undefined) return r;
  const weak = tooWeak(ctx, d);
  if (weak) return weak;
  // The same trap on the start-stop-daemon side: a short flag moved out of command_args
  // (icinga's `-d` before its configuration file) is appended after the operand in
  // command_args_background, where icinga's getopt ("+...", stops at the first operand) and
  // musl's never read it, so start-stop-daemon would wait on a daemon that never forks.
  // A daemon whose own parser stops at the first operand (Kannel's get_and_set_debugs()) never
  // reads a long option after it either.
  // `--` ends the options (openvt's `-- /usr/bin/lemurs`): OpenRC appends the foreground and
  // background words after it, where the daemon reads them as operands, or passes them on to
  // the program it wraps.
  const appended = [d.foreground ?? '', d.movedText].join(' ').split(/\s+/).filter(Boolean);
  if (appended.length && argsLeft(ctx.service, d)?.includes('--'))
    return {
      kind: 'refuse',
      code: 'dynamic',
      reason: `the daemon's arguments hold \`--\`, the end of its options, and OpenRC appends ${[d.foreground ? `command_args_foreground (${d.foreground})` : '', d.movedText ? `command_args_background (${d.movedText.trim()}, moved out of command_args)` : ''].filter(Boolean).join(' and ')} after them: the daemon would take ${appended.length > 1 ? 'them' : 'it'} for operands, not options`,
      suggestion:
        'write the arguments so that the options come before `--` in command_args_foreground and command_args_background yourself, then migrate again',
    };
  const stops = !!ctx.rule?.stopsAtOperand;
  const movedShort = d.movedText.split(/\s+/).filter((w) => (stops ? /^-/ : /^-[^-]/).test(w));
  const fgShort = (d.foreground ?? '').split(/\s+/).some((w) => (stops ? /^-/ : /^-[^-]/).test(w));
  if (!fgShort && !movedShort.length) return;
  // OpenRC appends command_args_foreground after command_args. When those end in an operand
  // (inputlircd's event device from conf.d), the no-fork word lands after it: glibc's getopt
  // still finds it, musl's (Alpine) stops at the first operand and the daemon forks.
  // Only short options are at risk: KEY=VALUE operands (apt-cacher-ng) are operands anyway,
  // and long options go through getopt_long, which permutes in glibc and musl alike (redis's
  // `sentinel.conf --daemonize no` is even its documented order).
  const list = argsLeft(ctx.service, d);
  if (!list) {
    // Arguments rc-supervise cannot read (garlicat's GCAT_OPTS holds $(hostname), its last
    // word): whether they end in an operand is not known, so neither is whether the no-fork
    // word after them is read where getopt() stops at the first operand. Said, not guessed.
    const some = d.converted
      ? d.converted.args.some((_, i) => !d.convertedTake.has(i))
      : ctx.service.initd.topLevel('command_args').length > 0 || ctx.service.isSet('command_args');
    if (fgShort && some)
      d.warnings.push(
        `the daemon's arguments are not known statically: if they end in an operand (a file, a host name), command_args_foreground (${d.foreground}) comes after it, where a getopt() that stops at the first operand (musl's, on Alpine) never reads it and the daemon forks; glibc's reads it`,
      );
    return;
  }
  // rpc.rstatd reads -d only as its first word, and OpenRC appends command_args_foreground after
  // command_args: right while command_args expands to nothing (INTERFACE unset in conf.d), wrong
  // once a value is set there, and then the daemon forks. Said, as it depends on a later edit.
  // twistd's ${TWISTD_OPTS} (empty now) may later name a plugin, whose own options follow it:
  // --nodaemon after that is the plugin's, not twistd's.
  if (stops && fgShort) {
    const written = d.converted
      ? d.converted.args.filter((_, i) => !d.convertedTake.has(i)).map((a) => a.text)
      : ctx.service.initd.topLevel('command_args').map((a) => a.value.text);
    const empty = [...new Set(written.flatMap(referencedVars))].filter((v) => {
      const now = ctx.service.value(v);
      return now === undefined || now === '';
    });
    if (empty.length)
      d.warnings.push(
        `command_args reads ${empty.map((v) => `\${${v}}`).join(', ')}, empty now; ${ctx.rule!.id} reads options only before its first other word (rule ${ctx.rule!.id}), so once a value set there ends in such a word, command_args_foreground (${d.foreground}) comes after it and is not read as ${ctx.rule!.id}'s option (the daemon may fork, or fail to start): pass ${d.foreground} first in command_args yourself then`,
      );
  }
  const last = list[list.length - 1];
  const before = list[list.length - 2];
  if (!last || last.startsWith('-') || (before && before.startsWith('-'))) return;
  // A converted launch (its words are ours to place) whose last word is a plain literal: it
  // goes last in command_args_background and command_args_foreground instead, after the words
  // OpenRC appends, on both paths (unless the script sets either variable itself).
  const s = ctx.service;
  // start-stop-daemon.sh refuses command_args_background beside command_background=yes
  // ("command_background used with command_args_background", OpenRC 0.16 on; docs/openrc.md §2):
  // then the operands cannot move there (uredir, from the review of real migrations).
  const bg = s.value('command_background');
  const backgrounded =
    (s.isSet('command_background') && (bg === undefined || bg === null || isYes(bg))) ||
    !!d.converted?.lines.includes('command_background="yes"');
  const free = !backgrounded && !s.isSet('command_args_background') && !s.isSet('command_args_foreground');
  if (d.converted && free) {
    const run = convertedTail(s, d);
    if (run) {
      d.operandLast = run.at;
      const many = run.words.length > 1;
      const shown = run.text.includes('$') ? `${run.text} (${run.words.join(' ')} now)` : run.text;
      d.notes.push(
        `${shown}, the daemon's last ${many ? 'arguments' : 'argument'}, now ${many ? 'end' : 'ends'} command_args_background and command_args_foreground instead of command_args: OpenRC appends those after command_args, and ${stops ? `${ctx.rule!.id}'s option parser` : "a getopt() that stops at the first operand (musl's)"} would not read options after ${many ? 'them' : 'it'}`,
      );
      return;
    }
  }
  // Launched with --background --make-pidfile (igmpproxy's, slcand's): command_background="yes",
  // beside which OpenRC refuses command_args_background, so the run cannot end that list. Under
  // start-stop-daemon nothing is appended after command_args then (no flag moved), so only
  // supervise-daemon's list needs the run last: one line, read under supervise-daemon only,
  // takes it out of command_args and writes it after the no-fork words (operandSupervisedLine).
  const own = s.isSet('command_args_background') || s.isSet('command_args_foreground');
  if (
    d.converted &&
    backgrounded &&
    !own &&
    !d.movedText &&
    d.foreground &&
    !d.converted.args.some((a) => /\bcommand_args/.test(a.text))
  ) {
    const run = convertedTail(s, d);
    if (run) {
      d.operandLast = run.at;
      d.operandSupervisedOnly = true;
      const many = run.words.length > 1;
      const shown = run.text.includes('$') ? `${run.text} (${run.words.join(' ')} now)` : run.text;
      d.notes.push(
        `${shown}, the daemon's last ${many ? 'arguments' : 'argument'}, ${many ? 'come' : 'comes'} after command_args_foreground (${d.foreground}) under supervise-daemon: OpenRC appends that after command_args, and ${stops ? `${ctx.rule!.id}'s option parser` : "a getopt() that stops at the first operand (musl's)"} would not read the no-fork word after ${many ? 'them' : 'it'}; under start-stop-daemon command_args stay as the launch had them (command_background="yes" cannot go with command_args_background)`,
      );
      return;
    }
  }
  // The same for command_args written at the top of the script (igmpproxy's
  // `command_args="${IGMPPROXY_OPTS} ${config}"`, hostapd's `"... ${CONFIGS}"`): its last word, a
  // plain literal or a variable whose value is operands only, ends both lists instead.
  if (!d.converted && free) {
    const tail = trailingOperand(ctx, d);
    if (tail) {
      d.operandTail = { text: tail.text, edits: tail.edits };
      d.initdReasons.push("command_args's last words must move after the words OpenRC appends, in init.d");
      const many = tail.text.includes(' ');
      d.notes.push(
        `${tail.text}${tail.text.includes('$') ? ` (${tail.words.join(' ')} now)` : ''}, the last ${many ? 'words' : 'word'} of command_args, now ${many ? 'end' : 'ends'} command_args_background and command_args_foreground instead: OpenRC appends those after command_args, and ${stops ? `${ctx.rule!.id}'s option parser` : "a getopt() that stops at the first operand (musl's)"} would not read options after ${many ? 'them' : 'it'}`,
      );
      return;
    }
  }
  if (!fgShort)
    return {
      kind: 'refuse',
      code: 'dynamic',
      reason: `the daemon's arguments end in the operand ${last}, and OpenRC puts command_args_background (${movedShort.join(' ')}, moved out of command_args) after them: under start-stop-daemon ${stops ? `${ctx.rule!.id}'s option parser, which stops at the first operand (rule ${ctx.rule!.id}),` : 'a getopt() that stops at the first operand (musl\'s, or a "+" option string)'} would never see it`,
      suggestion: `put the operand last yourself (e.g. command_args_background="${d.movedText} ${last}" and command_args_foreground="${last}"), then migrate again`,
    };
  return {
    kind: 'refuse',
    code: 'needs-foreground',
    reason: `the daemon's arguments end in the operand ${last}, and OpenRC puts command_args_foreground (${d.foreground}) after them: a getopt() that stops at the first operand (musl's, on Alpine) would never see the no-fork word`,
    suggestion: `pass the no-fork word yourself before the operand (in command_args, e.g. ${d.foreground} ${last}), or migrate with --foreground-args if your libc reads options after operands`,
  };
}

/**
 * The line for operandSupervisedOnly: under supervise-daemon only, command_args without the
 * trailing operand(s) (`rest`) and command_args_foreground with the no-fork words, then them
 * (`tail`); both source text, double-quote ready. `eol`: the script's line ending.
 */
export function operandSupervisedLine(d: Pick<Draft, 'foreground'>, rest: string, tail: string, eol: string): string {
  const fg = [d.foreground && dquoteInner(d.foreground), tail].filter(Boolean).join(' ');
  return `if [ "\${supervisor}" = supervise-daemon ]; then command_args="${rest}"; command_args_foreground="${fg}"; fi${eol === '\r\n' ? ' #' : ''}`;
}

/**
 * The two lines that put the trailing operand(s) `tail` (source text, double-quote ready) after
 * the words OpenRC appends: the moved flags, then the operands, for start-stop-daemon; the
 * no-fork words, then the operands, for supervise-daemon. Written by migrate (plan.ts) and by
 * lint no-foreground's fix.
 */
export function operandLines(d: Pick<Draft, 'movedText' | 'foreground'>, tail: string): string[] {
  return [
    `command_args_background="${[d.movedText, tail].filter(Boolean).join(' ')}"`,
    `command_args_foreground="${[d.foreground && dquoteInner(d.foreground), tail].filter(Boolean).join(' ')}"`,
  ];
}

/**
 * A word that is an operand by its place: it does not start with `-` and does not follow an
 * option word that may take it as its value (`-m 0`: the 0 may be -m's; `--pid=/x foo`: foo is
 * not). Which options take a value is not known, so a word after one is given the benefit.
 */
function operandAt(words: readonly string[], i: number): boolean {
  const prev = words[i - 1];
  return !words[i].startsWith('-') && !(prev !== undefined && prev.startsWith('-') && !prev.includes('='));
}

/** Some word of `words` is an operand by its place (operandAt). */
function holdsOperand(words: readonly string[]): boolean {
  return words.some((_, i) => operandAt(words, i));
}

/** A plain literal word that reads the same inside double quotes and out. */
const PLAIN_WORD = /^[A-Za-z0-9_./:,=+@%][A-Za-z0-9_./:,=+@%-]*$/;
/** A lone variable, as `$V`, `${V}` or `${V:-plain}`, double-quoted or not. */
const LONE_VAR = /^("?)\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?-[A-Za-z0-9_./:,=+@%-]*)?\}|([A-Za-z_][A-Za-z0-9_]*))\1$/;

/**
 * The last words of a converted launch, when they can move to the end of
 * command_args_background and command_args_foreground (as trailingOperand does for a top-level
 * command_args): the shortest run of words at the end, each a plain literal or a lone variable
 * (inputlircd's `${INPUTLIRCD_OPTS}`, igmpproxy's `"${IGMPPROXY_CONFIG:-/etc/igmpproxy.conf}"`,
 * slcand's `${tty_device} ${can_device}`) expanding to operands only now, such that no operand is
 * left before it and it does not start right after an option that may take its first word as a
 * value. Moving them keeps every other word where it was: only the words OpenRC appends now come
 * before them. Their indices in the launch's words, their text and their words now.
 */
function convertedTail(s: Service, d: Draft): { at: number[]; text: string; words: string[] } | undefined {
  const c = d.converted!;
  const left = c.args.map((a, i) => ({ a, i })).filter(({ i }) => !d.convertedTake.has(i));
  const wordsOf = (text: string) => s.expand(text)?.split(/\s+/).filter(Boolean) ?? null;
  const movable = (text: string) => {
    if (!PLAIN_WORD.test(text) && !LONE_VAR.test(text)) return false;
    const words = wordsOf(text);
    return !!words?.length && !words.some((w) => w.startsWith('-'));
  };
  for (let j = left.length - 1; j >= 0 && movable(left[j].a.text); j--) {
    const before: string[] = [];
    for (const { a } of left.slice(0, j)) {
      const w = wordsOf(a.text);
      if (w === null) return undefined;
      before.push(...w);
    }
    const prev = before[before.length - 1];
    if (holdsOperand(before) || (prev !== undefined && prev.startsWith('-') && !prev.includes('='))) continue;
    const run = left.slice(j);
    return {
      at: run.map(({ i }) => i),
      text: run.map(({ a }) => a.text).join(' '),
      words: run.flatMap(({ a }) => wordsOf(a.text)!),
    };
  }
  return undefined;
}

/**
 * The last words of the one top-level command_args, when they can move to the end of
 * command_args_background and command_args_foreground: the shortest run of written words at
 * the end (each a plain literal or a lone `${VAR}` in a double-quoted or unquoted value, not
 * moved already, expanding to operands only) such that no operand is left before it
 * (hciattach's `/dev/ttySAC1 bcm43xx 3000000` moves whole: -n after the first operand is lost
 * as surely as after the last) and it does not start right after an option that may take its
 * first word as a value. Moving them keeps every other word where it was: only the words
 * OpenRC appends now come before them.
 */
function trailingOperand(ctx: StepContext, d: Draft): { text: string; words: string[]; edits: Edit[] } | undefined {
  const s = ctx.service;
  const all = s.initd.topLevel('command_args');
  if (all.length !== 1 || s.confdAssignments('command_args').length) return undefined;
  const a = all[0];
  if (!a.plain || a.form !== 'assign' || a.guard || (a.value.quote !== 'double' && a.value.quote !== 'none'))
    return undefined;
  const tokens = splitValue(a.value.text, a.value.start, a.value.quote);
  if (!tokens?.length) return undefined;
  const inValue = (e: Edit) => e.file === ctx.initdPath && e.start >= a.value.start && e.end <= a.value.end;
  const removed = d.moveEdits.filter(inValue);
  const take = new Set(
    tokens.flatMap((t, i) => (removed.some((e) => e.start <= t.start && t.end <= e.end) ? [i] : [])),
  );
  const left = tokens.map((t, i) => ({ t, i })).filter(({ i }) => !take.has(i));
  const expanded = left.map(({ t }) => s.expand(t.text));
  if (expanded.some((v) => v === null)) return undefined;
  const wordsOf = (from: number, to: number) =>
    expanded.slice(from, to).flatMap((v) => (v as string).split(/\s+/).filter(Boolean));
  const movable = ({ t }: { t: { text: string } }) => {
    const ref = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$/.exec(t.text);
    if (!ref && !/^[A-Za-z0-9_./:,=+@%][A-Za-z0-9_./:,=+@%-]*$/.test(t.text)) return false;
    const words = (s.expand(t.text) ?? '').split(/\s+/).filter(Boolean);
    if (!words.length || words.some((x) => x.startsWith('-'))) return false;
    // Our lines read the variable where they are put, below command_args: it must not change there.
    const name = ref?.[1] ?? ref?.[2];
    return !(name && s.initd.assignments.some((b) => b.fn === null && b.name === name && b.start > a.end));
  };
  for (let j = left.length - 1; j >= 0 && movable(left[j]); j--) {
    const before = wordsOf(0, j);
    const prev = before[before.length - 1];
    if (holdsOperand(before) || (prev !== undefined && prev.startsWith('-') && !prev.includes('='))) continue;
    const run = left.slice(j);
    return {
      text: run.map(({ t }) => t.text).join(' '),
      words: wordsOf(j, left.length),
      edits: [
        ...d.moveEdits.filter((e) => !inValue(e)),
        ...removeTokens(ctx.initdPath, tokens, new Set([...take, ...run.map(({ i }) => i)])),
      ],
    };
  }
  return undefined;
}

/** Evidence kinds by strength (Evidence: strongest first); --min-evidence names one of the last three. */
const STRENGTH: Record<Evidence['kind'], number> = { user: 0, rule: 1, script: 2, unit: 3 };

/**
 * --min-evidence: the foreground decision (the evidence chooseForeground added) is refused when
 * it is weaker than asked. An admin who trusts only sourced knowledge (`rule`) keeps the
 * migrations that rest on a script's own word (command_background=yes, which a wrong script
 * also says) for a look by hand, with the reason.
 */
function tooWeak(ctx: StepContext, d: Draft): Refusal | void {
  // The fix loop's own output: the words written there are ours (command_args_foreground).
  if (ctx.options.residual) return;
  const need = ctx.options.minEvidence;
  const ev = d.evidence[d.evidence.length - 1];
  if (!need || !ev || STRENGTH[ev.kind] <= STRENGTH[need]) return;
  return {
    kind: 'refuse',
    code: 'needs-foreground',
    reason: `how the daemon stays in the foreground rests on ${ev.kind === 'script' ? "the script's own word" : 'a systemd unit'} (${ev.detail}), and --min-evidence ${need} asks for ${need === 'rule' ? 'a rule (curated or knowledge base)' : 'the script or a rule'}`,
    suggestion:
      'check in the daemon\'s manual that it stays in the foreground, then migrate it with --foreground-args (its no-fork words, or "" when it never forks), or without --min-evidence',
  };
}

/**
 * The words left in command_args once the moved ones are gone (a converted start()'s launch
 * words, else command_args as written), expanded and split; null when any is not static.
 */
export function argsLeft(s: Service, d: Draft): string[] | null {
  const assigns = s.initd.topLevel('command_args');
  const raw = d.converted
    ? d.converted.args.filter((_, i) => !d.convertedTake.has(i)).map((a) => a.text)
    : assigns.length === 1
      ? (splitValue(assigns[0].value.text, assigns[0].value.start, assigns[0].value.quote) ?? []).map((x) => x.text)
      : null;
  if (!raw) return null;
  const moved = new Set(d.movedText.split(/\s+/).filter(Boolean));
  const written = d.converted ? raw : withoutRedirections(raw);
  const values = written.filter((w) => !moved.has(w)).map((w) => s.expand(w));
  if (values.some((v) => v === null || v === undefined)) return null;
  return (values as string[]).flatMap((w) => w.split(/\s+/)).filter(Boolean);
}

/**
 * command_args written with redirections (silcd's `-f /etc/silc/silcd.conf >/dev/null 2>&1`):
 * both backends put command_args unquoted into the line they `eval` (docs/openrc.md §2), so such
 * words redirect the start command and never reach the daemon; the words OpenRC appends after
 * them still do. Only words written as a whole redirection, without quotes or expansions
 * (`>file`, `2>&1`, `>` and its target), are dropped.
 */
function withoutRedirections(words: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (/^[0-9]?(>>?|<)$/.test(w) && i + 1 < words.length && /^[A-Za-z0-9_./-]+$/.test(words[i + 1])) {
      i++;
      continue;
    }
    if (/^[0-9]?(>>?|<)([A-Za-z0-9_./-]+|&[0-9-])$/.test(w)) continue;
    out.push(w);
  }
  return out;
}

/**
 * tpm-emulator's start(): `command_args="${my_command_args} $(service_get_value STARTUP_MODE)"`,
 * then default_start; clsync's start_pre() builds command_args the same way. Those words are
 * known only when the service starts, and rc-supervise need not read them when the script
 * backgrounds the daemon with command_background=yes: openrc-run runs start_pre() and start()
 * as functions of the one shell whose default_start then reads command_args, and ssd_start and
 * supervise_start both hand it to the daemon through the same `eval ... -- $command_args`
 * (start-stop-daemon.sh, supervise-daemon.sh), so the daemon gets the same words under either
 * supervisor; start-stop-daemon ran it with --background --make-pidfile, so with those words it
 * does not fork. What else the words could matter for is settled here or in the pidfile step:
 * nothing is appended after them (no command_args_foreground or command_args_background is
 * set, and none is added: the words stay the only ones), none of them reads ${pidfile} (which
 * the supervisor's own pid file replaces), and a pid file option among them cannot name the
 * supervisor's (pidfile.ts gives it one of its own unless the daemon has no such option).
 * A rule's foreground words must be among the words the script shows, or its word and the
 * rule's disagree. Returns the functions that set command_args, why it does not apply (added
 * to the refusal that names command_args), or undefined when command_args is not set so.
 */
export function argsSetAtStart(ctx: StepContext, d: Draft): { fns: string[] } | { whyNot: string } | undefined {
  const s = ctx.service;
  const unknown = s.unknown.get('command_args');
  if (!unknown || !unknown.startsWith('set inside ') || d.converted) return undefined;
  const all = s.initd.assignments.filter((a) => a.name === 'command_args');
  const inFns = all.filter((a) => a.fn !== null && !s.initd.setsLocal(a));
  if (all.some((a) => a.fn === null) || s.rcconf.some((f) => f.assignments.some((a) => a.name === 'command_args')))
    return undefined;
  const fns = [...new Set(inFns.map((a) => a.fn!))];
  const why: string[] = [];
  if (!isYes(s.value('command_background')))
    why.push(
      'the script does not background the daemon (no command_background=yes), so those words decide whether it forks or writes a pid file, and they cannot be read before it starts',
    );
  const appended = ['command_args_background', 'command_args_foreground'].find(
    (n) => s.isSet(n) || s.initd.assignments.some((a) => a.name === n),
  );
  if (appended) why.push(`${appended} is set too, and OpenRC appends it after those words`);
  // What the words read: the assignments themselves (and conf.d's command_args, which they may
  // append to), the functions their command substitutions run, and the values of variables that
  // functions set (one level).
  const fnBody = (name: string) => {
    const f = s.initd.functions.find((x) => x.name === name);
    return f ? s.initd.text.slice(f.body.start, f.body.end) : '';
  };
  const texts = [...inFns, ...(s.confd?.assignments.filter((a) => a.name === 'command_args') ?? [])].map(
    (a) => a.value.text,
  );
  for (const a of inFns)
    for (const m of a.value.text.matchAll(/\$\(\s*([A-Za-z_][\w-]*)|`\s*([A-Za-z_][\w-]*)/g))
      if (s.defines(m[1] ?? m[2])) texts.push(fnBody(m[1] ?? m[2]));
  for (const a of inFns)
    for (const r of referencedVars(a.value.text))
      texts.push(...s.initd.assignments.filter((b) => b.name === r && b.fn !== null).map((b) => b.value.text));
  if (texts.some((x) => /\$\{?pidfile\b/.test(x)))
    why.push("those words read ${pidfile}, which would name the supervisor's own pid file under supervise-daemon");
  const fg = (ctx.rule?.foreground ?? '').split(/\s+/).filter(Boolean);
  if (fg.length && !why.length) {
    // The words as far as they are static: command substitutions count as one unknown word.
    const shown = (text: string) =>
      (s.expand(text.replace(/\$\(([^()]*)\)|`[^`]*`/g, 'x')) ?? '').split(/[\s"']+/).filter(Boolean);
    const appends = (text: string) => /^"?\$\{?command_args\}?[\s"]/.test(text);
    const lacking = inFns.find((a) => !appends(a.value.text) && !fg.every((w) => shown(a.value.text).includes(w)));
    if (lacking)
      why.push(
        `the words ${lacking.fn}() sets do not show ${fg.join(' ')}, which keeps ${ctx.rule!.id} in the foreground (rule ${ctx.rule!.id}): command_background=yes and the rule disagree`,
      );
  }
  return why.length ? { whyNot: why.join('; ') } : { fns };
}

function chooseForeground(ctx: StepContext, d: Draft): Refusal | void {
  const { service: s, rule, options: opts } = ctx;
  // samplicator's start_post(): `pgrep -n samplicate > ${PID}`. The script finds the daemon's
  // pid after the launch because the launched process does not stay: the daemon forks (its
  // conf.d passes samplicate's fork flag), whatever --make-pidfile suggested. Under the
  // supervisor that line would also overwrite the supervisor's pid file.
  const rewrites = s.initd.commands.filter(
    (c) =>
      c.fn !== null &&
      (c.name === 'pgrep' || c.name === 'pidof') &&
      [...s.initd.text.slice(c.end, s.initd.lineEnd(c.end)).matchAll(/(?<![0-9&])>>?\s*([^\s;&|]+)/g)].some(
        (m) => m[1] !== '/dev/null',
      ),
  );
  // Only a rule or the user can say how the daemon stays in the foreground: the script's own
  // hints (command_background, --make-pidfile) are what that line contradicts.
  const told = opts.foregroundArgs !== undefined || rule?.foreground !== undefined;
  for (const rewrite of rewrites) {
    const guard = pidWriteGuard(ctx, rewrite);
    // Guarded already (a second run): it runs only under start-stop-daemon.
    if (typeof guard !== 'string' && !guard.edit) continue;
    const edit = typeof guard === 'string' ? undefined : guard.edit;
    if (typeof guard === 'string' || !edit || !told)
      return {
        kind: 'refuse',
        code: 'needs-foreground',
        reason: `${rewrite.fn}() writes a pid file from ${rewrite.name} after the launch: the script finds the daemon after it has forked, so nothing it does shows the daemon stays in the foreground, and under the supervisor that line would overwrite the supervisor's pid file${told && typeof guard === 'string' ? ` (${guard}, so rc-supervise does not make it run only under start-stop-daemon)` : ''}`,
        suggestion: told
          ? 'make that line run only when ${supervisor} is not supervise-daemon by hand, then migrate again'
          : `remove that line, then migrate with --foreground-args (the daemon's no-fork words)`,
      };
    // The rule (or the user) says how the daemon stays in the foreground: that line is only how
    // the start-stop-daemon path finds a daemon that forked. Under supervise-daemon it must not
    // run (the supervisor's pid file holds the supervisor's pid); under start-stop-daemon it runs
    // as before.
    d.pidWriteGuards.push(edit);
    d.notes.push(
      `${rewrite.fn}()'s \`${guard.line}\` now runs only when the supervisor is not supervise-daemon: it finds the daemon once it has forked from start-stop-daemon's launch; under supervise-daemon the daemon stays in the foreground and the supervisor writes its own pid file, which that line would overwrite`,
    );
  }
  if (d.pidWriteGuards.length)
    d.initdReasons.push(
      'start_post() writes the pid file after the launch, and only init.d can make that line run under start-stop-daemon only',
    );
  const atStart = argsSetAtStart(ctx, d);
  if (atStart && 'whyNot' in atStart) d.argsAtStartWhyNot = atStart.whyNot;
  if (s.isSet('command_args_foreground')) {
    // The script already says how to stay in the foreground: that wins over the rule.
    if (opts.foregroundArgs !== undefined && !opts.residual)
      d.notes.push('command_args_foreground is already set; --foreground-args was not used');
    d.foreground = undefined;
    d.evidence.push({ kind: 'script', detail: 'command_args_foreground is set by the script (or its conf.d)' });
    return;
  }
  if (opts.foregroundArgs !== undefined) {
    d.foreground = opts.foregroundArgs;
    d.evidence.push({ kind: 'user', detail: `--foreground-args=${JSON.stringify(opts.foregroundArgs)}` });
    if (rule?.refuse && !opts.residual)
      d.warnings.push(`without --foreground-args this service is refused (rule ${rule.id}): ${rule.refuse.reason}`);
    const fork = (staticWords(s, 'command_args') ?? []).find((w) => FORK_WORDS.test(w));
    if (fork && !(rule?.backgroundFlags ?? []).some((f) => f.flag === fork))
      d.warnings.push(
        `command_args still passes ${fork}, which may make the daemon fork whatever --foreground-args says: if it does, move it to command_args_background by hand`,
      );
    return;
  }
  // tpm-emulator: command_args set only when the service starts, beside command_background=yes.
  if (atStart && 'fns' in atStart) {
    d.foreground = '';
    d.argsAtStart = atStart.fns;
    const where = atStart.fns.map((f) => `${f}()`).join(', ');
    d.evidence.push({
      kind: 'script',
      detail: `command_background=yes: start-stop-daemon ran the daemon with --background --make-pidfile and the words ${where} sets in command_args, so with them it does not fork`,
    });
    const fgSource = rule?.sources.find((x) => x.startsWith('foreground:')) ?? rule?.sources[0];
    if (rule?.foreground)
      d.evidence.push({
        kind: 'rule',
        detail: `${rule.origin === 'knowledge' ? 'knowledge base' : 'rule'} ${rule.id}: ${rule.foreground}, which the words ${where} sets already hold${fgSource ? ` (${fgSource.replace(/^foreground:\s*/, '')})` : ''}`,
      });
    d.notes.push(
      `command_args is set only when the service starts, by ${where}: rc-supervise does not read those words, and need not: openrc-run runs ${where} in the shell whose default_start then hands command_args to the supervisor, through the same eval under supervise-daemon as under start-stop-daemon, so the daemon gets the same words, and command_background=yes says it stays in the foreground with them (supervise-daemon does not read command_background); nothing is appended after them`,
    );
    return;
  }
  if (rule?.foreground !== undefined) {
    const fgWords = rule.foreground.split(/\s+/).filter(Boolean);
    const given = scriptArgs(s, d) ?? [];
    // The script already passes the rule's words in command_args (both backends), or an
    // unmistakable no-fork spelling (supervisord's --nodaemon where the rule says -n), or another
    // spelling the rule knows (dnsmasq's -k for --keep-in-foreground): nothing to add.
    d.foreground =
      (fgWords.length && fgWords.every((w) => given.includes(w))) ||
      given.some((w) => NO_FORK_WORDS.test(w) || !!rule.foregroundAliases?.includes(w))
        ? ''
        : rule.foreground;
    // exim's -bdf is -bd kept attached: it starts the SMTP listener itself. A launch that passes
    // no -bd (`exim -q30m`, a queue runner alone), its words all known, runs another mode of the
    // program, which -bdf would change; a daemonize flag moved out (d.movedText) or given counts.
    if (rule.foregroundNeedsFlag && d.foreground) {
      const raw = d.converted ? d.converted.args.map((a) => a.text) : [s.value('command_args') ?? '$'];
      const moved = d.movedText.split(/\s+/).filter(Boolean);
      const flags = (rule.backgroundFlags ?? []).filter((f) => f.why === 'daemonize');
      const passes = flags.some((f) => [...given, ...moved].some((w) => w === f.flag || w.startsWith(`${f.flag}=`)));
      if (raw.every((x) => !/[$`]/.test(x)) && !passes)
        return {
          kind: 'refuse',
          code: 'rule',
          reason: `${rule.id}'s no-fork word ${rule.foreground} is ${flags.map((f) => f.flag).join(' or ')} kept attached, and starts that mode itself (rule ${rule.id}); the daemon's arguments (${given.join(' ') || 'none'}) pass no ${flags.map((f) => f.flag).join(' or ')}: they run ${rule.id} in another mode, which ${rule.foreground} would change`,
          suggestion: `keep this service on start-stop-daemon, or run ${rule.id} in a mode that has a foreground form (for exim, -bd with -q<time> in one daemon) and migrate again`,
        };
    }
    // snort's --create-pidfile: where the script had the daemon write its pid file (a daemonize
    // flag, or a pid file option, among its arguments), these words make it write the same file
    // in the foreground, where its pid file options (left in command_args) say. What reads that
    // file (snort's reload) reads on, and the supervisor keeps a pid file of its own (pidfileKept).
    // Not where it wrote none (sguil's log_packets, started with --make-pidfile): nothing to keep.
    const pidWords = (rule.foregroundPidfile ?? '').split(/\s+/).filter(Boolean);
    const names = (f: { flag: string }) => (w: string) => w === f.flag || w.startsWith(`${f.flag}=`);
    const wrote =
      pidWords.length > 0 &&
      [...(rule.backgroundFlags ?? []).filter((f) => f.why === 'daemonize'), ...(rule.keptPidfileFlags ?? [])].some(
        (f) => given.some(names(f)),
      );
    if (wrote) {
      const missing = pidWords.filter((w) => !given.includes(w));
      if (missing.length) d.foreground = [d.foreground, ...missing].filter(Boolean).join(' ');
      d.pidfileKept = true;
      d.notes.push(
        `${rule.id} wrote its own pid file under start-stop-daemon, and writes the same one in the foreground with ${pidWords.join(' ')} (rule ${rule.id}), where its pid file options in command_args say: what reads that file keeps working, and the supervisor keeps a pid file of its own`,
      );
    }
    const installed = rule.sources.find((x) => x.startsWith('installed version:'));
    const src =
      (rule.sources.find((x) => x.startsWith('foreground:')) ?? rule.sources[0] ?? '') +
      (installed ? `; ${installed}` : '');
    d.evidence.push({
      kind: 'rule',
      detail: `${rule.origin === 'knowledge' ? 'knowledge base' : 'rule'} ${rule.id}: ${rule.foreground === '' ? 'stays in the foreground by itself' : rule.foreground}${src ? ` (${src.replace(/^foreground:\s*/, '')})` : ''}`,
    });
    foregroundSideEffects(ctx, d);
    return;
  }
  // A script that backgrounds the daemon while also passing it a long fork word (cgproxy's
  // command_background with --daemon) says nothing about the foreground: the daemon forks.
  // (FORK_WORDS but the one-letter ones, which mean other things to too many daemons.)
  const scriptWords = scriptArgs(s, d);
  const longFork = (scriptWords ?? []).find((w) => FORK_WORDS.test(w) && w.length > 2);
  const found = scriptEvidence(ctx, d);
  const script = longFork ? null : found;
  const against = script && reliesOnNoFork(script) ? unitSaysForks(ctx, d, scriptWords) : undefined;
  if (script && against)
    return {
      kind: 'refuse',
      code: 'needs-foreground',
      reason: `the script says the daemon does not fork (${script.detail}), but ${against}: the two disagree, and one of them may be out of date`,
      suggestion:
        'check the daemon\'s manual: if it stays in the foreground with these arguments, migrate with --foreground-args=""; if it needs a no-fork word, pass that',
    };
  if (script) {
    d.foreground = '';
    d.evidence.push(script);
    // A one-letter fork spelling beside that evidence, for a daemon nothing here knows
    // (virtualhere's vhusbd gets -b from its conf.d: it forks, and the script was broken
    // under start-stop-daemon already). Not refused: -b/-d/-D are a directory, a bind
    // address or debug to many daemons (beanstalkd -b DIR, gitlab-runner -d DIR).
    const shortFork = rule ? undefined : (scriptWords ?? []).find((w) => FORK_WORDS.test(w) && w.length === 2);
    if (shortFork)
      d.warnings.push(
        `the daemon's arguments pass ${shortFork}, which many daemons read as "fork", and nothing rc-supervise knows says what it means to this one: if it makes the daemon fork, the supervisor loses it and starts it again and again; check its manual, and move a fork flag to command_args_background`,
      );
    foregroundSideEffects(ctx, d);
    return;
  }
  // The launched program, through its variable when static (`--exec "${DAEMON}"`).
  // Read as the rule lookup reads it (staticProgram): a name the lookup could not use is not
  // called "unknown daemon X" (memcached's binary from a conf.d the script sources).
  const cmd = d.converted?.command;
  const unreadable = cmd && /[$`]/.test(cmd) ? staticProgram(s, cmd) : undefined;
  const launched = cmd && !(unreadable && 'why' in unreadable) ? (s.expand(cmd) ?? cmd) : undefined;
  const daemon = launched ? unquoted(launched).split('/').pop() : cmd ? undefined : s.daemon;
  const daemonName = cmd ? daemon : daemon || s.daemon;
  const units = daemonName ? unitsFor(ctx.units, daemonName, s.name) : [];
  const why: string[] =
    longFork && found
      ? [`the script passes ${longFork}, a fork word, beside what says it does not fork (${found.detail})`]
      : [];
  for (const u of units) {
    const r = unitForeground(u, scriptWords);
    if ('bad' in r) {
      why.push(`${u.path}: ${r.bad}`);
      continue;
    }
    const risky = r.extra.filter((w) => FORK_WORDS.test(w));
    if (risky.length) {
      why.push(`the script passes ${risky.join(' ')}, which ${u.path} does not`);
      continue;
    }
    if (!r.words.length && scriptShowsFork(s, d)) {
      why.push(
        `${u.path} runs it with the script's own arguments as Type=${u.type}, but the script starts it with start-stop-daemon without --background, which returns only once the daemon has forked: the two disagree (a configuration setting may decide)`,
      );
      continue;
    }
    // Several option words the script lacks (oidentd's `-i -S`): which keeps it in the
    // foreground, and what the others change (-S: messages to stderr), a unit does not say.
    if (r.words.length > 1) {
      why.push(`${u.path} passes several options the script does not (${r.words.join(' ')})`);
      continue;
    }
    d.foreground = r.words.join(' ');
    d.evidence.push({
      kind: 'unit',
      detail: `${u.path}: Type=${u.type}, ExecStart=${u.execStart.join(' ')} (a strong hint, not proof)`,
    });
    d.notes.push(
      `foreground words from the systemd unit ${u.path} (${r.words.length ? r.words.join(' ') : 'no words: it runs in the foreground as the unit starts it'}); a unit is a strong hint, not proof: check the daemon's manual`,
    );
    if (scriptWords === null)
      d.warnings.push('command_args is not known statically: check that it holds no daemonize flag');
    return;
  }
  if (rule?.foregroundSince && rule.refuse) return { kind: 'refuse', code: 'rule', ...rule.refuse };
  return {
    kind: 'refuse',
    code: 'needs-foreground',
    reason: daemonName
      ? `unknown daemon ${daemonName}: no rule, nothing in the script and no systemd unit says how it stays in the foreground${why.length ? ` (${why.join('; ')})` : ''}`
      : `the daemon is not known statically: ${unreadable && 'why' in unreadable ? `start() launches ${cmd}, and ${unreadable.why}` : unreadableDaemon(s, cmd)}; so no rule or systemd unit can be looked up, and nothing in the script says how it stays in the foreground`,
    suggestion: 'pass the daemon\'s no-fork option, e.g. --foreground-args="--foreground" (see its manual)',
  };
}

/** Evidence that rests only on the script backgrounding the daemon itself (it may be out of date). */
function reliesOnNoFork(e: Evidence): boolean {
  return /--make-pidfile|^command_background=yes/.test(e.detail);
}

/**
 * A systemd unit of the same program that contradicts a script which backgrounds the daemon
 * itself (inadyn: an overlay's script written for 1.x, which stays in the foreground, installed
 * with 2.x, which forks unless -n; inadyn itself is caught by its knowledge entry, which
 * outranks the script). Type=forking with no fork word: the program forks by itself. Type=simple
 * (or notify, exec) with a long no-fork spelling the script does not pass (--foreground,
 * --nodaemon...): the program needs it to stay in the foreground. One-letter words (-n, -f, -F)
 * are not counted: they mean other things to too many programs.
 */
function unitSaysForks(ctx: StepContext, d: Draft, scriptWords: readonly string[] | null): string | undefined {
  const s = ctx.service;
  const cmd = d.converted?.command;
  const launched = cmd ? s.expand(cmd) : s.daemon;
  const name = launched ? unquoted(launched).split('/').pop() : undefined;
  if (!name) return undefined;
  // Only units named after the service or the program: a start script's name (run.sh) or a
  // program several packages run may be another package's unit.
  const named = (u: UnitFacts) => [`${s.name}.service`, `${name}.service`].includes(u.path.split('/').pop()!);
  for (const u of unitsFor(ctx.units, name, s.name).filter(named)) {
    const words = u.execStart.slice(1);
    // Only a written Type=forking: a unit with PIDFile= and no Type= is simple to systemd.
    if (
      u.type === 'forking' &&
      !words.some((w) => FORK_WORDS.test(w) || /^--?(daemon|daemonize|fork|background)=/.test(w))
    )
      return `${u.path} runs it as Type=forking without a fork word, so it forks by itself (or a setting of its configuration makes it fork)`;
    if (/^(simple|exec|notify|notify-reload|idle)$/.test(u.type)) {
      const have = new Set(scriptWords ?? []);
      const noFork = words.filter((w) => NO_FORK_WORDS.test(w) && !have.has(w));
      if (noFork.length)
        return `${u.path} runs it as Type=${u.type} with ${noFork.join(' ')}, which the script does not pass`;
    }
  }
  return undefined;
}

/**
 * Why the launched program has no name rc-supervise can read: the launch word or `command`
 * as written, and what its variables are (never "null" or "undefined").
 */
function unreadableDaemon(s: Service, launchWord: string | undefined): string {
  const vars = (t: string) => [...new Set([...t.matchAll(/\$\{?([A-Za-z_]\w*)/g)].map((m) => m[1]))];
  const explain = (t: string) =>
    vars(t)
      .map((n) => {
        const v = s.value(n);
        if (v === null) return `${n} is ${s.unknown.get(n) ?? 'set in a way rc-supervise cannot read'}`;
        if (v === undefined) return `${n} is not set by the script or its conf.d`;
        return null;
      })
      .filter((x): x is string => x !== null);
  if (launchWord !== undefined) {
    const why = explain(launchWord);
    return `start() launches ${launchWord}${why.length ? `, and ${why.join(', ')}` : ''}`;
  }
  if (s.command === null) {
    const known = s.unknown.get('command');
    if (known) return `command is ${known}`;
    const written = [...s.confdAssignments('command'), ...s.initdAssignments('command')].at(-1)?.value.text;
    if (written === undefined) return 'command is set in a way rc-supervise cannot read';
    const why = explain(written);
    return `command=${written}${why.length ? `, and ${why.join(', ')}` : ' cannot be read statically'}`;
  }
  return 'command is not set';
}

/** The test a guarded pid-file line starts with: it runs only under start-stop-daemon. */
export const UNSUPERVISED_TEST = '[ "${supervisor}" != supervise-daemon ]';

/**
 * The edit that makes start_post()'s `pgrep -n NAME > FILE` run only when the supervisor is
 * not supervise-daemon: `if [ "${supervisor}" != supervise-daemon ]; then <the line>; fi`.
 * An `if` whose test fails and that has no else returns 0, so start_post() succeeds under
 * supervise-daemon; under start-stop-daemon the line runs and returns what it did before.
 * Only the plain shape is taken: the command alone on its line in start_post(), with one
 * output redirect after its words and nothing else (no `;`, `&&`, pipe or continuation);
 * otherwise why not. No edit when the line already carries that guard (a second run).
 */
function pidWriteGuard(ctx: StepContext, c: Command): { edit?: Edit; line: string } | string {
  const f = ctx.service.initd;
  const t = f.text;
  const ls = f.lineStart(c.start);
  const le = f.lineEnd(c.start);
  if (c.end > le || /\\\r?\n/.test(t.slice(c.start, c.end))) return 'the command goes on over several lines';
  const before = t.slice(ls, c.start);
  const after = t.slice(c.end, le).replace(/\r?\n$/, '');
  const guarded = new RegExp(`^\\s*if ${escapeRe(UNSUPERVISED_TEST)}; then $`);
  const redirect = /^\s*>>?\s*("[^"`$]*(\$\{?[A-Za-z_]\w*\}?[^"`$]*)*"|[^\s;&|`'"()]+)/;
  const m = redirect.exec(after);
  if (!m) return 'its redirects are not one plain `> FILE`';
  const rest = after.slice(m[0].length);
  const line = t.slice(c.start, c.end) + m[0];
  if (guarded.test(before) && /^; fi( #)?\s*$/.test(rest)) return { line };
  if (c.fn !== 'start_post') return `it is in ${c.fn}(), not start_post()`;
  if (!/^\s*$/.test(before) || !/^\s*$/.test(rest)) return 'the line holds more than that one command';
  if (f.inHeredoc(c.start, c.end)) return 'it is in a here-document';
  // In a CRLF file the line ends in a carriage return: a trailing comment keeps `fi` a keyword.
  const text = `if ${UNSUPERVISED_TEST}; then ${line}; fi${f.eol === '\r\n' ? ' #' : ''}`;
  return { edit: { file: ctx.initdPath, start: c.start, end: c.end + m[0].length, text }, line };
}

function escapeRe(x: string): string {
  return x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
