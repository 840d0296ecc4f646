import { insertBlock } from '../../steps/emit.js';
import type { Check } from '../check.js';

const yes = (v: string | null | undefined) => !!v && /^(yes|true|1|on)$/i.test(v);

const check: Check = {
  meta: {
    id: 'no-foreground',
    defaultSeverity: 'error',
    summary: 'supervise-daemon set but the daemon is not known to stay in the foreground',
    fixable: 'safe',
    docs: {
      what: '`supervisor=supervise-daemon` with no `command_args_foreground`, no `command_background=yes`, and a daemon that is not known to stay in the foreground.',
      why: 'A daemon that forks is lost by its supervisor, which then respawns it in a loop while the forked copy runs unsupervised.',
      example: {
        bad: '#!/sbin/openrc-run\nsupervisor=supervise-daemon\ncommand=/usr/sbin/acpid\n',
        good: '#!/sbin/openrc-run\nsupervisor=supervise-daemon\ncommand=/usr/sbin/acpid\ncommand_args_foreground="--foreground"\n',
      },
      fix: "Safe for daemons rc-supervise knows (it adds their no-fork option); otherwise none: read the daemon's manual.",
    },
  },
  run(ctx) {
    const s = ctx.service;
    if (!s.supervised || !s.command) return [];
    if (s.isSet('command_args_foreground') || yes(s.value('command_background'))) return [];
    // The rule knows the daemon never forks (foreground: ''): nothing to add.
    if (ctx.rule?.foreground === '') return [];
    const a = s.supervisor.initdAssignment ?? s.supervisor.confdAssignment;
    const inConfd = !s.supervisor.initdAssignment && !!s.supervisor.confdAssignment;
    const fix =
      ctx.rule?.foreground && !inConfd
        ? {
            safety: 'safe' as const,
            edits: [insertBlock(s, ctx.initdPath, [`command_args_foreground="${ctx.rule.foreground}"`], false)],
          }
        : undefined;
    return [
      {
        in: inConfd ? 'confd' : 'initd',
        start: a?.start ?? 0,
        end: a?.end,
        message: ctx.rule?.foreground
          ? `${s.daemon} forks unless told not to: set command_args_foreground="${ctx.rule.foreground}"`
          : `supervise-daemon needs ${s.daemon ?? 'the daemon'} in the foreground: set command_args_foreground to its no-fork option`,
        fix,
      },
    ];
  },
};
export default check;
