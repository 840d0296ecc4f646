import { applyEdits, type Edit } from '../edit/edits.js';
import type { Service } from '../model/service.js';
import { referencedVars } from '../steps/emit.js';

/**
 * transmission-daemon's start_pre() begins with `command_args="--config-dir ${config_dir}
 * --pid-file ${pidfile}"` and then only adds to it. OpenRC's own start reads command_args after
 * start_pre(), in the same shell (docs/openrc.md §2), so that first line may as well run when the
 * script is read: it reads only variables the top of the script (or conf.d) sets and no function
 * changes, runs unconditionally as start_pre()'s first statement, and nothing else reads
 * command_args. Written at the top, after the last line setting what it reads, it gives the same
 * value at the same point of the start, and the steps can read its words (the daemon's flags
 * among them); start_pre() still adds its words after it.
 *
 * Returns the edit moving that line and a note, or undefined when the script is not of that form.
 */
export interface Hoist {
  /** The edits on the original init.d: the line inserted at `at`, the statement's line [from, to) removed. */
  edits: Edit[];
  note: string;
  at: number;
  from: number;
  to: number;
  line: string;
}

export function hoistLeadingArgs(s: Service, initdPath: string): Hoist | undefined {
  const f = s.initd;
  const pre = f.fn('start_pre');
  // OpenRC's own start must be the one reading command_args.
  if (!pre || s.defines('start') || f.functions.filter((x) => x.name === 'start_pre').length !== 1) return undefined;
  const all = f.assignments.filter((a) => a.name === 'command_args');
  if (all.some((a) => a.fn !== null && a.fn !== 'start_pre') || all.some((a) => a.fn === null)) return undefined;
  const inPre = all.filter((a) => a.fn === 'start_pre').sort((a, b) => a.start - b.start);
  if (!inPre.length) return undefined;
  const first = inPre[0];
  const value = first.value.text;
  if (!first.plain || first.form !== 'assign' || first.declaration) return undefined;
  // Nothing in the value may run or read what only the start knows.
  if (/\$\(|`|\$[@*#?$!0-9-]|\$\{[@*#?$!0-9]/.test(value)) return undefined;
  const names = referencedVars(value);
  if (names.includes('command_args')) return undefined;
  // start_pre()'s first statement: nothing before it in the function.
  if (
    f.commands.some((c) => c.fn === 'start_pre' && c.start < first.start) ||
    f.assignments.some((a) => a.fn === 'start_pre' && a.start < first.start)
  )
    return undefined;
  // The rest of start_pre() only adds to it (`command_args="${command_args} …"`).
  if (inPre.slice(1).some((a) => !/^"?\$\{?command_args\}?[\s"]/.test(a.value.text) || a.declaration)) return undefined;
  // Nothing else reads command_args: only those additions.
  for (const m of f.text.matchAll(/\$\{?command_args(?![A-Za-z0-9_])/g))
    if (!inPre.slice(1).some((a) => a.value.start <= m.index && m.index < a.value.end)) return undefined;
  // What it reads has the same value at the top: set only there or in conf.d, statically, by
  // nothing a function (or a sourced file, an eval, a read) may change.
  const hidden = [s.initd, ...(s.confd ? [s.confd] : [])].some((x) =>
    x.commands.some((c) => /^(\.|source|eval|read|getopts)$/.test(c.name)),
  );
  if (hidden) return undefined;
  for (const n of names) {
    if (/^RC_/.test(n) && n !== 'RC_SVCNAME') return undefined;
    if (f.assignments.some((a) => a.name === n && a.fn !== null)) return undefined;
    if (s.value(n) === null) return undefined;
  }
  // The line holds that statement alone.
  const from = f.lineStart(first.start);
  const to = f.lineEnd(first.end);
  if (f.text.slice(from, first.start).trim() !== '' || f.text.slice(first.end, to).trim() !== '') return undefined;
  // Written after the last top-level line setting what it reads (or just before start_pre()).
  const setters = f.assignments.filter((a) => a.fn === null && names.includes(a.name));
  const at = setters.length
    ? Math.max(...setters.map((a) => f.statementLineEnd(a.start, a.end)))
    : f.lineStart(pre.start);
  if (at > from) return undefined;
  const line = `command_args=${value}${f.eol}`;
  return {
    at,
    from,
    to,
    line,
    edits: [
      { file: initdPath, start: at, end: at, text: line },
      { file: initdPath, start: from, end: to, text: '' },
    ],
    note: `start_pre() set command_args first, from values known when the script is read, and then only added to it: that first line now runs at the top of the script (OpenRC's start reads command_args after start_pre(), which still adds its words), so that the daemon's words can be read`,
  };
}

/**
 * The edits a plan made on the hoisted text, as edits on the original one (what a migration's
 * edits must describe): those on the moved line join its insertion, the others move by the
 * line's length. Undefined when one straddles the moved line or its old place, or when the
 * result would differ from applying both in turn (checked, never assumed).
 */
export function composeHoist(h: Hoist, original: string, file: string, edits: readonly Edit[]): Edit[] | undefined {
  const L = h.line.length;
  const mine = edits.filter((e) => e.file === file);
  const inside = mine.filter((e) => e.start >= h.at && e.end <= h.at + L);
  const others = mine.filter((e) => !inside.includes(e));
  const straddles = (e: Edit, p: number) => e.start < p && e.end > p;
  if (others.some((e) => straddles(e, h.at) || straddles(e, h.at + L) || straddles(e, h.from + L))) return undefined;
  const map = (p: number) => (p < h.at ? p : p - L + (p >= h.from + L ? h.to - h.from : 0));
  const text = applyEdits(
    h.line,
    inside.map((e) => ({ ...e, start: e.start - h.at, end: e.end - h.at })),
  );
  const composed: Edit[] = [
    { file, start: h.at, end: h.at, text },
    { file, start: h.from, end: h.to, text: '' },
    ...others.map((e) => ({ ...e, start: map(e.start), end: map(e.end) })),
    ...edits.filter((e) => e.file !== file),
  ];
  const expected = applyEdits(applyEdits(original, h.edits), mine);
  try {
    if (
      applyEdits(
        original,
        composed.filter((e) => e.file === file),
      ) !== expected
    )
      return undefined;
  } catch {
    return undefined;
  }
  return composed;
}
