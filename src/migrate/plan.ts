import type { Edit } from '../edit/edits.js';
import { MISREAD_SHORT, REDUNDANT, SHARED_MEANING, parseOptions } from '../model/options.js';
import type { Service } from '../model/service.js';
import type { Assignment } from '../parse/shellfile.js';
import { splitValue, type Token } from '../parse/words.js';
import { atLeast } from '../lint/check.js';
import { convertCustomStart, type Converted } from './custom-start.js';
import type { FlagSpec, ServiceRule } from '../rules/types.js';

export interface PlanOptions {
  /** --foreground-args: words for command_args_foreground, overriding the rule. */
  foregroundArgs?: string;
  /**
   * Plan what is still missing even when the supervisor is already set. The fix loop uses
   * it on its own output: a converged migration has nothing left to do.
   */
  residual?: boolean;
  /** OpenRC version the result must work with (gates what is emitted). */
  target?: [number, number, number];
  /** --log: where the daemon's stdout/stderr go under the supervisor. */
  log?: { kind: 'syslog' } | { kind: 'file'; dir: string };
  /** --respawn-*: the supervisor's respawn policy (seconds, count, seconds). */
  respawn?: { delay?: number; max?: number; period?: number };
}

export type RefusalCode =
  | 'rule'
  | 'netifrc'
  | 'oneshot'
  | 'custom-start'
  | 'needs-foreground'
  | 'dynamic'
  | 'not-openrc'
  | 'symlink'
  | 'version';

export type Plan =
  | {
      kind: 'migrate';
      route: 'conf.d' | 'init.d';
      why: string;
      edits: Edit[];
      /** Paths (relative to root) of files the plan creates. */
      creates: string[];
      notes: string[];
      warnings: string[];
    }
  | { kind: 'already'; where: 'init.d' | 'conf.d' | 'default'; notes: string[] }
  | { kind: 'refuse'; code: RefusalCode; reason: string; suggestion: string };

export interface PlanInput {
  service: Service;
  rule?: ServiceRule;
  /** Paths relative to root. */
  initdPath: string;
  confdPath: string;
  /** True when init.d is a symlink to another script (netifrc's net.* → net.lo). */
  initdIsLink?: string;
  options?: PlanOptions;
}

const PIDFILE_REF = /\$\{?pidfile\}?/;
const HEADER = '# rc-supervise: run under supervise-daemon, which restarts the daemon if it dies';

/**
 * The wiki's general recipe, corrected where real OpenRC differs (openrc-facts §§1-4).
 * Returns edits against the original texts; nothing here touches the file system.
 */
