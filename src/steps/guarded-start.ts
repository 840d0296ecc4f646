/**
 * start() and stop() that each do all their work under one condition with no else (mcstransd's
 * and restorecond's `if is_selinux_enabled; then … start-stop-daemon … fi`). When the condition
 * is false, start() succeeds having started nothing and stop() succeeds having stopped nothing:
 * OpenRC's own start cannot do that (it always launches), and a start_pre() returning 1 would
 * fail the service instead. So the functions stay, with their condition, and only the launch and
 * the stop inside them become OpenRC's own: `default_start` and `default_stop`, which dispatch
 * on supervisor= (openrc-run.sh: supervise_start/ssd_start, supervise_stop/ssd_stop). That is
 * the by-hand form the refusal of such a start() used to suggest.
 *
 * The launch's words, options and stop are read by the usual conversion, run on the script with
 * the two condition lines blanked out (same length, so every offset holds); its edits of start()
 * and stop() are replaced by these in-place ones. Anything that conversion would have put in
 * start_post(), stop_pre() or stop_post(), values it would hoist or defer, and a body with more
 * than one level of blocks are left to the usual refusal.
 */
import type { Edit } from '../edit/edits.js';
import { Service } from '../model/service.js';
import { ShellFile, type Command, type FunctionDef } from '../parse/shellfile.js';
import { CHATTER } from './chatter.js';
import { BRANCH_WORDS, stmtEnd, stripQuotedAndComments } from './shell-shape.js';
import type { Converted, Refusal, StepContext } from './types.js';

type Convert = (ctx: StepContext) => Converted | Refusal | 'oneshot' | null;

interface Guard {
  /** `if is_selinux_enabled; then`, as written (trimmed). */
  cond: string;
  /** The offsets of the `if …; then` line's text and the `fi` line's text. */
  open: [number, number];
  close: [number, number];
}

/** The condition a function's whole body sits under, or undefined. */
function guardOf(s: Service, f: FunctionDef): Guard | undefined {
  const t = s.initd.text;
  // The body span runs from `{` to `}`: the lines strictly between.
  const from = s.initd.lineEnd(f.body.start);
  const to = s.initd.lineStart(f.body.end);
  if (from >= to) return undefined;
  const lines: { text: string; start: number; end: number }[] = [];
  let pos = from;
  for (const raw of t.slice(from, to).split('\n')) {
    const end = pos + raw.replace(/\r$/, '').length;
    const text = raw.trim();
    if (text !== '' && !text.startsWith('#')) {
      const lead = raw.length - raw.trimStart().length;
      lines.push({ text, start: pos + lead, end });
    }
    pos += raw.length + 1;
  }
  if (lines.length < 3) return undefined;
  const first = lines[0];
  const last = lines[lines.length - 1];
  const m = /^if\s+(.+?);\s*then$/.exec(first.text);
  if (!m || last.text !== 'fi' || /(^|[\s;&|])(then|fi|else|elif)(\s|;|$)/.test(m[1])) return undefined;
  // One level only: nothing between opens or closes a block, and no line is continued into
  // the guard's own lines (a `\` before `fi`).
  const inner = lines.slice(1, -1);
  // Blocks read as custom-start.ts reads them (BRANCH_WORDS); a line ending in a brace or a
  // parenthesis may open or close a group or a subshell.
  const innerText = stripQuotedAndComments(t.slice(inner[0].start, inner[inner.length - 1].end));
  if ([...innerText.matchAll(BRANCH_WORDS)].length || inner.some((l) => /[{}()]\s*$/.test(l.text))) return undefined;
  if (/\\$/.test(inner[inner.length - 1].text)) return undefined;
  return { cond: first.text, open: [first.start, first.end], close: [last.start, last.end] };
}

/** The text with the guard lines of both functions blanked (same length). */
function unguarded(text: string, guards: Guard[]): string {
  let out = text;
  for (const g of guards)
    for (const [a, b] of [g.open, g.close]) out = out.slice(0, a) + ' '.repeat(b - a) + out.slice(b);
  return out;
}

