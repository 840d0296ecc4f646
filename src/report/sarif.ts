/**
 * SARIF 2.1.0 log (for GitHub code scanning and other SARIF viewers): one run whose
 * tool.driver lists every check of ctx.checks as a rule, and one result per finding in
 * the order given. Pretty-printed (2-space indent) with a trailing newline; a run with no
 * findings still has its rules and an empty `results`. `version` comes first (SARIF
 * §3.13.2 says it SHOULD), then `$schema`, the OASIS URL of the 2.1.0 (errata 01) schema.
 *
 * - level: error → error, warning → warning, info → note (also for defaultConfiguration).
 * - Locations: a relative path becomes a relative URI (forward slashes, each segment
 *   percent-encoded) with uriBaseId %SRCROOT%; an absolute one a file:// URI.
 * - Columns are 1-based UTF-16 code units (columnKind utf16CodeUnits, SARIF's default,
 *   stated explicitly); endLine/endColumn only when known, endColumn exclusive, as in SARIF.
 * - Each rule has helpUri, its page under docs/checks/; each result a partialFingerprints
 *   entry `rcSupervise/v1` (report/common.ts) so that code scanning tracks it across edits.
 * - invocations[0] carries a notification per file that could not be read.
 * - A finding's fix becomes `fixes[0]`: its edits as replacements by character offset
 *   (charOffset/charLength against the original text), described as safe or unsafe.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ArtifactLocation, Fix as SarifFix, Log, ReportingDescriptor, Result } from 'sarif';
import type { Edit } from '../edit/edits.js';
import type { CheckMeta, Finding, Fix, Formatter, Severity } from '../lint/types.js';
import { checkUrl, fenced, PROJECT_URL } from './check-docs.js';
import { fingerprints } from './common.js';

export const SARIF_SCHEMA_URI =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
export const INFORMATION_URI = PROJECT_URL;

const LEVEL: Record<Severity, Result.level> = { error: 'error', warning: 'warning', info: 'note' };

/** A displayed path as a SARIF artifactLocation. */
export function artifactLocation(file: string): ArtifactLocation {
  if (path.isAbsolute(file)) return { uri: pathToFileURL(file).href };
  const segments = file.split(path.sep === '\\' ? /[\\/]/ : '/').filter((s) => s !== '' && s !== '.');
  return { uri: segments.map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

function rule(meta: CheckMeta): ReportingDescriptor {
  const { docs } = meta;
  return {
    id: meta.id,
    shortDescription: { text: meta.summary },
    helpUri: checkUrl(meta.id),
    fullDescription: { text: docs.what },
    help: {
      text: `${docs.why}\n\n${docs.fix}`,
      markdown: [
        docs.why,
        `**Fix:** ${docs.fix}`,
        '**Fires on:**',
        fenced(docs.example.bad, 'sh'),
        '**Does not fire on:**',
        fenced(docs.example.good, 'sh'),
      ].join('\n\n'),
    },
    defaultConfiguration: { level: LEVEL[meta.defaultSeverity] },
  };
}

function sarifFix(fix: Fix): SarifFix | undefined {
  if (fix.edits.length === 0) return undefined;
  const byFile = new Map<string, Edit[]>();
  for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  return {
    description: {
      text:
        fix.safety === 'safe'
          ? 'Safe fix, applied by `lint --fix`.'
          : 'Unsafe fix, applied only by `lint --fix --unsafe`.',
    },
    artifactChanges: [...byFile].map(([file, edits]) => ({
      artifactLocation: artifactLocation(file),
      replacements: edits.map((e) => ({
        deletedRegion: { charOffset: e.start, charLength: e.end - e.start },
        ...(e.text ? { insertedContent: { text: e.text } } : {}),
      })),
    })),
  };
}

function result(f: Finding, ruleIndex: ReadonlyMap<string, number>, fingerprint: string): Result {
  const index = ruleIndex.get(f.ruleId);
  const fix = f.fix && sarifFix(f.fix);
  return {
    ruleId: f.ruleId,
    ...(index !== undefined ? { ruleIndex: index } : {}),
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(f.file),
          region: {
            startLine: f.line,
            startColumn: f.col,
            ...(f.endLine !== undefined ? { endLine: f.endLine } : {}),
            ...(f.endCol !== undefined ? { endColumn: f.endCol } : {}),
          },
        },
      },
    ],
    partialFingerprints: { 'rcSupervise/v1': fingerprint },
    ...(fix ? { fixes: [fix] } : {}),
  };
}

export function sarifLog(findings: readonly Finding[], ctx: Parameters<Formatter>[1]): Log {
  const ruleIndex = new Map<string, number>();
  ctx.checks.forEach((c, i) => {
    if (!ruleIndex.has(c.id)) ruleIndex.set(c.id, i);
  });
  const prints = fingerprints(findings);
  // SARIF §3.13.2: the version property SHOULD appear first.
  return {
    version: '2.1.0',
    $schema: SARIF_SCHEMA_URI,
    runs: [
      {
        tool: {
          driver: {
            name: 'rc-supervise',
            version: ctx.version,
            informationUri: INFORMATION_URI,
            rules: ctx.checks.map(rule),
          },
        },
        // Files that could not be read are not silently missing: a notification each, and
        // the run is not "successful" (GitHub shows these as tool errors).
        invocations: [
          {
            executionSuccessful: !ctx.unreadable?.length,
            toolExecutionNotifications: (ctx.unreadable ?? []).map((text) => ({
              level: 'error' as const,
              message: { text },
            })),
          },
        ],
        columnKind: 'utf16CodeUnits',
        results: findings.map((f, i) => result(f, ruleIndex, prints[i])),
      },
    ],
  };
}

const sarif: Formatter = (findings, ctx) => JSON.stringify(sarifLog(findings, ctx), null, 2) + '\n';

export default sarif;
