import { applyEdits } from '../../src/edit/edits.js';
import { initParser } from '../../src/parse/parser.js';
import { customStartStep } from '../../src/steps/custom-start.js';
import type { Draft } from '../../src/steps/index.js';
import { pidfileStep } from '../../src/steps/pidfile.js';
import { signalsStep } from '../../src/steps/signals.js';
import { placeRelocation } from '../../src/steps/emit.js';
import type { Edit } from '../../src/edit/edits.js';
import type { ServiceRule } from '../../src/rules/types.js';
import { applied, ctx, draft, rule, service, sh } from './helpers.js';

beforeAll(() => initParser());

const COMMENT = "# nothing says food writes no pid file at the script's path: supervise-daemon keeps one of its own";
const GUARD = 'if [ "${supervisor}" = supervise-daemon ]; then pidfile="/run/supervise-${RC_SVCNAME}.pid"; fi';
// Without a rule the daemon only may write it (the script relied on it); a rule says it does.
const NOTE =
  "nothing says food does not write the script's pidfile itself, also in the foreground: under supervise-daemon the supervisor keeps its pid in /run/supervise-${RC_SVCNAME}.pid instead";
const RULE_NOTE = (what: string) =>
  `food writes ${what} itself (also in the foreground): under supervise-daemon the supervisor keeps its pid in /run/supervise-\${RC_SVCNAME}.pid instead`;

function run(initd: string, more: { rule?: ServiceRule; d?: Draft; confd?: string } = {}, name = 'food') {
  const s = service(initd, more.confd ?? null, name);
  const d = more.d ?? draft();
  const r = pidfileStep(ctx(s, { rule: more.rule }), d);
  return { s, d, r };
}

/** Where plan.ts puts the relocation (no other block lines): its edit, or lines in the block. */
function placed(s: ReturnType<typeof service>, d: Draft) {
  if (!d.relocation) return { extraEdits: [] as Edit[], lateLines: d.lateLines };
  const p = placeRelocation(s, 'etc/init.d/food', d.relocation, ['supervisor="supervise-daemon"']);
  return { extraEdits: p.edit ? [p.edit] : [], lateLines: [...d.lateLines, ...p.lines] };
}

function untouched(d: Draft) {
  expect(d.lateLines).toEqual([]);
  expect(d.relocation).toBeUndefined();
  expect(d.notes).toEqual([]);
  expect(d.initdReasons).toEqual([]);
}

describe('the daemon wrote the pid file itself: the supervisor gets its own', () => {
  test('after the last pidfile= when that is below where the block goes', () => {
    const { s, d } = run(
      sh('#!/sbin/openrc-run', 'command=/usr/sbin/food', 'pidfile=/run/food.pid', '', 'depend() {', '\tneed net', '}'),
    );
    expect(applied(s, placed(s, d).extraEdits)).toBe(
      sh(
        '#!/sbin/openrc-run',
        'command=/usr/sbin/food',
        'pidfile=/run/food.pid',
        COMMENT,
        GUARD,
        '',
        'depend() {',
        '\tneed net',
        '}',
      ),
    );
    expect(placed(s, d).lateLines).toEqual([]);
    expect(d.notes).toEqual([NOTE]);
    expect(d.initdReasons).toEqual([
      "the daemon may write the script's pidfile itself, and only init.d can give the supervisor another",
    ]);
  });

  test('in the late lines of the block when pidfile= is above it', () => {
    const { s, d } = run(
      sh('#!/sbin/openrc-run', 'pidfile=/run/food.pid', 'command=/usr/sbin/food', 'command_args="-v"'),
    );
    expect(placed(s, d).lateLines).toEqual([COMMENT, GUARD]);
    expect(placed(s, d).extraEdits).toEqual([]);
  });

  test('a file without a final newline gets one before the lines', () => {
    const { s, d } = run('#!/sbin/openrc-run\ncommand=/usr/sbin/food\npidfile=/run/food.pid');
    expect(applied(s, placed(s, d).extraEdits)).toBe(
      sh('#!/sbin/openrc-run', 'command=/usr/sbin/food', 'pidfile=/run/food.pid', COMMENT, GUARD),
    );
  });

  test('a rule naming the built-in pid file wins even over --make-pidfile', () => {
    const { d } = run(
      sh('#!/sbin/openrc-run', 'command=/usr/sbin/food', 'command_background=yes', 'pidfile=/run/food.pid'),
      { rule: rule({ ownPidfile: '/var/run/food.pid' }) },
    );
    expect(d.notes).toEqual([RULE_NOTE('/var/run/food.pid')]);
    const { d: any } = run(
      sh('#!/sbin/openrc-run', 'command=/usr/sbin/food', 'command_background=yes', 'pidfile=/run/x.pid'),
      {
        rule: rule({ ownPidfile: '*' }),
      },
    );
    expect(any.notes).toEqual([RULE_NOTE('a pid file')]);
  });

  test('a pidfile read only by a call the signals step rewrites does not count as read', () => {
    const text = sh(
      '#!/sbin/openrc-run',
      'command=/usr/sbin/food',
      'pidfile=/run/food.pid',
      'reload() {',
      '\tstart-stop-daemon --signal HUP --pidfile "${pidfile}"',
      '}',
    );
    const s = service(text, null, 'food');
    const call = s.initd.commands.find((c) => c.name === 'start-stop-daemon')!;
    const d = draft({ signalEdits: [{ file: 'etc/init.d/food', start: call.start, end: call.end, text: 'x' }] });
    pidfileStep(ctx(s), d);
    expect(placed(s, d).extraEdits).toHaveLength(1);
    // Without that rewrite, reload() reads pidfile: neither choice is safe, so a refusal.
    const { d: plain, r } = run(text);
    expect(plain.relocation).toBeUndefined();
    expect(r).toMatchObject({ kind: 'refuse', code: 'dynamic' });
    expect(r && r.reason).toContain('reload() reads pidfile');
  });
});

