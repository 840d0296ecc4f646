import type { Service } from '../model/service.js';
import { referencedVars, samePath } from './emit.js';
import { isYes, movesPidFlag } from './flags.js';
import { parseOptions } from '../model/options.js';
import { isDualMode } from './signals.js';
import type { Draft, Refusal, StepContext } from './types.js';
import type { Edit } from '../edit/edits.js';
import type { Assignment, FunctionDef } from '../parse/shellfile.js';
import { unquoted } from '../parse/words.js';
import { MESSAGES } from './chatter.js';

/**
 * A daemon that writes its own pid file at the supervisor's `pidfile` path, even in the
 * foreground, makes `stop` signal the daemon instead of its supervisor: the supervisor
 * respawns it and the service never stops (seen under real OpenRC with dnsmasq). When the
 * foreground arguments cannot tell the daemon otherwise, the supervisor gets a pid file of
 * its own, after every other assignment and only while it is the supervisor. A function that
 * still reads `pidfile` for the daemon's file (mpd's start_pre chowns its directory) then reads
 * it as ${daemon_pidfile}, or the service is refused (daemonPidfileAlias).
 */
export function pidfileStep(ctx: StepContext, d: Draft): Refusal | void {
  const s: Service = ctx.service;
  const stale = staleReader(ctx, d) ?? staleStopPidfile(ctx, d) ?? outsideReader(ctx, d);
  if (stale) return stale;
  // The pid file the converted start() named (pidfile= among its declarative lines).
  const launchPid = d.converted?.lines.find((l) => l.startsWith('pidfile='));
  const pidfile = launchPid ? s.expand(launchPid.slice(8)) : s.value('pidfile');
  const own = ctx.rule?.ownPidfile;
  if ((!s.isSet('pidfile') && !launchPid) || pidfile === '') return;
  if (pidfile && samePath(pidfile, `/run/supervise-${s.name}.pid`)) return; // ours already
  // An unknown (computed) pidfile is most likely the daemon's own path the rule names.
  const ruleSays =
    !!d.pidfileKept || (!!own && (own === '*' || pidfile === null || (!!pidfile && samePath(pidfile, own))));
  // Under start-stop-daemon the pid file was the daemon's own unless start-stop-daemon made it
  // (--make-pidfile, command_background) or a flag told the daemon where (moved away now). A
  // daemon that wrote it without being told (its configuration, a built-in path) most likely
  // still does in the foreground: the supervisor must not share it.
  // Words that go to the daemon only under start-stop-daemon: moved now, or split already.
  const bgOnly = [d.movedText, ...s.initdAssignments('command_args_background').map((a) => a.value.text)].join(' ');
  // pop-before-smtp's --daemon=/var/run/pop-before-smtp.pid both forks and names the file: the
  // path itself among the moved words tells the daemon too.
  const told =
    /\$\{?pidfile\b/.test(bgOnly) ||
    (!!pidfile && /^\/\S+$/.test(pidfile) && bgOnly.includes(pidfile)) ||
    (ctx.rule?.backgroundFlags ?? []).some((f) => f.why === 'pidfile' && bgOnly.includes(f.flag));
  const ssd = s.words('start_stop_daemon_args') ?? [];
  const made =
    isYes(s.value('command_background')) ||
    !!d.converted?.backgroundMakePidfile ||
    ssd.some((w) => /^(-m|--make-pidfile|-[a-zA-Z]*m[a-zA-Z]*)$/.test(w)) ||
    // A unique prefix as getopt_long takes it (aports-build's --make-pid).
    parseOptions(ssd, undefined, { abbreviations: true }).options.some((o) => o.spec.long === 'make-pidfile');
  // start-stop-daemon making the pid file proves the daemon does not fork, not that it writes
  // no pid file there itself (atop, lxcfs, salt-syndic do): only a curated rule, researched
  // for it, settles that; a moved or split pidfile flag settles it too.
  // A knowledge entry settles it too when its sources say the daemon writes a pid file only
  // where a flag tells it (noOwnPidfile).
  const curated = !!ctx.rule && (ctx.rule.origin !== 'knowledge' || !!ctx.rule.noOwnPidfile);
  // supervise-daemon opens its pid file before the daemon runs: in a directory only the daemon
  // creates (razerd's /run/razerd), that fails at every boot. Unless the script makes the
  // directory first (checkpath/mkdir), the supervisor needs a pid file of its own.
  const dir = pidfile ? unquoted(pidfile).replace(/\/[^/]*$/, '') : '';
  // The directory through a variable of the script that holds it (fiche's checkpath of
  // ${PID_DIR}, PID_DIR=${PID_DIR:-/var/run/${RC_SVCNAME}}).
  const dirVars = dir
    ? [...new Set(s.initd.assignments.filter((a) => a.fn === null).map((a) => a.name))].filter((n) => {
        const v = s.value(n);
        return typeof v === 'string' && samePath(unquoted(v), dir);
      })
    : [];
  const namesDir = (body: string) =>
    body.includes(dir) || dirVars.some((n) => new RegExp(`\\$\\{?${n}(?![A-Za-z0-9_])`).test(body));
  const made_dir =
    !dir ||
    /^\/(var\/)?run$/.test(dir) ||
    s.initd.functions.some((f) => {
      const body = s.initd.text.slice(f.body.start, f.body.end);
      return /\b(checkpath|mkdir|install)\b/.test(body) && (namesDir(body) || /pidfile(%|\})|dirname/.test(body));
    }) ||
    (d.converted?.edits ?? []).some((e) => /\b(checkpath|mkdir|install)\b/.test(e.text) && namesDir(e.text));
  // Told where, by a flag that now goes to start-stop-daemon only: without it the daemon may
  // still write a default pid file, which may be the very path the supervisor keeps (babeld
  // writes /var/run/babeld.pid by default and will not start while that file exists). Only
  // knowledge of the daemon (a curated rule, or an entry saying it writes none unless told)
  // settles that it writes nothing there.
  // command_args set only when the service starts (d.argsAtStart, tpm-emulator's start()): its
  // words may hold a pid file option rc-supervise cannot see, so only a daemon with no such
  // option at all is known to write none there.
  const optionFree =
    !d.argsAtStart ||
    !(
      ctx.rule?.backgroundFlags?.some((f) => f.why === 'pidfile') ||
      ctx.rule?.keptPidfileFlags?.length ||
      ctx.rule?.foregroundPidfile
    );
  const knownNone = !ruleSays && optionFree && ((told && curated) || (made && curated));
  if (knownNone && made_dir) return;
  // A script that switches on $supervisor was written for both backends, pid files included.
  if (!ruleSays && isDualMode(s)) return;
  const fg = d.foreground ?? s.value('command_args_foreground') ?? '';
  // Foreground words that keep the daemon off a pid file (sshd's -o PidFile=none) come after
  // command_args on its command line: a pid file word kept there (pidfileKept: sshd.rc6's
  // SSHD_OPTS with -o PidFile=...) may be the one the daemon takes (sshd keeps the first
  // PidFile it reads), so they settle nothing then, and the supervisor still moves.
  if (/pid/i.test(fg) && !d.pidfileKept) return;
  // The rule's words that keep the daemon off a pid file, already in the script's own
  // arguments (Alpine's dbus passes --nofork --nopidfile in command_args): told already.
  const pidWords = (ctx.rule?.foreground ?? '').split(/\s+/).filter((w) => /pid/i.test(w));
  const given = s.words('command_args') ?? [];
  if (pidWords.length && pidWords.every((w) => given.includes(w))) return;
  // Calls the signals step rewrites, and functions the custom-start step replaces, no longer read it.
  const rewritten = rewrittenBy(d);
  const readers = s.initd.functions.filter((f) => {
    const body = s.initd.text.slice(f.body.start, f.body.end);
    return [...body.matchAll(/\$\{?pidfile\b/g)].some((m) => !rewritten(f.body.start + m.index!));
  });
  const what = own && own !== '*' ? own : 'a pid file';
  const daemon = s.daemon ?? launchedName(s, d);
  // Said as known only where a rule says so (ollama.init: nothing says either way).
  const warning = ruleSays
    ? `${daemon} writes ${what} itself, which may be the supervisor's pidfile: stop would end only the daemon, and its supervisor would respawn it`
    : `${daemon} may write a pid file itself at the script's pidfile (nothing says it does not), which would then be the supervisor's too: stop would end only the daemon, and its supervisor would respawn it`;
  const last = s
    .initdAssignments('pidfile')
    .filter((a) => a.plain)
    .pop();
  // The functions that read pidfile mean the daemon's own file (tinyproxy's start_pre() makes
  // its directory, fcron's compares it with the default instance's): they may go on reading
  // it under another name, set to pidfile's value before the supervisor gets its own, when the
  // daemon is known to write that file also in the foreground (or they only make its place),
  // and nothing but the script's plain top-level line sets pidfile.
  // What the custom-start step wrote from start()/stop() (start_pre(), stop_pre()) reads it too.
  const convertedReads = (d.converted?.edits ?? []).some(
    (e) => convertedFunction(ctx, e) !== null && expansions(e.text).length > 0,
  );
  // innd's start_pre(): `if [ -f ${pidfile} ] || …; then command_args="${command_args} -r"`. The
  // daemon's own pid file, still there when the service starts, means it did not shut down
  // cleanly, and the daemon gets recovery arguments for it. supervise-daemon restarts a daemon
  // that died without running start_pre(), so after a crash it would run without them.
  const marker = ruleSays ? crashMarker(s, readers, rewritten) : undefined;
  if (marker)
    return {
      kind: 'refuse',
      code: 'dynamic',
      reason: `${marker.fn}() takes ${daemon}'s own pid file, left behind when it did not shut down cleanly, as the sign of a crash and changes its arguments for that (${marker.line}): supervise-daemon restarts a daemon that died without running ${marker.fn}(), so after a crash ${daemon} would run again without that recovery`,
      suggestion: `keep this service on start-stop-daemon; or, to supervise it anyway, take that test out of ${marker.fn}() (and recover by hand after a crash), then migrate again`,
    };
  // nsd's start_pre() and stop_pre(): pidfile="$(get_pidfile)", the file nsd's configuration
  // names, which nsd writes itself also in the foreground. Each such function gives the
  // supervisor its own pid file at its end, after it has read the daemon's.
  const setters = ruleSays ? settersGuarded(ctx, d, readers, rewritten, daemon) : undefined;
  if (typeof setters === 'string')
    return {
      kind: 'refuse',
      code: 'dynamic',
      reason: `${warning}; ${setters}`,
      suggestion:
        'give the supervisor its own pidfile (if [ "${supervisor}" = supervise-daemon ]; then pidfile=...; fi) by hand, then migrate again',
    };
  if (setters) {
    d.pidfileSetAtStart = setters.fns;
    // The residual pass: every such function ends with the supervisor's own pid file already.
    if (setters.done && (!last || guardedLast(s))) return;
    d.extraEdits.push(...setters.edits);
    const rest = setters.fns.filter((f) => f !== 'start_pre').map((f) => `${f}()`);
    if (!setters.done)
      d.notes.push(
        `${daemon} writes ${what} itself (also in the foreground), and ${setters.fns.map((f) => `${f}()`).join(', ')} set${setters.fns.length > 1 ? '' : 's'} pidfile to it when ${setters.fns.length > 1 ? 'they run' : 'it runs'}: under supervise-daemon start_pre() now ends by giving the supervisor its own, /run/supervise-\${RC_SVCNAME}.pid, after its own reads of the daemon's file (OpenRC's start passes pidfile as start_pre() left it and records it, and its stop uses the recorded file${rest.length ? `; what ${rest.join(', ')} set${rest.length > 1 ? '' : 's'} stays in ${rest.length > 1 ? 'their' : 'its'} own run` : ''})`,
      );
    d.initdReasons.push("the daemon writes its own pid file at the supervisor's pidfile, which only init.d can change");
    // No line at the top sets it: nothing else to move.
    if (!last) return;
  }
  const alias =
    !setters && (readers.length || convertedReads)
      ? daemonPidfileAlias(ctx, d, readers, rewritten, ruleSays, !!last, made && !ruleSays)
      : null;
  if (typeof alias === 'string')
    // Giving the supervisor another pid file would change what those functions do; keeping
    // the shared one would make stop end only the daemon. Neither is safe to decide here.
    return {
      kind: 'refuse',
      code: 'dynamic',
      reason: `${warning}; ${readers.length ? readers.map((f) => `${f.name}()`).join(', ') : 'what start()/stop() did besides the launch'} reads pidfile, so the supervisor cannot simply be given another one (${alias})`,
      suggestion:
        'give the supervisor its own pidfile by hand (and adapt the functions that read it), then migrate again',
    };
  // The flag that told the daemon where (now for start-stop-daemon only) was its only word on
  // the path: under the supervisor it writes a pid file only where its configuration says
  // (ownPidfile '*': mod_gearman_worker's pidfile= line, none by default), so a function that
  // reads ${daemon_pidfile} would find no file, or a stale one, there.
  if (alias && told && own === '*') {
    const reading = readers.find((f) => {
      const body = s.initd.text.slice(f.body.start, f.body.end);
      return [...body.matchAll(/\$\{?pidfile\b/g)].some((m) => {
        return readsAt(s, f.body.start + m.index!, rewritten);
      });
    });
    if (reading)
      return {
        kind: 'refuse',
        code: 'dynamic',
        reason: `${reading.name}() reads the daemon's pid file ${pidfile ?? '${pidfile}'}, which ${daemon} writes there only when told (${bgOnly.replace(/["']/g, '').trim()}, now for start-stop-daemon only) or where its configuration says (rule ${ctx.rule!.id}): under the supervisor that file may never be written`,
        suggestion: `make ${reading.name}() signal through \${supervisor} \${RC_SVCNAME} --signal, or name the same pid file in ${daemon}'s configuration and give the supervisor its own pidfile by hand, then migrate again`,
      };
  }
  // Known to write none there: the supervisor moves only because nothing makes that directory
  // before supervise-daemon writes its pid file (kannel-sqlbox's /var/run/kannel).
  const dirOnly = knownNone && !made_dir;
  // An entry says the daemon writes a pid file only where a flag tells it, yet no flag does and
  // start-stop-daemon did not make the script's: something else (its configuration?) may write
  // it. Said as it is, not as "nothing says" (gitlab-pages).
  const unexplained = !ruleSays && !knownNone && !!ctx.rule?.noOwnPidfile;
  // pinenote_dbus_service: no option names a pid file at all, so it writes none.
  const toldHow =
    ctx.rule?.backgroundFlags?.some((f) => f.why === 'pidfile') || ctx.rule?.keptPidfileFlags?.length
      ? 'it writes one only where told'
      : 'it writes none in the foreground';
  // silcd: written only when it forks, but read at start, and a live pid there makes it exit.
  const locks = !ruleSays && !unexplained && !dirOnly && !!ctx.rule?.pidfileLock;
  const comment = ruleSays
    ? `# ${daemon} writes ${what} itself: supervise-daemon needs a pid file of its own`
    : dirOnly
      ? `# nothing makes ${dir} before supervise-daemon writes its pid file: it keeps one of its own`
      : unexplained
        ? `# nothing here writes the script's pid file (${daemon}: ${toldHow}): supervise-daemon keeps one of its own`
        : locks
          ? `# ${daemon} exits at start when its pid file names a live process: supervise-daemon keeps one of its own`
          : `# nothing says ${daemon} writes no pid file at the script's path: supervise-daemon keeps one of its own`;
  const lines = [
    comment,
    ...(alias
      ? [
          `# ${alias.fns.map((f) => `${f}()`).join(', ')} read${alias.fns.length > 1 ? '' : 's'} the script's pid file as \${${DAEMON_PIDFILE}}`,
          `${DAEMON_PIDFILE}=\${pidfile}`,
        ]
      : []),
    // In a CRLF file every line ends in a carriage return: a trailing comment keeps `fi` a keyword.
    `if [ "\${supervisor}" = supervise-daemon ]; then pidfile="/run/supervise-\${RC_SVCNAME}.pid"; fi${s.initd.eol === '\r\n' ? ' #' : ''}`,
  ];
  if (alias) {
    d.extraEdits.push(...alias.edits);
    d.notes.push(
      `${alias.fns.map((f) => `${f}()`).join(', ')} read${alias.fns.length > 1 ? '' : 's'} the script's pid file, now as \${${DAEMON_PIDFILE}}: pidfile is the supervisor's under supervise-daemon`,
    );
  }
  d.notes.push(
    ruleSays
      ? `${daemon} writes ${what} itself (also in the foreground): under supervise-daemon the supervisor keeps its pid in /run/supervise-\${RC_SVCNAME}.pid instead`
      : dirOnly
        ? `nothing in the script makes ${dir}, where the pid file would be, before supervise-daemon writes it (the daemon or its package makes it): under supervise-daemon the supervisor keeps its pid in /run/supervise-\${RC_SVCNAME}.pid instead`
        : unexplained
          ? `the script names a pid file that neither a flag tells ${daemon} to write (rule ${ctx.rule!.id}: ${toldHow}) nor start-stop-daemon makes, so something else may write it: under supervise-daemon the supervisor keeps its pid in /run/supervise-\${RC_SVCNAME}.pid instead`
          : locks
            ? `${daemon} reads its pid file at start and exits when it names a live process (rule ${ctx.rule!.id}), so the supervisor's pid must not be there: under supervise-daemon the supervisor keeps its pid in /run/supervise-\${RC_SVCNAME}.pid instead`
            : `nothing says ${daemon} does not write the script's pidfile itself, also in the foreground: under supervise-daemon the supervisor keeps its pid in /run/supervise-\${RC_SVCNAME}.pid instead`,
  );
  d.initdReasons.push(
    ruleSays
      ? "the daemon writes its own pid file at the supervisor's pidfile, which only init.d can change"
      : dirOnly
        ? "the pid file's directory is made only by the daemon, and only init.d can give the supervisor another"
        : locks
          ? "the daemon reads the script's pidfile at start, and only init.d can give the supervisor another"
          : unexplained
            ? "something other than the daemon may write the script's pidfile, and only init.d can give the supervisor another"
            : "the daemon may write the script's pidfile itself, and only init.d can give the supervisor another",
  );
  if (!last && launchPid) {
    // The pidfile= line is ours (from the converted start()): the relocation follows it in the block.
    d.lateLines.push(...lines);
    return;
  }
  // Set in init.d only by a default (miniupnpd's `: "${pidfile:=/var/run/miniupnpd.pid}"`),
  // inside a top-level if/case (lcd4linux's per-instance pidfile=), or only in conf.d: OpenRC
  // sources init.d after conf.d, so a line below the last top-level statement that sets it
  // still gives the supervisor its own, whatever conf.d says. Not when a function sets it
  // (nsd's start_pre(): pidfile="$(get_pidfile)"), which would run after that line.
  const fnSetter = s.initd.assignments.find((a) => a.name === 'pidfile' && a.fn !== null);
  if (!last && (!ruleSays || (fnSetter && !setters))) {
    d.notes.pop();
    d.initdReasons.pop();
    // Known to write it (a rule says so): stop would end only the daemon. Not a warning on a
    // migration reported as done, a refusal.
    if (ruleSays)
      return {
        kind: 'refuse',
        code: 'dynamic',
        reason: `${warning}; ${fnSetter!.fn}() sets pidfile itself, after any line rc-supervise could add to give the supervisor another`,
        suggestion:
          'give the supervisor its own pidfile (if [ "${supervisor}" = supervise-daemon ]; then pidfile=...; fi) by hand, then migrate again',
      };
    // Nothing says the daemon writes it: said as what is not known, not as a fact.
    d.warnings.push(
      `nothing says ${daemon} writes no pid file at ${pidfile ?? "the script's pidfile"}; if it does, that is the supervisor's pidfile too (stop would end only the daemon, and its supervisor would respawn it), and pidfile is set where rc-supervise does not give the supervisor another (conf.d, or a default like : \${pidfile:=...})`,
    );
    return;
  }
  // After the last pidfile= and after the supervisor is set (our block, or the script's own line).
  // Below the whole top-level statement (an if ... fi) of the last line that sets pidfile in
  // init.d, plain or not (none: set only in conf.d).
  const setLast = s.initd
    .topLevel('pidfile')
    .reduce<Assignment | undefined>((a, b) => (a && a.end > b.end ? a : b), undefined);
  const after = [
    setLast ? s.initd.statementLineEnd(setLast.start, setLast.end) : 0,
    s.supervisor.initdAssignment ? s.initd.lineEnd(s.supervisor.initdAssignment.end) : 0,
    // ... and the command_args line that reads ${pidfile} for the daemon's own file.
    // Below the whole top-level statement it is in (an if ... fi holding that line).
    d.pidfileReadAt !== undefined ? s.initd.statementLineEnd(d.pidfileReadAt) : 0,
  ];
  // Where it goes depends on where our block lands, which only the composition knows (the
  // block may move below a sourced file): it must follow both pidfile= and supervisor=.
  d.relocation = { at: Math.max(...after), lines };
}

/**
 * A start_pre() (or start()) line testing whether the pid file exists (`[ -f ${pidfile} ]`) in an
 * `if` whose body, up to its first `fi`, changes command_args: the daemon's arguments chosen by
 * whether it left its pid file behind. The function and the test line, or undefined.
 */
function crashMarker(
  s: Service,
  readers: readonly FunctionDef[],
  rewritten: (offset: number) => boolean,
): { fn: string; line: string } | undefined {
  for (const f of readers.filter((x) => x.name === 'start_pre' || x.name === 'start')) {
    const body = s.initd.text.slice(f.body.start, f.body.end);
    for (const m of body.matchAll(/\$\{?pidfile\b/g)) {
      const at = f.body.start + m.index!;
      if (rewritten(at)) continue;
      const line = s.initd.text.slice(s.initd.lineStart(at), s.initd.lineEnd(at));
      if (!/^\s*(if|elif)\b/.test(line) || !/(\[|\btest)\s+(!\s+)?-[efs]\s+"?\$\{?pidfile\b/.test(line)) continue;
      const rest = s.initd.text.slice(s.initd.lineEnd(at), f.body.end).split(/\r?\n/);
      const end = rest.findIndex((l) => /^\s*fi\b/.test(l));
      if (rest.slice(0, end < 0 ? rest.length : end).some((l) => /^\s*command_args=/.test(l)))
        return { fn: f.name, line: line.trim().replace(/\s+/g, ' ').slice(0, 80) };
    }
  }
  return undefined;
}

/** What gives the supervisor its own pid file, only while it is the supervisor. */
const SUPERVISOR_PIDFILE =
  'if [ "${supervisor}" = supervise-daemon ]; then pidfile="/run/supervise-${RC_SVCNAME}.pid"; fi';

/** An assignment on that line alone (what this step wrote, read again in the residual pass). */
function isSupervisorPidfile(s: Service, a: Assignment): boolean {
  const line = s.initd.text.slice(s.initd.lineStart(a.start), s.initd.lineEnd(a.start));
  return line.replace(/\s+#$/, '').trim() === SUPERVISOR_PIDFILE;
}

/** The last top-level line setting pidfile is the supervisor's own already. */
function guardedLast(s: Service): boolean {
  const top = s.initd.topLevel('pidfile');
  const lastTop = top.reduce<Assignment | undefined>((a, b) => (a && a.end > b.end ? a : b), undefined);
  return !!lastTop && isSupervisorPidfile(s, lastTop);
}

/**
 * Functions that set pidfile to the daemon's own file when they run (nsd's start_pre() and
 * stop_pre(): `pidfile="$(get_pidfile)"`, the path nsd.conf names, which nsd writes itself also
 * in the foreground; reload() sets it again before signalling through it). Real OpenRC
 * (openrc-run.sh, supervise-daemon.sh) runs start_pre() and its start in one shell:
 * supervise_start passes `--pidfile $pidfile` as start_pre() left it and records it
 * (service_set_value pidfile); supervise_stop uses that recorded file whatever stop_pre() set,
 * and every other command (reload, stop) runs in a shell of its own. So the supervisor gets a
 * pid file of its own when start_pre() ends with the guarded line, after its last read of the
 * daemon's file, as long as:
 * - start_pre() is one of them, sets it unconditionally at its own top level, and returns from
 *   nowhere after that line but on a failure (`|| return $?`, `return 1`), and its last line
 *   leaves a status of 0 (`checkpath ... || return 1`): the guarded line would hide any other;
 * - each of them sets it unconditionally at its own top level before any read of it there, and
 *   is one OpenRC runs itself (not a helper another function calls: the caller would go on with
 *   the value, spamd's _legacy()); start() and stop() setting it are left to the checks after
 *   the plan (undefined);
 * - no other function reads pidfile (it would read the supervisor's file, or a stale value).
 * Under start-stop-daemon the guarded line does nothing, and the script runs as before.
 * The edits and functions, `done` when start_pre() ends with that line already; why not
 * otherwise; undefined when no function sets pidfile.
 */
function settersGuarded(
  ctx: StepContext,
  d: Draft,
  readers: readonly FunctionDef[],
  rewritten: (offset: number) => boolean,
  daemon: string,
): { edits: Edit[]; fns: string[]; done: boolean } | string | undefined {
  const s = ctx.service;
  const f0 = s.initd;
  const t = f0.text;
  const sets = f0.assignments.filter((a) => a.name === 'pidfile' && a.fn !== null && !f0.setsLocal(a));
  if (!sets.length) return undefined;
  const fns = [...new Set(sets.map((a) => a.fn!))];
  // start() or stop() itself (chronyd's start(), which sets command_background and pidfile before
  // default_start): not this shape; what sets it there is said by the checks after the plan.
  if (fns.includes('start') || fns.includes('stop')) return undefined;
  const list = fns.map((f) => `${f}()`).join(', ');
  const setS = fns.length > 1 ? '' : 's';
  const edits: Edit[] = [];
  let done = false;
  for (const fn of fns) {
    const defs = f0.functions.filter((f) => f.name === fn);
    if (defs.length !== 1) return `${fn}() sets pidfile and is defined more than once`;
    const f = defs[0];
    const own = sets.filter((a) => a.fn === fn).sort((a, b) => a.start - b.start);
    const last = own[own.length - 1];
    // Ours already (the residual pass): start_pre()'s last statement.
    if (
      fn === 'start_pre' &&
      isSupervisorPidfile(s, last) &&
      t.slice(f0.lineEnd(last.end), f.body.end).trim() === '}'
    ) {
      done = true;
      continue;
    }
    if (rewritten(own[0].start)) return `${fn}() sets pidfile itself, and the conversion replaces it`;
    const cond = own.find((a) => !a.plain);
    if (cond)
      return `${fn}() sets pidfile only under a condition (${lineOf(s, cond.start)}): where it does not, it goes on with ${f0.topLevel('pidfile').length || s.confd?.topLevel('pidfile').length ? "pidfile's value from the top of the script, which rc-supervise would make the supervisor's own file" : 'a pidfile it did not set'}`;
    const caller = f0.commands.find((c) => c.name === fn);
    if (caller)
      return `${fn}() sets pidfile and is called from ${caller.fn ? `${caller.fn}()` : 'the top of the script'}, which would go on with the value it leaves`;
    // Any expansion, a checkpath of its directory too: it would be the supervisor's file then.
    const before = expansions(t.slice(f.body.start, own[0].start)).find((r) => !rewritten(f.body.start + r.at));
    if (before) return `${fn}() reads pidfile before it sets it (${before.line.trim().slice(0, 80)})`;
    if (fn !== 'start_pre') continue;
    // The conversion of start() renames it (script_start_pre) and runs start()'s own steps after
    // it in a new start_pre() (custom-start's keepOwnHook): its end is no longer start_pre()'s.
    if ((d.converted?.edits ?? []).some((e) => e.start === f.start && e.text === 'script_start_pre'))
      return `start_pre() sets pidfile, and the conversion of start() adds start()'s own steps after it (start_pre() becomes script_start_pre(), called first by a new start_pre()): rc-supervise cannot give the supervisor its own pid file at the end of both`;
    const early = f0.commands.find((c) => {
      if (c.fn !== fn || c.start < own[0].start || (c.name !== 'return' && c.name !== 'exit')) return false;
      return !failureReturn(t.slice(f0.lineStart(c.start), c.start), c.words[1]?.text);
    });
    if (early)
      return `start_pre() may return after it sets pidfile (${lineOf(s, early.start)}), before its end, where rc-supervise would give the supervisor its own`;
    const close = f.body.end - 1;
    if (t[close] !== '}' || t.slice(f0.lineStart(close), close).trim() !== '')
      return `start_pre() sets pidfile, and its closing brace is not on a line of its own`;
    // The status start_pre() returns, which OpenRC's start acts on: a line added at its end
    // must not hide a failure. `checkpath ... || return 1` leaves 0 when it goes on.
    const lines = t.slice(f.body.start + 1, f0.lineStart(close)).split(/\r?\n/);
    const tail = lines
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'))
      .pop();
    const m = tail ? /\|\|\s*(?:return|exit)(?:\s+(\S+))?\s*;?$/.exec(tail) : null;
    const quiet = !!tail && !!m && failureReturn(tail.slice(0, m.index + 2), m[1]);
    const literal = !!tail && /^[A-Za-z_]\w*=("[^"$`]*"|'[^']*'|[^\s"'$`;|&]*)$/.test(tail);
    if (!quiet && !literal)
      return `start_pre() ends with a line whose status OpenRC's start acts on (${(tail ?? '').slice(0, 80)}): a line after it, where rc-supervise would give the supervisor its own pid file, would hide a failure`;
    const indent = /^[ \t]*/.exec(t.slice(f0.lineStart(last.start)))![0];
    const eol = f0.eol;
    edits.push({
      file: ctx.initdPath,
      start: f0.lineStart(close),
      end: f0.lineStart(close),
      text: `${indent}# rc-supervise: ${daemon} writes this pid file itself: supervise-daemon keeps one of its own${eol}${indent}${SUPERVISOR_PIDFILE}${eol === '\r\n' ? ' #' : ''}${eol}`,
    });
  }
  if (!fns.includes('start_pre'))
    return `${list} set${setS} pidfile itself, but not start_pre(), whose pidfile OpenRC's start passes to the supervisor`;
  const others = readers.filter((r) => !fns.includes(r.name));
  if (others.length)
    return `${list} set${setS} pidfile itself, and ${others.map((r) => `${r.name}()`).join(', ')} read${others.length > 1 ? '' : 's'} it without setting it (under supervise-daemon the supervisor's file)`;
  // What the custom-start step wrote from start()/stop() reads pidfile too: not decided here.
  if ((d.converted?.edits ?? []).some((e) => convertedFunction(ctx, e) !== null && expansions(e.text).length > 0))
    return `${list} set${setS} pidfile itself, and what start()/stop() did besides the launch reads it`;
  return { edits, fns, done };
}

/**
 * A `return`/`exit` after `||` (`checkconfig || return $?`, `checkpath ... || return 1`), or one
 * with a status other than 0 (`return 1`): taken only on a failure, which ends the start.
 */
function failureReturn(before: string, arg: string | undefined): boolean {
  if (arg !== undefined && /^[0-9]+$/.test(arg)) return Number(arg) !== 0;
  return /\|\|\s*$/.test(before) && (arg === undefined || /^"?\$\?"?$/.test(arg));
}

function lineOf(s: Service, at: number): string {
  return s.initd.text.slice(s.initd.lineStart(at), s.initd.lineEnd(at)).trim().replace(/\s+/g, ' ').slice(0, 80);
}

/** The name the script's functions read the script's pid file by, once pidfile is the supervisor's. */
const DAEMON_PIDFILE = 'daemon_pidfile';

/**
 * Where the shell expands `$pidfile` / `${pidfile…}` in `text`: not in single quotes, a
 * comment or after a backslash. Hand-written: a word-level scan of one function body is all
 * this needs (the parser's nodes would be the same offsets, at far more cost).
 */
function expansions(text: string): { at: number; line: string }[] {
  const out: { at: number; line: string }[] = [];
  let single = false;
  let double = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (single) {
      if (c === "'") single = false;
      continue;
    }
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === "'" && !double) single = true;
    else if (c === '"') double = !double;
    else if (c === '#' && !double && (i === 0 || /\s/.test(text[i - 1]))) {
      const nl = text.indexOf('\n', i);
      if (nl < 0) break;
      i = nl;
    } else if (c === '$') {
      const m = /^\$\{?pidfile\b/.exec(text.slice(i, i + 10));
      if (m) {
        const ls = text.lastIndexOf('\n', i) + 1;
        const le = text.indexOf('\n', i);
        out.push({ at: i + m[0].length - 'pidfile'.length, line: text.slice(ls, le < 0 ? text.length : le) });
      }
    }
  }
  return out;
}

/** The function an edit of the custom-start step writes into init.d (`start_pre() {...`), or null. */
function convertedFunction(ctx: StepContext, e: Edit): string | null {
  return e.file === ctx.initdPath ? (/^(\w+)\(\) \{/.exec(e.text)?.[1] ?? null) : null;
}

/**
 * Edits that make the functions reading pidfile read DAEMON_PIDFILE instead, or why not: the
 * daemon may not write the file (nothing says it does, and a function reads more than its
 * place), a function sets pidfile itself (nsd's start_pre()), pidfile has no plain top-level
 * line in init.d to follow, the name is taken, or a reference is not a plain expansion.
 */
function daemonPidfileAlias(
  ctx: StepContext,
  d: Draft,
  readers: readonly FunctionDef[],
  rewritten: (offset: number) => boolean,
  ruleSays: boolean,
  topLevel: boolean,
  made = false,
): { edits: Edit[]; fns: string[] } | string {
  const s = ctx.service;
  const t = s.initd.text;
  // A function that sets it (nsd's start_pre(), from the daemon's configuration) is the reason
  // said first: no line at the top could follow it.
  const setter = s.initd.assignments.find((a) => a.name === 'pidfile' && a.fn !== null);
  // spamd's _legacy(), called from start_pre(): said with its caller.
  const caller = setter && s.initd.commands.find((c) => c.name === setter.fn && c.fn !== null);
  if (setter) return `${setter.fn}() sets pidfile itself${caller ? `, called from ${caller.fn}()` : ''}`;
  if (!topLevel) return 'pidfile has no plain line of its own in init.d to follow';
  const taken = new RegExp(`\\b${DAEMON_PIDFILE}\\b`);
  if (taken.test(t) || (s.confd && taken.test(s.confd.text))) return `the script already uses ${DAEMON_PIDFILE}`;
  // transmission-daemon's start_pre(): command_args="... --pid-file ${pidfile}". A word that only
  // tells the daemon where to write (the value of one of its rule's pid file flags) reads
  // nothing: as ${daemon_pidfile} the daemon writes there, never over the supervisor's file.
  const flags = [...(ctx.rule?.backgroundFlags ?? []), ...(ctx.rule?.keptPidfileFlags ?? [])]
    .filter((f) => f.why === 'pidfile' && f.value)
    .map((f) => escapeRe(f.flag));
  const tellsAt = flags.length ? new RegExp(`(?:^|[\\s"'])(?:${flags.join('|')})(?:=|\\s+)["']?\\$\\{?$`) : null;
  const unsure = (fn: string, line: string, before: string) =>
    !ruleSays && !CLEANUP.test(line) && !tellsAt?.test(before)
      ? `nothing says the daemon writes it also in the foreground, and ${fn}() reads it`
      : null;
  const edits: Edit[] = [];
  const childReaders: string[] = [];
  for (const f of readers) {
    const refs = expansions(t.slice(f.body.start, f.body.end));
    const all = [...t.slice(f.body.start, f.body.end).matchAll(/\$\{?pidfile\b/g)].length;
    // A reference the scan does not take for an expansion (quoted, commented) is left as it is
    // only when nothing else in the function needs it: otherwise not decided here.
    if (refs.length !== all) return `${f.name}() names it where the shell does not expand it`;
    for (const r of refs) {
      const at = f.body.start + r.at;
      // A function defined inside another (`start_pre() {` written twice) shares its
      // references with the outer one: each is rewritten once.
      if (rewritten(at) || edits.some((e) => e.start === at)) continue;
      const child = made && startedCommand(s, f.name) ? childPidRead(t, at) : null;
      if (child && !s.initd.inHeredoc(child.start, child.end)) {
        if (!edits.some((e) => e.start === child.start))
          edits.push({ file: ctx.initdPath, ...child, text: CHILD_PID_READ });
        if (!childReaders.includes(f.name)) childReaders.push(f.name);
        continue;
      }
      const why = unsure(f.name, r.line, t.slice(f.body.start, at));
      if (why) return why;
      if (s.initd.inHeredoc(at, at + 'pidfile'.length)) return `${f.name}() reads it in a here-document`;
      edits.push({ file: ctx.initdPath, start: at, end: at + 'pidfile'.length, text: DAEMON_PIDFILE });
    }
  }
  // What the custom-start step wrote from start()/stop() (start_pre(), stop_post()) reads it too.
  const fns: string[] = [];
  if (d.converted) {
    const converted: Edit[] = [];
    for (const e of d.converted.edits) {
      const fn = convertedFunction(ctx, e);
      if (fn === null) {
        converted.push(e);
        continue;
      }
      let text = e.text;
      for (const r of expansions(e.text).reverse()) {
        const why = unsure(fn, r.line, e.text.slice(0, r.at));
        if (why) return why;
        text = text.slice(0, r.at) + DAEMON_PIDFILE + text.slice(r.at + 'pidfile'.length);
      }
      if (text !== e.text) fns.push(fn);
      converted.push({ ...e, text });
    }
    d.converted.edits = converted;
  }
  if (childReaders.length)
    d.notes.push(
      `${childReaders.map((f) => `${f}()`).join(', ')} read${childReaders.length > 1 ? '' : 's'} the daemon's pid from the pid file start-stop-daemon made (the pid of the process it started): under supervise-daemon from the supervisor's child_pid (service_get_value child_pid), the pid of the process the supervisor started, also after a respawn (docs/openrc.md §7)`,
    );
  return { edits, fns: [...readers.map((f) => f.name), ...fns] };
}

/**
 * What `$(cat ${pidfile})` becomes in a function that reads the daemon's pid from a pid file
 * start-stop-daemon made: under supervise-daemon that file is the supervisor's, and the pid of
 * the process it started (the same process start-stop-daemon started, in the foreground) is
 * the service's child_pid value, which supervise-daemon writes and updates on each respawn.
 */
const CHILD_PID_READ = `$(if [ "\${supervisor}" = supervise-daemon ]; then service_get_value child_pid; else cat "\${${DAEMON_PIDFILE}}"; fi)`;

/**
 * The script's extra_started_commands (attach, reload): OpenRC runs them only while the
 * service is started, when supervise-daemon has long written child_pid (it writes it just
 * after its start returns, so start_post() could read it too early).
 */
function startedCommand(s: Service, fn: string): boolean {
  if (HOOKS.has(fn)) return false;
  return s
    .initdAssignments('extra_started_commands')
    .some((a) => a.fn === null && (s.expand(a.value.text) ?? '').split(/\s+/).includes(fn));
}

const HOOKS = new Set(['start', 'stop', 'start_pre', 'start_post', 'stop_pre', 'stop_post', 'status', 'depend']);

/** The `$(cat ${pidfile})` (quoted or not) around the reference at `at`, on its line; null otherwise. */
function childPidRead(t: string, at: number): { start: number; end: number } | null {
  const ls = t.lastIndexOf('\n', at) + 1;
  const le = t.indexOf('\n', at);
  const line = t.slice(ls, le < 0 ? t.length : le);
  for (const m of line.matchAll(/\$\(\s*cat\s+("?)\$(?:\{pidfile\}|pidfile(?![A-Za-z0-9_]))\1\s*\)/g)) {
    const start = ls + m.index!;
    const end = start + m[0].length;
    if (at > start && at < end) return { start, end };
  }
  return null;
}

/**
 * A function that reads a pid file the daemon writes only where a moved flag tells it
 * (`-p ${PIDFILE}` is now for start-stop-daemon only): under the supervisor the file is never
 * written, so autofs's `reload` (`kill -s HUP $(cat "${PIDFILE}")`) would always fail, or
 * signal whatever an old file names. Lines that only make or clean the file's place
 * (checkpath, mkdir, rm, chown) do not count.
 */
function staleReader(ctx: StepContext, d: Draft): Refusal | undefined {
  const s = ctx.service;
  // A variable that is also pidfile's value (`pidfile="${VNSTATD_PIDFILE}"`) counts too: the
  // supervisor's pid file is relocated or shared, and either way the function would no longer
  // read a file the daemon writes (vnstatd's reload: `kill -HUP $(cat "${VNSTATD_PIDFILE}")`).
  // Calls the signals step rewrites are passed over below.
  const aliases = new Set(['pidfile', 'RC_SVCNAME', 'SVCNAME']);
  const vars = [...new Set(referencedVars(d.movedText ?? ''))].filter((v) => !aliases.has(v));
  if (!vars.length) return;
  const rewritten = rewrittenBy(d);
  for (const f of s.initd.functions) {
    const body = s.initd.text.slice(f.body.start, f.body.end);
    for (const v of vars) {
      const uses = [...body.matchAll(new RegExp(`\\$\\{?${v}(?![A-Za-z0-9_])`, 'g'))].map((m) => {
        const at = f.body.start + m.index!;
        return { at, line: s.initd.text.slice(s.initd.lineStart(at), s.initd.lineEnd(at)) };
      });
      // `if [ -f "${PIDFILE}" ]; then rm ...` (rsyslog's stop_post): a test that only guards
      // removing a stale file reads nothing the daemon must have written.
      const guardsCleanup = uses.some((u) => /\brm\b/.test(u.line));
      for (const { at, line } of uses) {
        if (!readsAt(s, at, rewritten)) continue;
        if (guardsCleanup && /(\[|\btest)\s+-[efs]\s/.test(line)) continue;
        return {
          kind: 'refuse',
          code: 'dynamic',
          reason: `${f.name}() reads ${v}, the pid file the daemon writes only when told (${d.movedText}, now for start-stop-daemon only): under the supervisor that file is never written`,
          suggestion: `make ${f.name}() signal through \${supervisor} \${RC_SVCNAME} --signal (or drop its pid file check), then migrate again`,
        };
      }
    }
  }
  return;
}

/**
 * A converted stop() found the daemon through the pid file the daemon wrote in daemon mode
 * (`start-stop-daemon --stop --pidfile /var/run/snort/snort_${SNORT_IFACE}.pid`). When the
 * daemon's pid file flag moved to command_args_background, or its rule says it writes a pid file
 * only where a flag tells it (snort writes one only in daemon mode), nothing writes that file
 * under the supervisor: a function still reading it (snort's reload(): `[ ! -f … ]`,
 * `cat … | ps -p`) would always fail, or read a stale file.
 */
function staleStopPidfile(ctx: StepContext, d: Draft): Refusal | undefined {
  const s = ctx.service;
  if (!d.converted?.command || d.pidfileKept) return;
  const rule = ctx.rule;
  const movedPidFlag = movesPidFlag(d.movedText, rule?.backgroundFlags ?? []);
  if (!movedPidFlag && !rule?.noOwnPidfile) return;
  const own = rule?.ownPidfile;
  for (const c of s.initd.commands.filter((c) => c.fn === 'stop' && c.name === 'start-stop-daemon')) {
    const words = c.words.slice(1).map((w) => w.text);
    const p = parseOptions(words.map(unquoted));
    const opt = p.options.find((o) => o.spec.long === 'pidfile');
    if (!opt?.value) continue;
    const raw = opt.value;
    if (/^\$\{?pidfile\}?$/.test(raw)) continue; // the supervisor's own variable: the step above judges its readers
    const value = s.expand(raw);
    if (own && (own === '*' || (value && samePath(value, own)))) continue;
    // The supervisor takes that very path (pidfile= from the launch): its readers read the supervisor.
    // Not where the daemon writes none in the foreground and nothing made it (icinga's lock file,
    // written in daemon mode only): the supervisor then gets a pid file of its own (below), and a
    // reader of that path (reload's `[ -f ${LOCK} ]`) finds nothing under supervise-daemon.
    const relocated = !!rule?.noOwnPidfile && !movedPidFlag && !d.converted.backgroundMakePidfile;
    if (
      !relocated &&
      !d.converted.pidfileFromStop &&
      (d.converted.lines ?? []).some((l) => l.startsWith('pidfile=') && unquoted(l.slice(8)) === raw)
    )
      continue;
    const texts = [...new Set([raw, value].filter((x): x is string => !!x && x.length > 1))];
    const rewritten = rewrittenBy(d);
    for (const f of s.initd.functions) {
      const body = s.initd.text.slice(f.body.start, f.body.end);
      for (const text of texts) {
        const at: number[] = [];
        for (let i = body.indexOf(text); i >= 0; i = body.indexOf(text, i + 1)) at.push(f.body.start + i);
        // As in staleReader: a test that only guards removing the stale file (spindownd's
        // checkconfig()) reads nothing the daemon must have written.
        const lineAt = (o: number) => s.initd.text.slice(s.initd.lineStart(o), s.initd.lineEnd(o));
        const guardsCleanup = at.some((o) => /\brm\b/.test(lineAt(o)));
        for (const o of at) {
          if (!readsAt(s, o, rewritten)) continue;
          if (guardsCleanup && /(\[|\btest)\s+-[efs]\s/.test(lineAt(o))) continue;
          return {
            kind: 'refuse',
            code: 'dynamic',
            reason: `${f.name}() reads ${raw}, the pid file stop() found the daemon by; ${s.daemon ?? launchedName(s, d)} writes it only ${movedPidFlag ? `where a flag tells it (${d.movedText}, now for start-stop-daemon only)` : 'in daemon mode (its rule says so)'}: under the supervisor that file is never written`,
            suggestion: `make ${f.name}() signal through \${supervisor} \${RC_SVCNAME} --signal (and drop its pid file checks), then migrate again`,
          };
        }
      }
    }
  }
  return;
}

/** The converted launch's program, by its file name. */
function launchedName(s: Service, d: Draft): string {
  const launched = d.converted?.command ? (s.expand(d.converted.command) ?? '') : '';
  return unquoted(launched).split('/').pop() || 'the daemon';
}

/**
 * A file on the root that signals the daemon through the script's pid file (dnsmasq's
 * logrotate: `kill -USR2 $(head -n1 /var/run/dnsmasq.pid)`). Under supervise-daemon that file
 * is fine only if the daemon still writes it by itself (a rule says so) and the supervisor
 * gets its own (done below); otherwise the signal would reach the supervisor, or nobody.
 */
function outsideReader(ctx: StepContext, d: Draft): Refusal | undefined {
  const s = ctx.service;
  const launchPid = d.converted?.lines.find((l) => l.startsWith('pidfile='));
  // poolmon's start(): `local pidfile=/run/poolmon.pid` and `--pidfile "${pidfile}"`. The
  // conversion hoists that assignment to the top, where the script has none yet to expand.
  const named = launchPid && /^(["']?)\$(?:(\w+)|\{(\w+)\})\1$/.exec(launchPid.slice(8));
  const hoisted = named && d.converted?.hoist.find((l) => l.startsWith(`${named[2] ?? named[3]}=`));
  const pid = hoisted
    ? s.expand(hoisted.slice(hoisted.indexOf('=') + 1))
    : launchPid
      ? s.expand(launchPid.slice(8))
      : s.value('pidfile');
  if (!pid || !ctx.pidfileReaders?.length) return;
  const bare = unquoted(pid);
  const variants = [bare, bare.replace(/^\/var\/run\//, '/run/'), bare.replace(/^\/run\//, '/var/run/')];
  // A path built per instance (polipo's cron job: "/var/run/polipo${myname}.pid", or a glob
  // /var/run/polipo*.pid) names the same file: the stem followed by an expansion or a glob.
  const stems = variants.filter((v) => v.endsWith('.pid')).map((v) => v.slice(0, -4));
  const reader = ctx.pidfileReaders.find(
    (r) =>
      variants.some((v) => r.text.includes(v)) ||
      stems.some((st) => new RegExp(`${escapeRe(st)}(?=[$*])`).test(r.text)),
  );
  if (!reader) return;
  const own = ctx.rule?.ownPidfile;
  // Only while the foreground words leave the daemon's pid file alone: dnsmasq's bare
  // --pid-file there makes it write none, and the reader would signal the supervisor.
  const fg = d.foreground ?? s.value('command_args_foreground') ?? '';
  if (own && !/pid/i.test(fg) && (own === '*' || samePath(bare, own))) return;
  return {
    kind: 'refuse',
    code: 'dynamic',
    reason: `${reader.path} signals the daemon through ${bare}, which under supervise-daemon would be the supervisor's pid file (or a file nobody writes)`,
    suggestion: `make ${reader.path} use rc-service (or \${supervisor} <service> --signal), or pass the daemon a pid file of its own, then migrate again`,
  };
}

/**
 * Offsets inside calls the signals step rewrites, pid file lines the foreground step guards
 * (they run only under start-stop-daemon), or functions the custom-start step replaces: they
 * no longer read the supervisor's pid file.
 */
function rewrittenBy(d: Draft): (offset: number) => boolean {
  const gone = [...d.signalEdits, ...d.pidWriteGuards, ...(d.converted?.edits ?? [])];
  return (offset) => gone.some((e) => e.start <= offset && offset < e.end);
}

/** Lines that only make, own or clean a pid file's place (checkpath, rm, `${PIDFILE%/*}`): they read nothing. */
/**
 * Whether the pid file named at offset `at` of init.d is read there: not in a call the signals
 * step rewrites, a comment, or a line that only makes or cleans its place (checkpath, rm, ...).
 */
function readsAt(s: Service, at: number, rewritten: (offset: number) => boolean): boolean {
  if (rewritten(at)) return false;
  const line = s.initd.text.slice(s.initd.lineStart(at), s.initd.lineEnd(at));
  if (/^\s*#/.test(line) || CLEANUP.test(line)) return false;
  // A message that only names the file (spindownd's checkconfig(): `ewarn "The spindownd pidfile
  // (${SPINDOWND_PID})"`) reads nothing from it: no command substitution, no redirection.
  const c = s.initd.commands.find((x) => x.start <= at && at < x.end);
  if (c && MESSAGES.has(c.name) && !/\$\(|`|[<>]/.test(s.initd.text.slice(c.start, c.end) + line)) return false;
  return true;
}

const CLEANUP = /\b(checkpath|mkdir|chown|chmod|rm|install|dirname)\b|%\/\*/;

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
