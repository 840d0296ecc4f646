import { confirmSyntax, templateWords } from '../../parse/syntax-check.js';
import type { ShellFile } from '../../parse/shellfile.js';
import type { Check, RawFinding } from '../check.js';

/** Offset of the start of 1-based `line` (the shell names lines, the grammar offsets). */
function lineOffset(f: ShellFile, line: number): number {
  let at = 0;
  for (let i = 1; i < line; i++) {
    const n = f.text.indexOf('\n', at);
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
 * Grammar errors confirmed by a real shell (src/parse/syntax-check.ts): one finding per file,
 * where the shell says. A file the shell accepts has no syntax error, whatever the grammar says.
 */
function confirmed(f: ShellFile, which: 'initd' | 'confd'): RawFinding[] {
  if (!f.errors.length) return [];
  const c = confirmSyntax(f.text, which === 'initd' ? f.shebang : null);
  const at = (line?: number) => (line ? lineOffset(f, line) : f.errors[0].offset);
  switch (c.verdict) {
    case 'ok':
      return [];
    case 'unconfirmed':
      // No shell here to ask: say what the grammar saw, without claiming the shell fails.
      return [
        {
          in: which,
          start: f.errors[0].offset,
          severity: 'info',
          message: 'the shell grammar cannot parse this, and no dash/bash was found to confirm it',
        },
      ];
    case 'bash-only':
      return [
        {
          in: which,
          start: at(c.dash?.line),
          severity: 'warning',
          message: `dash cannot parse this (${c.dash?.message ?? 'syntax error'}), bash can: the script only works where /bin/sh is bash`,
        },
      ];
    case 'error': {
      const shell = c.dash ?? c.bash;
      // An unterminated string or expansion is reported at the end of the file: point at
      // where it opens (a heredoc may hold anything: only without one).
      const opener =
        shell && /Unterminated|unexpected EOF|end of file unexpected/i.test(shell.message ?? '') && !f.heredocs.length
          ? unclosedOpener(f.text)
          : undefined;
      const eofLine =
        opener !== undefined ? ` (${c.dash ? 'dash' : 'bash'} reports it at line ${shell?.line ?? 'the end'})` : '';
      return [
        {
          in: which,
          start: opener ?? at(shell?.line),
          message: `${c.dash ? 'dash' : 'bash'} -n: ${shell?.message ?? 'syntax error'}${opener !== undefined ? `: it opens here${eofLine}` : ''}`,
        },
      ];
    }
  }
}

const check: Check = {
  meta: {
    id: 'syntax-error',
    defaultSeverity: 'error',
    summary: 'shell syntax error (confirmed by dash/bash), or an unfilled @TEMPLATE@',
    fixable: 'none',
    docs: {
      what: 'A script the shell cannot parse: the grammar found an error and `dash -n` (and `bash -n`) agree (an error; a warning when only bash accepts it). A file with `@WORD@` placeholders that an ebuild fills in is reported once, at info, as a template.',
      why: 'openrc-run fails on the script, so the service cannot start or stop. A template is not the installed script: lint the installed file for a full answer.',
      example: { bad: '#!/sbin/openrc-run\nif true; then\n', good: '#!/sbin/openrc-run\nif true; then\n\t:\nfi\n' },
      fix: 'None.',
    },
  },
  run(ctx) {
    const out = [...confirmed(ctx.initd, 'initd'), ...(ctx.confd ? confirmed(ctx.confd, 'confd') : [])];
    const t = templateWords(ctx.initd.text, ctx.initd.comments);
    // In a template a placeholder may stand for code (gitlab's `{@MAILROOM_STOP@`): the shell's
    // verdict on the uninstalled file is not certain for the installed one.
    if (t.length)
      for (const f of out)
        if (f.in === 'initd' && f.severity !== 'info') {
          f.severity = 'info';
          f.message += ' (in a template: the installed script, with its placeholders filled in, may parse)';
        }
    if (t.length) {
      const names = [...new Set(t.map((w) => w.text))];
      out.push({
        start: t[0].start,
        end: t[0].end,
        severity: 'info',
        message: `template: the ebuild fills in ${names.slice(0, 4).join(', ')}${names.length > 4 ? ', ...' : ''}; lint the installed file for a full answer`,
      });
    }
    return out;
  },
};
export default check;