export function planMigration(input: PlanInput): Plan {
  const { service: s, rule } = input;
  const opts = input.options ?? {};

  if (rule?.refuse) return { kind: 'refuse', code: 'rule', ...rule.refuse };
  if (
    s.name.startsWith('net.') ||
    input.initdIsLink?.endsWith('net.lo') ||
    /\/lib\/netifrc|\bnetifrc\b/.test(s.initd.text)
  )
    return {
      kind: 'refuse',
      code: 'netifrc',
      reason: 'netifrc interface: netifrc starts dhcpcd, wpa_supplicant and friends with start-stop-daemon itself',
      suggestion:
        'leave net.* services as they are; to supervise a DHCP client, run it as its own service (e.g. dhcpcd)',
    };
  if (s.supervised && !opts.residual) return { kind: 'already', where: s.supervisor.where, notes: [] };

  // Per-run notes say what this migration did; the rule's research notes live in its docs.
  const notes: string[] = [];
  const warnings: string[] = [...(rule?.warnings ?? [])];
  const customStart = s.defines('start');
  let converted: Converted | null = null;
  if (customStart || s.defines('stop')) {
    converted = convertCustomStart(s, input.initdPath, rule);
    if (converted)
      notes.push('custom start()/stop() replaced by command/command_args, so that the supervisor starts the daemon');
  }
  const command = converted?.command ?? s.command;
  const launchesDaemon = s.ssdCalls.some((c) => c.kind === 'start' && c.cmd.fn === 'start');
  if ((command === undefined || command === '') && !launchesDaemon)
    return {
      kind: 'refuse',
      code: 'oneshot',
      reason: customStart
        ? 'one-shot service: no `command`; its start() runs programs that finish, so there is no daemon to supervise'
        : 'no `command` to run: nothing for a supervisor to keep alive',
      suggestion: 'nothing to do: only long-running daemons benefit from supervise-daemon',
    };
  if ((customStart || s.defines('stop')) && !converted)
    return {
      kind: 'refuse',
      code: 'custom-start',
      reason: `custom ${customStart ? 'start()' : 'stop()'} bypasses the supervisor: OpenRC calls it instead of supervise-daemon`,
      suggestion:
        'replace the function by command/command_args (and start_pre/stop_post for extra steps), then run migrate again',
    };
  // Flags moved out of a converted start() line.
  const convertedTake = converted ? pickTokens(converted.args, rule?.backgroundFlags ?? []) : new Set<number>();
  const daemonizeFlags = (rule?.backgroundFlags ?? []).filter((f) => f.why === 'daemonize');
  const hasDaemonize = (tokens: Token[], only?: Set<number>) =>
    tokens.some((_, i) => (!only || only.has(i)) && daemonizeFlags.some((f) => matchesFlag(tokens, i, f) > 0));
  const bgAssign = s.initdAssignments('command_args_background').pop();
  const bgTokens = bgAssign ? (splitValue(bgAssign.value.text, bgAssign.value.start, bgAssign.value.quote) ?? []) : [];
  // A daemonize flag that lives (or will live) only in command_args_background means the
  // daemon already stays in the foreground under supervise-daemon.
  const movedDaemonize = (converted ? hasDaemonize(converted.args, convertedTake) : false) || hasDaemonize(bgTokens);

  // 3. Foreground: the daemon must not fork, or the supervisor loses it and respawns in a loop.
  const hasFg = s.isSet('command_args_foreground');
  let foreground = opts.foregroundArgs ?? rule?.foreground;
  // Dropping the daemonize flag is what keeps such a daemon in the foreground, and a daemon
  // start-stop-daemon had to --background never forked by itself.
  if (foreground === undefined && (movedDaemonize || converted?.lines.includes('command_background="yes"')))
    foreground = '';
  if (foreground === undefined && !hasFg) {
    if (s.value('command_background') && /^(yes|true|1|on)$/i.test(s.value('command_background') ?? ''))
      foreground = '';
    else
      return {
        kind: 'refuse',
        code: 'needs-foreground',
        reason: `unknown daemon ${s.daemon ?? String(command)}: rc-supervise does not know how to keep it in the foreground`,
        suggestion: 'pass the daemon\'s no-fork option, e.g. --foreground-args="--foreground" (see its manual)',
      };
  }
  if (hasFg) {
    // The script already says how to stay in the foreground: that wins over the rule.
    if (opts.foregroundArgs !== undefined && !opts.residual)
      notes.push('command_args_foreground is already set; --foreground-args was not used');
    foreground = undefined;
  }

  const initdEdits: Edit[] = [];
  const lines: string[] = [];

  // 2. Pidfile and daemonize flags leave command_args.
  const moved = moveBackgroundFlags(s, rule?.backgroundFlags ?? [], input.initdPath);
  if (moved === null)
    return {
      kind: 'refuse',
      code: 'dynamic',
      reason:
        'command_args is built in a way rc-supervise cannot split safely (mixed quoting or set inside a condition)',
      suggestion: 'move the pidfile/daemonize options to command_args_background by hand',
    };
  // 4. Signals sent with start-stop-daemon would now reach the supervisor (a silent no-op).
  const signalEdits = signalRewrites(s, input.initdPath);
  // 5. start_stop_daemon_args is handed to supervise-daemon when supervise_daemon_args is unset.
  const trap = fallbackTrap(s);
  if (trap) notes.push(trap.note);

  const target = opts.target ?? [0, 45, 0];
  const older = (min: [number, number, number]) => !atLeast(target, min);
  const tooOld = (what: string, min: [number, number, number]): Plan => ({
    kind: 'refuse',
    code: 'version',
    reason: `${what} needs OpenRC ${min.join('.')} or later; the target is ${target.join('.')}`,
    suggestion: 'upgrade OpenRC first, or pass --openrc-version if the target is newer than rc-supervise detected',
  });
  if (older([0, 21, 0])) return tooOld('supervise-daemon', [0, 21, 0]);
  if (signalEdits.length && older([0, 40, 0])) return tooOld('supervise-daemon --signal (used by reload)', [0, 40, 0]);
  if (!s.isSet('pidfile') && older([0, 40, 0])) return tooOld('supervise-daemon without a pidfile', [0, 40, 0]);
  if (opts.log?.kind === 'syslog' && older([0, 51, 0])) return tooOld('--log syslog (output_logger)', [0, 51, 0]);
  if (opts.log?.kind === 'file' && older([0, 35, 0])) return tooOld('--log file (output_log)', [0, 35, 0]);
  if (opts.respawn && older([0, 26, 0])) return tooOld('respawn_delay/respawn_max/respawn_period', [0, 26, 0]);
  const policy = policyLines(s, opts);

  const relocate = relocatePidfile(s, rule, foreground, signalEdits, input.initdPath);
  if (relocate?.warning) warnings.push(relocate.warning);

  for (const v of ['procname', 'start_inactive', 'command_progress'])
    if (s.isSet(v)) notes.push(`${v} is ignored by supervise-daemon (openrc-facts §4)`);
  const stopsig = stopsigRetry(s, input.initdPath);
  if (stopsig) notes.push(stopsig.note);

  const needInitd =
    moved.edits.length > 0 ||
    signalEdits.length > 0 ||
    !s.supervisor.confdCanDecide ||
    !!converted ||
    !!stopsig?.edit ||
    !!relocate?.note;
  const route: 'conf.d' | 'init.d' = needInitd ? 'init.d' : 'conf.d';
  const reasons: [boolean, string][] = [
    [!!converted, 'custom start()/stop() must be replaced in init.d'],
    [!!relocate?.note, "the daemon writes its own pid file at the supervisor's pidfile, which only init.d can change"],
    [!s.supervisor.confdCanDecide, 'init.d sets supervisor itself, so conf.d cannot decide'],
    [moved.edits.length > 0, 'pidfile/daemonize flags must move out of command_args in init.d'],
    [signalEdits.length > 0, 'init.d sends signals with start-stop-daemon'],
    [!!stopsig?.edit, 'stopsig must become part of retry in init.d'],
  ];
  const why =
    reasons.find(([hit]) => hit)?.[1] ?? 'the init script lets conf.d choose the supervisor (survives package updates)';

  if (route === 'init.d') {
    initdEdits.push(...moved.edits, ...signalEdits);
    if (converted) {
      initdEdits.push(...converted.removals);
      lines.push(`command=${converted.command}`);
      const rest = converted.args.filter((_, i) => !convertedTake.has(i)).map((t) => t.text);
      if (rest.length) lines.push(`command_args="${rest.join(' ').replace(/"/g, '\\"')}"`);
      const bg = converted.args.filter((_, i) => convertedTake.has(i)).map((t) => t.text);
      if (bg.length) moved.text = [moved.text, ...bg].filter(Boolean).join(' ');
      lines.push(...converted.lines.filter((l) => !s.isSet(l.slice(0, l.indexOf('=')))));
    }
    if (moved.text) {
      const bg = s
        .initdAssignments('command_args_background')
        .filter((a) => a.plain)
        .pop();
      if (bg && (bg.value.quote === 'double' || bg.value.quote === 'single')) {
        initdEdits.push({
          file: input.initdPath,
          start: bg.value.end - 1,
          end: bg.value.end - 1,
          text: ` ${moved.text}`,
        });
      } else lines.push(`command_args_background="${moved.text}"`);
    }
    if (foreground) lines.push(`command_args_foreground="${foreground}"`);
    const own = s.supervisor.initdAssignment;
    if (s.supervised) {
      // nothing: already set (residual pass)
    } else if (own && own.plain && own.form === 'assign' && !s.supervisor.confdCanDecide)
      initdEdits.push({
        file: input.initdPath,
        start: own.value.start,
        end: own.value.end,
        text: '"supervise-daemon"',
      });
    else lines.push('supervisor="supervise-daemon"');
    if (trap) lines.push(...trap.lines);
    if (stopsig?.edit) initdEdits.push(stopsig.edit);
    else if (stopsig?.line) lines.push(stopsig.line);
    lines.push(...extraLines(s, rule), ...policy);
    if (relocate?.note) notes.push(relocate.note);
    if (relocate?.lines) lines.push(...relocate.lines);
    if (lines.length) initdEdits.push(insertBlock(s, input.initdPath, lines));
    if (relocate?.edit) initdEdits.push(relocate.edit);
    return { kind: 'migrate', route, why, edits: initdEdits, creates: [], notes, warnings };
  }

  const confdLines = s.supervised ? [] : ['supervisor="supervise-daemon"'];
  if (foreground) confdLines.push(`command_args_foreground="${foreground}"`);
  if (trap) confdLines.push(...trap.lines);
  if (stopsig?.line) confdLines.push(stopsig.line);
  confdLines.push(...extraLines(s, rule), ...policy);
  const confd = s.confd;
  const eol = confd?.eol ?? s.initd.eol;
  const existing = confd
    ? s
        .confdAssignments('supervisor')
        .filter((a) => a.plain)
        .pop()
    : undefined;
  const edits: Edit[] = [];
  if (existing && !s.supervised) {
    edits.push({
      file: input.confdPath,
      start: existing.value.start,
      end: existing.value.end,
      text: '"supervise-daemon"',
    });
    confdLines.shift();
  }
  if (confdLines.length) {
    const text = confd?.text ?? '';
    // Finish an unterminated last line, then keep one blank line before our block.
    const sep = text === '' || text.endsWith('\n') ? '' : eol;
    const blank = text === '' || /(^|\n)[ \t]*\r?\n$/.test(text) ? '' : eol;
    edits.push({
      file: input.confdPath,
      start: text.length,
      end: text.length,
      text: sep + blank + [HEADER, ...confdLines].join(eol) + eol,
    });
  }
  return { kind: 'migrate', route, why, edits, creates: confd ? [] : [input.confdPath], notes, warnings };
}

