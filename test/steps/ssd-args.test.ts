import { initParser } from '../../src/parse/parser.js';
import { fallbackTrap, shellQuoteWord, ssdArgsStep } from '../../src/steps/ssd-args.js';
import { ctx, draft, service, sh } from './helpers.js';

beforeAll(() => initParser());

function run(initd: string, confd: string | null = null) {
  const s = service(initd, confd);
  const d = draft();
  ssdArgsStep(ctx(s), d);
  return d;
}

const head = ['#!/sbin/openrc-run', 'command=/usr/bin/foo'];
const SPACE = '" " (a single space: OpenRC before 0.46 treats "" as unset)';

test('--wait is dropped: supervise_daemon_args is a single space, not "" (pre-0.46 falls back on "")', () => {
  const d = run(sh(...head, 'start_stop_daemon_args="--wait 1000"'));
  expect(d.lines).toEqual(['supervise_daemon_args=" "']);
  expect(d.notes).toEqual([
    `start_stop_daemon_args (--wait 1000) would reach supervise-daemon, which rejects --wait 1000: supervise_daemon_args set to ${SPACE}; the start no longer waits 1000 ms to see the daemon still running (supervise-daemon starts it again when it dies)`,
  ]);
  // Nothing here needs init.d: the lines can go to conf.d.
  expect(d.initdReasons).toEqual([]);
});

// stdiscosrv, znc: `--chdir \"${SD_HOMEDIR}\"` in a double-quoted value; OpenRC's eval reads the quotes.
test('a word that is one variable in escaped quotes: its reference in a declarative line, as written in supervise_daemon_args', () => {
  const d = run(
    sh(
      ...head,
      'D=/var/lib/foo',
      'G=foo',
      'start_stop_daemon_args="--chdir \\"${D}\\" --group \\"${G}\\" --wait 1000"',
    ),
  );
  expect(d.lines).toEqual(['directory="${D}"', 'supervise_daemon_args="--group \\"${G}\\""']);
  // Two variables in one pair of quotes make one word no single reference can stand for.
  const two = run(sh(...head, 'D=/var', 'E=lib', 'start_stop_daemon_args="--chdir \\"${D}/${E}\\" --wait 1000"'));
  expect(two.lines).toEqual([]);
});

test("a variable nothing sets (conf.d's to set): the note says what is set there reaches start-stop-daemon only", () => {
  const d = run(sh(...head, 'start_stop_daemon_args=${FOO_SSDARGS:-"--wait 1000"}'));
  expect(d.lines).toEqual(['supervise_daemon_args=" "']);
  expect(d.notes).toEqual([
    `start_stop_daemon_args (--wait 1000) would reach supervise-daemon, which rejects --wait 1000: supervise_daemon_args set to ${SPACE}; the start no longer waits 1000 ms to see the daemon still running (supervise-daemon starts it again when it dies); what FOO_SSDARGS (unset here) holds reaches start-stop-daemon only: supervise-daemon's options go in the supervise_daemon_args this migration writes (change it there: where it is written in init.d, one set in conf.d is overridden)`,
  ]);
  // Set in conf.d (znc's ZNC_SSDARGS="--wait 1000"): said without "(unset here)".
  const confd = run(sh(...head, 'start_stop_daemon_args="--wait 1000 ${FOO_SSDARGS}"'), 'FOO_SSDARGS="--wait 5"\n');
  expect(confd.lines).toEqual(['supervise_daemon_args=" "']);
  expect(confd.notes).toEqual([
    `start_stop_daemon_args (--wait 1000 --wait 5) would reach supervise-daemon, which rejects --wait 1000, --wait 5: supervise_daemon_args set to ${SPACE}; the start no longer waits 5 ms to see the daemon still running (supervise-daemon starts it again when it dies); what FOO_SSDARGS holds reaches start-stop-daemon only: supervise-daemon's options go in the supervise_daemon_args this migration writes (change it there: where it is written in init.d, one set in conf.d is overridden)`,
  ]);
  // A variable the written lines read (znc's ${ZNC_DATADIR} in directory=), or one OpenRC sets: nothing to add.
  for (const d2 of [
    run(sh(...head, 'D=/var/lib/foo', 'start_stop_daemon_args="--chdir \\"${D}\\" --wait 1000"')),
    run(sh(...head, 'start_stop_daemon_args="--wait 1000 --name ${RC_SVCNAME}${RC_CMD}"')),
  ]) {
    expect(d2.notes.length).toBe(1);
    expect(d2.notes[0]).not.toContain('reach start-stop-daemon only');
  }
});

