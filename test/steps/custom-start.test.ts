import { initParser } from '../../src/parse/parser.js';
import { customStartStep, directlyRun, launchedDaemon, startShape } from '../../src/steps/custom-start.js';
import type { Refusal } from '../../src/steps/index.js';
import { applied, ctx, draft, rule, service, sh } from './helpers.js';

beforeAll(() => initParser());

const PREFIX = 'custom start()/stop(): ';

function run(initd: string, more: Parameters<typeof ctx>[1] = {}, confd: string | null = null) {
  const s = service(initd, confd);
  const d = draft();
  const r = customStartStep(ctx(s, more), d);
  return { s, d, r };
}

function refusal(initd: string, more: Parameters<typeof ctx>[1] = {}): Refusal {
  const { r, d } = run(initd, more);
  expect(r).toBeDefined();
  // A refusal leaves the draft as it was.
  expect(d.converted).toBeNull();
  expect(d.notes).toEqual([]);
  return r as Refusal;
}

describe('a single start-stop-daemon launch', () => {
  const script = sh(
    '#!/sbin/openrc-run',
    'description="foo daemon"',
    '',
    'start() {',
    '\tcheckpath -d -o foo /run/foo',
    '\tebegin "Starting foo"',
    '\tstart-stop-daemon --start --exec /usr/bin/foo --pidfile /run/foo.pid -- --config /etc/foo.conf',
    '\teend $?',
    '}',
  );

  // supervise-daemon returns once the child is spawned, not when the daemon is ready: a step
  // after the launch would run too early, so such a start() is not converted.
  test('a step after the launch that may need the daemon is refused, naming it', () => {
    const r = refusal(script.replace('\teend $?\n', '\teend $?\n\ttouch /run/foo/ready\n'));
    expect(r.reason).toBe(
      `${PREFIX}start() runs \`touch /run/foo/ready\` after the launch; under the supervisor start_post() could run it before the daemon is ready`,
    );
  });

  // log_packets: `start-stop-daemon -b -m ... snort` then real_cleandisk. --background returned at
  // the spawn, so the step never waited for the daemon: it stays, in start_post(). Not with --wait
  // (start-stop-daemon then returned only after that time), nor without --background.
  test('a step after a --background launch is kept in start_post(): that start returned at the spawn too', () => {
    const any = rule({ foreground: '' });
    const bg = script
      .replace('--start --exec', '--start --background --make-pidfile --exec')
      .replace('\teend $?\n', '\teend $?\n\tclean_old_logs\n');
    const { r, d, s } = run(bg, { rule: any });
    expect(r).toBeUndefined();
    expect(applied(s, d.converted!.edits)).toContain('start_post() {\n\tclean_old_logs\n}');
    expect(d.converted?.notes).toContain(
      'start_post() keeps `clean_old_logs`, which start() ran after the launch: start-stop-daemon --background returned as soon as the daemon was spawned, so it never waited for the daemon to be ready, and under the supervisor it runs at the same moment; like all of start_post() it runs once per start, not again when the supervisor restarts a daemon that died',
    );
    expect(refusal(bg.replace('--make-pidfile', '--make-pidfile --wait 500'), { rule: any }).reason).toBe(
      `${PREFIX}start() runs \`clean_old_logs\` after the launch; under the supervisor start_post() could run it before the daemon is ready`,
    );
    // What touches the daemon's pid file stays refused, --background or not, by path or by the
    // variable the launch's --pidfile reads; and so does $!, the pid of a job start_post() lacks.
    expect(refusal(bg.replace('clean_old_logs', 'chmod 644 /run/foo.pid'), { rule: any }).reason).toMatch(
      /pid file after the launch/,
    );
    const viaVar = bg
      .replace('--pidfile /run/foo.pid', '--pidfile ${FOO_PID}')
      .replace('description="foo daemon"', 'description="foo daemon"\nFOO_PID=/run/foo.pid');
    for (const touch of ['chown foo $FOO_PID', 'chown foo ${FOO_PID%.pid}.pid'])
      expect(refusal(viaVar.replace('clean_old_logs', touch), { rule: any }).reason).toMatch(
        /pid file after the launch/,
      );
    expect(refusal(bg.replace('clean_old_logs', 'kill -0 $!'), { rule: any }).reason).toBe(
      `${PREFIX}start() reads $! (the last background job's pid) after the launch; start_post() has no such job`,
    );
    // A command named by a variable: what runs is not known.
    expect(refusal(bg.replace('clean_old_logs', '$FOO_EXTRA'), { rule: any }).reason).toBe(
      `${PREFIX}start() runs \`$FOO_EXTRA\` after the launch; under the supervisor start_post() could run it before the daemon is ready`,
    );
    // -w is --wait; -bm is --background --make-pidfile.
    expect(refusal(bg.replace('--make-pidfile', '--make-pidfile -w 500'), { rule: any }).reason).toMatch(
      /could run it before/,
    );
    expect(run(bg.replace('--background --make-pidfile', '-bm'), { rule: any }).r).toBeUndefined();
  });

  // spread: `start-stop-daemon --background --make-pidfile … &`. The `&` only hid the launch's
  // status from start(); without --background it is what backgrounds the daemon: refused, unless
  // --make-pidfile names the program itself (sancp's, below).
  test('a lone `&` after a --background launch is dropped with a note; without --background refused', () => {
    const amp = script
      .replace('--start --exec', '--start --background --make-pidfile --exec')
      .replace('/etc/foo.conf\n', '/etc/foo.conf &\n');
    const { r, d } = run(amp);
    expect(r).toBeUndefined();
    expect(d.converted?.notes).toContain(
      "start() ran start-stop-daemon --background in the background of its own shell (`&`), which only kept it from seeing the launch's status: openrc-run now sees and reports it",
    );
    const plain = refusal(amp.replace(' --background --make-pidfile', ''));
    expect(plain.reason).toBe(
      `${PREFIX}start() runs start-stop-daemon in the background of its own shell (\`&\`), without --background and without --make-pidfile --pidfile: that says nothing about whether the daemon forks or stays in the foreground`,
    );
    expect(plain.suggestion).toMatch(
      /^if the program stays in the foreground, launch it with --background --make-pidfile/,
    );
    expect(refusal(amp.replace('/etc/foo.conf &', '/etc/foo.conf & sleep 1')).reason).toBe(
      `${PREFIX}start() chains the launch with other commands on its line (\`& sleep 1\`)`,
    );
  });

  test('becomes command/command_args; the steps before it become start_pre()', () => {
    const { s, d, r } = run(script);
    expect(r).toBeUndefined();
    const c = d.converted!;
    expect(c.command).toBe('/usr/bin/foo');
    expect(c.args.map((a) => a.text)).toEqual(['--config', '/etc/foo.conf']);
    // Each argument's span is its place in init.d (the flags step cuts there).
    for (const a of c.args) expect(s.initd.text.slice(a.start, a.end)).toBe(a.text);
    expect(c.lines).toEqual(['pidfile=/run/foo.pid']);
    expect(c.hoist).toEqual([]);
    expect(c.backgroundMakePidfile).toBe(false);
    // ebegin/eend about the launch go (openrc-run prints its own); a failing step before the
    // launch did not stop start(), so start_pre() ends with `return 0`.
    expect(applied(s, c.edits)).toBe(
      sh(
        '#!/sbin/openrc-run',
        'description="foo daemon"',
        '',
        'start_pre() {',
        '\tcheckpath -d -o foo /run/foo',
        '\treturn 0',
        '}',
      ),
    );
    expect(d.notes).toEqual([
      'custom start() replaced by command/command_args, so that the supervisor starts the daemon',
      'what start() did before the launch is now start_pre()',
    ]);
    expect(d.initdReasons).toEqual(['custom start()/stop() must be replaced in init.d']);
    expect(d.evidence).toEqual([]);
  });

  test('its reason goes first among the init.d reasons', () => {
    const s = service(script);
    const d = draft({ initdReasons: ['earlier'] });
    customStartStep(ctx(s), d);
    expect(d.initdReasons).toEqual(['custom start()/stop() must be replaced in init.d', 'earlier']);
  });

  test('start_pre() whose last line is a return keeps it, no second return', () => {
    const { s, d } = run(
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '\tcheckpath -d /run/foo || return 1',
        '\t[ -f /etc/foo.conf ] || return 1',
        '\tstart-stop-daemon --start --exec /usr/bin/foo',
        '}',
      ),
    );
    expect(applied(s, d.converted!.edits)).toBe(
      sh(
        '#!/sbin/openrc-run',
        'start_pre() {',
        '\tcheckpath -d /run/foo || return 1',
        '\t[ -f /etc/foo.conf ] || return 1',
        '\treturn 0',
        '}',
      ),
    );
  });

  test('a launch alone: start() is removed with the blank line after it', () => {
    const { s, d } = run(
      sh(
        '#!/sbin/openrc-run',
        '',
        'start() {',
        '\tebegin "Starting foo"',
        '\tstart-stop-daemon --start --exec /usr/bin/foo -- -f',
        '\teend $?',
        '}',
        '',
        'depend() {',
        '\tneed net',
        '}',
      ),
    );
    expect(applied(s, d.converted!.edits)).toBe(sh('#!/sbin/openrc-run', '', 'depend() {', '\tneed net', '}'));
    expect(d.notes).toEqual([
      'custom start() replaced by command/command_args, so that the supervisor starts the daemon',
    ]);
  });

  test('the program as an operand: start-stop-daemon -S /usr/bin/x --user u -- args', () => {
    const { d, r } = run(
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '\tstart-stop-daemon -S /usr/bin/x --user u -- --foreground -c x.conf',
        '}',
      ),
    );
    expect(r).toBeUndefined();
    expect(d.converted!.command).toBe('/usr/bin/x');
    expect(d.converted!.args.map((a) => a.text)).toEqual(['--foreground', '-c', 'x.conf']);
    expect(d.converted!.lines).toEqual(['command_user=u']);
  });

  test('--user="x" keeps its quoting in command_user', () => {
    const { d } = run(
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '\tstart-stop-daemon --start --exec /usr/bin/foo --user="foo:foo bar"',
        '}',
      ),
    );
    expect(d.converted!.lines).toEqual(['command_user="foo:foo bar"']);
  });

  test('--chdir, --name: declarative variables, procname', () => {
    const { d } = run(
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '\tstart-stop-daemon --start --exec /usr/bin/foo --chdir /var/lib/foo --name foo',
        '}',
      ),
    );
    expect(d.converted!.lines).toEqual(['directory=/var/lib/foo', 'procname=foo']);
    // mailgraph's launch names --name twice: one procname= line.
    const twice = run(
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '\tstart-stop-daemon --start --name foo --exec /usr/bin/foo --name foo',
        '}',
      ),
    );
    expect(twice.d.converted!.lines).toEqual(['procname=foo']);
  });

  // xsp: `--exec /usr/bin/mono /usr/lib/mono/${xsppath} -- --root ...`: the operand before `--`
  // is mono's first argument (getopt moves it behind the options); it used to be dropped.
  test.each([
    [
      '--start --background --make-pidfile --pidfile /run/foo.pid --exec /usr/bin/mono /usr/lib/foo/foo.exe -- --port 80',
      ['/usr/lib/foo/foo.exe', '--port', '80'],
    ],
    // Several operands, in order, before the words after `--` (getopt_long permutes them).
    ['--start --exec /usr/bin/mono /etc/foo.xml run -- -v', ['/etc/foo.xml', 'run', '-v']],
  ])("operands before `--` with --exec are the daemon's first arguments: %s", (words, args) => {
    const { d, r } = run(sh('#!/sbin/openrc-run', 'start() {', `\tstart-stop-daemon ${words}`, '}'));
    expect(r).toBeUndefined();
    expect(d.converted!.command).toBe('/usr/bin/mono');
    expect(d.converted!.args.map((a) => a.text)).toEqual(args);
  });

  // tas: stop() ran `IPMITAS -agent stop-service`, the daemon's own shutdown command; epmd's
  // `-kill` is a request epmd turns down while nodes are registered. Only where the rule names
  // the words as sending TERM (avahi-daemon -k) does it convert; a rule without them refuses.
  test("stop() that runs the daemon's own program to stop it: refused unless the rule names its stop words", () => {
    const script = sh(
      '#!/sbin/openrc-run',
      'command="/usr/bin/foo"',
      'command_args="-agent start-service"',
      'stop() {',
      '\t${command} -agent stop-service',
      '}',
    );
    const { r } = run(script);
    expect(r && r.reason).toBe(
      'custom start()/stop(): stop() stops the daemon through its own program (${command} -agent stop-service); the supervisor would only send it a signal',
    );
    expect(run(script, { rule: rule({ daemons: ['foo'] }) }).r?.reason).toBe(r?.reason);
    expect(run(script, { rule: rule({ daemons: ['foo'], stopWords: ['-kill'] }) }).r?.reason).toBe(r?.reason);
    const killer = sh('#!/sbin/openrc-run', 'command="/usr/bin/foo"', 'stop() {', '\t${command} -k', '}');
    expect(run(killer, { rule: rule({ daemons: ['foo'] }) }).r?.reason).toMatch(
      /through its own program \(\$\{command\} -k\)/,
    );
    expect(run(killer, { rule: rule({ daemons: ['foo'], stopWords: ['-k', '--kill'] }) }).r).toBeUndefined();
  });

  // eturnal: `"${command}" stop`, where command is eturnalctl and command_args its foreground
  // word. Its knowledge entry's stopWords (relx's stop runs init:stop(), which the VM's SIGTERM
  // handler runs too) make it the supervisor's stop, and the migration says why.
  test("stop() that runs the daemon's own program with the rule's stop word: the supervisor's stop, with a note", () => {
    const script = sh(
      '#!/sbin/openrc-run',
      'command="/usr/sbin/fooctl"',
      'command_args="foreground"',
      'command_background=1',
      'pidfile="/run/foo.pid"',
      'stop() {',
      '\tebegin "Stopping ${RC_SVCNAME}"',
      '\t"${command}" stop',
      '\teend $?',
      '}',
    );
    expect(run(script).r?.reason).toMatch(/through its own program \("\$\{command\}" stop\)/);
    const { r, d } = run(script, { rule: rule({ daemons: ['fooctl'], stopWords: ['stop'] }) });
    expect(r).toBeUndefined();
    expect(d.notes).toContain(
      'stop() ran "${command}" stop, which stops the daemon the way SIGTERM does (its rule\'s stopWords, with their source): the supervisor\'s stop, which sends SIGTERM, replaces it',
    );
    expect(run(script, { rule: rule({ daemons: ['fooctl'], stopWords: ['halt'] }) }).r?.reason).toMatch(
      /through its own program/,
    );
  });

  // knot: `knotc stop`, and only when that failed a start-stop-daemon --stop through the pid
  // file. knotd's knowledge entry (stopCommands: knotc stop) says the control command ends it
  // the way SIGTERM does, so both paths are the supervisor's stop; without it, refused.
  describe('a control command that stops the daemon the way SIGTERM does, with a TERM fallback', () => {
    const stop = (...body: string[]) =>
      sh(
        '#!/sbin/openrc-run',
        'command=/usr/sbin/food',
        'pidfile=/run/food/food.pid',
        'start() {',
        '\tcheckpath -d /run/food',
        '\tebegin "Starting food"',
        '\tstart-stop-daemon --start --pidfile $pidfile --exec $command',
        '\teend $?',
        '}',
        'stop() {',
        '\tebegin "Stopping food"',
        ...body,
        '}',
      );
    const knotLike = stop(
      '\t/usr/sbin/foodctl stop >/dev/null 2>&1',
      '\t# the control socket may be gone',
      '\tif [ "$?" != 0 ]; then',
      '\t\tif [ -f $pidfile ]; then',
      '\t\t\tstart-stop-daemon --stop --pidfile $pidfile',
      '\t\tfi',
      '\tfi',
      '\tewend $?',
    );
    const withRule = { rule: rule({ daemons: ['food'], foreground: '', stopCommands: ['foodctl stop'] }) };
    test('converted: stop() goes whole, with a note', () => {
      const { r, d, s } = run(knotLike, withRule);
      expect(r).toBeUndefined();
      const out = applied(s, d.converted!.edits);
      expect(out).not.toMatch(/stop\(\)|foodctl|stop_post|stop_pre/);
      expect(d.notes).toContain(
        "stop() ran /usr/sbin/foodctl stop, which stops the daemon the way SIGTERM does (its rule's stopCommands, with their source), and stopped it with a signal only when that failed: the supervisor's stop, which sends SIGTERM, replaces both",
      );
    });
    test('refused without the rule, or with another stop command', () => {
      expect(run(knotLike).r?.reason).toMatch(/first asks the daemon to stop its own way/);
      const other = { rule: rule({ daemons: ['food'], foreground: '', stopCommands: ['foodctl halt'] }) };
      expect(run(knotLike, other).r?.reason).toMatch(/first asks the daemon to stop its own way/);
    });
    test('refused where the fallback is not a plain TERM stop under such tests', () => {
      // a test of something else
      const cond = stop(
        '\t/usr/sbin/foodctl stop',
        '\tif [ "$FORCE" = yes ]; then',
        '\t\tstart-stop-daemon --stop --pidfile $pidfile',
        '\tfi',
      );
      expect(run(cond, withRule).r?.reason).toMatch(/first asks the daemon to stop its own way/);
      // an else branch
      const other = stop(
        '\t/usr/sbin/foodctl stop',
        '\tif [ "$?" != 0 ]; then',
        '\t\tstart-stop-daemon --stop --pidfile $pidfile',
        '\telse',
        '\t\trm -f /run/food/food.sock',
        '\tfi',
      );
      expect(run(other, withRule).r).toBeDefined();
      // the control command itself under a condition
      const nested = stop(
        '\tif [ -f $pidfile ]; then',
        '\t\t/usr/sbin/foodctl stop',
        '\t\tif [ "$?" != 0 ]; then',
        '\t\t\tstart-stop-daemon --stop --pidfile $pidfile',
        '\t\tfi',
        '\tfi',
      );
      expect(run(nested, withRule).r).toBeDefined();
      // another signal in the fallback
      const kill = stop(
        '\t/usr/sbin/foodctl stop',
        '\tif [ "$?" != 0 ]; then',
        '\t\tstart-stop-daemon --stop --signal KILL --pidfile $pidfile',
        '\tfi',
      );
      // (the control command's path was a TERM stop: a KILL fallback is not the same stop)
      expect(run(kill, withRule).r?.reason).toMatch(/first asks the daemon to stop its own way/);
    });
  });

  // innd: no start(), and a stop() that only runs `ctlinnd throttle "…"` then `ctlinnd shutdown
  // "…"`. innd's entry says the shutdown ends it as SIGTERM does (stopCommands, its reason a
  // last literal word) and the throttle does only part of what that shutdown does anyway
  // (stopPreludes): the supervisor's stop replaces stop(); without them, refused as before.
  describe("a stop() made only of the control program's stop command and its preludes", () => {
    const stop = (...body: string[]) =>
      sh(
        '#!/sbin/openrc-run',
        'command=/usr/sbin/food',
        'pidfile=/run/food/food.pid',
        'stop() {',
        '\tebegin "Stopping food"',
        ...body,
        '\teend $?',
        '}',
      );
    const inndLike = stop(
      '\t/usr/bin/foodctl throttle "OpenRC service stop"',
      '\t/usr/bin/foodctl shutdown "OpenRC service stop"',
    );
    const both = {
      rule: rule({
        daemons: ['food'],
        foreground: '-f',
        stopCommands: ['foodctl shutdown *'],
        stopPreludes: ['foodctl throttle *'],
      }),
    };
    test('converted: stop() goes whole, with a note', () => {
      const { r, d, s } = run(inndLike, both);
      expect(r).toBeUndefined();
      const out = applied(s, d.converted!.edits);
      expect(out).not.toMatch(/stop\(\)|foodctl|stop_post|stop_pre|eend/);
      expect(d.notes).toContain(
        `stop() ran /usr/bin/foodctl throttle "OpenRC service stop" ... /usr/bin/foodctl shutdown "OpenRC service stop", which stop the daemon the way SIGTERM does (its rule's stopCommands and stopPreludes, with their sources): the supervisor's stop, which sends SIGTERM, replaces them`,
      );
      // The stop command alone needs no preludes.
      const alone = run(stop('\t/usr/bin/foodctl shutdown "bye"'), both);
      expect(alone.r).toBeUndefined();
    });
    test('refused without the rule, without the preludes, or with a reason not written out', () => {
      const norule = run(inndLike).r?.reason;
      expect(norule).toMatch(/stop\(\) signals no process itself/);
      const noPrelude = {
        rule: rule({ daemons: ['food'], foreground: '-f', stopCommands: ['foodctl shutdown *'] }),
      };
      expect(run(inndLike, noPrelude).r?.reason).toMatch(/stop\(\) signals no process itself/);
      expect(run(stop('\t/usr/bin/foodctl shutdown "$REASON"'), both).r?.reason).toMatch(
        /stop\(\) signals no process itself/,
      );
      // another command beside them, or the stop command under a condition
      expect(run(stop('\trm -f /run/food/lock', '\t/usr/bin/foodctl shutdown "x"'), both).r).toBeDefined();
      expect(
        run(stop('\tif [ -f $pidfile ]; then', '\t\t/usr/bin/foodctl shutdown "x"', '\tfi'), both).r,
      ).toBeDefined();
    });
  });

  // watchdog: `--retry $(get_delay)` was written as retry='$(get_delay)', a literal.
  test('stop() with a --retry computed at run time: refused', () => {
    const { r } = run(
      sh(
        '#!/sbin/openrc-run',
        'command=/usr/sbin/foo',
        'stop() {',
        '\tstart-stop-daemon --stop --retry $(get_delay) --exec /usr/sbin/foo',
        '}',
      ),
    );
    expect(r && r.reason).toBe(
      "custom start()/stop(): stop()'s start-stop-daemon --retry $(get_delay) is computed when stop() runs; a top-level retry= cannot hold it (not one call of a function of the script, which could be run when the service starts too)",
    );
  });

  // rbldnsd's `$(for x in ${LISTEN}; do echo "-b ${x}"; done)`: in command_args it would run
  // whenever OpenRC reads the script (status, stop), not only when the daemon starts.
  test('a launch with a command substitution: refused', () => {
    for (const sub of ['$(cat /etc/foo/args)', '`cat /etc/foo/args`']) {
      const { r } = run(
        sh(
          '#!/sbin/openrc-run',
          'start() {',
          `\tstart-stop-daemon --start --background --make-pidfile --pidfile /run/foo.pid --exec /usr/bin/foo -- ${sub}`,
          '}',
        ),
      );
      expect(r && r.reason).toBe(
        'custom start()/stop(): the launch uses command substitution, which would run whenever the script is read',
      );
    }
  });

  // karmabot-bin: the launch line gives the daemon its credentials from conf.d as its own
  // environment; openrc-run exports nothing it sources, so OpenRC's start would lose them.
  test('a launch with variables of its own (VAR=value start-stop-daemon ...): refused', () => {
    const { r } = run(
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '\tTOKEN=${TOKEN} \\',
        '\tLOG_FILE=${LOG_FILE} start-stop-daemon --start --background --make-pidfile --pidfile /run/foo.pid --exec /usr/bin/foo',
        '}',
      ),
    );
    expect(r && r.reason).toBe(
      "custom start()/stop(): start() gives the launch variables of its own (TOKEN= LOG_FILE=…), which OpenRC's start would not pass to the daemon: convert it by hand (--env in start_stop_daemon_args and supervise_daemon_args, or export in start_pre())",
    );
  });

  // sldd: `--wait 500` failed the start when the daemon exited at once (as it does when conf.d
  // lists no hosts). Kept for start-stop-daemon; supervise-daemon lacks --wait and gets options
  // of its own (its start reports the daemon started, and it respawns one that dies: said).
  test('--wait: kept in start_stop_daemon_args, and supervise-daemon gets supervise_daemon_args without it', () => {
    const launch = (opts: string) =>
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        `\tstart-stop-daemon --start --background --make-pidfile --pidfile /run/foo.pid --wait 500${opts} --exec /usr/bin/foo`,
        '}',
      );
    const { r, d } = run(launch(''));
    expect(r).toBeUndefined();
    expect(d.converted?.lines).toEqual(
      expect.arrayContaining(['start_stop_daemon_args="--wait 500"', 'supervise_daemon_args=" "']),
    );
    expect(d.notes.join('\n')).toContain(
      'start-stop-daemon\'s --wait 500 stays in start_stop_daemon_args, for start-stop-daemon; supervise-daemon, which lacks it, gets supervise_daemon_args set to " " (a single space: OpenRC before 0.46 treats "" as unset): its start no longer waits 500 ms',
    );
    // With an option both take: that option, for both.
    const both = run(launch(' --nicelevel 5'));
    expect(both.d.converted?.lines).toEqual(
      expect.arrayContaining([
        'start_stop_daemon_args="--nicelevel 5 --wait 500"',
        'supervise_daemon_args="--nicelevel 5"',
      ]),
    );
    // A time from conf.d (ulogd's ${ULOGD_WAIT}): written as the launch wrote it.
    const confd = run(launch('').replace('--wait 500', '--wait ${WAIT}'));
    expect(confd.r).toBeUndefined();
    expect(confd.d.converted?.lines).toEqual(
      expect.arrayContaining(['start_stop_daemon_args="--wait ${WAIT}"', 'supervise_daemon_args=" "']),
    );
    // supervise_daemon_args set already: refused.
    const set = run(launch('').replace('start() {', 'supervise_daemon_args="-N 5"\nstart() {'));
    expect(set.r && set.r.reason).toContain('the script sets supervise_daemon_args already');
  });

  test('--background --make-pidfile: command_background="yes" and the flag for the later steps', () => {
    const { d } = run(
      sh(
        '#!/sbin/openrc-run',
        'pidfile=/run/foo.pid',
        'start() {',
        '\tstart-stop-daemon --start --background --make-pidfile --pidfile "${pidfile}" --exec /usr/bin/foo',
        '}',
      ),
    );
    expect(d.converted!.backgroundMakePidfile).toBe(true);
    // pidfile is set already and the launch names it through ${pidfile}: no second pidfile=.
    expect(d.converted!.lines).toEqual(['command_background="yes"']);
  });

  test('a plain assignment in start() that the launch reads moves to the top level', () => {
    const { s, d } = run(
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '\tFOO_OPTS="--listen 127.0.0.1"',
        '\tstart-stop-daemon --start --exec /usr/bin/foo -- ${FOO_OPTS}',
        '}',
      ),
    );
    expect(d.converted!.hoist).toEqual(['FOO_OPTS="--listen 127.0.0.1"']);
    // The assignment left with the hoist: nothing remains for start_pre().
    expect(applied(s, d.converted!.edits)).toBe(sh('#!/sbin/openrc-run'));
  });

  test("a launch that passes ${command_args} takes the script's command and command_args as they are", () => {
    const { d, r } = run(
      sh(
        '#!/sbin/openrc-run',
        'command=/usr/bin/foo',
        'command_args="-f"',
        'start() {',
        '\tstart-stop-daemon --start --exec ${command} -- ${command_args}',
        '}',
      ),
    );
    expect(r).toBeUndefined();
    // '' = the script's own command= stays; plan.ts writes no command= then.
    expect(d.converted!.command).toBe('');
  });
});

// Was a bug (custom-start.ts, hoisting): only the LAST assignment of a variable was hoisted,
// while every one of them was removed from start(): the daemon lost -a. A variable start()
// builds in steps now stays in start_pre() and command_args reads it at start time.
test('a variable start() builds in two steps stays in start_pre() and is read at start time', () => {
  const { r, d, s } = run(
    sh(
      '#!/sbin/openrc-run',
      'start() {',
      '	OPTS="-a"',
      '	OPTS="${OPTS} -b"',
      '	start-stop-daemon --start --exec /usr/bin/foo -- ${OPTS}',
      '}',
    ),
  );
  expect(r).toBeUndefined();
  expect(d.converted!.hoist).toEqual([]);
  expect(d.converted!.deferred).toEqual(['OPTS']);
  expect(applied(s, d.converted!.edits)).toBe(
    sh('#!/sbin/openrc-run', 'start_pre() {', '	OPTS="-a"', '	OPTS="${OPTS} -b"', '	return 0', '}'),
  );
});

// Was a bug (custom-start.ts, hoisting): a hoisted value that read another variable start()
// sets (DIR) moved to the top level without it; DIR stayed in start_pre(), which runs later,
// so CONF became "/foo.conf".
test('a value that reads another start() variable is read at start time', () => {
  const { r, d } = run(
    sh(
      '#!/sbin/openrc-run',
      'start() {',
      '\tDIR=/var/lib/foo',
      '\tCONF="${DIR}/foo.conf"',
      '\tstart-stop-daemon --start --exec /usr/bin/foo -- -c ${CONF}',
      '}',
    ),
  );
  // CONF is read at start time now, after start_pre() has set DIR and then CONF.
  expect(r).toBeUndefined();
  expect(d.converted!.hoist).toEqual([]);
  expect(d.converted!.deferred).toEqual(['CONF']);
});

