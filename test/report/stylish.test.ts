import stylish from '../../src/report/stylish.js';
import type { Finding } from '../../src/lint/types.js';
import { ctx, FINDINGS } from './fixture.js';

// eslint-disable-next-line no-control-regex
const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

/** Written by hand: files in order of first appearance, findings sorted by position. */
const DOCS = 'https://github.com/rc-supervise/rc-supervise/blob/main/docs/checks/';
const EXPECTED = [
  '',
  'etc/init.d/sshd',
  '   3:1  error    command_args: 100% daemon, no -D        no-foreground',
  '                 add command_args_foreground="-D"',
  '   7:5  warning  respawn_max=0 means unlimited respawns  respawn-window [*unsafe]',
  '                 |     respawn_max=0',
  '                 |     ^^^^^^^^^^^^^',
  '  12:3  warning  reload() signals via the pidfile        ssd-signal [*]',
  '                 | \t\tstart-stop-daemon --signal HUP --pidfile "$p"',
  '                 | \t\t' + '^'.repeat(45),
  '',
  'etc/conf.d/sshd',
  '  2:1   info     SSHD_OPTS is set but empty  empty-option-var',
  '  5:10  warning  rc_need is empty            empty-option-var',
  '',
  '\u2716 5 problems (1 error, 3 warnings, 1 info)',
  '  1 fixable with --fix, 1 more with --fix --unsafe',
  '',
  `ssd-signal        ${DOCS}ssd-signal.md`,
  `empty-option-var  ${DOCS}empty-option-var.md`,
  `no-foreground     ${DOCS}no-foreground.md`,
  `respawn-window    ${DOCS}respawn-window.md`,
  '',
].join('\n');

describe('stylish formatter', () => {
  test('layout without colour', () => {
    const out = stylish(FINDINGS, ctx({ color: 0 }));
    expect(out).toBe(EXPECTED);
    expect(out).not.toContain('\x1b');
    expect(out).toMatchSnapshot();
  });

  test('colour only changes escapes, never the layout', () => {
    const out = stylish(FINDINGS, ctx({ color: 1 }));
    expect(stripAnsi(out)).toBe(EXPECTED);
    expect(out).toContain('\x1b[4metc/init.d/sshd\x1b[24m'); // underlined file name
    expect(out).toContain('\x1b[31merror\x1b[39m');
    expect(out).toContain('\x1b[33mwarning\x1b[39m');
    expect(out).toContain('\x1b[36minfo\x1b[39m');
    expect(out).toContain('\x1b[2mno-foreground\x1b[22m'); // dim rule id
    expect(out).toMatch(/\x1b\[31m\x1b\[1m\u2716 5 problems/); // red bold summary when errors
  });

  test('summary wording: singular, no fix line without fixes, unsafe-only', () => {
    const one: Finding[] = [FINDINGS[1]];
    expect(stylish(one, ctx()).split('\n').slice(-4)).toEqual([
      '\u2716 1 problem (0 errors, 0 warnings, 1 info)',
      '',
      `empty-option-var  ${DOCS}empty-option-var.md`,
      '',
    ]);
    const unsafeOnly: Finding[] = [FINDINGS[3]];
    expect(stylish(unsafeOnly, ctx()).split('\n').slice(-5)).toEqual([
      '\u2716 1 problem (0 errors, 1 warning, 0 info)',
      '  1 fixable with --fix --unsafe',
      '',
      `respawn-window  ${DOCS}respawn-window.md`,
      '',
    ]);
  });

  test('no findings: nothing at all', () => {
    expect(stylish([], ctx())).toBe('');
    expect(stylish([], ctx({ color: 1 }))).toBe('');
  });
});
