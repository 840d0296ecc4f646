import type { Check } from '../check.js';

/** Options OpenRC emits when the variable is merely set (`${var+--opt}`), docs/openrc.md §2. */
const SET_TRIGGERED: Record<string, string> = {
  command_user: '--user',
  output_log: '--stdout',
  error_log: '--stderr',
  umask: '--umask',
  capabilities: '--capabilities',
  notify: '--notify',
  input_file: '--stdin',
};

const check: Check = {
  meta: {
    id: 'empty-option-var',
    defaultSeverity: 'warning',
    summary: 'set-but-empty variable that emits a bare option',
    fixable: 'unsafe',
    docs: {
      what: 'command_user, output_log, error_log, umask, capabilities, notify or input_file assigned an empty value.',
      why: 'OpenRC emits the option when the variable is set at all: `command_user=""` gives a bare `--user` that swallows the next option, and supervise-daemon fails or misreads the line.',
      example: {
        bad: '#!/sbin/openrc-run\ncommand=/usr/sbin/foo\ncommand_user=""\n',
        good: '#!/sbin/openrc-run\ncommand=/usr/sbin/foo\n',
      },
      fix: 'Unsafe (a conf.d may rely on it): the empty assignment is removed.',
    },
  },
  run(ctx) {
    const out = [];
    for (const [file, f, path] of [
      ['initd', ctx.initd, ctx.initdPath],
      ['confd', ctx.confd, ctx.confdPath],
    ] as const) {
      if (!f || !path) continue;
      for (const a of f.assignments) {
        const opt = SET_TRIGGERED[a.name];
        if (!opt || a.fn !== null || a.form !== 'assign' || !/^(""|''|)$/.test(a.value.text)) continue;
        const start = f.lineStart(a.start);
        const whole = f.text.slice(start, f.lineEnd(a.end)).trim() === f.text.slice(a.start, a.end).trim();
        out.push({
          in: file,
          start: a.start,
          end: a.end,
          message: `${a.name} is set but empty: OpenRC still passes a bare ${opt}; unset it instead`,
          fix: whole
            ? { safety: 'unsafe' as const, edits: [{ file: path, start, end: f.lineEnd(a.end), text: '' }] }
            : undefined,
        });
      }
    }
    return out;
  },
};
export default check;
