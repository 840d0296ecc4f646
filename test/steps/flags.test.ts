import { initParser } from '../../src/parse/parser.js';
import { customStartStep } from '../../src/steps/custom-start.js';
import { flagsPassed, flagsStep, matchesFlag, pickTokens } from '../../src/steps/flags.js';
import { pidfileStep } from '../../src/steps/pidfile.js';
import { applied, ctx, draft, rule, service, sh } from './helpers.js';

beforeAll(() => initParser());

const daemonizeD = rule({ backgroundFlags: [{ flag: '-d', why: 'daemonize' }] });

function run(initd: string, r = rule(), confd: string | null = null) {
  const s = service(initd, confd);
  const d = draft();
  const res = flagsStep(ctx(s, { rule: r }), d);
  return { s, d, res };
}

test('-p ${pidfile} leaves command_args for command_args_background', () => {
  const { s, d, res } = run(
    sh('#!/sbin/openrc-run', 'command=/usr/bin/foo', 'pidfile=/run/foo.pid', 'command_args="-p ${pidfile} --verbose"'),
  );
  expect(res).toBeUndefined();
  expect(d.movedText).toBe('-p ${pidfile}');
  expect(applied(s, d.moveEdits)).toBe(
    sh('#!/sbin/openrc-run', 'command=/usr/bin/foo', 'pidfile=/run/foo.pid', 'command_args="--verbose"'),
  );
  expect(d.initdReasons).toEqual(['pidfile/daemonize flags must move out of command_args in init.d']);
  expect(d.notes).toEqual([]);
});

test('the pid file path written out literally moves too, with its option', () => {
  const { s, d } = run(sh('#!/sbin/openrc-run', 'pidfile=/run/foo.pid', 'command_args="-x --pid-file /run/foo.pid"'));
  expect(d.movedText).toBe('--pid-file /run/foo.pid');
  expect(applied(s, d.moveEdits)).toBe(sh('#!/sbin/openrc-run', 'pidfile=/run/foo.pid', 'command_args="-x"'));
});

test('an alias of the pid file (pidfile="${PIDFILE}", -p ${PIDFILE}) moves', () => {
  const { s, d } = run(
    sh(
      '#!/sbin/openrc-run',
      'PIDFILE=/run/foo/foo.pid',
      'pidfile="${PIDFILE}"',
      'command_args="-p ${PIDFILE} -c /etc/foo.conf"',
    ),
  );
  expect(d.movedText).toBe('-p ${PIDFILE}');
  expect(applied(s, d.moveEdits)).toContain('command_args="-c /etc/foo.conf"');
});

test('a variable that merely starts like an alias is not one (${PIDFILE_DIR})', () => {
  const { d } = run(
    sh('#!/sbin/openrc-run', 'PIDFILE=/run/foo.pid', 'pidfile="${PIDFILE}"', 'command_args="-r ${PIDFILE_DIR}"'),
  );
  expect(d.movedText).toBe('');
  expect(d.moveEdits).toEqual([]);
});

test('moved words keep their order in the script, wherever they are', () => {
  const { s, d } = run(
    sh('#!/sbin/openrc-run', 'pidfile=/run/foo.pid', 'command_args="--pidfile=${pidfile} --foo -d --bar"'),
    daemonizeD,
  );
  expect(d.movedText).toBe('--pidfile=${pidfile} -d');
  expect(applied(s, d.moveEdits)).toBe(sh('#!/sbin/openrc-run', 'pidfile=/run/foo.pid', 'command_args="--foo --bar"'));
});

test('a daemonize flag of the rule with its value spec', () => {
  const r = rule({
    backgroundFlags: [
      { flag: '--daemon', why: 'daemonize' },
      { flag: '-P', value: true, why: 'pidfile' },
    ],
  });
  const { d } = run(sh('#!/sbin/openrc-run', 'command_args="-v --daemon -P /run/other.pid"'), r);
  expect(d.movedText).toBe('--daemon -P /run/other.pid');
});

test('nothing to move: no edits, no init.d reason', () => {
  const { d, res } = run(sh('#!/sbin/openrc-run', 'pidfile=/run/foo.pid', 'command_args="-v"'), daemonizeD);
  expect(res).toBeUndefined();
  expect(d.movedText).toBe('');
  expect(d.moveEdits).toEqual([]);
  expect(d.initdReasons).toEqual([]);
});

// sssd's `command_args="-D ..."` beside command_background=true (an Alpine script): the daemon
// forked away from start-stop-daemon's --background child. command_args_background cannot go
// with command_background, and neither backend needs the flag: it is taken out.
test('command_background=yes with a daemonize flag: the flag (and a pid file option with it) is taken out, not moved', () => {
  const { s, d, res } = run(
    sh('#!/sbin/openrc-run', 'command_background=yes', 'pidfile=/run/foo.pid', 'command_args="-d -p ${pidfile} -v"'),
    daemonizeD,
  );
  expect(res).toBeUndefined();
  expect(d.movedText).toBe('');
  expect(applied(s, d.moveEdits)).toBe(
    sh('#!/sbin/openrc-run', 'command_background=yes', 'pidfile=/run/foo.pid', 'command_args="-v"'),
  );
  expect(d.pidfileKept).toBe(false);
  // The edit is in init.d: a conf.d-only migration would leave the flag there.
  expect(d.initdReasons).toEqual(['a daemonize flag must leave command_args in init.d']);
  expect(d.notes).toEqual([
    "-d -p ${pidfile} taken out of the daemon's arguments: command_background already has start-stop-daemon put the daemon in the background, and foo forked again with them (rule foo), away from the process start-stop-daemon started; supervise-daemon needs the daemon in the foreground too",
  ]);
});

test('a command_background whose value is not known counts as yes: refused, not moved beside it', () => {
  const { res, d } = run(
    sh('#!/sbin/openrc-run', 'command_background="$(cat /etc/foo/bg)"', 'command_args="-d -v"'),
    daemonizeD,
  );
  expect(res).toMatchObject({ kind: 'refuse', code: 'dynamic' });
  expect(d.movedText).toBe('-d');
});

test('command_background=no is not refused', () => {
  const { res, d } = run(sh('#!/sbin/openrc-run', 'command_background=no', 'command_args="-d -v"'), daemonizeD);
  expect(res).toBeUndefined();
  expect(d.movedText).toBe('-d');
});

test('command_args set inside a condition cannot be split: refused', () => {
  const { res } = run(
    sh('#!/sbin/openrc-run', 'pidfile=/run/foo.pid', 'if [ -n "$X" ]; then', '\tcommand_args="-p ${pidfile}"', 'fi'),
  );
  expect(res).toMatchObject({ kind: 'refuse', code: 'dynamic' });
  expect((res as { reason: string }).reason).toMatch(
    /^command_args is built in a way rc-supervise cannot split safely/,
  );
});

