import { insertBlock } from '../../steps/emit.js';
import { flagsStep, pickTokens } from '../../steps/flags.js';
import { splitValue } from '../../parse/words.js';
import { foregroundStep, operandLines } from '../../steps/foreground.js';
import { emptyDraft, type StepContext } from '../../steps/index.js';
import type { Check } from '../check.js';
import { origins } from '../unknown.js';

const check: Check = {
  meta: {
    id: 'no-foreground',
    defaultSeverity: 'warning',
    summary: 'supervise-daemon set but nothing keeps the daemon in the foreground',
    fixable: 'safe',
    docs: {
      what: "`supervisor=supervise-daemon` with no `command_args_foreground`, where the recipe's foreground step (the same one `migrate` uses) finds the daemon's no-fork words in a rule or a systemd unit (and the script does not pass them already).",
      why: 'A daemon that forks is lost by its supervisor, which then respawns it in a loop while the forked copy runs unsupervised.',
      example: {
        bad: '#!/sbin/openrc-run\nsupervisor=supervise-daemon\ncommand=/usr/sbin/acpid\n',
        good: '#!/sbin/openrc-run\nsupervisor=supervise-daemon\ncommand=/usr/sbin/acpid\ncommand_args_foreground="--foreground"\n',
      },
      fix: "Safe when a rule names the daemon's no-fork option (it is added to init.d; where command_args ends in operands, they move to the end of command_args_foreground and command_args_background, after it, as migrate does); unsafe (--unsafe) when the option exists only from a version on, which lint cannot read (the finding is then a warning and names the version); none otherwise: read the daemon's manual.",
    },
  },
  run(ctx) {
    const s = ctx.service;
    if (!s.supervised || !s.command || s.defines('start')) return [];
    // A rule that refuses (another program of that name may be installed: Artix's OpenNTPD ntpd
    // under the ntp.org ntpd rule; a version that may lack the words) is no evidence here.
    if (ctx.rule?.refuse) return [];
    // Words that only name a pid file (the wiki's metalog rule: --pidfile /run/metametalog.pid,
    // so that metalog's own pid file is not the supervisor's) keep nothing from forking:
    // metalog never forks without -B. Not this check's business (pidfile-collision's).
    // (The flags step's own reading of flags: `--pidfile X`, `--pidfile=X`, `-pX` alike.)
    const fg = splitValue(ctx.rule?.foreground ?? '', 0, 'none') ?? [];
    const pidFlags = (ctx.rule?.backgroundFlags ?? []).filter((f) => f.why === 'pidfile');
    if (fg.length && pickTokens(fg, pidFlags).size === fg.length) return [];
    // A value we cannot see (an unpaired conf.d, the environment) may hold the no-fork word.
    const raw = [...s.initdAssignments('command_args'), ...s.confdAssignments('command_args')]
      .map((a) => a.value.text)
      .join(' ');
    if (origins(ctx, raw).unknown.length) return [];
    const sctx: StepContext = {
      service: s,
      rule: ctx.rule,
      units: [],
      initdPath: ctx.initdPath,
      confdPath: ctx.confdPath ?? '',
      options: { residual: true },
    };
    const d = emptyDraft();
    flagsStep(sctx, d);
    const refused = foregroundStep(sctx, d);
    const a = s.supervisor.initdAssignment ?? s.supervisor.confdAssignment;
    const inConfd = !s.supervisor.initdAssignment && !!s.supervisor.confdAssignment;
    const at = { in: inConfd ? ('confd' as const) : ('initd' as const), start: a?.start ?? 0, end: a?.end };
    // No evidence either way: say nothing. Many servers never fork, and migrate refuses such
    // services naming --foreground-args; a finding here would be a guess (sampled: all false).
    if (refused) return [];
    if (!d.foreground) return []; // the script keeps it in the foreground already, or it never forks
    const ev = d.evidence[0];
    const certain = ev?.kind === 'rule';
    const why = certain
      ? `${ctx.rule?.origin === 'knowledge' ? 'knowledge base' : 'rule'} ${ctx.rule?.id}`
      : ev?.detail;
    // command_args ends in operands (pmaports' hciattach: device, type, speed): OpenRC appends the
    // no-fork word after them, where musl's getopt() never reads it. The fix moves them behind it,
    // as migrate does (foreground.ts); with flags to move as well, it is left to migrate.
    const tail = d.operandTail;
    const lines = tail ? operandLines(d, tail.text) : [`command_args_foreground="${d.foreground}"`];
    const fixable = certain && !inConfd && !(tail && d.movedText);
    // An old version gate (versionNote): lint never knows the installed version, so the words
    // are likely, not certain: a warning, a fix that is not safe, and the version named.
    const gate = certain && ctx.rule?.versionNote && ctx.rule.foregroundSince;
    const backports = ctx.rule?.foregroundBackports?.length
      ? ` (${ctx.rule.foregroundBackports.join(', ')} in an older line)`
      : '';
    const why2 = gate
      ? `${why}; the words exist from version ${gate}${backports} on: check the installed version`
      : why;
    return [
      {
        ...at,
        severity: certain && !gate ? 'error' : 'warning',
        message: tail
          ? `${s.daemon} forks unless told not to, and command_args ends in ${tail.text}, after which a getopt() that stops at the first operand (musl's) reads no option: set command_args_foreground="${d.foreground} ${tail.text}" and command_args_background="${tail.text}", and take ${tail.text} out of command_args (${why2})`
          : `${s.daemon} forks unless told not to: set command_args_foreground="${d.foreground}" (${why2})`,
        fix: fixable
          ? {
              safety: gate ? ('unsafe' as const) : ('safe' as const),
              edits: [...(tail?.edits ?? []), insertBlock(s, ctx.initdPath, lines, false)],
            }
          : undefined,
      },
    ];
  },
};
export default check;
