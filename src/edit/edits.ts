/** A text edit against the ORIGINAL text of one file (offsets never shift between edits). */
export interface Edit {
  /** Path relative to the root, e.g. `etc/init.d/sshd`. */
  file: string;
  start: number;
  end: number;
  text: string;
}

export class OverlappingEditsError extends Error {
  constructor(
    readonly a: Edit,
    readonly b: Edit,
  ) {
    super(`internal: overlapping edits in ${a.file} at ${a.start}-${a.end} and ${b.start}-${b.end}`);
  }
}

/**
 * Applies non-overlapping edits. Insertions at the same offset keep the order given.
 * Overlaps are a bug in whoever planned them, never resolved by guessing.
 */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  if (edits.length === 0) return text;
  const sorted = edits
    .map((e, i) => ({ e, i }))
    .sort((x, y) => x.e.start - y.e.start || x.e.end - y.e.end || x.i - y.i)
    .map((x) => x.e);
  let out = '';
  let pos = 0;
  let prev: Edit | undefined;
  for (const e of sorted) {
    if (e.start < pos || e.end < e.start || e.end > text.length) throw new OverlappingEditsError(prev ?? e, e);
    out += text.slice(pos, e.start) + e.text;
    pos = e.end;
    prev = e;
  }
  return out + text.slice(pos);
}

/** Groups edits by file. */
export function byFile(edits: readonly Edit[]): Map<string, Edit[]> {
  const m = new Map<string, Edit[]>();
  for (const e of edits) {
    const list = m.get(e.file);
    if (list) list.push(e);
    else m.set(e.file, [e]);
  }
  return m;
}