/** --log and --respawn-*: variables set only where the script does not set them already. */
function policyLines(s: Service, opts: PlanOptions): string[] {
  const want: [string, string][] = [];
  if (opts.log?.kind === 'syslog')
    want.push(
      ['output_logger', 'logger -t ${RC_SVCNAME} -p daemon.info'],
      ['error_logger', 'logger -t ${RC_SVCNAME} -p daemon.err'],
    );
  if (opts.log?.kind === 'file')
    want.push(
      ['output_log', `${opts.log.dir}/\${RC_SVCNAME}.log`],
      ['error_log', `${opts.log.dir}/\${RC_SVCNAME}.log`],
    );
  const r = opts.respawn ?? {};
  if (r.delay !== undefined) want.push(['respawn_delay', String(r.delay)]);
  if (r.max !== undefined) want.push(['respawn_max', String(r.max)]);
  if (r.period !== undefined) want.push(['respawn_period', String(r.period)]);
  return want.filter(([k]) => !s.isSet(k)).map(([k, v]) => `${k}="${v}"`);
}

function extraLines(s: Service, rule?: ServiceRule): string[] {
  return Object.entries(rule?.extraVars ?? {})
    .filter(([k]) => !s.isSet(k))
    .map(([k, v]) => `${k}="${v}"`);
}

