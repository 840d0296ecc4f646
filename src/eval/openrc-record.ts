/**
 * The "recording stand-in": what argv would real OpenRC shell code hand to
 * `supervise-daemon` / `start-stop-daemon` for an init script + conf.d?
 *
 * How: we run Debian's real `/lib/rc/sh/openrc-run.sh` (OpenRC 0.45.2, unpacked by
 * scripts/fetch-openrc.sh) under /bin/sh (dash, as openrc-run does), one process per
 * action, with only its hard-coded paths rewritten into a temp dir:
 *   /lib/rc/sh/*.sh      -> the unpacked tree (functions.sh, rc-functions.sh, s6.sh, runit.sh,
 *                           start-stop-daemon.sh, supervise-daemon.sh: all real)
 *   /etc/rc.conf(.d)     -> <tmp>/rc.conf, <tmp>/rc.conf.d
 *   conf.d               -> <tmp>/conf.d (found as ${RC_SERVICE%/*}/../conf.d, unchanged)
 * and one line inserted after rc-functions.sh that sources stubs for OpenRC's C helpers
 * (ebegin, eend, checkpath, service_set_value, ...; state kept in files like /run/openrc).
 * So sourcing order, `supervisor` dispatch (default_start -> supervise_start / ssd_start),
 * start_pre/start_post, custom start() functions, extra_*commands checks and the `eval`
 * in supervise_start are OpenRC's own. `supervise-daemon`, `start-stop-daemon` (and any
 * `intercept` names) resolve to recording stand-ins on PATH that log their exact argv
 * (NUL-separated, so any byte but NUL survives) and exit 0.
 *
 * Needs no root and no namespace; only the unpacked tree (run scripts/fetch-openrc.sh).
 *
 * Shared by the tests (test/helpers/openrc-cmdline.ts re-exports it) and `npm run eval`,
 * which checks every migration of a real-world tree with it. Not part of the CLI.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root: the nearest directory upward with our package.json (from src/eval under jest, dist/src/eval when compiled). */
export const REPO_ROOT = ((): string => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && /"name":\s*"rc-supervise"/.test(readFileSync(pkg, 'utf8'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('openrc-record: cannot find the rc-supervise package root');
    dir = up;
  }
})();
export const FETCH_SCRIPT = path.join(REPO_ROOT, 'scripts/fetch-openrc.sh');

/** The unpacked tree (merged-/usr layout). RC_SUPERVISE_CACHE overrides `.cache`, as in the script. */
export function openrcTree(): string {
  const cache = process.env.RC_SUPERVISE_CACHE ?? path.join(REPO_ROOT, '.cache');
  return path.join(cache, 'openrc-root');
}

const MARKER = '.fetch-openrc.done';

export function openrcTreeReady(): boolean {
  return existsSync(path.join(openrcTree(), MARKER));
}

/**
 * Make sure the unpacked tree exists. When it does not and we are root, run
 * scripts/fetch-openrc.sh once (idempotent, installs nothing); otherwise throw with
 * the command to run.
 */
export function ensureOpenRCTree(opts: { autoFetch?: boolean } = {}): string {
  const tree = openrcTree();
  if (openrcTreeReady()) return tree;
  const autoFetch = opts.autoFetch ?? process.getuid?.() === 0;
  if (autoFetch) {
    const r = spawnSync('bash', [FETCH_SCRIPT], { encoding: 'utf8', timeout: 300_000 });
    if (r.status === 0 && openrcTreeReady()) return tree;
    throw new Error(`scripts/fetch-openrc.sh failed (status ${r.status}):\n${r.stdout ?? ''}${r.stderr ?? ''}`);
  }
  throw new Error(`OpenRC is not unpacked at ${tree}. Run (as root, Debian 12): bash scripts/fetch-openrc.sh`);
}

/** OpenRC version of the unpacked tree, e.g. "0.45.2". */
export function openrcVersion(): string {
  return readFileSync(path.join(ensureOpenRCTree(), 'usr/lib/rc/version'), 'utf8').trim();
}

