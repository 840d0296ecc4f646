import { insertBlock } from '../../migrate/plan.js';
import type { Check } from '../check.js';
import { origins } from '../unknown.js';

const yes = (v: string | null | undefined) => !!v && /^(yes|true|1|on)$/i.test(v);

const check: Check = {
  meta: {
    id: 'no-foreground',
    defaultSeverity: 'info',
    summary: 'supervise-daemon set, no no-fork flag anywhere, and the daemon is not known to stay in the foreground',
    fixable: 'safe',
    docs: {
      what: '`supervisor=supervise-daemon` with no `command_args_foreground`, no `command_background=yes`, no option in `command_args` that may be the no-fork flag, and a daemon that is not known to stay in the foreground. Advice (info): many daemons never fork.',
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
    // Only with evidence: a rule that says the daemon forks. Of a daemon we know nothing about
    // (many Go, Rust and Python servers never fork) we say nothing: migrate refuses those, naming
    // --foreground-args, and a lint finding would be a guess.
    if (!ctx.rule?.foreground) return [];
    // The no-fork flag may already be in command_args (or a conf.d variable it names): then the
    // script relies on the daemon staying in the foreground. For a daemon we have no rule for,
    // any option there may be it, and a value we cannot see may hold it: say nothing.
    const raw = [...s.initdAssignments('command_args'), ...s.confdAssignments('command_args')]
      .map((a) => a.value.text)
      .join(' ');
    const o = origins(ctx, raw);
    if (o.unknown.length) return [];
    const args = s.words('command_args');
    if (args === null) return [];
    const fg = ctx.rule?.foreground ? ctx.rule.foreground.split(/\s+/) : null;
    if (fg ? fg.every((w) => args.includes(w)) : args.some((w) => w.startsWith('-'))) return [];
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
          : `rc-supervise does not know whether ${s.daemon ?? 'the daemon'} stays in the foreground under supervise-daemon; if it forks, set command_args_foreground to its no-fork option`,
        fix,
      },
    ];
  },
};
export default check;