test('--user becomes command_user, what both take stays, s-s-d-only options go', () => {
  const d = run(sh(...head, 'start_stop_daemon_args="--user foo --nicelevel 5 -w 100 --background"'));
  expect(d.lines).toEqual(['command_user="foo"', 'supervise_daemon_args="--nicelevel 5"']);
  expect(d.notes).toEqual([
    'start_stop_daemon_args (--user foo --nicelevel 5 -w 100 --background) would reach supervise-daemon, which rejects -w 100, --background: supervise_daemon_args set to "--nicelevel 5"; command_user="foo" instead of the option; the start no longer waits 100 ms to see the daemon still running (supervise-daemon starts it again when it dies)',
  ]);
});

test('--user when command_user is set already stays an option', () => {
  const d = run(sh(...head, 'command_user=bar', 'start_stop_daemon_args="--user foo --wait 10"'));
  expect(d.lines).toEqual(['supervise_daemon_args="--user foo"']);
});

test('a value that looks like an option (an empty variable swallowed) is kept as written', () => {
  const d = run(sh(...head, 'start_stop_daemon_args="--chdir --quiet --wait 5"'));
  // --chdir swallowed --quiet: both words are kept, no directory="--quiet" is made of them.
  expect(d.lines).toEqual(['supervise_daemon_args="--chdir --quiet"']);
});

test('a short letter supervise-daemon reads differently is dropped (-m is --respawn-max there)', () => {
  const d = run(sh(...head, 'start_stop_daemon_args="-m -e FOO=1"'));
  expect(d.lines).toEqual(['supervise_daemon_args="-e FOO=1"']);
});

test('only options both take: no trap, nothing added', () => {
  const d = run(sh(...head, 'start_stop_daemon_args="--nicelevel 5 --env HOME=/var/lib/foo"'));
  expect(d.lines).toEqual([]);
  expect(d.notes).toEqual([]);
});

test('supervise_daemon_args set (even in conf.d): no fallback, nothing to do', () => {
  expect(
    run(sh(...head, 'start_stop_daemon_args="--wait 1000"'), 'supervise_daemon_args="--nicelevel 1"\n').lines,
  ).toEqual([]);
});

test('start_stop_daemon_args from conf.d is read too', () => {
  const d = run(sh(...head), 'start_stop_daemon_args="--wait 200"\n');
  expect(d.lines).toEqual(['supervise_daemon_args=" "']);
});

test('empty or unset start_stop_daemon_args: no trap', () => {
  expect(run(sh(...head, 'start_stop_daemon_args=""')).lines).toEqual([]);
  expect(run(sh(...head)).lines).toEqual([]);
});

test('computed at run time: supervise_daemon_args is set so it never falls back', () => {
  const d = run(sh(...head, 'if [ -n "$X" ]; then', '\tstart_stop_daemon_args="--wait 100"', 'fi'));
  expect(d.lines).toEqual(['supervise_daemon_args=" "']);
  expect(d.notes).toEqual([
    'start_stop_daemon_args is computed at run time and would reach supervise-daemon: supervise_daemon_args set so it does not',
  ]);
});

test('kept words are quoted back to read as the same words', () => {
  const trap = fallbackTrap(service(sh(...head, `start_stop_daemon_args="--env 'A=b c' --wait 5"`)));
  expect(trap!.lines).toEqual([`supervise_daemon_args="--env 'A=b c'"`]);
  expect(shellQuoteWord("it's")).toBe(`'it'\\''s'`);
  expect(shellQuoteWord('/run/foo.pid')).toBe('/run/foo.pid');
});