describe('no relocation', () => {
  test('start-stop-daemon made the pid file: nothing moves for a curated rule (researched)', () => {
    for (const line of [
      'command_background=yes',
      'start_stop_daemon_args="--make-pidfile"',
      'start_stop_daemon_args="-bm"',
      // A unique prefix getopt_long takes (Alpine's aports-build).
      'start_stop_daemon_args="--background --make-pid"',
    ]) {
      const { d } = run(sh('#!/sbin/openrc-run', 'command=/usr/sbin/food', line, 'pidfile=/run/food.pid'), {
        rule: rule({ origin: 'curated' }),
      });
      untouched(d);
      expect(d.warnings).toEqual([]);
    }
  });

  // --make-pidfile proves the daemon does not fork, not that it writes no pid file there
  // (atop, lxcfs and salt-syndic do): without a curated rule the supervisor gets its own.
  test('start-stop-daemon made the pid file, no curated rule: the supervisor still gets its own', () => {
    const { s, d } = run(
      sh('#!/sbin/openrc-run', 'command=/usr/sbin/food', 'command_background=yes', 'pidfile=/run/food.pid'),
    );
    expect(applied(s, placed(s, d).extraEdits)).toBe(
      sh(
        '#!/sbin/openrc-run',
        'command=/usr/sbin/food',
        'command_background=yes',
        'pidfile=/run/food.pid',
        COMMENT,
        GUARD,
      ),
    );
  });

  /** A script whose pid file nothing makes (no command_background, no flag), under a knowledge entry. */
  const unmade = (over: Partial<ServiceRule>) =>
    run(sh('#!/sbin/openrc-run', 'command=/usr/sbin/food', 'pidfile=/run/food.pid'), {
      rule: rule({ origin: 'knowledge', ...over }),
    });

  test('start-stop-daemon made the pid file and a knowledge entry says the daemon writes none unless told', () => {
    const script = sh(
      '#!/sbin/openrc-run',
      'command=/usr/sbin/food',
      'command_background=yes',
      'pidfile=/run/food.pid',
    );
    const { d } = run(script, { rule: rule({ origin: 'knowledge', noOwnPidfile: true }) });
    untouched(d);
    // A knowledge entry without that fact settles nothing: the supervisor gets its own.
    expect(run(script, { rule: rule({ origin: 'knowledge' }) }).d.notes).toEqual([NOTE]);
    // The pid file made by nobody (no command_background): the fact does not help, and the
    // comment and note say what is odd instead of "nothing says".
    const r = unmade({ noOwnPidfile: true });
    // No option names a pid file (pinenote_dbus_service): it writes none at all.
    expect(r.d.notes).toEqual([
      'the script names a pid file that neither a flag tells food to write (rule foo: it writes none in the foreground) nor start-stop-daemon makes, so something else may write it: under supervise-daemon the supervisor keeps its pid in /run/supervise-${RC_SVCNAME}.pid instead',
    ]);
    expect(r.d.relocation?.lines).toEqual([
      "# nothing here writes the script's pid file (food: it writes none in the foreground): supervise-daemon keeps one of its own",
      GUARD,
    ]);
    // With a pid file option (not passed here): one only where told.
    const told = unmade({ noOwnPidfile: true, backgroundFlags: [{ flag: '-p', value: true, why: 'pidfile' }] });
    expect(told.d.notes[0]).toContain('(rule foo: it writes one only where told)');
  });

  // silcd: it writes its pid file only when it forks, but exits at start when that file names a
  // live process, so the supervisor's pid must be elsewhere: said so, not "nothing says".
  test('a daemon that takes its pid file as a lock: the note says why the supervisor moves', () => {
    const r = unmade({ pidfileLock: true });
    expect(r.d.notes).toEqual([
      "food reads its pid file at start and exits when it names a live process (rule foo), so the supervisor's pid must not be there: under supervise-daemon the supervisor keeps its pid in /run/supervise-${RC_SVCNAME}.pid instead",
    ]);
    expect(r.d.relocation?.lines).toEqual([
      '# food exits at start when its pid file names a live process: supervise-daemon keeps one of its own',
      GUARD,
    ]);
  });

  test('a converted start() ran --background --make-pidfile: the relocation follows its pidfile= line', () => {
    const s = service(
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '\tstart-stop-daemon --start -b -m --pidfile /run/food.pid --exec /usr/sbin/food',
        '}',
      ),
      null,
      'food',
    );
    const d = draft();
    expect(customStartStep(ctx(s), d)).toBeUndefined();
    pidfileStep(ctx(s), d);
    expect(d.lateLines).toEqual([COMMENT, GUARD]);
  });

  // Told where by a flag that is for start-stop-daemon only now: without it the daemon may
  // write its default pid file, which may be the supervisor's path (babeld: /var/run/babeld.pid,
  // and it will not start while that file exists). Only knowledge of the daemon settles it.
  test('the daemon was told where (a pidfile flag moved now, or split already), and a curated rule or noOwnPidfile says it writes nothing else', () => {
    const curated = rule({ origin: 'curated' });
    const entry = rule({ origin: 'knowledge', noOwnPidfile: true });
    for (const r of [curated, entry]) {
      const moved = run(sh('#!/sbin/openrc-run', 'command=/usr/sbin/food', 'pidfile=/run/food.pid'), {
        d: draft({ movedText: '-p ${pidfile}' }),
        rule: r,
      });
      untouched(moved.d);
      const split = run(
        sh(
          '#!/sbin/openrc-run',
          'command=/usr/sbin/food',
          'pidfile=/run/food.pid',
          'command_args_background="--pid=${pidfile}"',
        ),
        { rule: r },
      );
      untouched(split.d);
    }
    const byRule = run(sh('#!/sbin/openrc-run', 'command=/usr/sbin/food', 'pidfile=/run/food.pid'), {
      d: draft({ movedText: '--pid-file /run/food.pid' }),
      rule: rule({ origin: 'curated', backgroundFlags: [{ flag: '--pid-file', value: true, why: 'pidfile' }] }),
    });
    untouched(byRule.d);
    // pop-before-smtp: --daemon=PATH forks and names the file; the path among the moved words tells it.
    const byPath = (r: ReturnType<typeof rule>, movedText: string) =>
      run(sh('#!/sbin/openrc-run', 'command=/usr/sbin/food', 'pidfile=/var/run/food.pid'), {
        d: draft({ movedText }),
        rule: r,
      }).d;
    untouched(byPath(entry, '--daemon=/var/run/food.pid'));
    // ... only the script's own path, and only with knowledge that the daemon writes none else
    expect(byPath(entry, '--daemon=/var/run/other.pid').relocation?.lines[1]).toBe(GUARD);
    expect(byPath(rule({ origin: 'knowledge' }), '--daemon=/var/run/food.pid').relocation?.lines[1]).toBe(GUARD);
  });

  test('told where, but nothing says the daemon writes no default pid file (babeld): the supervisor gets its own', () => {
    for (const r of [undefined, rule({ origin: 'knowledge' })]) {
      const { d } = run(sh('#!/sbin/openrc-run', 'command=/usr/sbin/food', 'pidfile=/run/food.pid'), {
        d: draft({ movedText: '-I ${pidfile}' }),
        rule: r,
      });
      expect(d.relocation?.lines[1]).toBe(GUARD);
    }
  });

  test('the foreground words tell the daemon about a pid file', () => {
    const { d } = run(sh('#!/sbin/openrc-run', 'command=/usr/sbin/food', 'pidfile=/run/food.pid'), {
      d: draft({ foreground: '-f --pidfile=/run/food-child.pid' }),
    });
    untouched(d);
  });

  // sshd.rc6's SSHD_OPTS keeps `-o PidFile=...` (flags step: pidfileKept), and the daemon takes
  // the first PidFile it reads: the foreground's `-o PidFile=none`, after command_args, may not
  // be the one it keeps, so the supervisor still gets a pid file of its own.
  test('foreground words naming a pid file settle nothing when a pid file word stays in the arguments', () => {
    const { s, d } = run(sh('#!/sbin/openrc-run', 'command=/usr/sbin/food', 'pidfile=/run/food.pid'), {
      d: draft({ foreground: '-D -o PidFile=none', pidfileKept: true }),
      rule: rule({ ownPidfile: '/run/food.pid' }),
    });
    expect(d.notes).toEqual([RULE_NOTE('/run/food.pid')]);
    expect(applied(s, placed(s, d).extraEdits)).toContain(GUARD);
  });

  test('no pidfile, an empty one, or ours already', () => {
    untouched(run(sh('#!/sbin/openrc-run', 'command=/usr/sbin/food')).d);
    untouched(run(sh('#!/sbin/openrc-run', 'command=/usr/sbin/food', 'pidfile=""')).d);
    untouched(run(sh('#!/sbin/openrc-run', 'command=/usr/sbin/food', 'pidfile=/var/run/supervise-food.pid')).d);
  });

  test('a pidfile set only in conf.d: warned (as what is not known), init.d not changed', () => {
    const { d } = run(sh('#!/sbin/openrc-run', 'command=/usr/sbin/food'), { confd: 'pidfile=/run/food.pid\n' });
    expect(d.warnings).toEqual([
      "nothing says food writes no pid file at /run/food.pid; if it does, that is the supervisor's pidfile too (stop would end only the daemon, and its supervisor would respawn it), and pidfile is set where rc-supervise does not give the supervisor another (conf.d, or a default like : ${pidfile:=...})",
    ]);
    expect(d.relocation).toBeUndefined();
    expect(d.lateLines).toEqual([]);
  });

  const reading = (...body: string[]) =>
    sh('#!/sbin/openrc-run', 'command=/usr/sbin/food', 'pidfile=/run/food/food.pid', 'start_pre() {', ...body, '}');

  // Modelled on tinyproxy's and radiusd's start_pre(): the directory of the daemon's own pid file.
  test("a function that only makes the pid file's place reads it as ${daemon_pidfile}, set before the supervisor gets its own", () => {
    const { s, d, r } = run(reading('\tcheckpath -d -o food "${pidfile%/*}"'));
    expect(r).toBeUndefined();
    expect(d.relocation!.lines).toEqual([
      "# nothing says food writes no pid file at the script's path: supervise-daemon keeps one of its own",
      "# start_pre() reads the script's pid file as ${daemon_pidfile}",
      'daemon_pidfile=${pidfile}',
      'if [ "${supervisor}" = supervise-daemon ]; then pidfile="/run/supervise-${RC_SVCNAME}.pid"; fi',
    ]);
    expect(applyEdits(s.initd.text, d.extraEdits)).toContain('\tcheckpath -d -o food "${daemon_pidfile%/*}"\n');
    expect(d.notes).toContain(
      "start_pre() reads the script's pid file, now as ${daemon_pidfile}: pidfile is the supervisor's under supervise-daemon",
    );
  });

  // fcron's start_pre() compares it with the default instance's: what it reads, not its place.
  test('a function reading more than its place: aliased only when a rule says the daemon writes that file', () => {
    const compares = reading('\t[ "${pidfile}" = /run/food.pid ] && return 1');
    const unknown = run(compares);
    expect(unknown.r).toMatchObject({ kind: 'refuse', code: 'dynamic' });
    expect(unknown.r && unknown.r.reason).toContain(
      'start_pre() reads pidfile, so the supervisor cannot simply be given another one (nothing says the daemon writes it also in the foreground, and start_pre() reads it)',
    );
    expect(unknown.d.relocation).toBeUndefined();
    expect(unknown.d.extraEdits).toEqual([]);
    const writes = run(compares, { rule: rule({ ownPidfile: '*', origin: 'curated' }) });
    expect(writes.r).toBeUndefined();
    expect(applyEdits(writes.s.initd.text, writes.d.extraEdits)).toContain('[ "${daemon_pidfile}" = /run/food.pid ]');
  });

  test.each([
    [
      'a function sets pidfile itself (nsd)',
      reading('\tpidfile=$(food --print-pidfile)', '\tcheckpath -d "${pidfile%/*}"'),
      'start_pre() sets pidfile itself',
    ],
    [
      'a function sets pidfile, and no line at the top does (nsd: the reason said is the function)',
      sh(
        '#!/sbin/openrc-run',
        'command=/usr/sbin/food',
        'start_pre() {',
        '\tpidfile=$(food --print-pidfile)',
        '\tcheckpath -d "${pidfile%/*}"',
        '}',
      ),
      'start_pre() sets pidfile itself',
    ],
    [
      'the name is taken',
      reading('\tdaemon_pidfile=x; checkpath -d "${pidfile%/*}"'),
      'the script already uses daemon_pidfile',
    ],
    [
      'a reference the shell does not expand',
      reading("\tcheckpath -d 'at ${pidfile%/*}'"),
      'start_pre() names it where the shell does not expand it',
    ],
  ])('refused when %s', (_what, initd, why) => {
    const { r, d } = run(initd);
    expect(r && r.reason).toContain(`reads pidfile, so the supervisor cannot simply be given another one (${why})`);
    expect(d.extraEdits).toEqual([]);
  });

  // An edit never lands in a here-document: one that expands pidfile (a usage text, a
  // generated configuration) would read the supervisor's file.
  test('refused when a here-document expands it', () => {
    const heredoc = reading(
      '\tcheckpath -d "${pidfile%/*}"',
      '\tcat > /run/food/food.conf <<EOF',
      'pid ${pidfile}',
      'EOF',
    );
    const { r, d } = run(heredoc, { rule: rule({ ownPidfile: '*', origin: 'curated' }) });
    expect(r && r.reason).toContain(
      'reads pidfile, so the supervisor cannot simply be given another one (start_pre() reads it in a here-document)',
    );
    expect(d.extraEdits).toEqual([]);
  });

  // An overlay's mpd (round 8): a curated rule no longer migrates with a warning here; it
  // follows the same rules as a knowledge entry.
  test('a curated rule that only may write it: refused as for a knowledge entry', () => {
    const curated = run(reading('\t[ "${pidfile}" = /run/food.pid ] && return 1'), {
      rule: rule({ origin: 'curated' }),
    });
    expect(curated.r && curated.r.reason).toContain(
      'reads pidfile, so the supervisor cannot simply be given another one (nothing says the daemon writes it also in the foreground, and start_pre() reads it)',
    );
    expect(curated.d.warnings).toEqual([]);
  });
});

