/**
 * The verification result of one daemon, the verdict drawn from what was observed, and the
 * report (Markdown + JSON). Pure functions: unit-tested in test/verify-daemons.test.ts.
 */

export interface Observation {
  /** `rc start` exit status (supervise-daemon's start prints ok even when the daemon dies). */
  startCode: number;
  startOutput: string;
  /** The first child pid supervise-daemon started (undefined: none appeared). */
  child?: number;
  supervisor?: number;
  /** After the wait: the first child still alive and still the supervisor's child. */
  stayed: boolean;
  /** Every child pid the supervisor wrote to child_pid during the wait (respawns). */
  childPids: number[];
  /** Processes in the sandbox outside the supervisor's tree after the wait: a daemon that forked. */
  escaped: string[];
  /** SIGKILL of the child -> a new child of the same supervisor; undefined when not tried. */
  respawned?: boolean;
  /** The supervisor's --pidfile and what it held after the wait. */
  supervisorPidfile: string;
  pidfileContent?: string;
  /** Pid files that appeared under /run (outside /run/openrc), with their content. */
  pidfilesWritten: { path: string; content: string }[];
  stopCode?: number;
  leftAfterStop: string[];
  stderrTail: string;
  stdoutTail: string;
  /** When the daemon died under the supervisor: the same command run directly (exit status + output). */
  direct?: { code: number | string; output: string };
}

export type Status =
  | 'ok'
  | 'forked'
  | 'died'
  | 'pidfile'
  | 'undeclared-pidfile'
  | 'no-respawn'
  | 'not-started'
  | 'cannot-run-here'
  | 'skipped'
  | 'refused-entry'
  | 'not-in-debian'
  | 'fetch-failed';

export interface DaemonResult {
  id: string;
  origin: string;
  binary?: string;
  package?: string;
  version?: string;
  /** The command line the supervisor ran: command, command_args, command_args_foreground. */
  command?: string;
  foreground?: string;
  declaredOwnPidfile?: string;
  status: Status;
  /** One line: what failed and why (empty for ok). */
  why: string;
  obs?: Observation;
  durationMs?: number;
  /** Controls: the status the run must give. */
  expect?: Status;
  /** Hash of what the run depends on (entry, recipe, package version): --reuse matches it. */
  key?: string;
  /** Set when the result was taken over from an earlier report (its date). */
  reusedFrom?: string;
}

const tail = (s: string, n = 600) => (s.length > n ? `…${s.slice(-n)}` : s).trim();