describe('refusals', () => {
  const launch = '\tstart-stop-daemon --start --exec /usr/bin/foo';

  test('two launches', () => {
    const r = refusal(
      sh('#!/sbin/openrc-run', 'start() {', launch, '\tstart-stop-daemon --start --exec /usr/bin/foo-helper', '}'),
    );
    expect(r).toEqual({
      kind: 'refuse',
      code: 'custom-start',
      reason: `${PREFIX}start() launches 2 programs (start-stop-daemon, start-stop-daemon): one supervisor keeps one daemon`,
      suggestion:
        'replace start()/stop() by command/command_args (and start_pre()/start_post() for the other steps), then run migrate again',
    });
  });

  // glusterfsd: one launch or the other, by a condition.
  test('two launches in the two branches of an if', () => {
    const branches = (mid: string) =>
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '\tif [ -n "${FOO_SERVER}" ]; then',
        '\t' + launch + ' -- --server "${FOO_SERVER}"',
        mid,
        '\t' + launch + ' -- --local',
        '\tfi',
        '}',
      );
    expect(refusal(branches('\telse')).reason).toBe(
      `${PREFIX}start() launches the daemon in one of two branches of a condition (if … else …), each with its own words, which rc-supervise does not merge into one command line`,
    );
    // Two conditions one after the other may both run: two programs.
    expect(refusal(branches('\tfi\n\tif [ -z "${FOO_SERVER}" ]; then')).reason).toBe(
      `${PREFIX}start() launches 2 programs (start-stop-daemon, start-stop-daemon): one supervisor keeps one daemon`,
    );
  });

  // vdradmin: `if [ -n "${RC_UNAME}" ]; then` OpenRC launch `else` baselayout-1 launch `fi`.
  test.each([
    ['if [ -n "${RC_UNAME}" ]; then', 'RC_UNAME'],
    ['if [ -n "$RC_VERSION" ]; then', 'RC_VERSION'],
  ])('two launches under `%s`, a test OpenRC always passes: said so', (cond, name) => {
    const r = refusal(
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '\t' + cond,
        '\t' + launch + ' -- --new',
        '\telse',
        '\t' + launch + ' -- --old',
        '\tfi',
        '}',
      ),
    );
    expect(r.reason).toBe(
      `${PREFIX}start() launches the daemon in one of two branches of \`${cond}\`, a test that is always true under OpenRC (it sets ${name} for every service script): the else branch is for baselayout-1 and never runs, but rc-supervise does not remove it itself`,
    );
    expect(r.suggestion).toBe(
      `keep only the launch of the then-branch in start() (remove \`${cond}\`, the else branch and its fi), then migrate again`,
    );
  });

  test('a launch inside a condition', () => {
    const r = refusal(
      sh('#!/sbin/openrc-run', 'start() {', '\tif [ -n "${FOO_ENABLE}" ]; then', '\t' + launch, '\tfi', '}'),
    );
    expect(r.reason).toBe(
      `${PREFIX}start() launches the daemon inside a condition (\`if [ -n "\${FOO_ENABLE}" ]; then\`) with no else: when it is false, start() succeeds without starting anything, which OpenRC's own start cannot do, and a start_pre() that returned 1 there would fail the service instead`,
    );
    expect(r.suggestion).toBe(
      'keep that start() and stop() by hand: set command= (and command_args=) to the launch, and make start() `if [ -n "${FOO_ENABLE}" ]; then default_start; fi` and stop() the same with default_stop (other steps kept before default_start), then migrate again',
    );
    // The launch in the else branch (minidlna's `if [ $stop -eq 1 ]; then eend 1; else <launch>; fi`):
    // the short reason too.
    const inElse = refusal(
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '\tif [ -n "${FOO_ENABLE}" ]; then',
        '\t\teend 1 "no"',
        '\telse',
        '\t' + launch,
        '\tfi',
        '}',
      ),
    );
    expect(inElse.reason).toBe(
      `${PREFIX}start() launches the daemon inside a condition (\`if [ -n "\${FOO_ENABLE}" ]; then\`)`,
    );
    // With an else (iplog's `else eend $rc "…"`), the short reason.
    const withElse = refusal(
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '\tif [ -n "${FOO_ENABLE}" ]; then',
        '\t' + launch,
        '\telse',
        '\t\teend 1 "no"',
        '\tfi',
        '}',
      ),
    );
    expect(withElse.reason).toBe(
      `${PREFIX}start() launches the daemon inside a condition (\`if [ -n "\${FOO_ENABLE}" ]; then\`)`,
    );
  });

  test('a launch inside a loop', () => {
    const r = refusal(sh('#!/sbin/openrc-run', 'start() {', '\tfor i in 1 2; do', '\t' + launch, '\tdone', '}'));
    expect(r.reason).toBe(`${PREFIX}start() launches the daemon inside a loop (several instances?)`);
  });

  // mod-mono-server: a double-quoted value continued with a backslash-newline is one quoted
  // string; the words in it ("for", "done"...) are no loop of start().
  test('a quoted value continued on the next line is no loop', () => {
    const { r, d } = run(
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '\tOPTS="--root /srv \\',
        '--nonstop"',
        '\t[ -n "${FOO_ROOT}" ] || ewarn "no root set for foo"',
        launch + ' -- ${OPTS}',
        '}',
      ),
    );
    expect(r).toBeUndefined();
    expect(d.converted).not.toBeNull();
  });

  // `#` inside a word (`${FILES#x}`) is no comment: the `done` after it closes the loop.
  test('a loop closed on its line after a `#` inside a word is no loop around the launch', () => {
    const { r, d } = run(
      sh('#!/sbin/openrc-run', 'start() {', '\tfor f in ${FILES#x}; do checkpath -d "$f"; done', launch, '}'),
    );
    expect(r).toBeUndefined();
    expect(d.converted).not.toBeNull();
  });

  // Only `check && launch`, one simple command joined by && alone, is converted (below).
  test.each([
    ['||', '\tcheckpath -d /run/foo ||'],
    ['a longer list', '\tcheckpath -d /run/foo && checkpath -d /var/lib/foo &&'],
    ['a pipe', '\tcheckconfig | logger &&'],
    ['a redirected check', '\tcheckconfig >/dev/null 2>&1 &&'],
    ['a cd', '\tcd /var/lib/foo &&'],
    ['a negated check', '\t! checkconfig &&'],
  ])('a launch chained from the line before: %s', (_what, line) => {
    const r = refusal(sh('#!/sbin/openrc-run', 'checkconfig() {', '\t:', '}', 'start() {', line, launch, '}'));
    expect(r.reason).toBe(
      `${PREFIX}start() runs the launch as part of a longer command (&&, ||, a pipe or a continued line)`,
    );
  });

  test('a launch chained on its own line', () => {
    const r = refusal(sh('#!/sbin/openrc-run', 'start() {', launch + ' || return 1', '}'));
    expect(r.reason).toBe(`${PREFIX}start() chains the launch with other commands on its line (\`|| return 1\`)`);
    // A long chain is cut; one continued on the next lines (dk-filter's `… && \`) is quoted with them.
    const long = refusal(
      sh('#!/sbin/openrc-run', 'start() {', launch + ' || { eerror "' + 'x'.repeat(60) + '"; }', '}'),
    );
    expect(long.reason).toBe(
      `${PREFIX}start() chains the launch with other commands on its line (\`|| { eerror "${'x'.repeat(44)}...\`)`,
    );
    const continued = refusal(
      sh('#!/sbin/openrc-run', 'start() {', launch + ' && \\', '\t\tchmod a+rw /run/foo.sock', '\teend $?', '}'),
    );
    expect(continued.reason).toBe(
      `${PREFIX}start() chains the launch with other commands on its line (\`&& chmod a+rw /run/foo.sock\`)`,
    );
  });

  test('a redirection on the launch line is not chaining', () => {
    const { r } = run(sh('#!/sbin/openrc-run', 'start() {', launch + ' >/dev/null 2>&1', '}'));
    expect(r).toBeUndefined();
  });

  test('eval', () => {
    const r = refusal(
      sh('#!/sbin/openrc-run', 'start() {', '\teval start-stop-daemon --start --exec /usr/bin/foo -- ${FOO_OPTS}', '}'),
    );
    expect(r.reason).toBe(
      `${PREFIX}start() launches the daemon through eval, which reads the value of FOO_OPTS as shell code (quotes, $, ;), so rc-supervise cannot read the launch's words statically`,
    );
    expect(r.suggestion).toBe(
      "write the launch as command=, command_args= (OpenRC's start runs its command line through eval too, so a value such as conf.d's is read as shell there the same way) and start_pre(), then migrate again",
    );
    // Single-quoted text is no variable the eval reads.
    const plain = refusal(
      sh('#!/sbin/openrc-run', 'start() {', "\teval start-stop-daemon --start --exec /usr/bin/foo -- '$x'", '}'),
    );
    expect(plain.reason).toBe(
      `${PREFIX}start() launches the daemon through eval, which rc-supervise cannot read statically`,
    );
  });

  test("eval of $command and $command_args: a copy of OpenRC's own start", () => {
    const r = refusal(
      sh(
        '#!/sbin/openrc-run',
        'command=/usr/bin/foo',
        'start() {',
        '\teval start-stop-daemon --start --exec $command ${pidfile:+--pidfile} $pidfile -- $command_args',
        '}',
      ),
    );
    expect(r.reason).toBe(
      `${PREFIX}start() launches $command with $command_args through eval, as OpenRC's own start does: it re-implements that start, which rc-supervise does not convert (it bypasses supervisor=)`,
    );
    expect(r.suggestion).toContain('remove start() if it only repeats');
  });

  // samba: conf.d holds one start-stop-daemon command line per daemon, and start() evals them.
  test('start-stop-daemon command lines in conf.d, run by the script: named', () => {
    const { r } = run(
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '\tfor daemon in ${daemon_list}; do',
        '\t\teval cmd_exec=\\$${daemon}_start',
        '\t\teval ${cmd_exec}',
        '\tdone',
        '}',
      ),
      {},
      sh(
        'daemon_list="food barx"',
        'food_start="start-stop-daemon --start --exec /usr/sbin/food"',
        'barx_start="start-stop-daemon --start --exec /usr/sbin/barx"',
      ),
    );
    expect((r as Refusal).reason).toBe(
      `${PREFIX}conf.d holds start-stop-daemon command lines (food_start, barx_start) that the script runs itself (through eval?), which rc-supervise cannot follow`,
    );
  });

  // badvpn: start() is OpenRC 0.x's ssd_start() copied word for word: it goes, and OpenRC's own
  // start runs the same launch from command, command_args, pidfile and command_background.
  describe("a start() that copies OpenRC's old ssd_start()", () => {
    const copy = sh(
      '#!/sbin/openrc-run',
      'command="${foo_exec:-/usr/bin/foo}"',
      'command_args="${foo_args}"',
      'command_background="YES"',
      'pidfile="/run/${RC_SVCNAME}.pid"',
      '',
      'start()',
      '{',
      '\t[ -n "$command" ] || return 0',
      '\tlocal _background=',
      '\tebegin "Starting ${name:-$RC_SVCNAME}"',
      '\tif yesno "${command_background}"; then',
      '\t\tif [ -z "${pidfile}" ]; then',
      '\t\t\teend 1 "command_background option used but no pidfile specified"',
      '\t\t\treturn 1',
      '\t\tfi',
      '\t\t_background="--background --make-pidfile"',
      '\tfi',
      '\teval start-stop-daemon --start \\',
      '\t\t--exec $command \\',
      '\t\t${procname:+--name} $procname \\',
      '\t\t${pidfile:+--pidfile} $pidfile \\',
      '\t\t$_background $start_stop_daemon_args \\',
      '\t\t-- $command_args',
      '\teend $? "Failed to start $RC_SVCNAME"',
      '\treturn $?',
      '}',
    );

    test('is removed: OpenRC runs that launch itself', () => {
      const { r, d, s } = run(copy);
      expect(r).toBeUndefined();
      expect(d.converted!.command).toBe('');
      expect(applied(s, d.converted!.edits)).not.toMatch(/start\(\)|start-stop-daemon/);
      expect(d.converted!.notes[0]).toMatch(/^start\(\) was a copy of OpenRC's own start-stop-daemon start/);
    });

    test.each([
      ['one word more', copy.replace('--exec $command', '--exec $command --quiet')],
      ['a stop() beside it', copy + sh('stop() {', '\tstart-stop-daemon --stop --pidfile "${pidfile}"', '}')],
    ])('with %s it is not', (_what, script) => {
      expect(refusal(script).reason).toBe(
        `${PREFIX}start() launches $command with $command_args through eval, as OpenRC's own start does: it re-implements that start, which rc-supervise does not convert (it bypasses supervisor=)`,
      );
    });
  });

  // zabbix-jmx-proxy: OpenRC's start-stop-daemon runs the first word after `--` when nothing
  // before it names the program.
  test('the program named only after `--`', () => {
    const r = refusal(
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '\tstart-stop-daemon -m --background --pidfile /run/foo.pid -- java -jar foo.jar',
        '}',
      ),
    );
    expect(r.reason).toBe(
      `${PREFIX}start()'s start-stop-daemon names no --exec or --startas: OpenRC's start-stop-daemon runs the first word after \`--\` (java) as the program, a form rc-supervise does not convert`,
    );
  });

  test('a control script (fooctl start)', () => {
    const r = refusal(sh('#!/sbin/openrc-run', 'start() {', '\t/usr/sbin/fooctl start', '}'));
    expect(r.reason).toBe(
      `${PREFIX}start() runs the control script fooctl start, which starts the daemon its own way (it forks)`,
    );
  });

  test('--background without --make-pidfile, with its own suggestion', () => {
    const r = refusal(
      sh('#!/sbin/openrc-run', 'start() {', '\tstart-stop-daemon --start --background --exec /usr/bin/foo', '}'),
    );
    expect(r.code).toBe('custom-start');
    expect(r.reason).toMatch(
      /^custom start\(\)\/stop\(\): start\(\) uses start-stop-daemon --background without --make-pidfile: /,
    );
    expect(r.suggestion).toBe("convert start() by hand; pass the daemon's no-fork option with --foreground-args");
  });

  test('--background without --make-pidfile goes through when a rule says how the daemon stays in the foreground', () => {
    const script = sh(
      '#!/sbin/openrc-run',
      'start() {',
      '\tstart-stop-daemon --start --background --exec /usr/bin/foo -- --port 1',
      '}',
    );
    const { d, r } = run(script, { rule: rule({ foreground: '-f' }) });
    expect(r).toBeUndefined();
    expect(d.converted!.command).toBe('/usr/bin/foo');
    // Not command_background: the daemon is not made to fork by start-stop-daemon any more.
    expect(d.converted!.lines).toEqual([]);
    expect(d.converted!.backgroundMakePidfile).toBe(false);
    expect(d.notes.join('\n')).toContain('the rule foo says how it stays in the foreground');
    // A daemon that never forks: start-stop-daemon must still background it.
    const never = run(script, { rule: rule({ foreground: '' }) });
    expect(never.r).toBeUndefined();
    expect(never.d.converted!.lines).toEqual(['command_background="yes"', 'pidfile="/run/${RC_SVCNAME}.pid"']);
    expect(never.d.converted!.backgroundMakePidfile).toBe(true);
    // The words start() passed already keep it in the foreground (supervisord's `-n`, a rule's
    // word or a no-fork spelling): it only ran in the background because of --background, so
    // start-stop-daemon must still background it, or start would wait on it forever.
    for (const args of ['-f --port 1', '--nodaemon --port 1']) {
      const stays = run(script.replace('-- --port 1', `-- ${args}`), { rule: rule({ foreground: '-f' }) });
      expect(stays.r).toBeUndefined();
      expect(stays.d.converted!.lines).toEqual(['command_background="yes"', 'pidfile="/run/${RC_SVCNAME}.pid"']);
      expect(stays.d.converted!.backgroundMakePidfile).toBe(true);
    }
    // A rule that refuses, or says nothing about the foreground, is no evidence.
    for (const r2 of [rule({ foreground: '-f', refuse: { reason: 'always forks', suggestion: 'none' } }), rule()])
      expect(refusal(script, { rule: r2 }).reason).toContain('without --make-pidfile');
  });

  test('the same variable also set at the top level is read at start time', () => {
    const { r, d } = run(
      sh(
        '#!/sbin/openrc-run',
        'FOO_CONF=/etc/foo.conf',
        'reconf() {',
        '\tFOO_CONF=/etc/foo/other.conf',
        '}',
        'start() {',
        '\tstart-stop-daemon --start --exec /usr/bin/foo -- -c ${FOO_CONF}',
        '}',
      ),
    );
    expect(r).toBeUndefined();
    // reconf() may have run before the launch: its value, not the top level's, is the one.
    expect(d.converted!.deferred).toEqual(['FOO_CONF']);
  });

  test('a variable start() computes with a command substitution is read at start time', () => {
    const { r, d, s } = run(
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '\tFOO_HOST=$(hostname)',
        '\tstart-stop-daemon --start --exec /usr/bin/foo -- --name ${FOO_HOST}',
        '}',
      ),
    );
    expect(r).toBeUndefined();
    expect(d.converted!.deferred).toEqual(['FOO_HOST']);
    expect(applied(s, d.converted!.edits)).toContain('start_pre() {\n\tFOO_HOST=$(hostname)\n');
  });

  test('a custom status()', () => {
    const r = refusal(sh('#!/sbin/openrc-run', 'start() {', launch, '}', 'status() {', '\tpgrep foo', '}'));
    expect(r.reason).toBe(
      "custom status() reads the daemon's state its own way; under the supervisor it would be wrong",
    );
  });

  // tgtd: status() runs pidof, but start() configures the daemon after the launch: that says more.
  test('a custom status() is said last: what else keeps start() from converting comes first', () => {
    const r = refusal(
      sh('#!/sbin/openrc-run', 'start() {', launch, '\tfooadm --op ready', '}', 'status() {', '\tpidof foo', '}'),
    );
    expect(r.reason).toBe(
      `${PREFIX}start() runs \`fooadm --op ready\` after the launch; under the supervisor start_post() could run it before the daemon is ready`,
    );
  });

  // Under supervise-daemon the pid file and the pid are the supervisor's; the process table and
  // a function of the script may say anything about the daemon.
  test.each([
    ['its pid file', '\t[ -f /run/foo.pid ] && einfo running'],
    ['a pid file variable', '\tcat "${PIDFILE}"'],
    ['/proc', '\tls /proc/$(cat /run/foo.lock)/fd'],
    ['pidof', '\tpidof -s foo >/dev/null'],
    ['a signal', '\tkill -0 1234'],
    ['ps', '\tps -C foo'],
    ['a function of the script', '\tcheck_foo'],
    ['a sourced file', '\t. /usr/lib/foo/status.sh'],
  ])('a custom status() reading %s', (_what, line) => {
    const r = refusal(
      sh('#!/sbin/openrc-run', 'check_foo() {', '\t:', '}', 'start() {', launch, '}', 'status() {', line, '}'),
    );
    expect(r.reason).toBe(
      "custom status() reads the daemon's state its own way; under the supervisor it would be wrong",
    );
  });

  // openrc-run.sh runs the script's own status() whichever supervisor starts the daemon: one
  // that asks the daemon over its own channel, or reads the service's state, answers as before.
  test('a custom status() that only reports what a tool says stays, and start() converts', () => {
    const script = sh(
      '#!/sbin/openrc-run',
      'start() {',
      '\tebegin "Starting foo"',
      launch + ' --background --make-pidfile --pidfile /run/foo.pid',
      '\teend $?',
      '}',
      '',
      'status() {',
      '\tservice_started || return 3',
      '\tebegin "Showing the peers foo knows"',
      '\t/usr/bin/fooctl --peers',
      '}',
    );
    const { s, d, r } = run(script);
    expect(r).toBeUndefined();
    expect(d.converted!.command).toBe('/usr/bin/foo');
    expect(applied(s, d.converted!.edits)).toBe(
      sh(
        '#!/sbin/openrc-run',
        '',
        'status() {',
        '\tservice_started || return 3',
        '\tebegin "Showing the peers foo knows"',
        '\t/usr/bin/fooctl --peers',
        '}',
      ),
    );
  });

  test('command_args set but not passed by the launch', () => {
    const r = refusal(sh('#!/sbin/openrc-run', 'command_args="-v"', 'start() {', launch, '}'));
    expect(r.reason).toBe(
      `${PREFIX}command_args is set but start() does not pass it: converting would add it to the command line`,
    );
  });

  // kafka: `command_args="/etc/kafka/server.properties"` and `-- /etc/kafka/server.properties`.
  test('command_args set, and the launch passes its very words literally: converted', () => {
    const text = (top: string, tail: string) =>
      sh(
        '#!/sbin/openrc-run',
        top,
        'start() {',
        `${launch} --background --make-pidfile --pidfile /run/foo.pid -- ${tail}`,
        '}',
      );
    const { r, d } = run(text('command_args="/etc/foo.conf -v"', '/etc/foo.conf -v'));
    expect(r).toBeUndefined();
    expect(d.converted!.args.map((a) => a.text)).toEqual(['/etc/foo.conf', '-v']);
    expect(d.converted!.notes).toContain(
      'start() passed the words of command_args (/etc/foo.conf -v) itself, literally: command_args is written again with them, the same value',
    );
    // Other words, fewer words, or a variable (whose value may change at start): refused as before.
    for (const [top, tail] of [
      ['command_args="/etc/foo.conf -v"', '/etc/foo.conf'],
      ['command_args="/etc/foo.conf"', '/etc/bar.conf'],
      ['CONF=/etc/foo.conf\ncommand_args="/etc/foo.conf"', '${CONF}'],
    ])
      expect(refusal(text(top, tail)).reason).toBe(
        `${PREFIX}command_args is set but start() does not pass it: converting would add it to the command line`,
      );
  });

  test('a launch of another program than command', () => {
    const r = refusal(sh('#!/sbin/openrc-run', 'command=/usr/bin/bar', 'start() {', launch, '}'));
    expect(r.reason).toBe(`${PREFIX}start() runs /usr/bin/foo, but command is set to /usr/bin/bar`);
  });

  test('another function starting the daemon with start-stop-daemon bypasses the supervisor', () => {
    const r = refusal(
      sh(
        '#!/sbin/openrc-run',
        'command=/usr/bin/foo',
        'warmup() {',
        '\tstart-stop-daemon --start --exec /usr/bin/foo',
        '}',
      ),
    );
    expect(r.reason).toBe(`${PREFIX}warmup() calls start-stop-daemon --start itself, which bypasses the supervisor`);
  });

  test('a pid file named by a variable nobody sets', () => {
    const r = refusal(
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '\tstart-stop-daemon --start --exec /usr/bin/foo --pidfile ${FOO_PID}',
        '}',
      ),
    );
    expect(r.reason).toBe(
      `${PREFIX}start() names its pid file with FOO_PID, which neither the script nor its conf.d sets`,
    );
  });

  // A default that may be empty (`-` without `:`), quoted, or computed says nothing certain.
  test.each([
    '${FOO_PID-/run/foo.pid}',
    '${FOO_PID:-"/run/foo.pid"}',
    '${FOO_PID:-${RUNDIR}/foo.pid}',
    '$FOO_PID',
    '${FOO_PID:-/run/foo*.pid}',
    '${FOO_PID:-~foo/foo.pid}',
  ])('a pid file named by a variable nobody sets: %s', (word) => {
    const r = refusal(
      sh('#!/sbin/openrc-run', 'start() {', `\tstart-stop-daemon --start --exec /usr/bin/foo --pidfile ${word}`, '}'),
    );
    expect(r.reason).toMatch(/^custom start\(\)\/stop\(\): start\(\) names its pid file with (FOO_PID|RUNDIR), which/);
  });

  // conf.d is sourced before the script, so `pidfile=${FOO_PID:-/run/foo.pid}` at its top reads
  // the same value the launch read in start(): the file conf.d names, else the default.
  test('a pid file named by a variable nobody sets, with a literal default, converts as written', () => {
    const { d, r } = run(
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '\tstart-stop-daemon --start --exec /usr/bin/foo --pidfile ${FOO_PID:-/run/foo.pid}',
        '}',
        'stop() {',
        '\tstart-stop-daemon --stop --pidfile ${FOO_PID:-/run/foo.pid}',
        '}',
      ),
    );
    expect(r).toBeUndefined();
    expect(d.converted!.lines).toEqual(['pidfile=${FOO_PID:-/run/foo.pid}']);
  });
});

// sancp, lambdamoo: `start-stop-daemon --start --make-pidfile --pidfile F … &` without
// --background. OpenRC's start-stop-daemon has its child write its own pid to F before it execs
// the program, and waits for it; the `&` keeps start() from waiting: --background --make-pidfile.
describe('start-stop-daemon --make-pidfile without --background, sent to the background with `&`', () => {
  const script = (launch: string, after = '\teend $?') =>
    sh(
      '#!/sbin/openrc-run',
      'start() {',
      '\tcheckpath -d /var/log/foo',
      '\tebegin "Starting foo"',
      launch,
      after,
      '}',
      'stop() {',
      '\tstart-stop-daemon --stop --quiet --pidfile /run/foo.pid',
      '}',
    );
  const quiet =
    '\tstart-stop-daemon --start --quiet -m --pidfile /run/foo.pid --exec /usr/bin/foo -- ${FOO_OPTS} > /var/log/foo.log 2>&1 &';

  test('is converted as --background --make-pidfile: command_background and the pid file', () => {
    const { r, d, s } = run(script(quiet));
    expect(r).toBeUndefined();
    expect(d.converted!.backgroundMakePidfile).toBe(true);
    expect(d.converted!.ampMakePidfile).toBe(true);
    expect(d.converted!.lines).toContain('command_background="yes"');
    expect(d.converted!.lines).toContain('pidfile=/run/foo.pid');
    expect(applied(s, d.converted!.edits)).not.toMatch(/start-stop-daemon|&$/m);
    // --quiet gave the child /dev/null: the log got start-stop-daemon's own messages only.
    expect(d.converted!.notes.some((n) => n.startsWith("start() sent start-stop-daemon's own output to a file"))).toBe(
      true,
    );
  });

  test('without --quiet a redirection reached the daemon: refused', () => {
    const r = refusal(script(quiet.replace(' --quiet', '')));
    expect(r.reason).toBe(
      `${PREFIX}start() sends the launch's output to a file (> /var/log/foo.log); under supervise-daemon the daemon's output goes to /dev/null unless output_log/error_log name a file (OpenRC 0.35), which the daemon then writes, appending, for as long as it runs, not only while it starts`,
    );
  });

  test('without --quiet and no redirection, a note says where its output went', () => {
    const { r, d } = run(script(quiet.replace(' --quiet', '').replace(' > /var/log/foo.log 2>&1', '')));
    expect(r).toBeUndefined();
    expect(d.converted!.notes).toContain(
      "without --background or --quiet the daemon's output went where start()'s did (the console of the start); under the supervisor it goes to /dev/null unless output_log/error_log are set",
    );
  });

  test.each([
    ['without --make-pidfile', quiet.replace(' -m', '')],
    ['without --pidfile', quiet.replace(' --pidfile /run/foo.pid', '')],
  ])('%s the `&` says nothing of the program: refused, saying so', (_what, launch) => {
    const r = refusal(script(launch));
    expect(r.reason).toBe(
      `${PREFIX}start() runs start-stop-daemon in the background of its own shell (\`&\`), without --background and without --make-pidfile --pidfile: that says nothing about whether the daemon forks or stays in the foreground`,
    );
  });

  // lambdamoo's check_setup() moves the database the server wrote last into the place it reads.
  test('files renamed before the launch (also in a function start() calls) are refused', () => {
    const withMove = (pre: string) =>
      sh(
        '#!/sbin/openrc-run',
        'check_setup() {',
        '\t[ -r /var/lib/foo/db.new ] && mv /var/lib/foo/db.new /var/lib/foo/db',
        '\treturn 0',
        '}',
        'start() {',
        pre,
        '\tstart-stop-daemon --start --exec /usr/bin/foo -- /var/lib/foo/db',
        '}',
      );
    expect(refusal(withMove('\tcheck_setup || return 1')).reason).toBe(
      `${PREFIX}start() renames files before the launch (check_setup(): mv /var/lib/foo/db.new /var/lib/foo/db): start_pre() would do that only when the service starts, not when the supervisor restarts a daemon that died, which would then run on the files as they were`,
    );
    expect(refusal(withMove('\tmv -f /var/lib/foo/a /var/lib/foo/b')).reason).toContain(
      'start() renames files before the launch (mv -f /var/lib/foo/a /var/lib/foo/b)',
    );
    const { r } = run(withMove('\tcheckpath -d /var/lib/foo'));
    expect(r).toBeUndefined();
  });

  // dictd's prepconfig(): the configuration built in a temporary file, then moved into place.
  test('a file the same function made (mktemp, or written with >) and moved into place is no rotation', () => {
    const made = (...body: string[]) =>
      sh(
        '#!/sbin/openrc-run',
        'prepconfig() {',
        ...body,
        '}',
        'start() {',
        '	prepconfig',
        '	start-stop-daemon --start --exec /usr/bin/foo -- -c /etc/foo.conf',
        '}',
      );
    for (const body of [
      [
        '	local TMPCONF',
        '	TMPCONF=$(mktemp -t foo.conf.XXXXXX)',
        '	cat /etc/foo.in > ${TMPCONF}',
        '	mv "${TMPCONF}" /etc/foo.conf',
      ],
      ['	echo "x" > /etc/foo.conf.tmp', '	mv /etc/foo.conf.tmp /etc/foo.conf'],
    ])
      expect(run(made(...body)).r).toBeUndefined();
    // a file it did not make stays a rename of what was there
    expect(refusal(made('	TMP=$(mktemp)', '	mv /etc/foo.conf.new /etc/foo.conf')).reason).toContain(
      'start() renames files before the launch (prepconfig(): mv /etc/foo.conf.new /etc/foo.conf)',
    );
  });
});

