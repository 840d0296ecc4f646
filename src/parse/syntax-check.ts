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

const available = new Map<ShellName, boolean>();

/**
 * `dash -n` (or `bash -n`) on the text, given on stdin. null when the shell is not installed:
 * the caller then cannot confirm anything and must say so.
 */
export function shellCheckSyntax(text: string, shell: ShellName = 'dash'): ShellVerdict | null {
  if (available.get(shell) === false) return null;
  const r = childProcess().spawnSync(shell, ['-n'], { input: text, encoding: 'utf8', timeout: 10_000 });
  if (r.error) {
    if ((r.error as NodeJS.ErrnoException).code === 'ENOENT') {
      available.set(shell, false);
      return null;
    }
    throw r.error;
  }
  available.set(shell, true);
  if (r.status === 0) return { ok: true, shell };
  const first = (r.stderr ?? '').split('\n').find((l) => l.trim()) ?? 'syntax error';
  // dash: "dash: 3: Syntax error: ..."; bash: "bash: line 3: syntax error ..."
  const m = /^[^:]*:\s*(?:line\s+)?(\d+):\s*(.*)$/.exec(first);
  return m ? { ok: false, shell, line: Number(m[1]), message: m[2] } : { ok: false, shell, message: first };
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
