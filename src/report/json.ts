/**
 * Machine-readable findings: a JSON array (2-space indent, trailing newline), one object
 * per finding in the order given, keys in this order:
 *
 *     { file, line, col, endLine?, endCol?, severity, ruleId, message, fixable, url }
 *
 * `endLine`/`endCol` are left out when unknown; `fixable` is 'safe', 'unsafe' or null;
 * `url` is the check's documentation page (docs/checks/<id>.md).
 * The edits themselves are not part of the output. No findings: `[]`.
 */
import type { Finding, Formatter, Severity } from '../lint/types.js';
import { checkUrl } from './check-docs.js';

export interface JsonFinding {
  file: string;
  line: number;
  col: number;
  endLine?: number;
  endCol?: number;
  severity: Severity;
  ruleId: string;
  message: string;
  fixable: 'safe' | 'unsafe' | null;
  url: string;
}

export function toJsonFinding(f: Finding): JsonFinding {
  return {
    file: f.file,
    line: f.line,
    col: f.col,
    ...(f.endLine !== undefined ? { endLine: f.endLine } : {}),
    ...(f.endCol !== undefined ? { endCol: f.endCol } : {}),
    severity: f.severity,
    ruleId: f.ruleId,
    message: f.message,
    fixable: f.fix ? f.fix.safety : null,
    url: checkUrl(f.ruleId),
  };
}

const json: Formatter = (findings) => JSON.stringify(findings.map(toJsonFinding), null, 2) + '\n';

export default json;
