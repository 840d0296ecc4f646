/**
 * Issue 15, must-show 2 (items 12-13): 2,000 generated acpid scripts carrying here-documents,
 * $'…', escaped blanks, assignments in start_pre() (replacing or appending), eval, command
 * substitutions and continuations, alone or together. For every case: either a refusal
 * with a reason, or an output whose effective command lines, computed by dash sourcing the
 * files as openrc-run does (conf.d, then the script, then start_pre), are right:
 *   - under supervise-daemon (`$command_args $command_args_foreground`) the daemon is
 *     never told the supervisor's pidfile, and keeps every other word it had;
 *   - under start-stop-daemon (`$command_args $command_args_background`) it gets the same
 *     words as before (the same multiset: moved flags come last);
 *   - supervisor is supervise-daemon.
 * All cases run through one dash process (each in a subshell), output NUL-separated.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { RcError, EXIT } from '../../src/errors.js';
import { migrateLoaded } from '../../src/migrate/migrate.js';
import { initParser } from '../../src/parse/parser.js';
import { loaded } from '../helpers/loaded.js';

beforeAll(() => initParser());

const PID = '/run/acpid.pid';

interface Case {
  initd: string;
  confd: string | null;
}

/** The value of command_args in one of the ways a script writes it. */
const value = fc.oneof(
  fc.constant('"-p ${pidfile} -g"'),
  fc.constant("'-p /run/acpid.pid -g'"),
  fc.constant('"-g -p ${pidfile}"'),
  fc.constant('"-g"'),
  fc.constant("$'-p ${pidfile} -g'"), // bash quoting: dash keeps the $
  fc.constant('-p\\ ${pidfile}\\ -g'), // escaped blanks
  fc.constant('"$(printf %s "-p ${pidfile}") -g"'), // a command substitution
  fc.constant('"-c $(dirname /etc/acpi/events/x) -p ${pidfile} -g"'), // one as an option's value
  fc.constant('"-c $(cat /etc/acpid.dir) -p ${pidfile} -g"'), // one that may print options
  fc.constant('"-p ${pidfile}"\\\n;description=x'), // a continuation joining the next line
  fc.constant('"-p ${pidfile} \\\n\t-g"'),
);

const extra = fc.constantFrom('', ' -d', ' -c /etc/acpi/events');

