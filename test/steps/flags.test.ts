import { initParser } from '../../src/parse/parser.js';
import { customStartStep } from '../../src/steps/custom-start.js';
import { flagsStep, pickTokens } from '../../src/steps/flags.js';
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

test('refused with command_background=yes: OpenRC will not start with both', () => {
  const { res } = run(
    sh('#!/sbin/openrc-run', 'command_background=yes', 'pidfile=/run/foo.pid', 'command_args="-d -v"'),
    daemonizeD,
  );
  expect(res).toEqual({
    kind: 'refuse',
    code: 'dynamic',
    reason:
      'command_background is set and pidfile/daemonize flags would go to command_args_background: OpenRC refuses to start with both',
    suggestion: 'remove the daemonize flag from command_args by hand (the script already backgrounds the daemon)',
  });
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

describe('a flag hidden in a variable the arguments read', () => {
  test('command_args="${FOO_ARGS}" with -d in FOO_ARGS: refused, naming the variable and the flag', () => {
    const { res } = run(
      sh('#!/sbin/openrc-run', 'FOO_ARGS="-d -c /etc/foo.conf ${FOO_EXTRA}"', 'command_args="${FOO_ARGS}"'),
      daemonizeD,
    );
    expect(res && res.code).toBe('dynamic');
    expect(res && res.reason).toBe(
      "the daemon's arguments read ${FOO_ARGS}, whose value holds -d: the flags must leave for command_args_background, and rc-supervise does not split a variable other lines may read",
    );
  });

  test('also when a function adds it, or conf.d sets it, or through a second variable', () => {
    for (const [initd, confd] of [
      [sh('#!/sbin/openrc-run', 'command_args="${FOO_ARGS}"', 'start_pre() {', '\tFOO_ARGS="$FOO_ARGS -d"', '}'), null],
      [sh('#!/sbin/openrc-run', 'command_args="--verbose ${FOO_OPTS}"'), sh('FOO_OPTS="-d"')],
      [sh('#!/sbin/openrc-run', 'A="-d"', 'B="-v ${A}"', 'command_args="$B"'), null],
    ] as const)
      expect(run(initd, daemonizeD, confd).res?.reason).toContain('whose value holds -d');
  });

  test("the launch words of a converted start() are read the same way (tuntox's DAEMON_ARGS)", () => {
    const s = service(
      sh(
        '#!/sbin/openrc-run',
        'DAEMON_ARGS="-d -C /var/lib/foo"',
        'start() {',
        '\tstart-stop-daemon --start --exec /usr/bin/foo -- ${DAEMON_ARGS}',
        '}',
      ),
    );
    const d = draft();
    const c = ctx(s, { rule: daemonizeD });
    expect(customStartStep(c, d)).toBeUndefined();
    expect(flagsStep(c, d)?.reason).toContain('read ${DAEMON_ARGS}, whose value holds -d');
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
  // command_args_background="<this>": still three words, not an assignment cut short.
  expect(d.movedText).toBe('\\"-d\\" \\"-p\\" \\"${PIDFILE}\\"');
});