// svscan: `setsid start-stop-daemon …`. Both supervisors' children call setsid() before they run
// the daemon, so setsid(1) in front changed nothing for it; with an option (-f forks, -w waits)
// it does something else.
describe('start-stop-daemon run through setsid', () => {
  const script = (wrap: string) =>
    sh(
      '#!/sbin/openrc-run',
      'start() {',
      '\tebegin "Starting foo"',
      `\t${wrap} start-stop-daemon --start --exec /usr/bin/foo \\`,
      '\t\t--background --make-pidfile --pidfile /run/foo.pid -- /srv/foo',
      '\teend $?',
      '}',
      'stop() {',
      '\tstart-stop-daemon --stop --exec /usr/bin/foo --pidfile /run/foo.pid',
      '}',
    );

  test('plain setsid is read as the launch, and goes with it', () => {
    const { r, d, s } = run(script('setsid'));
    expect(r).toBeUndefined();
    expect(d.converted!.args.map((a) => a.text)).toEqual(['/srv/foo']);
    expect(applied(s, d.converted!.edits)).not.toMatch(/setsid|start-stop-daemon/);
    expect(d.converted!.notes).toContain(
      "start() ran start-stop-daemon through setsid, which only gave it a session of its own: the daemon had one anyway (start-stop-daemon's child calls setsid() before it runs the daemon), and supervise-daemon's child does the same",
    );
    expect(run(script('/usr/bin/setsid')).r).toBeUndefined();
  });

  test('setsid with an option is not', () => {
    const r = refusal(script('setsid -f'));
    expect(r.reason).toBe(
      `${PREFIX}start() runs start-stop-daemon through setsid (\`setsid -f start-stop-daemon …\`): rc-supervise converts only a start-stop-daemon run directly`,
    );
  });
});

describe('a launch run only if a check succeeds (`check && start-stop-daemon …`)', () => {
  const script = (guard: string[], after: string[]) =>
    sh(
      '#!/sbin/openrc-run',
      'checkconfig() {',
      '\t[ -e /etc/foo.conf ] || { eerror "no /etc/foo.conf"; return 1; }',
      '}',
      '',
      'start() {',
      '\tebegin "Starting foo"',
      ...guard,
      ...after,
      '}',
    );
  const ssd = '\t\tstart-stop-daemon --start --exec /usr/bin/foo --pidfile /run/foo.pid';
  const converted = (pre: string[]) =>
    sh(
      '#!/sbin/openrc-run',
      'checkconfig() {',
      '\t[ -e /etc/foo.conf ] || { eerror "no /etc/foo.conf"; return 1; }',
      '}',
      '',
      'start_pre() {',
      ...pre,
      '\treturn 0',
      '}',
    );

  // In start(), a failed check skipped the launch and `eend $?` (or the end of start()) returned
  // its status; openrc-run.sh runs `start_pre || exit $?`, so `check || return $?` fails the start
  // with that same status, and a check that passes lets the supervisor start the daemon.
  test.each([
    ['`&& \\` on the line before, then eend $?', ['\tcheckconfig && \\', ssd], ['\teend $?']],
    ['`&&` ending the line before', ['\tcheckconfig &&', ssd], ['\teend $? "Failed to start foo"']],
    ['the same line, then return $?', ['\tcheckconfig && ' + ssd.trim()], ['\treturn $?']],
    ['nothing after it', ['\tcheckconfig && \\', ssd], []],
  ])('%s: start_pre() runs `check || return $?`', (_what, guard, after) => {
    const { s, d, r } = run(script(guard, after));
    expect(r).toBeUndefined();
    expect(d.converted!.command).toBe('/usr/bin/foo');
    expect(d.converted!.lines).toEqual(['pidfile=/run/foo.pid']);
    expect(applied(s, d.converted!.edits)).toBe(converted(['\tcheckconfig || return $?']));
    expect(d.notes).toContain(
      'start() launched the daemon only if checkconfig succeeded: start_pre() runs `checkconfig || return $?`, so that its failure fails the start with its status, as before (openrc-run runs start_pre || exit $?)',
    );
  });

  test('the steps before the check stay before it', () => {
    const { s, d, r } = run(script(['\tcheckpath -d /run/foo', '\tcheckconfig && \\', ssd], ['\teend $?']));
    expect(r).toBeUndefined();
    expect(applied(s, d.converted!.edits)).toBe(converted(['\tcheckpath -d /run/foo', '\tcheckconfig || return $?']));
  });

  // A step or a message after the list ran whether or not the check passed, and a message that
  // succeeds (or `eend 0`) made start() succeed without a daemon: not the same in start_pre().
  test.each([
    [['\teend $?', '\tchmod 660 /run/foo.sock']],
    [['\teend 0']],
    [['\teinfo "foo started"']],
    [['\teend $?', '\treturn 0']],
    [['\treturn 0']],
  ])('anything else after it is refused: %j', (after) => {
    const r = refusal(script(['\tcheckconfig && \\', ssd], after));
    expect(r.reason).toBe(
      `${PREFIX}start() launches the daemon only if checkconfig succeeds (\`checkconfig && …\`), and does more after it, which ran even when the check failed and nothing was launched`,
    );
  });
});

describe('start_pre()/stop_pre() the script defines already, beside steps for them in start()/stop()', () => {
  const script = (own: string[], more: string[] = []) =>
    sh(
      '#!/sbin/openrc-run',
      ...own,
      '',
      'start() {',
      '\trm -f /var/lib/foo/powerfail',
      '\tebegin "Starting foo"',
      '\tstart-stop-daemon --start --exec /usr/bin/foo --pidfile /run/foo/foo.pid',
      '\teend $?',
      '}',
      '',
      'stop() {',
      '\tfooctl --flush',
      '\tstart-stop-daemon --stop --pidfile /run/foo/foo.pid',
      '}',
      ...more,
    );
  const startPre = ['start_pre() {', '\tcheckpath -d -o foo /run/foo', '}'];
  const stopPre = ['stop_pre() {', '\t[ "${RC_CMD}" = restart ] && { checkconfig || return 1; }', '\treturn 0', '}'];

  // openrc-run.sh runs `start_pre || exit $?` and then start: renamed and called first with
  // `|| return $?`, the script's own start_pre() runs as before, in the same shell, and its
  // failure still ends the start before start()'s steps, with its status. Likewise for stop.
  test("the script's own is renamed in place and called first", () => {
    const { s, d, r } = run(script([...startPre, '', ...stopPre]));
    expect(r).toBeUndefined();
    expect(applied(s, d.converted!.edits)).toBe(
      sh(
        '#!/sbin/openrc-run',
        'script_start_pre() {',
        '\tcheckpath -d -o foo /run/foo',
        '}',
        '',
        'script_stop_pre() {',
        '\t[ "${RC_CMD}" = restart ] && { checkconfig || return 1; }',
        '\treturn 0',
        '}',
        '',
        'start_pre() {',
        '\tscript_start_pre || return $?',
        '\trm -f /var/lib/foo/powerfail',
        '\treturn 0',
        '}',
        '',
        'stop_pre() {',
        '\tscript_stop_pre || return $?',
        '\tfooctl --flush',
        '\treturn 0',
        '}',
      ),
    );
    expect(d.notes).toContain(
      "the script's own start_pre() is now script_start_pre(), called first by the start_pre() that holds what start() did before the launch: openrc-run runs start_pre || exit $? and then start, so its failure still ends the start before those steps, with its status",
    );
    expect(d.notes).toContain(
      "the script's own stop_pre() is now script_stop_pre(), called first by the stop_pre() that holds what stop() did before the stop: openrc-run runs stop_pre || exit $? and then stop, so its failure still ends the stop before those steps, with its status",
    );
  });

  // A comment left beside the launch or the stop is no step: the script's own start_pre() and
  // stop_pre() stay as they are (not renamed, not a reason to refuse), and no note says otherwise.
  test("comments alone beside the launch and the stop leave the script's own start_pre() and stop_pre() alone", () => {
    const text = script([...startPre, '', ...stopPre])
      .replace('\trm -f /var/lib/foo/powerfail\n', '\t# the powerfail flag is removed by start_pre()\n')
      .replace('\tfooctl --flush\n', '\t# fooctl --flush is not needed any more\n');
    const { s, d, r } = run(text);
    expect(r).toBeUndefined();
    expect(applied(s, d.converted!.edits)).toBe(sh('#!/sbin/openrc-run', ...startPre, '', ...stopPre, ''));
    expect(d.notes.filter((n) => /start_pre|stop_pre/.test(n))).toEqual([]);
  });

  test.each([
    ['defined under a condition', ['if [ -n "${FOO_PREP}" ]; then', ...startPre, 'fi']],
    ['written `function start_pre`', ['function start_pre {', '\tcheckpath -d -o foo /run/foo', '}']],
    ['called by name elsewhere', [...startPre, 'prepare() {', '\tstart_pre', '}']],
    ['with the new name taken', [...startPre, 'script_start_pre() {', '\t:', '}']],
  ])('not when it is %s', (_what, own) => {
    const r = refusal(script(own as string[]));
    expect(r.reason).toBe(`${PREFIX}start() has steps for start_pre(), which the script defines already`);
  });

  // carbon-c-relay's stop() (found once its own stop_pre() no longer stopped the conversion).
  test('a stop through a pid file stop() computes itself stays refused when pidfile is set', () => {
    const r = refusal(
      sh(
        '#!/sbin/openrc-run',
        'pidfile="/run/foo/foo.pid"',
        'start() {',
        '\tstart-stop-daemon --start --exec /usr/bin/foo --pidfile "${pidfile}"',
        '}',
        'stop() {',
        '\tlocal pfile=${pidfile}',
        '\t[ -e /run/foo.pid ] && pfile=/run/foo.pid',
        '\tstart-stop-daemon --stop --exec /usr/bin/foo --pidfile "${pfile}"',
        '}',
      ),
    );
    expect(r.reason).toBe(
      `${PREFIX}stop() finds the daemon through --pidfile "\${pfile}", and stop() itself sets pfile; the supervisor's stop would use pidfile instead`,
    );
  });

  // carbon-c-relay: the fallback to the pid file an older script had the daemon write, where the
  // rule says the daemon writes none unless told (noOwnPidfile) and nothing names that file now.
  describe("stop()'s fallback to an older script's pid file", () => {
    const legacy = (stopLines: string[], more: string[] = []) =>
      sh(
        '#!/sbin/openrc-run',
        'command=/usr/bin/foo',
        'pidfile="/run/foo/foo.pid"',
        ...more,
        'start() {',
        '\tstart-stop-daemon --start --exec ${command} --pidfile "${pidfile}" -- -D -P "${pidfile}"',
        '}',
        'stop() {',
        '\tebegin "Stopping foo"',
        '\t# migration path',
        ...stopLines,
        '\tstart-stop-daemon --stop --exec ${command} --pidfile "${pfile}"',
        '\teend $?',
        '}',
      );
    const carbon = ['\tlocal pfile=${pidfile}', '\t[[ -e /run/foo.pid ]] && pfile="/run/foo.pid"'];
    const quiet = rule({ foreground: '', noOwnPidfile: true });

    test.each([
      ['[[ -e ]] with a quoted path', carbon],
      ['[ -f ]', ['\tlocal pfile="${pidfile}"', '\t[ -f /run/foo.pid ] && pfile=/run/foo.pid']],
    ])('%s: converted, the supervisor stopping through pidfile, the fallback gone with a note', (_w, lines) => {
      const { r, d, s } = run(legacy(lines), { rule: quiet });
      expect(r).toBeUndefined();
      const out = applied(s, d.converted!.edits);
      expect(out).not.toMatch(/pfile|stop_pre|stop_post|\/run\/foo\.pid/);
      expect(d.notes).toContain(
        "stop() stopped through /run/foo.pid instead of pidfile when that file existed: a pid file of an older version of the script, which nothing in it names now and which the daemon, told no pid file, does not write (rule); the supervisor's stop uses its own pid file, so a daemon an older script started with that file is not stopped by it: stop such a daemon before migrating (migrate --restart stops the service with the script as it was)",
      );
    });

    const refused = `${PREFIX}stop() finds the daemon through --pidfile "\${pfile}", and stop() itself sets pfile; the supervisor's stop would use pidfile instead`;
    test.each([
      ['a rule that does not say the daemon writes no pid file unless told', carbon, [], rule({ foreground: '' }), ''],
      ['the old file named elsewhere too', carbon, ['FOO_OLD=/run/foo.pid'], quiet, ''],
      [
        'another file in the test than in the assignment',
        ['\tlocal pfile=${pidfile}', '\t[ -e /run/foo.pid ] && pfile=/run/foo2.pid'],
        [],
        quiet,
        '',
      ],
      ['a fallback to a variable', ['\tlocal pfile=${pidfile}', '\t[ -e "${OLD}" ] && pfile="${OLD}"'], [], quiet, ''],
      [
        'a first value other than pidfile',
        ['\tlocal pfile=/run/foo/other.pid', '\t[ -e /run/foo.pid ] && pfile=/run/foo.pid'],
        [],
        quiet,
        '',
      ],
      ['the local read again after the stop', [...carbon], [], quiet, '\trm -f "${pfile}"'],
    ])('not with %s', (_w, lines, more, r, after) => {
      let text = legacy(lines as string[], more as string[]);
      if (after) text = text.replace('\teend $?\n', `\teend $?\n${after}\n`);
      const { r: got } = run(text, { rule: r as ReturnType<typeof rule> });
      expect(got).toBeDefined();
      expect((got as Refusal).reason).toBe(refused);
    });
  });

  // poolmon: start() and stop() each set `local pidfile=` to the same literal path.
  describe('start() and stop() each naming the pid file in a local of their own', () => {
    const both = (stopValue: string) =>
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '\tlocal pidfile=/run/food.pid',
        '\tebegin "Starting food"',
        '\tstart-stop-daemon --pidfile "${pidfile}" --exec /usr/bin/food -- ${FOOD_OPTS}',
        '\teend $?',
        '}',
        'stop() {',
        `\tlocal pidfile=${stopValue}`,
        '\tebegin "Stopping food"',
        '\tstart-stop-daemon --stop --pidfile "${pidfile}"',
        '\teend $?',
        '}',
      );
    const forks = rule({ foreground: '-f', pidfileLock: true });

    test('the same literal path in both: converted, the supervisor stopping through that file', () => {
      const { r, d, s } = run(both('/run/food.pid'), { rule: forks });
      expect(r).toBeUndefined();
      expect(d.converted!.hoist).toEqual(['pidfile=/run/food.pid']);
      expect(d.converted!.command).toBe('/usr/bin/food');
      expect(d.converted!.lines).toEqual(['pidfile="${pidfile}"']);
      // stop() is gone, and with it the local only its stop read (no stop_pre() for it).
      expect(applied(s, d.converted!.edits)).toBe(sh('#!/sbin/openrc-run'));
    });

    test.each([
      ['another path', '/run/food/food.pid'],
      ['a computed path', '$(cat /etc/food.pidpath)'],
    ])('stop() naming %s: refused', (_what, value) => {
      const r = refusal(both(value), { rule: forks });
      expect(r.reason).toBe(
        `${PREFIX}stop() finds the daemon through --pidfile "\${pidfile}", and stop() itself sets pidfile; the supervisor's stop would use pidfile instead`,
      );
    });
  });

  test("start_post() stays refused (its steps would have to follow start()'s, and its status is not checked)", () => {
    const r = refusal(
      script(['start_post() {', '\teinfo started', '}'], []).replace('\teend $?\n', '\teend $?\n\teinfo "foo is up"\n'),
    );
    expect(r.reason).toBe(`${PREFIX}start() has steps for start_post(), which the script defines already`);
  });
});

describe('stop() and restart() without start()', () => {
  const HEAD = ['#!/sbin/openrc-run', 'command=/usr/bin/foo', 'command_args="--foreground"'];
  /** A script with the command set and a stop() of these lines. */
  const stopOnly = (...body: string[]) => run(sh(...HEAD, 'stop() {', ...body, '}'));

  test('stop-only: its other steps go to stop_post(), --retry to retry', () => {
    const { s, d, r } = stopOnly(
      '\tebegin "Stopping foo"',
      '\tstart-stop-daemon --stop --exec /usr/bin/foo --retry TERM/30/KILL/5',
      '\teend $?',
      '\trm -f /run/foo/foo.sock',
    );
    expect(r).toBeUndefined();
    const c = d.converted!;
    expect(c.command).toBe('');
    expect(c.args).toEqual([]);
    expect(c.lines).toEqual(['retry=TERM/30/KILL/5']);
    expect(applied(s, c.edits)).toBe(sh(...HEAD, 'stop_post() {', '\trm -f /run/foo/foo.sock', '}'));
    expect(d.notes).toEqual([
      'custom stop() replaced by command/command_args, so that the supervisor starts the daemon',
      "stop()'s other steps are now stop_post()",
    ]);
  });

  test('a comment beside the stop is no step: no stop_pre() is written, and no note says so', () => {
    // libvirt-snmp's stop(): a comment on why it stops by --name, then the stop (sample review).
    const { s, d, r } = stopOnly(
      '\tebegin "Stopping foo"',
      '\t# --exec does not work: the name is truncated',
      '\tstart-stop-daemon --stop --name foo',
      '\teend $?',
    );
    expect(r).toBeUndefined();
    expect(applied(s, d.converted!.edits)).toBe(sh(...HEAD));
    expect(d.notes).toEqual([
      'custom stop() replaced by command/command_args, so that the supervisor starts the daemon',
    ]);
  });

  test('stop() with --signal as a number: retry takes the signal name (a bare number is a timeout)', () => {
    const { d } = run(
      sh(
        '#!/sbin/openrc-run',
        'command=/usr/bin/foo',
        'stop() {',
        '\tstart-stop-daemon --stop --signal 2 --exec /usr/bin/foo',
        '}',
      ),
    );
    expect(d.converted!.lines).toEqual(['retry=SIGINT/5']);
  });

  // BUG (custom-start.ts, convertStop): with both --retry N and --signal SIG, only retry=N is
  // written. OpenRC's parse_schedule makes a bare number "SIG, then wait N": the schedule was
  // INT/30, and retry=30 under supervise-daemon sends TERM instead.
  test('stop() with --signal INT --retry 30: retry keeps the signal (SIGINT/30)', () => {
    const { d } = run(
      sh(
        '#!/sbin/openrc-run',
        'command=/usr/bin/foo',
        'stop() {',
        '\tstart-stop-daemon --stop --signal INT --retry 30 --exec /usr/bin/foo',
        '}',
      ),
    );
    expect(d.converted!.lines).toEqual(['retry=SIGINT/30']);
  });

  // BUG (custom-start.ts, convertStop): the signal of `kill -s INT ...` is not seen (only the
  // `-INT` spelling is), so stop() is converted and the supervisor sends TERM instead of INT.
  test('stop() with kill -s INT is refused like kill -INT (or keeps INT in retry)', () => {
    const { r, d } = run(
      sh('#!/sbin/openrc-run', 'command=/usr/bin/foo', 'stop() {', '\tkill -s INT $(cat /run/foo.pid)', '}'),
    );
    const refusedForInt = !!r && /INT/.test(r.reason);
    const keptInt = !!d.converted?.lines.some((l) => /^retry=.*INT/.test(l));
    expect(refusedForInt || keptInt).toBe(true);
  });

  test('stop() that kills with another signal than TERM is refused', () => {
    const r = refusal(
      sh('#!/sbin/openrc-run', 'command=/usr/bin/foo', 'stop() {', '\tkill -INT $(cat /run/foo.pid)', '}'),
    );
    expect(r.reason).toBe(
      `${PREFIX}stop() stops the daemon with kill -INT; the supervisor would send TERM (set retry by hand)`,
    );
  });

  test('stop() calling default_stop is left alone', () => {
    const { d, r } = run(
      sh('#!/sbin/openrc-run', 'command=/usr/bin/foo', 'stop() {', '\tdefault_stop', '\trm -f /run/foo.sock', '}'),
    );
    expect(r).toBeUndefined();
    expect(d.converted).toBeNull();
  });

  test('restart-only: a restart() that only stops and starts is removed', () => {
    const { s, d, r } = run(
      sh(
        '#!/sbin/openrc-run',
        'command=/usr/bin/foo',
        '',
        'restart() {',
        '\tsvc_stop',
        '\tsleep 1',
        '\tsvc_start',
        '}',
        '',
        'depend() {',
        '\tneed net',
        '}',
      ),
    );
    expect(r).toBeUndefined();
    expect(applied(s, d.converted!.edits)).toBe(
      sh('#!/sbin/openrc-run', 'command=/usr/bin/foo', '', 'depend() {', '\tneed net', '}'),
    );
    expect(d.notes).toContain(
      'restart() only stopped and started (with a pause between): removed (openrc-run does that itself, without the pause)',
    );
  });

  // openrc-run(8): restart "cannot be overridden" (openrc-run.c's svc_restart() stops and starts):
  // a restart() that does more never ran. Left, said; refused only when the script calls it itself.
  test('a restart() that does more is left as it is (openrc-run never runs it); refused when the script calls it', () => {
    const more = [
      '#!/sbin/openrc-run',
      'command=/usr/bin/foo',
      'restart() {',
      '\tsvc_stop',
      '\trm -rf /var/cache/foo',
      '\tsvc_start',
      '}',
    ];
    const { d, r } = run(sh(...more));
    expect(r).toBeUndefined();
    expect(d.notes).toContain(
      'restart() is left as it is: openrc-run never runs it (restart cannot be overridden: openrc-run stops and starts the service itself, openrc-run(8)), before the migration or after',
    );
    const called = refusal(sh(...more, 'reload() {', '\trestart', '}'));
    expect(called.reason).toBe('custom restart() does more than stop and start, and the script calls it itself');
  });

  test('neither start() nor stop() nor restart(): nothing to do', () => {
    const { d, r } = run(sh('#!/sbin/openrc-run', 'command=/usr/bin/foo'));
    expect(r).toBeUndefined();
    expect(d.converted).toBeNull();
    expect(d.initdReasons).toEqual([]);
  });
});