// Modelled on minecraft-server's and vintagestory-server's attach(): dtach -N started with
// command_background, and attach() takes the pid from the pid file start-stop-daemon made to find
// dtach's socket in /proc/<pid>/cmdline. Under supervise-daemon that pid is the child_pid value.
describe('an extra started command reading the pid start-stop-daemon made', () => {
  const script = (read: string, more: string[] = []) =>
    sh(
      '#!/sbin/openrc-run',
      'command=/usr/bin/food',
      'command_background="true"',
      'command_args="-N /tmp/food.sock"',
      'pidfile=/run/food.pid',
      'extra_started_commands="attach"',
      ...more,
      'attach() {',
      `\tpid="${read}"`,
      '\tsock="$(tr "\\0" " " < /proc/${pid}/cmdline | cut -d" " -f3)"',
      '}',
    );
  const CHILD =
    '$(if [ "${supervisor}" = supervise-daemon ]; then service_get_value child_pid; else cat "${daemon_pidfile}"; fi)';

  test.each([['$(cat ${pidfile})'], ['$(cat "${pidfile}")'], ['$( cat $pidfile )']])(
    "%s: the supervisor's child_pid under supervise-daemon, the pid file under start-stop-daemon",
    (read) => {
      const { s, d, r } = run(script(read));
      expect(r).toBeUndefined();
      expect(d.relocation!.lines).toEqual([
        COMMENT,
        "# attach() reads the script's pid file as ${daemon_pidfile}",
        'daemon_pidfile=${pidfile}',
        GUARD,
      ]);
      expect(applyEdits(s.initd.text, d.extraEdits)).toContain(`\tpid="${CHILD}"\n`);
      expect(d.notes.join('\n')).toContain(
        "attach() reads the daemon's pid from the pid file start-stop-daemon made (the pid of the process it started): under supervise-daemon from the supervisor's child_pid (service_get_value child_pid)",
      );
    },
  );

  test.each([
    // Not made by start-stop-daemon: the daemon's own file, which it may not write in the foreground.
    ["the pid file is the daemon's own", script('$(cat ${pidfile})').replace('command_background="true"\n', '')],
    // Run also while the service is stopped, or not an extra command at all.
    ['a command run while stopped', script('$(cat ${pidfile})').replace('extra_started_commands', 'extra_commands')],
    // Not the pid itself: a test of the file.
    ['another read', script('$(head -n1 ${pidfile})')],
  ])('refused as before when %s', (_what, initd) => {
    const { r, d } = run(initd);
    expect(r && r.reason).toContain('reads pidfile, so the supervisor cannot simply be given another one');
    expect(d.extraEdits).toEqual([]);
  });
});