test("a converted start()'s launch words are picked by index, not edited", () => {
  const s = service(
    sh(
      '#!/sbin/openrc-run',
      'pidfile=/run/foo.pid',
      'start() {',
      '\tstart-stop-daemon --start --exec /usr/bin/foo --pidfile ${pidfile} -- -d -p ${pidfile} -v',
      '}',
    ),
  );
  const d = draft();
  const c = ctx(s, { rule: daemonizeD });
  expect(customStartStep(c, d)).toBeUndefined();
  expect(flagsStep(c, d)).toBeUndefined();
  expect([...d.convertedTake].sort()).toEqual([0, 1, 2]);
  expect(d.movedText).toBe('-d -p ${pidfile}');
  expect(d.moveEdits).toEqual([]);
  expect(d.initdReasons).toEqual(['custom start()/stop() must be replaced in init.d']);
});

test('pickTokens: an option word before a value naming the pid file goes with it, an option alone does not pull its neighbour', () => {
  const tok = (...ws: string[]) => ws.map((text, i) => ({ text, start: i * 10, end: i * 10 + text.length }));
  expect([...pickTokens(tok('-v', '-p', '${pidfile}'), [])].sort()).toEqual([1, 2]);
  expect([...pickTokens(tok('-v', '--pidfile=$pidfile'), [])]).toEqual([1]);
  expect([...pickTokens(tok('-x', '/run/foo.pid'), [], '/run/foo.pid')].sort()).toEqual([0, 1]);
  expect([...pickTokens(tok('-x', '/run/bar.pid'), [], '/run/foo.pid')]).toEqual([]);
});

// BUG (flags.ts, PIDFILE_REF = /\$\{?pidfile\}?/): it has no end guard, so `${pidfile_dir}` or
// `$pidfiledir` (another variable) is taken for the pid file and moved to
// command_args_background: under supervise-daemon the daemon would lose that argument.
test('${pidfile_dir} is another variable, not the pid file: it stays in command_args', () => {
  const { d } = run(
    sh(
      '#!/sbin/openrc-run',
      'pidfile=/run/foo/foo.pid',
      'pidfile_dir=/run/foo',
      'command_args="--rundir ${pidfile_dir}"',
    ),
  );
  expect(d.movedText).toBe('');
});

describe("a pid file option the rule keeps (keptPidfileFlags: dbmail's -p)", () => {
  const dbmail = rule({
    id: 'dbmail',
    ownPidfile: '*',
    keptPidfileFlags: [{ flag: '-p', value: true, why: 'pidfile' }],
  });
  test('-p ${PIDFILE} (an alias) and the literal path stay, with a note', () => {
    for (const word of ['-p ${PIDFILE}', '-p /run/dbmail/imapd.pid']) {
      const { d, res } = run(
        sh(
          '#!/sbin/openrc-run',
          'PIDFILE=/run/dbmail/imapd.pid',
          'pidfile="${PIDFILE}"',
          `command_args="${word} -f /etc/dbmail/dbmail.conf"`,
        ),
        dbmail,
      );
      expect(res).toBeUndefined();
      expect(d.movedText).toBe('');
      expect(d.moveEdits).toEqual([]);
      expect(d.pidfileKept).toBe(true); // so the pidfile step gives the supervisor its own
      expect(d.notes).toEqual([
        `${word} stays in command_args: dbmail writes that pid file in the foreground too (rule dbmail), and the supervisor keeps a pid file of its own`,
      ]);
    }
  });
  // freshclam (holdout 9's review): `command_args="-p ${pidfile}"` below pidfile= is expanded to
  // the script's path where it stands, before the pidfile step's line makes pidfile the
  // supervisor's: it stays. Read later it would name the supervisor's file: it moves.
  test('-p ${pidfile} stays where it is expanded before the supervisor gets its own; else it moves', () => {
    const script = (...lines: string[]) => sh('#!/sbin/openrc-run', ...lines);
    const early = run(
      script('pidfile=/run/dbmail/imapd.pid', 'command_args="-p ${pidfile} -f /etc/dbmail/dbmail.conf"'),
      dbmail,
    );
    expect(early.d.movedText).toBe('');
    expect(early.d.pidfileKept).toBe(true);
    expect(early.d.notes).toEqual([
      '-p ${pidfile} stays in command_args: dbmail writes that pid file in the foreground too (rule dbmail), and the supervisor keeps a pid file of its own',
    ]);
    for (const late of [
      // single-quoted: OpenRC's eval expands it when the service starts;
      script('pidfile=/run/dbmail/imapd.pid', "command_args='-p ${pidfile} -f /etc/dbmail/dbmail.conf'"),
      // pidfile= in a condition above it;
      script('[ -n "$X" ] && pidfile=/run/x.pid', 'pidfile=/run/dbmail/imapd.pid', 'command_args="-p ${pidfile}"'),
      // a later line that does more than add to the value (read only as `${command_args} ...`).
      script('pidfile=/run/dbmail/imapd.pid', 'command_args="-p ${pidfile}"', 'command_args="-v ${command_args}"'),
    ])
      expect([late, run(late, dbmail).d.movedText]).toEqual([late, '-p ${pidfile}']);
    // A later line that only adds to the value keeps the words already expanded: it stays.
    const added = run(
      script('pidfile=/run/dbmail/imapd.pid', 'command_args="-p ${pidfile}"', 'command_args="${command_args} -v"'),
      dbmail,
    );
    expect(added.d.movedText).toBe('');
    expect(added.d.pidfileKept).toBe(true);
    // pidfile= below the line: ${pidfile} is empty there, and the service is refused as before.
    expect(run(script('command_args="-p ${pidfile}"', 'pidfile=/run/dbmail/imapd.pid'), dbmail).res?.reason).toMatch(
      /^command_args reads \$\{pidfile\} at line 2, before the script sets it at line 3/,
    );
  });
  test('without the field the same word moves (the generic rule)', () => {
    const { d } = run(
      sh('#!/sbin/openrc-run', 'PIDFILE=/run/dbmail/imapd.pid', 'pidfile="${PIDFILE}"', 'command_args="-p ${PIDFILE}"'),
      rule({ id: 'dbmail', ownPidfile: '*' }),
    );
    expect(d.movedText).toBe('-p ${PIDFILE}');
  });
});

