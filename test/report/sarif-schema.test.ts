/**
 * Validates the SARIF output against the SARIF 2.1.0 JSON schema shipped by an npm
 * package (never hand-written, never fetched): @microsoft/jest-sarif, from Microsoft's
 * SARIF SDK team, ships lib/schemas/sarif-2.1.0-rtm.5.json. That file is a JSON Schema
 * draft-04 document, hence Ajv's draft-04 class; ajv-formats checks `uri`,
 * `uri-reference` and `date-time`. rtm.5 is the last release candidate of 2.1.0: apart
 * from descriptions it differs from the final OASIS schema only in
 * suppression.status (final: state) and in the `language` pattern, neither of which
 * rc-supervise emits.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import type { Log } from 'sarif';
import { ALL_META } from '../../src/lint/lint.js';
import sarif from '../../src/report/sarif.js';
import { ctx, FINDINGS } from './fixture.js';

const require = createRequire(import.meta.url);
const schemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as { $schema: string; title: string };

// CommonJS packages: under NodeNext the default import is module.exports, whose `.default`
// is the class / plugin (both packages set it).
// unicodeRegExp off: rtm.5's `language` pattern has a stray `]` (fixed in the final schema),
// which only compiles without the `u` flag.
const ajv = new ajvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
ajvFormats.default(ajv);
const validate = ajv.compile(schema);

const errorsOf = (log: unknown): string[] =>
  validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);

const fresh = (): Log => JSON.parse(sarif(FINDINGS, ctx())) as Log;

describe('SARIF output against the SARIF 2.1.0 schema', () => {
  test('the schema is the SARIF 2.1.0 one', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-04/schema#');
    expect(schema.title).toMatch(/^Static Analysis Results Format \(SARIF\) Version 2\.1\.0/);
  });

  test('the formatted log is valid', () => {
    expect(errorsOf(fresh())).toEqual([]);
  });

  test('a log without findings is valid', () => {
    expect(errorsOf(JSON.parse(sarif([], ctx())))).toEqual([]);
  });

  test('the rules of the real checks are valid', () => {
    const log = JSON.parse(sarif(FINDINGS, ctx({ checks: ALL_META }))) as Log;
    expect(log.runs[0].tool.driver.rules).toHaveLength(ALL_META.length);
    expect(errorsOf(log)).toEqual([]);
  });

  test('the validator rejects a wrong version', () => {
    const log = fresh() as unknown as { version: string };
    log.version = '2.0.0';
    expect(errorsOf(log)).toContain('/version must be equal to one of the allowed values');
  });

  test('the validator rejects a result without message', () => {
    const log = fresh();
    delete (log.runs[0].results![0] as { message?: unknown }).message;
    expect(errorsOf(log)).toContain("/runs/0/results/0 must have required property 'message'");
  });

  test('the validator rejects an unknown level and a non-URI location', () => {
    const log = fresh();
    (log.runs[0].results![1] as { level: string }).level = 'info';
    log.runs[0].results![1].locations![0].physicalLocation!.artifactLocation!.uri = 'a b';
    const errors = errorsOf(log);
    expect(errors).toContain('/runs/0/results/1/level must be equal to one of the allowed values');
    expect(errors).toContain(
      '/runs/0/results/1/locations/0/physicalLocation/artifactLocation/uri must match format "uri-reference"',
    );
  });
});
