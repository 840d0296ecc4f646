import type { UnitFacts } from '../../src/knowledge/units.js';
import { initParser } from '../../src/parse/parser.js';
import { customStartStep } from '../../src/steps/custom-start.js';
import { flagsStep } from '../../src/steps/flags.js';
import { foregroundStep, unitForeground } from '../../src/steps/foreground.js';
import { policyStep } from '../../src/steps/policy.js';
import { ssdArgsStep } from '../../src/steps/ssd-args.js';
import type { Draft, PlanOptions, Refusal } from '../../src/steps/index.js';
import type { ServiceRule } from '../../src/rules/types.js';
import { applied, ctx, draft, rule, service, sh } from './helpers.js';

beforeAll(() => initParser());

const UNIT = 'usr/lib/systemd/system/foo.service';
const simpleUnit = (...argv: string[]): UnitFacts => ({
  path: UNIT,
  type: 'simple',
  execStart: ['/usr/bin/foo', ...argv],
});
const fgRule = rule({
  foreground: '-n',
  sources: ['foo(8): -n, --nodetach', 'foreground: foo(8): -n stays in the foreground'],
});

const base = ['#!/sbin/openrc-run', 'command=/usr/bin/foo'];

function run(initd: string, more: { rule?: ServiceRule; units?: UnitFacts[]; options?: PlanOptions; d?: Draft } = {}) {
  const s = service(initd);
  const d = more.d ?? draft();
  const r = foregroundStep(ctx(s, more), d);
  return { s, d, r };
}

/** The foreground step, then the steps that write log variables, then the policy step, which warns about lost logs. */
function runToPolicy(initd: string, more: { rule?: ServiceRule; options?: PlanOptions } = {}) {
  const s = service(initd);
  const d = draft();
  const c = ctx(s, more);
  foregroundStep(c, d);
  ssdArgsStep(c, d);
  policyStep(c, d);
  return { s, d };
}

