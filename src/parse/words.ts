import type { Quote, Span } from './shellfile.js';

/**
 * A word as the daemon gets it when it is quoted whole (`"-f"` -> `-f`): one leading and one
 * trailing quote go, whatever they are (the steps compare words, they never write this back).
 */
export const unquoted = (text: string): string => text.replace(/^["']|["']$/g, '');

export interface Token extends Span {
  text: string;
}

/**
 * Splits the value of an assignment such as `command_args="-p ${pidfile} ${OPTS}"` into the
 * words OpenRC's `eval` will see, with their spans in the file. `\"...\"` inside a double
 * quoted value groups (eval turns it into a quote), and so do nested `${..}`, `$(..)` and
 * backticks. Returns null when the value cannot be split safely as text (mixed quoting).
 */
export function splitValue(valueText: string, valueStart: number, quote: Quote): Token[] | null {
  let inner: string;
  let base: number;
  switch (quote) {
    case 'empty':
      return [];
    case 'double':
    case 'single':
      inner = valueText.slice(1, -1);
      base = valueStart + 1;
      break;
    case 'none':
      inner = valueText;
      base = valueStart;
      break;
    default:
      return null;
  }
  return tokenize(inner, base, quote === 'single');
}

function tokenize(s: string, base: number, literal: boolean): Token[] | null {
  const out: Token[] = [];
  let i = 0;
  let start = -1;
  let evalQuote: '"' | "'" | null = null;
  const begin = () => {
    if (start < 0) start = i;
  };
  const flush = (end: number) => {
    if (start >= 0) out.push({ text: s.slice(start, end), start: base + start, end: base + end });
    start = -1;
  };
  while (i < s.length) {
    const ch = s[i];
    if (!literal && ch === '\\' && (s[i + 1] === '\n' || (s[i + 1] === '\r' && s[i + 2] === '\n'))) {
      // A line continuation: the shell removes it, so it separates words like a blank.
      flush(i);
      i += s[i + 1] === '\r' ? 3 : 2;
      continue;
    }
    if (!literal && ch === '\\') {
      begin();
      if (s[i + 1] === '"' && evalQuote !== "'") evalQuote = evalQuote === '"' ? null : '"';
      i += 2;
      continue;
    }
    if (literal && (ch === '"' || ch === "'")) {
      begin();
      if (evalQuote === null) evalQuote = ch;
      else if (evalQuote === ch) evalQuote = null;
      i++;
      continue;
    }
    if (!literal && ch === "'") {
      begin();
      if (evalQuote === null) evalQuote = "'";
      else if (evalQuote === "'") evalQuote = null;
      i++;
      continue;
    }
    // Also in a single-quoted value: OpenRC's eval parses it as shell, so `${A:=-p ${pidfile}}`
    // is one word there too (split at its blank, a moved half left `${A:=-p` behind). A
    // backslash there is still taken literally (as before), and an unclosed `${` or backtick
    // makes the value unsplittable (null: refused) where it used to be split at its blanks.
    if (ch === '$' || ch === '`') {
      const end = skipExpansion(s, i);
      if (end < 0) return null;
      begin();
      i = end;
      continue;
    }
    if (/\s/.test(ch) && evalQuote === null) {
      flush(i);
      i++;
      continue;
    }
    begin();
    i++;
  }
  if (evalQuote !== null) return null;
  flush(s.length);
  return out;
}

/** End index of the expansion starting at s[i] (`$x`, `${..}`, `$(..)`, `` `..` ``), or -1. */
function skipExpansion(s: string, i: number): number {
  if (s[i] === '`') {
    const j = s.indexOf('`', i + 1);
    return j < 0 ? -1 : j + 1;
  }
  const open = s[i + 1];
  if (open === '{' || open === '(') {
    const close = open === '{' ? '}' : ')';
    let depth = 0;
    for (let j = i + 1; j < s.length; j++) {
      const c = s[j];
      if (c === '\\') {
        j++;
        continue;
      }
      if (c === open) depth++;
      else if (c === close && --depth === 0) return j + 1;
    }
    return -1;
  }
  const m = /^\$(?:[A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])?/.exec(s.slice(i));
  return i + (m ? m[0].length : 1);
}

/**
 * Variables the caller can resolve: undefined = unset (empty in the shell), null = set to a
 * value nobody can know statically. A word that reads an unknown variable is itself unknown
 * (expandStatic returns null): unknown is never read as empty.
 */
export type Lookup = (name: string) => string | null | undefined;

/**
 * Expands a value as written (`"${A:-x} y"`, `'lit'`, `$B`) to the string the shell would
 * assign, when that is knowable without running anything. Returns null for command
 * substitutions, arithmetic and operators this needs no more than.
 */
export function expandStatic(written: string, lookup: Lookup): string | null {
  let out = '';
  let i = 0;
  let dq = false;
  while (i < written.length) {
    const c = written[i];
    if (c === '"') {
      dq = !dq;
      i++;
    } else if (c === "'" && !dq) {
      const j = written.indexOf("'", i + 1);
      if (j < 0) return null;
      out += written.slice(i + 1, j);
      i = j + 1;
    } else if (c === '\\') {
      const n = written[i + 1] ?? '';
      if (n === '\n') {
        i += 2;
        continue;
      }
      out += dq && !'$`"\\'.includes(n) ? c + n : n;
      i += 2;
    } else if (c === '$') {
      const end = skipExpansion(written, i);
      if (end < 0) return null;
      const v = expandParam(written.slice(i, end), lookup);
      if (v === null) return null;
      out += v;
      i = end;
    } else if (c === '`') {
      return null;
    } else {
      out += c;
      i++;
    }
  }
  return dq ? null : out;
}

/** POSIX `${v#pat}`, `${v##pat}`, `${v%pat}`, `${v%%pat}` for a pattern of literal text, `*` and `?`. */
export function removePattern(v: string, op: string, pat: string): string {
  const re = new RegExp(
    `^${[...pat].map((c) => (c === '*' ? '[\\s\\S]*' : c === '?' ? '[\\s\\S]' : c.replace(/[.+^${}()|\\]/g, '\\$&'))).join('')}$`,
  );
  const n = v.length;
  if (op === '#') {
    for (let i = 0; i <= n; i++) if (re.test(v.slice(0, i))) return v.slice(i);
  } else if (op === '##') {
    for (let i = n; i >= 0; i--) if (re.test(v.slice(0, i))) return v.slice(i);
  } else if (op === '%') {
    for (let i = n; i >= 0; i--) if (re.test(v.slice(i))) return v.slice(0, i);
  } else {
    for (let i = 0; i <= n; i++) if (re.test(v.slice(i))) return v.slice(0, i);
  }
  return v;
}

function expandParam(exp: string, lookup: Lookup): string | null {
  if (exp.startsWith('$(')) return null;
  if (!exp.startsWith('${')) {
    const name = exp.slice(1);
    if (!/^[A-Za-z_]\w*$/.test(name)) return null;
    const v = lookup(name);
    return v === null ? null : (v ?? '');
  }
  const trim = /^\$\{([A-Za-z_]\w*)(%%?|##?)([\s\S]*)\}$/.exec(exp);
  if (trim) {
    // ${VAR%/}, ${SVCNAME#*.}, ${SVCNAME%%.*}: patterns of literal text, `*` and `?` (as
    // POSIX removes them: # and % the shortest match, ## and %% the longest). Bracket
    // classes, quoting and expansions inside the pattern need a shell: not static.
    const [, name, op, pat] = trim;
    if (/[[\\$`"']/.test(pat)) return null;
    const known = lookup(name);
    if (known === null) return null;
    return removePattern(known ?? '', op, pat);
  }
  const m = /^\$\{([A-Za-z_]\w*)(?:(:?[-=+])([\s\S]*))?\}$/.exec(exp);
  if (!m) return null;
  const [, name, op, rest] = m;
  const v = lookup(name);
  // Unknown: whether it is set, empty or holds the default's words, nobody can say.
  if (v === null) return null;
  if (!op) return v ?? '';
  const colon = op.startsWith(':');
  const isSet = v !== undefined && (!colon || v !== '');
  if (op.endsWith('+')) return isSet ? expandStatic(rest, lookup) : '';
  return isSet ? v! : expandStatic(rest, lookup);
}

/** Splits an expanded string the way `eval` would into words (quotes group, no globbing). */
/**
 * The words OpenRC's eval makes of a value that still holds plain references (`\${V}`, `$V`,
 * as a migration writes command_args="\${opts}"): the references are expanded with `lookup`
 * (unquoted: split at blanks; in double quotes: one piece), as the eval does, once. Null when
 * a reference is unknown (lookup gives null) or is anything but a plain name.
 */
export function evalWordsWith(s: string, lookup: Lookup): string[] | null {
  return splitWords(s, lookup);
}

export function evalWords(s: string): string[] | null {
  return splitWords(s);
}

/**
 * One pass for both: without `lookup`, a `$` outside quotes makes the words unknown and one
 * inside double quotes is kept as text (what evalWords has always done for static values).
 */
function splitWords(s: string, lookup?: Lookup): string[] | null {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let q: '"' | "'" | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (lookup && c === '$' && q !== "'") {
      const m = /^\$(?:\{([A-Za-z_]\w*)\}|([A-Za-z_]\w*))/.exec(s.slice(i));
      if (!m) return null;
      const v = lookup(m[1] ?? m[2]);
      if (v === null) return null;
      i += m[0].length - 1;
      const value = v ?? '';
      if (q === '"') {
        cur += value;
        continue;
      }
      // Unquoted: field splitting at blanks (IFS's default).
      const parts = value.split(/[ \t\n]+/);
      for (let k = 0; k < parts.length; k++) {
        if (k > 0) {
          if (has) out.push(cur);
          cur = '';
          has = false;
        }
        if (parts[k] !== '') {
          cur += parts[k];
          has = true;
        }
      }
      continue;
    }
    if (q) {
      if (c === q) q = null;
      else if (c === '\\' && q === '"' && i + 1 < s.length) cur += s[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      q = c;
      has = true;
    } else if (c === '\\' && i + 1 < s.length) {
      cur += s[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has) out.push(cur);
      cur = '';
      has = false;
    } else {
      if ('$`'.includes(c)) return null;
      cur += c;
      has = true;
    }
  }
  if (q) return null;
  if (has) out.push(cur);
  return out;
}
