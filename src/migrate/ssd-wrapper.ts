import type { Edit } from '../edit/edits.js';
import { commandLists, OPENRC_OWN_COMMANDS } from '../model/commands.js';
import type { Service } from '../model/service.js';
import type { Command, FunctionDef } from '../parse/shellfile.js';

/** What writing out a script's start-stop-daemon wrapper changes, and the note that says so. */
export interface WrapperInlining {
  /** The wrapper function's name. */
  name: string;
  /** Edits of init.d: every call written out, the definition removed. */
  edits: Edit[];
  note: string;
}

/** A word reading the function's positional parameters (`$1`, `${#}`, `$*`, `"$@"`). */
const POSITIONAL = /\$(\{[#!]?)?[0-9#@*]/;

/**
 * metalog's `ssd() { start-stop-daemon --exec /usr/sbin/metalog --pidfile "${PIDFILE}" "$@" ; }`:
 * a top-level function whose body is one plain start-stop-daemon command ending in `"$@"`, no
 * other word reading the positional parameters. A call `ssd --start -- …` then runs exactly
 * `start-stop-daemon --exec … --pidfile "${PIDFILE}" --start -- …`: its words expand the same
 * way at the same moment (the function sets nothing of its own), "$@" is the call's arguments
 * one word each, and the function's status is that command's. So each call is written out as
 * that command and the unused function goes, after which the script is read as any other.
 * Only when every other mention of the name is a call by that plain name, and openrc-run never
 * runs the function itself (no hook, no extra command).
 */
export function ssdWrapperInlining(s: Service, file: string): WrapperInlining | undefined {
  const text = s.initd.text;
  const lists = commandLists(s, [0, 0, 0]).names;
  for (const f of s.initd.functions) {
    const body = wrapperBody(s, f);
    if (!body) continue;
    if (OPENRC_OWN_COMMANDS.has(f.name) || lists === null || lists.has(f.name)) continue;
    if (s.initd.functions.filter((g) => g.name === f.name).length !== 1) continue;
    const calls = s.initd.commands.filter((c) => c.words[0]?.text === f.name);
    if (calls.length === 0) continue;
    // A call with its own environment (`X=1 ssd …`), or inside the wrapper itself.
    if (calls.some((c) => c.start !== c.words[0].start || (c.start >= f.start && c.end <= f.end))) continue;
    // Every other mention of the name (`type ssd`, `eval "ssd …"`, a comment): left as it is.
    const mentions = [...code(s).matchAll(new RegExp(`(^|[^\\w-])${f.name}(?=[^\\w-]|$)`, 'g'))].length;
    if (mentions !== calls.length + 1) continue;
    if (!ownsItsLines(s, f)) continue;
    const written = body.words
      .slice(0, -1)
      .map((w) => w.text)
      .join(' ');
    const edits: Edit[] = calls.map((c) => ({ file, start: c.words[0].start, end: c.words[0].end, text: written }));
    const start = s.initd.lineStart(f.start);
    let end = s.initd.lineEnd(f.end);
    // The blank line after it too, where one was before it.
    const before = text.slice(0, start);
    const next = /^[ \t]*\r?\n/.exec(text.slice(end));
    if ((before === '' || /(^|\n)[ \t]*\r?\n$/.test(before)) && next) end += next[0].length;
    edits.push({ file, start, end, text: '' });
    return {
      name: f.name,
      edits,
      note: `${f.name}() only runs start-stop-daemon with fixed words before its caller's own ("$@"): each of its ${calls.length} call${calls.length === 1 ? '' : 's'} is read as that start-stop-daemon command, written out, and the function, then unused, is removed`,
    };
  }
  return undefined;
}

/** The wrapper's one command, when the function is nothing else. */
function wrapperBody(s: Service, f: FunctionDef): Command | undefined {
  const inner = s.initd.commands.filter((c) => c.start >= f.body.start && c.end <= f.body.end);
  if (inner.length !== 1 || inner[0].fn !== f.name) return undefined;
  const c = inner[0];
  if (c.name !== 'start-stop-daemon') return undefined;
  if (c.env?.length || c.inSubshell || c.redirects?.length || c.start !== c.words[0].start) return undefined;
  if (s.initd.functions.some((g) => g !== f && g.start >= f.start && g.end <= f.end)) return undefined;
  // Defined at the top level: not inside another function, so it exists before any call.
  if (s.initd.functions.some((g) => g !== f && g.start <= f.start && f.end <= g.end)) return undefined;
  const last = c.words[c.words.length - 1];
  if (last.text !== '"$@"' || c.words.slice(0, -1).some((w) => POSITIONAL.test(w.text))) return undefined;
  // `{ start-stop-daemon … "$@" ; }` or `{ …\n}`: nothing else in the body (no `|| …`, no `&`).
  const inside = s.initd.text.slice(f.body.start, f.body.end);
  const rest = inside.slice(0, c.start - f.body.start) + inside.slice(c.end - f.body.start);
  if (!/^\{[\s;]*\}$/.test(rest.replace(/\\\r?\n/g, ' '))) return undefined;
  return c;
}

/** init.d without its comments (quoted text kept: `eval "ssd …"` is a mention). */
function code(s: Service): string {
  let t = s.initd.text;
  for (const c of [...s.initd.comments].sort((a, b) => b.start - a.start))
    t = t.slice(0, c.start) + ' '.repeat(c.end - c.start) + t.slice(c.end);
  return t;
}

function ownsItsLines(s: Service, f: FunctionDef): boolean {
  const t = s.initd.text;
  const start = s.initd.lineStart(f.start);
  if (t.slice(start, f.start).trim() !== '') return false;
  if (/\\\r?\n$/.test(t.slice(Math.max(0, start - 3), start))) return false;
  return t.slice(f.end, s.initd.lineEnd(f.end)).trim() === '';
}

/**
 * The plan's edits, made against the text with the wrapper written out, as edits of the file as
 * read (what every caller of a plan expects: edits against the original texts). An edit ending
 * or starting inside a written-out call grows to take the whole call in (the text it keeps is
 * the written-out one); a written-out call or the removed definition no edit covers is an edit
 * of its own. Edits of other files pass unchanged.
 */
export function editsOnOriginal(inlining: WrapperInlining, inlined: string, edits: readonly Edit[]): Edit[] {
  const file = inlining.edits[0]?.file;
  // Each inlining edit's place in the original and in the inlined text.
  const regions: { os: number; oe: number; ts: number; te: number; text: string }[] = [];
  let shift = 0;
  for (const e of [...inlining.edits].sort((x, y) => x.start - y.start)) {
    const ts = e.start + shift;
    regions.push({ os: e.start, oe: e.end, ts, te: ts + e.text.length, text: e.text });
    shift += e.text.length - (e.end - e.start);
  }
  const toOriginal = (x: number): number => {
    const at = regions.find((r) => r.ts <= x && x <= r.te);
    if (at) return x === at.ts && at.ts < at.te ? at.os : at.oe;
    const before = regions.filter((r) => r.te < x);
    return x - before.reduce((n, r) => n + (r.te - r.ts) - (r.oe - r.os), 0);
  };
  const out: Edit[] = [];
  const covered = new Set<(typeof regions)[number]>();
  for (const e of edits) {
    if (e.file !== file) {
      out.push(e);
      continue;
    }
    let { start, end, text } = e;
    const inStart = regions.find((r) => r.ts < start && start < r.te);
    if (inStart) {
      text = inlined.slice(inStart.ts, start) + text;
      start = inStart.ts;
    }
    const inEnd = regions.find((r) => r.ts < end && end < r.te);
    if (inEnd) {
      text += inlined.slice(end, inEnd.te);
      end = inEnd.te;
    }
    const os = toOriginal(start);
    const oe = start === end ? os : toOriginal(end);
    for (const r of regions)
      if (os <= r.os && r.oe <= oe && start <= r.ts && r.te <= end && start < end) covered.add(r);
    out.push({ file, start: os, end: oe, text });
  }
  for (const r of regions) if (!covered.has(r)) out.push({ file: file!, start: r.os, end: r.oe, text: r.text });
  return out;
}
