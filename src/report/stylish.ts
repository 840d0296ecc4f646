/**
 * ESLint's "stylish" layout for terminals:
 *
 *     (blank line)
 *     etc/init.d/foo                          <- underlined
 *        3:1   error    message  rule-id
 *                       | command_args="-p ${pidfile}"     <- the source line (when known)
 *                       |              ^^^^^^^^^^^^^^      <- caret under the finding
 *       12:10  warning  message  rule-id [*]               <- [*]: fixable (--fix; unsafe: --fix --unsafe)
 *     (blank line)
 *     ✖ 2 problems (1 error, 1 warning, 0 info)
 *       1 fixable with --fix, 1 more with --fix --unsafe
 *     (blank line)
 *     rule-id: https://…/docs/checks/rule-id.md                <- one per check shown
 *
 * The caret spans from the column to the end column on the same line (one ^ otherwise);
 * tabs before it are kept so that it lines up under the source as the terminal shows it.
 * Files keep the order in which they first appear; findings inside a file are sorted by
 * position (stable). The line number is right-aligned and the column left-aligned so the
 * `:` lines up, as ESLint does. Continuation lines of a multi-line message are indented
 * to the message column. Colour only with ctx.color 1.
 *
 * No findings: the empty string (as ESLint's stylish), so a clean run prints nothing.
 * The fix line is printed only when some finding carries a fix: "F fixable with --fix"
 * counts safe fixes, "U more with --fix --unsafe" unsafe ones ("U fixable with --fix
 * --unsafe" when there is no safe one).
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { Finding, FormatContext, Formatter, Severity } from '../lint/types.js';
import { checkUrl } from './check-docs.js';
import { countBySeverity, countFixable, plural } from './common.js';

const SEVERITY_COLOR: Record<Severity, (c: ChalkInstance) => ChalkInstance> = {
  error: (c) => c.red,
  warning: (c) => c.yellow,
  info: (c) => c.cyan,
};

function groupByFile(findings: readonly Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const g = groups.get(f.file);
    if (g) g.push(f);
    else groups.set(f.file, [f]);
  }
  for (const g of groups.values()) g.sort((a, b) => a.line - b.line || a.col - b.col);
  return groups;
}

function fileBlock(file: string, findings: readonly Finding[], c: ChalkInstance): string {
  const rows = findings.map((f) => {
    const [first, ...rest] = f.message.split(/\r\n|\r|\n/);
    return { f, line: String(f.line), col: String(f.col), first, rest };
  });
  const w = (pick: (r: (typeof rows)[number]) => string) => Math.max(...rows.map((r) => pick(r).length));
  const lineW = w((r) => r.line);
  const colW = w((r) => r.col);
  const sevW = w((r) => r.f.severity);
  const msgW = w((r) => r.first);
  // "  " + line + ":" + col + "  " + severity + "  "
  const msgIndent = ' '.repeat(2 + lineW + 1 + colW + 2 + sevW + 2);

  let out = `${c.underline(file)}\n`;
  for (const r of rows) {
    const pos = c.dim(`${r.line.padStart(lineW)}:${r.col.padEnd(colW)}`);
    const sev = SEVERITY_COLOR[r.f.severity](c)(r.f.severity) + ' '.repeat(sevW - r.f.severity.length);
    const mark = r.f.fix ? ` ${c.green(r.f.fix.safety === 'safe' ? '[*]' : '[*unsafe]')}` : '';
    out += `  ${pos}  ${sev}  ${r.first.padEnd(msgW)}  ${c.dim(r.f.ruleId)}${mark}\n`;
    for (const more of r.rest) out += more ? `${msgIndent}${more}\n` : '\n';
    if (r.f.source !== undefined && r.f.source.trim() !== '') {
      const src = r.f.source;
      const start = Math.min(Math.max(r.f.col - 1, 0), src.length);
      const end =
        r.f.endLine === r.f.line && r.f.endCol !== undefined ? Math.min(r.f.endCol - 1, src.length) : start + 1;
      const lead = src.slice(0, start).replace(/[^\t]/g, ' ');
      out += `${msgIndent}${c.dim('|')} ${src}\n`;
      out += `${msgIndent}${c.dim('|')} ${lead}${SEVERITY_COLOR[r.f.severity](c)('^'.repeat(Math.max(1, end - start)))}\n`;
    }
  }
  return out;
}

function summary(findings: readonly Finding[], c: ChalkInstance): string {
  const n = countBySeverity(findings);
  const color = n.error ? c.red : n.warning ? c.yellow : c.cyan;
  let out =
    color.bold(
      `\u2716 ${plural(findings.length, 'problem')} (${plural(n.error, 'error')}, ${plural(n.warning, 'warning')}, ${n.info} info)`,
    ) + '\n';
  const { safe, unsafe } = countFixable(findings);
  const parts: string[] = [];
  if (safe) parts.push(`${safe} fixable with --fix`);
  if (unsafe) parts.push(`${unsafe} ${safe ? 'more' : 'fixable'} with --fix --unsafe`);
  if (parts.length) out += color(`  ${parts.join(', ')}`) + '\n';
  // Where each check shown is explained (rc-supervise lint --explain ID prints the same page).
  const ids = [...new Set(findings.map((f) => f.ruleId))];
  const w = Math.max(...ids.map((id) => id.length));
  out += '\n' + ids.map((id) => `${c.dim(`${id.padEnd(w)}  ${checkUrl(id)}`)}\n`).join('');
  return out;
}

const stylish: Formatter = (findings: readonly Finding[], ctx: FormatContext): string => {
  if (findings.length === 0) return '';
  const c = new Chalk({ level: ctx.color });
  let out = '\n';
  for (const [file, group] of groupByFile(findings)) out += fileBlock(file, group, c) + '\n';
  return out + summary(findings, c);
};

export default stylish;