describe('a flag hidden in a variable the arguments read', () => {
  test('a variable read only by the arguments: its flags leave it for command_args_background (init.d)', () => {
    const { s, d, res } = run(
      sh('#!/sbin/openrc-run', 'FOO_ARGS="-d -c /etc/foo.conf ${FOO_EXTRA}"', 'command_args="${FOO_ARGS}"'),
      daemonizeD,
    );
    expect(res).toBeUndefined();
    expect(d.movedText).toBe('-d');
    expect(applied(s, d.moveEdits)).toBe(
      sh('#!/sbin/openrc-run', 'FOO_ARGS="-c /etc/foo.conf ${FOO_EXTRA}"', 'command_args="${FOO_ARGS}"'),
    );
    expect(d.notes).toEqual([
      "-d moved out of ${FOO_ARGS} (read only by the daemon's arguments) into command_args_background",
    ]);
    expect(d.initdReasons).toEqual(['pidfile/daemonize flags must move out of command_args in init.d']);
  });

  test('conf.d\'s variable is edited in conf.d; a self-extending one (OPTIONS="${OPTIONS} --detach") too', () => {
    const { d, res } = run(
      sh('#!/sbin/openrc-run', 'command_args="${FOO_OPTS} ${SERVERS}"'),
      daemonizeD,
      sh('# options', 'FOO_OPTS="-d -s"', '#FOO_OPTS="-d"'),
    );
    expect(res).toBeUndefined();
    expect(d.moveEdits.map((e) => e.file)).toEqual(['etc/conf.d/foo']);
    expect(d.movedText).toBe('-d');
    const self = run(sh('#!/sbin/openrc-run', 'FOO_OPTS="${FOO_OPTS} -d"', 'command_args="${FOO_OPTS# }"'), daemonizeD);
    expect(self.res).toBeUndefined();
    expect(applied(self.s, self.d.moveEdits)).toBe(
      sh('#!/sbin/openrc-run', 'FOO_OPTS="${FOO_OPTS}"', 'command_args="${FOO_OPTS# }"'),
    );
  });

  test('refused, naming the variable, where the move would not be exact', () => {
    for (const [initd, confd] of [
      // set inside a function
      [sh('#!/sbin/openrc-run', 'command_args="${FOO_ARGS}"', 'start_pre() {', '\tFOO_ARGS="$FOO_ARGS -d"', '}'), null],
      // read elsewhere too
      [
        sh(
          '#!/sbin/openrc-run',
          'FOO_ARGS="-d"',
          'command_args="${FOO_ARGS}"',
          'start_pre() {',
          '\techo "$FOO_ARGS"',
          '}',
        ),
        null,
      ],
      // assigned in both files
      [sh('#!/sbin/openrc-run', 'FOO_ARGS="-d -v"', 'command_args="${FOO_ARGS}"'), sh('FOO_ARGS="-d"')],
      // through a second variable
      [sh('#!/sbin/openrc-run', 'A="-d"', 'B="-v ${A}"', 'command_args="$B"'), null],
      // single-quoted, or a default
      [sh('#!/sbin/openrc-run', "FOO_ARGS='-d'", 'command_args="${FOO_ARGS}"'), null],
      [sh('#!/sbin/openrc-run', ': ${FOO_ARGS:=-d}', 'command_args="${FOO_ARGS}"'), null],
    ] as const) {
      const res = run(initd, daemonizeD, confd).res;
      expect(res?.reason).toContain('whose value holds -d');
      expect(res?.reason).toContain("the daemon's arguments read ");
    }
  });

  test("the launch words of a converted start() are read the same way (tuntox's DAEMON_ARGS)", () => {
    const script = (extra: string[]) =>
      sh(
        '#!/sbin/openrc-run',
        'DAEMON_ARGS="-d -C /var/lib/foo"',
        ...extra,
        'start() {',
        '\tstart-stop-daemon --start --exec /usr/bin/foo -- ${DAEMON_ARGS}',
        '}',
      );
    const go = (text: string) => {
      const d = draft();
      const c = ctx(service(text), { rule: daemonizeD });
      expect(customStartStep(c, d)).toBeUndefined();
      return { d, res: flagsStep(c, d) };
    };
    const moved = go(script([]));
    expect(moved.res).toBeUndefined();
    expect(moved.d.movedText).toBe('-d');
    // tuntox: a function only adds words without flags at run time: the flags leave the top line.
    const adds = go(script(['checkconfig() {', '\t[ -z "$S" ] || DAEMON_ARGS="${DAEMON_ARGS} -s x"', '}']));
    expect(adds.res).toBeUndefined();
    expect(adds.d.movedText).toBe('-d');
    expect(adds.d.moveEdits).toHaveLength(1);
    // A function that adds a flag, sets the variable anew, or declares it: not exact, refused.
    for (const line of [
      'DAEMON_ARGS="${DAEMON_ARGS} -d"',
      'DAEMON_ARGS="-s x"',
      'local DAEMON_ARGS="${DAEMON_ARGS} -s x"',
    ])
      expect(go(script(['checkconfig() {', `\t${line}`, '}'])).res?.reason).toContain(
        'read ${DAEMON_ARGS}, whose value holds -d',
      );
  });

  test("a variable without the flags, a flag the rule does not know, and the script's own command_args words are no finding", () => {
    expect(
      run(sh('#!/sbin/openrc-run', 'FOO_ARGS="-v -x"', 'command_args="${FOO_ARGS}"'), daemonizeD).res,
    ).toBeUndefined();
    // init.d's own words move where they stand; `${command_args:-...}` reads only conf.d's.
    const { res, d } = run(sh('#!/sbin/openrc-run', 'command_args="-d ${command_args:--v}"'), daemonizeD);
    expect(res).toBeUndefined();
    expect(d.movedText).toBe('-d');
  });
});

