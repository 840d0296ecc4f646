import type { Edit } from '../edit/edits.js';

export type Severity = 'error' | 'warning' | 'info';

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export interface Fix {
  /** safe: applied by `lint --fix`; unsafe: only with `--fix --unsafe`. */
  safety: 'safe' | 'unsafe';
  /** Edits against the original text; `file` is the path as displayed in the finding. */
  edits: Edit[];
}

export interface Finding {
  /** Stable rule id, e.g. `ssd-signal`. */
  ruleId: string;
  severity: Severity;
  message: string;
  /** Path as shown to the user (relative to the current directory when possible). */
  file: string;
  /** 1-based. */
  line: number;
  col: number;
  endLine?: number;
  endCol?: number;
  fix?: Fix;
  /** The text of line `line` (no line break; long lines cut), for carets and fingerprints. */
  source?: string;
}

export interface CheckDocs {
  /** What it finds. */
  what: string;
  /** Why it matters under real OpenRC. */
  why: string;
  /** A snippet that fires, and one that does not. */
  example: { bad: string; good: string };
  /** The fix and its safety, or why there is none. */
  fix: string;
}

export interface CheckMeta {
  id: string;
  defaultSeverity: Severity;
  /** One line. */
  summary: string;
  docs: CheckDocs;
  fixable: 'safe' | 'unsafe' | 'none';
}

export interface FormatContext {
  checks: readonly CheckMeta[];
  /** rc-supervise version, for SARIF's tool.driver.version. */
  version: string;
  /** 0: no colour. */
  color: 0 | 1;
  /** Number of files linted (for summaries). */
  filesLinted: number;
  /** Why files could not be read (SARIF: invocation notifications). */
  unreadable?: readonly string[];
}

/** One output format: findings in, text out (the CLI writes it to stdout). */
export type Formatter = (findings: readonly Finding[], ctx: FormatContext) => string;
