import json from '../../src/report/json.js';
import { ctx, FINDINGS } from './fixture.js';

describe('json formatter', () => {
  test('array of plain objects, 2-space indent, trailing newline', () => {
    expect(json(FINDINGS, ctx())).toBe(`[
  {
    "file": "etc/init.d/sshd",
    "line": 12,
    "col": 3,
    "endLine": 12,
    "endCol": 48,
    "severity": "warning",
    "ruleId": "ssd-signal",
    "message": "reload() signals via the pidfile",
    "fixable": "safe",
    "url": "https://github.com/rc-supervise/rc-supervise/blob/main/docs/checks/ssd-signal.md"
  },
  {
    "file": "etc/conf.d/sshd",
    "line": 2,
    "col": 1,
    "endLine": 2,
    "endCol": 13,
    "severity": "info",
    "ruleId": "empty-option-var",
    "message": "SSHD_OPTS is set but empty",
    "fixable": null,
    "url": "https://github.com/rc-supervise/rc-supervise/blob/main/docs/checks/empty-option-var.md"
  },
  {
    "file": "etc/init.d/sshd",
    "line": 3,
    "col": 1,
    "severity": "error",
    "ruleId": "no-foreground",
    "message": "command_args: 100% daemon, no -D\\nadd command_args_foreground=\\"-D\\"",
    "fixable": null,
    "url": "https://github.com/rc-supervise/rc-supervise/blob/main/docs/checks/no-foreground.md"
  },
  {
    "file": "etc/init.d/sshd",
    "line": 7,
    "col": 5,
    "endLine": 7,
    "endCol": 18,
    "severity": "warning",
    "ruleId": "respawn-window",
    "message": "respawn_max=0 means unlimited respawns",
    "fixable": "unsafe",
    "url": "https://github.com/rc-supervise/rc-supervise/blob/main/docs/checks/respawn-window.md"
  },
  {
    "file": "etc/conf.d/sshd",
    "line": 5,
    "col": 10,
    "endLine": 5,
    "endCol": 12,
    "severity": "warning",
    "ruleId": "empty-option-var",
    "message": "rc_need is empty",
    "fixable": null,
    "url": "https://github.com/rc-supervise/rc-supervise/blob/main/docs/checks/empty-option-var.md"
  }
]
`);
  });

  test('round-trips the message exactly', () => {
    const parsed = JSON.parse(json(FINDINGS, ctx())) as { message: string }[];
    expect(parsed.map((p) => p.message)).toEqual(FINDINGS.map((f) => f.message));
  });

  test('no findings: an empty array', () => {
    expect(json([], ctx())).toBe('[]\n');
  });
});

test('the url of every finding is its check page in docs/checks/ (which exists)', async () => {
  const { existsSync } = await import('node:fs');
  const { REPO } = await import('../helpers/fixtures.js');
  for (const f of JSON.parse(json(FINDINGS, ctx())) as { url: string; ruleId: string }[]) {
    expect(f.url).toMatch(new RegExp(`/docs/checks/${f.ruleId}\\.md$`));
    expect(existsSync(`${REPO}/docs/checks/${f.ruleId}.md`)).toBe(true);
  }
});