/** Statements placed after the assignment. */
const after = fc.array(
  fc.constantFrom(
    // a here-document on the assignment's own line is handled below; these are separate
    ': <<EOT\ncommand_args="-p ${pidfile} -g"\nEOT',
    "cat >/dev/null <<'EOF'\nsupervisor=start-stop-daemon\nEOF",
    'start_pre() {\n\tcommand_args="${command_args} -v"\n}',
    'start_pre() {\n\tcommand_args="${command_args} -p ${pidfile}"\n}',
    'start_pre() {\n\tcommand_args="-p ${pidfile} -g"\n}',
    'eval "command_args=\'-p ${pidfile}\'"',
    'eval "supervisor=start-stop-daemon"',
    'eval conf=\\$config_x',
    'if [ -n "${ACPID_DEBUG}" ]; then\n\tcommand_args="${command_args} -d"\nfi',
  ),
  { maxLength: 3 },
);

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    v: value,
    x: extra,
    heredocSameLine: fc.boolean(),
    // Always set: `-p ${pidfile}` with pidfile unset leaves a lone -p, whose value the
    // oracle below could not tell from the next flag.
    withPidfile: fc.constant(true),
    after,
    confd: fc.constantFrom(null, 'ACPID_DEBUG=""\n', 'supervisor=start-stop-daemon\n'),
  })
  .map(({ v, x, heredocSameLine, withPidfile, after, confd }) => {
    // Extra words go inside the quotes (or after the value when unquoted).
    const val = /["']$/.test(v) ? v.slice(0, -1) + x + v.slice(-1) : v;
    const assign = `command_args=${val}${heredocSameLine ? ' ; : <<EOT\ncommand_args="-p ${pidfile} -g"\nEOT' : ''}`;
    const initd = [
      '#!/sbin/openrc-run',
      'command="/usr/sbin/acpid"',
      ...(withPidfile ? [`pidfile="${PID}"`] : []),
      assign,
      ...after,
      '',
    ].join('\n');
    return { initd, confd };
  });

const CASES = fc.sample(caseArb, { seed: 1513, numRuns: 2000 });

/** What dash makes of a service: supervisor, pidfile, and the daemon's words under each backend. */
const PROBE = [
  'probe() (',
  '  [ -n "$2" ] && . "$2"',
  '  . "$1"',
  '  command -v start_pre >/dev/null 2>&1 && start_pre',
  '  printf \'%s\\0\' "${supervisor:-start-stop-daemon}" "${pidfile-}"',
  '  eval "set -- $command_args $command_args_foreground"; printf \'%s\\0\' "$#" "$@"',
  '  eval "set -- $command_args $command_args_background"; printf \'%s\\0\' "$#" "$@"',
  ')',
].join('\n');

interface Seen {
  supervisor: string;
  pidfile: string;
  sup: string[];
  ssd: string[];
}

function readSeen(parts: string[], at: { i: number }): Seen {
  const supervisor = parts[at.i++];
  const pidfile = parts[at.i++];
  const n1 = Number(parts[at.i++]);
  const sup = parts.slice(at.i, (at.i += n1));
  const n2 = Number(parts[at.i++]);
  const ssd = parts.slice(at.i, (at.i += n2));
  return { supervisor, pidfile, sup, ssd };
}

const sorted = (a: string[]) => [...a].sort();

test('2,000 mutated scripts: a refusal with a reason, or the right effective command lines', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rcs15-prop-'));
  try {
    let refused = 0;
    const migrated: { i: number; c: Case; initd: string; confd: string | null }[] = [];
    for (const [i, c] of CASES.entries()) {
      let r;
      try {
        r = migrateLoaded(loaded({ svc: 'acpid', initdIn: c.initd, confdIn: c.confd }));
      } catch (e) {
        // A documented input error is an answer; an internal error is a bug.
        if (e instanceof RcError && e.exitCode !== EXIT.INTERNAL) {
          refused++;
          continue;
        }
        throw new Error(`case ${i}: ${(e as Error).message}\n${c.initd}`);
      }
      if (r.plan.kind === 'refuse') {
        expect(r.plan.reason.length).toBeGreaterThan(10);
        refused++;
        continue;
      }
      if (r.plan.kind === 'already') continue;
      const out = new Map(r.changes.map((ch) => [ch.path, ch.after]));
      migrated.push({
        i,
        c,
        initd: out.get('etc/init.d/acpid') ?? c.initd,
        confd: out.get('etc/conf.d/acpid') ?? c.confd,
      });
    }
    expect(migrated.length).toBeGreaterThan(200);
    expect(refused).toBeGreaterThan(200);

    const lines = [PROBE];
    for (const m of migrated) {
      for (const [side, initd, confd] of [
        ['a', m.c.initd, m.c.confd],
        ['b', m.initd, m.confd],
      ] as const) {
        const d = path.join(dir, `${m.i}${side}`);
        mkdirSync(d);
        writeFileSync(path.join(d, 'initd'), initd);
        if (confd !== null) writeFileSync(path.join(d, 'confd'), confd);
        lines.push(`probe '${d}/initd' '${confd === null ? '' : `${d}/confd`}'`);
      }
    }
    const r = spawnSync('dash', ['-c', lines.join('\n')], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    expect(r.stderr).toBe('');
    const parts = r.stdout.split('\0');
    const at = { i: 0 };
    for (const m of migrated) {
      const before = readSeen(parts, at);
      const now = readSeen(parts, at);
      const where = `case ${m.i}:\n${m.c.initd}\n--- became ---\n${m.initd}\n${m.confd ?? ''}`;
      try {
        expect(now.supervisor).toBe('supervise-daemon');
        // The daemon is never handed the supervisor's pidfile (its default when unset).
        const supPid = now.pidfile || '/run/supervise-acpid.pid';
        expect(now.sup).not.toContain(supPid);
        // Under start-stop-daemon nothing changed but the order.
        expect(sorted(now.ssd)).toEqual(sorted(before.ssd));
        // Under supervise-daemon: the same words, less the pidfile option, plus --foreground.
        const pidOpt = before.ssd.flatMap((w, k) => (w === '-p' ? [k, k + 1] : []));
        const keep = before.ssd.filter((_, k) => !pidOpt.includes(k));
        expect(sorted(now.sup.filter((w) => w !== '--foreground'))).toEqual(sorted(keep));
      } catch (e) {
        throw new Error(`${where}\n${(e as Error).message}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