describe('evidence, strongest first', () => {
  // A script that also has script evidence (command_background) and a unit, so each level
  // is seen to win over all those below it.
  const all = sh(...base, 'command_background=yes', 'pidfile=/run/foo.pid');
  const units = [simpleUnit('--foreground')];

  test('--foreground-args beats the rule, the script and the unit', () => {
    const { d, r } = run(all, { rule: fgRule, units, options: { foregroundArgs: '-F --log-stderr' } });
    expect(r).toBeUndefined();
    expect(d.foreground).toBe('-F --log-stderr');
    expect(d.evidence).toEqual([{ kind: 'user', detail: '--foreground-args="-F --log-stderr"' }]);
  });

  test('--foreground-args="" (stays in the foreground by itself) is still the user\'s word', () => {
    const { d } = run(all, { rule: fgRule, options: { foregroundArgs: '' } });
    expect(d.foreground).toBe('');
    expect(d.evidence).toEqual([{ kind: 'user', detail: '--foreground-args=""' }]);
  });

  test("--foreground-args over a rule's refusal: the refusal stays as a warning", () => {
    const refusing = rule({ refuse: { reason: 'foo forks unless its configuration says otherwise', suggestion: 's' } });
    const { d, r } = run(all, { rule: refusing, options: { foregroundArgs: '' } });
    expect(r).toBeUndefined();
    expect(d.warnings).toContain(
      'without --foreground-args this service is refused (rule foo): foo forks unless its configuration says otherwise',
    );
  });

  // openvt's `-- /usr/bin/lemurs`: OpenRC appends command_args_foreground after `--`, where the
  // daemon takes it for an operand (or hands it to the program it wraps).
  test('arguments with `--`: refused when words would be appended after it; without `--`, not', () => {
    const after = run(sh(...base, 'command_args="-c 7 -- /usr/bin/lemurs"'), { rule: fgRule });
    expect(after.r).toMatchObject({ kind: 'refuse', code: 'dynamic' });
    expect(after.r && after.r.reason).toBe(
      "the daemon's arguments hold `--`, the end of its options, and OpenRC appends command_args_foreground (-n) after them: the daemon would take it for operands, not options",
    );
    expect(run(sh(...base, 'command_args="-c 7 --verbose"'), { rule: fgRule }).r).toBeUndefined();
    // Nothing appended (it stays in the foreground by itself): nothing lands after `--`.
    const itself = rule({ foreground: '' });
    expect(run(sh(...base, 'command_args="-c 7 -- /usr/bin/lemurs"'), { rule: itself }).r).toBeUndefined();
  });

  // garlicat: GCAT_OPTS ends in $(hostname), an operand nothing can read statically.
  test('arguments not known statically: a short no-fork word appended after them is warned about; no arguments, nothing', () => {
    const unknown = run(sh(...base, 'command_args="${OPTS}"'), { rule: fgRule, d: draft() });
    const s = service(sh(...base, 'command_args="${OPTS}"'), 'OPTS="-x $(hostname)"\n');
    const d = draft();
    expect(foregroundStep(ctx(s, { rule: fgRule }), d)).toBeUndefined();
    expect(d.warnings).toEqual([
      "the daemon's arguments are not known statically: if they end in an operand (a file, a host name), command_args_foreground (-n) comes after it, where a getopt() that stops at the first operand (musl's, on Alpine) never reads it and the daemon forks; glibc's reads it",
    ]);
    // Unset: empty, known (nothing after which -n could land).
    expect(unknown.d.warnings).toEqual([]);
    expect(run(sh(...base), { rule: fgRule }).d.warnings).toEqual([]);
  });

  describe('--min-evidence', () => {
    const scriptOnly = sh(...base, 'command_background=yes', 'pidfile=/run/foo.pid');
    const unitOnly = sh(...base, 'pidfile=/run/foo.pid');
    const refusedFor = (r: Refusal | void) => (r ? r.reason : 'migrated');

    test("rule: the script's own word is refused with what it rested on; a rule or the user's word is taken", () => {
      const script = run(scriptOnly, { options: { minEvidence: 'rule' } });
      expect(script.r).toMatchObject({ kind: 'refuse', code: 'needs-foreground' });
      expect(refusedFor(script.r)).toBe(
        "how the daemon stays in the foreground rests on the script's own word (command_background=yes: start-stop-daemon backgrounds the daemon and writes its pid file itself, so the daemon does not fork), and --min-evidence rule asks for a rule (curated or knowledge base)",
      );
      expect(refusedFor(run(scriptOnly, { rule: fgRule, options: { minEvidence: 'rule' } }).r)).toBe('migrated');
      expect(refusedFor(run(scriptOnly, { options: { minEvidence: 'rule', foregroundArgs: '' } }).r)).toBe('migrated');
    });

    test('script: the script is taken, a systemd unit is not; unit (the default) takes both', () => {
      const units = [simpleUnit('--foreground')];
      expect(refusedFor(run(scriptOnly, { options: { minEvidence: 'script' } }).r)).toBe('migrated');
      const unit = run(unitOnly, { units, options: { minEvidence: 'script' } });
      expect(refusedFor(unit.r)).toMatch(
        /^how the daemon stays in the foreground rests on a systemd unit \(usr\/lib\/systemd\/system\/foo\.service: Type=simple.*--min-evidence script asks for the script or a rule$/,
      );
      expect(refusedFor(run(unitOnly, { units, options: { minEvidence: 'unit' } }).r)).toBe('migrated');
      expect(refusedFor(run(unitOnly, { units }).r)).toBe('migrated');
    });

    test("the fix loop's second pass over rc-supervise's own output is not refused again", () => {
      expect(refusedFor(run(scriptOnly, { options: { minEvidence: 'rule', residual: true } }).r)).toBe('migrated');
    });
  });

  // sslh -f, gpm -D: in the foreground the log goes to stderr, which supervise-daemon discards.
  test('a rule whose foreground sends the log to stderr: warned, unless --log or error_log keeps it', () => {
    const logs = rule({ foreground: '-f', foregroundLogs: 'stderr' });
    const warned = runToPolicy(all, { rule: logs });
    expect(warned.d.warnings).toContain(
      'in the foreground foo logs to stderr (rule foo), and supervise-daemon discards stderr, as start-stop-daemon --background did before: run rc-supervise migrate again with --log syslog or --log file:DIR (or set error_log) to keep its log',
    );
    const syslog = runToPolicy(all, { rule: logs, options: { log: { kind: 'syslog' }, target: [0, 51, 0] } });
    expect(syslog.d.lines).toContain('error_logger="logger -t ${RC_SVCNAME} -p daemon.err"');
    expect(syslog.d.warnings).toEqual([]);
    const kept = sh('#!/sbin/openrc-run', 'command=/usr/bin/foo', 'error_log=/var/log/foo.log');
    expect(runToPolicy(kept, { rule: logs }).d.warnings).toEqual([]);
    // The foreground step alone does not warn: what keeps stderr may come later.
    expect(run(all, { rule: logs }).d.warnings).toEqual([]);
  });

  // gitlab-pages: start-stop-daemon's --stderr FILE, written as error_log by the ssd-args step
  // after the foreground step, keeps the stream.
  test("stderr kept by an error_log a later step writes from start_stop_daemon_args' --stderr: no warning", () => {
    const logs = rule({ foreground: '', foregroundLogs: 'stderr' });
    const ssd = sh(
      '#!/sbin/openrc-run',
      'command=/usr/bin/foo',
      'pidfile=/run/foo.pid',
      'start_stop_daemon_args="--background --stderr /var/log/foo.log"',
    );
    const r = runToPolicy(ssd, { rule: logs });
    expect(r.d.lines).toContain('error_log="/var/log/foo.log"');
    expect(r.d.warnings).toEqual([]);
    const outOnly = ssd.replace('--stderr', '--stdout');
    expect(runToPolicy(outOnly, { rule: logs }).d.warnings).toEqual([
      'in the foreground foo logs to stderr (rule foo), and supervise-daemon discards stderr, as start-stop-daemon --background did before: run rc-supervise migrate again with --log syslog or --log file:DIR (or set error_log) to keep its log',
    ]);
  });

  // dbmail -D: umask(0077) only in server_daemonize().
  test('a rule saying what the daemon does only when it daemonizes: warned with that text', () => {
    const skips = rule({ foreground: '-D', foregroundSkips: 'its umask 0077: set umask=0077' });
    expect(run(all, { rule: skips }).d.warnings).toEqual([
      'in the foreground foo skips what it does only when it daemonizes (rule foo): its umask 0077: set umask=0077',
    ]);
    expect(run(all, { rule: rule({ foreground: '-D' }) }).d.warnings).toEqual([]);
  });

  // clamd (holdout 9's review): its forking parent waits until the databases are loaded and the
  // sockets open, so start-stop-daemon's start waited too; supervise-daemon's does not.
  test('a rule saying what the forking parent waits for: warned, unless start-stop-daemon backgrounded it', () => {
    const ready = rule({ foreground: '--foreground', readyOnFork: 'foo had loaded its databases' });
    const forking = sh('#!/sbin/openrc-run', 'command=/usr/bin/foo', 'pidfile=/run/foo.pid');
    expect(run(forking, { rule: ready }).d.warnings).toEqual([
      "under start-stop-daemon the start returned only once foo had loaded its databases (rule foo: the forking parent waits for that); supervise-daemon's start returns as soon as the daemon is spawned, so services that need foo may start before it is ready",
    ]);
    for (const bg of ['command_background=yes', 'start_stop_daemon_args="--background --make-pidfile"'])
      expect(run(sh('#!/sbin/openrc-run', 'command=/usr/bin/foo', bg), { rule: ready }).d.warnings).toEqual([]);
  });

  // lvmlockd, dmeventd (the reviews of holdout 9): TERM is logged and ignored while they hold
  // something; supervise-daemon's stop then succeeds and leaves them unsupervised.
  test('a rule saying when the daemon does not end on TERM: warned with it', () => {
    const held = rule({ foreground: '-f', termDeferred: 'a lock is held' });
    expect(run(all, { rule: held }).d.warnings).toEqual([
      "foo does not end on TERM while a lock is held (rule foo): under supervise-daemon stop then reports success and leaves it running without its supervisor (the next start fails), where start-stop-daemon's stop failed and said so; stop it only once that is over",
    ]);
    expect(run(all, { rule: rule({ foreground: '-f' }) }).d.warnings).toEqual([]);
  });

  // qemu-ga 2.12-4.0: daemon=true in qemu-ga.conf forks it, and no command-line word overrides it.
  test('a rule naming a configuration setting that forks the daemon with no override: warned with it', () => {
    const forks = rule({ foreground: '', configForks: 'its configuration file sets daemon=true' });
    expect(run(all, { rule: forks }).d.warnings).toEqual([
      'foo also daemonizes when its configuration file sets daemon=true, and no command-line word overrides that (rule foo): keep it off, or under supervise-daemon the daemon leaves its supervisor, which starts it again and again',
    ]);
  });

  // prelude-lml: information on stdout, errors on stderr; each stream is lost unless kept.
  test('a rule whose foreground logs to both streams: warned for each stream nothing keeps', () => {
    const logs = rule({ foreground: '-f', foregroundLogs: 'both' });
    expect(runToPolicy(all, { rule: logs }).d.warnings).toContain(
      'in the foreground foo logs to stdout and stderr (rule foo), and supervise-daemon discards stdout and stderr, as start-stop-daemon --background did before: run rc-supervise migrate again with --log syslog or --log file:DIR (or set output_log and error_log) to keep its log',
    );
    const errKept = sh('#!/sbin/openrc-run', 'command=/usr/bin/foo', 'error_log=/var/log/foo.log');
    expect(runToPolicy(errKept, { rule: logs }).d.warnings).toEqual([
      'in the foreground foo logs to stdout and stderr (rule foo), and supervise-daemon discards stdout: run rc-supervise migrate again with --log syslog or --log file:DIR (or set output_log) to keep its log',
    ]);
    const both = sh(
      '#!/sbin/openrc-run',
      'command=/usr/bin/foo',
      'output_log=/var/log/foo.log',
      'error_log=/var/log/foo.log',
    );
    expect(runToPolicy(both, { rule: logs }).d.warnings).toEqual([]);
  });

  // samplicator: --background --make-pidfile, then start_post() rewrites the pid file from pgrep.
  test('a function writing a pid file from pgrep/pidof: refused on the script alone; an informative pgrep is not', () => {
    const launch = [
      '#!/sbin/openrc-run',
      'command=/usr/bin/foo',
      'command_background=yes',
      'pidfile=/run/foo.pid',
      'start_post() {',
    ];
    const { r } = run(sh(...launch, '\tpgrep -n foo > ${pidfile}', '}'));
    expect(r).toMatchObject({ kind: 'refuse', code: 'needs-foreground' });
    expect(r && r.reason).toBe(
      "start_post() writes a pid file from pgrep after the launch: the script finds the daemon after it has forked, so nothing it does shows the daemon stays in the foreground, and under the supervisor that line would overwrite the supervisor's pid file",
    );
    const informative = run(sh(...launch, '\tpgrep -x foo >/dev/null 2>&1 || ewarn "foo is not running"', '}'));
    expect(informative.r).toBeUndefined();
  });

  // redir, nuttcp, rstatd: a rule (or --foreground-args) says how the daemon stays in the
  // foreground; the pgrep line is then only the start-stop-daemon path's way to find it.
  describe('start_post() writing the pid file from pgrep, with a rule or --foreground-args', () => {
    const launch = (...post: string[]) =>
      sh(
        '#!/sbin/openrc-run',
        'command=/usr/bin/foo',
        'command_background=yes',
        'pidfile="/run/${RC_SVCNAME}.pid"',
        'start_post() {',
        ...post,
        '}',
      );
    const GUARDED = 'if [ "${supervisor}" != supervise-daemon ]; then pgrep -n "${RC_SVCNAME%%.*}" > "${pidfile}"; fi';

    test.each([
      ['a rule', { rule: fgRule }, '-n'],
      ['--foreground-args', { options: { foregroundArgs: '-x' } }, '-x'],
    ])('%s: the line runs only when the supervisor is not supervise-daemon', (_what, more, fg) => {
      const { s, d, r } = run(
        launch('\tlocal n=1', '\tpgrep -n "${RC_SVCNAME%%.*}" > "${pidfile}"', '\treturn 0'),
        more,
      );
      expect(r).toBeUndefined();
      expect(d.foreground).toBe(fg);
      expect(applied(s, d.pidWriteGuards)).toBe(launch('\tlocal n=1', `\t${GUARDED}`, '\treturn 0'));
      expect(d.initdReasons).toEqual([
        'start_post() writes the pid file after the launch, and only init.d can make that line run under start-stop-daemon only',
      ]);
      expect(d.notes.join('\n')).toContain('now runs only when the supervisor is not supervise-daemon');
    });

    test('a second run: the guarded line needs nothing, with or without a rule', () => {
      for (const more of [{}, { rule: fgRule }]) {
        const { d, r } = run(launch(`\t${GUARDED}`), more);
        expect(r).toBeUndefined();
        expect(d.pidWriteGuards).toEqual([]);
      }
    });

    test('shapes it does not guard: refused, saying why', () => {
      const why = (...post: string[]) => {
        const { r } = run(launch(...post), { rule: fgRule });
        expect(r).toMatchObject({ kind: 'refuse', code: 'needs-foreground' });
        return r!.reason.replace(/^.*pid file \(/, '(');
      };
      expect(why('\tpgrep -n foo > "${pidfile}"; chmod 644 "${pidfile}"')).toBe(
        '(the line holds more than that one command, so rc-supervise does not make it run only under start-stop-daemon)',
      );
      expect(why('\tpgrep -n foo 2>/dev/null > "${pidfile}"')).toBe(
        '(its redirects are not one plain `> FILE`, so rc-supervise does not make it run only under start-stop-daemon)',
      );
      expect(why('\tpgrep -n \\', '\t\tfoo > "${pidfile}"')).toBe(
        '(the command goes on over several lines, so rc-supervise does not make it run only under start-stop-daemon)',
      );
      const inStart = sh(
        '#!/sbin/openrc-run',
        'command=/usr/bin/foo',
        'pidfile=/run/foo.pid',
        'start_pre() {',
        '\tpgrep -n foo > /run/foo.pid',
        '}',
      );
      expect(run(inStart, { rule: fgRule }).r?.reason).toContain('(it is in start_pre(), not start_post()');
    });

    test('a CRLF file: the guard ends in a comment, so that `fi` stays a keyword', () => {
      const text = launch('\tpgrep -n foo > "${pidfile}"').replace(/\n/g, '\r\n');
      const { s, d, r } = run(text, { rule: fgRule });
      expect(r).toBeUndefined();
      expect(applied(s, d.pidWriteGuards)).toContain(
        '\tif [ "${supervisor}" != supervise-daemon ]; then pgrep -n foo > "${pidfile}"; fi #\r\n}',
      );
    });
  });

  // inputlircd: conf.d's event device ends the arguments, and `-f` would come after it.
  test('arguments ending in an operand (read from conf.d with options) and a short no-fork option after them: refused; a long option is not', () => {
    const script = sh('#!/sbin/openrc-run', 'command=/usr/bin/foo', 'command_args="${FOO_OPTS}"');
    const run = (initd: string, more: { rule: ServiceRule }) => {
      const s = service(initd, 'FOO_OPTS="-m 0 /dev/input/event2"\n');
      const d = draft();
      return { r: foregroundStep(ctx(s, more), d), d };
    };
    const short = run(script, { rule: rule({ foreground: '-f' }) });
    expect(short.r && short.r.reason).toBe(
      "the daemon's arguments end in the operand /dev/input/event2, and OpenRC puts command_args_foreground (-f) after them: a getopt() that stops at the first operand (musl's, on Alpine) would never see the no-fork word",
    );
    expect(run(script, { rule: rule({ foreground: '--foreground' }) }).r).toBeUndefined();
    const optionLast = sh('#!/sbin/openrc-run', 'command=/usr/bin/foo', 'command_args="-c /etc/foo.conf"');
    expect(run(optionLast, { rule: rule({ foreground: '-f' }) }).r).toBeUndefined();
    // Written in init.d as a word of its own: it moves behind the no-fork word instead.
    const s = service(sh('#!/sbin/openrc-run', 'command=/usr/bin/foo', 'command_args="-m 0 /dev/input/event2"'));
    const d = draft();
    expect(foregroundStep(ctx(s, { rule: rule({ foreground: '-f' }) }), d)).toBeUndefined();
    expect(d.operandTail?.text).toBe('/dev/input/event2');
    expect(applied(s, d.operandTail!.edits)).toContain('\ncommand_args="-m 0"\n');
    expect(d.initdReasons).toEqual(["command_args's last words must move after the words OpenRC appends, in init.d"]);
  });

  test("command_args's last word moves only when it is a plain word or a lone variable holding operands, set above it", () => {
    const tail = (args: string, confd: string | null = null, more = '') => {
      const s = service(sh('#!/sbin/openrc-run', 'command=/usr/bin/foo', `command_args=${args}`, more), confd);
      const d = draft();
      const r = foregroundStep(ctx(s, { rule: rule({ foreground: '-n' }) }), d);
      return r ? r.code : d.operandTail ? applied(s, d.operandTail.edits).split('\n')[2] : 'kept';
    };
    expect(tail('"-m 0 ${CONF}"', 'CONF="/etc/a.conf /etc/b.conf"\n')).toBe('command_args="-m 0"');
    // Operands before the last one (hciattach's device, type and speed): the whole run moves.
    expect(tail('"/dev/ttyS1 bcm43xx 3000000"')).toBe('command_args=""');
    expect(tail('"-m 0 /dev/ttyS1 ${SPEED}"', 'SPEED=115200\n')).toBe('command_args="-m 0"');
    // ... unless one of them is not movable: refused.
    expect(tail('"/dev/ttyS1 \\"${TYPE}\\" 3000000"', 'TYPE=bcm43xx\n')).toBe('needs-foreground');
    // -v may take the first file as its value: which words are operands is not known.
    expect(tail('"-v ${CONF}"', 'CONF="/etc/a.conf /etc/b.conf"\n')).toBe('needs-foreground');
    expect(tail('"${OPTS} $CONF"', 'OPTS=""\nCONF=/etc/a.conf\n')).toBe('command_args="${OPTS}"');
    expect(tail('/etc/a.conf')).toBe('command_args=');
    // Single quotes, a quoted word, options in the variable, a value set again below: kept, refused.
    expect(tail("'-m 0 /etc/a.conf'")).toBe('needs-foreground');
    expect(tail('"-m 0 \\"${CONF}\\""', 'CONF=/etc/a.conf\n')).toBe('needs-foreground');
    expect(tail('"${CONF}"', 'CONF="-x 1 /etc/a.conf"\n')).toBe('needs-foreground');
    expect(tail('"-m 0 ${CONF}"', 'CONF=/etc/a.conf\n', 'CONF=/etc/b.conf')).toBe('needs-foreground');
    // conf.d sets command_args itself: not ours to split.
    expect(tail('"-m 0 /etc/a.conf"', 'command_args="-m 0 /etc/a.conf"\n')).toBe('needs-foreground');
    // command_background=yes: start-stop-daemon.sh refuses command_args_background beside it (uredir).
    expect(tail('"-m 0 /etc/a.conf"', null, 'command_background=yes')).toBe('needs-foreground');
    expect(tail('"-m 0 /etc/a.conf"', 'command_background="yes"\n')).toBe('needs-foreground');
    expect(tail('"-m 0 /etc/a.conf"', null, 'command_background=no')).toBe('command_args="-m 0"');
    // After an option the last word may be its value (`-c /etc/a.conf`): left where it is.
    expect(tail('"-v /etc/a.conf"')).toBe('kept');
    // silcd: redirections in command_args redirect the eval'd start command, they are no operands.
    expect(tail('"-f /etc/a.conf >/dev/null 2>&1"')).toBe('kept');
    expect(tail('"-f /etc/a.conf > /var/log/foo.log 2>&1"')).toBe('kept');
    // A real operand before them is still one (and is not moved from before the redirections).
    expect(tail('"-m 0 /etc/a.conf >/dev/null"')).toBe('needs-foreground');
  });

  // icinga: `command_args="-d ${ICINGACFG}"`; its getopt string starts with "+" (stops at the first operand).
  test('a short flag moved out of command_args lands after a trailing operand under start-stop-daemon: refused', () => {
    const r = rule({ foreground: '', backgroundFlags: [{ flag: '-d', why: 'daemonize' }] });
    const moved = (args: string, quote = '"') => {
      const s = service(sh(...base, `command_args=${quote}${args}${quote}`));
      const d = draft();
      expect(flagsStep(ctx(s, { rule: r }), d)).toBeUndefined();
      return foregroundStep(ctx(s, { rule: r }), d);
    };
    // A plain last word moves behind the moved flag (generic/operand-last-moved-flags).
    expect(moved('-d /etc/foo/foo.cfg')).toBeUndefined();
    // Single-quoted, it stays: refused.
    expect(moved('-d /etc/foo/foo.cfg', "'")).toMatchObject({
      kind: 'refuse',
      code: 'dynamic',
      reason:
        'the daemon\'s arguments end in the operand /etc/foo/foo.cfg, and OpenRC puts command_args_background (-d, moved out of command_args) after them: under start-stop-daemon a getopt() that stops at the first operand (musl\'s, or a "+" option string) would never see it',
      suggestion:
        'put the operand last yourself (e.g. command_args_background="-d /etc/foo/foo.cfg" and command_args_foreground="/etc/foo/foo.cfg"), then migrate again',
    });
    // Nothing after an option, or no operand at all: fine.
    expect(moved('-d -c /etc/foo/foo.cfg')).toBeUndefined();
    expect(moved('-d -v')).toBeUndefined();
  });

  // Kannel's get_and_set_debugs() stops at the first word without '-': its long options too.
  test('a long flag moved behind a trailing operand of a daemon whose parser stops there: refused', () => {
    const flags = [
      { flag: '--daemonize', why: 'daemonize' as const },
      { flag: '--pid-file', value: true, why: 'pidfile' as const },
    ];
    const moved = (stops: boolean) => {
      const r = rule({ id: 'kannel', foreground: '', backgroundFlags: flags, stopsAtOperand: stops || undefined });
      const s = service(sh(...base, "command_args='--daemonize --pid-file /run/foo.pid /etc/foo/foo.conf'"));
      const d = draft();
      expect(flagsStep(ctx(s, { rule: r }), d)).toBeUndefined();
      return foregroundStep(ctx(s, { rule: r }), d);
    };
    expect(moved(true)).toMatchObject({
      kind: 'refuse',
      code: 'dynamic',
      reason:
        "the daemon's arguments end in the operand /etc/foo/foo.conf, and OpenRC puts command_args_background (--daemonize --pid-file, moved out of command_args) after them: under start-stop-daemon kannel's option parser, which stops at the first operand (rule kannel), would never see it",
      suggestion:
        'put the operand last yourself (e.g. command_args_background="--daemonize --pid-file /run/foo.pid /etc/foo/foo.conf" and command_args_foreground="/etc/foo/foo.conf"), then migrate again',
    });
    // getopt_long permutes long options in glibc and musl alike: fine without the fact.
    expect(moved(false)).toBeUndefined();
  });

  // rpc.rstatd: -d only as argv[1]; conf.d's INTERFACE is unset now, and a value set later would come first.
  test('a parser that stops at the first operand, command_args empty now but read from a variable: migrated, with a warning', () => {
    const r = rule({ id: 'rpc.rstatd', foreground: '-d', stopsAtOperand: true });
    const go = (args: string, confd: string | null) => {
      const s = service(sh(...base, `command_args="${args}"`), confd);
      const d = draft();
      return { r: foregroundStep(ctx(s, { rule: r }), d), d };
    };
    const unset = go('$INTERFACE', '#INTERFACE=""\n');
    expect(unset.r).toBeUndefined();
    expect(unset.d.warnings).toEqual([
      "command_args reads ${INTERFACE}, empty now; rpc.rstatd reads options only before its first other word (rule rpc.rstatd), so once a value set there ends in such a word, command_args_foreground (-d) comes after it and is not read as rpc.rstatd's option (the daemon may fork, or fail to start): pass -d first in command_args yourself then",
    ]);
    // Set now: the word moves behind -d; nothing read from a variable: nothing to say.
    const set = go('$INTERFACE', 'INTERFACE="eth0"\n');
    expect(set.r).toBeUndefined();
    expect(set.d.operandTail?.text).toBe('$INTERFACE');
    const none = go('', null);
    expect(none.r).toBeUndefined();
    expect(none.d.warnings).toEqual([]);
    // Beside words that are known now (twistd's `--pidfile /var/run/twistd.pid ${TWISTD_OPTS}`).
    const beside = go('-p /run/x.pid $INTERFACE', null);
    expect(beside.r).toBeUndefined();
    expect(beside.d.warnings).toHaveLength(1);
    expect(beside.d.warnings[0]).toMatch(/^command_args reads \$\{INTERFACE\}, empty now;/);
    // A parser that reads options anywhere: no warning.
    const s = service(sh(...base, 'command_args="$INTERFACE"'), null);
    const d = draft();
    expect(foregroundStep(ctx(s, { rule: rule({ foreground: '-d' }) }), d)).toBeUndefined();
    expect(d.warnings).toEqual([]);
  });

  test("a converted launch's trailing literal operand goes last in command_args_background and _foreground instead", () => {
    const r = rule({
      id: 'kannel',
      foreground: '',
      stopsAtOperand: true,
      backgroundFlags: [{ flag: '--daemonize', why: 'daemonize' as const }],
    });
    const s = service(
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '\tstart-stop-daemon --start --exec /usr/sbin/foo -- --daemonize --user foo /etc/foo.conf',
        '}',
      ),
    );
    const d = draft();
    expect(customStartStep(ctx(s, { rule: r }), d)).toBeUndefined();
    expect(flagsStep(ctx(s, { rule: r }), d)).toBeUndefined();
    expect(foregroundStep(ctx(s, { rule: r }), d)).toBeUndefined();
    expect(d.operandLast).toEqual([3]);
    expect(d.notes).toContain(
      "/etc/foo.conf, the daemon's last argument, now ends command_args_background and command_args_foreground instead of command_args: OpenRC appends those after command_args, and kannel's option parser would not read options after it",
    );
  });

  test("a converted launch's operands move as a run; the last stays when an operand it cannot move comes before it: refused", () => {
    const r = rule({ id: 'hciattach', foreground: '-n' });
    const launch = (args: string, ssd = '') => {
      const s = service(
        sh(
          '#!/sbin/openrc-run',
          'start() {',
          `\tstart-stop-daemon --start ${ssd}--exec /usr/bin/hciattach -- ${args}`,
          '}',
        ),
      );
      const d = draft();
      expect(customStartStep(ctx(s, { rule: r }), d)).toBeUndefined();
      expect(flagsStep(ctx(s, { rule: r }), d)).toBeUndefined();
      return { r: foregroundStep(ctx(s, { rule: r }), d), d };
    };
    // -n after the first operand is lost as surely as after the last: the three move together
    const run = launch('/dev/ttyS1 bcm43xx 3000000');
    expect(run.r).toBeUndefined();
    expect(run.d.operandLast).toEqual([0, 1, 2]);
    // an operand in a form that does not move (single quotes) before the last: refused
    expect(launch("'/dev/ttyS1' bcm43xx").r).toMatchObject({ kind: 'refuse', code: 'needs-foreground' });
    // Launched with --background --make-pidfile: command_background="yes" cannot go with
    // command_args_background, so the operand moves under supervise-daemon only.
    const bg = launch('-s 115200 /dev/ttyS1', '-b -m -p /run/h.pid ');
    expect(bg.r).toBeUndefined();
    expect(bg.d.operandLast).toEqual([2]);
    expect(bg.d.operandSupervisedOnly).toBe(true);
    expect(bg.d.notes).toContain(
      '/dev/ttyS1, the daemon\'s last argument, comes after command_args_foreground (-n) under supervise-daemon: OpenRC appends that after command_args, and a getopt() that stops at the first operand (musl\'s) would not read the no-fork word after it; under start-stop-daemon command_args stay as the launch had them (command_background="yes" cannot go with command_args_background)',
    );
    // ... not with an operand before it that does not move
    expect(launch("'/dev/ttyS1' bcm43xx", '-b -m -p /run/h.pid ').r).toMatchObject({ code: 'needs-foreground' });
    const one = launch('-s 115200 /dev/ttyS1');
    expect(one.r).toBeUndefined();
    expect(one.d.operandLast).toEqual([2]);
    expect(one.d.operandSupervisedOnly).toBeUndefined();
  });

  // inputlircd's `-- ${INPUTLIRCD_OPTS}` (conf.d: the event device), dhcp_probe's
  // `${DHCP_PROBE_INTERFACE}`, an `"${X:-/etc/x.conf}"`, two device operands (slcand's).
  test("a converted launch's trailing lone variables holding operands (a run of them) go last too", () => {
    const r = rule({ id: 'inputlircd', foreground: '-f' });
    const launch = (args: string, confd: string) => {
      const s = service(
        sh('#!/sbin/openrc-run', 'start() {', `\tstart-stop-daemon --start --exec /usr/sbin/foo -- ${args}`, '}'),
        confd,
      );
      const d = draft();
      expect(customStartStep(ctx(s, { rule: r }), d)).toBeUndefined();
      expect(flagsStep(ctx(s, { rule: r }), d)).toBeUndefined();
      return { r: foregroundStep(ctx(s, { rule: r }), d), d };
    };
    const one = launch('${OPTS}', 'OPTS="/dev/input/event2"');
    expect(one.r).toBeUndefined();
    expect(one.d.operandLast).toEqual([0]);
    expect(one.d.notes).toContain(
      "${OPTS} (/dev/input/event2 now), the daemon's last argument, now ends command_args_background and command_args_foreground instead of command_args: OpenRC appends those after command_args, and a getopt() that stops at the first operand (musl's) would not read options after it",
    );
    const dflt = launch('${OPTS} "${CONF:-/etc/foo.conf}"', 'OPTS=""');
    expect(dflt.r).toBeUndefined();
    expect(dflt.d.operandLast).toEqual([1]);
    const two = launch('-s 5 ${TTY} ${DEV}', 'TTY="ttyUSB0"\nDEV="can0"');
    expect(two.r).toBeUndefined();
    expect(two.d.operandLast).toEqual([2, 3]);
    // a variable that holds an option now, or one right after an option that may take it: stays
    expect(launch('${OPTS}', 'OPTS="-d 1 /dev/input/event2"').r).toMatchObject({ code: 'needs-foreground' });
    expect(launch('-c ${CONF}', 'CONF="/etc/foo.conf"').r).toBeUndefined();
    expect(launch('-c ${CONF}', 'CONF="/etc/foo.conf"').d.operandLast).toBeUndefined();
    // a variable with a value nothing says statically: not moved
    expect(launch('${OPTS} ${X}', 'OPTS="a"').d.operandLast).toBeUndefined();
  });

  test('the rule beats the script and the unit, citing its foreground source', () => {
    const { d } = run(all, { rule: fgRule, units });
    expect(d.foreground).toBe('-n');
    expect(d.evidence).toEqual([{ kind: 'rule', detail: 'rule foo: -n (foo(8): -n stays in the foreground)' }]);
  });

  test('a rule whose words the script passes, or an unmistakable no-fork spelling in command_args: nothing to add', () => {
    for (const args of ['-n -c /etc/foo.conf', '--nodaemon -c /etc/foo.conf']) {
      const { d } = run(sh(...base, `command_args="${args}"`), { rule: fgRule });
      expect(d.foreground).toBe('');
      expect(d.evidence[0].kind).toBe('rule');
    }
    // A short letter that is not the rule's word proves nothing: the rule's words are added.
    expect(run(sh(...base, 'command_args="-f"'), { rule: fgRule }).d.foreground).toBe('-n');
  });

  test('a knowledge-base rule says so; a rule with foreground "" stays in the foreground by itself', () => {
    const kb = rule({ origin: 'knowledge', foreground: '', sources: ['foo(8)'] });
    const { d } = run(sh(...base), { rule: kb });
    expect(d.foreground).toBe('');
    expect(d.evidence).toEqual([
      { kind: 'rule', detail: 'knowledge base foo: stays in the foreground by itself (foo(8))' },
    ]);
  });

  // A unit word the script lacks that is no known no-fork spelling (-F is that to some daemons,
  // something else to others): the script's evidence stands. A known one (--foreground)
  // contradicts it: refused (below, 'a unit of the same program that contradicts ...').
  test('the script beats the unit', () => {
    const { d } = run(all, { units: [simpleUnit('-F')] });
    expect(d.foreground).toBe('');
    expect(d.evidence).toEqual([
      {
        kind: 'script',
        detail:
          'command_background=yes: start-stop-daemon backgrounds the daemon and writes its pid file itself, so the daemon does not fork',
      },
    ]);
    expect(d.notes).toEqual([]);
  });

  test('the unit, last: its option words the script does not pass, with a note and no proof claimed', () => {
    const { d, r } = run(sh(...base, 'command_args="-c /etc/foo.conf"'), {
      units: [simpleUnit('--foreground', '-c', '/etc/foo.conf', '--user=%i', '$OPTS')],
    });
    expect(r).toBeUndefined();
    expect(d.foreground).toBe('--foreground');
    expect(d.evidence).toEqual([
      {
        kind: 'unit',
        detail: `${UNIT}: Type=simple, ExecStart=/usr/bin/foo --foreground -c /etc/foo.conf --user=%i $OPTS (a strong hint, not proof)`,
      },
    ]);
    expect(d.notes).toEqual([
      `foreground words from the systemd unit ${UNIT} (--foreground); a unit is a strong hint, not proof: check the daemon's manual`,
    ]);
    expect(d.warnings).toEqual([]);
  });

  test("a unit that runs the script's own arguments as Type=simple, where the script shows the daemon forks: no evidence (fhem)", () => {
    // start-stop-daemon without --background returns only once the daemon has forked.
    const waits = sh(...base, 'command_args="/etc/foo.conf"', 'pidfile=/run/foo/foo.pid');
    const r = run(waits, { units: [simpleUnit('/etc/foo.conf')] }).r as Refusal;
    expect(r.code).toBe('needs-foreground');
    expect(r.reason).toBe(
      `unknown daemon foo: no rule, nothing in the script and no systemd unit says how it stays in the foreground (${UNIT} runs it with the script's own arguments as Type=simple, but the script starts it with start-stop-daemon without --background, which returns only once the daemon has forked: the two disagree (a configuration setting may decide))`,
    );
    // The same unit is a hint where the script backgrounds the daemon itself (ipfs: -b in
    // start_stop_daemon_args), or where its arguments are unknown.
    for (const ok of [
      sh(...base, 'command_args="/etc/foo.conf"', 'start_stop_daemon_args="--wait 1000 -b"'),
      sh(...base, 'command_args="/etc/foo.conf"', 'start_stop_daemon_args="$(foo_args)"'),
    ]) {
      const { d, r: r2 } = run(ok, { units: [simpleUnit('/etc/foo.conf')] });
      expect(r2).toBeUndefined();
      expect(d.evidence[0].kind).toBe('unit');
    }
    // A unit that adds a word (ptpd2's -C) agrees with a script whose daemon forks without it.
    const { d } = run(sh(...base, 'command_args="-c /etc/foo.conf"'), {
      units: [simpleUnit('-C', '-c', '/etc/foo.conf')],
    });
    expect(d.foreground).toBe('-C');
  });

  test('a unit of another binary is no evidence', () => {
    const { r } = run(sh(...base), {
      units: [{ path: 'usr/lib/systemd/system/bar.service', type: 'simple', execStart: ['/usr/bin/bar', '-f'] }],
    });
    expect(r).toMatchObject({ kind: 'refuse', code: 'needs-foreground' });
  });
});

describe('what the script proves', () => {
  test('command_args_foreground set already: nothing to add, --foreground-args not used (said)', () => {
    const { d, r } = run(sh(...base, 'command_args_foreground="-f"'), {
      rule: fgRule,
      options: { foregroundArgs: '-x' },
    });
    expect(r).toBeUndefined();
    expect(d.foreground).toBeUndefined();
    expect(d.evidence).toEqual([
      { kind: 'script', detail: 'command_args_foreground is set by the script (or its conf.d)' },
    ]);
    expect(d.notes).toEqual(['command_args_foreground is already set; --foreground-args was not used']);
  });

  test('a daemonize flag only in command_args_background', () => {
    const { d } = run(sh(...base, 'command_args_background="--daemon"'));
    expect(d.foreground).toBe('');
    expect(d.evidence).toEqual([
      {
        kind: 'script',
        detail:
          'the daemonize flag --daemon is passed only under start-stop-daemon (command_args_background), so without it the daemon stays in the foreground',
      },
    ]);
  });

  test("a rule's daemonize flag moved out of command_args by the flags step", () => {
    const r = rule({ backgroundFlags: [{ flag: '-D', why: 'daemonize' }] });
    const s = service(sh(...base, 'command_args="-D -v"'));
    const d = draft();
    expect(flagsStep(ctx(s, { rule: r }), d)).toBeUndefined();
    expect(foregroundStep(ctx(s, { rule: r }), d)).toBeUndefined();
    expect(d.foreground).toBe('');
    expect(d.evidence[0].detail).toMatch(/^the daemonize flag -D is passed only under start-stop-daemon/);
  });

  test('a no-fork word already in command_args', () => {
    const { d } = run(sh(...base, 'command_args="--nodaemon -c /etc/foo.conf"'));
    expect(d.foreground).toBe('');
    expect(d.evidence).toEqual([
      { kind: 'script', detail: 'command_args already passes --nodaemon, which keeps the daemon in the foreground' },
    ]);
  });

  test('a short letter is no proof without a rule (-f means many things)', () => {
    const { r } = run(sh(...base, 'command_args="-f /etc/foo.conf"'));
    expect(r).toMatchObject({ kind: 'refuse', code: 'needs-foreground' });
  });

  test('start_stop_daemon_args with --background --make-pidfile', () => {
    const { d } = run(sh(...base, 'start_stop_daemon_args="--background --make-pidfile"'));
    expect(d.foreground).toBe('');
    expect(d.evidence[0]).toEqual({
      kind: 'script',
      detail: 'start_stop_daemon_args has --background --make-pidfile: the script relies on the daemon not forking',
    });
  });

  test('a converted start() that ran --background --make-pidfile, or passed a no-fork word', () => {
    for (const [launch, detail] of [
      [
        'start-stop-daemon --start --background --make-pidfile --pidfile /run/foo.pid --exec /usr/bin/foo',
        'start() ran it with start-stop-daemon --background --make-pidfile: the script relies on the daemon not forking',
      ],
      [
        'start-stop-daemon --start --exec /usr/bin/foo -- --foreground',
        'start() already passed --foreground, which keeps the daemon in the foreground',
      ],
      [
        'start-stop-daemon --start --quiet --make-pidfile --pidfile /run/foo.pid --exec /usr/bin/foo &',
        'start() ran it with start-stop-daemon --make-pidfile in the background of its shell (`&`): the script relies on the daemon not forking',
      ],
    ]) {
      const s = service(sh('#!/sbin/openrc-run', 'start() {', `\t${launch}`, '}'));
      const d = draft();
      expect(customStartStep(ctx(s), d)).toBeUndefined();
      expect(foregroundStep(ctx(s), d)).toBeUndefined();
      expect(d.foreground).toBe('');
      expect(d.evidence).toEqual([{ kind: 'script', detail }]);
    }
  });

  test("the rule's words already passed by the script: nothing added (no duplicate)", () => {
    const { d } = run(sh(...base, 'command_args="-n -c /etc/foo.conf"'), { rule: fgRule });
    expect(d.foreground).toBe('');
    expect(d.evidence[0].kind).toBe('rule');
    // Only some of them passed: all of the rule's words are used.
    const two = rule({ foreground: '-n -e', sources: [] });
    const { d: d2 } = run(sh(...base, 'command_args="-n"'), { rule: two });
    expect(d2.foreground).toBe('-n -e');
    expect(d2.evidence).toEqual([{ kind: 'rule', detail: 'rule foo: -n -e' }]);
  });

  test("the rule's words already passed by a converted start()", () => {
    const s = service(
      sh('#!/sbin/openrc-run', 'start() {', '\tstart-stop-daemon --start --exec /usr/bin/foo -- -n', '}'),
    );
    const d = draft();
    customStartStep(ctx(s, { rule: fgRule }), d);
    foregroundStep(ctx(s, { rule: fgRule }), d);
    expect(d.foreground).toBe('');
  });
});

describe('no evidence: refused', () => {
  const refusal = (reasonTail: string) => ({
    kind: 'refuse',
    code: 'needs-foreground',
    reason: `unknown daemon foo: no rule, nothing in the script and no systemd unit says how it stays in the foreground${reasonTail}`,
    suggestion: 'pass the daemon\'s no-fork option, e.g. --foreground-args="--foreground" (see its manual)',
  });

  test('nothing at all; the suggestion names --foreground-args', () => {
    const { r, d } = run(sh(...base));
    expect(r).toEqual(refusal(''));
    expect(d.foreground).toBeUndefined();
    expect(d.evidence).toEqual([]);
  });

  test('a Type=forking unit is no evidence', () => {
    const { r } = run(sh(...base), { units: [{ path: UNIT, type: 'forking', execStart: ['/usr/bin/foo'] }] });
    expect(r).toEqual(refusal(` (${UNIT}: Type=forking)`));
  });

  test('a unit passing -d is no evidence', () => {
    const { r } = run(sh(...base), { units: [simpleUnit('-d')] });
    expect(r).toEqual(refusal(` (${UNIT}: ExecStart passes -d)`));
  });

  // h2o: the script runs `-m daemon`, the unit `-m master`: the mode is the option's value.
  test('a unit passing another value for an option the script passes is no evidence', () => {
    const { r } = run(sh(...base, 'command_args="-m daemon -c /etc/foo.conf"'), {
      units: [simpleUnit('-m', 'master', '-c', '/etc/foo.conf')],
    });
    expect(r).toEqual(refusal(` (${UNIT}: the script passes -m daemon where ExecStart passes -m master)`));
  });

  test('a unit that does not pass a daemonize word the script passes is no evidence', () => {
    const { r } = run(sh(...base, 'command_args="--daemon"'), { units: [simpleUnit('-v')] });
    expect(r).toEqual(refusal(` (the script passes --daemon, which ${UNIT} does not)`));
  });
});

// solr: command_background=true around `bin/solr start`, which forks; its package's unit says
// Type=forking. inadyn 2.x: the script's --make-pidfile, the unit's -n. The script's own word
// that the daemon does not fork is then contradicted, and refused rather than trusted.
describe("a unit of the same program that contradicts the script's word that it does not fork", () => {
  const bg = sh(...base, 'command_background=yes', 'pidfile=/run/foo.pid');
  const reason = (r: unknown) => (r as Refusal | undefined)?.reason;
  test('Type=forking with no fork word, or Type=simple with a no-fork word the script lacks: refused', () => {
    const forking = run(bg, {
      units: [{ path: UNIT, type: 'forking', execStart: ['/usr/bin/foo', '-c', '/etc/foo'] }],
    });
    expect(forking.r).toMatchObject({ kind: 'refuse', code: 'needs-foreground' });
    expect(reason(forking.r)).toBe(
      `the script says the daemon does not fork (command_background=yes: start-stop-daemon backgrounds the daemon and writes its pid file itself, so the daemon does not fork), but ${UNIT} runs it as Type=forking without a fork word, so it forks by itself (or a setting of its configuration makes it fork): the two disagree, and one of them may be out of date`,
    );
    const simple = run(bg, { units: [simpleUnit('--foreground')] });
    expect(reason(simple.r)).toContain(
      `${UNIT} runs it as Type=simple with --foreground, which the script does not pass`,
    );
  });
  test('no contradiction: a forking unit that passes the fork word, a PIDFile= guess, a plain simple unit, a foreign unit', () => {
    const ok = (units: UnitFacts[]) => expect(run(bg, { units }).r).toBeUndefined();
    ok([{ path: UNIT, type: 'forking', execStart: ['/usr/bin/foo', '--daemon'] }]);
    ok([{ path: UNIT, type: 'forking (no Type=, but PIDFile=)', execStart: ['/usr/bin/foo'] }]);
    ok([simpleUnit('-c', '/etc/foo')]);
    ok([{ path: 'usr/lib/systemd/system/bar.service', type: 'forking', execStart: ['/usr/bin/foo'] }]);
    // With the word already in the script, the unit agrees.
    expect(
      run(sh(...base, 'command_background=yes', 'command_args="--foreground"'), { units: [simpleUnit('--foreground')] })
        .r,
    ).toBeUndefined();
  });
});

test("unitForeground: values and specifiers are the unit's own choice, not foreground words", () => {
  expect(unitForeground(simpleUnit('-f', '--config', '/etc/foo.conf', '--pid=/run/x.pid', '-u', '%i'), null)).toEqual({
    words: ['-f'],
    extra: [],
  });
  expect(unitForeground({ path: UNIT, type: 'notify', execStart: ['/usr/bin/foo', '-f'] }, ['-f', '-v'])).toEqual({
    words: [],
    extra: ['-v'],
  });
  expect(unitForeground({ path: UNIT, type: 'oneshot', execStart: ['/usr/bin/foo'] }, [])).toEqual({
    bad: 'Type=oneshot',
  });
});

// Real scripts whose daemon cannot be named: the reason says why, never "unknown daemon null".
describe('no evidence, and the daemon itself unreadable: the reason says what is true', () => {
  const tail =
    '; so no rule or systemd unit can be looked up, and nothing in the script says how it stays in the foreground';
  const reasonOf = (initd: string, viaStart = false) => {
    const s = service(initd);
    const d = draft();
    if (viaStart) expect(customStartStep(ctx(s), d)).toBeUndefined();
    const r = foregroundStep(ctx(s), d);
    expect(r).toMatchObject({ kind: 'refuse', code: 'needs-foreground' });
    return (r as { reason: string }).reason;
  };

  test('command set again inside a function (amavisd-snmp)', () => {
    const reason = reasonOf(
      sh(
        '#!/sbin/openrc-run',
        'command=/usr/sbin/foo',
        'pick() {',
        '	command=/usr/sbin/foo-zmq',
        '}',
        'start_pre() {',
        '	pick',
        '}',
      ),
    );
    expect(reason).toMatch(/^the daemon is not known statically: command is set inside pick\(\)/);
    expect(reason.endsWith(tail)).toBe(true);
  });

  test('command built from a variable that cannot be read (ceph)', () => {
    const reason = reasonOf(
      sh('#!/sbin/openrc-run', 'kind="${RC_SVCNAME#foo-}"', 'kind="${kind%[.]*}"', 'command="/usr/bin/foo-${kind}"'),
    );
    expect(reason).toBe(
      `the daemon is not known statically: command="/usr/bin/foo-\${kind}", and kind is set in a way rc-supervise cannot read${tail}`,
    );
  });

  test('command built from the service name with patterns is read as the shell would (ceph-mon.a runs foo-mon)', () => {
    const initd = sh(
      '#!/sbin/openrc-run',
      'kind="${RC_SVCNAME#foo-}"',
      'kind="${kind%.*}"',
      'command="/usr/bin/foo-${kind}"',
    );
    const s = service(initd, null, 'foo-mon.a');
    expect(s.value('command')).toBe('/usr/bin/foo-mon');
    const r = foregroundStep(ctx(s), draft());
    expect(r).toMatchObject({ kind: 'refuse', code: 'needs-foreground' });
    expect((r as { reason: string }).reason).toMatch(/^unknown daemon foo-mon: /);
  });

  test('start() launching a variable a sourced file may set is not called an unknown daemon (memcached)', () => {
    const reason = reasonOf(
      sh(
        '#!/sbin/openrc-run',
        'FOO_BIN=/usr/bin/food',
        'source /etc/conf.d/food.extra',
        'start() {',
        '\tstart-stop-daemon --start --exec "${FOO_BIN}" --user foo',
        '}',
      ),
      true,
    );
    expect(reason).toBe(
      `the daemon is not known statically: start() launches "\${FOO_BIN}", and the script runs source, which may set FOO_BIN${tail}`,
    );
  });

  // memcached's init2: instances (memcached.foo) source their own conf.d file again, which
  // openrc-run.sh has already sourced (conf.d/${RC_SVCNAME%%.*}, then conf.d/${RC_SVCNAME}).
  const sourcingOwn = (confsrc: string, extra: string[] = []) =>
    sh(
      '#!/sbin/openrc-run',
      'CONF="${SVCNAME#*.}"',
      'CONFBASE="/etc/conf.d/foo"',
      ...extra,
      '[ "${CONF}" = "foo" ] && CONF=\'\'',
      'if [ -n "${CONF}" ]; then',
      `\tCONFSRC=${confsrc}`,
      '\tsource "${CONFSRC}"',
      'else',
      '\tCONFSRC="${CONFBASE}"',
      'fi',
      'start() {',
      '\tstart-stop-daemon --start --exec "${FOO_BIN}" --user foo',
      '}',
    );
  test("a sourced file that is the service's own conf.d (or an instance's) hides nothing (memcached)", () => {
    const s = service(sourcingOwn('"${CONFBASE}.${CONF}"'), 'FOO_BIN=/usr/bin/food\n');
    const d = draft();
    expect(customStartStep(ctx(s), d)).toBeUndefined();
    const r = foregroundStep(ctx(s), d);
    expect((r as { reason: string }).reason).toMatch(/^unknown daemon food: /);
    // Written out, or through a variable holding the whole path: the same.
    for (const literal of ['"/etc/conf.d/foo.${CONF}"', '/etc/conf.d/foo']) {
      const s2 = service(sourcingOwn(literal), 'FOO_BIN=/usr/bin/food\n');
      const d2 = draft();
      expect(customStartStep(ctx(s2), d2)).toBeUndefined();
      expect((foregroundStep(ctx(s2), d2) as { reason: string }).reason).toMatch(/^unknown daemon food: /);
    }
  });

  test("a sourced file that is another service's conf.d, or named by a suffix not from the service name, still may set anything", () => {
    const cases: [string, string[], string][] = [
      ['"/etc/conf.d/bar"', [], ''],
      ['"/etc/conf.d/foo.${EXTRA}"', [], 'EXTRA=x/../../bar\n'],
      ['"${CONFBASE}.${EXTRA}"', [], 'EXTRA=bar\n'],
      ['"${OTHERBASE}.${CONF}"', ['OTHERBASE="/etc/conf.d/bar"'], ''],
      ['"/etc/conf.d/foo/${CONF}"', [], ''],
    ];
    for (const [confsrc, extra, confd] of cases) {
      const s = service(sourcingOwn(confsrc, extra), `FOO_BIN=/usr/bin/food\n${confd}`);
      const d = draft();
      customStartStep(ctx(s), d);
      const r = foregroundStep(ctx(s), d);
      expect([confsrc, (r as { reason: string }).reason]).toEqual([
        confsrc,
        expect.stringContaining('and the script runs source, which may set FOO_BIN'),
      ]);
    }
  });

  test('start() launching a variable the script never sets (distccd, set in its conf.d): refused before, naming it', () => {
    // The custom-start step refuses it (a command= of that variable would be empty), so the
    // reason names the variable and where to set it, whatever the evidence would have been.
    const s = service(
      sh('#!/sbin/openrc-run', 'start() {', '\tstart-stop-daemon --start --exec "${FOO_EXEC}" --user foo', '}'),
    );
    expect(customStartStep(ctx(s), draft())).toMatchObject({
      kind: 'refuse',
      code: 'custom-start',
      reason: `custom start()/stop(): start() runs "\${FOO_EXEC}", and neither the script nor its conf.d sets FOO_EXEC: rc-supervise cannot tell which program that is`,
    });
  });

  test('a daemon whose binary is really called "services" is still named (anope)', () => {
    const reason = reasonOf(sh('#!/sbin/openrc-run', 'command=/usr/bin/services'));
    expect(reason).toMatch(/^unknown daemon services: no rule/);
  });
});

// tox-bootstrapd's unit: no Type= (simple by default) but a PIDFile=, written for a daemon that forks.
test('parseUnit: no Type= with a PIDFile= reads as forking (no evidence); without PIDFile= as simple', async () => {
  const { parseUnit } = await import('../../src/knowledge/units.js');
  const unit = (extra: string) => `[Service]\n${extra}ExecStart=/usr/bin/foo --config /etc/foo.conf\n`;
  expect(parseUnit(unit('PIDFile=/run/foo.pid\n'), 'u')?.type).toBe('forking (no Type=, but PIDFile=)');
  expect(parseUnit(unit(''), 'u')?.type).toBe('simple');
  expect(parseUnit(unit('Type=notify\nPIDFile=/run/foo.pid\n'), 'u')?.type).toBe('notify');
});

// cgproxy: command_background and --daemon in command_args; oidentd's unit: -i -S.
test('script evidence with a long fork word beside it, and a unit adding several words, are no evidence', () => {
  const fork = run(sh(...base, 'command_background=yes', 'pidfile=/run/foo.pid', 'command_args="--daemon"'));
  expect(fork.r?.reason).toContain('the script passes --daemon, a fork word, beside what says it does not fork');
  const several = run(sh(...base), { units: [simpleUnit('-i', '-S')] });
  expect(several.r?.reason).toContain(`${UNIT} passes several options the script does not (-i -S)`);
});

// nest's vhusb-server: command_background=yes, and its conf.d passes -b, which makes vhusbd
// fork. A one-letter fork spelling means other things to many daemons (beanstalkd -b DIR):
// migrated on the script's evidence, but warned, unless a rule knows the daemon.
test('script evidence with a one-letter fork spelling beside it: migrated, warned; with a rule, not warned', () => {
  const initd = sh(...base, 'command_background=yes', 'pidfile=/run/foo.pid', 'command_args="${FOO_OPTS}"');
  const s = service(initd, 'FOO_OPTS="-b -c /etc/foo.ini"\n');
  const d = draft();
  expect(foregroundStep(ctx(s), d)).toBeUndefined();
  expect(d.foreground).toBe('');
  expect(d.warnings).toEqual([
    'the daemon\'s arguments pass -b, which many daemons read as "fork", and nothing rc-supervise knows says what it means to this one: if it makes the daemon fork, the supervisor loses it and starts it again and again; check its manual, and move a fork flag to command_args_background',
  ]);
  for (const w of ['-d', '-D', '-B']) {
    const x = run(sh(...base, 'command_background=yes', `command_args="${w} /srv"`));
    expect(x.d.warnings.some((m) => m.includes(`pass ${w},`))).toBe(true);
  }
  // No such word, or a rule that knows the daemon: nothing said.
  expect(run(sh(...base, 'command_background=yes', 'command_args="-c /etc/foo.ini"')).d.warnings).toEqual([]);
  const known = run(sh(...base, 'command_background=yes', 'command_args="-b"'), { rule: fgRule });
  expect(known.d.warnings.some((m) => m.includes('many daemons read as'))).toBe(false);
});

test("another spelling the rule knows (dnsmasq's -k for --keep-in-foreground) counts as passing its words", () => {
  const dnsmasq = rule({ foreground: '--keep-in-foreground', foregroundAliases: ['-k'] });
  const passes = run(sh(...base, 'command_args="${DNSMASQ_OPTS} -k"'), { rule: dnsmasq });
  expect(passes.d.foreground).toBe('');
  // Without the field the long word is added (harmless for dnsmasq, wrong for lint's no-foreground).
  const plain = run(sh(...base, 'command_args="${DNSMASQ_OPTS} -k"'), {
    rule: rule({ foreground: '--keep-in-foreground' }),
  });
  expect(plain.d.foreground).toBe('--keep-in-foreground');
  // And an alias only counts when it is passed.
  const none = run(sh(...base, 'command_args="${DNSMASQ_OPTS}"'), { rule: dnsmasq });
  expect(none.d.foreground).toBe('--keep-in-foreground');
});

// puppetdb's java matched airsonic's unit (`java -jar airsonic.war`): a unit that runs an
// interpreter is about the program it is given, so only the service's own unit counts.
test('unitsFor: an interpreter matches only the unit named after the service', async () => {
  const { unitsFor } = await import('../../src/knowledge/units.js');
  const u = (name: string, prog: string): UnitFacts => ({
    path: `usr/lib/systemd/system/${name}.service`,
    type: 'simple',
    execStart: [prog, '-jar', '/x.war'],
  });
  const units = [u('airsonic', '/usr/bin/java'), u('puppetdb', '/usr/bin/java'), u('foo', '/usr/bin/foo')];
  expect(unitsFor(units, 'java', 'puppetdb').map((x) => x.path)).toEqual(['usr/lib/systemd/system/puppetdb.service']);
  expect(unitsFor(units, 'java', 'unifi')).toEqual([]);
  expect(unitsFor(units, 'foo', 'bar').map((x) => x.path)).toEqual(['usr/lib/systemd/system/foo.service']);
});

// airflow-kerberos and airflow-worker (judged sample of round 20): conf.d's AIRFLOW_ARGS pass
// `--stdout FILE --stderr FILE --log-file FILE`, which airflow reads only on its --daemon path;
// under supervise-daemon those files were no longer written, and nothing said so.
describe('options the daemon reads only when it daemonizes (daemonOnlyFlags)', () => {
  const daemonOnly = rule({
    foreground: '',
    daemonOnlyFlags: [
      { flag: '--stdout', value: true, why: 'daemon-only' },
      { flag: '--stderr', value: true, why: 'daemon-only' },
      { flag: '-l', value: true, why: 'daemon-only' },
    ],
  });
  const initd = sh(
    '#!/sbin/openrc-run',
    'command=/usr/bin/foo',
    'command_args="kerberos ${FOO_ARGS}"',
    'command_args_background="--daemon --pid /run/foo.pid"',
  );
  const go = (confd: string | null) => {
    const s = service(initd, confd);
    const d = draft();
    const r = foregroundStep(ctx(s, { rule: daemonOnly }), d);
    expect(r).toBeUndefined();
    return d.warnings;
  };

  test('each one the arguments pass is named, with its value, in order', () => {
    expect(
      go(
        sh('FOO_ARGS="', '\t--stderr /var/log/foo/err.log', '\t--stdout=/var/log/foo/out.log -l/var/log/foo.log', '"'),
      ),
    ).toEqual([
      'foo reads --stderr /var/log/foo/err.log, --stdout=/var/log/foo/out.log, -l/var/log/foo.log only when it daemonizes (rule foo): under supervise-daemon it stays in the foreground and ignores them, so what they ask for (a log file, most often) no longer happens; keep its output with --log file:DIR or output_log/error_log instead',
    ]);
  });

  test('one: said in the singular', () => {
    expect(go(sh('FOO_ARGS="--stdout /var/log/foo/out.log"'))).toEqual([
      'foo reads --stdout /var/log/foo/out.log only when it daemonizes (rule foo): under supervise-daemon it stays in the foreground and ignores it, so what it asks for (a log file, most often) no longer happens; keep its output with --log file:DIR or output_log/error_log instead',
    ]);
  });

  test("an option's value is not read as another option", () => {
    expect(go(sh('FOO_ARGS="-l --stdout /var/log/foo"'))).toEqual([
      'foo reads -l --stdout only when it daemonizes (rule foo): under supervise-daemon it stays in the foreground and ignores it, so what it asks for (a log file, most often) no longer happens; keep its output with --log file:DIR or output_log/error_log instead',
    ]);
  });

  test('none passed, or arguments rc-supervise cannot read: nothing said', () => {
    expect(go(sh('FOO_ARGS="--verbose"'))).toEqual([]);
    expect(go(null)).toEqual([]);
    expect(go(sh('FOO_ARGS="$(cat /etc/foo/args)"'))).toEqual([]);
  });
});
