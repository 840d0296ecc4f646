/**
 * GitHub Actions workflow commands, one annotation per finding, in the order given:
 *
 *     ::warning file=F,line=L,col=C,endLine=EL,endColumn=EC,title=rc-supervise (rule-id)::message
 *
 * `error` / `warning` / `notice` (for info). endLine/endColumn only when known. Escaping
 * is the one the runner undoes (as in @actions/core): in the message `%` → %25,
 * CR → %0D, LF → %0A; in property values additionally `:` → %3A and `,` → %2C. A
 * multi-line message therefore stays one command and shows as several lines in the
 * annotation. No findings: the empty string.
 */
import type { Finding, Formatter, Severity } from '../lint/types.js';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

export const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

export const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function githubLine(f: Finding): string {
  const props: [string, string | number | undefined][] = [
    ['file', f.file],
    ['line', f.line],
    ['col', f.col],
    ['endLine', f.endLine],
    ['endColumn', f.endCol],
    ['title', `rc-supervise (${f.ruleId})`],
  ];
  const p = props
    .filter((kv): kv is [string, string | number] => kv[1] !== undefined)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',');
  return `::${COMMAND[f.severity]} ${p}::${escapeData(f.message)}`;
}

const github: Formatter = (findings) => findings.map((f) => githubLine(f) + '\n').join('');

export default github;