// autofs: `-p ${PIDFILE}` moved to command_args_background, so under the supervisor the
// daemon never writes PIDFILE; a reload reading it would always fail.
describe('a function reading a pid file only a moved flag made the daemon write', () => {
  const script = (reload: string[]) =>
    sh(
      '#!/sbin/openrc-run',
      'PIDFILE=/run/food.pid',
      'command=/usr/sbin/food',
      'command_args="-p ${PIDFILE}"',
      'start_pre() {',
      '\tcheckpath -d "${PIDFILE%/*}"',
      '}',
      'reload() {',
      ...reload,
      '}',
    );
  const withMoved = () => {
    const d = draft();
    d.movedText = '-p ${PIDFILE}';
    return d;
  };

  test('refused, naming the function and the flag', () => {
    const { r } = run(script(['\tkill -s HUP $(cat "${PIDFILE}")']), { d: withMoved() });
    expect(r && r.reason).toBe(
      'reload() reads PIDFILE, the pid file the daemon writes only when told (-p ${PIDFILE}, now for start-stop-daemon only): under the supervisor that file is never written',
    );
  });

  test('making or cleaning its place does not count, nor a test that only guards removing it', () => {
    expect(run(script(['\trm -f "${PIDFILE}"']), { d: withMoved() }).r).toBeUndefined();
    // rsyslog's stop_post() removes a stale pid file.
    expect(
      run(script(['\tif [ -f "${PIDFILE}" ]; then', '\t\trm --force "${PIDFILE}"', '\tfi']), { d: withMoved() }).r,
    ).toBeUndefined();
  });

  // spindownd's checkconfig(): a stale file is reported by name, waited on and removed; under
  // the supervisor it is never there, and the messages naming it read nothing from it.
  test('a message that only names the file does not count; one reading it does', () => {
    const stale = (msg: string) => [
      '\tif [ -f "${PIDFILE}" ]; then',
      `\t\t${msg}`,
      '\t\tsleep 10',
      '\t\tif ! rm -f "${PIDFILE}"; then',
      '\t\t\teerror "Failed to remove the pidfile (${PIDFILE})"',
      '\t\t\treturn 1',
      '\t\tfi',
      '\tfi',
    ];
    expect(run(script(stale('ewarn "The pidfile (${PIDFILE}) exists"')), { d: withMoved() }).r).toBeUndefined();
    for (const msg of ['ewarn "pid $(cat ${PIDFILE})"', 'echo "${PIDFILE}" > /run/food.last'])
      expect(run(script(stale(msg)), { d: withMoved() }).r?.reason).toBe(
        'reload() reads PIDFILE, the pid file the daemon writes only when told (-p ${PIDFILE}, now for start-stop-daemon only): under the supervisor that file is never written',
      );
  });

  // vnstatd: pidfile="${VNSTATD_PIDFILE}", and reload() reads VNSTATD_PIDFILE itself. A signal
  // call the signals step rewrites no longer reads it; any other reading counts.
  test('a variable that is also pidfile: its signal call rewritten is fine, another reading is refused', () => {
    const aliased = (body: string) =>
      sh('#!/sbin/openrc-run', 'PIDFILE=/run/food.pid', 'pidfile="${PIDFILE}"', 'reload() {', body, '}');
    const go = (text: string) => {
      const s = service(text, null, 'food');
      const d = withMoved();
      expect(signalsStep(ctx(s), d)).toBeUndefined();
      return pidfileStep(ctx(s), d);
    };
    expect(go(aliased('\tkill -HUP $(cat "${PIDFILE}")'))?.reason ?? '').not.toContain(
      'the pid file the daemon writes only when told',
    );
    expect(go(aliased('\t[ -f "${PIDFILE}" ] || return 1'))?.reason).toBe(
      'reload() reads PIDFILE, the pid file the daemon writes only when told (-p ${PIDFILE}, now for start-stop-daemon only): under the supervisor that file is never written',
    );
  });
});

