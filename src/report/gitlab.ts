/**
 * GitLab Code Quality report (the `codequality` artifact of a CI job): a JSON array, one
 * object per finding, with the fields GitLab reads:
 *
 *     { description, check_name, fingerprint, severity, location: { path, lines: { begin } } }
 *
 * severity: error → major, warning → minor, info → info (GitLab's scale is info, minor,
 * major, critical, blocker; a lint finding is never a blocker). The fingerprint is the one
 * SARIF uses (report/common.ts): stable when lines move. `description` carries the check id,
 * as GitLab shows only it. No findings: `[]`.
 */
import type { Formatter, Severity } from '../lint/types.js';
import { checkUrl } from './check-docs.js';
import { fingerprints } from './common.js';

const SEVERITY: Record<Severity, string> = { error: 'major', warning: 'minor', info: 'info' };

const gitlab: Formatter = (findings) => {
  const prints = fingerprints(findings);
  return (
    JSON.stringify(
      findings.map((f, i) => ({
        description: `${f.message} [${f.ruleId}]`,
        check_name: f.ruleId,
        fingerprint: prints[i],
        severity: SEVERITY[f.severity],
        location: { path: f.file, lines: { begin: f.line } },
        url: checkUrl(f.ruleId),
      })),
      null,
      2,
    ) + '\n'
  );
};

export default gitlab;