describe('one-shot or daemon', () => {
  test('start() that only runs programs that finish, no command: one-shot', () => {
    const { r, d } = run(
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '\tebegin "Loading foo tables"',
        '\t/sbin/sysctl -p /etc/foo.conf',
        '\tmodprobe foo',
        '\teend $?',
        '}',
      ),
    );
    expect(r).toEqual({
      kind: 'refuse',
      code: 'oneshot',
      reason:
        'one-shot service: no `command`; its start() runs programs that finish, so there is no daemon to supervise',
      suggestion: 'nothing to do: only long-running daemons benefit from supervise-daemon',
    });
    expect(d.converted).toBeNull();
  });

  test('stop() only, with no command at all: one-shot', () => {
    const { r } = run(sh('#!/sbin/openrc-run', 'stop() {', '\tumount /mnt/foo', '}'));
    expect(r).toMatchObject({ code: 'oneshot' });
  });

  test('a program run with a daemonize flag is never one-shot', () => {
    const r = refusal(sh('#!/sbin/openrc-run', 'start() {', '\t/usr/sbin/food -d', '}'));
    expect(r.code).toBe('custom-start');
    expect(r.reason).toBe(
      `${PREFIX}start() runs a program with a daemonize flag (food), but rc-supervise knows nothing about that program`,
    );
  });

  // metalog: `ssd() { start-stop-daemon --exec … "$@" ; }`, then `ssd --start -- --daemonize`.
  test('a launch through a function of the script that runs start-stop-daemon is named as such', () => {
    const wrapped = sh(
      '#!/sbin/openrc-run',
      'run_ssd() { start-stop-daemon --exec /usr/sbin/food --pidfile /run/food.pid "$@" ; }',
      'start() {',
      '\tebegin "Starting food"',
      '\trun_ssd --start -- --detach --pidfile=/run/food.pid',
      '\teend $?',
      '}',
      'stop() {',
      '\trun_ssd --stop',
      '}',
    );
    const reason = `${PREFIX}start() launches the daemon inside run_ssd(), a function of its own, which rc-supervise does not read through (only a launch in start() itself, or a function that only puts fixed words before the caller's for start-stop-daemon)`;
    expect(refusal(wrapped).reason).toBe(reason);
    // Without a daemonize word it is no one-shot either.
    expect(refusal(wrapped.replace(' --detach', '')).reason).toBe(reason);
  });

  test('--daemonise (British spelling, mdadm --monitor) is a daemonize flag too', () => {
    const r = refusal(sh('#!/sbin/openrc-run', 'start() {', '\tmdadm --monitor --scan --daemonise', '}'));
    expect(r.reason).toBe(
      `${PREFIX}start() runs a program with a daemonize flag (mdadm), but rc-supervise knows nothing about that program`,
    );
  });

  test('a program that forks by itself, stopped by stop(), is never one-shot', () => {
    const r = refusal(
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '	ebegin "Starting food"',
        '	food ${FOOD_OPTS}',
        '	eend $?',
        '}',
        'stop() {',
        '	start-stop-daemon --stop --pidfile /run/food.pid',
        '}',
      ),
    );
    expect(r.code).toBe('custom-start');
    expect(r.reason).toBe(
      `${PREFIX}start() runs food directly and goes on after it (so it forks by itself), and stop() stops a daemon (start-stop-daemon): rc-supervise converts such a launch only for a program a rule knows (its no-fork option), stopped by start-stop-daemon --stop (--exec or --pidfile) or killall`,
    );
  });

  // What a start() that runs its daemon directly shows about why it cannot be converted: said
  // precisely (sendmail, nfs, vtun, courier-imap, amphetadesk), not "cannot tell which program".
  describe('a daemon run directly: the precise reason', () => {
    const script = (start: string[], stop: string[], top: string[] = []) =>
      sh(
        '#!/sbin/openrc-run',
        ...top,
        'start() {',
        ...start.map((l) => `\t${l}`),
        '}',
        'stop() {',
        ...stop.map((l) => `\t${l}`),
        '}',
      );
    test.each([
      [
        'stop() stops two processes (sendmail)',
        script(
          ['/usr/sbin/food -bd', '/usr/sbin/food -Ac -q30m', 'eend $?'],
          ['kill `head -n 1 /run/food.pid`', 'kill `head -n 1 /run/food-client.pid`', 'eend $?'],
        ),
        'stop() stops 2 processes (kill `head -n 1 /run/food.pid`; kill `head -n 1 /run/food-client.pid`): start() launches several daemons, and one supervisor keeps one (one service per daemon)',
      ],
      [
        'the program twice, stop() by name',
        script(['/usr/sbin/food -x', '/usr/sbin/food -y'], ['killall food']),
        'start() runs /usr/sbin/food 2 times, and stop() stops it by name (killall): several daemons, and one supervisor keeps one (one service per daemon)',
      ],
      [
        'inside a loop (vtun)',
        script(
          ['for line in $(cat /etc/food.list); do', '\t/usr/sbin/food $line', 'done'],
          ['killall food', 'eend $?'],
        ),
        'start() runs /usr/sbin/food inside a loop (one instance per pass), and stop() stops it by name (killall): one supervisor keeps one daemon (one service per instance)',
      ],
      [
        'through env (courier-imap)',
        script(
          ['/usr/bin/env - /usr/lib/food/food.rc --pid=/run/food.pid', 'eend $?'],
          ['start-stop-daemon --stop --pidfile /run/food.pid'],
        ),
        'start() runs /usr/lib/food/food.rc through env (`/usr/bin/env - /usr/lib/food/food.rc --pid=/run/food.pid`), and stop() stops a daemon (start-stop-daemon): rc-supervise cannot tell whether that program is the daemon or whether it forks, nor keep the environment env gives it',
      ],
      [
        "in its own shell's background (amphetadesk)",
        script(['cd /usr/share/food', './food.pl > /dev/null &', 'eend 0'], ['killall food.pl']),
        'start() runs ./food.pl in the background of its own shell (`&`), and stop() stops it (killall): nothing says whether food.pl stays in the foreground (a daemon that forks would be lost by the supervisor, which would start it again and again)',
      ],
      [
        // openib: `$(hostname -s)` inside a loop is no daemon: not stopped by name, and its
        // output is a value (command substitution), not a program start() runs.
        'a loop around a program stop() does not name, in a command substitution',
        script(
          ['for hca in /sys/class/food/*; do', '\techo "$(hostname -s)" >> ${hca}/desc', 'done', '/usr/sbin/food -x'],
          ['kill $(cat /run/food.pid)'],
        ),
        'start() runs /usr/sbin/food directly and goes on after it (so it forks by itself), and stop() stops a daemon (kill): rc-supervise converts such a launch only for a program a rule knows (its no-fork option), stopped by start-stop-daemon --stop (--exec or --pidfile) or killall',
      ],
      [
        // irda: its own checkconfig(), modprobe and sysctl are not named among the programs.
        'the programs it runs are named, not helpers or its own functions',
        script(
          [
            'checkconfig',
            '[ -n "${SETSERIAL}" ] && /bin/setserial ${SETSERIAL} uart none',
            '/sbin/modprobe -sqa food-tty',
            '/sbin/sysctl -q -w net.food.discovery=0',
            '/usr/sbin/food ${DEVICE}',
            'eend ${?}',
          ],
          ['/usr/bin/pkill -f "^/usr/sbin/food ${DEVICE} ?"'],
          ['checkconfig() {', '\t[ -n "${DEVICE}" ] || DEVICE=/dev/ttyS1', '}'],
        ),
        'start() runs setserial, food directly, and stop() stops a daemon (pkill): rc-supervise cannot tell which program is the daemon or whether it forks',
      ],
      [
        // openib's `/etc/init.d/$ibdev start`, dcc's `break`: neither is a program start() runs.
        'a builtin and a program named by an unknown variable are not programs',
        script(
          ['for dev in $DEVS; do', '\t/etc/init.d/$dev start', '\tbreak', 'done', '/usr/sbin/food -x', 'eend $?'],
          ['kill $(cat /run/food.pid)'],
        ),
        'start() runs /usr/sbin/food directly and goes on after it (so it forks by itself), and stop() stops a daemon (kill): rc-supervise converts such a launch only for a program a rule knows (its no-fork option), stopped by start-stop-daemon --stop (--exec or --pidfile) or killall',
      ],
      [
        'a TERM then KILL fallback is one daemon',
        script(['/usr/sbin/food', 'eend $?'], ['kill $(cat /run/food.pid)', 'sleep 2', 'kill -9 $(cat /run/food.pid)']),
        'start() runs /usr/sbin/food directly and goes on after it (so it forks by itself), and stop() stops a daemon (kill): rc-supervise converts such a launch only for a program a rule knows (its no-fork option), stopped by start-stop-daemon --stop (--exec or --pidfile) or killall',
      ],
    ])('%s', (_, initd, reason) => {
      const r = refusal(initd);
      expect(r.code).toBe('custom-start');
      expect(r.reason).toBe(`${PREFIX}${reason}`);
    });
  });

  // webmin: `WEBMIN_EXE="%exe%"`, which its ebuild's sed replaces when it installs the script.
  test('a program whose value is a %word% placeholder: refused as a template', () => {
    const { r, d } = run(
      sh(
        '#!/sbin/openrc-run',
        'FOOD_EXE="%exe%"',
        'start() {',
        '\tstart-stop-daemon --start --background --exec "$FOOD_EXE" --pidfile /run/food.pid -- /etc/food.conf',
        '}',
      ),
    );
    expect(d.converted).toBeNull();
    expect(r).toEqual({
      kind: 'refuse',
      code: 'template',
      reason:
        'template: start() runs "$FOOD_EXE", whose value %exe% is a placeholder the ebuild fills in when it installs the script',
      suggestion: 'run rc-supervise on the installed file',
    });
  });

  // apache2: `start-stop-daemon --start --pidfile "${PIDFILE}" -- ${APACHE2} ${APACHE2_OPTS} -k start`.
  test('the program only after `--` (no --exec, --startas or operand): said so', () => {
    const r = refusal(
      sh(
        '#!/sbin/openrc-run',
        'FOOD=/usr/sbin/food',
        'start() {',
        '\tstart-stop-daemon --start --pidfile /run/food.pid -- ${FOOD} -k start',
        '}',
      ),
    );
    expect(r.reason).toBe(
      `${PREFIX}start()'s start-stop-daemon names no --exec or --startas: OpenRC's start-stop-daemon runs the first word after \`--\` (\${FOOD}) as the program, a form rc-supervise does not convert`,
    );
  });

  test('command set but start() defined only for another case: never one-shot', () => {
    const r = refusal(
      sh(
        '#!/sbin/openrc-run',
        'command=/usr/sbin/food',
        'command_args="-D"',
        'if [ -n "${FOOD_OLD}" ]; then',
        '	start() {',
        '		eerror "needs OpenRC"',
        '		return 1',
        '	}',
        'fi',
      ),
    );
    expect(r.reason).toBe(
      `${PREFIX}start() launches nothing rc-supervise recognises, but command is set to /usr/sbin/food: rc-supervise cannot tell how start() runs the daemon`,
    );
  });

  // sssd: OpenRC sets RC_VERSION, so a start() defined only without it (baselayout-1) is not
  // there: OpenRC's own start runs command.
  test("a start() only baselayout-1 defines is not the script's: nothing to convert", () => {
    const { r, d } = run(
      sh(
        '#!/sbin/openrc-run',
        'command=/usr/sbin/food',
        'command_args="-D"',
        'if [ "${RC_VERSION:-0}" = "0" ]; then',
        '	start() {',
        '		eerror "needs OpenRC"',
        '		return 1',
        '	}',
        'fi',
      ),
    );
    expect(r).toBeUndefined();
    expect(d.converted).toBeNull();
  });

  test('start-stop-daemon in a helper start() calls with its arguments: never one-shot', () => {
    const r = refusal(
      sh(
        '#!/sbin/openrc-run',
        'each() {',
        '	for u in ${USERS}; do start-stop-daemon "$@" --exec /usr/bin/food --user "$u"; done',
        '}',
        'start() {',
        '	each --start',
        '}',
      ),
    );
    expect(r.reason).toBe(
      `${PREFIX}each() runs start-stop-daemon in a loop, once per item (an instance each): one supervisor keeps one daemon`,
    );
    expect(r.suggestion).toBe(
      "give each instance a service of its own (one start-stop-daemon call in start(), the instance from the service's name), then migrate",
    );
  });

  describe('start-stop-daemon run behind something, or with its options in a variable: said as it is', () => {
    const ssd = '--start --exec /usr/bin/foo --pidfile /run/foo.pid -- -c /etc/foo.conf';
    test.each([
      [
        'env NAME=value in front (rtorrentd)',
        [`\tenv TERM="xterm" start-stop-daemon ${ssd}`],
        'start() runs start-stop-daemon through env (`env TERM="xterm" start-stop-daemon …`): rc-supervise converts only a start-stop-daemon run directly',
        "run start-stop-daemon directly in start() (its own options set the daemon's environment, --env, as env did, and its I/O priority, --ionice), then migrate again",
      ],
      [
        'env -i in a while loop (spawn-fcgi)',
        [
          '\tX=0',
          '\twhile [ $X -lt ${N} ]; do',
          '\t\tX=$(($X+1))',
          `\t\tenv -i \${E} /sbin/start-stop-daemon ${ssd}`,
          '\tdone',
        ],
        'start() runs start-stop-daemon through env (`env -i ${E} /sbin/start-stop-daemon …`), inside a loop (`while [ $X -lt ${N} ]; do`): rc-supervise converts only a start-stop-daemon run directly',
        'run start-stop-daemon directly in start(), once (one supervisor keeps one daemon: an instance each needs a service each), then migrate again',
      ],
      [
        'a command word in a variable, in a for loop (preload)',
        ['\tfor ionice in "ionice -c3" \'\'; do', `\t\t\${ionice} start-stop-daemon ${ssd} && break`, '\tdone'],
        'start() runs start-stop-daemon behind ${ionice}, a command word held in a variable (`${ionice} start-stop-daemon …`), inside a loop (`for ionice in "ionice -c3" \'\'; do`): rc-supervise converts only a start-stop-daemon run directly',
        'run start-stop-daemon directly in start(), once (one supervisor keeps one daemon: an instance each needs a service each), then migrate again',
      ],
      [
        'all its options in a variable set by a function (dnetc)',
        ['\topts || return 1', '\tstart-stop-daemon ${STARTOPTS} -- ${FOOOPTS}'],
        "start()'s start-stop-daemon takes all its options from ${STARTOPTS} (set in opts()): rc-supervise reads start-stop-daemon's options only where the call writes them out (--start, --exec …)",
        'write the options out in the start-stop-daemon call in start() (or as command=, command_args=), then migrate again',
      ],
    ])('%s', (_, body, reason, suggestion) => {
      const r = refusal(
        sh(
          '#!/sbin/openrc-run',
          'opts() {',
          '\tSTARTOPTS="--start --exec /usr/bin/foo"',
          '\tFOOOPTS="-q"',
          '}',
          'start() {',
          ...body,
          '}',
          'stop() {',
          '\tstart-stop-daemon --stop --exec /usr/bin/foo',
          '}',
        ),
      );
      expect([r.reason, r.suggestion]).toEqual([PREFIX + reason, suggestion]);
    });

    test('a test naming start-stop-daemon runs nothing: the launch in a variable keeps the general reason', () => {
      const r = refusal(
        sh(
          '#!/sbin/openrc-run',
          'start() {',
          '\t[ -x /sbin/start-stop-daemon ] || return 1',
          '\tssd="start-stop-daemon --start --exec /usr/bin/foo"',
          '\t${ssd}',
          '}',
        ),
      );
      expect(r.reason).toBe(
        `${PREFIX}start() starts a daemon in a way rc-supervise cannot follow (start-stop-daemon inside a variable, function or subshell)`,
      );
    });
  });

  test('start-stop-daemon hidden in a variable is never one-shot', () => {
    const r = refusal(
      sh('#!/sbin/openrc-run', 'start() {', '\tssd="start-stop-daemon --start --exec /usr/bin/foo"', '\t${ssd}', '}'),
    );
    expect(r.code).toBe('custom-start');
    expect(r.reason).toBe(
      `${PREFIX}start() starts a daemon in a way rc-supervise cannot follow (start-stop-daemon inside a variable, function or subshell)`,
    );
  });

  test("a known daemon (rule's daemons) run directly is a binary launch", () => {
    const { s, d, r } = run(sh('#!/sbin/openrc-run', 'start() {', '\t/usr/sbin/food -d -c /etc/food.conf', '}'), {
      rule: rule({ daemons: ['food'] }),
    });
    expect(r).toBeUndefined();
    expect(d.converted!.command).toBe('/usr/sbin/food');
    expect(d.converted!.args.map((a) => a.text)).toEqual(['-d', '-c', '/etc/food.conf']);
    expect(launchedDaemon(s)).toBe('food');
  });

  test('startShape: default_start is the default start, nothing to convert', () => {
    const s = service(
      sh('#!/sbin/openrc-run', 'command=/usr/bin/foo', 'start() {', '\tcheckpath -d /run/foo', '\tdefault_start', '}'),
    );
    expect(startShape(s, [])).toEqual({ kind: 'default' });
  });
});

test('launchedDaemon: the program start() hands to start-stop-daemon', () => {
  const exec = service(sh('#!/sbin/openrc-run', 'start() {', '\tstart-stop-daemon --start --exec /usr/sbin/food', '}'));
  expect(launchedDaemon(exec)).toBe('food');
  const operand = service(sh('#!/sbin/openrc-run', 'start() {', '\tstart-stop-daemon -S /usr/bin/x -- -f', '}'));
  expect(launchedDaemon(operand)).toBe('x');
  const dynamic = service(sh('#!/sbin/openrc-run', 'start() {', '\tstart-stop-daemon --start --exec ${FOO_BIN}', '}'));
  expect(launchedDaemon(dynamic)).toBeUndefined();
});

// What start() does after the launch goes to start_post() only when it does not depend on the
// daemon having done anything: supervise-daemon returns once the child is spawned.
describe('after the launch', () => {
  const withPost = (...post: string[]) =>
    sh(
      '#!/sbin/openrc-run',
      'start() {',
      '\tebegin "Starting foo"',
      '\tstart-stop-daemon --start --exec /usr/bin/foo --pidfile /run/foo.pid -- --config /etc/foo.conf \\',
      '\t\t>/dev/null 2>&1',
      ...post,
      '}',
    );
  const startPost = (...body: string[]) => sh('#!/sbin/openrc-run', 'start_post() {', ...body, '}');

  test('a redirection to /dev/null on the continued line belongs to the launch', () => {
    const { s, d, r } = run(withPost('\teend $?'));
    expect(r).toBeUndefined();
    expect(d.converted!.args.map((a) => a.text)).toEqual(['--config', '/etc/foo.conf']);
    expect(applied(s, d.converted!.edits)).toBe(sh('#!/sbin/openrc-run'));
  });

  test('messages go to start_post()', () => {
    const { s, d, r } = run(withPost('\teend $?', '\teinfo "foo answers on port 8080"'));
    expect(r).toBeUndefined();
    expect(applied(s, d.converted!.edits)).toBe(startPost('\teinfo "foo answers on port 8080"'));
    expect(d.notes).toContain('what start() did after the launch is now start_post()');
  });

  test('a sleep and a check that only prints a warning go to start_post(), with a note', () => {
    const post = ['\tsleep 1', '\tif ! pgrep -x foo >/dev/null; then', '\t\tewarn "foo is not up yet"', '\tfi'];
    const { s, d, r } = run(withPost(...post, '\teend $?'));
    expect(r).toBeUndefined();
    expect(applied(s, d.converted!.edits)).toBe(startPost(...post));
    expect(d.notes).toContain(
      "start_post() keeps start()'s informative check (pgrep -x foo): it only prints a message",
    );
  });

  test("OpenRC's bounded ewaitfile for the daemon's socket stays in start_post(), with a note", () => {
    const { s, d, r } = run(withPost('\tewaitfile 10 /run/foo.sock', '\teend $? "foo did not start"'));
    expect(r).toBeUndefined();
    expect(applied(s, d.converted!.edits)).toBe(startPost('\tewaitfile 10 /run/foo.sock'));
    expect(d.notes).toContain(
      "start_post() keeps start()'s bounded wait (ewaitfile 10 /run/foo.sock): it waits for what the daemon creates, and holds when the supervisor starts the daemon a moment later; if it times out the start fails, as before",
    );
  });

  // mailgraph: `UMASK=$(umask); umask 0077; start-stop-daemon …; umask "${UMASK}"`. The builtin
  // sets the shell's mask only; both supervisors give the daemon 022 (or --umask) themselves.
  test("restoring the shell's umask after the launch stays in start_post(), with a note", () => {
    const src = sh(
      '#!/sbin/openrc-run',
      'start() {',
      '\tUMASK=$(umask)',
      '\tumask 0077',
      '\tstart-stop-daemon --start --exec /usr/bin/foo --pidfile /run/foo.pid -- --config /etc/foo.conf',
      '\teend $?',
      '\tumask "${UMASK}"',
      '}',
    );
    const { s, d, r } = run(src);
    expect(r).toBeUndefined();
    expect(applied(s, d.converted!.edits)).toBe(
      sh(
        '#!/sbin/openrc-run',
        'start_pre() {',
        '\tUMASK=$(umask)',
        '\tumask 0077',
        '\treturn 0',
        '}',
        '',
        'start_post() {',
        '\tumask "${UMASK}"',
        '}',
      ),
    );
    expect(d.notes).toContain(
      'start_post() keeps `umask "${UMASK}"`, which start() ran after the launch: it sets the file mode mask of the init script\'s own shell only; the daemon never inherits that shell\'s mask (start-stop-daemon and supervise-daemon both give it 022, or what --umask / umask= says)',
    );
    // Octal digits cannot fail either.
    expect(run(withPost('\teend $?', '\tumask 022')).r).toBeUndefined();
  });

  test.each([
    ['a mask from conf.d, which may not be one', '\t:', '\tumask "${FOO_UMASK}"'],
    ['a saved value that is not `$(umask)`', '\tOLD=0$(id -u)', '\tumask $OLD'],
  ])('umask with %s after the launch is refused', (_, pre, post) => {
    const src = sh(
      '#!/sbin/openrc-run',
      'start() {',
      pre,
      '\tstart-stop-daemon --start --exec /usr/bin/foo --pidfile /run/foo.pid -- --config /etc/foo.conf',
      post,
      '}',
    );
    expect(refusal(src).reason).toBe(
      `${PREFIX}start() runs \`${post.trim()}\` after the launch; under the supervisor start_post() could run it before the daemon is ready`,
    );
  });

  test("a report of the launch's exit status that only prints is dropped, with a note", () => {
    const { s, d, r } = run(
      withPost(
        '\tlocal retval=$?',
        '\tif [ $retval -ne 0 ]; then',
        '\t\tewarn "check /etc/foo.conf"',
        '\tfi',
        '\teend $retval',
      ),
    );
    expect(r).toBeUndefined();
    expect(applied(s, d.converted!.edits)).toBe(sh('#!/sbin/openrc-run'));
    expect(d.notes).toContain(
      "start() only reported the launch's exit status after it ($retval): dropped, as start_post() cannot see that status; openrc-run reports a failed start itself",
    );
    // `if [ $? ... ]` straight after the launch is the same report.
    const direct = run(withPost('\tif [ $? -ne 0 ]; then', '\t\teend 1', '\telse', '\t\teend 0', '\tfi'));
    expect(direct.r).toBeUndefined();
    expect(applied(direct.s, direct.d.converted!.edits)).toBe(sh('#!/sbin/openrc-run'));
  });

  test.each([
    [
      'a chmod of the socket when the launch succeeded',
      ['\tEXIT=$?', '\t[ $? = 0 ] && chmod a+rw /run/foo.sock', '\teend ${EXIT}'],
      "start() acts on the launch's exit status after it (chmod a+rw /run/foo.sock); start_post() cannot see that status",
    ],
    [
      'a chmod of the socket',
      ['\tchmod 660 /run/foo.sock'],
      'start() runs `chmod 660 /run/foo.sock` after the launch; under the supervisor start_post() could run it before the daemon is ready',
    ],
    [
      "a wait loop of the script's own",
      ['\twhile [ ! -S /run/foo.sock ]; do', '\t\tsleep 1', '\tdone'],
      'start() waits in a loop of its own after the launch (`while [ ! -S /run/foo.sock ]; do`); under the supervisor start_post() could give up before the daemon is ready',
    ],
    ['writing the pid file', ['\tpgrep -x foo > /run/foo.pid'], 'start() writes /run/foo.pid after the launch'],
    [
      'reading the pid file',
      ['\tif [ -s "${PIDFILE}" ]; then', '\t\teinfo "pid file written"', '\tfi'],
      'start() reads the daemon\'s pid file after the launch (`if [ -s "${PIDFILE}" ]; then`); under the supervisor that file may not be there yet, or be the supervisor\'s own',
    ],
    [
      'a check that fails the start (eerror returns 1)',
      ['\tsleep 1', '\tif ! pidof foo >/dev/null; then', '\t\teerror "foo died"', '\tfi'],
      'start() can fail the start after the launch (eerror "foo died"); in start_post() the supervisor would keep the daemon of a service marked failed',
    ],
    [
      'a check that returns 1',
      ['\tif ! pgrep foo >/dev/null; then', '\t\treturn 1', '\tfi'],
      'start() can fail the start after the launch (return 1); in start_post() the supervisor would keep the daemon of a service marked failed',
    ],
    [
      '$? read later',
      ['\tsleep 1', '\teinfo "status $?"'],
      "start() reads the launch's exit status ($?) after it; start_post() cannot see that status",
    ],
    ['a variable set after the launch', ['\tstarted=yes'], 'start() sets started after the launch'],
    [
      'a check outside an if',
      ['\t[ -S /run/foo.sock ] && einfo "socket up"'],
      'start() chains commands with && after the launch; in start_post() a failing test would fail the start',
    ],
  ])('refused: %s', (_what, post, reason) => {
    expect(refusal(withPost(...post)).reason).toBe(PREFIX + reason);
  });

  test("a refused wait loop suggests OpenRC's ewaitfile, which start_post() keeps", () => {
    const r = refusal(withPost('\twhile [ ! -S /run/foo.sock ]; do', '\t\tsleep 1', '\tdone'));
    expect(r.suggestion).toBe(
      "where the loop only waits for a file the daemon creates in the foreground too, write it as OpenRC's bounded `ewaitfile TIMEOUT FILE`, which start_post() can keep, then migrate again",
    );
  });

  test('a local of start() read after the launch is refused (start_pre() would not pass it on)', () => {
    const r = refusal(
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '\tlocal sock=/run/foo.sock',
        '\tstart-stop-daemon --start --exec /usr/bin/foo',
        '\tewaitfile 5 "${sock}"',
        '}',
      ),
    );
    expect(r.reason).toBe(`${PREFIX}start() reads sock after the launch, a local that start_pre() would not pass on`);
  });

  // openvpn, NetworkManager: `[ "${IN_BACKGROUND}" = "true" ] && return 0` before the launch.
  test('an early return before the launch is refused, quoting it (and what IN_BACKGROUND means)', () => {
    const src = (line: string) =>
      sh('#!/sbin/openrc-run', 'start() {', line, '\tstart-stop-daemon --start --exec /usr/bin/foo', '}');
    const r = refusal(src('\t[ "${IN_BACKGROUND}" = "true" ] && return 0'));
    expect(r.reason).toBe(
      `${PREFIX}start() can return early before the launch (\`[ "\${IN_BACKGROUND}" = "true" ] && return 0\`), skipping it; in start_pre() that return would only end start_pre(), and the daemon would be launched anyway. Here the daemon's own hook scripts start the service again (IN_BACKGROUND) while it runs, to have OpenRC mark it started`,
    );
    expect(r.suggestion).toBe(
      'keep this service on start-stop-daemon: its start() is re-entered by the daemon it started',
    );
    expect(refusal(src('\tpgrep -x foo >/dev/null && return 0')).reason).toBe(
      `${PREFIX}start() can return early before the launch (\`pgrep -x foo >/dev/null && return 0\`), skipping it; in start_pre() that return would only end start_pre(), and the daemon would be launched anyway`,
    );
  });

  // qcontrol: the daemon is launched, driven and stopped again within start().
  test('a stop of the daemon after the launch is refused, naming it', () => {
    const r = refusal(
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '\tstart-stop-daemon --start --pidfile /run/foo.pid --exec /usr/bin/foo',
        '\tfooctl led on',
        '\tstart-stop-daemon --stop --quiet --pidfile /run/foo.pid',
        '}',
      ),
    );
    expect(r.reason).toBe(
      `${PREFIX}start() can stop the daemon again after the launch (start-stop-daemon --stop --quiet --pidfile /run/foo.pid); in start_post() that stop would hit the supervised daemon, which the supervisor then starts again`,
    );
  });

  test("the launch's output sent to a file is refused (the supervisor's output goes elsewhere)", () => {
    const r = refusal(
      sh('#!/sbin/openrc-run', 'start() {', '\tstart-stop-daemon --start --exec /usr/bin/foo > /var/log/foo.log', '}'),
    );
    expect(r.reason).toBe(
      `${PREFIX}start() sends the launch's output to a file (> /var/log/foo.log); under supervise-daemon the daemon's output goes to /dev/null unless output_log/error_log name a file (OpenRC 0.35), which the daemon then writes, appending, for as long as it runs, not only while it starts`,
    );
    expect(r.suggestion).toBe("convert start() by hand (output_log/error_log send the daemon's output to a file)");
  });

  // MailScanner: `start-stop-daemon --start --pidfile /var/run/${SVCNAME}.pid ... > /var/run/${SVCNAME}.pid`.
  test("the launch's output written into its own pid file is refused, saying so", () => {
    const r = refusal(
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '\tstart-stop-daemon --start --pidfile /var/run/${SVCNAME}.pid --exec /usr/bin/foo > /var/run/${SVCNAME}.pid',
        '}',
      ),
    );
    expect(r.reason).toBe(
      `${PREFIX}start() fills the launch's pid file with the launch's output (> /var/run/\${SVCNAME}.pid); under supervise-daemon that output goes to /dev/null (or output_log), and the pid file is the supervisor's own`,
    );
  });

  // openconnect: the VPN password on the launch's stdin, from a here-document.
  test('a here-document on the launch is refused, naming it', () => {
    const r = refusal(
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '\tstart-stop-daemon --start --exec /usr/bin/foo -- --background >> /var/log/foo.log <<EOF',
        '${password}',
        'EOF',
        '}',
      ),
    );
    expect(r.reason).toBe(
      `${PREFIX}start() feeds the launch a here-document on its standard input (<<EOF); supervise-daemon gives the daemon /dev/null there (input_file, from OpenRC 0.62, reads a file, not text from the script)`,
    );
  });

  // amuled, openfire: `start-stop-daemon --start --background ... > $LOG 2>&1`. With --background
  // start-stop-daemon gave the daemon /dev/null for its output, so the file got only
  // start-stop-daemon's own messages: the daemon loses nothing, and the conversion says so.
  test("a --background launch's redirect reached only start-stop-daemon: converted, with a note", () => {
    const { r, d } = run(
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '\tstart-stop-daemon --start --background --make-pidfile --pidfile /run/foo.pid --exec /usr/bin/foo > /var/log/foo.log 2>&1',
        '}',
      ),
      { rule: rule() },
    );
    expect(r).toBeUndefined();
    expect(d.converted?.notes).toContain(
      "start() sent start-stop-daemon's own output to a file (> /var/log/foo.log 2>&1): the daemon's never went there (with --background, or --quiet, start-stop-daemon gives it /dev/null, as supervise-daemon does unless output_log/error_log are set), so that file no longer gets start-stop-daemon's messages, nor is it created or emptied at each start",
    );
  });

  test('a launch inside a subshell is refused', () => {
    const r = refusal(
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '\t(',
        '\tunset -f foo',
        '\tstart-stop-daemon --start --exec /usr/bin/foo',
        '\t)',
        '}',
      ),
    );
    expect(r.reason).toBe(
      `${PREFIX}start() launches the daemon inside a subshell ( … ); what the subshell does around it would be lost`,
    );
  });
});

describe('start-stop-daemon options of the launch', () => {
  test("--nice is getopt_long's abbreviation of --nicelevel: passed on in full", () => {
    const { d, r } = run(
      sh('#!/sbin/openrc-run', 'start() {', '\tstart-stop-daemon --start --nice 10 --exec /usr/bin/foo', '}'),
    );
    expect(r).toBeUndefined();
    expect(d.converted!.lines).toEqual(['start_stop_daemon_args="--nicelevel 10"']);
    const eq = run(
      sh('#!/sbin/openrc-run', 'start() {', '\tstart-stop-daemon --start --nice=10 --exec /usr/bin/foo', '}'),
    );
    expect(eq.d.converted!.lines).toEqual(['start_stop_daemon_args="--nicelevel=10"']);
  });

  // openrc-run evals start_stop_daemon_args (sh/supervise-daemon.sh): the quotes of
  // --group="${FOO_GROUP}" must arrive balanced (a real tox-bootstrapd script lost the closing one).
  test('--group="${X}" keeps both quotes in start_stop_daemon_args', () => {
    const { d, r } = run(
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '\tstart-stop-daemon --start --group="${FOO_GROUP}" --exec /usr/bin/foo',
        '}',
      ),
    );
    expect(r).toBeUndefined();
    expect(d.converted!.lines).toEqual(['start_stop_daemon_args="--group=\\"${FOO_GROUP}\\""']);
  });

  test('an ambiguous abbreviation stays unknown (--st: --start, --startas, --stop, ...)', () => {
    const r = refusal(
      sh('#!/sbin/openrc-run', 'start() {', '\tstart-stop-daemon --start --st x --exec /usr/bin/foo', '}'),
    );
    expect(r.reason).toBe(`${PREFIX}start()'s start-stop-daemon has options rc-supervise does not know: --st`);
  });

  test('--interpreted only matched the running script: dropped with a note', () => {
    const { d, r } = run(
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '\tstart-stop-daemon --start -i --exec /usr/bin/foo.py --background --make-pidfile --pidfile /run/foo.pid',
        '}',
      ),
    );
    expect(r).toBeUndefined();
    expect(d.converted!.command).toBe('/usr/bin/foo.py');
    expect(d.notes).toContain(
      'start-stop-daemon --interpreted of start() dropped: it only matched the running script by its interpreter; the supervisor tracks its child itself',
    );
  });

  // sec: `--interpreted --exec /usr/bin/sec -- -pid=/run/sec.pid ...`, stop() by --pidfile.
  test('--interpreted with no pidfile anywhere: refused (stop by --exec never matches an interpreted script)', () => {
    const r = refusal(
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '	start-stop-daemon --start --interpreted --exec /usr/bin/foo -- -pid=/run/foo.pid',
        '}',
        'stop() {',
        '	start-stop-daemon --stop --pidfile /run/foo.pid',
        '}',
      ),
    );
    expect(r.reason).toBe(
      `${PREFIX}start() runs an interpreted daemon (--interpreted) and no pidfile is set: without the supervisor, stop would look for it by --exec, which never matches a script run by its interpreter`,
    );
    expect(r.suggestion).toBe('set pidfile= to the file the daemon writes (the one stop() used), then migrate again');
  });

  // sec: stop() finds the script by `--pidfile /run/sec.pid`, the file the launch's
  // `-pid=/run/sec.pid` (the rule's pid file option, Getopt::Long style) told it to write.
  describe('--interpreted, stop() by the pid file the launch told the daemon to write', () => {
    const secd = rule({
      id: 'secd',
      daemons: ['secd'],
      foreground: '',
      noOwnPidfile: true,
      backgroundFlags: [
        { flag: '-pid', value: true, why: 'pidfile' },
        { flag: '-detach', why: 'daemonize' },
      ],
    });
    const script = (pidWord: string, stop: string) =>
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '	ebegin "Starting secd"',
        `	start-stop-daemon --start --quiet --interpreted --exec /usr/bin/secd -- ${pidWord} -detach -conf=/etc/secd.conf > /dev/null 2>&1`,
        '	eend $?',
        '}',
        'stop() {',
        '	ebegin "Stopping secd"',
        `	${stop}`,
        '	eend $?',
        '}',
      );

    test.each([['-pid=/run/secd.pid'], ['-pid /run/secd.pid']])('%s: pidfile= is that file', (pidWord) => {
      const { d, r } = run(script(pidWord, 'start-stop-daemon --stop --quiet --pidfile /run/secd.pid'), {
        rule: secd,
      });
      expect(r).toBeUndefined();
      expect(d.converted!.command).toBe('/usr/bin/secd');
      expect(d.converted!.lines).toEqual(['pidfile=/run/secd.pid']);
      expect(d.notes).toContain(
        'start() ran an interpreted daemon (--interpreted) and gave start-stop-daemon no pid file; stop() found it by --pidfile /run/secd.pid, the file the launch told it to write with its pid file option (rule secd): pidfile= names that file, so that start-stop-daemon (were supervisor= set back) finds the script by its pid file as stop() did, not by --exec',
      );
    });

    test.each([
      ['another file', '-pid=/run/secd.pid', 'start-stop-daemon --stop --pidfile /run/other.pid'],
      [
        'no pid file option in the launch',
        '-log=/var/log/secd.log',
        'start-stop-daemon --stop --pidfile /run/secd.pid',
      ],
      [
        'stop() selects by name too',
        '-pid=/run/secd.pid',
        'start-stop-daemon --stop --name secd --pidfile /run/secd.pid',
      ],
      ['stop() kills by the file', '-pid=/run/secd.pid', 'kill $(cat /run/secd.pid)'],
    ])('%s: still refused', (_, pidWord, stop) => {
      const r = refusal(script(pidWord, stop), { rule: secd });
      expect(r.reason).toBe(
        `${PREFIX}start() runs an interpreted daemon (--interpreted) and no pidfile is set: without the supervisor, stop would look for it by --exec, which never matches a script run by its interpreter`,
      );
    });
  });
});