/** `${supervisor} ${RC_SVCNAME} --signal X` for every call that signals through the pidfile. */
export function signalRewrites(s: Service, file: string): Edit[] {
  return s.signalCalls.map<Edit>((c) => ({
    file,
    start: c.cmd.start,
    end: c.cmd.end,
    text: `\${supervisor} \${RC_SVCNAME} --signal ${c.signal}`,
  }));
}

/**
 * A daemon that writes its own pid file at the supervisor's `pidfile` path, even in the
 * foreground, makes `stop` signal the daemon instead of its supervisor: the supervisor
 * respawns it and the service never stops (seen under real OpenRC with dnsmasq). When the
 * foreground arguments cannot tell the daemon otherwise, the supervisor gets a pid file of
 * its own, after every other assignment and only while it is the supervisor. Not done when
 * a function still reads `pidfile` (mpd's start_pre chowns its directory), only warned.
 */
function relocatePidfile(
  s: Service,
  rule: ServiceRule | undefined,
  foreground: string | undefined,
  signalEdits: Edit[],
  file: string,
): { edit?: Edit; lines?: string[]; note?: string; warning?: string } | null {
  const pidfile = s.value('pidfile');
  const own = rule?.ownPidfile;
  if (!own || !pidfile || (own !== '*' && !samePath(pidfile, own))) return null;
  if (samePath(pidfile, `/run/supervise-${s.name}.pid`)) return null; // ours already
  const fg = foreground ?? s.value('command_args_foreground') ?? '';
  if (/pid/i.test(fg)) return null;
  const rewritten = (offset: number) => signalEdits.some((e) => e.start <= offset && offset < e.end);
  const readers = s.initd.functions.filter((f) => {
    const body = s.initd.text.slice(f.body.start, f.body.end);
    return [...body.matchAll(/\$\{?pidfile\b/g)].some((m) => !rewritten(f.body.start + m.index!));
  });
  const what = own === '*' ? 'a built-in pid file' : own;
  const warning = `${s.daemon} writes ${what} itself, which may be the supervisor's pidfile: stop would end only the daemon, and its supervisor would respawn it`;
  if (readers.length)
    return {
      warning: `${warning}; ${readers.map((f) => `${f.name}()`).join(', ')} reads pidfile, so rc-supervise leaves it: give the supervisor another pidfile by hand`,
    };
  const last = s
    .initdAssignments('pidfile')
    .filter((a) => a.plain)
    .pop();
  if (!last) return { warning };
  // After the last pidfile= and after the supervisor is set (our block, or the script's own line).
  const after = [
    s.initd.lineEnd(last.end),
    s.supervisor.initdAssignment ? s.initd.lineEnd(s.supervisor.initdAssignment.end) : 0,
  ];
  const at = Math.max(...after);
  const lines = [
    `# ${s.daemon} writes ${what} itself: supervise-daemon needs a pid file of its own`,
    `if [ "\${supervisor}" = supervise-daemon ]; then pidfile="/run/supervise-\${RC_SVCNAME}.pid"; fi`,
  ];
  const note = `${s.daemon} writes ${what} itself (also in the foreground): under supervise-daemon the supervisor keeps its pid in /run/supervise-\${RC_SVCNAME}.pid instead`;
  if (at <= blockPosition(s).at) return { note, lines };
  const eol = s.initd.eol;
  const nl = at === s.initd.text.length && !s.initd.text.endsWith('\n') ? eol : '';
  return { note, edit: { file, start: at, end: at, text: nl + lines.join(eol) + eol } };
}

/**
 * supervise-daemon ignores `stopsig` (OpenRC 0.40 to 0.63): the stop signal must be the
 * first step of `retry`, which both backends read (`retry="SIGINT/60"`).
 */
function stopsigRetry(s: Service, file: string): { note: string; edit?: Edit; line?: string } | null {
  const sig = s.value('stopsig');
  if (!sig || /^(SIG)?TERM$/i.test(sig)) return null;
  const signal = /^\d+$/.test(sig) ? sig : `SIG${sig.replace(/^SIG/i, '').toUpperCase()}`;
  const retry = s
    .initdAssignments('retry')
    .filter((a) => a.plain)
    .pop();
  const retryValue = s.value('retry');
  if (retryValue && retryValue.includes('/')) return null;
  if (retry) {
    const inner = retry.value.text.replace(/^"(.*)"$/s, '$1');
    if (inner.includes('"') || retry.value.quote === 'single' || retry.value.quote === 'mixed') return null;
    return {
      note: `stopsig=${sig} is ignored by supervise-daemon: retry now starts with ${signal}`,
      edit: { file, start: retry.value.start, end: retry.value.end, text: `"${signal}/${inner}"` },
    };
  }
  if (s.isSet('retry')) return null;
  return {
    note: `stopsig=${sig} is ignored by supervise-daemon: retry="${signal}/5" sends it instead`,
    line: `retry="${signal}/5"`,
  };
}

export function samePath(a: string, b: string): boolean {
  const norm = (p: string) => p.replace(/^\/var\/run\//, '/run/');
  return norm(a) === norm(b);
}

/** Where new top-level lines go: after command_args, else command, else the header comments. */
export function blockPosition(s: Service): { at: number; afterAnchor: boolean } {
  const f = s.initd;
  let anchor: Assignment | undefined;
  for (const n of ['command_args', 'command', 'pidfile']) {
    anchor = f
      .topLevel(n, 'assign')
      .filter((a) => a.plain)
      .pop();
    if (anchor) break;
  }
  if (anchor) return { at: f.lineEnd(anchor.end), afterAnchor: true };
  // After the shebang, the comment block that follows it and blank lines.
  let at = f.lineEnd(0);
  const re = /[ \t]*(#[^\n]*)?\r?\n/y;
  re.lastIndex = at;
  while (at < f.text.length && re.exec(f.text)) at = re.lastIndex;
  return { at, afterAnchor: false };
}

export function insertBlock(s: Service, file: string, lines: string[], header = true): Edit {
  const f = s.initd;
  const eol = f.eol;
  const block = [...(header ? [HEADER] : []), ...lines].join(eol) + eol;
  const { at, afterAnchor } = blockPosition(s);
  const needNl = at === f.text.length && !f.text.endsWith('\n');
  return { file, start: at, end: at, text: (needNl ? eol : '') + block + (afterAnchor ? '' : eol) };
}

export interface Moved {
  edits: Edit[];
  /** The moved words joined by a space, as written. */
  text: string;
  /** Span of the first moved word (for reporting). */
  first?: { start: number; end: number };
}

export function matchesFlag(tokens: Token[], i: number, spec: FlagSpec): number {
  const fold = (x: string) => (spec.ignoreCase ? x.toLowerCase() : x);
  const t = fold(tokens[i].text.replace(/^["']|["']$/g, ''));
  const next = tokens[i + 1]?.text.replace(/^["']|["']$/g, '');
  const flag = fold(spec.flag);
  if (t === flag) {
    if (!spec.value) return 1;
    if (next === undefined) return 0;
    if (spec.valueMatch && !spec.valueMatch.test(next)) return 0;
    return 2;
  }
  if (spec.value && flag.startsWith('--') && t.startsWith(flag + '=')) {
    return !spec.valueMatch || spec.valueMatch.test(t.slice(flag.length + 1)) ? 1 : 0;
  }
  if (spec.value && /^-[^-]$/.test(flag) && t.startsWith(flag) && t.length > 2) {
    return !spec.valueMatch || spec.valueMatch.test(t.slice(2)) ? 1 : 0;
  }
  return 0;
}

/** Indices of the words that daemonize or name the pidfile (with their values). */
function pickTokens(tokens: Token[], specs: FlagSpec[]): Set<number> {
  const take = new Set<number>();
  for (let i = 0; i < tokens.length; i++) {
    for (const spec of specs) {
      const n = matchesFlag(tokens, i, spec);
      if (n) {
        for (let k = 0; k < n; k++) take.add(i + k);
        break;
      }
    }
    // Any word naming the service's pidfile writes it: `-p ${pidfile}`, `--pid=$pidfile`.
    if (!take.has(i) && PIDFILE_REF.test(tokens[i].text)) {
      take.add(i);
      if (i > 0 && /^["']?-/.test(tokens[i - 1].text) && !/^["']?-/.test(tokens[i].text)) take.add(i - 1);
    }
  }
  return take;
}

/** Pidfile/daemonize flags in plain top-level command_args assignments of init.d. */
export function moveBackgroundFlags(s: Service, specs: FlagSpec[], file: string): Moved | null {
  const edits: Edit[] = [];
  let first: Moved['first'];
  const movedWords: string[] = [];
  for (const a of s.initd.topLevel('command_args')) {
    const tokens = splitValue(a.value.text, a.value.start, a.value.quote);
    const take = tokens ? pickTokens(tokens, specs) : new Set<number>();
    if (tokens) {
    } else if (PIDFILE_REF.test(a.value.text) || specs.some((sp) => a.value.text.includes(sp.flag))) return null;
    if (take.size === 0) continue;
    if (!a.plain || a.form !== 'assign' || !tokens) return null;
    const idx = [...take].sort((x, y) => x - y);
    for (const i of idx) movedWords.push(tokens[i].text);
    first ??= { start: tokens[idx[0]].start, end: tokens[idx[0]].end };
    edits.push(...removeTokens(file, tokens, take));
  }
  return { edits, text: movedWords.join(' '), first };
}

/** Removes tokens and the blank before each run of them (or after, for a leading run). */
function removeTokens(file: string, tokens: Token[], take: Set<number>): Edit[] {
  const edits: Edit[] = [];
  let i = 0;
  while (i < tokens.length) {
    if (!take.has(i)) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < tokens.length && take.has(j + 1)) j++;
    const first = i === 0;
    const start = first ? tokens[i].start : tokens[i - 1].end;
    const end = first ? (j + 1 < tokens.length ? tokens[j + 1].start : tokens[j].end) : tokens[j].end;
    edits.push({ file, start, end, text: '' });
    i = j + 1;
  }
  return edits;
}

export interface Trap {
  lines: string[];
  note: string;
}

/** openrc-facts §2: start_stop_daemon_args reaches supervise-daemon when supervise_daemon_args is unset. */
/** start-stop-daemon options that have a declarative variable both backends read. */
const DECLARATIVE: Record<string, string> = {
  chdir: 'directory',
  user: 'command_user',
  chuid: 'command_user',
  umask: 'umask',
  chroot: 'chroot',
  stdout: 'output_log',
  stderr: 'error_log',
};

export function fallbackTrap(s: Service): Trap | null {
  if (s.isSet('supervise_daemon_args')) return null;
  if (!s.isSet('start_stop_daemon_args')) return null;
  const words = s.words('start_stop_daemon_args');
  if (words && words.length === 0) return null;
  const keep: string[] = [];
  const dropped: string[] = [];
  const declared: string[] = [];
  if (words) {
    const parsed = parseOptions(words);
    for (const o of parsed.options) {
      const written = words.slice(o.index, o.index + o.count);
      const short = /^-[^-]/.test(o.written);
      if (REDUNDANT.has(o.spec.long)) continue;
      if (!SHARED_MEANING.has(o.spec.long) || (short && MISREAD_SHORT.has(o.written[1]))) {
        dropped.push(written.join(' '));
        continue;
      }
      const variable = DECLARATIVE[o.spec.long];
      // Declarative variables are what both backends read (openrc-facts §6).
      if (variable && o.value !== undefined && !s.isSet(variable)) {
        if (!declared.some((d) => d.startsWith(`${variable}=`)))
          declared.push(`${variable}=${JSON.stringify(o.value)}`);
      } else keep.push(...written);
    }
    dropped.push(...parsed.unknown, ...words.slice(parsed.operandsAt));
    if (dropped.length === 0) return null;
  }
  const value = keep.length ? keep.map(shellQuoteWord).join(' ') : ' ';
  const shown = value === ' ' ? '" " (a single space: OpenRC before 0.46 treats "" as unset)' : `"${value}"`;
  const moved = declared.length ? `; ${declared.join(', ')} instead of the option` : '';
  const note = words
    ? `start_stop_daemon_args (${words.join(' ')}) would reach supervise-daemon, which rejects ${dropped.join(', ')}: supervise_daemon_args set to ${shown}${moved}`
    : 'start_stop_daemon_args is computed at run time and would reach supervise-daemon: supervise_daemon_args set so it does not';
  // A single space, not "": OpenRC before 0.46 expands ${supervise_daemon_args:-...}.
  return { lines: [...declared, `supervise_daemon_args="${value}"`], note };
}

function shellQuoteWord(w: string): string {
  return /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}