// sshd.rc6: checkconfig() adds `-o PidFile=${SSHD_PIDFILE}` to SSHD_OPTS, which the launch and
// `sshd -t ${SSHD_OPTS}` both read: the variable cannot be split, but a pid file option the
// daemon honours in the foreground (the rule's ownPidfile) may stay, the supervisor moving.
describe('pid file words hidden in a variable that cannot be split', () => {
  const pidO = (more: Partial<Parameters<typeof rule>[0]> = {}) =>
    rule({
      backgroundFlags: [
        { flag: '-o', value: true, valueMatch: /^PidFile=/, why: 'pidfile' },
        { flag: '-z', why: 'daemonize' },
      ],
      ...more,
    });
  const script = (...adds: string[]) =>
    sh(
      '#!/sbin/openrc-run',
      ': ${FOO_PIDFILE:=/run/foo.pid}',
      'check() {',
      ...adds.map((a) => `\tFOO_OPTS="\${FOO_OPTS} ${a}"`),
      '\t/usr/sbin/food -t ${FOO_OPTS} || return 1',
      '}',
      'start() {',
      '\tcheck || return 1',
      '\tstart-stop-daemon --start --exec /usr/sbin/food --pidfile "${FOO_PIDFILE}" -- ${FOO_OPTS}',
      '}',
    );
  const go = (text: string, r: ReturnType<typeof rule>) => {
    const d = draft();
    const c = ctx(service(text), { rule: r });
    expect(customStartStep(c, d)).toBeUndefined();
    return { d, res: flagsStep(c, d) };
  };

  test('they stay where they are, and the supervisor keeps a pid file of its own', () => {
    const { d, res } = go(script('-o PidFile=${FOO_PIDFILE}'), pidO({ id: 'food', ownPidfile: '*' }));
    expect(res).toBeUndefined();
    expect(d.pidfileKept).toBe(true);
    expect(d.moveEdits).toEqual([]);
    expect(d.movedText).toBe('');
    expect(d.notes).toContain(
      '-o PidFile=${FOO_PIDFILE} stays in ${FOO_OPTS}: it only names a pid file, which food writes in the foreground too (rule food), so the daemon gets the same words under both backends and the supervisor keeps a pid file of its own',
    );
  });

  test('refused when nothing says the daemon writes a pid file in the foreground, or a daemonize flag is hidden too', () => {
    for (const [adds, r] of [
      [['-o PidFile=${FOO_PIDFILE}'], pidO()],
      [['-o PidFile=${FOO_PIDFILE}', '-z'], pidO({ ownPidfile: '*' })],
      [['-z'], pidO({ ownPidfile: '*' })],
      // a word reading ${pidfile}, read when the service starts, would name the supervisor's file
      [['-o PidFile=${pidfile}'], pidO({ ownPidfile: '*' })],
      [['-o PidFile=${pidfile}'], rule({ backgroundFlags: [pidO().backgroundFlags![0]], ownPidfile: '*' })],
    ] as const) {
      const { d, res } = go(script(...adds), r);
      expect(res?.reason).toContain("the daemon's arguments read ${FOO_OPTS}, whose value holds");
      expect(d.pidfileKept).toBeFalsy();
    }
  });
});

test('quoted launch words of a converted start() are escaped for the double-quoted line they move to', () => {
  const s = service(
    sh(
      '#!/sbin/openrc-run',
      'PIDFILE=/run/foo.pid',
      'start() {',
      '\tstart-stop-daemon --start --exec /usr/bin/foo -- "-d" "-p" "${PIDFILE}" -v',
      '}',
    ),
  );
  const d = draft();
  const c = ctx(s, {
    rule: rule({
      backgroundFlags: [
        { flag: '-d', why: 'daemonize' },
        { flag: '-p', value: true, why: 'pidfile' },
      ],
    }),
  });
  expect(customStartStep(c, d)).toBeUndefined();
  expect(flagsStep(c, d)).toBeUndefined();
  // command_args_background="<this>": still three words, not an assignment cut short; PIDFILE
  // (unset here) is read at start time, as the launch read it.
  expect(d.movedText).toBe('\\"-d\\" \\"-p\\" \\"\\${PIDFILE}\\"');
});

test('a flag in a default written in the arguments (${EXIM_OPTS:--bd -q15m}) is found, and refused: it cannot leave them', () => {
  for (const confd of [null, sh('FOO_OPTS="-d -q"')]) {
    const { res } = run(sh('#!/sbin/openrc-run', 'command_args="-C x ${FOO_OPTS:--d -q}"'), daemonizeD, confd);
    expect(res?.reason).toContain('read ${FOO_OPTS:--d -q}, whose value holds -d');
  }
});

// lvmetad: `command_args="${LVMETAD_OPTS:=-p ${pidfile}}"`. Moving the whole word dropped the
// user's LVMETAD_OPTS under the supervisor; the pid file word cannot leave the default exactly.
test('the pid file named in the default of another variable (${FOO_OPTS:=-p ${pidfile}}): refused, nothing moved', () => {
  for (const op of [':=', ':-', '-']) {
    const { res, d } = run(
      sh('#!/sbin/openrc-run', 'pidfile=/run/foo.pid', `command_args="\${FOO_OPTS${op}-p \${pidfile}}"`),
      daemonizeD,
    );
    expect(res).toMatchObject({ kind: 'refuse', code: 'dynamic' });
    expect(res?.reason).toBe(
      `the daemon's arguments read \${FOO_OPTS${op}-p \${pidfile}}, whose default names the pid file: moving the word would drop what the user sets under the supervisor, and leaving it would let the daemon write the supervisor's pid file`,
    );
    expect(d.moveEdits).toEqual([]);
  }
  // `${pidfile:-/run/foo.pid}` itself is the pid file, not a default of another variable: moved as before.
  const own = run(sh('#!/sbin/openrc-run', 'command_args="-p ${pidfile:-/run/foo.pid} -v"'), daemonizeD);
  expect(own.res).toBeUndefined();
  expect(own.d.movedText).toBe('-p ${pidfile:-/run/foo.pid}');
});

// lvmetad and lvmlockd write a pid file in the foreground too (their entries' ownPidfile): the
// word may stay where it is, since the supervisor gets a pid file of its own anyway.
test('the default names the pid file, and the daemon writes one in the foreground anyway: the word stays, the supervisor moves', () => {
  const writes = rule({
    id: 'lvmetad',
    backgroundFlags: [{ flag: '-p', value: true, why: 'pidfile' }],
    ownPidfile: '*',
  });
  const script = sh('#!/sbin/openrc-run', 'pidfile="/run/foo.pid"', 'command_args="${FOO_OPTS:=-p ${pidfile}} -v"');
  const { res, d } = run(script, writes);
  expect(res).toBeUndefined();
  expect(d.moveEdits).toEqual([]);
  expect(d.movedText).toBe('');
  expect(d.pidfileKept).toBe(true);
  expect(d.notes).toEqual([
    '${FOO_OPTS:=-p ${pidfile}} stays in command_args: its default names the pid file, which lvmetad writes in the foreground too (rule lvmetad), so the daemon writes the same file under both backends and the supervisor keeps a pid file of its own',
  ]);
  // The entry names the script's path as the one it writes: the same.
  expect(run(script, rule({ ownPidfile: '/var/run/foo.pid' })).res).toBeUndefined();
  // Refused as before where the word cannot simply stay:
  const refused = (initd: string, r = writes) => run(initd, r).res?.reason ?? '';
  // no knowledge that the daemon writes one in the foreground, or it writes another path;
  expect(refused(script, rule())).toContain('whose default names the pid file');
  expect(refused(script, rule({ ownPidfile: '/run/other.pid' }))).toContain('whose default names the pid file');
  // single quotes: OpenRC's eval would expand ${pidfile} at start, to the supervisor's file;
  expect(
    refused(sh('#!/sbin/openrc-run', 'pidfile="/run/foo.pid"', "command_args='${FOO_OPTS:=-p ${pidfile}}'")),
  ).toContain('whose default names the pid file');
  // pidfile set below the line (empty where it is read), or not at all;
  expect(
    refused(sh('#!/sbin/openrc-run', 'command_args="${FOO_OPTS:=-p ${pidfile}}"', 'pidfile="/run/foo.pid"')),
  ).toContain('whose default names the pid file');
  expect(refused(sh('#!/sbin/openrc-run', 'command_args="${FOO_OPTS:=-p ${pidfile}}"'))).toContain(
    'whose default names the pid file',
  );
  // not the last command_args assignment, where a later one does more than add to the value.
  expect(
    refused(
      sh(
        '#!/sbin/openrc-run',
        'pidfile="/run/foo.pid"',
        'command_args="${FOO_OPTS:=-p ${pidfile}}"',
        'command_args="-v ${command_args}"',
      ),
    ),
  ).toContain('whose default names the pid file');
  // A later line that only adds to it keeps the word as expanded: it stays.
  expect(
    refused(
      sh(
        '#!/sbin/openrc-run',
        'pidfile="/run/foo.pid"',
        'command_args="${FOO_OPTS:=-p ${pidfile}}"',
        'command_args="${command_args} -v"',
      ),
    ),
  ).toBe('');
});