/** The whole line (with its end of line) of a chatter command directly before or after `c` in `f`. */
function chatterLines(s: Service, f: FunctionDef, c: Command, guard: Guard): Edit[] | undefined {
  const file = s.initd.path;
  const within = s.initd.commands.filter(
    (x) => x.fn === f.name && x.start > guard.open[1] && x.end < guard.close[0] && x !== c,
  );
  const edits: Edit[] = [];
  for (const x of within) {
    if (!CHATTER.has(x.name)) {
      // Work after the launch or the stop would need start_post()/stop_post(): not this form.
      if (x.start > c.end) return undefined;
      continue;
    }
    // ebegin/eend around the launch: default_start and default_stop print their own.
    if (!['ebegin', 'eend'].includes(x.name)) continue;
    const ls = s.initd.lineStart(x.start);
    const le = s.initd.lineEnd(x.end);
    if (s.initd.text.slice(ls, x.start).trim() !== '' || s.initd.text.slice(x.end, le).trim() !== '') return undefined;
    edits.push({ file, start: ls, end: le, text: '' });
  }
  return edits;
}

/**
 * The conversion of a guarded start()/stop() pair, or undefined when the script is not of that
 * form or the usual conversion of its body needs more than an in-place launch and stop (then
 * the usual refusal stands).
 */
export function guardedConversion(ctx: StepContext, convert: Convert): Converted | undefined {
  const s = ctx.service;
  const start = s.initd.fn('start');
  const stop = s.initd.fn('stop');
  if (!start || !stop || s.initd.fn('restart')) return undefined;
  const gs = guardOf(s, start);
  const gt = guardOf(s, stop);
  if (!gs || !gt || gs.cond !== gt.cond) return undefined;
  const text = unguarded(s.initd.text, [gs, gt]);
  const initd = new ShellFile(s.initd.path, text);
  if (initd.errors.length) return undefined;
  const plain = new Service(s.name, initd, s.confd, s.rcconf);
  const r = convert({ ...ctx, service: plain });
  if (r === null || r === 'oneshot' || 'kind' in r) return undefined;
  if (r.hoist.length || r.deferred.length || r.argsAtStart?.length) return undefined;
  const startRange = [s.initd.lineStart(start.start), s.initd.lineEnd(start.end)];
  const stopRange = [s.initd.lineStart(stop.start), s.initd.lineEnd(stop.end)];
  const inFn = (e: Edit) =>
    (e.start < startRange[1] && e.end > startRange[0]) || (e.start < stopRange[1] && e.end > stopRange[0]);
  const mine = r.edits.filter(inFn);
  // What the usual conversion would have put after the launch or around the stop.
  if (mine.some((e) => /(^|\n)\s*(start_post|stop_pre|stop_post)\(\)/.test(e.text))) return undefined;
  const launches = s.initd.commands.filter(
    (c) => c.fn === 'start' && c.name === 'start-stop-daemon' && c.start > gs.open[1] && c.end < gs.close[0],
  );
  const stops = s.initd.commands.filter(
    (c) => c.fn === 'stop' && c.start > gt.open[1] && c.end < gt.close[0] && !CHATTER.has(c.name),
  );
  const launch = launches.length === 1 ? launches[0] : undefined;
  if (!launch || !s.ssdCalls.some((x) => x.cmd === launch && x.kind === 'start')) return undefined;
  if (stops.length !== 1 || !s.ssdCalls.some((x) => x.cmd === stops[0] && x.kind === 'stop')) return undefined;
  const file = ctx.initdPath;
  const edits: Edit[] = [];
  for (const [f, c, g, word] of [
    [start, launch, gs, 'default_start'],
    [stop, stops[0], gt, 'default_stop'],
  ] as const) {
    const around = chatterLines(s, f, c, g);
    if (!around) return undefined;
    const end = stmtEnd(c);
    if (s.initd.text.slice(end, s.initd.lineEnd(end)).trim() !== '') return undefined;
    edits.push(...around.map((e) => ({ ...e, file })), { file, start: c.start, end, text: word });
  }
  return {
    ...r,
    edits: [...r.edits.filter((e) => !inFn(e)), ...edits],
    notes: [
      ...r.notes.filter((n) => !/start_pre\(\)|start_post\(\)|stop_pre\(\)|stop_post\(\)/.test(n)),
      `start() and stop() do all their work under \`${gs.cond.replace(/;\s*then$/, '')}\` (start() succeeds having started nothing when it is false): they stay, with their launch and stop replaced by default_start and default_stop, which run the supervisor's start and stop`,
    ],
  };
}