describe('stop() forms', () => {
  const start = ['start() {', '\tstart-stop-daemon --start --exec /usr/bin/foo', '}'];

  test("stop()'s own --stop --signal 1 is the stop signal: retry=SIGHUP/5, not a stray signal", () => {
    const { d, r } = run(
      sh('#!/sbin/openrc-run', ...start, 'stop() {', '\tstart-stop-daemon --stop --signal 1 --exec /usr/bin/foo', '}'),
    );
    expect(r).toBeUndefined();
    expect(d.converted!.lines).toEqual(['retry=SIGHUP/5']);
  });

  test('a signal sent besides the stop is still refused', () => {
    const r = refusal(
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '\tstart-stop-daemon --start --exec /usr/bin/foo --pidfile /run/foo.pid',
        '\tstart-stop-daemon --signal USR1 --pidfile /run/foo.pid',
        '}',
      ),
    );
    expect(r.reason).toBe(`${PREFIX}start() also sends USR1 through the pid file, which would reach the supervisor`);
  });

  test('a variable where stop() passes options is refused', () => {
    const r = refusal(
      sh(
        '#!/sbin/openrc-run',
        ...start,
        'stop() {',
        '\tstart-stop-daemon --stop ${FOO_RETRY} --exec /usr/bin/foo',
        '}',
      ),
    );
    expect(r.reason).toBe(
      `${PREFIX}stop()'s start-stop-daemon passes \${FOO_RETRY}, which may hold options (--retry, --signal) rc-supervise cannot read`,
    );
  });

  // bitlbee: every process of the -u user, or only the one of the pid file, chosen by stop().
  test('options stop() picks itself are named, with their values', () => {
    const r = refusal(
      sh(
        '#!/sbin/openrc-run',
        ...start,
        'stop() {',
        '\tlocal pidfile=',
        '\tyesno ${FOO_STOP_ALL:-YES} ||',
        '\t\tpidfile="--pidfile /run/foo.pid"',
        '\tstart-stop-daemon --stop --quiet ${pidfile} -u foo:foo',
        '}',
      ),
    );
    expect(r.reason).toBe(
      `${PREFIX}stop()'s start-stop-daemon passes \${pidfile}, which stop() itself sets (to \`\` or \`"--pidfile /run/foo.pid"\`): the options of its stop, and so which processes it stops and how, are chosen when it runs, where the supervisor's stop is one schedule of signals to its one child`,
    );
    expect(r.suggestion).toBe(
      'where stop() only stops the daemon, remove it (set retry for its schedule); where it also stops other processes, keep that in stop_post() by hand; then migrate again',
    );
  });

  test("words after stop()'s -- and a quoted program operand are not options", () => {
    for (const stop of [
      '\tstart-stop-daemon --stop --exec /usr/bin/foo -- ${FOO_OPTS}',
      '\tstart-stop-daemon --stop --quiet "${FOO_BIN}"',
    ]) {
      const { r } = run(sh('#!/sbin/openrc-run', 'FOO_BIN=/usr/bin/foo', ...start, 'stop() {', stop, '}'));
      expect(r).toBeUndefined();
    }
  });

  test('a stop() through a control program names what it runs', () => {
    const r = refusal(
      sh(
        '#!/sbin/openrc-run',
        ...start,
        'stop() {',
        '\tebegin "Stopping"',
        '\t/usr/sbin/fooctl shutdown',
        '\teend $?',
        '}',
      ),
    );
    expect(r.reason).toBe(
      `${PREFIX}stop() signals no process itself (no start-stop-daemon, kill, pkill or killall): it stops the daemon its own way, through /usr/sbin/fooctl shutdown, where the supervisor's stop would only send the daemon SIGTERM, and nothing rc-supervise knows says the daemon ends the same way on that`,
    );
    expect(r.suggestion).toMatch(
      /^if the daemon's own documentation says SIGTERM shuts it down the same way, remove stop\(\)/,
    );
  });
});

// The program word through variables (`/usr/bin/${RC_SVCNAME}`, `$BIN_DIR/$PROGRAM`): known when
// every variable has one static value; command= keeps the variables as written.
describe('the program named through variables', () => {
  const launch = (exec: string, ...top: string[]) =>
    sh(
      '#!/sbin/openrc-run',
      ...top,
      'start() {',
      '\tebegin "Starting"',
      `\tstart-stop-daemon --start --exec ${exec} --pidfile /run/x.pid -- -c /etc/x.conf`,
      '\teend $?',
      '}',
      'stop() {',
      `\tstart-stop-daemon --stop --exec ${exec} --pidfile /run/x.pid`,
      '}',
    );

  test('top-level assignments: command keeps the variables, the rule is looked up by the expanded name', () => {
    const { s, d, r } = run(launch('$BIN_DIR/$PROGRAM', 'PROGRAM=food', 'BIN_DIR=/usr/sbin'), {
      rule: rule({ daemons: ['food'] }),
    });
    expect(r).toBeUndefined();
    expect(d.converted!.command).toBe('$BIN_DIR/$PROGRAM');
    expect(launchedDaemon(s)).toBe('food');
    // Only a name through the service's own name gets the note.
    expect(d.notes.join('\n')).not.toMatch(/service's own name/);
  });

  test("a value from conf.d counts (OpenRC sources it first); init.d's ${X:-default} takes it", () => {
    const s = service(launch('/usr/sbin/${EXE}', 'EXE=${EXE:-food}'), 'EXE=barf\n');
    expect(launchedDaemon(s)).toBe('barf');
    const t = service(launch('/usr/sbin/${EXE}'), 'EXE=barf\n');
    expect(launchedDaemon(t)).toBe('barf');
  });

  test('a file sourced above the assignment cannot change it; one below or in conf.d can', () => {
    const above = service(launch('${BIN}', '. /etc/conf.d/shared', 'BIN=/usr/sbin/food'));
    expect(launchedDaemon(above)).toBe('food');
    expect(launchedDaemon(service(launch('${BIN}', 'BIN=/usr/sbin/food', '. /etc/conf.d/shared')))).toBeUndefined();
    const confd = service(launch('${BIN}', 'BIN=/usr/sbin/food'), '. /etc/conf.d/shared\n');
    expect(launchedDaemon(confd)).toBeUndefined();
  });

  // suricata: `eval SURICATACONF=\$SURICATA_CONF_${SURICATAID}` below `SURICATA_BIN=/usr/bin/suricata`.
  test('an eval below the assignment that sets one other name written out cannot change it', () => {
    const after = (...evals: string[]) => service(launch('${BIN}', 'BIN=/usr/sbin/food', ...evals));
    expect(launchedDaemon(after('eval CONF=\\$FOO_CONF_${ID}', 'eval OPTS=\\$FOO_OPTS_${ID}'))).toBe('food');
    for (const code of [
      'eval $x',
      'eval "${name}=x"',
      'eval BIN=/usr/sbin/other',
      'eval "CONF=x; BIN=y"',
      'eval CONF=$(cat /etc/x)',
    ])
      expect(launchedDaemon(after(code))).toBeUndefined();
  });

  test('RC_SVCNAME is the service name, with a note saying the binary was read for that name', () => {
    const s = service(launch('/usr/bin/${RC_SVCNAME}'), null, 'food.eth0');
    expect(launchedDaemon(s)).toBe('food.eth0');
    const d = draft();
    expect(customStartStep(ctx(s), d)).toBeUndefined();
    expect(d.converted!.command).toBe('/usr/bin/${RC_SVCNAME}');
    expect(d.notes).toContain(
      "start() names the program through the service's own name: /usr/bin/${RC_SVCNAME} was read as /usr/bin/food.eth0 for the service name food.eth0; a link to this script under another name runs another binary, which this migration did not read",
    );
  });

  test.each([
    ['unset anywhere', '/usr/sbin/${EXE}', [], 'EXE is not set by the script or its conf.d'],
    [
      'set inside a function',
      '/usr/sbin/${EXE}',
      ['EXE=food', 'setup() {', '\tEXE=barf', '}'],
      'EXE is set in setup()',
    ],
    [
      'set under a condition',
      '/usr/sbin/${EXE}',
      ['if [ -x /usr/sbin/barf ]; then', '\tEXE=barf', 'fi'],
      'EXE is set under a condition',
    ],
    [
      'set from a variable nobody sets',
      '/usr/sbin/${EXE}',
      ['EXE=${PREFIX}food'],
      'PREFIX is not set by the script or its conf.d',
    ],
    [
      'set by a command substitution',
      '/usr/sbin/${EXE}',
      ['EXE=$(cat /etc/food.name)'],
      'EXE has no single static value',
    ],
    [
      'a file sourced at the top may set it',
      '/usr/sbin/${EXE}',
      ['EXE=food', '. /etc/food.vars'],
      'the script runs ., which may set EXE',
    ],
    ['a parameter expansion with a pattern', '/usr/sbin/${RC_SVCNAME#*-}', [], 'it is computed'],
    ['a default in the word itself', '/usr/sbin/${EXE:-food}', [], 'it is computed'],
  ])('%s: refused, saying why', (_, exec, top, why) => {
    const text = launch(exec, ...top);
    const r = refusal(text);
    expect(r.reason).toBe(`${PREFIX}start() runs ${exec}, which rc-supervise cannot read statically (${why})`);
    expect(launchedDaemon(service(text))).toBeUndefined();
  });

  test('--exec "${JAVA}" with JAVA set nowhere: refused, naming the variable and where to set it', () => {
    const r = refusal(launch('"${JAVA}"'));
    expect(r.reason).toBe(
      `${PREFIX}start() runs "\${JAVA}", and neither the script nor its conf.d sets JAVA: rc-supervise cannot tell which program that is`,
    );
    expect(r.suggestion).toBe(
      'set JAVA in /etc/conf.d/foo (the conf.d the package installs may set it), then migrate again',
    );
  });

  test.each([
    ['conf.d sets it', [], 'JAVA=/usr/bin/java\n'],
    ['a function sets it', ['setup() {', '\tJAVA=/usr/bin/java', '}'], null],
    ['a file is sourced', ['. /etc/java.env'], null],
  ])('--exec "${JAVA}" where %s: not refused for being unset', (_, top, confd) => {
    const { r } = run(launch('"${JAVA}"', ...top), { rule: rule({ daemons: ['java'] }) }, confd);
    expect(r?.reason ?? '').not.toMatch(/sets JAVA/);
  });

  test('a binary run directly through a static variable with its daemonize flag is that daemon', () => {
    const { s, d, r } = run(sh('#!/sbin/openrc-run', 'EXE=food', 'start() {', '\t/usr/sbin/${EXE} -d', '}'), {
      rule: rule({ daemons: ['food'] }),
    });
    expect(launchedDaemon(s)).toBe('food');
    expect(r).toBeUndefined();
    expect(d.converted!.command).toBe('/usr/sbin/${EXE}');
  });
});

// checkpath -d creates a directory; modprobe -b honours the blacklist: OpenRC's helpers and
// common tools are never the daemon, whatever their flags.
describe('helpers and tools are never the daemon', () => {
  test.each([
    ['checkpath -d -m 0755 -o foo /run/foo'],
    ['checkpath -q -d /run/foo'],
    ['install -d -m 0750 /var/lib/foo'],
    ['modprobe -b foo'],
    ['mark_service_started foo -d'],
  ])('%s in a start() of programs that finish: one-shot', (line) => {
    const { r } = run(sh('#!/sbin/openrc-run', 'start() {', `\t${line}`, '\t/sbin/sysctl -p', '}'));
    expect(r).toMatchObject({ code: 'oneshot' });
  });

  test('checkpath -d before a daemon run with its daemonize flag: the daemon is named', () => {
    const text = sh('#!/sbin/openrc-run', 'start() {', '\tcheckpath -d /run/food', '\t/usr/sbin/food -d', '}');
    expect(refusal(text).reason).toBe(
      `${PREFIX}start() runs a program with a daemonize flag (food), but rc-supervise knows nothing about that program`,
    );
    expect(launchedDaemon(service(text))).toBe('food');
  });
});

describe('not one-shot, though start() has no launch rc-supervise converts', () => {
  test('start() running supervise-daemon itself (mysql-supervise)', () => {
    const r = refusal(
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '\tcheckpath -d /run/food',
        '\tsupervise-daemon "${RC_SVCNAME}" --start /usr/sbin/food',
        '}',
      ),
    );
    expect(r.reason).toBe(
      `${PREFIX}start() runs supervise-daemon itself: the daemon is supervised already, in the script's own way`,
    );
  });

  test('start() running supervise-daemon without the service name first (mysql-supervise, OpenRC 0.35+)', () => {
    const r = refusal(
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '\tcheckpath -d /run/food',
        '\tsupervise-daemon ${DEBUG:+"--verbose"} --pidfile "/run/${SVCNAME}.pid" --start /usr/sbin/food -- -x',
        '}',
        'stop() {',
        '\tsupervise-daemon --stop --pidfile "/run/${SVCNAME}.pid"',
        '}',
      ),
    );
    expect(r.reason).toBe(
      `${PREFIX}start() runs supervise-daemon itself, with \`\${DEBUG:+"--verbose"}\` first instead of the service's name, which supervise-daemon requires as its first argument since OpenRC 0.35 (it exits with "the first argument is … and must be <service>"): from that version on this start() fails, and no daemon is started or supervised`,
    );
    expect(r.suggestion).toMatch(/^pass "\$\{RC_SVCNAME\}" as the first argument of every supervise-daemon call/);
  });

  test('stop() asking the program start() ran to stop it (squid -k shutdown)', () => {
    const r = refusal(
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '\tcheckpath -d -q /run/food',
        '\t/usr/sbin/food -f /etc/food.conf',
        '}',
        'stop() {',
        '\t/usr/sbin/food -k shutdown -f /etc/food.conf',
        '}',
      ),
    );
    expect(r.reason).toBe(
      `${PREFIX}start() runs food directly, and stop() asks the same program to stop it (/usr/sbin/food -k shutdown -f /etc/food.conf): rc-supervise cannot tell whether it forks or how to keep it in the foreground`,
    );
  });

  test.each([['start'], ['auto'], ['-q start']])(
    'a tool run with a subcommand (fw %s / fw stop) stays one-shot (shorewall, laptop_mode)',
    (sub) => {
      const { r } = run(
        sh('#!/sbin/openrc-run', 'start() {', `\t/sbin/fw ${sub}`, '}', 'stop() {', '\t/sbin/fw stop', '}'),
      );
      expect(r).toMatchObject({ code: 'oneshot' });
    },
  );
});

test('a daemon run by bare name (through PATH) with its daemonize flag is found for the rule lookup, and refused: command= needs the path', async () => {
  const { daemonizingPrograms } = await import('../../src/steps/custom-start.js');
  const script = sh('#!/sbin/openrc-run', 'start() {', '\tfood --monitor --daemonise --pid-file /run/food.pid', '}');
  expect(daemonizingPrograms(service(script))).toEqual(['food']);
  const r = refusal(script, { rule: rule({ daemons: ['food'], foreground: '' }) });
  expect(r.reason).toBe(
    `${PREFIX}start() runs food by name (found through PATH); command= needs its path, which the script does not give`,
  );
  // migrate looks on the root where OpenRC's PATH would find it: found, command= names that path.
  const food = rule({ daemons: ['food'], foreground: '' });
  const { r: found, d } = run(script, { rule: food, findProgram: (n) => (n === 'food' ? '/sbin/food' : undefined) });
  expect(found).toBeUndefined();
  expect(d.converted?.command).toBe('/sbin/food');
  expect(d.converted?.notes).toContain(
    "start() runs food by name: on this root OpenRC's PATH (/bin:/sbin:/usr/bin:/usr/sbin, before the caller's) finds /sbin/food, which command= names",
  );
  expect(refusal(script, { rule: food, findProgram: () => undefined }).reason).toBe(
    `${PREFIX}start() runs food by name (found through PATH); command= needs its path, which the script does not give, and OpenRC's PATH (/bin, /sbin, /usr/bin, /usr/sbin) finds no such program on this root (or rc.conf sets a PATH of its own)`,
  );
  // A quoted name is looked up without its quotes; a script or conf.d that sets PATH is not.
  const quoted = script.replace('\tfood ', '\t"food" ');
  expect(
    run(quoted, { rule: food, findProgram: (n) => (n === 'food' ? '/sbin/food' : undefined) }).d.converted?.command,
  ).toBe('/sbin/food');
  for (const setsPath of ['PATH="/opt/food/sbin:${PATH}"', 'start_pre() {\n\texport PATH=/opt/food/sbin:$PATH\n}'])
    expect(
      refusal(script.replace('start() {', `${setsPath}\nstart() {`), { rule: food, findProgram: () => '/sbin/food' })
        .reason,
    ).toBe(
      `${PREFIX}start() runs food by name (found through PATH); command= needs its path, which the script does not give, and the script sets a PATH of its own`,
    );
});

// dropbear's stop(): `start-stop-daemon --stop --exec /usr/sbin/dropbear`: the program start()
// ran by name is that one where OpenRC's PATH finds it there, and only then.
test('a daemon run by bare name and stopped by --exec with its full path: the same program where PATH finds it there', () => {
  const fork = rule({ daemons: ['food'], foreground: '-F' });
  const script = sh(
    '#!/sbin/openrc-run',
    'start() {',
    '\tfood ${FOOD_OPTS}',
    '}',
    'stop() {',
    '\tstart-stop-daemon --stop --exec /usr/sbin/food',
    '}',
  );
  const { r, d } = run(script, { rule: fork, findProgram: () => '/usr/sbin/food' });
  expect(r).toBeUndefined();
  expect(d.converted?.command).toBe('/usr/sbin/food');
  expect(refusal(script, { rule: fork, findProgram: () => '/sbin/food' }).reason).toMatch(
    /cannot tell|not the same|same program/,
  );
});

describe('variables a function sets, read when the service starts', () => {
  const launch = '\tstart-stop-daemon --start --exec /usr/bin/foo -- ${OPTS}';

  test('`local OPTS=…` loses the keyword in start_pre() (a local would end with it)', () => {
    const { r, d, s } = run(
      sh('#!/sbin/openrc-run', 'start() {', '\tlocal OPTS="-a"', '\tOPTS="${OPTS} -b"', launch, '}'),
    );
    expect(r).toBeUndefined();
    expect(d.converted!.deferred).toEqual(['OPTS']);
    expect(applied(s, d.converted!.edits)).toBe(
      sh('#!/sbin/openrc-run', 'start_pre() {', '\tOPTS="-a"', '\tOPTS="${OPTS} -b"', '\treturn 0', '}'),
    );
    expect(d.converted!.notes).toContain(
      "the daemon's arguments read ${OPTS} when the service starts: OpenRC builds the command line after start_pre(), which sets it as start() did before the launch (docs/openrc.md §2)",
    );
  });

  test.each([
    ['a local of several names', ['\tlocal x OPTS="-a"', '\tOPTS="${OPTS} -b"'], 'start() declares it with local'],
    ['a bare local', ['\tlocal OPTS', '\tOPTS="-a"', '\tOPTS="${OPTS} -b"'], 'start() declares it local'],
  ])('%s is refused', (_what, body, why) => {
    // OPTS set at the top too: the bare local hid that value from start(), which start_pre() would see.
    const r = refusal(sh('#!/sbin/openrc-run', 'OPTS="-z"', 'start() {', ...body, launch, '}'));
    expect(r.reason).toBe(
      `${PREFIX}start() builds OPTS, which the launch needs, in 2 steps; it cannot move to the top of the script as one line (and it cannot be read at start time: ${why})`,
    );
  });

  // dhcrelay: `local iface_opts` alone, then `iface_opts=$(printf -- '-i %s ' ${IFACE})` under a
  // condition. Set nowhere else, the variable is empty until start_pre() sets it, as under the local.
  describe('a bare `local V` of start(), V set nowhere else', () => {
    const body = [
      '\tlocal iface_opts',
      '\tif [ -n "${IFACE}" ]; then',
      "\t\tiface_opts=$(printf -- '-i %s ' ${IFACE})",
      '\tfi',
    ];
    const relay = '\tstart-stop-daemon --start --exec /usr/bin/foo -- -q ${iface_opts} ${OPTS}';

    test('the line is dropped and the variable read at start', () => {
      const { r, d, s } = run(sh('#!/sbin/openrc-run', 'start() {', ...body, relay, '}'));
      expect(r).toBeUndefined();
      expect(d.converted!.deferred).toContain('iface_opts');
      expect(applied(s, d.converted!.edits)).toBe(
        sh('#!/sbin/openrc-run', 'start_pre() {', ...body.slice(1), '\treturn 0', '}'),
      );
      expect(d.converted!.notes).toContain(
        "start() declared iface_opts local (`local NAME`, no value): that line is dropped from start_pre(), which sets the variable for OpenRC's start to read; nothing else sets it, so it is empty until then, as under the local",
      );
    });

    test.each([
      ['set at the top of the script', ['#!/sbin/openrc-run', 'iface_opts="-i eth9"'], undefined],
      ['set in conf.d', ['#!/sbin/openrc-run'], 'iface_opts="-i eth9"'],
      ['set by another function', ['#!/sbin/openrc-run', 'prep() {', '\tiface_opts="-i eth9"', '}'], undefined],
      ['the script sources a file', ['#!/sbin/openrc-run', '. /etc/foo.sh'], undefined],
    ])('refused when %s (the local hid that value)', (_what, head, confd) => {
      const { r } = run(sh(...head, 'start() {', ...body, relay, '}'), {}, confd ?? null);
      expect((r as Refusal).reason).toContain('(and it cannot be read at start time: start() declares it local)');
    });

    test('refused when the local line names more than the variable', () => {
      const r = refusal(sh('#!/sbin/openrc-run', 'start() {', '\tlocal x iface_opts', ...body.slice(1), relay, '}'));
      expect(r.reason).toContain('start() declares it local');
    });
  });

  // musl-nscd's start(): ``local secure=`while read curline ; do … done < /etc/nsswitch.conf` ``,
  // over many lines, then the launch with $secure. The loop opens right after the backquote.
  describe('a local set by a loop in backquotes', () => {
    const loop = [
      '\tlocal secure=`while read curline ; do',
      '\t\tcase $curline in',
      '\t\t\tpasswd*) echo "-S passwd,yes" ;;',
      '\t\tesac',
      '\t\tdone < /etc/nsswitch.conf`',
      '\tmkdir -p /run/foo',
    ];
    const launch = '\tstart-stop-daemon --start --exec /usr/bin/foo -- $secure';

    test('over several lines: start_pre() sets it without local, and the launch is converted', () => {
      const { r, d, s } = run(sh('#!/sbin/openrc-run', 'start() {', ...loop, launch, '}'));
      expect(r).toBeUndefined();
      expect(d.converted!.deferred).toContain('secure');
      expect(applied(s, d.converted!.edits)).toBe(
        sh('#!/sbin/openrc-run', 'start_pre() {', loop[0].replace('local ', ''), ...loop.slice(1), '\treturn 0', '}'),
      );
    });

    test('on one line: the loop after the backquote is no condition around the launch', () => {
      const one = '\tlocal secure=`while read l ; do echo "-S $l" ; done < /etc/foo.conf`';
      expect(startShape(service(sh('#!/sbin/openrc-run', 'start() {', one, launch, '}')), []).kind).toBe('launch');
      const { r } = run(sh('#!/sbin/openrc-run', 'start() {', one, launch, '}'));
      expect(r).toBeUndefined();
    });

    test('a launch inside a loop that follows a backquote is still in the loop', () => {
      const inLoop = ['\tfor x in `ls /etc/foo`; do', '\t' + launch, '\tdone'];
      expect(startShape(service(sh('#!/sbin/openrc-run', 'start() {', ...inLoop, '}')), []).kind).toBe('refuse');
    });
  });

  test('a name OpenRC itself reads is not read late', () => {
    const r = refusal(
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '\tname="-a"',
        '\tname="${name} -b"',
        '\tstart-stop-daemon --start --exec /usr/bin/foo -- ${name}',
        '}',
      ),
    );
    expect(r.reason).toContain('(and it cannot be read at start time: name is a name OpenRC itself reads)');
  });

  // ser2net's config_check() builds command_args, courier-authlib's setauth() sets pidfile,
  // shellinaboxd's start_pre() adds to command_args: OpenRC reads them at start too, but
  // rc-supervise must see their words to convert the launch. Said so, with what to do.
  test.each([
    [
      'command_args set only by a function start() calls',
      ['config_check() {', '\tcommand_args="${EXTRA_OPTS}"', '}'],
      ['\tconfig_check || return 1', '\tstart-stop-daemon --start --exec /usr/bin/foo -- ${command_args}'],
      "the launch reads command_args, which only config_check() sets, when the service starts: no rule says which of the daemon's options daemonize it or name its pid file, so rc-supervise cannot tell that the words it builds hold none of the daemon's options the conversion must move",
      'command_args',
    ],
    [
      'pidfile set only by a function start() calls',
      ['setauth() {', '\tpidfile="/var/run/foo.pid"', '}'],
      ['\tsetauth', '\tstart-stop-daemon --start --exec /usr/bin/foo -- -pid="${pidfile}"'],
      "the launch reads pidfile, which only setauth() sets: at the top of the script it would be empty (and it cannot be read at start time: pidfile is the pid file OpenRC's start and stop use, and rc-supervise must know it to give the supervisor one the daemon does not write)",
      'pidfile',
    ],
    [
      'command_args that start_pre() adds to',
      ['command_args="${FOO_OPTS}"', 'start_pre() {', '\tcommand_args="${command_args} --css=${FOO_CSS}"', '}'],
      [
        '\tstart-stop-daemon --start --background --make-pidfile --pidfile /run/foo.pid --exec /usr/bin/foo -- ${command_args}',
      ],
      "the launch reads command_args, which start_pre() also sets, when the service starts: command_args is the argument list OpenRC's own start reads, and rc-supervise must see its words (the daemon's flags among them) to convert the launch",
      'command_args',
    ],
  ])('%s: the reason says why and what to do', (_what, top, body, why, v) => {
    const r = refusal(sh('#!/sbin/openrc-run', ...top, 'start() {', ...body, '}'));
    expect(r.reason).toBe(PREFIX + why);
    expect(r.suggestion).toBe(
      `set ${v} with plain lines at the top of the script (they may read conf.d's variables), or convert start() by hand, then migrate again`,
    );
  });

  // shellinaboxd's start_pre(): `--user-css=$(my_join , …)` with literal quotes around each label.
  // The launch passed them as they were; OpenRC's start evaluates command_args again, under
  // start-stop-daemon too, and would read them as shell.
  test('command_args that start_pre() adds computed words to: the second reading is the reason', () => {
    const r = refusal(
      sh(
        '#!/sbin/openrc-run',
        'command_args="${FOO_OPTS}"',
        'start_pre() {',
        '\tcommand_args="${command_args} --css=$(ls /usr/share/foo)"',
        '}',
        'start() {',
        '\tstart-stop-daemon --start --background --make-pidfile --pidfile /run/foo.pid --exec /usr/bin/foo -- ${command_args}',
        '}',
      ),
    );
    expect(r.reason).toBe(
      `${PREFIX}the launch reads command_args, to which start_pre() adds words computed when the service starts ("\${command_args} --css=$(ls /usr/share/foo)"): the launch passed them to the daemon as they were, but OpenRC's own start, under start-stop-daemon as under supervise-daemon, evaluates command_args again, so quotes or other shell characters in those words would be read as shell and the daemon would get other words`,
    );
  });

  // The pid file is recorded unexpanded by supervise_start and ssd_start, the command by ssd_start.
  test.each([
    [
      'the pid file',
      '/usr/bin/foo --pidfile ${FOO_X} -- -c /etc/foo.conf',
      'pidfile= reads it: OpenRC records pidfile as written when the service starts, and stop uses that record unexpanded',
    ],
    [
      'the command too',
      '${FOO_X} -- -c ${FOO_X}.conf',
      "command= reads it: start-stop-daemon's stop uses the command OpenRC recorded as written when the service started, unexpanded",
    ],
  ])('a variable another function sets that names %s is refused', (_what, launchWords, why) => {
    const r = refusal(
      sh(
        '#!/sbin/openrc-run',
        'setup() {',
        '\tFOO_X=/usr/bin/foo',
        '}',
        'start() {',
        '\tsetup',
        `\tstart-stop-daemon --start --exec ${launchWords}`,
        '}',
      ),
    );
    expect(r.reason).toBe(
      `${PREFIX}the launch reads FOO_X, which only setup() sets: at the top of the script it would be empty (and it cannot be read at start time: ${why})`,
    );
  });
});