// A converted start()'s `-e HOME="${FOO_HOME}"`, with FOO_HOME set by a function start_pre()
// runs: the value is read at start, the options are known.
describe('values read at start, options known', () => {
  const script = (ssdArgs: string) =>
    sh(...head, `start_stop_daemon_args="${ssdArgs}"`, 'start_pre() {', '\tFOO_HOME=/var/lib/foo', '}');

  test.each([['--env HOME=\\"\\${FOO_HOME}\\"'], ['--nicelevel \\"\\${FOO_HOME}\\" --env HOME=\\"\\${FOO_HOME}\\"']])(
    'only options supervise-daemon takes too, the unknown part in quotes of their values: nothing to block (%s)',
    (v) => {
      expect(fallbackTrap(service(script(v)))).toBeNull();
    },
  );

  test.each([
    // Unquoted, or a whole word of its own: it could be an option.
    ['--env HOME=\\${FOO_HOME}'],
    ['--env A=b \\"\\${FOO_HOME}\\"'],
    // Joined to its short option: an empty value would take the next word instead.
    ['-e\\"\\${FOO_HOME}\\"'],
    // An option supervise-daemon rejects among them.
    ['--wait 100 --env HOME=\\"\\${FOO_HOME}\\"'],
  ])('otherwise computed at run time, as before (%s)', (v) => {
    const trap = fallbackTrap(service(script(v)));
    expect(trap).not.toBeNull();
    expect(trap!.words).toBeNull();
  });

  // deluged's converted start(): `${DELUGED_UMASK:+--umask ${DELUGED_UMASK}}` before the --env.
  // Both supervisors' evals give --umask only when the variable is set: the options are known.
  test.each([
    ['\\${FOO_UMASK:+--umask \\${FOO_UMASK}} --env HOME=\\"\\${FOO_HOME}\\"'],
    ['--env HOME=\\"\\${FOO_HOME}\\" \\${FOO_UMASK:+--umask \\$FOO_UMASK}'],
  ])('an option given only when its variable is set, with that variable as its value: nothing to block (%s)', (v) => {
    expect(fallbackTrap(service(script(v)))).toBeNull();
    expect(fallbackTrap(service(script(v), 'FOO_UMASK=0002'))).toBeNull();
  });

  test.each([
    // An option supervise-daemon rejects inside the condition.
    ['\\${FOO_UMASK:+--wait \\${FOO_UMASK}} --env HOME=\\"\\${FOO_HOME}\\"', null],
    // Another word inside it, or another variable.
    ['\\${FOO_UMASK:+--umask 022 \\${FOO_UMASK}} --env HOME=\\"\\${FOO_HOME}\\"', null],
    ['\\${FOO_UMASK:+--umask \\${FOO_MASK}} --env HOME=\\"\\${FOO_HOME}\\"', null],
    // A value the eval would split into two words.
    ['\\${FOO_UMASK:+--umask \\${FOO_UMASK}} --env HOME=\\"\\${FOO_HOME}\\"', 'FOO_UMASK="0002 --wait 100"'],
    // Inside double quotes it is one word, `--umask 0002`, no option either reads.
    ['--env \\"HOME=\\${FOO_HOME} \\${FOO_UMASK:+--umask \\${FOO_UMASK}}\\"', null],
  ])('otherwise computed at run time, as before (%s, conf.d %s)', (v, confd) => {
    const trap = fallbackTrap(service(script(v), confd));
    expect(trap).not.toBeNull();
    expect(trap!.words).toBeNull();
  });
});

