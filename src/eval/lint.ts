/**
 * `npm run eval -- --lint <dir>`: lint a real-world tree with the CLI (`rc-supervise lint
 * --format json`, one process), and give every finding its context (the line and two lines
 * either side) so that a sample can be judged by hand.
 */

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runCli } from './run.js';
import { sample } from './report.js';

export interface LintRecord {
  /** Relative to the linted directory. */
  file: string;
  line: number;
  col: number;
  ruleId: string;
  severity: string;
  message: string;
  fixable: string | null;
  /** Lines line-2 .. line+2, each `NNN| text`, the finding's line marked with `>`. */
  context: string[];
}

interface JsonFinding {
  file: string;
  line: number;
  col: number;
  severity: string;
  ruleId: string;
  message: string;
  fixable: string | null;
}

export async function lintTree(
  dir: string,
  extraArgs: string[] = [],
): Promise<{ records: LintRecord[]; exitCode: number; stderr: string }> {
  const abs = path.resolve(dir);
  // cwd = the tree, so that the paths in the findings are relative to it.
  const r = await runCli(['lint', '--format', 'json', ...extraArgs, '.'], 600_000, abs);
  let findings: JsonFinding[];
  try {
    findings = JSON.parse(r.stdout) as JsonFinding[];
  } catch {
    throw new Error(`rc-supervise lint exited ${r.code} without JSON output:\n${r.stderr.slice(0, 2000)}`);
  }
  const texts = new Map<string, string[]>();
  const lines = (f: string): string[] => {
    let t = texts.get(f);
    if (!t) {
      try {
        t = readFileSync(path.resolve(abs, f), 'utf8').split('\n');
      } catch {
        t = [];
      }
      texts.set(f, t);
    }
    return t;
  };
  const records = findings.map((f): LintRecord => {
    const file = path.relative(abs, path.resolve(abs, f.file));
    const all = lines(file);
    const context: string[] = [];
    for (let n = Math.max(1, f.line - 2); n <= Math.min(all.length, f.line + 2); n++)
      context.push(`${n === f.line ? '>' : ' '}${String(n).padStart(4)}| ${all[n - 1]}`);
    return {
      file,
      line: f.line,
      col: f.col,
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
      fixable: f.fixable,
      context,
    };
  });
  return { records, exitCode: r.code, stderr: r.stderr };
}

/** Findings per check: how many, at which severity, in how many files, and files where it fires more than once. */
export function lintTable(records: readonly LintRecord[], title: string): string {
  const byRule = new Map<string, LintRecord[]>();
  for (const r of records) byRule.set(r.ruleId, [...(byRule.get(r.ruleId) ?? []), r]);
  const rows = [...byRule].sort((a, b) => b[1].length - a[1].length);
  const out = [
    `### ${title}`,
    '',
    '| check | findings | error | warning | info | files | files with 2+ |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const [id, rs] of rows) {
    const perFile = new Map<string, number>();
    for (const r of rs) perFile.set(r.file, (perFile.get(r.file) ?? 0) + 1);
    const sev = (s: string) => rs.filter((r) => r.severity === s).length;
    out.push(
      `| ${id} | ${rs.length} | ${sev('error')} | ${sev('warning')} | ${sev('info')} | ${perFile.size} | ${[...perFile.values()].filter((n) => n > 1).length} |`,
    );
  }
  const files = new Set(records.map((r) => r.file)).size;
  out.push(
    `| **all** | ${records.length} | ${records.filter((r) => r.severity === 'error').length} | | | ${files} | |`,
  );
  return out.join('\n');
}

/** Up to `n` findings of every check, drawn with `seed`, each with its context, for judging true / false / debatable. */
export function lintSample(records: readonly LintRecord[], n: number, seed: number): string {
  const ids = [...new Set(records.map((r) => r.ruleId))].sort();
  const parts: string[] = [];
  for (const id of ids) {
    const pick = sample(
      records.filter((r) => r.ruleId === id),
      n,
      seed,
    );
    parts.push(`## ${id} (${pick.length} of ${records.filter((r) => r.ruleId === id).length})\n`);
    for (const [i, r] of pick.entries())
      parts.push(
        `${i + 1}. ${r.file}:${r.line}:${r.col} ${r.severity}: ${r.message}\n\`\`\`\n${r.context.join('\n')}\n\`\`\`\n   verdict: \n`,
      );
  }
  return parts.join('\n');
}
