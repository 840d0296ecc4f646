/**
 * gcc / ShellCheck `-f gcc` style, one line per finding, in the order given, no summary:
 *
 *     etc/init.d/foo:3:1: warning: message [rule-id]
 *
 * Severity words are gcc's: `error`, `warning`, and `note` for info. A message that spans
 * several lines is folded onto one (line breaks become a space) so that editors and
 * `grep` see exactly one record per finding. No findings: the empty string.
 */
import type { Finding, Formatter, Severity } from '../lint/types.js';
import { oneLine } from './common.js';

const WORD: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note' };

export const gccLine = (f: Finding): string =>
  `${f.file}:${f.line}:${f.col}: ${WORD[f.severity]}: ${oneLine(f.message)} [${f.ruleId}]`;

const gcc: Formatter = (findings) => findings.map((f) => gccLine(f) + '\n').join('');

export default gcc;