// The review of this round: an option in front of the word that stays (--debug) stays with it;
// two defaults naming the pid file are refused (the second would move whole).
test('the word that stays keeps the option before it; a second default naming the pid file is refused', () => {
  const writes = rule({
    id: 'lvmetad',
    backgroundFlags: [{ flag: '-p', value: true, why: 'pidfile' }],
    ownPidfile: '*',
  });
  const one = run(
    sh('#!/sbin/openrc-run', 'pidfile="/run/foo.pid"', 'command_args="--debug ${FOO_OPTS:=-p ${pidfile}}"'),
    writes,
  );
  expect(one.res).toBeUndefined();
  expect(one.d.moveEdits).toEqual([]);
  expect(one.d.movedText).toBe('');
  const two = run(
    sh('#!/sbin/openrc-run', 'pidfile="/run/foo.pid"', 'command_args="${FOO_OPTS:=-p ${pidfile}} ${B:-${pidfile}}"'),
    writes,
  );
  expect(two.res?.reason).toMatch(
    /^the daemon's arguments read \$\{FOO_OPTS:=-p \$\{pidfile\}\}, whose default names the pid file/,
  );
});

// opendkim (holdout 9): checkconfig ran `"${command}" -n "${command_args}"`, one word whose
// first option took the rest as its value. With -P moved out, -x took it, and the check failed.
test('a function that passes "${command_args}" as one word: refused when words move, not otherwise', () => {
  const pidP = rule({ backgroundFlags: [{ flag: '-P', value: true, why: 'pidfile' }] });
  const script = (reader: string) =>
    sh(
      '#!/sbin/openrc-run',
      'pidfile="/run/foo.pid"',
      'command="/usr/sbin/foo"',
      'command_args="-P ${pidfile} -x /etc/foo.conf"',
      'checkconfig() {',
      `\t${reader}`,
      '}',
    );
  const { res, d } = run(script('"${command}" -n "${command_args}" || return 1'), pidP);
  expect(res).toMatchObject({ kind: 'refuse', code: 'dynamic' });
  expect(res?.reason).toMatch(/^checkconfig\(\) passes "\$\{command_args\}" to "\$\{command\}" as one word: /);
  expect(d.initdReasons).toEqual([]);
  for (const fine of [
    '"${command}" -n ${command_args} || return 1',
    'einfo "running ${command} ${command_args}"',
    '[ -n "${command_args}" ] || return 1',
    'eval "${command} -n ${command_args}"',
    'su -s /bin/sh -c "${command} -n ${command_args}" foo',
  ])
    expect(run(script(fine), pidP).res).toBeUndefined();
  // Nothing moves: the word is read as before.
  const still = script('"${command}" -n "${command_args}"').replace('-P ${pidfile} ', '');
  expect(run(still, pidP).res).toBeUndefined();
});

// puppet master: the pid file is a lock in the foreground too; the script runs one instance
// per service name, and with --pidfile moved all instances would share the default file.
// puppet master: the pid file is a lock in the foreground too; the script runs one instance
// per service name, and with --pidfile moved all instances would share the default file: the
// pid file words stay, and the supervisor gets a pid file of its own.
test('a daemon whose pid file is a lock, in a per-instance script: the pid file option stays; without the lock or instances, moved', () => {
  const script = (name: string, q = '"') =>
    sh('#!/sbin/openrc-run', `pidfile="/run/${name}.pid"`, `command_args=${q}master --pidfile \${pidfile} -D -v${q}`);
  const lock = rule({
    backgroundFlags: [
      { flag: '-D', why: 'daemonize' },
      { flag: '--pidfile', value: true, why: 'pidfile' },
    ],
    ownPidfile: '*',
    pidfileLock: true,
  });
  const kept = run(script('${RC_SVCNAME}'), lock);
  expect(kept.res).toBeUndefined();
  expect(kept.d.movedText).toBe('-D');
  expect(applied(kept.s, kept.d.moveEdits)).toBe(script('${RC_SVCNAME}').replace(' -D', ''));
  expect(kept.d.pidfileKept).toBe(true);
  expect(kept.d.pidfileReadAt).toBe(kept.s.initd.text.indexOf('-v"') + 3);
  expect(kept.d.notes).toEqual([
    '--pidfile ${pidfile} stays in command_args: foo writes that pid file in the foreground too (rule foo), and the supervisor keeps a pid file of its own',
  ]);
  // Single-quoted, ${pidfile} is read when the service starts, where the supervisor's own file
  // would have replaced it: refused.
  expect(run(script('${RC_SVCNAME}', "'"), lock).res?.reason).toBe(
    'foo takes its pid file as a lock in the foreground too, and this script runs one instance per service name: with the pid file option moved to command_args_background every instance would fall back to the same default file',
  );
  // One instance, or no lock: the option moves as any other.
  expect(run(script('foo'), lock).d.movedText).toBe('--pidfile ${pidfile} -D');
  expect(run(script('${RC_SVCNAME}'), rule({ ...lock, pidfileLock: undefined })).d.movedText).toBe(
    '--pidfile ${pidfile} -D',
  );
  // ptpd2: the option names the pid file through the variable pidfile is set from, with no
  // flag of its own: the word stays whole.
  const alias = (name: string) =>
    sh(
      '#!/sbin/openrc-run',
      `FOO_PIDFILE=\${FOO_PIDFILE:-/run/${name}.pid}`,
      'command_args="--global:lock_file=$FOO_PIDFILE -c /etc/foo.conf"',
      'pidfile="${FOO_PIDFILE}"',
    );
  const a = run(alias('${RC_SVCNAME}'), lock);
  expect(a.res).toBeUndefined();
  expect(a.d.moveEdits).toEqual([]);
  expect(a.d.pidfileKept).toBe(true);
  expect(run(alias('foo'), lock).d.movedText).toBe('--global:lock_file=$FOO_PIDFILE');
});