// Values written from variables follow them (conf.d can change them later); unknown ones
// and options chosen by an expansion are refused, never frozen or read as empty.
describe('words the script takes from variables', () => {
  const step = (initd: string, confd: string | null = null) => {
    const d = draft();
    const r = ssdArgsStep(ctx(service(initd, confd)), d);
    return { d, r };
  };

  test('each value is written as the reference it came from, by position (not by equal values)', () => {
    const { d, r } = step(
      sh(...head, 'start_stop_daemon_args="--user ${FOO_USER} --group ${FOO_GROUP} --wait 100"'),
      sh('FOO_USER="foo"', 'FOO_GROUP="foo"'),
    );
    expect(r).toBeUndefined();
    expect(d.lines).toEqual(['command_user="${FOO_USER}"', 'supervise_daemon_args="--group ${FOO_GROUP}"']);
  });

  test('a variable a sourced file may set is unknown: refused', () => {
    const { r } = step(
      sh(...head, '. /etc/conf.d/other', 'start_stop_daemon_args="--chdir ${FOO_DIR} --user foo -w 5"'),
    );
    expect(r?.reason).toContain('start_stop_daemon_args reads FOO_DIR, which neither the script nor its conf.d sets');
  });

  test('an option chosen by an expansion (${FOO_USER:+--user}) is refused; a dropped default is not', () => {
    const { r } = step(
      // Its value another variable's: which words reach supervise-daemon cannot be told.
      sh(...head, 'start_stop_daemon_args="--background ${FOO_USER:+--user} ${FOO_NAME}"'),
      sh('FOO_USER=""'),
    );
    expect(r?.reason).toContain('start_stop_daemon_args chooses options by an expansion');
    const fine = step(sh(...head, 'start_stop_daemon_args=${FOO_SSDARGS:-"--wait 1000"}'));
    expect(fine.r).toBeUndefined();
    expect(fine.d.lines).toEqual(['supervise_daemon_args=" "']);
  });

  // dash-core, zcash, the bitcoin forks: `${SSD_OPTS:--N ${DASHD_NICE} -w 2000}`; grafana:
  // `${SSD_OPTS:-"-d /usr/share/grafana -w 1000"}`. SSD_OPTS is set nowhere: the default applies,
  // word by word; what a conf.d SSD_OPTS would hold reaches start-stop-daemon only (said).
  test('a default for a variable set nowhere is what applies: its words as the script writes them', () => {
    const nice = step(sh(...head, 'FOO_NICE=0', 'start_stop_daemon_args="${SSD_OPTS:--N ${FOO_NICE} -w 2000}"'));
    expect(nice.r).toBeUndefined();
    expect(nice.d.lines).toEqual(['supervise_daemon_args="-N ${FOO_NICE}"']);
    expect(nice.d.notes[0]).toContain('what SSD_OPTS (unset here) holds reaches start-stop-daemon only');
    const dir = step(sh(...head, 'start_stop_daemon_args="${SSD_OPTS:-"-d /usr/share/foo -w 1000"}"'));
    expect(dir.r).toBeUndefined();
    expect(dir.d.lines).toEqual(['directory="/usr/share/foo"', 'supervise_daemon_args=" "']);
    // Set in conf.d (or anywhere): which words apply depends on it: refused as before.
    const set = step(sh(...head, 'start_stop_daemon_args="${SSD_OPTS:--N 5 -w 2000}"'), sh('SSD_OPTS="-N 5 -w 100"'));
    expect(set.r?.reason).toContain('start_stop_daemon_args chooses options by an expansion');
  });

  test('a kept word from a variable holding several words cannot be written as the script does: refused', () => {
    const { r } = step(sh(...head, 'start_stop_daemon_args="${FOO_SSD} --wait 100"'), sh('FOO_SSD="--nicelevel 5"'));
    expect(r?.reason).toContain('start_stop_daemon_args passes --nicelevel through a variable');
  });

  // chronograf, telegraf, gogs: `: ${SSD_OPTS:="-w 1000 -1 ${LOG} -2 ${LOG}"}` and
  // start_stop_daemon_args="${SSD_OPTS}": the script's own default holds the words, each from
  // its own source; what a conf.d SSD_OPTS would hold reaches start-stop-daemon only (said).
  test("a variable the script alone sets above, once, stands for its own words (chronograf's SSD_OPTS default)", () => {
    const script = (set: string) =>
      sh(...head, ': ${FOO_LOG:="/var/log/foo/foo.log"}', set, 'start_stop_daemon_args="${SSD_OPTS}"');
    const { d, r } = step(script(': ${SSD_OPTS:="-w 1000 -1 ${FOO_LOG} -2 ${FOO_LOG}"}'));
    expect(r).toBeUndefined();
    expect(d.lines).toEqual(['output_log="${FOO_LOG}"', 'error_log="${FOO_LOG}"', 'supervise_daemon_args=" "']);
    expect(d.notes[0]).toContain(
      "what SSD_OPTS holds reaches start-stop-daemon only: supervise-daemon's options go in the supervise_daemon_args this migration writes (change it there: where it is written in init.d, one set in conf.d is overridden)",
    );
    expect(step(script('SSD_OPTS="--nicelevel 5 --wait 100"')).d.lines).toEqual([
      'supervise_daemon_args="--nicelevel 5"',
    ]);
    // A variable of one word keeps its reference (stdiscosrv's `--user ${SD_USER}`, set above
    // with a default): a copy of its value would no longer follow conf.d.
    const one = step(sh(...head, ': ${FOO_USER:=foo}', 'start_stop_daemon_args="--user ${FOO_USER} --group foo -w 5"'));
    expect(one.d.lines).toEqual(['command_user="${FOO_USER}"', 'supervise_daemon_args="--group foo"']);
    // Set in conf.d too, or set twice: its words cannot be told apart by source: refused.
    for (const [initd, confd] of [
      [script(': ${SSD_OPTS:="--nicelevel 5 -w 1000"}'), 'SSD_OPTS="--nicelevel 5 -w 1000"\n'],
      [script('SSD_OPTS="--nicelevel 5 -w 1000"\nSSD_OPTS="${SSD_OPTS} -w 2"'), null],
    ] as const)
      expect(step(initd, confd).r?.reason).toContain('through a variable rc-supervise cannot write as the script does');
    // Set below the line: start_stop_daemon_args is empty where it is assigned, so nothing reaches supervise-daemon.
    const below = step(sh(...head, 'start_stop_daemon_args="${SSD_OPTS}"', 'SSD_OPTS="--nicelevel 5 -w 1000"'));
    expect(below.r).toBeUndefined();
    expect(below.d.lines).toEqual([]);
  });
});