export interface RecordOptions {
  svc: string;
  /** text of /etc/init.d/<svc> */
  initd: string;
  /** text of /etc/conf.d/<svc> */
  confd?: string;
  /** extra conf.d files by name, e.g. `{ net: '...' }` for the multiplexed prefix of `net.eth0` */
  confdFiles?: Record<string, string>;
  /** text of /etc/rc.conf (default: `rc_sys="prefix"`) */
  rcconf?: string;
  /** actions in order, each run like `openrc-run /etc/init.d/<svc> <action>` */
  actions: string[];
  /** more command names to record instead of run (PATH stand-ins), e.g. ['pkill', 'kill'] ('kill' is a shell builtin: recorded through a function) */
  intercept?: string[];
  /**
   * PATH stand-ins with their own script text, by command name (e.g. a `cat` that answers
   * for one file). Such a script logs through RECORD_CALL_SH, sourced with `. "$RC_RECORD_BIN/.record"`.
   */
  standIns?: Record<string, string>;
  /** extra environment for every action */
  env?: Record<string, string>;
  /**
   * Is the service "started" before the first action? Default: stopped when the first
   * action is `start`, started otherwise (so `actions: ['reload']` passes openrc-run.sh's
   * extra_started_commands check). After each action, a successful start marks it started,
   * a successful stop marks it stopped, as openrc-run does.
   */
  initiallyStarted?: boolean;
  timeoutMs?: number;
  /**
   * Run the shell as nobody in its own network, IPC and UTS namespaces (when we are root):
   * for scripts we did not write (`npm run eval` runs real-world start_pre() functions).
   * Not run as root, it has no effect: the scripts run as the current user.
   */
  sandbox?: boolean;
}

export interface ActionRecord {
  action: string;
  /** every recorded invocation, argv[0] as basename, in call order */
  calls: string[][];
  /** exit status of openrc-run.sh for this action */
  code: number;
  stdout: string;
  stderr: string;
}

const RECORDED = ['supervise-daemon', 'start-stop-daemon'];

/** Stand-ins for OpenRC's C helpers, sourced right after functions.sh and rc-functions.sh. */
const STUBS_SH = `# rc-supervise test stand-ins for OpenRC's /lib/rc/bin and /lib/rc/sbin helpers
PATH="$RC_RECORD_BIN:$PATH"; export PATH
_rcs_opt() { printf '%s/options/%s' "$RC_SVCDIR" "$RC_SVCNAME"; }
ebegin() { printf ' * %s ...\\n' "$*"; }
einfo() { printf ' * %s\\n' "$*"; }
einfon() { printf ' * %s' "$*"; }
ewarn() { printf ' * %s\\n' "$*" >&2; }
ewarnn() { printf ' * %s' "$*" >&2; }
eerror() { printf ' * %s\\n' "$*" >&2; }
eerrorn() { printf ' * %s' "$*" >&2; }
eend() { local _r="\${1:-0}"; [ $# -gt 0 ] && shift; if [ "$_r" != 0 ]; then [ $# -gt 0 ] && eerror "$*"; printf ' [ !! ]\\n'; else printf ' [ ok ]\\n'; fi; return "$_r"; }
ewend() { local _r="\${1:-0}"; [ $# -gt 0 ] && shift; [ "$_r" != 0 ] && [ $# -gt 0 ] && ewarn "$*"; return "$_r"; }
vebegin() { :; }
veinfo() { :; }
vewarn() { :; }
veend() { return "\${1:-0}"; }
vewend() { return "\${1:-0}"; }
esyslog() { :; }
eval_ecolors() { :; }
checkpath() { :; }
ewaitfile() { :; }
fstabinfo() { return 1; }
mountinfo() { return 1; }
is_newer_than() { return 1; }
is_older_than() { return 1; }
kill_all() { :; }
on_ac_power() { return 0; }
lsb2rcconf() { :; }
shell_var() { local _o= _s; for _s; do _o="\${_o:+$_o }$(printf '%s' "$_s" | tr -c 'a-zA-Z0-9_' '_')"; done; printf '%s\\n' "$_o"; }
service_set_value() { mkdir -p "$(_rcs_opt)"; printf '%s' "$2" > "$(_rcs_opt)/$1"; }
save_options() { service_set_value "$@"; }
service_get_value() { [ -e "$(_rcs_opt)/$1" ] && cat "$(_rcs_opt)/$1"; }
get_options() { service_get_value "$@"; }
_rcs_state() { [ -e "$RC_SVCDIR/$1/\${2:-$RC_SVCNAME}" ]; }
service_started() { _rcs_state started "$@"; }
service_starting() { _rcs_state starting "$@"; }
service_stopping() { _rcs_state stopping "$@"; }
service_inactive() { _rcs_state inactive "$@"; }
service_wasinactive() { _rcs_state wasinactive "$@"; }
service_hotplugged() { return 1; }
service_crashed() { return 1; }
service_started_daemon() { return 1; }
service_stopped() { ! service_started "$@" && ! service_starting "$@" && ! service_stopping "$@" && ! service_inactive "$@"; }
_rcs_mark() { local _s="\${2:-$RC_SVCNAME}"; rm -f "$RC_SVCDIR"/started/"$_s" "$RC_SVCDIR"/inactive/"$_s"; [ -n "$1" ] && : > "$RC_SVCDIR/$1/$_s"; return 0; }
mark_service_started() { _rcs_mark started "$@"; }
mark_service_stopped() { _rcs_mark "" "$@"; }
mark_service_inactive() { _rcs_mark inactive "$@"; }
mark_service_starting() { :; }
mark_service_stopping() { :; }
mark_service_wasinactive() { :; }
mark_service_hotplugged() { :; }
mark_service_crashed() { :; }
mark_service_failed() { :; }
swclock() { :; }
seedrng() { :; }
`;

