import { insertBlock } from '../../steps/emit.js';
import { fallbackTrap } from '../../steps/ssd-args.js';
import { MISREAD_SHORT, parseOptions, REDUNDANT, SHARED_MEANING } from '../../model/options.js';
import { splitValue } from '../../parse/words.js';
import { looksLikeOption, origins } from '../unknown.js';
import { latentSeverity, supervisorPossible, type Check, type LintContext } from '../check.js';

/**
 * `supervise_daemon_args` holding the options both daemons read the same way, as options (not
 * declarative variables: those would change start-stop-daemon's command line too). A single
 * space when none (OpenRC before 0.46 treats "" as unset). null when a word cannot be carried
 * safely: a bundle of short options, an option value that looks like an option (a value we
 * could not see shifted the words), or a character the double quotes would expand.
 */
function superviseLine(words: string[]): string | null {
  const p = parseOptions(words);
  const keep: string[] = [];
  const perWord = new Map<number, number>();
  for (const o of p.options) perWord.set(o.index, (perWord.get(o.index) ?? 0) + 1);
  if ([...perWord.values()].some((n) => n > 1)) return null;
  for (const o of p.options) {
    if (o.value !== undefined && looksLikeOption(o.value)) return null;
    const written = words.slice(o.index, o.index + o.count);
    const short = /^-[^-]/.test(o.written);
    if (REDUNDANT.has(o.spec.long)) continue;
    if (!SHARED_MEANING.has(o.spec.long) || (short && MISREAD_SHORT.has(o.written[1]))) continue;
    keep.push(...written);
  }
  if (keep.some((w) => /[$`"\\']/.test(w))) return null;
  const q = (w: string) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w}'`);
  return `supervise_daemon_args="${keep.length ? keep.map(q).join(' ') : ' '}"`;
}

/**
 * Where the script does not run under supervise-daemon now and only conf.d could choose it,
 * the start fails only once someone does: said, and advice (info), as ssd-signal and
 * command-args-pidfile say it.
 */
const when = (ctx: LintContext) => (ctx.service.supervised ? '' : 'if conf.d chooses supervise-daemon: ');

/** One literal word that names an option only start-stop-daemon takes. */
function ssdOnly(w: string): boolean {
  const p = parseOptions([w]);
  return p.options.some((o) => !SHARED_MEANING.has(o.spec.long) && !REDUNDANT.has(o.spec.long));
}

const check: Check = {
  meta: {
    id: 'ssd-args-fallback',
    defaultSeverity: 'warning',
    summary: 'start_stop_daemon_args with start-stop-daemon-only options and no supervise_daemon_args',
    fixable: 'safe',
    docs: {
      what: '`start_stop_daemon_args` holds options only start-stop-daemon knows (`--wait`, `-b`, `--make-pidfile`, ...) and `supervise_daemon_args` is unset.',
      why: 'OpenRC hands start_stop_daemon_args to supervise-daemon when supervise_daemon_args is unset; supervise-daemon rejects the option and the service does not start. An error where the script runs under supervise-daemon; advice (info) where only conf.d could choose it, since the start fails only once someone does.',
      example: {
        bad: '#!/sbin/openrc-run\nsupervisor=supervise-daemon\ncommand=/usr/sbin/foo\ncommand_args_foreground=-f\nstart_stop_daemon_args="--wait 1000"\n',
        good: '#!/sbin/openrc-run\nsupervisor=supervise-daemon\ncommand=/usr/sbin/foo\ncommand_args_foreground=-f\nstart_stop_daemon_args="--wait 1000"\nsupervise_daemon_args=" "\n',
      },
      fix: 'Safe: sets supervise_daemon_args to the options both daemons read the same way (a single space when none: OpenRC < 0.46 treats "" as unset).',
    },
  },
  run(ctx) {
    if (!supervisorPossible(ctx)) return [];
    const s = ctx.service;
    if (s.defines('start')) return [];
    const as = [
      ...ctx.initd.topLevel('start_stop_daemon_args'),
      ...(ctx.confd?.topLevel('start_stop_daemon_args') ?? []),
    ];
    const raw = as.map((a) => a.value.text).join(' ');
    const o = origins(ctx, raw);
    const a = s.initdAssignments('start_stop_daemon_args').pop() ?? ctx.initd.topLevel('start_stop_daemon_args').pop();
    const inConfd = !a && !!ctx.confd?.topLevel('start_stop_daemon_args').length;
    const where = a ?? ctx.confd?.topLevel('start_stop_daemon_args').pop();
    const words = s.words('start_stop_daemon_args');
    if (o.unknown.length || words === null) {
      // A value we cannot see would shift the options (`--user ${USER} --wait 1500` with USER
      // unknown is not `--user --wait`): trust only literal words naming a start-stop-daemon-only option.
      if (s.isSet('supervise_daemon_args')) return [];
      const literal = as
        .flatMap((x) => splitValue(x.value.text, x.value.start, x.value.quote) ?? [])
        .map((t) => t.text);
      const only = literal.filter((w) => /^-/.test(w) && !/[$`"']/.test(w) && ssdOnly(w));
      if (!only.length) return [];
      return [
        {
          in: inConfd ? 'confd' : 'initd',
          start: where?.start ?? 0,
          end: where?.end,
          message: `${when(ctx)}start_stop_daemon_args holds ${only.join(', ')}, which supervise-daemon rejects, and supervise_daemon_args is unset: set supervise_daemon_args (no automatic fix: ${o.unknown.length ? `${o.unknown.join(', ')} unknown here` : 'its value is computed at run time'})`,
          severity: latentSeverity(ctx, 'error'),
        },
      ];
    }
    const trap = fallbackTrap(s);
    if (!trap) return [];
    // Never freeze a conf.d value into init.d, never write a value an option parser would misread.
    const line = superviseLine(words ?? []);
    // Never freeze a conf.d value into init.d.
    const frozen = o.confd.length > 0 && line !== null && line !== 'supervise_daemon_args=" "';
    // Words after `--` are the daemon's (they belong in command_args); a word our option table
    // does not know (`--nice`, which getopt_long takes as --nicelevel) makes the translation
    // unsure; a value that appends to itself carries the conf.d one.
    const parsedWords = words ? parseOptions(words) : null;
    const unsure =
      line === null ||
      (!!parsedWords &&
        (parsedWords.unknown.length > 0 || parsedWords.operandsAt < words!.length || words!.includes('--'))) ||
      /\$\{?start_stop_daemon_args\b/.test(raw);
    return [
      {
        in: inConfd ? 'confd' : 'initd',
        start: where?.start ?? 0,
        end: where?.end,
        message:
          when(ctx) +
          trap.note.replace(/: supervise_daemon_args set to .*$/, '') +
          (frozen ? ` (no automatic fix: the value comes from conf.d: ${o.confd.join(', ')})` : ''),
        severity: latentSeverity(ctx, 'error'),
        fix:
          frozen || inConfd || unsure
            ? undefined
            : { safety: 'safe', edits: [insertBlock(s, ctx.initdPath, [line!], false)] },
      },
    ];
  },
};
export default check;