// dnsmasq's logrotate signals the daemon through /var/run/dnsmasq.pid: that file must stay
// the daemon's (a rule says it writes it; the supervisor gets its own) or the service is refused.
describe('a file on the root signalling through the pid file (etc/logrotate.d)', () => {
  const script = sh('#!/sbin/openrc-run', 'command=/usr/sbin/food', 'pidfile=/run/food.pid');
  const readers = [
    { path: 'etc/logrotate.d/food', text: 'postrotate\n\tkill -USR2 $(cat /var/run/food.pid)\nendscript\n' },
  ];
  const go = (r?: ServiceRule) => {
    const s = service(script, null, 'food');
    const d = draft();
    return { s, d, r: pidfileStep({ ...ctx(s, { rule: r }), pidfileReaders: readers }, d) };
  };

  test('refused when nothing says the daemon writes it by itself', () => {
    expect(go().r?.reason).toBe(
      "etc/logrotate.d/food signals the daemon through /run/food.pid, which under supervise-daemon would be the supervisor's pid file (or a file nobody writes)",
    );
  });

  // dnsmasq: its rule says it writes /run/dnsmasq.pid, but the rule's own foreground words
  // (a bare --pid-file) make it write none: logrotate's USR2 would reach the supervisor.
  test('a rule saying the daemon writes it, but foreground words that name a pid file: refused', () => {
    const s = service(script, null, 'food');
    const d = draft({ foreground: '--keep-in-foreground --pid-file' });
    const r = pidfileStep({ ...ctx(s, { rule: rule({ ownPidfile: '/run/food.pid' }) }), pidfileReaders: readers }, d);
    expect(r?.reason).toBe(
      "etc/logrotate.d/food signals the daemon through /run/food.pid, which under supervise-daemon would be the supervisor's pid file (or a file nobody writes)",
    );
  });

  // polipo's weekly cron job builds the path per instance: "/var/run/polipo${myname}.pid".
  test('a path built from the pid file stem and an expansion or glob counts; another daemon of a longer name does not', () => {
    const s = service(script, null, 'food');
    const go2 = (text: string) =>
      pidfileStep({ ...ctx(s), pidfileReaders: [{ path: 'etc/cron.weekly/food', text }] }, draft());
    expect(go2('kill -USR1 $(cat "/var/run/food${myname}.pid")\n')?.reason).toContain(
      'etc/cron.weekly/food signals the daemon through /run/food.pid',
    );
    expect(go2('kill -HUP $(cat /run/food*.pid)\n')?.reason).toContain('signals the daemon through /run/food.pid');
    expect(go2('kill -HUP $(cat /run/foodie.pid)\n')?.reason ?? '').not.toContain('etc/cron.weekly/food');
  });

  // poolmon: start()'s `local pidfile=/run/poolmon.pid` names the file of `--pidfile "${pidfile}"`;
  // the conversion hoists it, and the reader is found at once, not only when run again.
  test('a pid file named by a variable start() set, hoisted by the conversion: refused at once', () => {
    const s = service(sh('#!/sbin/openrc-run', 'start() {', '\t:', '}'), null, 'food');
    const d = draft();
    d.converted = {
      command: '/usr/sbin/food',
      args: [],
      hoist: ['pidfile=/var/run/food.pid'],
      deferred: [],
      lines: ['pidfile="${pidfile}"'],
      edits: [],
      backgroundMakePidfile: false,
      notes: [],
    };
    expect(pidfileStep({ ...ctx(s), pidfileReaders: readers }, d)?.reason).toBe(
      "etc/logrotate.d/food signals the daemon through /var/run/food.pid, which under supervise-daemon would be the supervisor's pid file (or a file nobody writes)",
    );
  });

  test("a rule saying the daemon writes it: the supervisor gets its own, the file stays the daemon's", () => {
    const { r, d } = go(rule({ ownPidfile: '/run/food.pid' }));
    expect(r).toBeUndefined();
    expect(d.notes).toEqual([RULE_NOTE('/run/food.pid')]);
  });
});

// transmission-daemon: start_pre() builds command_args with `--pid-file ${pidfile}`. That word only
// tells the daemon where to write: as ${daemon_pidfile} it never names the supervisor's file.
describe("a function passing pidfile as the value of the daemon's pid file flag", () => {
  const passing = (line: string) =>
    sh(
      '#!/sbin/openrc-run',
      'command=/usr/bin/food',
      'pidfile=${pidfile:-/run/food/food.pid}',
      'start_pre() {',
      line,
      '\tcommand_args="${command_args} ${FOOD_OPTS}"',
      '}',
    );
  const flagRule = rule({ backgroundFlags: [{ flag: '--pid-file', value: true, why: 'pidfile' }] });

  test('aliased to ${daemon_pidfile}, with no rule saying the daemon writes it', () => {
    const { s, d, r } = run(passing('\tcommand_args="--config-dir /etc/food --pid-file ${pidfile}"'), {
      rule: flagRule,
    });
    expect(r).toBeUndefined();
    expect(applyEdits(s.initd.text, d.extraEdits)).toContain('--pid-file ${daemon_pidfile}"');
    expect(d.relocation!.lines).toContain('daemon_pidfile=${pidfile}');
    // Joined with '=' too.
    const joined = run(passing('\tcommand_args="--pid-file=${pidfile}"'), { rule: flagRule });
    expect(joined.r).toBeUndefined();
  });

  test('refused when the word is not the value of a pid file flag of its rule', () => {
    for (const [line, more] of [
      ['\tcommand_args="--log ${pidfile}"', { rule: flagRule }],
      ['\tcommand_args="--pid-file ${pidfile}"', {}],
      ['\tcommand_args="--pid-file ${pidfile}"; cat "${pidfile}"', { rule: flagRule }],
    ] as const) {
      const { r } = run(passing(line), more);
      expect(r && r.reason).toContain(
        'nothing says the daemon writes it also in the foreground, and start_pre() reads it',
      );
    }
  });
});