/** A PATH stand-in: log "<argc>\0<basename>\0<arg1>\0...<argN>\0" and succeed. */
const RECORDER = `#!/bin/sh
printf '%s\\0' "$#" "\${0##*/}" "$@" >> "$RC_RECORD_LOG"
exit 0
`;

/** `record_call NAME ARGS...` for custom stand-ins: the same log format as RECORDER. */
const RECORD_CALL_SH = `record_call() { printf '%s\\0' "$(($# - 1))" "$@" >> "$RC_RECORD_LOG"; }
`;

/** Parse the NUL-separated log written by RECORDER. */
export function parseRecordLog(buf: Buffer | string): string[][] {
  const parts = (typeof buf === 'string' ? buf : buf.toString('utf8')).split('\0');
  const calls: string[][] = [];
  let i = 0;
  while (i < parts.length - 1) {
    const n = Number(parts[i]);
    if (!Number.isInteger(n) || n < 0 || i + 2 + n > parts.length) {
      throw new Error(`corrupt record log at field ${i}: ${JSON.stringify(parts.slice(i, i + 3))}`);
    }
    calls.push(parts.slice(i + 1, i + 2 + n));
    i += 2 + n;
  }
  return calls;
}

/** openrc-run.sh with its compiled-in paths pointed into `dir`, plus the stubs hook. */
function patchOpenrcRunSh(src: string, shDir: string, dir: string): string {
  const edits: [RegExp | string, string][] = [
    ['sourcex "/lib/rc/sh/rc-functions.sh"\n', `sourcex "${shDir}/rc-functions.sh"\nsourcex "${dir}/stubs.sh"\n`],
    [/"\/lib\/rc\/sh\//g, `"${shDir}/`],
    ['sourcex -e "/etc/rc.conf"', `sourcex -e "${dir}/rc.conf"`],
    ['if [ -d "/etc/rc.conf.d" ]', `if [ -d "${dir}/rc.conf.d" ]`],
    ['for _f in "/etc"/rc.conf.d/*.conf', `for _f in "${dir}"/rc.conf.d/*.conf`],
    ['sourcex -e "/sbin/livecd-functions.sh"', `sourcex -e "${dir}/no-livecd-functions.sh"`],
  ];
  let out = src;
  for (const [from, to] of edits) {
    const before = out;
    out = typeof from === 'string' ? out.split(from).join(to) : out.replace(from, to);
    if (out === before) {
      throw new Error(`openrc-run.sh of this OpenRC version lacks ${String(from).trim()}; update openrc-cmdline.ts`);
    }
  }
  if (/["\s]\/lib\/rc\/|"\/etc\/rc\.conf/.test(out)) {
    throw new Error('openrc-run.sh still references /lib/rc or /etc/rc.conf after patching');
  }
  return out;
}

const NOBODY = 65534;

function run(
  cmd: string,
  args: string[],
  opts: { env: NodeJS.ProcessEnv; cwd: string; timeoutMs: number; killGroup?: boolean },
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // Its own process group, so that a timeout also ends what the script started (sleep, a daemon).
    const child = spawn(cmd, args, { env: opts.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
      reject(new Error(`${cmd} ${args.join(' ')} timed out after ${opts.timeoutMs} ms\n${stdout}${stderr}`));
    }, opts.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      // Whatever the script left running in the background (sandboxed runs of scripts we did not write).
      if (opts.killGroup)
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* the group is gone already */
        }
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

/** Run the actions; one ActionRecord per action, in order. */
export async function recordActions(opts: RecordOptions): Promise<ActionRecord[]> {
  if (!/^[A-Za-z0-9_.@+-]+$/.test(opts.svc)) throw new Error(`bad service name ${opts.svc}`);
  const tree = ensureOpenRCTree();
  const shDir = path.join(tree, 'usr/lib/rc/sh');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rcs-record-'));
  try {
    const svcdir = path.join(dir, 'svcdir');
    const bin = path.join(dir, 'bin');
    for (const d of ['init.d', 'conf.d', 'rc.conf.d', bin]) await mkdir(path.resolve(dir, d), { recursive: true });
    for (const d of [
      'started',
      'starting',
      'stopping',
      'inactive',
      'wasinactive',
      'failed',
      'options',
      'daemons',
      'tmp',
    ]) {
      await mkdir(path.join(svcdir, d), { recursive: true });
    }
    await writeFile(path.join(svcdir, 'softlevel'), 'default\n');
    const script = path.join(dir, 'init.d', opts.svc);
    await writeFile(script, opts.initd);
    await chmod(script, 0o755);
    if (opts.confd !== undefined) await writeFile(path.join(dir, 'conf.d', opts.svc), opts.confd);
    for (const [name, text] of Object.entries(opts.confdFiles ?? {})) {
      await writeFile(path.join(dir, 'conf.d', name), text);
    }
    await writeFile(path.join(dir, 'rc.conf'), opts.rcconf ?? 'rc_sys="prefix"\n');
    const runSh = patchOpenrcRunSh(await readFile(path.join(shDir, 'openrc-run.sh'), 'utf8'), shDir, dir);
    await writeFile(path.join(dir, 'openrc-run.sh'), runSh);
    const intercept = opts.intercept ?? [];
    let stubs = STUBS_SH;
    if (intercept.includes('kill')) {
      stubs += `kill() { printf '%s\\0' "$#" kill "$@" >> "$RC_RECORD_LOG"; return 0; }\n`;
    }
    await writeFile(path.join(dir, 'stubs.sh'), stubs);
    const names = new Set([...RECORDED, ...intercept.filter((n) => n !== 'kill')]);
    for (const name of names) {
      if (!/^[A-Za-z0-9_.+-]+$/.test(name)) throw new Error(`bad intercept name ${name}`);
      await writeFile(path.join(bin, name), RECORDER, { mode: 0o755 });
    }
    await writeFile(path.join(bin, '.record'), RECORD_CALL_SH);
    for (const [name, text] of Object.entries(opts.standIns ?? {})) {
      if (!/^[A-Za-z0-9_.+-]+$/.test(name) || names.has(name)) throw new Error(`bad stand-in name ${name}`);
      await writeFile(path.join(bin, name), text, { mode: 0o755 });
      names.add(name);
    }
    // OpenRC tools with a '-' in their name can't be shell functions: no-op binaries.
    for (const name of ['rc-depend', 'rc-abort', 'rc-service', 'rc-status', 'rc-update']) {
      if (!names.has(name)) await writeFile(path.join(bin, name), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    }

    const started = opts.initiallyStarted ?? opts.actions[0] !== 'start';
    const startedFile = path.join(svcdir, 'started', opts.svc);
    if (started) await writeFile(startedFile, '');
    const sandboxed = opts.sandbox === true && process.getuid?.() === 0;
    if (sandboxed) await chownTree(dir, NOBODY);

    const out: ActionRecord[] = [];
    for (const [i, action] of opts.actions.entries()) {
      const log = path.join(dir, `calls-${i}.log`);
      await writeFile(log, '');
      if (sandboxed) await chown(log, NOBODY, NOBODY);
      const env: NodeJS.ProcessEnv = {
        PATH: `${bin}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
        LANG: 'C',
        EINFO_COLOR: 'NO',
        RC_SVCNAME: opts.svc,
        RC_SVCDIR: svcdir,
        RC_TMPDIR: path.join(svcdir, 'tmp'),
        RC_RUNLEVEL: 'default',
        RC_BOOTLEVEL: 'boot',
        RC_DEFAULTLEVEL: 'default',
        RC_LIBEXECDIR: path.join(tree, 'usr/lib/rc'),
        RC_SYS: 'PREFIX',
        RC_UNAME: 'Linux',
        RC_VERSION: '0.45.2',
        RC_CMD: action,
        RC_RECORD_BIN: bin,
        RC_RECORD_LOG: log,
        ...opts.env,
      };
      const sh = ['/bin/sh', path.join(dir, 'openrc-run.sh'), script, action];
      const argv = sandboxed
        ? [
            'unshare',
            '--net',
            '--ipc',
            '--uts',
            '--',
            'setpriv',
            `--reuid=${NOBODY}`,
            `--regid=${NOBODY}`,
            '--clear-groups',
            ...sh,
          ]
        : sh;
      const r = await run(argv[0], argv.slice(1), {
        env,
        cwd: '/',
        timeoutMs: opts.timeoutMs ?? 10_000,
        killGroup: sandboxed,
      });
      if (/error loading|Syntax error|syntax error/.test(r.stderr)) {
        throw new Error(`${opts.svc} ${action}: the shell could not load the script:\n${r.stderr}`);
      }
      if (r.code === 0 && action === 'start') await writeFile(startedFile, '');
      if (r.code === 0 && action === 'stop') await rm(startedFile, { force: true });
      out.push({
        action,
        calls: parseRecordLog(await readFile(log)),
        code: r.code,
        stdout: r.stdout,
        stderr: r.stderr,
      });
    }
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function chownTree(p: string, id: number): Promise<void> {
  await chown(p, id, id);
  for (const e of await readdir(p, { withFileTypes: true })) {
    const q = path.join(p, e.name);
    if (e.isDirectory()) await chownTree(q, id);
    else await chown(q, id, id);
  }
}

/**
 * For each action, the argv lists handed to supervise-daemon / start-stop-daemon (and any
 * `intercept`ed command), argv[0] as basename. A repeated action's calls are concatenated.
 */
export async function recordCommandLines(opts: RecordOptions): Promise<Record<string, string[][]>> {
  const result: Record<string, string[][]> = {};
  for (const r of await recordActions(opts)) (result[r.action] ??= []).push(...r.calls);
  return result;
}

/** The single call to `binary` made by `action`, or throw (with the whole record) if not exactly one. */
export async function recordFor(
  opts: Omit<RecordOptions, 'actions'> & { action: string; binary?: string },
): Promise<string[]> {
  const [rec] = await recordActions({ ...opts, actions: [opts.action] });
  const binary = opts.binary ?? 'supervise-daemon';
  const calls = rec.calls.filter((c) => c[0] === binary);
  if (calls.length !== 1) {
    throw new Error(`${opts.svc} ${opts.action}: expected one ${binary} call, got ${JSON.stringify(rec, null, 1)}`);
  }
  return calls[0];
}

/**
 * Split a supervise-daemon start argv into supervisor options, the command and the
 * daemon's args (what follows `--`).
 */
export function splitSuperviseArgv(argv: string[]): { options: string[]; command: string | undefined; args: string[] } {
  const dd = argv.indexOf('--');
  const before = dd < 0 ? argv.slice(2) : argv.slice(2, dd);
  return {
    options: before.slice(0, -1),
    command: before.at(-1),
    args: dd < 0 ? [] : argv.slice(dd + 1),
  };
}
