/**
 * Everything rc-supervise writes into shell goes through here: a value becomes a word that
 * is data, never code, when the file is sourced. Values OpenRC later hands to `eval`
 * (command_args_foreground, output_log, ...) must in addition be words eval cannot run:
 * `parseWords` checks a user-given words string, `evalSafePath` a path.
 */

/** `'…'`: every byte literal; a `'` is closed, escaped and reopened. */
export function squote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The inside of a `"…"` word: `$`, backquote, `"` and `\` escaped, everything else literal. */
export function dquoteInner(s: string): string {
  return s.replace(/[$`"\\]/g, '\\$&');
}

/** `"…"`: the same value as squote, in the double quotes OpenRC's own files use. */
export function dquote(s: string): string {
  return `"${dquoteInner(s)}"`;
}

/** `NAME="value"`, the value as data. */
export function assignment(name: string, value: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`not a shell variable name: ${name}`);
  return `${name}=${dquote(value)}`;
}

/** Characters that never mean anything to the shell outside quotes, nor to eval. */
const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * One word for `eval`: as is when plain, else single-quoted. `quoteWords(ws)` is a string
 * that `eval set -- $string`... gives back exactly `ws` (checked by the property tests).
 */
export function quoteWord(w: string): string {
  return PLAIN.test(w) ? w : squote(w);
}

export function quoteWords(words: readonly string[]): string {
  return words.map(quoteWord).join(' ');
}

export type WordsResult = { ok: true; words: string[] } | { ok: false; reason: string };

/**
 * Splits a user-given words string (`--config "/etc/foo bar.conf"`) the way POSIX sh would,
 * accepting only what is data: plain characters, '…', "…" without expansions, and
 * backslash escapes. Anything the shell would run or expand is refused with the reason:
 * `$`, backquotes, operators (`; & | < > ( )`), a newline, unquoted globs, a leading `~`
 * or `#`, braces (bash brace expansion), an unterminated quote.
 */
export function parseWords(s: string): WordsResult {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  const bad = (what: string, i: number): WordsResult => ({
    ok: false,
    reason: `${what} at offset ${i} would be run or expanded by the shell, not passed as data`,
  });
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === ' ' || c === '\t') {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
      continue;
    }
    if (c === "'") {
      const j = s.indexOf("'", i + 1);
      if (j < 0) return { ok: false, reason: `unterminated ' quote at offset ${i}` };
      cur += s.slice(i + 1, j);
      inWord = true;
      i = j;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      for (; j < s.length && s[j] !== '"'; j++) {
        const d = s[j];
        if (d === '$' || d === '`') return bad(`'${d}' inside "…"`, j);
        if (d === '\\' && j + 1 < s.length && '$`"\\\n'.includes(s[j + 1])) {
          if (s[j + 1] === '\n') return bad('a line continuation', j);
          cur += s[++j];
        } else cur += d;
      }
      if (j >= s.length) return { ok: false, reason: `unterminated " quote at offset ${i}` };
      inWord = true;
      i = j;
      continue;
    }
    if (c === '\\') {
      if (i + 1 >= s.length) return { ok: false, reason: 'a trailing backslash escapes nothing' };
      if (s[i + 1] === '\n') return bad('a line continuation', i);
      cur += s[++i];
      inWord = true;
      continue;
    }
    if (c === '\n' || c === '\r') return bad('a newline', i);
    if (';&|<>()'.includes(c)) return bad(`the operator '${c}'`, i);
    if (c === '$' || c === '`') return bad(`'${c}'`, i);
    if ('*?['.includes(c)) return bad(`the glob character '${c}' (quote it)`, i);
    if ('{}'.includes(c)) return bad(`the brace '${c}' (quote it)`, i);
    if (!inWord && (c === '~' || c === '#')) return bad(`a leading '${c}' (quote it)`, i);
    if (c === '\0') return { ok: false, reason: `a NUL byte at offset ${i}` };
    cur += c;
    inWord = true;
  }
  if (inWord) words.push(cur);
  return { ok: true, words };
}

/**
 * A directory or file path that stays one plain word under eval (OpenRC evals
 * `--stdout $output_log`): absolute, and only characters that mean nothing to the shell.
 * Returns the reason when it is not.
 */
export function evalSafePath(p: string): string | null {
  if (!p.startsWith('/')) return 'the path must be absolute';
  const m = /[^A-Za-z0-9_@%+=:,./-]/.exec(p);
  if (m)
    return `'${m[0] === '\n' ? '\\n' : m[0]}' at offset ${m.index}: OpenRC passes the path through eval, where only letters, digits and _@%+=:,./- are plain`;
  return null;
}
