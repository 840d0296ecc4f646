import type { Check } from '../check.js';

const check: Check = {
  meta: {
    id: 'supervisor-hardcoded',
    defaultSeverity: 'info',
    summary: 'supervisor hard-coded in init.d where conf.d should decide',
    fixable: 'unsafe',
    docs: {
      what: 'A plain `supervisor=...` in the init script.',
      why: "init.d is sourced after conf.d, so an admin's `supervisor=` in /etc/conf.d is silently overridden; `${supervisor:-...}` keeps the default and lets conf.d choose.",
      example: {
        bad: '#!/sbin/openrc-run\nsupervisor=supervise-daemon\ncommand=/usr/sbin/foo\ncommand_args_foreground=-f\n',
        good: '#!/sbin/openrc-run\nsupervisor=${supervisor:-supervise-daemon}\ncommand=/usr/sbin/foo\ncommand_args_foreground=-f\n',
      },
      fix: 'Unsafe (changes which file wins): the value becomes `${supervisor:-VALUE}`.',
    },
  },
  run(ctx) {
    // The last assignment that overrides conf.d (a plain value that does not read
    // ${supervisor}), not merely the last one: after `supervisor=x` and
    // `supervisor=${supervisor:-x}` it is the first that decides, and rewriting the second
    // would change nothing (lint --fix would never converge).
    const a = ctx.service.supervisor.confdCanDecide
      ? undefined
      : ctx.service
          .initdAssignments('supervisor')
          .filter((x) => x.plain && !/\$\{?supervisor\b/.test(x.value.text))
          .at(-1);
    if (!a || a.form !== 'assign') return [];
    // Only a script that works under both backends can let conf.d choose: one whose foreground
    // behaviour adapts (command_args_foreground, command_background). Where the no-fork flag sits
    // in command_args, or start() is custom, the hard-coded value is what the script needs.
    const s = ctx.service;
    if (s.value('supervisor') !== 'supervise-daemon' || s.defines('start')) return [];
    if (!s.isSet('command_args_foreground') && !/^(yes|true|1|on)$/i.test(s.value('command_background') ?? ''))
      return [];
    const v = ctx.service.value('supervisor') ?? a.value.text;
    return [
      {
        start: a.start,
        end: a.end,
        message: `supervisor is hard-coded to ${v}: an admin cannot choose it in conf.d; use supervisor=\${supervisor:-${v}}`,
        fix: {
          safety: 'unsafe',
          edits: [{ file: ctx.initdPath, start: a.value.start, end: a.value.end, text: `\${supervisor:-${v}}` }],
        },
      },
    ];
  },
};
export default check;
