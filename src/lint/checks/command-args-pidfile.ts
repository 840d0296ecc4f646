import { moveBackgroundFlags } from '../../steps/flags.js';
import { supervisedSeverity, supervisorPossible, type Check } from '../check.js';

const check: Check = {
  meta: {
    id: 'command-args-pidfile',
    defaultSeverity: 'warning',
    summary: 'pidfile or daemonize flag in command_args',
    fixable: 'safe',
    docs: {
      what: 'A daemon pidfile option (`-p ${pidfile}`, `--pidfile=...`) or a daemonize flag of a known daemon in `command_args`.',
      why: "Under supervise-daemon `pidfile` is the supervisor's own pid file and the daemon must stay in the foreground. `command_args` reaches both backends; `command_args_background` only start-stop-daemon.",
      example: {
        bad: '#!/sbin/openrc-run\ncommand=/usr/sbin/ntpd\npidfile=/run/ntpd.pid\ncommand_args="-p ${pidfile} ${NTPD_OPTS}"\n',
        good: '#!/sbin/openrc-run\ncommand=/usr/sbin/ntpd\npidfile=/run/ntpd.pid\ncommand_args="${NTPD_OPTS}"\ncommand_args_background="-p ${pidfile}"\n',
      },
      fix: 'Safe: the words move to command_args_background (start-stop-daemon sees the same command line).',
    },
  },
  run(ctx) {
    if (!supervisorPossible(ctx)) return [];
    const moved = moveBackgroundFlags(ctx.service, ctx.rule?.backgroundFlags ?? [], ctx.initdPath);
    if (!moved || moved.edits.length === 0) return [];
    const bg = ctx.service
      .initdAssignments('command_args_background')
      .filter((a) => a.plain)
      .pop();
    const edits = [...moved.edits];
    if (bg && (bg.value.quote === 'double' || bg.value.quote === 'single'))
      edits.push({ file: ctx.initdPath, start: bg.value.end - 1, end: bg.value.end - 1, text: ` ${moved.text}` });
    else {
      const a = ctx.service
        .initdAssignments('command_args')
        .filter((x) => x.plain)
        .pop()!;
      const at = ctx.initd.lineEnd(a.end);
      const nl = at === ctx.initd.text.length && !ctx.initd.text.endsWith('\n') ? ctx.initd.eol : '';
      edits.push({
        file: ctx.initdPath,
        start: at,
        end: at,
        text: `${nl}command_args_background="${moved.text}"${ctx.initd.eol}`,
      });
    }
    return [
      {
        start: moved.first?.start ?? moved.edits[0].start,
        end: moved.first?.end ?? moved.edits[0].end,
        message: `command_args holds ${moved.text}: under supervise-daemon the daemon would write the supervisor's pidfile or fork; move it to command_args_background`,
        severity: supervisedSeverity(ctx),
        fix: { safety: 'safe', edits },
      },
    ];
  },
};
export default check;