/** The pid file paths a declared ownPidfile covers ('*' = any). */
function declared(own: string | undefined, p: string): boolean {
  if (!own) return false;
  if (own === '*') return true;
  const norm = (x: string) => x.replace(/^\/var\/run\//, '/run/');
  return norm(own) === norm(p);
}

/**
 * A daemon that died or never started, where the recipe says it needs what the test
 * machine lacks (a device, a server to talk to): not held against the entry.
 */
export function excuse(v: { status: Status; why: string }, needs: string | undefined): { status: Status; why: string } {
  if (!needs || (v.status !== 'died' && v.status !== 'not-started')) return v;
  return { status: 'cannot-run-here', why: `needs ${needs}; ${v.why}` };
}

/** Verdict from the observation. Order: the most basic failure wins. */
export function verdict(obs: Observation, declaredOwnPidfile: string | undefined): { status: Status; why: string } {
  const err = () => {
    const parts = [];
    if (obs.stderrTail) parts.push(`stderr: ${tail(obs.stderrTail, 700)}`);
    if (obs.stdoutTail) parts.push(`stdout: ${tail(obs.stdoutTail, 200)}`);
    if (obs.direct)
      parts.push(`run directly: exit ${obs.direct.code}: ${tail(obs.direct.output, 700) || '(no output)'}`);
    return parts.length ? parts.join('; ') : 'no output';
  };
  // A daemon that dies because it found the supervisor's pid in "its" pid file (and thinks
  // it is running already): its output names the supervisor's pid
  const said = [obs.stderrTail, obs.stdoutTail].join('\n');
  // said as a pid ("PID 1250", "running at 1250"), so that a year or a time cannot match
  const supPidRe =
    obs.supervisor !== undefined
      ? new RegExp(`(pid|process|running|instance)[^\\n0-9]{0,20}\\b${obs.supervisor}\\b`, 'i')
      : undefined;
  // (the pid, not the path: a usage text names the default pid file too)
  const namesSupervisor = supPidRe !== undefined && supPidRe.test(said);
  if (!obs.stayed && obs.escaped.length === 0 && namesSupervisor) {
    return {
      status: 'pidfile',
      why:
        `exited: it takes the supervisor's pidfile ${obs.supervisorPidfile} (holding the supervisor, pid ${obs.supervisor}) ` +
        `for its own and believes it is running already; ${err()}`,
    };
  }
  if (obs.child === undefined) {
    if (obs.escaped.length) {
      return {
        status: 'forked',
        why: `no child stayed under the supervisor; ${obs.escaped.join(', ')} runs outside it`,
      };
    }
    return { status: 'not-started', why: `no child under supervise-daemon (start exit ${obs.startCode}); ${err()}` };
  }
  if (!obs.stayed) {
    if (obs.escaped.length) {
      return {
        status: 'forked',
        why: `the supervisor's child exited and left ${obs.escaped.join(', ')} running outside the supervisor`,
      };
    }
    return { status: 'died', why: `exited within the wait (children seen: ${obs.childPids.join(', ')}); ${err()}` };
  }
  if (obs.escaped.length) {
    return { status: 'forked', why: `a process escaped the supervisor: ${obs.escaped.join(', ')}` };
  }
  const supPid = String(obs.supervisor ?? '');
  if (obs.pidfileContent !== undefined && obs.pidfileContent.trim() !== supPid) {
    return {
      status: 'pidfile',
      why: `the supervisor's pidfile ${obs.supervisorPidfile} holds "${obs.pidfileContent.trim()}", not the supervisor (${supPid})`,
    };
  }
  const undeclared = obs.pidfilesWritten.filter((p) => !declared(declaredOwnPidfile, p.path));
  if (undeclared.length) {
    return {
      status: 'undeclared-pidfile',
      why: `stayed in the foreground but wrote a pid file the entry does not declare (ownPidfile): ${undeclared.map((p) => p.path).join(', ')}`,
    };
  }
  if (obs.respawned === false) return { status: 'no-respawn', why: 'no new child within 3 s of SIGKILL' };
  return { status: 'ok', why: '' };
}

export interface Report {
  date: string;
  debian: string;
  openrc: string;
  kbDirs: string[];
  results: DaemonResult[];
  invalid: { file: string; why: string }[];
}

const mark = (b: boolean | undefined) => (b === undefined ? '–' : b ? 'yes' : 'no');
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Counts by status; "ran" = daemons actually started under supervise-daemon. */
export function summary(results: DaemonResult[]): Record<string, number> {
  const real = results.filter((r) => !r.expect);
  const out: Record<string, number> = { total: real.length, ran: 0 };
  for (const r of real) {
    out[r.status] = (out[r.status] ?? 0) + 1;
    if (r.obs) out.ran++;
  }
  return out;
}

export function renderMarkdown(rep: Report): string {
  const s = summary(rep.results);
  const controls = rep.results.filter((r) => r.expect);
  const ran = rep.results.filter((r) => r.obs && !r.expect);
  const rest = rep.results.filter((r) => !r.obs && !r.expect);
  const L: string[] = [];
  L.push('# Daemons verified under real supervise-daemon');
  L.push('');
  L.push(
    `Generated by \`npm run verify-daemons\` on ${rep.date} (Debian ${rep.debian}, OpenRC ${rep.openrc}). ` +
      'Each daemon is the binary of its Debian package (unpacked, not installed, with the libraries the host lacks), ' +
      "run with its entry's foreground words by a throw-away init script with `supervisor=supervise-daemon`, " +
      'in a private mount and network namespace (loopback only) with private /etc, /run, /var and /root.',
  );
  L.push('');
  L.push(
    'Columns: **started** = supervise-daemon had a child; **stayed** = that same child was alive and still the ' +
      "supervisor's child after 3 s, or the longer wait its recipe sets (it did not fork or die); **respawn** = after SIGKILL a new child of the same " +
      "supervisor appeared within 3 s; **sup. pidfile** = the supervisor's pidfile still named the supervisor " +
      '(the daemon did not write it); **own pid files** = pid files the daemon wrote under /run.',
  );
  L.push('');
  L.push(
    'Run it again with `npm run verify-daemons -- --kb DIR` (as root on Debian 12, with apt-file; about 10 s a daemon, ' +
      'one after the other; `--reuse docs/verified-daemons.json` keeps the results whose entry, recipe and package are unchanged). ' +
      'What each daemon gets besides its foreground words (a loopback configuration, a system user, a veth pair, a system bus) ' +
      'is in `scripts/verify-daemons/recipes.ts`.',
  );
  L.push('');
  const reused = rep.results.filter((r) => r.reusedFrom);
  if (reused.length) {
    L.push(
      `${reused.length} results were taken over from the run of ${[...new Set(reused.map((r) => r.reusedFrom))].join(', ')} ` +
        '(same entry, recipe and package version).',
    );
    L.push('');
  }
  L.push(
    `Sources: ${rep.kbDirs.length ? rep.kbDirs.map((d) => `\`${d}\``).join(', ') + ' and ' : ''}the rules in \`rules/\`.`,
  );
  L.push('');
  L.push(
    `**${s.total} entries; ${s.ran} run under supervise-daemon: ${s.ok ?? 0} ok, ${s.forked ?? 0} forked, ` +
      `${s.died ?? 0} died, ${s['not-started'] ?? 0} not started, ${s.pidfile ?? 0} wrote the supervisor's pidfile, ` +
      `${s['undeclared-pidfile'] ?? 0} wrote an undeclared pid file, ${s['no-respawn'] ?? 0} no respawn, ` +
      `${s['cannot-run-here'] ?? 0} exited for want of what this machine lacks (hardware, a peer).** ` +
      `Not run: ${s['not-in-debian'] ?? 0} not packaged in Debian, ${s['refused-entry'] ?? 0} refused by their entry, ` +
      `${s.skipped ?? 0} skipped, ${s['fetch-failed'] ?? 0} fetch failed.`,
  );
  L.push('');
  if (controls.length) {
    L.push('## Controls');
    L.push('');
    L.push('Runs that must fail, to show the checks catch what they claim to catch.');
    L.push('');
    L.push('| control | command | expected | got | |');
    L.push('|---|---|---|---|---|');
    for (const r of controls) {
      L.push(
        `| ${r.id} | \`${cell(r.command ?? '')}\` | ${r.expect} | ${r.status}: ${cell(r.why)} | ${r.status === r.expect ? 'as expected' : '**UNEXPECTED**'} |`,
      );
    }
    L.push('');
  }
  L.push('## Run');
  L.push('');
  L.push(
    '| entry | Debian package | foreground words | started | stayed | respawn | sup. pidfile | own pid files | result |',
  );
  L.push('|---|---|---|---|---|---|---|---|---|');
  for (const r of ran) {
    const o = r.obs!;
    const supOk = o.pidfileContent === undefined ? undefined : o.pidfileContent.trim() === String(o.supervisor);
    L.push(
      `| ${r.id} (${r.origin.split(':')[0]}) | ${r.package ?? ''} ${r.version ?? ''} | \`${cell(r.foreground ?? '')}\` | ` +
        `${mark(o.child !== undefined)} | ${mark(o.child !== undefined ? o.stayed : undefined)} | ${mark(o.respawned)} | ` +
        `${supOk === undefined ? 'none' : supOk ? 'yes' : 'WRITTEN'} | ${cell(o.pidfilesWritten.map((p) => p.path).join(', ') || '–')} | ` +
        `${r.status} |`,
    );
  }
  L.push('');
  const failed = ran.filter((r) => r.status !== 'ok' && r.status !== 'cannot-run-here');
  L.push('## Failures');
  L.push('');
  if (!failed.length) L.push('None.');
  for (const r of failed) {
    L.push(`### ${r.id} (${r.origin}): ${r.status}`);
    L.push('');
    L.push(`- command: \`${cell(r.command ?? '')}\``);
    L.push(`- ${cell(r.why)}`);
    L.push('');
  }
  const lacking = ran.filter((r) => r.status === 'cannot-run-here');
  if (lacking.length) {
    L.push('## Exited for want of what this machine lacks');
    L.push('');
    L.push('Not held against the entry: the recipe names what the daemon needs; its output says the same.');
    L.push('');
    for (const r of lacking) L.push(`- **${r.id}** (${r.origin}): \`${cell(r.command ?? '')}\`: ${cell(r.why)}`);
    L.push('');
  }
  L.push('## Not run');
  L.push('');
  L.push('| entry | binary | why |');
  L.push('|---|---|---|');
  for (const r of rest)
    L.push(`| ${r.id} (${r.origin.split(':')[0]}) | ${r.binary ?? ''} | ${r.status}: ${cell(r.why)} |`);
  if (rep.invalid.length) {
    L.push('');
    L.push('## Entries that failed the schema (not verified)');
    L.push('');
    for (const i of rep.invalid) L.push(`- \`${i.file}\`: ${cell(i.why)}`);
  }
  L.push('');
  return L.join('\n');
}

