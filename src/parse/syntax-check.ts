/**
 * A real shell's opinion on a script's syntax. tree-sitter-bash misparses some valid sh
 * (`*" $i "*)` in a case, `"${X:+ (${X})}"`, `[ "$a" \< "$b" ]`), so a grammar error is only
 * a syntax error once a shell agrees. openrc-run sources init scripts with /bin/sh, which is
 * dash on many systems and bash on Gentoo: dash decides; when dash rejects and bash accepts,
 * the script only fails where /bin/sh is not bash.
 */
import { childProcess } from '../builtins.js';

export type ShellName = 'dash' | 'bash';

export interface ShellVerdict {
  /** The shell accepted the text (`sh -n` exit 0). */
  ok: boolean;
  shell: ShellName;
  /** The shell's message, without its name and line prefix. */
  message?: string;
  /** 1-based line the shell names, when it does. */
  line?: number;
}

/** `@WORD@` placeholders an ebuild fills in with sed (outside comments). */
export const TEMPLATE_WORD = /(?<![$\w@])@[A-Za-z_][A-Za-z0-9_]*@(?![\w@])/g;

export interface TemplateWord {
  start: number;
  end: number;
  text: string;
}

/** Template words outside comments (`comments`: the parsed comment spans, when known). */
export function templateWords(text: string, comments?: { start: number; end: number }[]): TemplateWord[] {
  const out: TemplateWord[] = [];
  for (const m of text.matchAll(TEMPLATE_WORD)) {
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    if (/^\s*#/.test(text.slice(lineStart, m.index))) continue;
    if (comments?.some((c) => m.index >= c.start && m.index < c.end)) continue;
    out.push({ start: m.index, end: m.index + m[0].length, text: m[0] });
  }
  return out;
}

/** The text with every template word replaced by a plain word of the same length (offsets kept). */
export function withoutTemplates(text: string, words = templateWords(text)): string {
  let out = '';
  let at = 0;
  for (const w of words) {
    out += text.slice(at, w.start) + 'x' + w.text.slice(1, -1) + 'x';
    at = w.end;
  }
  return out + text.slice(at);
}

/**
 * The environment the shells run in: only PATH (to find them; the default execvp uses when it
 * is unset) and LC_ALL=C. Their messages are then the same whatever the user's locale
 * (LANGUAGE=de turns bash's "syntax error" into "Syntaxfehler"), and nothing else they read
 * at start (BASH_ENV, ENV) can change what they report: a verdict depends on the text and the
 * shell alone (lint --cache keeps verdicts by both: src/lint/cache.ts).
 */
export const SHELL_PATH = process.env.PATH ?? '/usr/bin:/bin';
const SHELL_ENV = { PATH: SHELL_PATH, LC_ALL: 'C' };

const available = new Map<ShellName, boolean>();

/** Verdicts settled by checks started in the background (startShellCheck), by shell and text. */
const settled = new Map<string, ShellVerdict | null>();
const settledKey = (shell: ShellName, text: string) => `${shell}\0${text}`;

/** What the shell's exit status and stderr say. */
function verdict(shell: ShellName, status: number | null, stderr: string): ShellVerdict {
  if (status === 0) return { ok: true, shell };
  const first = stderr.split('\n').find((l) => l.trim()) ?? 'syntax error';
  // dash: "dash: 3: Syntax error: ..."; bash: "bash: line 3: syntax error ..."
  const m = /^[^:]*:\s*(?:line\s+)?(\d+):\s*(.*)$/.exec(first);
  return m ? { ok: false, shell, line: Number(m[1]), message: m[2] } : { ok: false, shell, message: first };
}

/**
 * `dash -n` (or `bash -n`) on the text, given on stdin. null when the shell is not installed:
 * the caller then cannot confirm anything and must say so.
 */
export function shellCheckSyntax(text: string, shell: ShellName = 'dash'): ShellVerdict | null {
  const early = settled.get(settledKey(shell, text));
  if (early !== undefined) return early;
  if (available.get(shell) === false) return null;
  const r = childProcess().spawnSync(shell, ['-n'], { input: text, encoding: 'utf8', timeout: 10_000, env: SHELL_ENV });
  if (r.error) {
    if ((r.error as NodeJS.ErrnoException).code === 'ENOENT') {
      available.set(shell, false);
      return null;
    }
    throw r.error;
  }
  available.set(shell, true);
  return verdict(shell, r.status, r.stderr ?? '');
}

/**
 * Starts `shell -n` on the text in the background; once the promise resolves, shellCheckSyntax
 * gives its verdict without running the shell again. Only a clean run is kept: one that failed
 * any other way (timed out, killed, stdin refused, spawn error other than a missing shell)
 * leaves the text to shellCheckSyntax, which then runs the shell itself, as without this.
 */
function startShellCheck(text: string, shell: ShellName): Promise<void> {
  const key = settledKey(shell, text);
  if (available.get(shell) === false || settled.has(key)) return Promise.resolve();
  return new Promise((resolve) => {
    const child = childProcess().spawn(shell, ['-n'], { stdio: ['pipe', 'ignore', 'pipe'], env: SHELL_ENV });
    const stderr: Buffer[] = [];
    let clean = true;
    let done = false;
    const finish = (v?: ShellVerdict | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (v !== undefined) settled.set(key, v);
      resolve();
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish();
    }, 10_000);
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') return finish();
      available.set(shell, false);
      finish(null);
    });
    child.stdin!.on('error', () => (clean = false));
    child.stderr!.on('data', (d: Buffer) => stderr.push(d));
    child.on('close', (status, signal) => {
      if (!clean || signal !== null || status === null) return finish();
      available.set(shell, true);
      finish(verdict(shell, status, Buffer.concat(stderr).toString('utf8')));
    });
    child.stdin!.end(text);
  });
}

