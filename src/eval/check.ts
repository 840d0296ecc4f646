/**
 * Checks of one migrated service with OpenRC's own shell code (src/eval/openrc-record.ts):
 * what supervise-daemon really receives, what the script's other commands really signal,
 * and whether the files still parse. Each finding is a violation: a migration that would
 * break the service on a real system.
 */
import { spawnSync } from 'node:child_process';
import { recordActions, splitSuperviseArgv, type ActionRecord } from './openrc-record.js';

export type ViolationKind =
  | 'syntax'
  | 'ssd-option'
  | 'pidfile-shared'
  | 'signal-to-supervisor'
  | 'start-refused'
  | 'start-not-supervised'
  | 'ssd-backend-broken'
  | 'second-run'
  | 'start-pre-fails';

export interface Violation {
  kind: ViolationKind;
  detail: string;
}

export interface CheckResult {
  violations: Violation[];
  /** Changes of behaviour to judge by hand, not counted as violations. */
  review?: Violation[];
  /** Set when a check could not run (e.g. start_pre() fails in the sandbox before and after). */
  unverified?: string;
  /** The supervise-daemon start argv, for the record. */
  superviseArgv?: string[];
}

/**
 * Options only start-stop-daemon knows (or that mean something else to supervise-daemon):
 * supervise-daemon rejects them, or misreads them (`-m` is its --respawn-max).
 */
const SSD_ONLY_LONG =
  /^--(wait|background|make-pidfile|exec|name|progress|interpreted|startas|test|oknodo|scheduler|scheduler-priority)(=|$)/;
const SSD_ONLY_SHORT = new Set(['w', 'b', 'm', 'x', 'n', 't', 'o', 'i', 'a']);

export function ssdOnlyOptions(options: string[]): string[] {
  return options.filter((o) => {
    if (SSD_ONLY_LONG.test(o)) return true;
    const m = /^-([A-Za-z]+)$/.exec(o);
    return m ? [...m[1]].some((ch) => SSD_ONLY_SHORT.has(ch)) : false;
  });
}

/** The value of `--pidfile X` / `--pidfile=X` / `-p X` in a supervise-daemon or start-stop-daemon argv. */
export function pidfileOf(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') break;
    if ((a === '--pidfile' || a === '-p') && i + 1 < argv.length) return argv[i + 1];
    if (a.startsWith('--pidfile=')) return a.slice('--pidfile='.length);
  }
  return undefined;
}

/** A daemon argument naming the path `pf`: `pf`, `--opt=pf`, `-Xpf`. */
function namesPath(arg: string, pf: string): boolean {
  return arg === pf || arg.endsWith(`=${pf}`) || (/^-[A-Za-z]/.test(arg) && arg.slice(2) === pf);
}

/** `dash -n` (or `bash -n`): null when the text parses, else the shell's message. */
export function shellSyntax(text: string, shell: 'dash' | 'bash'): string | null {
  const r = spawnSync(shell, ['-n'], { input: text, encoding: 'utf8', timeout: 10_000 });
  if (r.status === 0) return null;
  return (r.stderr || r.stdout || `exit ${r.status}`).trim().split('\n')[0];
}

/**
 * Re-parse: the shell the file needs is the one that accepts the original (openrc-run uses
 * /bin/sh, which is dash here; a script that only bash accepts is judged by bash). A file
 * whose original neither shell accepts is not judged.
 */
export function reparse(before: string, after: string, what: string): Violation | null {
  for (const shell of ['dash', 'bash'] as const) {
    if (shellSyntax(before, shell) !== null) continue;
    const err = shellSyntax(after, shell);
    return err ? { kind: 'syntax', detail: `${what}: ${shell} -n: ${err}` } : null;
  }
  return null;
}