// puppetmaster's script adds to command_args below the line that names the pid file (inside
// an if): that line's ${pidfile} is still expanded where it stands, and the supervisor's own
// pid file goes below the whole if.
test('a kept ${pidfile} word in a line that later lines only add to is kept; the pid file line goes below them', () => {
  const lock = rule({
    backgroundFlags: [{ flag: '--pidfile', value: true, why: 'pidfile' }],
    ownPidfile: '*',
    pidfileLock: true,
  });
  const text = sh(
    '#!/sbin/openrc-run',
    'pidfile="/run/${RC_SVCNAME}.pid"',
    'command_args="master --pidfile ${pidfile}"',
    'if [ -n "${PORT}" ]; then',
    '\tcommand_args="${command_args} --port ${PORT}"',
    'fi',
    'command=/usr/bin/foo',
  );
  const { s, d, res } = run(text, lock);
  expect(res).toBeUndefined();
  expect(d.moveEdits).toEqual([]);
  const p = pidfileStep(ctx(s, { rule: lock }), d);
  expect(p).toBeUndefined();
  expect(d.relocation?.at).toBe(text.indexOf('command=/usr/bin/foo'));
  // A later line that replaces the value (not adding to it) leaves the word to move.
  const replaced = text.replace('"${command_args} --port', '"--port');
  expect(run(replaced, lock).res?.reason).toMatch(/^foo takes its pid file as a lock/);
});

test('command_background=yes with only a pid file flag: the flag stays, and the supervisor will get a pid file of its own', () => {
  const script = sh(
    '#!/sbin/openrc-run',
    'command_background=yes',
    'pidfile=/run/foo.pid',
    'command_args="-p ${pidfile} -v"',
  );
  const { s, d, res } = run(script, daemonizeD);
  expect(res).toBeUndefined();
  expect(d.moveEdits).toEqual([]);
  expect(d.movedText).toBe('');
  expect(d.pidfileKept).toBe(true);
  expect(d.notes).toEqual([
    '-p ${pidfile} stays in command_args (command_background cannot go with command_args_background): the daemon writes that pid file under both backends',
  ]);
  // The pidfile step then relocates the supervisor's pid file (the daemon writes this one).
  const r = pidfileStep(ctx(s, { rule: daemonizeD }), d);
  expect(r).toBeUndefined();
  expect(d.notes.join('\n')).toContain(
    'under supervise-daemon the supervisor keeps its pid in /run/supervise-${RC_SVCNAME}.pid',
  );
});

// netdata (judged sample, round 20): `pidfile=...` then `command_args="-P ${pidfile} ..."` with
// command_background=yes. The word stays and reads ${pidfile} where it stands: the supervisor's
// own pid file went between the two lines, so netdata was told to write the supervisor's file.
test('command_background=yes and a pid file word that stays: the supervisor gets its own pid file below the line that reads it', () => {
  const script = sh(
    '#!/sbin/openrc-run',
    'pidfile="${FOO_PIDFILE}"',
    'command=/usr/sbin/foo',
    'command_background="yes"',
    'command_args="-P ${pidfile} ${FOO_EXTRA_ARGS}"',
    'command_args_foreground="-D"',
  );
  const own = rule({
    foreground: '-D',
    backgroundFlags: [{ flag: '-P', value: true, why: 'pidfile' }],
    ownPidfile: '*',
  });
  const { s, d, res } = run(script, own, sh('FOO_PIDFILE=/run/foo.pid'));
  expect(res).toBeUndefined();
  expect(d.pidfileKept).toBe(true);
  const argsLine = s.initd.text.indexOf('command_args="-P');
  expect(d.pidfileReadAt).toBe(s.initd.text.indexOf('\n', argsLine));
  expect(pidfileStep(ctx(s, { rule: own }), d)).toBeUndefined();
  // Inserted after the command_args line, not after pidfile=.
  expect(d.relocation!.at).toBe(s.initd.text.indexOf('\n', argsLine) + 1);
});

test('a daemonize letter bundled with others (ipcad: IPCAD_OPTS="-rds" in conf.d) is refused, naming the bundle', () => {
  const { res } = run(sh('#!/sbin/openrc-run', 'command_args="${FOO_OPTS}"'), daemonizeD, sh('FOO_OPTS="-rds"'));
  expect(res?.reason).toBe(
    "the daemon's arguments pass -rds, which bundles the daemonize flag -d with other options: rc-supervise does not split bundles",
  );
  // A long option that merely contains the letter is no bundle.
  expect(run(sh('#!/sbin/openrc-run', 'command_args="--debug -v"'), daemonizeD).res).toBeUndefined();
});

// klondike's uhub/mimicmod: `command_args="-p ${pidfile} ${OPTS}"` above `pidfile=`. Expanded
// where it is written, -p gets nothing and takes the conf.d's `-u`: moving `-p ${pidfile}` below
// would hand uhub a user it never got (root before). Refused; set above, or in conf.d, it moves.
test('command_args reading a variable the script sets only further down: refused, nothing moved', () => {
  const late = sh(
    '#!/sbin/openrc-run',
    'command=/usr/bin/foo',
    'command_args="-p ${pidfile} ${OPTS}"',
    'pidfile=/run/foo.pid',
  );
  const { d, res } = run(late, rule(), 'OPTS="-u foo"\n');
  expect(res).toMatchObject({
    kind: 'refuse',
    code: 'dynamic',
    reason: expect.stringContaining('command_args reads ${pidfile} at line 3, before the script sets it at line 4'),
  });
  expect(d.moveEdits ?? []).toEqual([]);
  // Set above command_args, or by conf.d (sourced first): moved as before.
  const above = run(
    sh('#!/sbin/openrc-run', 'command=/usr/bin/foo', 'pidfile=/run/foo.pid', 'command_args="-p ${pidfile} ${OPTS}"'),
  );
  expect(above.res).toBeUndefined();
  expect(above.d.movedText).toBe('-p ${pidfile}');
  const confd = run(late, rule(), 'pidfile=/run/foo.pid\n');
  expect(confd.res).toBeUndefined();
  // Nothing to move: the late reference is not rc-supervise's to judge.
  const nothing = run(
    sh('#!/sbin/openrc-run', 'command=/usr/bin/foo', 'command_args="--log ${LOG}"', 'LOG=/var/log/foo'),
  );
  expect(nothing.res).toBeUndefined();
});