// OpenRC sources init.d after conf.d: a line in init.d below every top-level statement that sets
// pidfile gives the supervisor its own whatever conf.d, a default or an if/else says.
describe('a rule saying the daemon writes it, pidfile not set by a plain line of init.d', () => {
  const own = { rule: rule({ ownPidfile: '/run/food.pid' }) };
  const RULE_COMMENT = '# food writes /run/food.pid itself: supervise-daemon needs a pid file of its own';

  test('only in conf.d: the supervisor gets its own in the block', () => {
    const { s, d, r } = run(sh('#!/sbin/openrc-run', 'command=/usr/sbin/food', '', 'depend() {', '\tneed net', '}'), {
      ...own,
      confd: 'pidfile=/run/food.pid\n',
    });
    expect(r).toBeUndefined();
    expect(d.relocation!.at).toBe(0);
    expect(placed(s, d).lateLines).toEqual([RULE_COMMENT, GUARD]);
    expect(d.notes).toEqual([RULE_NOTE('/run/food.pid')]);
  });

  // miniupnpd: `: "${pidfile:=/var/run/miniupnpd.pid}"`, overridable in conf.d.
  test('a default (: ${pidfile:=...}): the supervisor gets its own below it', () => {
    const { s, d, r } = run(
      sh(
        '#!/sbin/openrc-run',
        'command=/usr/sbin/food',
        ': "${pidfile:=/run/food.pid}"',
        'command_args="-v"',
        '',
        'depend() {',
        '\tneed net',
        '}',
      ),
      own,
    );
    expect(r).toBeUndefined();
    // Below the default, and the block (which lands below it) holds the lines.
    expect(s.initd.text.slice(0, d.relocation!.at).trimEnd().endsWith(': "${pidfile:=/run/food.pid}"')).toBe(true);
    expect(placed(s, d).lateLines).toEqual([RULE_COMMENT, GUARD]);
  });

  // lcd4linux: one pid file per instance, chosen in a top-level if/else.
  test('in each branch of a top-level if/else: below the whole statement', () => {
    const { s, d, r } = run(
      sh(
        '#!/sbin/openrc-run',
        'if [ "${RC_SVCNAME}" = food ]; then',
        '\tpidfile=/run/food.pid',
        'else',
        '\tpidfile="/run/food.${RC_SVCNAME#food.}.pid"',
        'fi',
        'command=/usr/sbin/food',
        '',
        'depend() {',
        '\tneed net',
        '}',
      ),
      { rule: rule({ ownPidfile: '*' }) },
    );
    expect(r).toBeUndefined();
    expect(s.initd.text.slice(0, d.relocation!.at).trimEnd().endsWith('.pid"\nfi')).toBe(true);
    expect(placed(s, d).lateLines).toEqual([
      '# food writes a pid file itself: supervise-daemon needs a pid file of its own',
      GUARD,
    ]);
  });

  // A plain line, then an if that may set it again: below the if, or the if would undo it.
  test('a plain line, then a top-level if that sets it again: below the if', () => {
    const { s, d } = run(
      sh(
        '#!/sbin/openrc-run',
        'command=/usr/sbin/food',
        'pidfile=/run/food.pid',
        'if [ -n "${other}" ]; then',
        '\tpidfile=/run/food-other.pid',
        'fi',
        '',
        'depend() {',
        '\tneed net',
        '}',
      ),
      own,
    );
    expect(applied(s, placed(s, d).extraEdits)).toContain(sh('fi', RULE_COMMENT, GUARD, ''));
  });

  // nsd: start_pre() sets pidfile from the daemon's configuration, after any line at the top.
  // It ends by giving the supervisor its own, unless that would hide the status it returns.
  test('a function sets it: the supervisor gets its own at the end of start_pre(), or refused saying why', () => {
    const fn = (...body: string[]) =>
      sh('#!/sbin/openrc-run', 'command=/usr/sbin/food', '', 'start_pre() {', ...body, '}');
    const { r } = run(fn('\tpidfile="$(food-conf pidfile)"'), own);
    expect(r && r.reason).toContain(
      'start_pre() ends with a line whose status OpenRC\'s start acts on (pidfile="$(food-conf pidfile)")',
    );
    const ok = run(fn('\tpidfile="$(food-conf pidfile)"', '\tcheckpath -d "${pidfile%/*}" || return 1'), own);
    expect(ok.r).toBeUndefined();
    expect(ok.d.pidfileSetAtStart).toEqual(['start_pre']);
    expect(ok.d.relocation).toBeUndefined();
    expect(applyEdits(ok.s.initd.text, ok.d.extraEdits)).toBe(
      fn(
        '\tpidfile="$(food-conf pidfile)"',
        '\tcheckpath -d "${pidfile%/*}" || return 1',
        '\t# rc-supervise: food writes this pid file itself: supervise-daemon keeps one of its own',
        `\t${GUARD}`,
      ),
    );
  });
});

// razerd: the supervisor opens its pid file before the daemon runs, in /run/razerd, which only
// the daemon creates: the supervisor gets its own unless the script makes the directory first.
test('a pid file in a directory only the daemon creates: the supervisor gets its own', () => {
  const made = sh(
    '#!/sbin/openrc-run',
    'command=/usr/sbin/food',
    'command_background=yes',
    'pidfile=/run/food/food.pid',
  );
  const { d } = run(made, { rule: rule({ origin: 'curated' }) });
  expect(d.relocation).toBeDefined();
  // The reason said is the directory, not a pid file the curated rule says it does not write there.
  expect(d.relocation!.lines[0]).toBe(
    '# nothing makes /run/food before supervise-daemon writes its pid file: it keeps one of its own',
  );
  expect(d.notes).toContain(
    'nothing in the script makes /run/food, where the pid file would be, before supervise-daemon writes it (the daemon or its package makes it): under supervise-daemon the supervisor keeps its pid in /run/supervise-${RC_SVCNAME}.pid instead',
  );
  const withDir = made + sh('start_pre() {', '\tcheckpath -d /run/food', '}');
  expect(run(withDir, { rule: rule({ origin: 'curated' }) }).d.relocation).toBeUndefined();
  // fiche's checkconfig(): the directory through a variable that holds it.
  const viaVar = sh(
    '#!/sbin/openrc-run',
    'command=/usr/sbin/food',
    'command_background=yes',
    'PID_DIR=${PID_DIR:-/run/${RC_SVCNAME}}',
    'pidfile=${PID_DIR}/food.pid',
    'start_pre() {',
    '\tcheckpath -q -d -m 0755 ${PID_DIR}',
    '}',
  );
  expect(run(viaVar, { rule: rule({ origin: 'curated' }) }, 'food').d.relocation).toBeUndefined();
  expect(
    run(viaVar.replace('${PID_DIR}\n}', '/run/other\n}'), { rule: rule({ origin: 'curated' }) }, 'food').d.relocation,
  ).toBeDefined();
});