/**
 * Starts, in the background, the shells confirmSyntax will ask about this text (bash beside
 * dash at once, in case dash rejects it), so that a batch can go on with other scripts while
 * they run: lint of a repository asks about each script the grammar cannot parse, and a
 * blocking `dash -n` + `bash -n` pair cost ~7 ms of waiting each (forking Node included).
 */
export function startConfirmation(text: string, shebang: string | null): Promise<void> {
  const t = withoutTemplates(text);
  if (shebang && /\bbash\b/.test(shebang)) return startShellCheck(t, 'bash');
  return Promise.all([startShellCheck(t, 'dash'), startShellCheck(t, 'bash')]).then(() => undefined);
}

export interface SyntaxConfirmation {
  /** 'error': no shell accepts it; 'bash-only': dash rejects, bash accepts; 'ok': dash accepts. */
  verdict: 'error' | 'bash-only' | 'ok' | 'unconfirmed';
  dash?: ShellVerdict;
  bash?: ShellVerdict;
}

/**
 * What real shells say about a script whose grammar parse failed. Template words are replaced
 * first (the ebuild fills them in). A script whose shebang names bash is judged by bash alone.
 */
export function confirmSyntax(text: string, shebang: string | null): SyntaxConfirmation {
  const t = withoutTemplates(text);
  if (shebang && /\bbash\b/.test(shebang)) {
    const bash = shellCheckSyntax(t, 'bash');
    return bash ? { verdict: bash.ok ? 'ok' : 'error', bash } : { verdict: 'unconfirmed' };
  }
  const dash = shellCheckSyntax(t, 'dash');
  if (!dash) return { verdict: 'unconfirmed' };
  if (dash.ok) return { verdict: 'ok', dash };
  const bash = shellCheckSyntax(t, 'bash');
  if (bash?.ok) return { verdict: 'bash-only', dash, bash };
  return { verdict: 'error', dash, bash: bash ?? undefined };
}

/** Offset of the start of 1-based `line` (the shell names lines, the grammar offsets). */
export function lineOffset(text: string, line: number): number {
  let at = 0;
  for (let i = 1; i < line; i++) {
    const n = text.indexOf('\n', at);
    if (n < 0) break;
    at = n + 1;
  }
  return at;
}

/**
 * Where a quote, `${`, `$(` or backquote opens that nothing closes: dash reports "Unterminated
 * quoted string" at the end of the file, ShellCheck at the opening quote (Alpine's coredns
 * script: `command_args="${ARGS:-\\-conf /etc/coredns/Corefile"` lacks its `}`, so the last
 * quote opens a string inside the expansion). The outermost opener still open at the end;
 * undefined when the scan finds none (then the shell's line stands). Hand-written: the grammar
 * gives one ERROR node over the rest of the file, which says no more.
 */
export function unclosedOpener(text: string): number | undefined {
  const stack: { kind: string; at: number }[] = [];
  const top = () => stack[stack.length - 1]?.kind;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const k = top();
    if (k === "'") {
      if (c === "'") stack.pop();
      continue;
    }
    if (c === '\\') {
      i++;
      continue;
    }
    if (k === '`' && c === '`') {
      stack.pop();
      continue;
    }
    if (c === '$' && text[i + 1] === '{') {
      stack.push({ kind: '${', at: i });
      i++;
      continue;
    }
    if (c === '$' && text[i + 1] === '(') {
      stack.push({ kind: '$(', at: i });
      i++;
      continue;
    }
    if (c === '"') {
      if (k === '"') stack.pop();
      else stack.push({ kind: '"', at: i });
      continue;
    }
    if (k === '"') continue;
    // Outside double quotes: single quotes, comments, backquotes and the closers.
    if (c === "'") stack.push({ kind: "'", at: i });
    else if (c === '`') stack.push({ kind: '`', at: i });
    else if (c === '#' && (i === 0 || /[\s;&|(]/.test(text[i - 1])) && k !== '${') {
      const nl = text.indexOf('\n', i);
      if (nl < 0) break;
      i = nl - 1;
    } else if (c === '}' && k === '${') stack.pop();
    else if (c === ')' && k === '$(') stack.pop();
    else if (c === '(' && k === '$(') stack.push({ kind: '(', at: i });
    else if (c === ')' && k === '(') stack.pop();
  }
  return stack[0]?.at;
}

/**
 * Where and what a shell's syntax error is, for lint's finding and migrate's exit-3 message
 * alike: the line the shell names, except for an unterminated string or expansion, which
 * dash and bash report at the end of the file: then where it opens (without here-documents,
 * which may hold anything). The grammar's first error when no shell gave a line.
 */
export function shellErrorSite(
  f: { text: string; heredocs: readonly unknown[]; errors: readonly { offset: number }[] },
  c: SyntaxConfirmation,
): { offset: number; message: string } {
  const shell = c.dash ?? c.bash;
  const name = c.dash ? 'dash' : 'bash';
  const opener =
    shell && /Unterminated|unexpected EOF|end of file unexpected/i.test(shell.message ?? '') && !f.heredocs.length
      ? unclosedOpener(f.text)
      : undefined;
  const eofLine = opener !== undefined ? ` (${name} reports it at line ${shell?.line ?? 'the end'})` : '';
  return {
    offset: opener ?? (shell?.line ? lineOffset(f.text, shell.line) : (f.errors[0]?.offset ?? 0)),
    message: `${name} -n: ${shell?.message ?? 'syntax error'}${opener !== undefined ? `: it opens here${eofLine}` : ''}`,
  };
}