test('a unique prefix getopt_long accepts (--nice) is kept, written out in full (collectd)', () => {
  const d = draft();
  const r = ssdArgsStep(
    ctx(service(sh(...head, 'start_stop_daemon_args="--wait 1000 --nice ${NICE}"'), sh('NICE=5'))),
    d,
  );
  expect(r).toBeUndefined();
  expect(d.lines).toEqual(['supervise_daemon_args="--nicelevel ${NICE}"']);
});

test('computed at run time from variables (clsync\'s "${cmd_nice} ${cmd_ionice}"): refused, not blocked wholesale', () => {
  const d = draft();
  const r = ssdArgsStep(
    ctx(
      service(
        sh(
          ...head,
          'if [ -n "$NICE" ]; then',
          '\tcmd_nice="--nice $NICE"',
          'fi',
          'start_stop_daemon_args="${cmd_nice} -w 5"',
          'if [ -n "$X" ]; then',
          '\tstart_stop_daemon_args="-w 9"',
          'fi',
        ),
      ),
    ),
    d,
  );
  expect(r?.reason).toContain(
    'start_stop_daemon_args is computed at run time: which of its options supervise-daemon also takes',
  );
});

test('--chuid (bopm) becomes command_user, as the script writes it, and leaves supervise_daemon_args', () => {
  const d = draft();
  expect(
    ssdArgsStep(ctx(service(sh(...head, 'start_stop_daemon_args="--quiet --chuid ${FOO_UID}"'), sh('FOO_UID=foo'))), d),
  ).toBeUndefined();
  expect(d.lines).toEqual(['command_user="${FOO_UID}"', 'supervise_daemon_args="--quiet"']);
});

// phackerlay's jupyterhub: `-3 logger -4 logger` sent the daemon's only log to syslog. The
// options are dropped for supervise-daemon (it reads -3 otherwise), and what they carried is lost.
test('--stdout-logger/--stderr-logger dropped: a warning per stream, unless the stream goes to a file', () => {
  const d = run(sh(...head, 'start_stop_daemon_args="-b -m -3 logger --stderr-logger=logger"'));
  expect(d.lines).toEqual(['supervise_daemon_args=" "']);
  expect(d.warnings).toEqual([
    "start_stop_daemon_args hands the daemon's stdout to a logger process (--stdout-logger), which is not carried over (supervise-daemon takes a logger only from OpenRC 0.51, as output_logger): under supervise-daemon that stdout is discarded; set output_log to a file, or from OpenRC 0.51 output_logger, to keep it",
    "start_stop_daemon_args hands the daemon's stderr to a logger process (--stderr-logger), which is not carried over (supervise-daemon takes a logger only from OpenRC 0.51, as error_logger): under supervise-daemon that stderr is discarded; set error_log to a file, or from OpenRC 0.51 error_logger, to keep it",
  ]);
  // A stream the script names a file for (or --stderr, written as error_log) is not lost.
  const kept = run(
    sh(...head, 'output_log=/var/log/foo.log', 'start_stop_daemon_args="-3 logger -2 /var/log/foo.err -4 logger"'),
  );
  expect(kept.lines).toContain('error_log="/var/log/foo.err"');
  expect(kept.warnings).toEqual([]);
  // Without a logger option: nothing said.
  expect(run(sh(...head, 'start_stop_daemon_args="--wait 1000"')).warnings).toEqual([]);
});