// snort: start() ran `food --pid-path /run/food -D`, stop() found it by
// --pidfile /run/food/food_${IFACE}.pid, and reload() checks that file before signalling. The
// daemon writes it only in daemon mode, or where --pid-path tells it: once both words are for
// start-stop-daemon only, nothing writes it under the supervisor and reload() always fails.
describe('a function reading the pid file a converted stop() found the daemon by', () => {
  const script = (reload: string[]) =>
    sh(
      '#!/sbin/openrc-run',
      'extra_started_commands="reload"',
      'start() {',
      '\tebegin "Starting food"',
      '\tstart-stop-daemon --start --exec /usr/sbin/food -- --pid-path /run/food -D -i ${IFACE}',
      '\teend $?',
      '}',
      'stop() {',
      '\tebegin "Stopping food"',
      '\tstart-stop-daemon --stop --pidfile /run/food/food_${IFACE}.pid',
      '\teend $?',
      '}',
      'reload() {',
      ...reload,
      '}',
    );
  const pidFlag = { flag: '--pid-path', value: true, why: 'pidfile' as const };
  const daemonize = { flag: '-D', why: 'daemonize' as const };
  const go = (text: string, r: ServiceRule, moved: string) => {
    const s = service(text, 'IFACE=eth0\n', 'food');
    const d = draft();
    const c = ctx(s, { rule: r });
    expect(customStartStep(c, d)).toBeUndefined();
    d.movedText = moved; // what the foreground step moves to command_args_background
    return pidfileStep(c, d);
  };
  const guarded = [
    '\tif [ ! -f /run/food/food_${IFACE}.pid ]; then',
    '\t\treturn 1',
    '\tfi',
    '\tstart-stop-daemon --signal HUP --pidfile /run/food/food_${IFACE}.pid',
  ];

  test('refused when the pid flag moved, naming the function, the file and the flags', () => {
    const r = go(
      script(guarded),
      rule({ id: 'food', daemons: ['food'], backgroundFlags: [daemonize, pidFlag] }),
      '--pid-path /run/food -D',
    );
    expect(r).toMatchObject({ kind: 'refuse', code: 'dynamic' });
    expect(r && r.reason).toBe(
      'reload() reads /run/food/food_${IFACE}.pid, the pid file stop() found the daemon by; food writes it only where a flag tells it (--pid-path /run/food -D, now for start-stop-daemon only): under the supervisor that file is never written',
    );
  });

  test('refused when the rule says the daemon writes a pid file only where told, even with no pid flag moved', () => {
    const r = go(
      script(guarded),
      rule({ id: 'food', daemons: ['food'], backgroundFlags: [daemonize], noOwnPidfile: true }),
      '-D',
    );
    expect(r && r.reason).toContain('writes it only in daemon mode (its rule says so)');
  });

  test('not refused when the rule says the daemon writes that file itself, or when only the signal read it', () => {
    const writes = rule({ id: 'food', daemons: ['food'], backgroundFlags: [daemonize, pidFlag], ownPidfile: '*' });
    expect(go(script(guarded), writes, '--pid-path /run/food -D')?.reason ?? '').not.toContain(
      'stop() found the daemon by',
    );
    // The signal call alone is rewritten by the signals step; without the test nothing reads the file.
    const plain = rule({ id: 'food', daemons: ['food'], backgroundFlags: [daemonize, pidFlag] });
    expect(go(script(['\trm -f /run/food/food_${IFACE}.pid']), plain, '--pid-path /run/food -D')).toBeUndefined();
  });

  // spindownd's checkconfig(): a stale file is tested for, reported and removed. Under the
  // supervisor it is never there; nothing needs the daemon to have written it.
  test('a test that only guards removing the stale file, and messages naming it, are not readings', () => {
    const plain = rule({ id: 'food', daemons: ['food'], backgroundFlags: [daemonize, pidFlag] });
    const cleanup = [
      '	if [ -f /run/food/food_${IFACE}.pid ]; then',
      '		ewarn "Removing the stale /run/food/food_${IFACE}.pid"',
      '		rm -f /run/food/food_${IFACE}.pid',
      '	fi',
    ];
    expect(go(script(cleanup), plain, '--pid-path /run/food -D')).toBeUndefined();
    // Without the removal the test is a reading.
    expect(go(script([cleanup[0], '		return 1', cleanup[3]]), plain, '--pid-path /run/food -D')?.reason).toContain(
      'the pid file stop() found the daemon by',
    );
  });
});

test('a converted start() whose pidfile is a default (: ${pidfile:=…}): the warning names the launched daemon (irkerd)', () => {
  const s = service(
    sh(
      '#!/sbin/openrc-run',
      ': ${pidfile:=/run/${RC_SVCNAME}.pid}',
      'start() {',
      '\tstart-stop-daemon --start --background --make-pidfile --pidfile "${pidfile}" --exec /usr/bin/food -- -v',
      '}',
    ),
    null,
    'food',
  );
  const d = draft();
  expect(customStartStep(ctx(s), d)).toBeUndefined();
  expect(pidfileStep(ctx(s), d)).toBeUndefined();
  expect(d.warnings).toEqual([
    "nothing says food writes no pid file at /run/food.pid; if it does, that is the supervisor's pidfile too (stop would end only the daemon, and its supervisor would respawn it), and pidfile is set where rc-supervise does not give the supervisor another (conf.d, or a default like : ${pidfile:=...})",
  ]);
});

// Alpine's dbus script passes --nofork --nopidfile in command_args itself: dbus-daemon is
// told already, so its pidfile (the path the rule says it would write) stays the supervisor's.
test("the rule's no-pid-file words already in command_args: the supervisor keeps the script's pidfile", () => {
  const dbus = rule({
    id: 'dbus',
    daemons: ['dbus-daemon'],
    foreground: '--nofork --nopidfile',
    ownPidfile: '/run/dbus.pid',
  });
  const script = (args: string) =>
    sh('#!/sbin/openrc-run', 'command=/usr/bin/dbus-daemon', `command_args="${args}"`, 'pidfile=/run/dbus.pid');
  const told = run(script('--system --nofork --nopidfile'), { rule: dbus, d: draft({ foreground: '' }) }, 'dbus');
  expect(told.r).toBeUndefined();
  expect(told.d.relocation).toBeUndefined();
  // Without them it would write /run/dbus.pid: the supervisor gets its own.
  const untold = run(script('--system'), { rule: dbus, d: draft({ foreground: '' }) }, 'dbus');
  expect(untold.d.relocation?.lines.at(-1)).toBe(
    'if [ "${supervisor}" = supervise-daemon ]; then pidfile="/run/supervise-${RC_SVCNAME}.pid"; fi',
  );
});

// An overlay's havend script: its stop() read the daemon's pid from ${pidfile} before the stop
// and waited on /proc/$PID after it. Split into stop_pre()/stop_post(), that code reads
// pidfile too: the same rules as for the script's other functions.
describe('what the custom-start step wrote from stop() reads pidfile', () => {
  const script = (...stop: string[]) =>
    sh(
      '#!/sbin/openrc-run',
      'pidfile=/run/food.pid',
      'command=/usr/sbin/food',
      'command_args_background="--detach --pidfile ${pidfile}"',
      'stop() {',
      ...stop,
      '}',
    );
  const both = (initd: string) => {
    const s = service(initd, null, 'food');
    const d = draft();
    const c = ctx(s);
    expect(customStartStep(c, d)).toBeUndefined();
    return { s, d, r: pidfileStep(c, d) };
  };

  test('a read of its content, with nothing saying the daemon writes the file: refused', () => {
    const { r } = both(script('\tPID=$(cat $pidfile)', '\tkill $PID', '\twhile [ -d /proc/${PID} ]; do sleep 5; done'));
    expect(r && r.reason).toContain(
      'what start()/stop() did besides the launch reads pidfile, so the supervisor cannot simply be given another one (nothing says the daemon writes it also in the foreground, and stop_pre() reads it)',
    );
  });

  test('only its place (rm): read as ${daemon_pidfile}', () => {
    const { r, d } = both(script('\tstart-stop-daemon --stop --exec /usr/sbin/food', '\trm -f "${pidfile}"'));
    expect(r).toBeUndefined();
    expect(d.converted!.edits.map((e) => e.text).join('')).toContain('rm -f "${daemon_pidfile}"');
    expect(d.relocation?.lines).toContain('daemon_pidfile=${pidfile}');
  });
});