export function renderJson(rep: Report): string {
  return JSON.stringify({ ...rep, summary: summary(rep.results) }, null, 2) + '\n';
}

/** Command-line options of scripts/verify-daemons (no dependency: four options). */
export interface Options {
  kb: string[];
  only?: string[];
  out: string;
  waitMs: number;
  noRules: boolean;
  /** An earlier report's JSON: results whose key is unchanged are taken over, not run again. */
  reuse?: string;
  /** Ids run again even when --reuse has a result for them. */
  fresh?: string[];
}

export function parseArgs(argv: string[]): Options {
  const o: Options = { kb: [], out: 'docs/verified-daemons', waitMs: 3000, noRules: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined || v === '') throw new Error(`${a.split('=')[0]} needs a value`);
      return v;
    };
    if (a === '--kb' || a.startsWith('--kb=')) o.kb.push(val());
    else if (a === '--only' || a.startsWith('--only=')) o.only = [...(o.only ?? []), ...val().split(',')];
    else if (a === '--out' || a.startsWith('--out=')) o.out = val();
    else if (a === '--wait' || a.startsWith('--wait=')) {
      const v = Number(val());
      if (!Number.isFinite(v) || v < 500 || v > 10_000) throw new Error('--wait takes milliseconds, 500..10000');
      o.waitMs = v;
    } else if (a === '--reuse' || a.startsWith('--reuse=')) o.reuse = val();
    else if (a === '--fresh' || a.startsWith('--fresh=')) o.fresh = [...(o.fresh ?? []), ...val().split(',')];
    else if (a === '--no-rules') o.noRules = true;
    else throw new Error(`unknown argument: ${a}`);
  }
  if (o.kb.length === 0) o.kb.push('knowledge/daemons');
  return o;
}