// headscale's conf.d: HEADSCALE_OPTIONS="serve" in start_stop_daemon_args. start-stop-daemon hands
// a word that is no option of its own to the daemon; supervise-daemon would not (found by a
// knowledge-base helper: the migration started headscale without its subcommand).
test('a word in start_stop_daemon_args that is no option: refused, naming it; options only: migrated', () => {
  const refuse = (initd: string, confd: string | null = null) => {
    const s = service(initd, confd);
    return ssdArgsStep(ctx(s), draft());
  };
  expect(refuse(sh(...head, 'start_stop_daemon_args="${FOO_OPTIONS}"'), 'FOO_OPTIONS="serve"\n')).toEqual({
    kind: 'refuse',
    code: 'dynamic',
    reason:
      'start_stop_daemon_args passes serve, which is no option of start-stop-daemon: it hands it to the daemon in front of command_args, and supervise-daemon would not, so the daemon would start without it',
    suggestion: 'move serve out of start_stop_daemon_args to the front of command_args, then migrate again',
  });
  expect(refuse(sh(...head, 'start_stop_daemon_args="--wait 100 --user foo"'))).toBeUndefined();
});

// clsync-like: options chosen by conditions into variables, each only ones supervise-daemon takes alike.
test('computed from variables that only ever hold shared options: nothing to block, no supervise_daemon_args', () => {
  const d = draft();
  const r = ssdArgsStep(
    ctx(
      service(
        sh(
          ...head,
          '[ -n "${FOO_NICE}" ] && nice_opt="--nice ${FOO_NICE}"',
          '[ -n "${FOO_IO}" ] && io_opt="--ionice ${FOO_IO}"',
          'start_stop_daemon_args="${nice_opt} ${io_opt}"',
        ),
      ),
    ),
    d,
  );
  expect(r).toBeUndefined();
  expect(d.lines).toEqual([]);
});

// sks-like: a sourced file may set DIR; it only ever lands in --chdir's value, and the options are shared.
test('a sourced file may set a variable read only as an option value: shared options, nothing to block', () => {
  const d = draft();
  const r = ssdArgsStep(
    ctx(service(sh(...head, 'source /etc/foo.conf', 'start_stop_daemon_args="--chdir ${FOO_DIR} --user foo"'))),
    d,
  );
  expect(r).toBeUndefined();
  expect(d.lines).toEqual([]);
  // As a whole word (options of its own), what the sourced file puts there is unknown: refused.
  const w = ssdArgsStep(
    ctx(service(sh(...head, 'source /etc/foo.conf', 'start_stop_daemon_args="${FOO_OPTS} --user foo"'))),
    draft(),
  );
  expect(w?.reason).toContain('FOO_OPTS');
  // A variable that may hold a start-stop-daemon-only option is no run of shared ones.
  const bg = ssdArgsStep(
    ctx(service(sh(...head, '[ -n "$X" ] && o="--wait 100"', 'start_stop_daemon_args="${o} --nice 5"'))),
    draft(),
  );
  expect(bg?.reason).toContain('computed at run time');
});