// influxdb's script keeps an old `command_args` line with -pidfile above the one in force: the
// dead line's words decide nothing (they made the migration say -pidfile stays, untrue).
test('a command_args line a later plain line replaces whole is dead: its flags are not moved', () => {
  const head = ['#!/sbin/openrc-run', 'command=/usr/bin/foo', 'pidfile=/run/foo.pid'];
  const dead = run(sh(...head, 'command_args="-p ${pidfile} -c x"', 'command_args="-c x"'));
  expect(dead.res).toBeUndefined();
  expect(dead.d.movedText).toBe('');
  expect(dead.d.moveEdits).toEqual([]);
  // The later line reads the earlier one, or something reads it between: both are in force.
  const appended = run(sh(...head, 'command_args="-p ${pidfile}"', 'command_args="${command_args} -c x"'));
  expect(appended.d.movedText).toBe('-p ${pidfile}');
  const readBetween = run(
    sh(...head, 'command_args="-p ${pidfile}"', 'saved="${command_args}"', 'command_args="-c x"'),
  );
  expect(readBetween.d.movedText).toBe('-p ${pidfile}');
});

// sec's Getopt::Long and bitcoind take a long option after one dash with `=`: `-pid=FILE`.
test('matchesFlag/flagsPassed: -pid=FILE is the one-dash long option -pid with its value', () => {
  const tok = (...w: string[]) => w.map((text) => ({ text, start: 0, end: 0 }));
  const pid = { flag: '-pid', value: true, why: 'pidfile' as const };
  expect(matchesFlag(tok('-pid=/run/sec.pid'), 0, pid)).toBe(1);
  expect(matchesFlag(tok('-pidfile=/run/sec.pid'), 0, pid)).toBe(0);
  expect(matchesFlag(tok('-pid=/run/sec.pid'), 0, { flag: '-pid', why: 'pidfile' })).toBe(0);
  expect(flagsPassed(['-log=x', '-pid=/run/sec.pid'], [pid])).toEqual([
    { text: '-pid=/run/sec.pid', value: '/run/sec.pid' },
  ]);
  // A one-letter flag joins its value without `=` (-p/run/x.pid): unchanged.
  expect(flagsPassed(['-p/run/x.pid'], [{ flag: '-p', value: true, why: 'pidfile' }])).toEqual([
    { text: '-p/run/x.pid', value: '/run/x.pid' },
  ]);
});

// exim.rc10: `${EXIM_OPTS:--bd -q15m}` with conf.d's EXIM_OPTS="-bd -q15m". exim's -bdf, given
// after -bd, keeps it in the foreground (foregroundOverrides), and supervise-daemon passes
// command_args_foreground after command_args: the hidden flag may stay where it is.
describe('a daemonize flag hidden in a variable, for a daemon whose foreground words win after it', () => {
  const wins = (more: Partial<Parameters<typeof rule>[0]> = {}) =>
    rule({
      id: 'food',
      foreground: '-F',
      foregroundOverrides: true,
      backgroundFlags: [
        { flag: '-d', why: 'daemonize' },
        { flag: '-p', value: true, why: 'pidfile' },
      ],
      ...more,
    });
  const note =
    '-d stays in ${FOO_OPTS:--d -q}: under supervise-daemon -F follows it (OpenRC passes command_args_foreground after command_args), and food then stays in the foreground (rule food); start-stop-daemon gets the same words as before. Every value FOO_OPTS has now holds -d: if you change it to one without, -F still gives food that daemon mode under supervise-daemon';
  const launch = (word: string) =>
    sh('#!/sbin/openrc-run', 'start() {', `\tstart-stop-daemon --start --exec /usr/sbin/food -- -C x ${word}`, '}');
  const go = (text: string, confd: string | null, r = wins()) => {
    const d = draft();
    const c = ctx(service(text, confd), { rule: r });
    expect(customStartStep(c, d)).toBeUndefined();
    return { d, res: flagsStep(c, d) };
  };

  test("the converted launch's word, conf.d's value or the default: it stays, nothing is edited", () => {
    for (const confd of [sh('FOO_OPTS="-d -q"'), sh('FOO_OPTS=""'), sh('FOO_OPTS="-q -d -v"'), null]) {
      const { d, res } = go(launch('${FOO_OPTS:--d -q}'), confd);
      expect(res).toBeUndefined();
      expect(d.moveEdits).toEqual([]);
      expect(d.movedText).toBe('');
      expect(d.notes).toContain(note);
    }
  });

  test('a later pass reads the deferred word written for it (command_args="-C x \\${FOO_OPTS:--d -q}") the same way', () => {
    const { d, res } = run(
      sh('#!/sbin/openrc-run', 'command_args="-C x \\${FOO_OPTS:--d -q}"'),
      wins(),
      sh('FOO_OPTS="-d -q"'),
    );
    expect(res).toBeUndefined();
    expect(d.moveEdits).toEqual([]);
    expect(d.notes).toContain(note.replace('${FOO_OPTS:', '\\${FOO_OPTS:'));
  });

  test('a plain ${FOO_OPTS} that other lines read, set at the top: it stays', () => {
    const { d, res } = go(
      sh(
        '#!/sbin/openrc-run',
        'start_pre() {',
        '\techo "${FOO_OPTS}"',
        '}',
        'start() {',
        '\tstart-stop-daemon --start --exec /usr/sbin/food -- ${FOO_OPTS}',
        '}',
      ),
      sh('FOO_OPTS="-d -q"'),
    );
    expect(res).toBeUndefined();
    expect(d.moveEdits).toEqual([]);
    expect(d.notes.some((n) => n.startsWith('-d stays in ${FOO_OPTS}: under supervise-daemon -F follows it'))).toBe(
      true,
    );
  });

  // Alpine's exim: `command_args=${command_args:--bd -q15m}`, conf.d's own command_args commented out.
  test("init.d's only command_args line defaulting conf.d's (command_args=${command_args:--d -q}): it stays", () => {
    const script = (...more: string[]) =>
      sh('#!/sbin/openrc-run', 'command=/usr/sbin/food', 'command_args=${command_args:--d -q}', ...more);
    for (const confd of [sh('#command_args="-d -q"'), sh('command_args="-q -d"'), null]) {
      const { d, res } = run(script(), wins(), confd);
      expect(res).toBeUndefined();
      expect(d.moveEdits).toEqual([]);
      expect(d.notes.some((n) => n.startsWith('-d stays in ${command_args:--d -q}: under supervise-daemon -F'))).toBe(
        true,
      );
    }
    // conf.d's value lacks the flag, or init.d sets command_args again: refused.
    for (const [initd, confd] of [
      [script(), sh('command_args="-q"')],
      [script('command_args="${command_args} -v"'), null],
    ] as const)
      expect(run(initd, wins(), confd).res?.reason).toContain('whose value holds -d');
  });

  test('refused where a value may lack the flag, ends the options, or a pid file word is hidden too; or without the fact', () => {
    for (const [word, confd, r] of [
      // conf.d's value has no -d: -F would give food a daemon mode the script did not ask for
      ['${FOO_OPTS:--d -q}', sh('FOO_OPTS="-q"'), wins()],
      // `-` without the colon: an empty value is used as it is
      ['${FOO_OPTS--d -q}', sh('FOO_OPTS=""'), wins()],
      // set only by a function, never at the top: it may be empty
      ['${FOO_OPTS}', sh('foo_x() {', '\tFOO_OPTS="-d -q"', '}'), wins()],
      // a function sets a value without it
      ['${FOO_OPTS:--d -q}', sh('FOO_OPTS="-d"', 'foo_x() {', '\tFOO_OPTS="-q"', '}'), wins()],
      // `--` ends the options: -F would be read as an operand
      ['${FOO_OPTS:--d -q}', sh('FOO_OPTS="-d --"'), wins()],
      // a pid file option hidden beside it must still leave, and cannot
      ['${FOO_OPTS:--d -q}', sh('FOO_OPTS="-d -p /run/food.pid"'), wins()],
      // the rule does not say the foreground words win
      ['${FOO_OPTS:--d -q}', sh('FOO_OPTS="-d -q"'), wins({ foregroundOverrides: undefined })],
    ] as const) {
      const { d, res } = go(launch(word), confd, r);
      expect(res?.reason).toContain("the daemon's arguments read ");
      expect(res?.reason).toContain('whose value holds -d');
      expect(d.notes.some((n) => n.includes(' stays in '))).toBe(false);
    }
  });
});