describe("options' values a function sets, read when the service starts", () => {
  // checkconfig() computes the log file, the home and the umask: OpenRC reads output_log,
  // error_log, directory, command_user, umask and start_stop_daemon_args only inside the eval that
  // builds the command line, after start_pre() (which now runs checkconfig) has set them.
  const script = (launchOpts: string, more: string[] = []) =>
    sh(
      '#!/sbin/openrc-run',
      'FOO_USER=foo',
      'checkconfig() {',
      '\tFOO_LOG="/var/log/foo/${RC_SVCNAME}.log"',
      '\tFOO_HOME=$(getent passwd foo | cut -d: -f6)',
      '\tFOO_GROUP=foo',
      '\tFOO_SPOOL=$(foo-config --spool)',
      '}',
      'start() {',
      ...more,
      '\tcheckconfig || return 1',
      `\tstart-stop-daemon --start --exec /usr/bin/foo ${launchOpts} -- -c /etc/foo.conf`,
      '}',
    );

  test('each line reads the launch word as written, every `$` escaped; the note says when', () => {
    const { r, d } = run(
      script(
        '--stdout "${FOO_LOG}" -2 "${FOO_LOG}" --chdir "${FOO_HOME}" --user "${FOO_USER}:${FOO_GROUP}" -e HOME="${FOO_HOME}" -k 027 --nicelevel 5',
      ),
    );
    expect(r).toBeUndefined();
    const c = d.converted!;
    expect(c.lines).toEqual([
      'output_log="\\"\\${FOO_LOG}\\""',
      'error_log="\\"\\${FOO_LOG}\\""',
      'directory="\\"\\${FOO_HOME}\\""',
      // FOO_USER is the top level's: read at start it has the value it had at the launch.
      'command_user="\\"\\${FOO_USER}:\\${FOO_GROUP}\\""',
      'umask=027',
      'start_stop_daemon_args="--env HOME=\\"\\${FOO_HOME}\\" --nicelevel 5"',
    ]);
    expect(c.deferred).toEqual(['FOO_LOG', 'FOO_HOME', 'FOO_GROUP']);
    expect(c.notes).toContain(
      'output_log=, error_log=, directory=, command_user=, start_stop_daemon_args= read ${FOO_LOG}, ${FOO_HOME}, ${FOO_USER}, ${FOO_GROUP} when the service starts, as the launch did: OpenRC reads them only in the eval that builds the command line, after start_pre() (docs/openrc.md §2)',
    );
    expect(c.notes.some((n) => n.startsWith("the daemon's arguments read"))).toBe(false);
  });

  // openrc-run runs start_pre() and then the default start(): a message before the launch stays
  // in start_pre(), after checkconfig() has run, and reads the same value there.
  test('a message before the launch that reads the value stays after the function that sets it', () => {
    const { r, s, d } = run(
      script('--stdout "${FOO_LOG}"').replace('\tstart-stop-daemon', '\teinfo "Log: ${FOO_LOG}"\n\tstart-stop-daemon'),
    );
    expect(r).toBeUndefined();
    expect(applied(s, d.converted!.edits)).toContain(
      sh('start_pre() {', '\tcheckconfig || return 1', '\teinfo "Log: ${FOO_LOG}"', '\treturn 0', '}'),
    );
  });

  test('a line that reads nothing a function sets is written as before', () => {
    const { r, d } = run(script('--stdout "${FOO_LOG}" --user "${FOO_USER}"'));
    expect(r).toBeUndefined();
    expect(d.converted!.lines).toEqual(['output_log="\\"\\${FOO_LOG}\\""', 'command_user="${FOO_USER}"']);
  });

  test.each([
    [
      'unquoted',
      '-1 ${FOO_SPOOL}',
      "start()'s start-stop-daemon passes -1 ${FOO_SPOOL}, which reads ${FOO_SPOOL} set only when the service starts; output_log= can read it then too, but the launch reads it unquoted: an empty value or one with blanks would give its option other words than before",
    ],
    [
      'with a blank in its quotes',
      '--chdir "${FOO_HOME}/a b"',
      'start()\'s start-stop-daemon passes --chdir "${FOO_HOME}/a b", which reads ${FOO_HOME} set only when the service starts; directory= can read it then too, but its word holds blanks, which the eval would not read back as written',
    ],
    [
      'with a glob character',
      '-1 "${FOO_LOG}"*',
      'start()\'s start-stop-daemon passes -1 "${FOO_LOG}"*, which reads ${FOO_LOG} set only when the service starts; output_log= can read it then too, but its word holds a glob character or a backslash, which OpenRC would expand before the eval',
    ],
    [
      'in start_stop_daemon_args, unquoted',
      '--env HOME=${FOO_SPOOL}',
      "start()'s start-stop-daemon passes --env HOME=${FOO_SPOOL}, which reads ${FOO_SPOOL} set only when the service starts; start_stop_daemon_args= can read it then too, but the launch reads it unquoted: an empty value or one with blanks would give its option other words than before",
    ],
  ])('a word %s is refused', (_what, opts, why) => {
    expect(refusal(script(opts)).reason).toBe(PREFIX + why);
  });

  // v2ray's `-1 ${V2_LOG}`: read unquoted by the launch and by the eval alike, so a value sure to
  // be one field gives the option the same word (checkconfig() sets it unconditionally, from
  // written-out safe characters and the service's name).
  test('a word unquoted whose value is sure to be one field is read at start', () => {
    const { r, d } = run(script('-1 ${FOO_LOG} -2 ${FOO_LOG}'));
    expect(r).toBeUndefined();
    expect(d.converted!.lines).toEqual(['output_log="\\${FOO_LOG}"', 'error_log="\\${FOO_LOG}"']);
  });

  test.each([
    ['set only under a condition', (x: string) => x.replace('\tFOO_LOG=', '\t[ -n "$x" ] && FOO_LOG=')],
    [
      'holding a name the top of the script sets to a value with a blank',
      (x: string) => x.replace('FOO_USER=foo', 'FOO_USER="foo bar"').replace('${RC_SVCNAME}.log', '${FOO_USER}.log'),
    ],
    ['from a function start() does not call', (x: string) => x.replace('\tcheckconfig || return 1\n', '')],
  ])('not when it is %s', (_what, change) => {
    expect(refusal(change(script('-1 ${FOO_LOG}'))).reason).toContain('the launch reads it unquoted');
  });

  // FOO_USER=foo at the top of init.d is one field whatever conf.d says (a plain assignment there
  // comes last): as sure as a function's written-out value.
  test('a word holding a name the top of the script sets to one field is read at start', () => {
    const { r, d } = run(script('-1 ${FOO_LOG}').replace('${RC_SVCNAME}.log', '${FOO_USER}.log'));
    expect(r).toBeUndefined();
    expect(d.converted!.lines).toEqual(['output_log="\\${FOO_LOG}"']);
  });

  // sshguard: conf.d sets SSHGUARD_WAIT="999" and start() sets 999 only when it is empty, before
  // `--wait ${SSHGUARD_WAIT}`; conmux: conf.d's CONMUX_LOG, which checkconfig() defaults the same
  // way, before `-1 ${CONMUX_LOG}`. Either value is one field at the launch, as conf.d holds it now.
  const defaulted = (launchOpts: string, inStart: boolean) =>
    sh(
      '#!/sbin/openrc-run',
      'checkconfig() {',
      ...(inStart ? [] : ['	[ -z "${FOO_LOG}" ] && FOO_LOG=/var/log/foo.log']),
      '	return 0',
      '}',
      'start() {',
      '	checkconfig || return 1',
      ...(inStart ? ['	[ -z "${FOO_WAIT}" ] && FOO_WAIT=999'] : []),
      `	start-stop-daemon --start --background --make-pidfile --pidfile /run/foo.pid --exec /usr/bin/foo ${launchOpts} -- -c /etc/foo.conf`,
      '}',
    );
  test.each([
    [
      'a function called before the launch',
      '-1 ${FOO_LOG}',
      false,
      'FOO_LOG="/var/log/foo.log"\n',
      'output_log="\\${FOO_LOG}"',
    ],
    [
      'start() before the launch',
      '--wait ${FOO_WAIT}',
      true,
      'FOO_WAIT="999"\n',
      'start_stop_daemon_args="--wait \\${FOO_WAIT}"',
    ],
  ])(
    'a word unquoted whose value conf.d gives as one field, defaulted when empty by %s, is read at start',
    (_what, opts, inStart, confd, line) => {
      const { r, d } = run(defaulted(opts, inStart), {}, confd);
      expect(r).toBeUndefined();
      expect(d.converted!.lines).toContain(line);
    },
  );

  test.each([
    ['holds a blank', 'FOO_LOG="/var/log/foo bar.log"\n'],
    ['holds a glob character', 'FOO_LOG="/var/log/foo*.log"\n'],
    ['is empty', 'FOO_LOG=""\n'],
    ['is computed', 'FOO_LOG="$(foo-config --log)"\n'],
  ])('not when the value conf.d gives %s', (_what, confd) => {
    const { r } = run(defaulted('-1 ${FOO_LOG}', false), {}, confd);
    expect((r as Refusal).reason).toContain('the launch reads it unquoted');
  });

  // The top level's value went into pidfile= before, while the launch had checkconfig()'s.
  test('a pid file the top level names and a function names again is refused', () => {
    const r = refusal(
      sh(
        '#!/sbin/openrc-run',
        'FOO_PID=/run/foo.pid',
        'checkconfig() {',
        '\tFOO_PID=/run/foo/other.pid',
        '}',
        'start() {',
        '\tcheckconfig',
        '\tstart-stop-daemon --start --exec /usr/bin/foo --pidfile "${FOO_PID}" -- -x',
        '}',
      ),
    );
    expect(r.reason).toBe(
      `${PREFIX}the launch reads FOO_PID, which checkconfig() sets too: the value the top of the script gives it may not be the one the launch got (and it cannot be read at start time: pidfile= reads it: OpenRC records pidfile as written when the service starts, and stop uses that record unexpanded)`,
    );
  });

  test('a value from conf.d that the eval would read as shell, read by the arguments and a line, stays refused', () => {
    const { r } = run(
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '\tstart-stop-daemon --start --exec /usr/bin/foo --stdout "/var/log/${FOO_NAME}.log" -- --name "${FOO_NAME}"',
        '}',
      ),
      {},
      "FOO_NAME='a;b'\n",
    );
    expect((r as Refusal).reason).toBe(
      `${PREFIX}the launch reads FOO_NAME, whose value "a;b" holds characters OpenRC's eval would read as shell (command_args is expanded twice), and it cannot be read at start time: not only the daemon's arguments read it`,
    );
  });

  test.each([
    [
      'chroot',
      '--chroot "${FOO_HOME}"',
      'FOO_HOME',
      'chroot= reads it: OpenRC records chroot as written when the service starts, and stop uses that record unexpanded',
    ],
    [
      'procname',
      '--name "${FOO_HOME}"',
      'FOO_HOME',
      "procname= reads it: start-stop-daemon's stop uses the procname OpenRC recorded as written when the service started, unexpanded",
    ],
  ])('%s is not read late', (_what, opts, v, why) => {
    expect(refusal(script(opts)).reason).toBe(
      `${PREFIX}the launch reads ${v}, which only checkconfig() sets: at the top of the script it would be empty (and it cannot be read at start time: ${why})`,
    );
  });

  test("the line's other variables: a bare local of start() is refused, a name OpenRC sets too", () => {
    expect(refusal(script('-1 "${FOO_DIR}/${FOO_LOG}"', ['\tlocal FOO_DIR'])).reason).toBe(
      `${PREFIX}start() declares FOO_DIR local, and start-stop-daemon's -1 reads it: read at start it would have another value`,
    );
    expect(refusal(script('-1 "${RC_CMD}${FOO_LOG}"')).reason).toBe(
      `${PREFIX}start-stop-daemon's -1 reads \${RC_CMD}, a name OpenRC itself sets while the service starts; output_log= read at start would get OpenRC's value`,
    );
    // The service's own name is the same whenever it is read.
    expect(run(script('-1 "${RC_SVCNAME}${FOO_LOG}"')).r).toBeUndefined();
  });
});

describe('operands of start-stop-daemon before `--`', () => {
  test('without --exec the first operand is the program, the others its arguments', () => {
    const { r, d } = run(
      sh('#!/sbin/openrc-run', 'start() {', '\tstart-stop-daemon --start /usr/bin/foo --quiet /dev/${DISK}', '}'),
      {},
      'DISK="sda"\n',
    );
    expect(r).toBeUndefined();
    expect(d.converted!.command).toBe('/usr/bin/foo');
    expect(d.converted!.args.map((a) => a.text)).toEqual(['/dev/${DISK}']);
  });

  test.each([
    ['a variable of unknown value', '${FOO_OPTS}', 'FOO_OPTS="$(cat /etc/foo/opts)"\n'],
    ['a variable whose value starts with -', '${FOO_OPTS}', 'FOO_OPTS="-x"\n'],
    ['an expansion whose words are not written as options', '${DEBUG:+$FOO_FLAGS}', null],
    ['a variable set at the top that reads another one set later', '${FOO_ARGS}', null],
  ])('%s is refused: start-stop-daemon may take it for its own option', (_what, word, confd) => {
    const { r } = run(
      sh(
        '#!/sbin/openrc-run',
        'FOO_ARGS="--chdir ${FOO_DIR}"',
        'FOO_DIR="/var/lib/foo"',
        'start() {',
        `\tstart-stop-daemon --start --exec /usr/bin/foo ${word}`,
        '}',
      ),
      {},
      confd,
    );
    expect(r).toMatchObject({
      code: 'custom-start',
      reason: `${PREFIX}start()'s start-stop-daemon passes ${word} before \`--\`: if its value starts with \`-\`, start-stop-daemon takes it for one of its own options, so rc-supervise cannot tell whose it is`,
    });
  });
});

describe('a variable start() sets itself, passed before `--`', () => {
  // syslog-ng's start() (a 2012 tree): SYSLOG_NG_OPTS gets a leading `--`, start-stop-daemon's end
  // of options, which the daemon never saw; passed on by supervise-daemon it would reach syslog-ng
  // (round 18's review). conf.d's value alone ("") said nothing of it.
  const launch = (set: string) =>
    run(
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        `\t${set}`,
        '\tstart-stop-daemon --start --exec /usr/bin/foo ${FOO_OPTS}',
        '}',
      ),
      {},
      'FOO_OPTS=""\n',
    ).r;
  test.each([
    ['a leading --', '[ -n "${FOO_OPTS}" ] && FOO_OPTS="-- ${FOO_OPTS}"'],
    ['an option', 'FOO_OPTS="${FOO_OPTS} -v"'],
    ['a command substitution', 'FOO_OPTS="$(cat /etc/foo.opts)"'],
  ])('%s is refused', (_what, set) => {
    expect(launch(set)).toMatchObject({
      code: 'custom-start',
      reason: `${PREFIX}start()'s start-stop-daemon passes \${FOO_OPTS} before \`--\`: if its value starts with \`-\`, start-stop-daemon takes it for one of its own options, so rc-supervise cannot tell whose it is`,
    });
  });
  test('operands only (a path) are certain', () => {
    expect(launch('FOO_OPTS="/etc/foo.conf ${FOO_OPTS}"')).toBeUndefined();
  });
});

describe("values OpenRC's eval would read as shell", () => {
  test('a conf.d value with shell characters is read at start time, as data', () => {
    const { r, d } = run(
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '\tstart-stop-daemon --start --exec /usr/bin/foo -- --tag "${FOO_TAG}" -v',
        '}',
      ),
      {},
      "FOO_TAG='$(id)'\n",
    );
    expect(r).toBeUndefined();
    expect(d.converted!.deferred).toEqual(['FOO_TAG']);
    expect(d.converted!.notes).toContain(
      "the daemon's arguments read ${FOO_TAG} when the service starts, so that OpenRC's eval takes its value as data, as the launch did, not as shell (docs/openrc.md §2)",
    );
  });

  // A plain value today, but what a user writes there later must reach the daemon as data too.
  test('a plain conf.d value is read at start time too', () => {
    const { r, d } = run(
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '\tstart-stop-daemon --start --exec /usr/bin/foo -- --tag "${FOO_TAG}"',
        '}',
      ),
      {},
      'FOO_TAG="a-b.c:1"\n',
    );
    expect(r).toBeUndefined();
    expect(d.converted!.deferred).toEqual(['FOO_TAG']);
  });

  test('a value start() sets in one step with quotes in it stays in start_pre() instead of moving up', () => {
    const { r, d, s } = run(
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '\tFOO_OPTS=\'--name "a b"\'',
        '\tstart-stop-daemon --start --exec /usr/bin/foo -- ${FOO_OPTS}',
        '}',
      ),
    );
    expect(r).toBeUndefined();
    expect(d.converted!.hoist).toEqual([]);
    expect(d.converted!.deferred).toEqual(['FOO_OPTS']);
    expect(applied(s, d.converted!.edits)).toContain('start_pre() {\n\tFOO_OPTS=\'--name "a b"\'\n');
  });

  test('such a value that cannot be read at start time is refused', () => {
    const { r, d } = run(
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '\tstart-stop-daemon --start --exec /usr/bin/foo --pidfile "/run/${FOO_NAME}.pid" -- --name "${FOO_NAME}"',
        '}',
      ),
      {},
      "FOO_NAME='foo*'\n",
    );
    expect(d.converted).toBeNull();
    expect(r).toEqual({
      kind: 'refuse',
      code: 'custom-start',
      reason: `${PREFIX}the launch reads FOO_NAME, whose value "foo*" holds characters OpenRC's eval would read as shell (command_args is expanded twice), and it cannot be read at start time: pidfile= reads it: OpenRC records pidfile as written when the service starts, and stop uses that record unexpanded`,
      suggestion: 'convert start() by hand, or change the value, then migrate again',
    });
  });
});

test("stop()'s --pidfile becomes pidfile= when start() gave start-stop-daemon none (darkstat: else stop would match every instance by --exec)", () => {
  const { r, d } = run(
    sh(
      '#!/sbin/openrc-run',
      'PIDFILE=/run/food.${RC_SVCNAME#*.}.pid',
      'start() {',
      '\tstart-stop-daemon --start --exec /usr/sbin/food -- --pidfile ${PIDFILE} -v',
      '}',
      'stop() {',
      '\tstart-stop-daemon --stop --pidfile ${PIDFILE}',
      '}',
    ),
  );
  expect(r).toBeUndefined();
  expect(d.converted!.lines).toContain('pidfile=${PIDFILE}');
  expect(d.converted!.pidfileFromStop).toBe(true);
});

test("stop()'s --pidfile named by a variable start() sets is left out, as before (pidfile= is read when the script is read)", () => {
  const { r, d } = run(
    sh(
      '#!/sbin/openrc-run',
      'start() {',
      '\tPIDFILE=/run/food.pid',
      '\tPIDFILE="${PIDFILE}"',
      '\tstart-stop-daemon --start --exec /usr/sbin/food -- --pidfile ${PIDFILE} -v',
      '}',
      'stop() {',
      '\tstart-stop-daemon --stop --pidfile ${PIDFILE}',
      '}',
    ),
  );
  expect(r).toBeUndefined();
  expect(d.converted!.lines.filter((l) => l.startsWith('pidfile='))).toEqual([]);
  expect(d.converted!.pidfileFromStop).toBe(false);
  expect(d.converted!.notes.some((n) => n.startsWith('pidfile='))).toBe(false);
});

// TORQUE: `momctl -s || start-stop-daemon --stop …` asks the daemon's own tool to shut it down
// (running jobs may survive that, not a SIGTERM); the signal is only the fallback.
test('a stop line that runs another program beside start-stop-daemon --stop is refused, naming it', () => {
  const { r } = run(
    sh(
      '#!/sbin/openrc-run',
      'start() {',
      '\tlocal extra_args=""',
      '\t[ -n "${FOO_LOG}" ] && extra_args="-L ${FOO_LOG}"',
      '\tstart-stop-daemon --start --pidfile /run/foo.lock --exec /usr/sbin/food -- ${extra_args}',
      '}',
      'stop() {',
      '\t/usr/sbin/fooctl -s || start-stop-daemon --stop --pidfile /run/foo.lock',
      '\teend $?',
      '}',
    ),
  );
  expect(r).toMatchObject({
    code: 'custom-start',
    reason: `${PREFIX}stop() runs fooctl on the line that stops the daemon (/usr/sbin/fooctl -s || start-stop-daemon --stop --pidfile /run/foo.lock); the supervisor would only send its signal`,
  });
  // Without the other program the same script converts, extra_args (not an OpenRC name) read at start time.
  const ok = run(
    sh(
      '#!/sbin/openrc-run',
      'start() {',
      '\tlocal extra_args=""',
      '\t[ -n "${FOO_LOG}" ] && extra_args="-L ${FOO_LOG}"',
      '\tstart-stop-daemon --start --pidfile /run/foo.lock --exec /usr/sbin/food -- ${extra_args}',
      '}',
      'stop() {',
      '\tstart-stop-daemon --stop --pidfile /run/foo.lock || eend 1',
      '}',
    ),
  );
  expect(ok.r).toBeUndefined();
  expect(ok.d.converted!.deferred).toEqual(['extra_args']);
});

describe('a pid file a function computes, for a daemon that writes its own', () => {
  // Modelled on dovecot's and chronyd's scripts: checkconfig() reads the pid file's place
  // from the daemon's configuration; start-stop-daemon only found the daemon with it.
  const script = sh(
    '#!/sbin/openrc-run',
    'checkconfig() {',
    '\tFOO_BASE=$(sed -n "s/^base_dir = //p" /etc/foo.conf)',
    '\tFOO_PIDFILE=${FOO_BASE:-/run/foo}/master.pid',
    '}',
    'start() {',
    '\tcheckconfig || return 1',
    '\tstart-stop-daemon --start --exec /usr/sbin/food --pidfile "${FOO_PIDFILE}" -- -c /etc/foo.conf',
    '}',
    'stop() {',
    '\tcheckconfig || return 1',
    '\tstart-stop-daemon --stop --exec /usr/sbin/food --pidfile "${FOO_PIDFILE}"',
    '}',
  );
  const own = rule({ daemons: ['food'], foreground: '-F', ownPidfile: '*' });

  test('no pidfile= is written: the supervisor keeps its default one, and the note says why', () => {
    const { r, d } = run(script, { rule: own });
    expect(r).toBeUndefined();
    const c = d.converted!;
    expect(c.lines).toEqual([]);
    expect(c.args.map((a) => a.text)).toEqual(['-c', '/etc/foo.conf']);
    expect(c.notes).toContain(
      'start() gave start-stop-daemon the pid file "${FOO_PIDFILE}", which checkconfig() computes when the service starts: not a pidfile= (read when the script is read). food writes its own pid file in the foreground too (rule foo), so that file stays as it was, and supervise-daemon keeps its own default one (/var/run/supervise-${RC_SVCNAME}.pid)',
    );
  });

  test('refused as before when nothing says the daemon writes one, or when its arguments read it too', () => {
    for (const [initd, r] of [
      [script, rule({ daemons: ['food'], foreground: '-F' })],
      [script.replace('-- -c /etc/foo.conf', '-- -c /etc/foo.conf -P "${FOO_PIDFILE}"'), own],
    ] as const)
      expect(refusal(initd, { rule: r }).reason).toBe(
        `${PREFIX}the launch reads FOO_PIDFILE, which only checkconfig() sets: at the top of the script it would be empty (and it cannot be read at start time: pidfile= reads it: OpenRC records pidfile as written when the service starts, and stop uses that record unexpanded)`,
      );
  });
});

describe('locals across the launch or the stop', () => {
  test('a local set before the stop and read after it is refused (stop_post() would not see it)', () => {
    const r = refusal(
      sh(
        '#!/sbin/openrc-run',
        'command=/usr/bin/foo',
        'pidfile=/run/foo.pid',
        'stop() {',
        '\tlocal waited=0',
        '\tstart-stop-daemon --stop --pidfile /run/foo.pid',
        '\twhile [ -e /run/foo.sock ]; do',
        '\t\t[ "${waited}" -eq 0 ] && einfo "waiting"',
        '\t\twaited=$((waited+1)); sleep 1',
        '\tdone',
        '}',
      ),
    );
    expect(r.reason).toBe(
      `${PREFIX}stop() declares waited local before it stops the daemon and reads it after: split into stop_pre() and stop_post(), the second would not see its value`,
    );
  });

  test("the stop's own status kept for eend/return goes, with its local", () => {
    const { r, d, s } = run(
      sh(
        '#!/sbin/openrc-run',
        'command=/usr/bin/foo',
        'pidfile=/run/foo.pid',
        'stop() {',
        '\tlocal retval',
        '\tebegin "Stopping foo"',
        '\tstart-stop-daemon --stop --pidfile /run/foo.pid',
        '\tretval=$?',
        '\teend ${retval}',
        '\treturn ${retval}',
        '}',
      ),
    );
    expect(r).toBeUndefined();
    expect(applied(s, d.converted!.edits)).toBe(
      sh('#!/sbin/openrc-run', 'command=/usr/bin/foo', 'pidfile=/run/foo.pid'),
    );
  });
});

describe("the stop's exit status after the stop", () => {
  const stopWith = (...after: string[]) =>
    sh(
      '#!/sbin/openrc-run',
      'command=/usr/bin/foo',
      'pidfile=/run/foo.pid',
      'stop() {',
      '\tlocal n',
      '\tstart-stop-daemon --stop --pidfile /run/foo.pid',
      ...after,
      '}',
    );

  // openrc-run.sh runs `"$_func" || exit $?` and then the _post function: a failed stop never
  // gets there, and `$?` there is its own test's (modelled on iscsitarget's ietd).
  test('`ret=$?` and `[ $ret -ne 0 ] && return 1` go; the other steps stay in stop_post()', () => {
    const { r, d, s } = run(stopWith('\tret=$?', '\t[ $ret -ne 0 ] && return 1', '\trm -f /run/foo.sock'));
    expect(r).toBeUndefined();
    expect(applied(s, d.converted!.edits)).toContain('stop_post() {\n\trm -f /run/foo.sock\n}\n');
  });

  test('any other read of it is refused (stop_post() cannot see it)', () => {
    expect(refusal(stopWith('\tif [ $? = 0 ]; then rm -f /run/foo.sock; fi')).reason).toBe(
      `${PREFIX}stop() reads the stop's exit status after it (if [ $? = 0 ]; then rm -f /run/foo.sock; fi); in stop_post() that status is gone`,
    );
  });

  test('a local that stop_post() sets before reading needs nothing from stop_pre()', () => {
    const { r, d, s } = run(
      stopWith('\tn=0', '\twhile [ -e /run/foo.sock ] && [ $n -lt 5 ]; do n=$((n+1)); sleep 1; done'),
    );
    expect(r).toBeUndefined();
    expect(applied(s, d.converted!.edits)).toContain('stop_post() {\n\tn=0\n');
  });
});

// iscsitarget's stop(): a step of its own with ebegin and an eend inside an if, before the stop.
test("an ebegin whose step ends in an eend that stays is that step's heading: it stays", () => {
  const { r, d, s } = run(
    sh(
      '#!/sbin/openrc-run',
      'command=/usr/bin/foo',
      'pidfile=/run/foo.pid',
      'stop() {',
      '\tebegin "Removing foo devices"',
      '\tif fooadm --delete; then',
      '\t\teend 0',
      '\telse',
      '\t\teend 1',
      '\t\treturn 1',
      '\tfi',
      '\tebegin "Stopping foo"',
      '\tstart-stop-daemon --stop --pidfile /run/foo.pid',
      '\teend $?',
      '}',
    ),
  );
  expect(r).toBeUndefined();
  expect(applied(s, d.converted!.edits)).toBe(
    sh(
      '#!/sbin/openrc-run',
      'command=/usr/bin/foo',
      'pidfile=/run/foo.pid',
      'stop_pre() {',
      '\tebegin "Removing foo devices"',
      '\tif fooadm --delete; then',
      '\t\teend 0',
      '\telse',
      '\t\teend 1',
      '\t\treturn 1',
      '\tfi',
      '\treturn 0',
      '}',
    ),
  );
});

// StorAgnt (an overlay's asm script) ran `java ... ManagementAgent $*` in start(): start()'s
// own arguments (none). At the top of the script `$*` is what openrc-run.sh's sourcex set.
test.each(['$*', '"$@"', '$1', '${1}', '${#}'])("a launch passing %s (start()'s own arguments) is refused", (p) => {
  const r = refusal(
    sh(
      '#!/sbin/openrc-run',
      'start() {',
      `\tstart-stop-daemon --start --background --make-pidfile --pidfile /run/foo.pid --exec /usr/bin/foo -- -x ${p}`,
      '}',
    ),
  );
  expect(r.reason).toBe(
    `${PREFIX}the launch passes ${p}, start()'s own arguments: at the top of the script they would be the script's (openrc-run sets them while it reads it)`,
  );
});

test("'$*' in single quotes is plain text: not refused for it", () => {
  const { r } = run(
    sh(
      '#!/sbin/openrc-run',
      'start() {',
      "\tstart-stop-daemon --start --background --make-pidfile --pidfile /run/foo.pid --exec /usr/bin/foo -- -x '$*'",
      '}',
    ),
  );
  expect(r?.reason ?? '').not.toContain("start()'s own arguments");
});

