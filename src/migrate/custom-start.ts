import type { Edit } from '../edit/edits.js';
import { parseOptions } from '../model/options.js';
import type { Service } from '../model/service.js';
import type { Command, FunctionDef } from '../parse/shellfile.js';
import type { Token } from '../parse/words.js';
import type { ServiceRule } from '../rules/types.js';

/** Output helpers a start()/stop() may call around the one real command. */
const CHATTER = new Set(['ebegin', 'eend', 'einfo', 'veinfo', 'ewarn', 'vewarn', 'eindent', 'eoutdent', ':', 'return']);

export interface Converted {
  /** argv[0] as written, for `command=`. */
  command: string;
  /** The daemon's arguments as written, with spans in init.d. */
  args: Token[];
  /** Extra declarative lines derived from start-stop-daemon options (pidfile=, command_background=). */
  lines: string[];
  /** Edits removing start() and stop(). */
  removals: Edit[];
}

/**
 * A custom start()/stop() pair that only launches and stops one daemon becomes the
 * declarative variables (the wiki's avahi-daemon case), so that OpenRC's supervisor, not
 * the function, starts it. Anything more in the functions, or a program not known to be a
 * daemon, returns null: the caller refuses rather than guess (a one-shot's `swapon -a` looks
 * just like a daemon launch).
 */
export function convertCustomStart(s: Service, file: string, rule?: ServiceRule): Converted | null {
  const start = s.initd.fn('start');
  if (!start) return null;
  const stop = s.initd.fn('stop');
  const startCmds = s.initd.commands.filter((c) => c.fn === 'start' && !CHATTER.has(c.name));
  if (startCmds.length !== 1 || !onlyCommands(s, start)) return null;
  const launch = startCmds[0];
  let converted: Omit<Converted, 'removals'> | null = null;
  if (launch.name === 'start-stop-daemon') converted = fromSsd(launch);
  else if (launch.words[0].text.startsWith('/') && (rule?.daemons.includes(launch.name) ?? false))
    converted = { command: launch.words[0].text, args: launch.words.slice(1).map(tok), lines: [] };
  if (!converted) return null;
  if (stop) {
    const stopCmds = s.initd.commands.filter((c) => c.fn === 'stop' && !CHATTER.has(c.name));
    const ok =
      onlyCommands(s, stop) &&
      stopCmds.length === 1 &&
      (stopCmds[0].name === 'start-stop-daemon' ||
        stopCmds[0].name === launch.name ||
        /^(kill|pkill|killall)$/.test(stopCmds[0].name));
    if (!ok) return null;
  }
  const fns = [start, stop].filter((f): f is FunctionDef => !!f);
  // Whole lines only: a function sharing its line with other code, or continuing a line
  // (`\` at the end of the one before), cannot be cut out cleanly. Refuse rather than guess.
  if (!fns.every((f) => ownsItsLines(s, f))) return null;
  const removals = fns.map((f) => removeFunction(s, file, f));
  return { ...converted, removals };
}

/** The function body holds nothing but simple commands (no if/case/loops/pipes). */
function onlyCommands(s: Service, f: FunctionDef): boolean {
  const body = s.initd.text.slice(f.body.start + 1, f.body.end - 1);
  return !/\b(if|case|for|while|until)\b|\|\||&&|\|/.test(body.replace(/"[^"]*"|'[^']*'|#[^\n]*/g, ''));
}

const tok = (w: { text: string; start: number; end: number }): Token => ({ text: w.text, start: w.start, end: w.end });

function fromSsd(c: Command): Omit<Converted, 'removals'> | null {
  const words = c.words.slice(1).map((w) => w.text.replace(/^["']|["']$/g, ''));
  const p = parseOptions(words);
  if (!p.options.some((o) => o.spec.long === 'start')) return null;
  const allowed = new Set(['start', 'exec', 'pidfile', 'background', 'make-pidfile', 'quiet']);
  if (p.unknown.length || p.options.some((o) => !allowed.has(o.spec.long))) return null;
  const exec = p.options.find((o) => o.spec.long === 'exec');
  if (!exec?.value) return null;
  const written = (o: (typeof p.options)[number]) =>
    o.valueIndex !== undefined ? c.words[o.valueIndex + 1].text : o.value!;
  const lines: string[] = [];
  const pid = p.options.find((o) => o.spec.long === 'pidfile');
  if (pid?.value) lines.push(`pidfile=${written(pid)}`);
  if (p.options.some((o) => o.spec.long === 'background')) lines.push('command_background="yes"');
  const argStart = words[p.operandsAt - 1] === '--' ? p.operandsAt : words.length;
  return { command: written(exec), args: c.words.slice(argStart + 1).map(tok), lines };
}

function ownsItsLines(s: Service, f: FunctionDef): boolean {
  const t = s.initd.text;
  const start = s.initd.lineStart(f.start);
  if (t.slice(start, f.start).trim() !== '') return false;
  if (/\\\r?\n$/.test(t.slice(Math.max(0, start - 3), start))) return false;
  const end = s.initd.lineEnd(f.end);
  return t.slice(f.end, end).trim() === '';
}

/** Removes the whole function and, when it leaves two blank lines together, one of them. */
function removeFunction(s: Service, file: string, f: FunctionDef): Edit {
  const t = s.initd.text;
  const start = s.initd.lineStart(f.start);
  let end = s.initd.lineEnd(f.end);
  const before = t.slice(0, start);
  const prevBlank = before === '' || /(^|\n)[ \t]*\r?\n$/.test(before);
  const next = /^[ \t]*\r?\n/.exec(t.slice(end));
  if (prevBlank && next) end += next[0].length;
  return { file, start, end, text: '' };
}
