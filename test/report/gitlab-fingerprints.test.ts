import gitlab from '../../src/report/gitlab.js';
import { sarifLog } from '../../src/report/sarif.js';
import { fingerprints } from '../../src/report/common.js';
import type { Finding } from '../../src/lint/types.js';
import { ctx, FINDINGS } from './fixture.js';

const at = (f: Finding, line: number): Finding => ({ ...f, line, endLine: f.endLine === undefined ? undefined : line });

describe('fingerprints (SARIF partialFingerprints, GitLab fingerprint)', () => {
  test('stay the same when lines are added above a finding', () => {
    const moved = FINDINGS.map((f) => at(f, f.line + 7));
    expect(fingerprints(moved)).toEqual(fingerprints(FINDINGS));
  });
  test('differ between files, checks, source lines, and between identical findings', () => {
    const f = FINDINGS[0];
    const all = fingerprints([f, { ...f, file: 'etc/init.d/other' }, { ...f, ruleId: 'x' }, { ...f, source: 'y' }, f]);
    expect(new Set(all).size).toBe(5);
  });
  test('indentation changes do not change them', () => {
    const f = FINDINGS[3];
    expect(fingerprints([{ ...f, source: `\t${f.source!.trim()}` }])).toEqual(fingerprints([f]));
  });
});

describe('gitlab formatter (Code Quality report)', () => {
  test('the fields GitLab reads, severities on its scale, the SARIF fingerprints', () => {
    const out = JSON.parse(gitlab(FINDINGS, ctx()));
    expect(out[0]).toEqual({
      description: 'reload() signals via the pidfile [ssd-signal]',
      check_name: 'ssd-signal',
      fingerprint: fingerprints(FINDINGS)[0],
      severity: 'minor',
      location: { path: 'etc/init.d/sshd', lines: { begin: 12 } },
      url: 'https://github.com/rc-supervise/rc-supervise/blob/main/docs/checks/ssd-signal.md',
    });
    expect(out.map((o: { severity: string }) => o.severity)).toEqual(['minor', 'info', 'major', 'minor', 'minor']);
    const sarif = sarifLog(FINDINGS, ctx());
    expect(sarif.runs[0].results!.map((r) => r.partialFingerprints!['rcSupervise/v1'])).toEqual(
      out.map((o: { fingerprint: string }) => o.fingerprint),
    );
    expect(gitlab([], ctx())).toBe('[]\n');
  });
});

describe('sarif invocations', () => {
  test('files that could not be read: one error notification each, run not successful', () => {
    const log = sarifLog([], ctx({ unreadable: ['etc/init.d/x: permission denied', 'etc/init.d/y: binary file'] }));
    expect(log.runs[0].invocations).toEqual([
      {
        executionSuccessful: false,
        toolExecutionNotifications: [
          { level: 'error', message: { text: 'etc/init.d/x: permission denied' } },
          { level: 'error', message: { text: 'etc/init.d/y: binary file' } },
        ],
      },
    ]);
  });
});
