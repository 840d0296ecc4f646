import type { Log } from 'sarif';
import sarif, { artifactLocation, INFORMATION_URI, SARIF_SCHEMA_URI } from '../../src/report/sarif.js';
import { CHECKS, ctx, FINDINGS } from './fixture.js';

const parse = (text: string) => JSON.parse(text) as Log;

describe('sarif formatter', () => {
  const text = sarif(FINDINGS, ctx());
  const log = parse(text);
  const run = log.runs[0];
  const results = run.results!;

  test('log header and driver', () => {
    expect(text.startsWith('{\n  "version": "2.1.0",\n  "$schema": ')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
    expect(log.$schema).toBe(
      'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json',
    );
    expect(log.$schema).toBe(SARIF_SCHEMA_URI);
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    expect(run.columnKind).toBe('utf16CodeUnits');
    const { driver } = run.tool;
    expect(driver.name).toBe('rc-supervise');
    expect(driver.version).toBe('1.2.3');
    expect(driver.informationUri).toBe('https://github.com/rc-supervise/rc-supervise');
    expect(INFORMATION_URI).toBe(driver.informationUri);
  });

  test('one rule per check, from its docs', () => {
    const rules = run.tool.driver.rules!;
    expect(rules.map((r) => r.id)).toEqual(['ssd-signal', 'no-foreground', 'respawn-window', 'empty-option-var']);
    expect(rules.map((r) => r.defaultConfiguration?.level)).toEqual(['warning', 'error', 'warning', 'note']);
    const r = rules[0];
    expect(r.shortDescription).toEqual({ text: 'signal sent through the pidfile' });
    expect(r.fullDescription).toEqual({ text: 'A function that signals the daemon through the pidfile.' });
    expect(r.help?.text).toBe(
      'Under supervise-daemon the pidfile holds the supervisor.\n\nSafe: the call becomes `${supervisor} ${RC_SVCNAME} --signal SIG`.',
    );
    expect(r.help?.markdown).toBe(
      [
        'Under supervise-daemon the pidfile holds the supervisor.',
        '',
        '**Fix:** Safe: the call becomes `${supervisor} ${RC_SVCNAME} --signal SIG`.',
        '',
        '**Fires on:**',
        '',
        '```sh',
        'reload() {',
        '\tstart-stop-daemon --signal HUP --pidfile "${pidfile}"',
        '}',
        '```',
        '',
        '**Does not fire on:**',
        '',
        '```sh',
        'reload() {',
        '\t${supervisor} ${RC_SVCNAME} --signal HUP',
        '}',
        '```',
      ].join('\n'),
    );
  });

  test('one result per finding, in order, pointing at its rule', () => {
    expect(results.map((r) => r.ruleId)).toEqual(FINDINGS.map((f) => f.ruleId));
    for (const r of results) expect(CHECKS[r.ruleIndex!].id).toBe(r.ruleId);
    expect(results.map((r) => r.level)).toEqual(['warning', 'note', 'error', 'warning', 'warning']);
    expect(results[2].message).toEqual({ text: 'command_args: 100% daemon, no -D\nadd command_args_foreground="-D"' });
  });

  test('locations: relative URI on %SRCROOT%, end only when known', () => {
    expect(results[0].locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: 'etc/init.d/sshd', uriBaseId: '%SRCROOT%' },
          region: { startLine: 12, startColumn: 3, endLine: 12, endColumn: 48 },
        },
      },
    ]);
    expect(results[2].locations![0].physicalLocation!.region).toEqual({ startLine: 3, startColumn: 1 });
  });

  test('fixes: edits as character-offset replacements, only where a fix exists', () => {
    expect(results.map((r) => r.fixes !== undefined)).toEqual([true, false, false, true, false]);
    expect(results[0].fixes).toEqual([
      {
        description: { text: 'Safe fix, applied by `lint --fix`.' },
        artifactChanges: [
          {
            artifactLocation: { uri: 'etc/init.d/sshd', uriBaseId: '%SRCROOT%' },
            replacements: [
              {
                deletedRegion: { charOffset: 301, charLength: 45 },
                insertedContent: { text: '${supervisor} ${RC_SVCNAME} --signal HUP' },
              },
            ],
          },
        ],
      },
    ]);
    expect(results[3].fixes![0].description!.text).toMatch(/^Unsafe/);
    expect(results[3].fixes![0].artifactChanges[0].replacements).toEqual([
      { deletedRegion: { charOffset: 120, charLength: 0 }, insertedContent: { text: 'respawn_period=60\n' } },
    ]);
  });

  test('a finding of a rule not in ctx.checks has no ruleIndex', () => {
    const r = parse(sarif([{ ...FINDINGS[1], ruleId: 'not-a-rule' }], ctx())).runs[0].results![0];
    expect(r.ruleId).toBe('not-a-rule');
    expect(r).not.toHaveProperty('ruleIndex');
  });

  test('no findings: rules still listed, empty results', () => {
    const empty = parse(sarif([], ctx())).runs[0];
    expect(empty.results).toEqual([]);
    expect(empty.tool.driver.rules).toHaveLength(CHECKS.length);
  });

  test('artifact URIs', () => {
    expect(artifactLocation('./etc/init.d/my daemon#1')).toEqual({
      uri: 'etc/init.d/my%20daemon%231',
      uriBaseId: '%SRCROOT%',
    });
    expect(artifactLocation('a:b/c')).toEqual({ uri: 'a%3Ab/c', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('/etc/rc-supervise.json')).toEqual({ uri: 'file:///etc/rc-supervise.json' });
  });

  test('snapshot of the text (reviewed)', () => {
    expect(text).toMatchSnapshot();
  });
});
