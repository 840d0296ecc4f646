import type { Edit } from '../edit/edits.js';
import { guardedSignalEdit, signalRewriteEdit } from '../edit/signal-rewrite.js';
import type { Service, SignalCall } from '../model/service.js';
import type { Draft, Refusal, StepContext } from './types.js';
import { parseOptions } from '../model/options.js';
import { unquoted } from '../parse/words.js';
import { commandLists, OPENRC_OWN_COMMANDS } from '../model/commands.js';

/** `[ "$supervisor" = ... ]`, `case "${supervisor}" in`: the script picks its own code per backend. */
const SUPERVISOR_SWITCH = /(\[\[?|\btest)\s+[^\]\n]*\$\{?supervisor\b|\bcase\s+"?\$\{?supervisor\b/;

/** Functions whose body switches on the supervisor: their start-stop-daemon branch is theirs. */
export function switchingFunctions(s: Service): Set<string> {
  const out = new Set<string>();
  for (const f of s.initd.functions)
    if (SUPERVISOR_SWITCH.test(s.initd.text.slice(f.body.start, f.body.end))) out.add(f.name);
  return out;
}

/** True when the script chooses code by `$supervisor` anywhere (a dual-mode script). */
export function isDualMode(s: Service): boolean {
  return SUPERVISOR_SWITCH.test(s.initd.text);
}

/**
 * `${supervisor} ${RC_SVCNAME} --signal X` for every call that signals through the pidfile
 * (behind `if [ "${supervisor}" = supervise-daemon ]`, the original call in the else branch),
 * except inside a function that already switches on the supervisor (its start-stop-daemon
 * branch only runs under start-stop-daemon, where it is right).
 */
export function rewritableSignalCalls(s: Service, pidfile?: string): SignalCall[] {
  const own = switchingFunctions(s);
  const calls = pidfile === undefined ? s.signalCalls : [...s.signalCalls, ...s.killCallsThrough(pidfile)];
  return calls.filter((c) => !(c.cmd.fn && own.has(c.cmd.fn))).sort((a, b) => a.cmd.start - b.cmd.start);
}

/** `pidfile` (see rewritableSignalCalls): the pid file a converted start() names, where the script has no pidfile=. */
export function signalRewrites(s: Service, file: string, pidfile?: string): Edit[] {
  // The command's words only: prefix assignments and redirects around them stay. In a file
  // with CRLF line ends (broken under sh anyway: the crlf check) the guard's closing `fi`
  // would read as `fi\r`, not a keyword: there the call is rewritten without the guard.
  const crlf = s.initd.text.includes('\r\n');
  return rewritableSignalCalls(s, pidfile).map<Edit>((c) => {
    const replacement = `\${supervisor} \${RC_SVCNAME} --signal ${c.signal}`;
    return { ...(crlf ? signalRewriteEdit : guardedSignalEdit)(s.initd, c.cmd, replacement), file };
  });
}

/** Step: signals sent through the pidfile would now reach the supervisor (a silent no-op for HUP). */
export function signalsStep(ctx: StepContext, d: Draft): Refusal | void {
  // The pid file a converted start()/stop() named (no pidfile= before): calls that signal through it count too.
  const convertedPid = d.converted?.lines.find((l) => l.startsWith('pidfile='));
  const through = convertedPid === undefined ? undefined : (ctx.service.expand(convertedPid.slice(8)) ?? undefined);
  const calls = rewritableSignalCalls(ctx.service, through);
  // A custom command that stops the daemon with a signal and then starts the service itself
  // (lighttpd's graceful(): INT, then `start`): the supervisor respawns the stopped daemon and
  // the second start runs another one beside it.
  const s = ctx.service;
  // rion-overlay's dmeventd: `reload() { ${command} -R; }` starts a new dmeventd that takes the
  // devices over from the running one, which exits: the supervisor would restart the old one
  // beside the new, unsupervised one. Refused when the rule knows such words.
  const takeover = ctx.rule?.takeoverWords ?? [];
  if (takeover.length) {
    const daemons = new Set((ctx.rule?.daemons ?? []).map((n) => n.replace(/^.*\//, '')));
    for (const c of s.initd.commands) {
      if (c.fn === null) continue;
      const argv0 = unquoted(c.words[0].text);
      const own = /^\$\{?command\}?$/.test(argv0) || daemons.has(argv0.replace(/^.*\//, ''));
      const word = own
        ? c.words
            .slice(1)
            .map((w) => unquoted(w.text))
            .find((w) => takeover.includes(w))
        : undefined;
      if (word)
        return {
          kind: 'refuse',
          code: 'custom-start',
          reason: `${c.fn}() runs ${c.words[0].text} ${word}, which starts a new ${ctx.rule!.id} that takes over from the running one (rule ${ctx.rule!.id}): under supervise-daemon the supervisor would restart the old one beside the new, unsupervised one`,
          suggestion: `remove that command from ${c.fn}() (restart the service instead), then migrate again`,
        };
    }
  }
  for (const c of calls) {
    const fn = c.cmd.fn;
    if (!fn || ['start', 'stop', 'restart', 'start_pre', 'stop_post'].includes(fn)) continue;
    if (!/^(SIG)?(INT|TERM|QUIT|KILL|2|3|9|15)$/i.test(c.signal)) continue;
    // `start` itself, or `rc-service <svc> start` / `/etc/init.d/<svc> restart`.
    const starts = s.initd.commands.some(
      (x) =>
        x.fn === fn &&
        (x.name === 'start' ||
          ((x.name === 'rc-service' || /init\.d\//.test(x.words[0].text)) &&
            x.words.slice(1).some((w) => /^["']?(start|restart)["']?$/.test(w.text)))),
    );
    if (starts)
      return {
        kind: 'refuse',
        code: 'custom-start',
        reason: `${fn}() stops the daemon with ${c.signal} and then starts the service itself: under the supervisor the daemon would be respawned and a second one started beside it`,
        suggestion: `rewrite ${fn}() for the supervisor (e.g. rc-service restart), then migrate again`,
      };
  }
  // A signal through a file named after the pid file (nginx's upgrade(): SIGQUIT through
  // "${pidfile}.oldbin", the old master that the new one replaces) is for another process:
  // the supervisor would pass it to the daemon it keeps.
  const pid = s.value('pidfile');
  for (const c of calls) {
    if (c.via !== 'start-stop-daemon') continue;
    const words = c.cmd.words.slice(1).map((w) => unquoted(w.text));
    const opt = parseOptions(words).options.find((o) => o.spec.long === 'pidfile');
    if (!opt?.value) continue;
    const v = s.expand(opt.value);
    const derived =
      /\$\{pidfile\}.|\$pidfile[^A-Za-z0-9_]/.test(opt.value) ||
      (!!pid && !!v && v !== pid && v.startsWith(pid) && /^[.~_-]/.test(v.slice(pid.length)));
    if (!derived) continue;
    // nginx's upgrade(): USR2 first (the rule says nginx ignores it under a supervisor), then
    // QUIT to the old master through ${pidfile}.oldbin. The new master is a child of the old one:
    // no rewrite makes that work under a supervisor, which keeps one child and restarts it.
    const ignored = ctx.rule?.ignoredWhenSupervised ?? [];
    const first = calls.find(
      (x) =>
        x.cmd.fn === c.cmd.fn &&
        x.cmd.start < c.cmd.start &&
        ignored.includes(unquoted(x.signal).toUpperCase().replace(/^SIG/, '')),
    );
    if (first)
      return {
        kind: 'refuse',
        code: 'custom-start',
        reason: `${c.cmd.fn}() replaces the running ${ctx.rule!.id} by a new one: ${first.signal} makes the daemon start a new master as its own child, then ${c.signal} through ${opt.value} ends the old one. That cannot work under supervise-daemon: ${ctx.rule!.id} ignores ${first.signal} while its parent is not init (rule ${ctx.rule!.id}), and a new master would be the child of the supervised one, left unsupervised when that one quits while the supervisor starts another`,
        suggestion: `remove ${c.cmd.fn}() and its name from the extra commands (restart the service to run a new binary), then migrate again; or keep this service under start-stop-daemon`,
      };
    return {
      kind: 'refuse',
      code: 'custom-start',
      reason: `${c.cmd.fn}() sends ${c.signal} to the process named in ${opt.value}, not to the daemon the supervisor keeps: under supervise-daemon it would go to the supervised daemon instead`,
      suggestion: `rewrite ${c.cmd.fn}() for the supervisor, or drop it, then migrate again`,
    };
  }
  // nginx's upgrade(): USR2 starts a new master only while the running one's parent is init
  // (ngx_signal_handler ignores it otherwise); under the supervisor the command stops working.
  const ignored = new Set(ctx.rule?.ignoredWhenSupervised ?? []);
  const told = new Set<string>();
  for (const c of calls) {
    const sig = unquoted(c.signal).toUpperCase().replace(/^SIG/, '');
    const fn = c.cmd.fn;
    if (!fn || !ignored.has(sig) || told.has(`${fn}\0${sig}`)) continue;
    told.add(`${fn}\0${sig}`);
    d.warnings.push(
      `${fn}() sends ${sig}, which ${ctx.rule!.id} ignores while it runs under a supervisor (its parent is not init; rule ${ctx.rule!.id}): under supervise-daemon \`rc-service ${s.name} ${fn}\` no longer does what it did; restart the service instead`,
    );
  }
  // A call inside a start()/stop() the custom-start step replaces goes with that function.
  const replaced = d.converted?.edits ?? [];
  d.signalEdits = signalRewrites(ctx.service, ctx.initdPath, through).filter(
    (e) => !replaced.some((r) => r.start <= e.start && e.end <= r.end),
  );
  if (d.signalEdits.length) d.initdReasons.push('init.d sends signals with start-stop-daemon');
  // shrpx's reload(): rewritten, yet in no list openrc-run reads (and opts is never read from
  // OpenRC 0.39 on, lint's extra-command-unlisted): `rc-service x reload` fails before and after.
  const { names: listed, optsRead } = commandLists(s, ctx.options.target ?? [0, 45, 0]);
  const unreachable = [
    ...new Set(
      calls
        .filter((c) => d.signalEdits.some((e) => e.start <= c.cmd.start && c.cmd.end <= e.end))
        .map((c) => c.cmd.fn!)
        .filter((fn) => listed !== null && !listed.has(fn) && !OPENRC_OWN_COMMANDS.has(fn))
        // A helper other functions call (xinetd's do_sig) is reached through them.
        .filter((fn) => !s.initd.commands.some((c) => c.name === fn && c.fn !== fn)),
    ),
  ];
  for (const fn of unreachable)
    d.notes.push(
      `${fn}() is rewritten, but it is listed in neither extra_commands nor extra_started_commands${optsRead ? '' : ' (opts, if any, is not read from OpenRC 0.39 on)'}: \`rc-service ${s.name} ${fn}\` cannot run it, before the migration or after (rc-supervise lint: extra-command-unlisted)`,
    );
}