/** Commands openrc-run will run besides start/stop: extra_*commands and reload, where the script defines them. */
export function extraCommands(initd: string): string[] {
  const names = new Set<string>();
  for (const m of initd.matchAll(/^\s*extra_(?:started_)?commands=(["']?)([^"'\n]*)\1/gm))
    for (const w of m[2].split(/\s+/)) if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(w)) names.add(w);
  names.add('reload');
  return [...names].filter((n) => new RegExp(`^\\s*(?:function\\s+)?${n}\\s*\\(\\s*\\)`, 'm').test(initd)).sort();
}

/** The `cat` stand-in: answers a fake pid for the supervisor's pid file, so `kill -HUP $(cat "$pidfile")` is seen. */
export const FAKE_PID = '424242';
const CAT_STAND_IN = `#!/bin/sh
if [ -n "$RC_EVAL_PIDFILE" ] && [ "$#" = 1 ] && [ "$1" = "$RC_EVAL_PIDFILE" ]; then
  . "$RC_RECORD_BIN/.record"; record_call cat "$1"; echo ${FAKE_PID}; exit 0
fi
exec /bin/cat "$@"
`;

const INTERCEPT = ['kill', 'pkill'];

async function record(
  svc: string,
  initd: string,
  confd: string | null,
  actions: string[],
  env: Record<string, string> = {},
  initiallyStarted?: boolean,
): Promise<ActionRecord[]> {
  return recordActions({
    svc,
    initd,
    confd: confd ?? undefined,
    actions,
    intercept: INTERCEPT,
    standIns: { cat: CAT_STAND_IN },
    env,
    initiallyStarted,
    sandbox: true,
    timeoutMs: 8000,
  });
}

/** OpenRC's own reasons not to start (supervise-daemon.sh, start-stop-daemon.sh). */
const OPENRC_REFUSAL = /command variable is undefined|command_background|no pidfile specified|Invalid supervisor/;

/** The message that says why an action failed: OpenRC's eerror lines first, then the shell's. */
export function firstErr(r: ActionRecord): string {
  const lines = r.stderr.split('\n').filter((l) => /\S/.test(l) && !/^\s*\[ !! \]$/.test(l));
  const eerror = lines.filter((l) => /^ \* /.test(l)).at(-1); // eend's message comes last
  const out = (
    eerror ??
    lines[0] ??
    r.stdout.split('\n').find((l) => /\S/.test(l) && !/\[ (ok|!!) \]/.test(l))
  )?.trim();
  return (out ?? `exit ${r.code}`).replace(/\/tmp\/rcs-record-\w+\//g, '').slice(0, 200);
}

/** A call that starts a daemon: start-stop-daemon or supervise-daemon with --start / -S. */
function launches(c: string[]): boolean {
  return (c[0] === 'start-stop-daemon' || c[0] === 'supervise-daemon') && c.some((a) => a === '--start' || a === '-S');
}

function describeCalls(r: ActionRecord): string {
  return r.calls.map((c) => c[0]).join(', ') || 'nothing recorded';
}

/** What a signal command in `calls` would hit: a violation when it is the supervisor (its pid file). */
function signalsToSupervisor(calls: string[][], pf: string, action: string): Violation[] {
  const out: Violation[] = [];
  for (const c of calls) {
    const [cmd, ...args] = c;
    if (cmd === 'start-stop-daemon') {
      const signalOrStop = args.some((a) => /^(--signal|-s|--stop|-K)$|^--signal=/.test(a));
      if (signalOrStop && pidfileOf(c) === pf)
        out.push({
          kind: 'signal-to-supervisor',
          detail: `${action}: start-stop-daemon ${args.join(' ')} (the pid file is the supervisor's)`,
        });
    } else if (cmd === 'kill' && args.includes(FAKE_PID)) {
      out.push({
        kind: 'signal-to-supervisor',
        detail: `${action}: kill ${args.join(' ')} with the pid read from ${pf}`,
      });
    } else if (cmd === 'pkill') {
      const i = args.findIndex((a) => a === '-F' || a === '--pidfile');
      const f = i >= 0 ? args[i + 1] : args.find((a) => a.startsWith('--pidfile='))?.slice(10);
      if (f === pf)
        out.push({
          kind: 'signal-to-supervisor',
          detail: `${action}: pkill ${args.join(' ')} (the pid file is the supervisor's)`,
        });
    }
  }
  return out;
}

/**
 * Check one migration. `before` is the original pair, `after` the migrated one; `svc` the
 * installed name (RC_SVCNAME).
 */
export async function checkMigration(
  svc: string,
  before: { initd: string; confd: string | null },
  after: { initd: string; confd: string | null },
): Promise<CheckResult> {
  const violations: Violation[] = [];
  let unverified: string | undefined;
  const syn = [
    reparse(before.initd, after.initd, 'init.d'),
    after.confd !== null ? reparse(before.confd ?? '', after.confd, 'conf.d') : null,
  ].filter((v): v is Violation => v !== null);
  if (syn.length) return { violations: syn };

  let start: ActionRecord;
  try {
    [start] = await record(svc, after.initd, after.confd, ['start']);
  } catch (e) {
    // dash cannot load it (a bash-only conf.d, say), or it hangs: the migration's fault only if the original loads.
    const msg = (e as Error).message
      .replace(/\/tmp\/rcs-record-\w+\//g, '')
      .split('\n')
      .slice(0, 2)
      .join(' ');
    let orig: ActionRecord | undefined;
    try {
      [orig] = await record(svc, before.initd, before.confd, ['start']);
    } catch {
      /* fails the same way */
    }
    if (orig?.code !== 0) return { violations, unverified: `start: the original fails in the sandbox too: ${msg}` };
    violations.push({ kind: 'start-refused', detail: `start: ${msg}` });
    return { violations };
  }
  const sd = start.calls.filter((c) => c[0] === 'supervise-daemon' && c.includes('--start'));
  if (start.code !== 0 || sd.length === 0) {
    // Did the original start in this sandbox? If not (a start_pre() that wants its config
    // file, say), the failure is the sandbox's and nothing is known.
    let orig: ActionRecord | undefined;
    try {
      [orig] = await record(svc, before.initd, before.confd, ['start']);
    } catch {
      /* not loadable before either */
    }
    if (!orig || orig.code !== 0)
      return { violations, unverified: `start fails in the sandbox before and after: ${firstErr(start)}` };
    // The original start also succeeded without launching anything (a start_pre() that ends
    // with `exit 0` when the hardware is absent, say): the same before and after, so the
    // sandbox, not the migration, kept the launch from being seen.
    if (start.code === 0 && !orig.calls.some(launches))
      return {
        violations,
        unverified: `start launches nothing in the sandbox, before or after the migration (ran ${describeCalls(start)})`,
      };
    const why = firstErr(start);
    const definesPre = (t: string) => /^\s*start_pre\s*\(\s*\)/m.test(t);
    if (
      start.code !== 0 &&
      sd.length === 0 &&
      definesPre(after.initd) &&
      !definesPre(before.initd) &&
      !OPENRC_REFUSAL.test(why)
    )
      // Commands of the old start() now run in start_pre(), whose failure stops the start where
      // the old start() went on: a change to judge (here it failed for want of root or files).
      return { violations, review: [{ kind: 'start-pre-fails', detail: `start: ${why}` }] };
    if (start.code !== 0) violations.push({ kind: 'start-refused', detail: `start: ${why}` });
    else
      violations.push({
        kind: 'start-not-supervised',
        detail: `start ran ${describeCalls(start)}, not supervise-daemon --start`,
      });
    return { violations };
  }
  const argv = sd[0];
  const { options, args } = splitSuperviseArgv(argv);
  const bad = ssdOnlyOptions(options);
  if (bad.length)
    violations.push({ kind: 'ssd-option', detail: `supervise-daemon gets ${bad.join(' ')}: ${argv.join(' ')}` });
  const pf = pidfileOf(argv);
  if (pf && args.some((a) => namesPath(a, pf)))
    violations.push({
      kind: 'pidfile-shared',
      detail: `the daemon is told to write ${pf}, the supervisor's pid file: ${args.join(' ')}`,
    });

  // The other commands and stop, as openrc-run runs them on a started service.
  const actions = [...extraCommands(after.initd), 'stop'];
  try {
    const recs = await record(svc, after.initd, after.confd, actions, pf ? { RC_EVAL_PIDFILE: pf } : {}, true);
    if (pf) for (const r of recs) violations.push(...signalsToSupervisor(r.calls, pf, r.action));
    // A command that fails in the sandbox (a configtest() before the kill) may never reach its signal.
    const failed = recs.filter((r) => r.code !== 0 && r.action !== 'stop');
    if (failed.length)
      unverified = failed
        .map((r) => `${r.action} fails in the sandbox, its signals unchecked: ${firstErr(r)}`)
        .join('; ');
    const stop = recs.at(-1)!;
    if (stop.calls.some((c) => c[0] === 'start-stop-daemon' && c.some((a) => /^(--stop|-K)$/.test(a))))
      violations.push({ kind: 'start-not-supervised', detail: 'stop still calls start-stop-daemon --stop' });
  } catch (e) {
    return { violations, unverified: `extra commands: ${(e as Error).message.split('\n')[0]}`, superviseArgv: argv };
  }

  // The script must still start under start-stop-daemon where it did before (an admin can
  // choose the backend in conf.d; OpenRC refuses e.g. command_background with command_args_background).
  try {
    // Empty: start-stop-daemon without the "Invalid supervisor" warning of a literal value (0.45).
    const forced = (t: string) => `${t}${t.endsWith('\n') ? '' : '\n'}supervisor=\n`;
    const [origSsd] = await record(svc, forced(before.initd), before.confd, ['start']);
    const [newSsd] = await record(svc, forced(after.initd), after.confd, ['start']);
    // Where the original fails in the sandbox too (uredir's start_post() finds no daemon with
    // pgrep), OpenRC's own refusal to start is still the migration's fault when only it has one.
    const refusedNow = OPENRC_REFUSAL.test(firstErr(newSsd)) && !OPENRC_REFUSAL.test(firstErr(origSsd));
    if (newSsd.code !== 0 && (origSsd.code === 0 || refusedNow))
      violations.push({ kind: 'ssd-backend-broken', detail: `under start-stop-daemon: ${firstErr(newSsd)}` });
  } catch {
    /* the backend comparison is best effort: a script that hangs here was checked above */
  }
  return { violations, unverified, superviseArgv: argv };
}
