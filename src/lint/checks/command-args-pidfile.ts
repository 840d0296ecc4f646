import { moveBackgroundFlags } from '../../steps/flags.js';
import { origins } from '../unknown.js';
import { splitValue } from '../../parse/words.js';
import { latentSeverity, supervisorPossible, type Check } from '../check.js';

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
        bad: '#!/sbin/openrc-run\ncommand=/usr/sbin/ntpd\npidfile=/run/ntpd.pid\ncommand_args="${NTPD_OPTS} -p ${pidfile}"\n',
        good: '#!/sbin/openrc-run\ncommand=/usr/sbin/ntpd\npidfile=/run/ntpd.pid\ncommand_args="${NTPD_OPTS}"\ncommand_args_background="-p ${pidfile}"\n',
      },
      fix: 'Safe: the words move to command_args_background (start-stop-daemon sees the same command line). Not offered when they are not at the end of command_args (the order would change), when command_background is set (OpenRC refuses both), when a function uses command_args itself, or when they name a conf.d or unknown variable.',
    },
  },
  run(ctx) {
    // A custom start() launches the daemon itself: supervise-daemon never sees command_args.
    if (!supervisorPossible(ctx) || ctx.service.defines('start')) return [];
    // A kept pid file option reading ${pidfile} (freshclam's -p ${pidfile}) names the daemon's own
    // file only where pidfile is set again below command_args (rc-supervise's own line giving the
    // supervisor a pid file of its own); without such a line it names the supervisor's.
    const top = ctx.service.initdAssignments('command_args').filter((a) => a.fn === null);
    const last = top[top.length - 1];
    const setBelow = !!last && ctx.service.initdAssignments('pidfile').some((a) => a.fn === null && a.start > last.end);
    const moved = moveBackgroundFlags(
      ctx.service,
      ctx.rule?.backgroundFlags ?? [],
      ctx.initdPath,
      ctx.rule?.keptPidfileFlags,
      undefined,
      undefined,
      setBelow,
    );
    if (!moved || moved.edits.length === 0) return [];
    const s = ctx.service;
    const report = (why?: string) => [
      {
        start: moved.first?.start ?? moved.edits[0].start,
        end: moved.first?.end ?? moved.edits[0].end,
        message: `command_args holds ${moved.text}: ${s.supervised ? 'under supervise-daemon' : 'if conf.d chooses supervise-daemon,'} the daemon would write the supervisor's pidfile or fork; move it to command_args_background${why ? ` (no automatic fix: ${why})` : ''}`,
        severity: latentSeverity(ctx, 'warning'),
      },
    ];
    // Guards: each is a real script this fix broke.
    // OpenRC refuses command_args_background next to command_background=yes.
    if (s.isSet('command_background')) return report('command_background is set');
    // A custom function passing ${command_args} itself would lose the moved words.
    const uses = ctx.initd.functions.find((f) =>
      /\bcommand_args\b/.test(ctx.initd.text.slice(f.body.start, f.body.end)),
    );
    if (uses) return report(`${uses.name}() uses command_args itself`);
    // The words must keep their place: OpenRC appends command_args_background after command_args,
    // so only words already at the end of a single command_args move without reordering.
    const cas = s.initdAssignments('command_args');
    const tokens = cas.length === 1 ? splitValue(cas[0].value.text, cas[0].value.start, cas[0].value.quote) : null;
    if (!tokens?.length || moved.edits.length !== 1 || moved.edits[0].end !== tokens[tokens.length - 1].end)
      return report('the words are not at the end of command_args; moving them would reorder the command line');
    // Words naming a conf.d or unknown variable (`${OPTS:=-p ${pidfile}}`) would take the admin's
    // options away from supervise-daemon with them.
    const o = origins(ctx, moved.text);
    if (o.confd.length || o.unknown.length)
      return report(`the words name ${[...o.confd, ...o.unknown].join(', ')}, which would move with them`);
    const bg = ctx.service
      .initdAssignments('command_args_background')
      .filter((a) => a.plain)
      .pop();
    const edits = [...moved.edits];
    if (bg && (bg.value.quote === 'double' || bg.value.quote === 'single'))
      edits.push({ file: ctx.initdPath, start: bg.value.start + 1, end: bg.value.start + 1, text: `${moved.text} ` });
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
        message: `command_args holds ${moved.text}: ${s.supervised ? 'under supervise-daemon' : 'if conf.d chooses supervise-daemon,'} the daemon would write the supervisor's pidfile or fork; move it to command_args_background`,
        severity: latentSeverity(ctx, 'warning'),
        fix: { safety: 'safe', edits },
      },
    ];
  },
};
export default check;