// Found by the property test (exit 70 before): a function written inside another, here a
// `start_pre() {` line twice, has its body inside the outer one's, so both read the same
// ${pidfile}; it is rewritten once, not by two edits at one offset.
test('a reader defined inside another reader gets one edit per reference', () => {
  const { s, d, r } = run(
    sh(
      '#!/sbin/openrc-run',
      'command=/usr/sbin/food',
      'command_background=yes',
      'pidfile=/run/food/food.pid',
      '',
      'start_pre() {',
      'start_pre() {',
      '\tcheckpath -d -m 0755 "${pidfile%/*}"',
      '}',
    ),
  );
  expect(r).toBeUndefined();
  const edits = d.extraEdits;
  expect(edits.map((e) => e.start)).toEqual([...new Set(edits.map((e) => e.start))]);
  expect(applyEdits(s.initd.text, edits)).toContain('\tcheckpath -d -m 0755 "${daemon_pidfile%/*}"\n');
});

// redir, rstatd: start_post()'s `pgrep -n NAME > "${pidfile}"`, which the foreground step guards
// to run only under start-stop-daemon.
describe('a pid file line the foreground step guarded', () => {
  const script = sh(
    '#!/sbin/openrc-run',
    'command=/usr/bin/food',
    'pidfile="/run/${RC_SVCNAME}.pid"',
    'start_post() {',
    '\tpgrep -n food > "${pidfile}"',
    '}',
  );
  test("no longer reads the supervisor's pid file: the supervisor gets its own, start_post() is left to the guard", () => {
    const s = service(script, null, 'food');
    const at = script.indexOf('pgrep');
    const line = 'pgrep -n food > "${pidfile}"';
    const guard: Edit = {
      file: 'etc/init.d/food',
      start: at,
      end: at + line.length,
      text: `if [ "\${supervisor}" != supervise-daemon ]; then ${line}; fi`,
    };
    const { d, r } = run(script, { d: draft({ pidWriteGuards: [guard] }) });
    expect(r).toBeUndefined();
    expect(d.relocation?.lines).toEqual([COMMENT, GUARD]);
    expect(d.extraEdits).toEqual([]);
    expect(s.initd.text).toBe(script);
  });
  test('unguarded, it reads it: refused', () => {
    const { r } = run(script);
    expect(r && r.reason).toContain('start_post() reads pidfile, so the supervisor cannot simply be given another one');
  });
});

// mod_gearman_worker: --pidfile=${pidfile} moves to command_args_background, and its entry says
// a pid file may also come from its configuration (ownPidfile '*', none by default). reload()
// reading ${daemon_pidfile} would find nothing under the supervisor (found by a helper).
describe('a function reading the pid file a moved flag named, for a daemon whose own pid file is configurable', () => {
  const script = (...reload: string[]) =>
    sh(
      '#!/sbin/openrc-run',
      'command=/usr/bin/food',
      'pidfile=/run/food/food.pid',
      'command_args="--config=/etc/food.conf"',
      'command_args_background="--daemon --pidfile=${pidfile}"',
      'reload() {',
      ...reload,
      '}',
    );
  const configurable = rule({ ownPidfile: '*' });

  test('reading it: refused, naming the function and the moved words', () => {
    const { r } = run(script('\tread pid <${pidfile}', '\tkill -HUP ${pid}'), { rule: configurable });
    expect(r && r.reason).toBe(
      "reload() reads the daemon's pid file /run/food/food.pid, which food writes there only when told (--daemon --pidfile=${pidfile}, now for start-stop-daemon only) or where its configuration says (rule foo): under the supervisor that file may never be written",
    );
  });

  test('only making its place, or a daemon that writes that very path itself: migrated', () => {
    expect(run(script('\tcheckpath -d "${pidfile%/*}"'), { rule: configurable }).r).toBeUndefined();
    const fixed = rule({ ownPidfile: '/run/food/food.pid' });
    expect(run(script('\tread pid <${pidfile}', '\tkill -HUP ${pid}'), { rule: fixed }).r).toBeUndefined();
  });
});

// innd's start_pre(): `if [ -f ${pidfile} ] || …; then command_args="${command_args} -r"; fi`.
// The daemon writes that file itself (its rule says so) and removes it when it shuts down
// cleanly: still there at start, it marks a crash, and the daemon gets recovery arguments.
// supervise-daemon restarts a daemon that died without running start_pre(), so that recovery
// would not happen after a crash: refused, naming the test.
describe("start_pre() taking the daemon's own pid file as the sign of a crash", () => {
  const script = (...body: string[]) =>
    sh(
      '#!/sbin/openrc-run',
      'command=/usr/sbin/food',
      'command_args="${FOOD_OPTS}"',
      'pidfile=/run/food/food.pid',
      'start_pre() {',
      ...body,
      '}',
    );
  const writes = rule({ id: 'food', daemons: ['food'], foreground: '-f', ownPidfile: '*' });
  test('refused when the test changes command_args', () => {
    const { r } = run(
      script(
        '\tif [ -f ${pidfile} ] || [ ! -s /var/lib/food/db ]; then',
        '\t\tcommand_args="${command_args} -r"',
        '\tfi',
      ),
      { rule: writes },
    );
    expect(r).toMatchObject({ kind: 'refuse', code: 'dynamic' });
    expect(r && r.reason).toBe(
      "start_pre() takes food's own pid file, left behind when it did not shut down cleanly, as the sign of a crash and changes its arguments for that (if [ -f ${pidfile} ] || [ ! -s /var/lib/food/db ]; then): supervise-daemon restarts a daemon that died without running start_pre(), so after a crash food would run again without that recovery",
    );
  });
  test('not refused for a test that changes nothing the daemon gets, or where no rule says the daemon writes it', () => {
    const other = run(script('\tif [ -f ${pidfile} ]; then', '\t\tewarn "food did not stop cleanly"', '\tfi'), {
      rule: writes,
    });
    expect(other.r).toBeUndefined();
    expect(other.d.notes.join(' ')).toContain('now as ${daemon_pidfile}');
    const marker = script('\tif [ -f ${pidfile} ]; then', '\t\tcommand_args="${command_args} -r"', '\tfi');
    expect(run(marker).r?.reason ?? '').not.toContain('as the sign of a crash');
  });
});