// start() runs a program directly (it forks by itself) and stop() stops a daemon with
// start-stop-daemon --stop or killall: the launch is the daemon's only when a rule knows the
// program and stop() stops that same program.
describe('a program start() runs directly, stopped by stop()', () => {
  const food = rule({
    id: 'food',
    daemons: ['food'],
    foreground: '-n',
    ownPidfile: '/run/food.pid',
    backgroundFlags: [
      { flag: '-p', value: true, why: 'pidfile' },
      { flag: '-D', why: 'daemonize' },
    ],
  });
  const script = (launch: string, ...stop: string[]) =>
    sh(
      '#!/sbin/openrc-run',
      'FOOD_BIN=/usr/sbin/food',
      'start() {',
      '\tebegin "Starting food"',
      `\t${launch}`,
      '\teend $? "is the configuration there?"',
      '}',
      'stop() {',
      '\tebegin "Stopping food"',
      ...stop.map((l) => `\t${l}`),
      '\teend $?',
      '}',
    );
  const note = (by: string) =>
    `start() ran /usr/sbin/food directly, and stop() stopped it by ${by}; the rule food knows that program: so that launch is the daemon's. It forked by itself, and under start-stop-daemon it still runs as before (no --background, no --make-pidfile)`;

  test.each([
    [
      '--exec naming the same path',
      'start-stop-daemon --stop --exec /usr/sbin/food',
      '--exec /usr/sbin/food, the same program',
    ],
    [
      '--exec naming it through a variable with that static value',
      'start-stop-daemon --stop --exec ${FOOD_BIN}',
      '--exec ${FOOD_BIN}, the same program',
    ],
    [
      "--pidfile naming the rule's default pid file (/var/run is /run)",
      'start-stop-daemon --stop --quiet --pidfile /var/run/food.pid',
      '--pidfile /var/run/food.pid, the pid file food writes by default (rule food)',
    ],
  ])('%s: converted, and the note says so', (_, stop, by) => {
    const { s, d, r } = run(script('/usr/sbin/food -c /etc/food.conf', stop), { rule: food });
    expect(r).toBeUndefined();
    const c = d.converted!;
    expect(c.command).toBe('/usr/sbin/food');
    expect(c.args.map((a) => a.text)).toEqual(['-c', '/etc/food.conf']);
    // It forked by itself: nothing backgrounds it under start-stop-daemon.
    expect(c.backgroundMakePidfile).toBe(false);
    expect(c.lines.filter((l) => /command_background/.test(l))).toEqual([]);
    expect(d.notes).toContain(note(by));
    expect(applied(s, c.edits)).toBe(sh('#!/sbin/openrc-run', 'FOOD_BIN=/usr/sbin/food'));
  });

  test('--pidfile naming the file the launch tells it to write (the value of its pid file flag)', () => {
    const { d, r } = run(
      script('/usr/sbin/food -p /run/food/main.pid', 'start-stop-daemon --stop --pidfile /run/food/main.pid'),
      { rule: food },
    );
    expect(r).toBeUndefined();
    expect(d.notes).toContain(note('--pidfile /run/food/main.pid, the file the launch told it to write'));
    expect(d.converted!.lines).toContain('pidfile=/run/food/main.pid');
  });

  // mcollectived's `kill \`cat ${pidfile}\``: TERM to the pid the file holds, as
  // start-stop-daemon --stop --pidfile does.
  test.each([
    ['kill `cat FILE`', 'kill `cat /run/food/main.pid`'],
    ['kill -TERM $(cat FILE)', 'kill -TERM $(cat /run/food/main.pid)'],
    ['kill -s TERM "$(cat FILE)"', 'kill -s TERM "$(cat /run/food/main.pid)"'],
  ])('%s of the file the launch tells it to write: converted', (_, stop) => {
    const initd = script('/usr/sbin/food -p /run/food/main.pid', stop);
    expect(directlyRun(service(initd))).toEqual(['food']);
    const { d, r } = run(initd, { rule: food });
    expect(r).toBeUndefined();
    expect(d.notes).toContain(
      `start() ran /usr/sbin/food directly, and stop() stopped it by ${stop}, the file the launch told it to write; the rule food knows that program: so that launch is the daemon's. It forked by itself, and under start-stop-daemon it still runs as before (no --background, no --make-pidfile)`,
    );
    expect(d.converted!.lines).toContain('pidfile=/run/food/main.pid');
    expect(d.notes).toContain(`pidfile=/run/food/main.pid: the file stop() found the daemon by (${stop})`);
  });

  test.each([
    [
      'another signal',
      'kill -HUP `cat /run/food/main.pid`',
      'stop() runs kill -HUP `cat /run/food/main.pid`: rc-supervise cannot tell it stops the same daemon',
    ],
    [
      'a file nothing says it writes',
      'kill `cat /run/other.pid`',
      'stop() kills the process of /run/other.pid, which nothing says food writes (the launch names /run/food/main.pid): rc-supervise cannot tell it is the same daemon',
    ],
  ])('kill with %s: refused', (_, stop, why) => {
    const r = refusal(script('/usr/sbin/food -p /run/food/main.pid', stop), { rule: food });
    expect(r.reason).toBe(`${PREFIX}start() runs /usr/sbin/food directly, and ${why}`);
  });

  test("kill of the rule's default pid file, where the launch names none: converted", () => {
    const { d, r } = run(script('/usr/sbin/food', 'kill $(cat /run/food.pid)'), { rule: food });
    expect(r).toBeUndefined();
    expect(d.notes).toContain(
      "start() ran /usr/sbin/food directly, and stop() stopped it by kill $(cat /run/food.pid), the pid file food writes by default (rule food); the rule food knows that program: so that launch is the daemon's. It forked by itself, and under start-stop-daemon it still runs as before (no --background, no --make-pidfile)",
    );
  });

  test('a kill with another signal is no stop: start() runs no candidate daemon', () => {
    expect(directlyRun(service(script('/usr/sbin/food', 'kill -HUP `cat /run/food.pid`')))).toEqual([]);
  });

  test('killall of the same program: converted', () => {
    const { d, r } = run(script('/usr/sbin/food', 'killall food'), { rule: food });
    expect(r).toBeUndefined();
    expect(d.notes).toContain(
      "start() ran /usr/sbin/food directly and stop() stopped it with killall food: the same program, which the rule food knows, so that launch is the daemon's; it forked by itself, and under start-stop-daemon it still runs as before (no --background, no --make-pidfile)",
    );
  });

  test('`local ret=$?` after the stop, read only by eend: dropped with it', () => {
    const { s, d, r } = run(
      script(
        '/usr/sbin/food',
        'start-stop-daemon --stop --pidfile /run/food.pid',
        'local ret=$?',
        'rm -f /run/food.pid',
      ).replace('\teend $?\n}\n', '\teend ${ret}\n}\n'),
      { rule: food },
    );
    expect(r).toBeUndefined();
    expect(applied(s, d.converted!.edits)).toBe(
      sh(
        '#!/sbin/openrc-run',
        'FOOD_BIN=/usr/sbin/food',
        'stop_post() {',
        '\trm -f /run/food.pid',
        // stop() returned the stop's status (`eend ${ret}`), 0 on the way to stop_post()
        '\treturn 0',
        '}',
      ),
    );
  });

  test.each([
    [
      'a pid file nothing says it writes',
      'start-stop-daemon --stop --pidfile /run/other.pid',
      'stop() stops the process of --pidfile /run/other.pid, which nothing says food writes: rc-supervise cannot tell it is the same daemon',
    ],
    [
      'the default pid file, where the launch names another',
      'start-stop-daemon --stop --pidfile /run/food.pid',
      'stop() stops the process of --pidfile /run/food.pid, which nothing says food writes (the launch names /run/food/main.pid): rc-supervise cannot tell it is the same daemon',
    ],
    [
      'another program',
      'start-stop-daemon --stop --exec /usr/sbin/food-helper',
      'stop() stops --exec /usr/sbin/food-helper: rc-supervise cannot tell it is the same program',
    ],
    [
      'a criterion rc-supervise does not compare',
      'start-stop-daemon --stop --exec /usr/sbin/food --user food',
      "stop()'s start-stop-daemon selects the process with --user: rc-supervise cannot tell it is the same daemon",
    ],
    [
      'no criterion at all',
      'start-stop-daemon --stop --signal TERM',
      "stop()'s start-stop-daemon names no --exec or --pidfile",
    ],
    [
      'killall of another name',
      'killall food-helper',
      'stop() runs killall food-helper: rc-supervise cannot tell it stops the same daemon',
    ],
    [
      'kill of a pid read from a file, with a signal that is no stop',
      'kill -USR1 $(cat /run/food.pid)',
      'stop() runs kill -USR1 $(cat /run/food.pid): rc-supervise cannot tell it stops the same daemon',
    ],
  ])('stop() stopping %s: refused', (_, stop, why) => {
    const launch = why.includes('/run/food/main.pid') ? '/usr/sbin/food -p /run/food/main.pid' : '/usr/sbin/food';
    expect(refusal(script(launch, stop), { rule: food }).reason).toBe(
      `${PREFIX}start() runs /usr/sbin/food directly, and ${why}`,
    );
  });

  test.each([['eend $? ; touch /run/food/up'], ['eend $(touch /run/food/up)'], ['eend $? || touch /run/food/up']])(
    'an eend that runs or chains another command (%s): refused',
    (line) => {
      const text = script('/usr/sbin/food', 'start-stop-daemon --stop --exec /usr/sbin/food').replace(
        '\teend $? "is the configuration there?"\n',
        `\t${line}\n`,
      );
      expect(refusal(text, { rule: food }).reason).toBe(
        `${PREFIX}start() runs /usr/sbin/food directly and then \`${line}\`: after a launch that forks by itself, only its status may be reported`,
      );
    },
  );

  test('a step after the launch other than its status: refused', () => {
    const text = script('/usr/sbin/food', 'start-stop-daemon --stop --exec /usr/sbin/food').replace(
      '\teend $? "is the configuration there?"\n',
      '\teend $?\n\tsleep 1\n',
    );
    expect(refusal(text, { rule: food }).reason).toBe(
      `${PREFIX}start() runs /usr/sbin/food directly and then \`sleep 1\`: after a launch that forks by itself, only its status may be reported`,
    );
  });

  test('a rule saying the program stays in the foreground by itself contradicts start(): refused', () => {
    const text = script('/usr/sbin/food', 'start-stop-daemon --stop --exec /usr/sbin/food');
    expect(refusal(text, { rule: { ...food, foreground: '' } }).reason).toBe(
      `${PREFIX}start() runs /usr/sbin/food directly and goes on after it, but the rule food says it stays in the foreground by itself: rc-supervise cannot tell what start() ran`,
    );
  });

  test("with the rule's daemonize flag in the launch it is the daemon made to fork, as before", () => {
    const { r } = run(script('/usr/sbin/food -D', 'start-stop-daemon --stop --pidfile /run/other.pid'), {
      rule: food,
    });
    expect(r).toBeUndefined();
  });

  test('directlyRun: the programs start() runs directly while stop() stops a daemon', () => {
    const text = script('/usr/sbin/food -c /etc/food.conf', 'start-stop-daemon --stop --exec /usr/sbin/food');
    expect(directlyRun(service(text))).toEqual(['food']);
    // Through a variable with a static value; helpers and the script's own functions are not candidates.
    const viaVar = script('${FOOD_BIN}', 'killall food').replace(
      'start() {\n',
      'prep() {\n\t:\n}\nstart() {\n\tprep\n\tcheckpath -d /run/food\n',
    );
    expect(directlyRun(service(viaVar))).toEqual(['food']);
    // start-stop-daemon --start in start(), or a stop() that stops nothing: not this case.
    expect(
      directlyRun(service(text.replace('/usr/sbin/food -c', 'start-stop-daemon --start --exec /usr/sbin/food -- -c'))),
    ).toEqual([]);
    expect(directlyRun(service(script('/usr/sbin/food', 'rm -f /run/food.pid')))).toEqual([]);
  });
});

describe('a program start() runs directly: pid files compared by their static values only', () => {
  const food = rule({ id: 'food', daemons: ['food'], foreground: '-n', ownPidfile: '/run/food.pid' });
  const text = (top: string, stop: string) =>
    sh(
      '#!/sbin/openrc-run',
      top,
      'start() {',
      '\t/usr/sbin/food',
      '}',
      'stop() {',
      `\tstart-stop-daemon --stop --pidfile ${stop}`,
      '}',
    );

  test('a variable with one static value naming the default pid file: converted', () => {
    const { r } = run(text('RUNDIR=/var/run', '${RUNDIR}/food.pid'), { rule: food });
    expect(r).toBeUndefined();
  });

  test('a variable nothing sets is not read as empty: refused', () => {
    // ${RUNDIR}/food.pid with RUNDIR unset would read as /food.pid; with a rule naming that
    // path it must still not count as the same file.
    const r = refusal(text('', '${RUNDIR}/food.pid'), { rule: { ...food, ownPidfile: '/food.pid' } });
    expect(r.reason).toBe(
      `${PREFIX}start() runs /usr/sbin/food directly, and stop() stops the process of --pidfile \${RUNDIR}/food.pid, which nothing says food writes: rc-supervise cannot tell it is the same daemon`,
    );
  });
});

// Found by the property test (a mutated fixture lost start()'s closing brace): the conversion
// removed start() and, inside it, stop() as two overlapping edits, an internal error (exit 70).
test('a function defined inside start() (a missing `}`): refused, not converted', () => {
  const nested = service(
    sh(
      '#!/sbin/openrc-run',
      'start() {',
      '\tstart-stop-daemon --start --exec /usr/sbin/foo -- -f /etc/foo.conf',
      '',
      'stop() {',
      '\tstart-stop-daemon --stop --pidfile /run/foo.pid',
      '}',
      '}',
    ),
  );
  const r = customStartStep(ctx(nested), draft()) as Refusal;
  expect(r).toMatchObject({ kind: 'refuse', code: 'custom-start' });
  expect(r.reason).toContain(
    'stop() is defined inside start() (a missing `}`?): it exists only once start() has run, and rc-supervise cannot convert one without the other',
  );
  // The same functions one after the other: converted.
  const flat = service(
    sh(
      '#!/sbin/openrc-run',
      'start() {',
      '\tstart-stop-daemon --start --exec /usr/sbin/foo -- -f /etc/foo.conf',
      '}',
      'stop() {',
      '\tstart-stop-daemon --stop --pidfile /run/foo.pid',
      '}',
    ),
  );
  expect(customStartStep(ctx(flat), draft())).toBeUndefined();
});

test("a helper defined inside start() is start()'s own business: not refused for it", () => {
  const s = service(
    sh(
      '#!/sbin/openrc-run',
      'start() {',
      '\thelper() { echo x; }',
      '\thelper',
      '\tstart-stop-daemon --start --exec /usr/sbin/foo -- -f /etc/foo.conf',
      '}',
    ),
  );
  const r = customStartStep(ctx(s), draft());
  expect(r === undefined || !r.reason.includes('is defined inside')).toBe(true);
});

// A pid file only a helper names, which start-stop-daemon itself made (--make-pidfile): the
// daemon never learns the name, so pidfile= may be a file of rc-supervise's own, unless
// something else reads the helper's file.
describe('a --make-pidfile file only a function names', () => {
  const script = (extra: string[] = [], launchTail = '-- -c ${FOO_CONF}') =>
    sh(
      '#!/sbin/openrc-run',
      'foo_setup() {',
      '\tFOO_CONF="/etc/foo/${RC_SVCNAME}.conf"',
      '\tFOO_PID="/run/foo.${RC_SVCNAME}.pid"',
      '\tif [ ! -f "${FOO_CONF}" ]; then',
      '\t\teerror "no ${FOO_CONF}"',
      '\t\treturn 1',
      '\tfi',
      '}',
      'start() {',
      '\tfoo_setup || return 1',
      '\tebegin "Starting foo"',
      `\tstart-stop-daemon --start -b -m -p \${FOO_PID} --exec /usr/bin/food ${launchTail}`,
      '\teend $?',
      '}',
      'stop() {',
      '\tfoo_setup || return 1',
      '\tebegin "Stopping foo"',
      '\tstart-stop-daemon --stop -p ${FOO_PID}',
      '\teend $?',
      '}',
      ...extra,
    );

  test('pidfile= is a fixed file of its own; the helper still runs (and can fail) in start_pre()', () => {
    const { r, d, s } = run(script());
    expect(r).toBeUndefined();
    const c = d.converted!;
    expect(c.lines).toContain('pidfile="/run/supervise-${RC_SVCNAME}.pid"');
    expect(c.lines).toContain('command_background="yes"');
    expect(c.lines.join('\n')).not.toContain('FOO_PID');
    expect(c.deferred).toEqual(['FOO_CONF']);
    expect(applied(s, c.edits)).toContain('start_pre() {\n\tfoo_setup || return 1\n');
    expect(applied(s, c.edits)).toContain('stop_pre() {\n\tfoo_setup || return 1\n');
    expect(c.notes.find((n) => n.includes('--make-pidfile'))).toBe(
      'start() had start-stop-daemon write the daemon\'s pid (--make-pidfile) to ${FOO_PID}, which foo_setup() computes when the service starts: pidfile= cannot read that name (OpenRC records pidfile as written when the service starts, and stop uses that record unexpanded), and the daemon never learns it, so pidfile= is a file of rc-supervise\'s own, "/run/supervise-${RC_SVCNAME}.pid" (nothing else in the script or on the root reads ${FOO_PID}). Under supervise-daemon it is the supervisor\'s pid file (its default name); under start-stop-daemon (were supervisor= set back) command_background="yes" has start-stop-daemon write the daemon\'s pid there, as --make-pidfile did, and stop finds it there',
    );
  });

  test("a line that only makes the file's place reads nothing", () => {
    const s = script().replace(
      '\tebegin "Starting foo"',
      '\tcheckpath -d -m 0755 "${FOO_PID%/*}"\n\tebegin "Starting foo"',
    );
    const { r, d } = run(s);
    expect(r).toBeUndefined();
    expect(d.converted!.lines).toContain('pidfile="/run/supervise-${RC_SVCNAME}.pid"');
  });

  test.each([
    [
      'another function',
      script(['foo_rotate() {', '\tfoo_setup || return 1', '\tkill -USR1 $(cat ${FOO_PID})', '}']),
      'foo_rotate() reads FOO_PID too (`kill -USR1 $(cat ${FOO_PID})`)',
    ],
    [
      'the daemon',
      script([], '-- -c ${FOO_CONF} --pid-file ${FOO_PID}'),
      'the launch also passes ${FOO_PID}: the daemon learns that name',
    ],
  ])('refused when %s reads the file too', (_what, text, why) => {
    expect(refusal(text).reason).toBe(
      `${PREFIX}start() has start-stop-daemon write the pid file \${FOO_PID} (--make-pidfile), which foo_setup() computes when the service starts; pidfile= cannot read it (OpenRC records pidfile as written when the service starts, and stop uses that record unexpanded), and a file of rc-supervise's own would do only if nothing else read that one, but ${why}`,
    );
  });

  test('refused when a file on the root names the file the helper sets', () => {
    const s = service(script());
    const d = draft();
    const readers = [
      { path: 'etc/logrotate.d/foo', text: 'postrotate\n\tkill -HUP $(cat /var/run/foo.*.pid)\nendscript\n' },
    ];
    const r = customStartStep({ ...ctx(s), pidfileReaders: readers }, d) as Refusal;
    expect(r.reason).toMatch(/but etc\/logrotate\.d\/foo may read it \(it names \/run\/foo\.\)$/);
    // A file that names another one is no reader.
    const other = [{ path: 'etc/logrotate.d/bar', text: 'kill -HUP $(cat /run/bar.pid)\n' }];
    expect(customStartStep({ ...ctx(s), pidfileReaders: other }, draft())).toBeUndefined();
  });

  test('a name start() itself sets plainly is hoisted as before, not replaced', () => {
    const text = script().replace(
      '\tfoo_setup || return 1\n\tebegin',
      '\tfoo_setup || return 1\n\tFOO_PID=/run/food.pid\n\tebegin',
    );
    const { r, d } = run(text);
    expect(r).toBeUndefined();
    expect(d.converted!.hoist).toEqual(['FOO_PID=/run/food.pid']);
    expect(d.converted!.lines).toContain('pidfile=${FOO_PID}');
  });

  test('without --make-pidfile the daemon writes the file itself: still refused', () => {
    const r = refusal(script().replace(' -b -m ', ' '));
    expect(r.reason).toContain('the launch reads FOO_PID, which only foo_setup() sets');
  });
});

describe('a word before `--` whose options are known', () => {
  // Modelled on ser2net: the script sets start_stop_daemon_args plainly at its top (read after
  // conf.d, so nothing changes it) and passes it in start(); OpenRC passes it after the
  // migration too, so only what rc-supervise must read (program, name, pid file) is read.
  const own = (value: string, more: string[] = []) =>
    sh(
      '#!/sbin/openrc-run',
      'pidfile="/run/${RC_SVCNAME}.pid"',
      'command="/usr/sbin/food"',
      'name="foo daemon"',
      `start_stop_daemon_args="${value}"`,
      ...more,
      'start() {',
      '\tebegin "Starting foo"',
      '\tstart-stop-daemon --start ${start_stop_daemon_args} -- ${FOO_OPTS} -n',
      '\teend $?',
      '}',
    );

  test("the script's own start_stop_daemon_args is read as written out, and stays for OpenRC", () => {
    const { r, d } = run(own('--quiet --exec ${command} --name ${RC_SVCNAME} --pidfile ${pidfile} --user foo'));
    expect(r).toBeUndefined();
    expect(d.converted!.command).toBe('');
    expect(d.converted!.args.map((a) => a.text)).toEqual(['${FOO_OPTS}', '-n']);
    // --user stays in start_stop_daemon_args (both backends get it from there): no command_user line.
    expect(d.converted!.lines).toEqual(['procname=${RC_SVCNAME}']);
  });

  test('another variable set at the top is converted as if its options were written out', () => {
    const { r, d } = run(
      sh(
        '#!/sbin/openrc-run',
        'FOO_DIR="/var/lib/foo"',
        'foo_ssd="--background --make-pidfile --pidfile /run/foo.pid --chdir ${FOO_DIR} --user foo"',
        'start() {',
        '\tstart-stop-daemon --start ${foo_ssd} --exec /usr/bin/foo -- -f',
        '}',
      ),
    );
    expect(r).toBeUndefined();
    expect(d.converted!.command).toBe('/usr/bin/foo');
    expect(d.converted!.lines).toEqual(
      expect.arrayContaining(['pidfile=/run/foo.pid', 'directory=${FOO_DIR}', 'command_user=foo']),
    );
  });

  test.each([
    ['set in a function too', ['foo_init() {', '\tstart_stop_daemon_args="--user bar"', '}']],
    ['set again at the top', ['start_stop_daemon_args="${start_stop_daemon_args} --user bar"']],
    ['reading a variable a function sets', ['foo_init() {', '\tname="other"', '}']],
    ['set only in an if at the top', []],
  ])('a variable %s is still refused', (what, more) => {
    const script =
      what === 'set only in an if at the top'
        ? sh(
            '#!/sbin/openrc-run',
            'if [ -n "${FOO_QUIET}" ]; then',
            '\tstart_stop_daemon_args="--quiet --exec /usr/sbin/food"',
            'fi',
            'start() {',
            '\tstart-stop-daemon --start ${start_stop_daemon_args} -- -n',
            '}',
          )
        : own('--quiet --exec ${command} --name ${name}', more);
    expect(refusal(script).reason).toBe(
      `${PREFIX}start()'s start-stop-daemon passes \${start_stop_daemon_args} before \`--\`: if its value starts with \`-\`, start-stop-daemon takes it for one of its own options, so rc-supervise cannot tell whose it is`,
    );
  });

  // Modelled on deluged and mysql: `${VAR:+…}` gives start-stop-daemon options only when VAR is set.
  const cond = (word: string) =>
    sh(
      '#!/sbin/openrc-run',
      'start() {',
      `\tstart-stop-daemon --start --pidfile /run/foo.pid --background --make-pidfile ${word} --exec /usr/bin/foo -- -f`,
      '}',
    );

  test('`${VAR:+--umask ${VAR}}` stays conditional, in start_stop_daemon_args', () => {
    const { r, d } = run(cond('${FOO_UMASK:+--umask ${FOO_UMASK}}'));
    expect(r).toBeUndefined();
    expect(d.converted!.lines).toContain('start_stop_daemon_args="${FOO_UMASK:+--umask ${FOO_UMASK}}"');
    // Never umask= (OpenRC passes --umask whenever umask is set, even empty).
    expect(d.converted!.lines.some((l) => l.startsWith('umask='))).toBe(false);
  });

  test('`${VAR:+"--verbose"}` is read as --verbose, which the migration drops as it does when written out', () => {
    const { r, d } = run(cond('${DEBUG:+"--verbose"}'));
    expect(r).toBeUndefined();
    expect(d.converted!.lines.some((l) => /verbose/.test(l))).toBe(false);
  });

  test.each([
    ['an option only start-stop-daemon has', '${FOO_NAME:+--name foo}', '--name only when FOO_NAME is set'],
    ['a program', '${FOO_ALT:+--startas /usr/bin/bar}', '--startas only when FOO_ALT is set'],
  ])('`${VAR:+…}` with %s is refused', (_what, word, said) => {
    expect(refusal(cond(word)).reason).toBe(
      `${PREFIX}start()'s start-stop-daemon passes ${said} (${word}), which rc-supervise does not convert`,
    );
  });

  test('`${VAR:+…}` whose VAR start() sets is refused (its value is the one start() gives)', () => {
    const script = cond('${FOO_UMASK:+--umask ${FOO_UMASK}}').replace('start() {\n', 'start() {\n\tFOO_UMASK=077\n');
    expect(refusal(script).reason).toMatch(/passes \$\{FOO_UMASK:\+--umask \$\{FOO_UMASK\}\} before `--`/);
  });

  test('`${VAR:+…}` that also gives the daemon a word is refused', () => {
    expect(refusal(cond('${FOO_UMASK:+--umask 022 extra}')).reason).toBe(
      `${PREFIX}start()'s start-stop-daemon passes \${FOO_UMASK:+--umask 022 extra} before \`--\`: if its value starts with \`-\`, start-stop-daemon takes it for one of its own options, so rc-supervise cannot tell whose it is`,
    );
  });
});

describe('the pid file passed as an operand before `--`', () => {
  // Modelled on liquidsoap's script: `--make-pidfile ${pidfile}` reads as if --make-pidfile took
  // the path, but it takes no value: start-stop-daemon handed the path to the daemon.
  test.each([
    ['${pidfile}', ' (after --make-pidfile, which takes no value)'],
    ['/run/foo.pid', ' (after --make-pidfile, which takes no value)'],
  ])('--make-pidfile %s is refused', (word, after) => {
    const script = sh(
      '#!/sbin/openrc-run',
      'pidfile="/run/foo.pid"',
      'start() {',
      `\tstart-stop-daemon --start --user foo --make-pidfile ${word} --exec /usr/bin/foo -- --daemon /etc/foo.conf`,
      '}',
    );
    expect(refusal(script).reason).toBe(
      `${PREFIX}start()'s start-stop-daemon passes the pid file ${word} as a word of its own before \`--\`${after}: start-stop-daemon gave it to the daemon as its first argument, and rc-supervise cannot tell what the daemon made of it`,
    );
  });
});

describe('`${VAR:+…}` beside an option that reads a variable start() sets', () => {
  // Modelled on deluged: `-e HOME="${FOO_HOME}"` with FOO_HOME set in start(), and a
  // `${FOO_UMASK:+--umask ${FOO_UMASK}}`: the line is read at start, the condition kept whole.
  test('the conditional option is not what makes it late', () => {
    const { r, d } = run(
      sh(
        '#!/sbin/openrc-run',
        'start() {',
        '\tFOO_HOME=$(getent passwd foo | cut -d: -f6)',
        '\tstart-stop-daemon --start --pidfile /run/foo.pid --background --make-pidfile \\',
        '\t\t${FOO_UMASK:+--umask ${FOO_UMASK}} --exec /usr/bin/foo -e HOME="${FOO_HOME}" -- -f',
        '}',
      ),
    );
    expect(r).toBeUndefined();
    expect(d.converted!.lines).toContain(
      'start_stop_daemon_args="\\${FOO_UMASK:+--umask \\${FOO_UMASK}} --env HOME=\\"\\${FOO_HOME}\\""',
    );
  });
});

