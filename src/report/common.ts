import { crypto } from '../builtins.js';
import type { Finding, Severity } from '../lint/types.js';

/** A run of line breaks (with the blanks around them) inside a message. */
const LINE_BREAKS = /[ \t]*[\r\n][ \t\r\n]*/g;

/** Folds a multi-line message onto one line (gcc style keeps one line per finding). */
export function oneLine(message: string): string {
  return message.replace(LINE_BREAKS, ' ');
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const n: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) n[f.severity]++;
  return n;
}

export function countFixable(findings: readonly Finding[]): { safe: number; unsafe: number } {
  let safe = 0;
  let unsafe = 0;
  for (const f of findings) {
    if (f.fix?.safety === 'safe') safe++;
    else if (f.fix?.safety === 'unsafe') unsafe++;
  }
  return { safe, unsafe };
}

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Stable identities for findings, as SARIF's partialFingerprints and GitLab's fingerprint
 * want them: the same finding keeps its fingerprint when lines are added above it (the line
 * number is not part of it) and two identical findings in one file are told apart by their
 * order. Hash of check id, file, the source line without its indentation, and that order.
 */
export function fingerprints(findings: readonly Finding[]): string[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const key = `${f.ruleId}\0${f.file}\0${(f.source ?? f.message).trim()}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return crypto().createHash('sha256').update(`${key}\0${n}`).digest('hex').slice(0, 32);
  });
}
