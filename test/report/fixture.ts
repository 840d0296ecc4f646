/**
 * A fixed, hand-written set of findings shared by the formatter tests: five findings over
 * two files, given out of order (files interleaved, lines unsorted), with a safe fix, an
 * unsafe fix (a pure insertion), an info, a finding without end position, and a message
 * holding a comma, a colon, a percent sign and a newline. Two carry their source line (one
 * indented with tabs) for the caret display.
 */
import type { CheckMeta, FormatContext, Finding } from '../../src/lint/types.js';

export const CHECKS: readonly CheckMeta[] = [
  {
    id: 'ssd-signal',
    defaultSeverity: 'warning',
    summary: 'signal sent through the pidfile',
    fixable: 'safe',
    docs: {
      what: 'A function that signals the daemon through the pidfile.',
      why: 'Under supervise-daemon the pidfile holds the supervisor.',
      example: {
        bad: 'reload() {\n\tstart-stop-daemon --signal HUP --pidfile "${pidfile}"\n}\n',
        good: 'reload() {\n\t${supervisor} ${RC_SVCNAME} --signal HUP\n}\n',
      },
      fix: 'Safe: the call becomes `${supervisor} ${RC_SVCNAME} --signal SIG`.',
    },
  },
  {
    id: 'no-foreground',
    defaultSeverity: 'error',
    summary: 'daemon forks away from the supervisor',
    fixable: 'none',
    docs: {
      what: 'A command that daemonizes itself.',
      why: 'supervise-daemon needs the daemon in the foreground.',
      example: { bad: 'command=/usr/sbin/sshd\n', good: 'command=/usr/sbin/sshd\ncommand_args_foreground=-D\n' },
      fix: 'None: the foreground flag is specific to each daemon.',
    },
  },
  {
    id: 'respawn-window',
    defaultSeverity: 'warning',
    summary: 'respawn_max without respawn_period',
    fixable: 'unsafe',
    docs: {
      what: 'respawn_max set without respawn_period.',
      why: 'Without a period the count never resets.',
      example: { bad: 'respawn_max=0\n', good: 'respawn_max=5\nrespawn_period=60\n' },
      fix: 'Unsafe: adds respawn_period=60, a guess.',
    },
  },
  {
    id: 'empty-option-var',
    defaultSeverity: 'info',
    summary: 'option variable set to the empty string',
    fixable: 'none',
    docs: {
      what: 'A conf.d variable assigned an empty value.',
      why: 'It hides the default of the init script.',
      example: { bad: 'SSHD_OPTS=""\n', good: '#SSHD_OPTS=""\n' },
      fix: 'None.',
    },
  },
];

export const FINDINGS: readonly Finding[] = [
  {
    ruleId: 'ssd-signal',
    severity: 'warning',
    message: 'reload() signals via the pidfile',
    file: 'etc/init.d/sshd',
    line: 12,
    col: 3,
    endLine: 12,
    endCol: 48,
    source: '\t\tstart-stop-daemon --signal HUP --pidfile "$p"',
    fix: {
      safety: 'safe',
      edits: [{ file: 'etc/init.d/sshd', start: 301, end: 346, text: '${supervisor} ${RC_SVCNAME} --signal HUP' }],
    },
  },
  {
    ruleId: 'empty-option-var',
    severity: 'info',
    message: 'SSHD_OPTS is set but empty',
    file: 'etc/conf.d/sshd',
    line: 2,
    col: 1,
    endLine: 2,
    endCol: 13,
  },
  {
    ruleId: 'no-foreground',
    severity: 'error',
    message: 'command_args: 100% daemon, no -D\nadd command_args_foreground="-D"',
    file: 'etc/init.d/sshd',
    line: 3,
    col: 1,
  },
  {
    ruleId: 'respawn-window',
    severity: 'warning',
    message: 'respawn_max=0 means unlimited respawns',
    file: 'etc/init.d/sshd',
    line: 7,
    col: 5,
    endLine: 7,
    endCol: 18,
    source: '    respawn_max=0',
    fix: { safety: 'unsafe', edits: [{ file: 'etc/init.d/sshd', start: 120, end: 120, text: 'respawn_period=60\n' }] },
  },
  {
    ruleId: 'empty-option-var',
    severity: 'warning',
    message: 'rc_need is empty',
    file: 'etc/conf.d/sshd',
    line: 5,
    col: 10,
    endLine: 5,
    endCol: 12,
  },
];

export const ctx = (over: Partial<FormatContext> = {}): FormatContext => ({
  checks: CHECKS,
  version: '1.2.3',
  color: 0,
  filesLinted: 2,
  ...over,
});