// pptpd's stop(): the daemon's stop, `result=$?`, `killall -SIGTERM pptpctrl` for the per-call
// children that outlive it, `eend $result`.
describe('a killall of another program after the stop', () => {
  const script = (...stop: string[]) =>
    sh(
      '#!/sbin/openrc-run',
      'start() {',
      '\tebegin "Starting foo"',
      '\tstart-stop-daemon --start --quiet --exec /usr/sbin/foo -- ${FOO_OPTS}',
      '\teend $?',
      '}',
      'stop() {',
      '\tebegin "Stopping foo"',
      ...stop,
      '}',
    );
  const stopThen = (...after: string[]) =>
    script('\tstart-stop-daemon --stop --quiet --pidfile /run/foo.pid', ...after);

  test('stays, in stop_post(), which returns 0 where stop() returned the stop status it saved', () => {
    const { r, d, s } = run(stopThen('\tresult=$?', '\tkillall -SIGTERM fooctrl &>/dev/null', '\teend $result'), {
      rule: rule(),
    });
    expect(r).toBeUndefined();
    expect(applied(s, d.converted!.edits)).toBe(
      sh('#!/sbin/openrc-run', 'stop_post() {', '\tkillall -SIGTERM fooctrl &>/dev/null', '\treturn 0', '}'),
    );
    expect(d.notes.join('\n')).toMatch(
      /killall -SIGTERM fooctrl after the stop signals processes of another name, which the daemon's stop does not end/,
    );
  });

  test("without a saved status, stop_post() ends as stop() did (its last step's status)", () => {
    const { r, d, s } = run(stopThen('\tkillall -q fooctrl', '\teend $?'), { rule: rule() });
    expect(r).toBeUndefined();
    expect(applied(s, d.converted!.edits)).toBe(sh('#!/sbin/openrc-run', 'stop_post() {', '\tkillall -q fooctrl', '}'));
  });

  test('`killall -s TERM name` and the signal as a number are read alike', () => {
    for (const k of ['killall -s TERM fooctrl', 'killall -9 fooctrl', 'killall -w -KILL fooctrl'])
      expect(run(stopThen(`\t${k}`), { rule: rule() }).r).toBeUndefined();
  });

  test('a killall that may reach the daemon, or that runs before the stop, is refused as before', () => {
    for (const stop of [
      // the daemon itself (the rule's name), the launched program, the supervisor
      [`\tstart-stop-daemon --stop --pidfile /run/foo.pid`, '\tkillall foo'],
      [`\tstart-stop-daemon --stop --pidfile /run/foo.pid`, '\tkillall supervise-daemon'],
      // options that select otherwise (a regular expression, a user), a path, a variable
      [`\tstart-stop-daemon --stop --pidfile /run/foo.pid`, '\tkillall -r fooc.*'],
      [`\tstart-stop-daemon --stop --pidfile /run/foo.pid`, '\tkillall -u news fooctrl'],
      [`\tstart-stop-daemon --stop --pidfile /run/foo.pid`, '\tkillall /usr/sbin/fooctrl'],
      [`\tstart-stop-daemon --stop --pidfile /run/foo.pid`, '\tkillall ${CHILD}'],
      [`\tstart-stop-daemon --stop --pidfile /run/foo.pid`, '\tkillall fooctrl barctrl'],
      // pkill matches any part of a name
      [`\tstart-stop-daemon --stop --pidfile /run/foo.pid`, '\tpkill fooctrl'],
      // before the stop: in stop_pre() the supervisor still runs
      ['\tkillall fooctrl', `\tstart-stop-daemon --stop --pidfile /run/foo.pid`],
    ])
      expect(refusal(script(...stop), { rule: rule({ daemons: ['food'] }) }).reason).toMatch(
        /^custom start\(\)\/stop\(\): stop\(\) runs 2 commands that stop or signal processes \(/,
      );
  });
});

test('a step between the saved stop status and the `eend` that returns it: stop_post() returns 0', () => {
  const { r, d, s } = run(
    sh(
      '#!/sbin/openrc-run',
      'command=/usr/bin/foo',
      'pidfile=/run/foo.pid',
      'stop() {',
      '\tstart-stop-daemon --stop --pidfile /run/foo.pid',
      '\tretval=$?',
      '\t[ -e /run/foo.sock ] && rm /run/foo.sock',
      '\teend ${retval} "Failed to stop foo"',
      '}',
    ),
  );
  expect(r).toBeUndefined();
  expect(applied(s, d.converted!.edits)).toContain(
    'stop_post() {\n\t[ -e /run/foo.sock ] && rm /run/foo.sock\n\treturn 0\n}\n',
  );
});

// watchdog's stop(): `start-stop-daemon --stop --exec ... --pidfile ... --retry $(get_delay)`,
// get_delay() reading the check interval from watchdog.conf. supervise-daemon takes retry when
// it starts the daemon, start-stop-daemon when it stops it.
describe("stop()'s --retry computed by a function of the script", () => {
  const fns = ['get_delay() {', '\tsed -n "s/^interval *= *//p" /etc/foo.conf', '}'];
  const stop = (retry = '$(get_delay)', ...before: string[]) => [
    'stop() {',
    '\tebegin "Stopping foo"',
    ...before,
    `\tstart-stop-daemon --stop --exec /usr/sbin/foo --pidfile /run/foo.pid \\`,
    `\t\t--retry ${retry}`,
    '\teend $?',
    '}',
  ];

  test('is computed in start_pre() (for supervise-daemon) and in stop_pre() (for start-stop-daemon)', () => {
    const { r, d, s } = run(
      sh('#!/sbin/openrc-run', 'command=/usr/sbin/foo', 'pidfile=/run/foo.pid', ...fns, ...stop()),
      { rule: rule() },
    );
    expect(r).toBeUndefined();
    expect(applied(s, d.converted!.edits)).toBe(
      sh(
        '#!/sbin/openrc-run',
        'command=/usr/sbin/foo',
        'pidfile=/run/foo.pid',
        ...fns,
        'start_pre() {',
        '\tretry="$(get_delay)"',
        '\treturn 0',
        '}',
        '',
        'stop_pre() {',
        '\tretry="$(get_delay)"',
        '\treturn 0',
        '}',
      ),
    );
    expect(d.converted!.lines.filter((l) => l.startsWith('retry='))).toEqual([]);
    expect(d.notes.join('\n')).toMatch(/--retry \$\(get_delay\) is computed when the service starts, in start_pre\(\)/);
    expect(d.notes.join('\n')).not.toMatch(/other steps are now/);
  });

  test('beside a converted start() with nothing before its launch, and in backquotes', () => {
    const { r, d, s } = run(
      sh(
        '#!/sbin/openrc-run',
        ...fns,
        'start() {',
        '\tstart-stop-daemon --start --exec /usr/sbin/foo --pidfile /run/foo.pid -- ${FOO_OPTS}',
        '}',
        ...stop('`get_delay`'),
      ),
      { rule: rule() },
    );
    expect(r).toBeUndefined();
    expect(applied(s, d.converted!.edits)).toContain('start_pre() {\n\tretry="`get_delay`"\n\treturn 0\n}\n');
  });

  test.each([
    ['a command that is no function of the script', '$(cat /etc/foo.delay)', [], [], 'not one call of a function'],
    ['a function called with words', '$(get_delay 5)', [], [], 'not one call of a function'],
    [
      'stop() sets a variable the function may read',
      '$(get_delay)',
      ['\tlocal conf=/etc/foo.conf'],
      [],
      'sets variables',
    ],
    ['retry set elsewhere', '$(get_delay)', [], ['retry=30'], 'retry is set elsewhere'],
    [
      'start_pre() taken',
      '$(get_delay)',
      [],
      ['start_pre() {', '\tcheckpath -d /run/foo', '}'],
      'start_pre() is taken',
    ],
  ])('refused: %s', (_what, retry, before, top, why) => {
    const r = refusal(sh('#!/sbin/openrc-run', 'command=/usr/sbin/foo', ...top, ...fns, ...stop(retry, ...before)), {
      rule: rule(),
    });
    expect(r.reason).toMatch(/--retry .* is computed when stop\(\) runs; a top-level retry= cannot hold it \(/);
    expect(r.reason).toContain(why);
  });

  // sabnzbd: the schedule picked by the answer to the shutdown request stop() sends first.
  test('refused, saying so, where stop() picks the schedule by what a command answers', () => {
    const r = refusal(
      sh(
        '#!/sbin/openrc-run',
        'command=/usr/sbin/foo',
        'stop() {',
        '\tlocal signals="TERM/1/KILL/1"',
        '\tif [ "$(wget -q -O - "${url}")" = "ok" ]; then',
        '\t\tsignals="NULL/5/${signals}"',
        '\tfi',
        '\tstart-stop-daemon --stop --pidfile /run/foo.pid --retry "${signals}"',
        '}',
      ),
      { rule: rule() },
    );
    expect(r.reason).toBe(
      `${PREFIX}stop()'s start-stop-daemon --retry \${signals} is computed when stop() runs; a top-level retry= cannot hold it (stop() sets signals itself under \`if [ "$(wget -q -O - "\${url}")" = "ok" ]; then\`: the schedule depends on what that command answers when the service stops, and supervise-daemon takes its one schedule when it starts the daemon)`,
    );
  });

  test('refused with a --signal beside it, and where start() leaves steps for start_pre()', () => {
    const sig = refusal(
      sh('#!/sbin/openrc-run', 'command=/usr/sbin/foo', ...fns, ...stop('$(get_delay) --signal INT')),
      { rule: rule() },
    );
    expect(sig.reason).toContain('with a --signal beside it');
    const pre = refusal(
      sh(
        '#!/sbin/openrc-run',
        ...fns,
        'start() {',
        '\tcheckpath -d /run/foo',
        '\tstart-stop-daemon --start --exec /usr/sbin/foo --pidfile /run/foo.pid',
        '}',
        ...stop(),
      ),
      { rule: rule() },
    );
    expect(pre.reason).toContain('start_pre() is taken');
  });
});

// The reasons for a stop() the supervisor's stop cannot replace say what stop() does.
describe('the reason names what stop() does instead of one stop', () => {
  const script = (...stop: string[]) =>
    sh(
      '#!/sbin/openrc-run',
      'command=/usr/sbin/foo',
      'pidfile=/run/foo.pid',
      'stop() {',
      '\tebegin "Stopping foo"',
      ...stop,
      '\teend $?',
      '}',
    );

  test('several stops, chosen by a condition: each named, and the condition', () => {
    const r = refusal(
      script(
        '\tif [ -n "${FOO_PIDFILE}" ]; then',
        '\t\tstart-stop-daemon --stop --pidfile "${FOO_PIDFILE}"',
        '\telse',
        '\t\tstart-stop-daemon --stop --pidfile /run/foo.pid',
        '\tfi',
      ),
    );
    expect(r.reason).toBe(
      `${PREFIX}stop() runs 2 commands that stop or signal processes (start-stop-daemon --stop --pidfile "\${FOO_PIDFILE}"; start-stop-daemon --stop --pidfile /run/foo.pid) under \`if [ -n "\${FOO_PIDFILE}" ]; then\`, where the supervisor's stop is one schedule of signals to its one child: rc-supervise cannot tell which of them that replaces, nor what the others still have to do`,
    );
  });

  test('two daemons, one after the other', () => {
    const r = refusal(
      script(
        '\tstart-stop-daemon --stop --pidfile /run/foo.pid',
        '\tstart-stop-daemon --stop --pidfile /run/foo-monitor.pid',
      ),
    );
    // ovdb: ovdb_server and ovdb_monitor, each stopped through its own pid file.
    expect(r.reason).toBe(
      `${PREFIX}stop() stops 2 processes, each through a pid file of its own (/run/foo.pid, /run/foo-monitor.pid): the service runs several daemons, and one supervisor keeps one (one service per daemon)`,
    );
    expect(r.suggestion).toBe(
      'run each daemon as a service of its own (each with its command), or keep this service on start-stop-daemon',
    );
  });

  test('two stops through the same pid file, or one under a condition: not said to be two daemons', () => {
    for (const text of [
      script('	start-stop-daemon --stop --pidfile /run/foo.pid', '	start-stop-daemon --stop --pidfile /run/foo.pid'),
      script(
        '	start-stop-daemon --stop --pidfile /run/foo.pid',
        '	if [ -e /run/foo-monitor.pid ]; then',
        '		start-stop-daemon --stop --pidfile /run/foo-monitor.pid',
        '	fi',
      ),
    ])
      expect(refusal(text).reason).toMatch(/stop\(\) runs 2 commands that stop or signal processes/);
  });

  // lxd: how to stop chosen from OpenRC's state at stop, which supervise-daemon cannot see.
  test('a stop chosen by RC_GOINGDOWN, RC_REBOOT or RC_CMD: the reason says OpenRC decides that only at stop', () => {
    const want = (cond: string, names: string) =>
      `${PREFIX}stop() chooses how to stop the daemon by \`${cond}\`, which reads OpenRC's state when the service stops (${names}); supervise-daemon takes its one stop schedule when it starts the daemon (supervise_start passes --retry, supervise_stop none), so under it that choice cannot be made`;
    const one = refusal(
      script(
        '	if [ "$RC_GOINGDOWN" = "YES" ] || [ "$RC_REBOOT" = "YES" ]; then',
        '		stopall',
        '	else',
        '		start-stop-daemon --stop -R TERM/45 -p /run/foo.pid',
        '	fi',
      ).replace('stop() {', 'stopall() {\n\t/usr/sbin/foo shutdown\n}\nstop() {'),
    );
    expect(one.reason).toBe(
      want('if [ "$RC_GOINGDOWN" = "YES" ] || [ "$RC_REBOOT" = "YES" ]; then', 'RC_GOINGDOWN, RC_REBOOT'),
    );
    expect(one.suggestion).toBe(
      'keep this service on start-stop-daemon; or choose one way to stop it, remove stop() (set retry for that schedule) and migrate again',
    );
    const two = refusal(
      script(
        '	if [ "${RC_CMD}" = restart ]; then',
        '		start-stop-daemon --stop --quiet -p /run/foo.pid',
        '	else',
        '		start-stop-daemon --stop --quiet -R SIGPWR/40 -p /run/foo.pid',
        '	fi',
      ),
    );
    expect(two.reason).toBe(want('if [ "${RC_CMD}" = restart ]; then', 'RC_CMD'));
  });

  // redmine: `start-stop-daemon --signal INT --pidfile …`, no --stop: sent once, no wait. It is
  // how stop() stops the daemon, converted into retry as where stop() is converted alone.
  test("a signal sent without --stop as stop()'s only way: converted into retry, with a note", () => {
    const launched = (...stop: string[]) =>
      sh(
        '#!/sbin/openrc-run',
        'pidfile=/run/foo.pid',
        'start() {',
        '\tstart-stop-daemon --start --exec /usr/sbin/foo --pidfile "${pidfile}" -- --daemon',
        '}',
        'stop() {',
        '\tebegin "Stopping foo"',
        ...stop,
        '\teend $?',
        '}',
      );
    const fg = rule({ foreground: '', backgroundFlags: [{ flag: '--daemon', why: 'daemonize' }] });
    const { r, d } = run(launched('\tstart-stop-daemon --signal INT --quiet --pidfile "${pidfile}"'), { rule: fg });
    expect(r).toBeUndefined();
    expect(d.converted!.lines).toContain('retry=SIGINT/5');
    expect(d.notes).toContain(
      "stop() sent INT once, without --stop, so without waiting for the daemon to end; the supervisor's stop sends it and then waits for the daemon to end (retry)",
    );
    // Beside a stop, the signal is something else stop() does.
    const beside = refusal(
      launched(
        '\tstart-stop-daemon --signal USR1 --pidfile "${pidfile}"',
        '\tstart-stop-daemon --stop --pidfile "${pidfile}"',
      ),
      { rule: fg },
    );
    expect(beside.reason).toBe(
      `${PREFIX}stop() also sends USR1 through the pid file, which would reach the supervisor`,
    );
  });

  test('the one stop inside a loop, or a condition: named', () => {
    const loop = refusal(script('\tfor p in $(cat /run/foo.pid); do', '\t\tkill ${p}', '\tdone'));
    expect(loop.reason).toBe(
      `${PREFIX}stop() stops the daemon inside \`for p in $(cat /run/foo.pid); do\`: the supervisor's stop is one schedule of signals to its one child, the same whatever that loop chose, so rc-supervise cannot replace it`,
    );
    const cond = refusal(
      script('\tif [ -n "${FOO_STOP}" ]; then', '\t\tstart-stop-daemon --stop --pidfile /run/foo.pid', '\tfi'),
    );
    expect(cond.reason).toContain('inside `if [ -n "${FOO_STOP}" ]; then`: ');
    expect(cond.reason).toContain('whatever that condition chose');
  });

  test("the daemon's own way first, the signal only after it (knot, accel-ppp)", () => {
    const knot = refusal(
      script(
        '\t/usr/sbin/fooctl stop >/dev/null 2>&1',
        '\tif [ "$?" != 0 ]; then',
        '\t\tstart-stop-daemon --stop --pidfile /run/foo.pid',
        '\tfi',
      ),
    );
    expect(knot.reason).toBe(
      `${PREFIX}stop() first asks the daemon to stop its own way (/usr/sbin/fooctl stop), where the supervisor's stop would only send it a signal; it signals the daemon only after that (inside \`if [ "$?" != 0 ]; then\`)`,
    );
    expect(knot.suggestion).toMatch(/^if the daemon's own documentation says SIGTERM/);
    const accel = refusal(script('\tfoo-cmd shutdown hard', '\t[ $? -ne 0 ] && kill -9 $(pidof foo)'));
    expect(accel.reason).toBe(
      `${PREFIX}stop() first asks the daemon to stop its own way (foo-cmd shutdown hard), where the supervisor's stop would only send it a signal; it signals the daemon only after that (kill -9)`,
    );
  });
});

// Round 22: what start() does through functions of the script's own, and what other functions
// that run start-stop-daemon --start do, said as what they are.
describe('launches through functions of the script, and other functions that start the daemon', () => {
  const launcher = (name: string, prog: string) => [
    `${name}() {`,
    `\tstart-stop-daemon --start --exec ${prog} --pidfile /run/${name}.pid`,
    '}',
  ];

  // sysklogd's start_daemon "syslogd" …; start_daemon "klogd" …
  test('one function called for two daemons: several programs, each its own service', () => {
    const r = refusal(
      sh(
        '#!/sbin/openrc-run',
        'start_one() {',
        '\tstart-stop-daemon --start --exec /usr/sbin/"$1" --pidfile /run/"$1".pid -- $2',
        '}',
        'start() {',
        '\tstart_one "food" "${FOOD_OPTS}" || return 1',
        '\tif ! start_one "bard" "${BARD_OPTS}"; then return 1; fi',
        '}',
        'stop() {',
        '\tstart-stop-daemon --stop --pidfile /run/bard.pid',
        '}',
      ),
    );
    expect(r.reason).toBe(
      `${PREFIX}start() starts 2 programs through functions of its own (start_one "food" "\${FOOD_OPTS}"; start_one "bard" "\${BARD_OPTS}"): one supervisor keeps one daemon`,
    );
    expect(r.suggestion).toBe('give each daemon a service of its own (an init script each), then migrate each');
  });

  // opendnssec: `${CONTROL_BIN} enforcer start` in one function, start-stop-daemon in another.
  test("a control program's start subcommand in a function counts as a launch too", () => {
    const r = refusal(
      sh(
        '#!/sbin/openrc-run',
        'start_enforcer() {',
        '\t${CONTROL_BIN} enforcer start >/dev/null',
        '}',
        ...launcher('start_client', '/usr/sbin/clientd'),
        'start() {',
        '\tstart_enforcer || return $?',
        '\tstart_client || return $?',
        '}',
      ),
    );
    expect(r.reason).toBe(
      `${PREFIX}start() starts 2 programs through functions of its own (start_enforcer(); start_client()): one supervisor keeps one daemon`,
    );
  });

  // uwsgi: start_emperor or start_app, as conf.d says.
  test('two functions, each in a branch of a condition: one launch, picked at start', () => {
    const r = refusal(
      sh(
        '#!/sbin/openrc-run',
        ...launcher('start_emperor', '/usr/bin/uwsgi'),
        ...launcher('start_app', '/usr/bin/uwsgi'),
        'start() {',
        '\tif [ -n "${EMPEROR}" ]; then',
        '\t\tstart_emperor',
        '\telse',
        '\t\tstart_app',
        '\tfi',
        '}',
      ),
    );
    expect(r.reason).toBe(
      `${PREFIX}start() launches the daemon through start_emperor() or start_app(), functions of its own, as a condition picks: a supervisor runs one command line, and rc-supervise cannot choose it for the script`,
    );
  });

  // auditd's start_auditd(), called from start() and nowhere else; its stop_auditd() too.
  test('one function with the launch: named, and the way out is to move the launch into start()', () => {
    const r = refusal(
      sh(
        '#!/sbin/openrc-run',
        ...launcher('start_food', '/usr/sbin/food'),
        'stop_food() {',
        '\tstart-stop-daemon --stop --pidfile /run/start_food.pid',
        '}',
        'start() {',
        '\tstart_food',
        '\tlocal ret=$?',
        '\treturn $ret',
        '}',
        'stop() {',
        '\tstop_food',
        '}',
      ),
    );
    expect(r.reason).toBe(
      `${PREFIX}start() launches the daemon inside start_food(), a function of its own, which rc-supervise does not read through (only a launch in start() itself, or a function that only puts fixed words before the caller's for start-stop-daemon)`,
    );
    expect(r.suggestion).toBe('move the launch from start_food() into start(), then migrate again');
  });

  // asterisk: `asterisk_run_loop ${OPTS} 2>&1 | logger … &`, and a forcestop() with start-stop-daemon --stop.
  const looping = sh(
    '#!/sbin/openrc-run',
    'extra_started_commands="forcestop"',
    'run_loop() {',
    '\twhile [ -r /run/food/loop ]; do',
    '\t\t/usr/sbin/food -f',
    '\t\tsleep 5',
    '\tdone',
    '}',
    'start() {',
    '\ttouch /run/food/loop',
    '\trun_loop 2>&1 | logger -t food &',
    '}',
    'forcestop() {',
    '\tstart-stop-daemon --stop --pidfile /run/food.pid',
    '}',
    'stop() {',
    '\trm -f /run/food/loop',
    '}',
  );
  test("start() running a restart loop of the script's own in the background is said before any other function", () => {
    const r = refusal(looping);
    expect(r.reason).toBe(
      `${PREFIX}start() runs run_loop() in the background (&), a loop of the script's own that runs the daemon again whenever it exits: the script is its own supervisor, and supervise-daemon cannot keep a daemon that loop starts`,
    );
    expect(r.suggestion).toBe(
      'run the daemon itself in start() (or as command), in the foreground, without run_loop() (supervise-daemon then restarts it; what the loop did after a crash is lost), then migrate again',
    );
    // In the foreground, or without a loop: not that.
    expect(refusal(looping.replace(' | logger -t food &', '')).reason).not.toMatch(/in the background/);
    expect(refusal(looping.replace(/\twhile .*\n/, '').replace('\tdone\n', '')).reason).not.toMatch(
      /in the background/,
    );
  });

  // gatling's reload(): HUP, then start()'s very launch again.
  const relaunching = sh(
    '#!/sbin/openrc-run',
    'extra_started_commands="reload"',
    'start() {',
    '\tstart-stop-daemon --start --background --make-pidfile --pidfile ${PID} --exec /usr/bin/food -- -p ${PORT}',
    '}',
    'stop() {',
    '\tstart-stop-daemon --stop --pidfile ${PID}',
    '}',
    'reload() {',
    '\tstart-stop-daemon --signal HUP --pidfile ${PID}',
    '\tstart-stop-daemon --start --background --make-pidfile --pidfile ${PID} --exec /usr/bin/food -- -p ${PORT}',
    '}',
  );
  test("another function running start()'s own launch again: a restart of its own, said so", () => {
    const r = refusal(relaunching);
    expect(r.reason).toBe(
      `${PREFIX}reload() starts /usr/bin/food again itself with start()'s own start-stop-daemon --start, after sending it HUP (a restart of its own, with conf.d read anew): under supervise-daemon that second start would run a daemon beside the supervised one, and the supervisor restarts a daemon that exits with the command line it started with`,
    );
    expect(r.suggestion).toBe(
      'drop reload() (rc-service foo restart starts the daemon again with conf.d read anew), or make it only signal the daemon, then migrate again',
    );
    // Another program, or other words: the plain reason, with a suggestion for that function.
    const other = refusal(relaunching.replace(/-p \$\{PORT\}\n\}\n$/, '-p 81\n}\n'));
    expect(other.reason).toBe(
      `${PREFIX}reload() calls start-stop-daemon --start itself, which bypasses the supervisor`,
    );
    expect(other.suggestion).toBe(
      'rewrite reload() for the supervisor (a signal through `${supervisor} ${RC_SVCNAME} --signal …`), or drop it, then migrate again',
    );
  });

  // freenet: start-stop-daemon --start runs run.sh start, run.sh status, run.sh stop.
  test('start-stop-daemon --start running a control script with start, status and stop: a control script', () => {
    const ctl = (fn: string, sub: string) => [
      `${fn}() {`,
      `\tstart-stop-daemon --start --user food --exec /opt/food/run.sh ${sub} 2>/dev/null`,
      '\teend 0',
      '}',
    ];
    const r = refusal(
      sh('#!/sbin/openrc-run', ...ctl('start', 'start'), ...ctl('status', 'status'), ...ctl('stop', 'stop')),
    );
    expect(r.reason).toBe(
      `${PREFIX}start() runs /opt/food/run.sh start, and status() runs /opt/food/run.sh status (both through start-stop-daemon --start): a control script that starts, stops and checks the daemon its own way; rc-supervise cannot tell which program it keeps running or how to keep that one in the foreground`,
    );
  });

  // denyhosts's purge(): the program run to completion while the service is stopped.
  const purging = sh(
    '#!/sbin/openrc-run',
    'extra_stopped_commands="purge"',
    'purge() {',
    '\tebegin "Purging"',
    '\tstart-stop-daemon --start --exec /usr/bin/foo --pidfile /run/foo.pid -- --purge',
    '\teend $?',
    '}',
    'start() {',
    '\tstart-stop-daemon --start --exec /usr/bin/foo --pidfile /run/foo.pid -- --daemon -c /etc/foo.conf',
    '}',
    'stop() {',
    '\tstart-stop-daemon --stop --pidfile /run/foo.pid',
    '}',
  );
  const daemonRule = rule({ foreground: '', backgroundFlags: [{ flag: '--daemon', why: 'daemonize' }] });
  test('a function run only while the service is stopped, in the foreground, bypasses nothing and stays', () => {
    const { r, d, s } = run(purging, { rule: daemonRule });
    expect(r).toBeUndefined();
    expect(applied(s, d.converted!.edits)).toContain(
      '\tstart-stop-daemon --start --exec /usr/bin/foo --pidfile /run/foo.pid -- --purge\n',
    );
    expect(d.notes).toContain(
      'purge() keeps its start-stop-daemon --start: openrc-run runs it only while the service is stopped (extra_stopped_commands), when no supervisor runs, and it runs the program in the foreground to its end, as before',
    );
    const bypass = `${PREFIX}purge() calls start-stop-daemon --start itself, which bypasses the supervisor`;
    // Also run while the service is started, or by other code, or in the background, or with a daemonize word.
    for (const changed of [
      purging.replace(
        'extra_stopped_commands="purge"',
        'extra_stopped_commands="purge"\nextra_started_commands="purge"',
      ),
      purging.replace(
        '\tstart-stop-daemon --stop --pidfile /run/foo.pid\n',
        '\tstart-stop-daemon --stop --pidfile /run/foo.pid\n\tpurge\n',
      ),
      purging.replace('-- --purge', '--background -- --purge'),
      purging.replace('-- --purge', '-- --purge --daemon'),
    ])
      expect(refusal(changed, { rule: daemonRule }).reason).toBe(bypass);
  });
});

// logstash's stop(): one if/else choosing between two stops of the same daemon that differ only
// in --retry, by a setting of conf.d.
describe('a stop schedule chosen by a setting', () => {
  const script = (cond: string, a: string, b: string, ...top: string[]) =>
    sh(
      '#!/sbin/openrc-run',
      'FOO_FORCE=${FOO_FORCE:-0}',
      'command=/usr/sbin/foo',
      'command_background="true"',
      'pidfile="/run/foo.pid"',
      ...top,
      'stop() {',
      '\tebegin "Stopping foo"',
      `\tif ${cond}; then`,
      `\t\t${a}`,
      '\telse',
      `\t\t${b}`,
      '\tfi',
      '}',
    );
  const kill = 'start-stop-daemon --stop --pidfile=${pidfile} --retry=TERM/5/KILL/5';
  const plain = 'start-stop-daemon --stop --pidfile=${pidfile}';
  const force = '[ "${FOO_FORCE}" = "1" ]';

  test('becomes a top-level line setting retry by the same test; stop() goes', () => {
    const { r, d, s } = run(script(force, kill, plain));
    expect(r).toBeUndefined();
    expect(d.converted!.lines).toContain('if [ "${FOO_FORCE}" = "1" ]; then retry=TERM/5/KILL/5; fi');
    expect(applied(s, d.converted!.edits)).not.toContain('stop()');
    expect(d.notes.join('\n')).toContain(
      'stop() chose its stop schedule with `[ "${FOO_FORCE}" = "1" ]`, which reads only what conf.d or the script\'s top level set',
    );
    expect(d.notes.join('\n')).not.toContain("the script's own retry now applies");
  });

  test('a schedule in each branch: if/else; only in the second: the test negated', () => {
    expect(run(script(force, kill, `${plain} --retry 30`)).d.converted!.lines).toContain(
      'if [ "${FOO_FORCE}" = "1" ]; then retry=TERM/5/KILL/5; else retry=30; fi',
    );
    expect(run(script(force, plain, kill)).d.converted!.lines).toContain(
      'if ! [ "${FOO_FORCE}" = "1" ]; then retry=TERM/5/KILL/5; fi',
    );
  });

  test("the script's own retry, where a branch gave none: said", () => {
    const { r, d } = run(script(force, kill, plain, 'retry="30"'));
    expect(r).toBeUndefined();
    expect(d.notes.join('\n')).toContain(
      "where stop() gave start-stop-daemon no --retry (its default: TERM, then 5 s), the script's own retry now applies",
    );
  });

  test.each([
    ['a test that runs a command', '[ "$(cat /etc/foo.force)" = 1 ]', kill, plain],
    ['a test of the last status', '[ $? -eq 0 ]', kill, plain],
    ['a command, not a test', 'grep -q force /etc/foo.conf', kill, plain],
    ['two pid files (totd)', '[ -n "${FOO_PID}" ]', 'start-stop-daemon --stop --pidfile ${FOO_PID}', plain],
    ['a signal beside', force, 'start-stop-daemon --stop --pidfile=${pidfile} --signal INT', plain],
    ['a schedule read from a variable', force, 'start-stop-daemon --stop --pidfile=${pidfile} --retry ${R}', plain],
  ])('refused: %s', (_what, cond, a, b) => {
    expect(refusal(script(cond, a, b)).reason).toMatch(/stop\(\) runs 2 commands that stop or signal processes/);
  });

  test("refused: a test of OpenRC's own state (lxd's RC_CMD), said so", () => {
    expect(refusal(script('[ "${RC_CMD}" = restart ]', kill, plain)).reason).toMatch(
      /^custom start\(\)\/stop\(\): stop\(\) chooses how to stop the daemon by `if \[ "\$\{RC_CMD\}" = restart \]; then`, which reads OpenRC's state when the service stops \(RC_CMD\)/,
    );
  });

  test('refused: a variable of the test that a function sets', () => {
    const t = script(force, kill, plain).replace('stop() {', 'start_pre() {\n\tFOO_FORCE=1\n}\nstop() {');
    expect(refusal(t).reason).toMatch(/stop\(\) runs 2 commands/);
  });

  test('refused: another step in a branch', () => {
    const t = script(force, kill, plain).replace(`\t\t${plain}\n`, `\t\t${plain}\n\t\trm -f /run/foo.sock\n`);
    expect(refusal(t).reason).toMatch(/stop\(\) runs 2 commands/);
  });
});