// mysqld_exporter-like: start_stop_daemon_args grown line by line from its own value.
test('built line by line from its own value: each word keeps the reference it came from', () => {
  const lines = [
    'FOO_USER=${FOO_USER:-"foo"}',
    'FOO_GROUP=${FOO_GROUP:-"foo"}',
    'FOO_SSD=${FOO_SSD:-"--wait 500"}',
    'start_stop_daemon_args="${FOO_SSD}"',
    'start_stop_daemon_args="${start_stop_daemon_args} --user ${FOO_USER}"',
    'start_stop_daemon_args="${start_stop_daemon_args} --group ${FOO_GROUP}"',
    'start_stop_daemon_args="${start_stop_daemon_args} --stdout /var/log/foo/${RC_SVCNAME}.log"',
  ];
  const d = draft();
  const r = ssdArgsStep(ctx(service(sh(...head, ...lines))), d);
  expect(r).toBeUndefined();
  expect(d.lines).toEqual([
    'command_user="${FOO_USER}"',
    'output_log="/var/log/foo/${RC_SVCNAME}.log"',
    'supervise_daemon_args="--group ${FOO_GROUP}"',
  ]);
  // One line in a condition: which lines made the value cannot be told: refused as before.
  const cond = [...lines.slice(0, 5), 'if [ -n "$X" ]; then', `\t${lines[5]}`, 'fi', lines[6]];
  const c = ssdArgsStep(ctx(service(sh(...head, ...cond))), draft());
  expect(c?.reason).toContain('cannot');
  // The first line reads conf.d's value: not followed either.
  const fromConfd = ['start_stop_daemon_args="${start_stop_daemon_args} --wait 500"', ...lines.slice(4)];
  const f = ssdArgsStep(ctx(service(sh(...head, 'FOO_USER=foo', 'FOO_GROUP=foo', ...fromConfd))), draft());
  expect(f?.reason).toContain('cannot');
});

// ps3mediaserver-like: `${V:+--user} ${V}` gives the option only when V is set, V its value.
test('an option given only when its variable is set, that variable its value: kept as written', () => {
  const value =
    'start_stop_daemon_args="--background --make-pidfile ${FOO_U:+--user} ${FOO_U} ${FOO_G:+--group} ${FOO_G}"';
  const d = draft();
  const r = ssdArgsStep(ctx(service(sh(...head, value), sh('FOO_U=', 'FOO_G='))), d);
  expect(r).toBeUndefined();
  expect(d.lines).toEqual(['supervise_daemon_args="${FOO_U:+--user} ${FOO_U} ${FOO_G:+--group} ${FOO_G}"']);
  // Another word, or another variable, as its value: refused as before.
  for (const v of [
    'start_stop_daemon_args="--background ${FOO_U:+--user} foo"',
    'start_stop_daemon_args="--background ${FOO_U:+--user} ${FOO_G}"',
  ]) {
    const x = ssdArgsStep(ctx(service(sh(...head, v))), draft());
    expect(x?.reason).toContain('chooses options by an expansion');
  }
});

test('a variable in an option value that holds several words is split by the eval: not a shared run', () => {
  const r = ssdArgsStep(
    ctx(
      service(sh(...head, 'FOO_ENV="A=1 B=2"', '[ -n "$X" ] && o="--env ${FOO_ENV}"', 'start_stop_daemon_args="${o}"')),
    ),
    draft(),
  );
  expect(r?.reason).toContain('computed at run time');
  // Quoted for the eval, it stays one word.
  const q = ssdArgsStep(
    ctx(
      service(
        sh(
          ...head,
          'FOO_ENV="A=1 B=2"',
          'd=/var/lib/foo',
          'start_stop_daemon_args="--chdir ${d} --env \'V=${FOO_ENV}\'"',
        ),
      ),
    ),
    draft(),
  );
  expect(q).toBeUndefined();
});

// jetty-runner's `supervise_daemon_args="$supervise_daemon_args"`: empty, which OpenRC 0.45
// (Debian 12) reads as unset, so start-stop-daemon's --wait would still reach supervise-daemon.
test('an empty supervise_daemon_args does not stop the fallback before OpenRC 0.46: refused', () => {
  const initd = sh(...head, 'start_stop_daemon_args="--wait 200"', 'supervise_daemon_args="$supervise_daemon_args"');
  const r = ssdArgsStep(ctx(service(initd)), draft());
  expect(r).toMatchObject({ kind: 'refuse', code: 'dynamic' });
  expect(r && r.reason).toContain(
    'supervise_daemon_args is set but empty (etc/init.d/foo:4), which stops the fallback to start_stop_daemon_args only from OpenRC 0.46 on',
  );
  expect(r && r.reason).toContain('start_stop_daemon_args (--wait 200) would reach supervise-daemon');
  // A single space stops it in every version; options supervise-daemon takes too need nothing.
  expect(ssdArgsStep(ctx(service(initd.replace('"$supervise_daemon_args"', '" "'))), draft())).toBeUndefined();
  expect(ssdArgsStep(ctx(service(initd.replace('--wait 200', '--nicelevel 5'))), draft())).toBeUndefined();
});