test('a deferred default with blanks (command_args="\\${FOO_OPTS:--d -q}") is one word: refused, conf.d not edited', () => {
  const { d, res } = run(
    sh('#!/sbin/openrc-run', 'command_args="-C x \\${FOO_OPTS:--d -q}"'),
    daemonizeD,
    sh('FOO_OPTS="-d -q"'),
  );
  expect(res?.reason).toContain('read \\${FOO_OPTS:--d -q}, whose value holds -d');
  expect(d.moveEdits).toEqual([]);
});

// i2pd (I2PD_OPTIONS also read by start_pre()'s check), ulogd (`: ${ULOGD_OPTS:=--daemon ...}`):
// the refusal says why the variable cannot be split, and where to take the flags from.
test('a hidden flag that cannot leave its variable: the refusal names the true reason and where the variable is set', () => {
  for (const [initd, confd, why] of [
    [
      sh('#!/sbin/openrc-run', 'command_args="${FOO_ARGS}"', 'start_pre() {', '\tFOO_ARGS="$FOO_ARGS -d"', '}'),
      null,
      'FOO_ARGS is set in start_pre()',
    ],
    [
      sh(
        '#!/sbin/openrc-run',
        'command_args="${FOO_ARGS}"',
        'start_pre() {',
        '\t[ -n "${FOO_ARGS}" ] || return 1',
        '}',
      ),
      sh('FOO_ARGS="-d -v"'),
      'FOO_ARGS is also read by start_pre() at line 4 of init.d',
    ],
    [
      sh('#!/sbin/openrc-run', 'FOO_ARGS="-d -v"', 'command_args="${FOO_ARGS}"'),
      sh('FOO_ARGS="-d"'),
      'FOO_ARGS is set in both init.d and conf.d',
    ],
    [
      sh('#!/sbin/openrc-run', 'A="-d"', 'B="-v ${A}"', 'command_args="$B"'),
      null,
      'they come through another variable that it reads',
    ],
    [
      sh('#!/sbin/openrc-run', "FOO_ARGS='-d'", 'command_args="${FOO_ARGS}"'),
      null,
      'FOO_ARGS is set in single quotes in init.d',
    ],
    [
      sh('#!/sbin/openrc-run', ': ${FOO_ARGS:=-d -v}', 'command_args="${FOO_ARGS}"'),
      null,
      'FOO_ARGS is set by a default in init.d (`: ${FOO_ARGS:=...}`), which a value of FOO_ARGS in conf.d replaces whole',
    ],
    [
      sh('#!/sbin/openrc-run', 'command_args="-C x ${FOO_OPTS:--d -q}"'),
      null,
      'they are written in the default of ${FOO_OPTS:--d -q} itself, which cannot be split',
    ],
  ] as const) {
    const res = run(initd, daemonizeD, confd).res;
    expect(res?.reason).toContain(
      `whose value holds -d: the flags must leave for command_args_background, and rc-supervise cannot take them out of it exactly (${why})`,
    );
  }
  const conf = run(
    sh('#!/sbin/openrc-run', 'command_args="${FOO_ARGS}"', 'start_pre() {', '\t[ -n "${FOO_ARGS}" ] || return 1', '}'),
    daemonizeD,
    sh('FOO_ARGS="-d -v"'),
  ).res;
  expect(conf?.suggestion).toBe(
    'take -d out of FOO_ARGS (set in conf.d) and give them to the daemon apart from it (command_args_background="-d" where OpenRC\'s own start runs it; in a start() of the script\'s own, as words of the launch), then migrate again',
  );
  const dflt = run(sh('#!/sbin/openrc-run', 'command_args="-C x ${FOO_OPTS:--d -q}"'), daemonizeD).res;
  expect(dflt?.suggestion).toMatch(/^take -d out of the default written in \$\{FOO_OPTS:--d -q\} and give them/);
});

// samplicator: `start-stop-daemon --background --make-pidfile ... -- ${OPTS}`, conf.d's OPTS="-f ..."
// (samplicate forks): the flag can leave conf.d's variable, but not for command_args_background.
test('a daemonize flag in a conf.d variable beside --background: refused, saying to take it out of conf.d', () => {
  const d = draft();
  const c = ctx(
    service(
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '\tstart-stop-daemon --start --background --make-pidfile --pidfile /run/foo.pid --exec /usr/bin/foo -- ${OPTS}',
        '}',
      ),
      sh('OPTS="-d -S -p 2000"'),
    ),
    { rule: daemonizeD },
  );
  expect(customStartStep(c, d)).toBeUndefined();
  const res = flagsStep(c, d);
  expect(res?.reason).toBe(
    "start-stop-daemon already puts the daemon in the background (command_background, or --background in the launch), and ${OPTS} also passes -d, with which foo forks again (rule foo): under supervise-daemon the flag must not reach it, it cannot go to command_args_background beside command_background (OpenRC refuses to start with both), and rc-supervise does not take it out of OPTS in conf.d, the user's value",
  );
  expect(res?.suggestion).toBe(
    'take -d out of OPTS in conf.d: start-stop-daemon already backgrounds the daemon, so it needs it under neither backend; then migrate again',
  );
});
