import { applyEdits, OverlappingEditsError } from '../src/edit/edits.js';
import { parseOptions } from '../src/model/options.js';
import { Service } from '../src/model/service.js';
import { initParser } from '../src/parse/parser.js';
import { ShellFile } from '../src/parse/shellfile.js';
import { evalWords, evalWordsWith, expandStatic, splitValue } from '../src/parse/words.js';
import { service, sh } from './steps/helpers.js';

beforeAll(() => initParser());

describe('ShellFile', () => {
  const src = [
    '#!/sbin/openrc-run',
    ': ${SSHD_CONFDIR:=${RC_PREFIX%/}/etc/ssh}',
    'command_args="-p ${pidfile} ${OPTS}" # trailing',
    "pidfile='/run/x.pid'",
    'if [ -n "$X" ]; then supervisor=foo; fi',
    'reload() {',
    '\t# comment in a function',
    '\tstart-stop-daemon --signal HUP \\',
    '\t\t--pidfile "${pidfile}"',
    '}',
    '',
  ].join('\n');

  test('assignments with value spans and quoting', () => {
    const f = new ShellFile('t', src);
    const ca = f.topLevel('command_args')[0];
    expect(src.slice(ca.value.start, ca.value.end)).toBe('"-p ${pidfile} ${OPTS}"');
    expect(ca.value.quote).toBe('double');
    expect(f.topLevel('pidfile')[0].value.quote).toBe('single');
    const d = f.topLevel('SSHD_CONFDIR', 'default')[0];
    expect(d.value.text).toBe('${RC_PREFIX%/}/etc/ssh');
    const sup = f.assignments.find((a) => a.name === 'supervisor')!;
    expect(sup.plain).toBe(false);
    expect(f.errors).toEqual([]);
    expect(f.comments.length).toBe(3);
  });

  test('commands in functions, words across line continuations', () => {
    const f = new ShellFile('t', src);
    const ssd = f.commands.find((c) => c.name === 'start-stop-daemon')!;
    expect(ssd.fn).toBe('reload');
    expect(ssd.words.map((w) => w.text)).toEqual(['start-stop-daemon', '--signal', 'HUP', '--pidfile', '"${pidfile}"']);
    expect(f.lineCol(ssd.words[3].start)).toEqual({ line: 9, col: 3 });
  });

  // tree-sitter-bash splits `$A/$B.pid` after the second `$` (dbmail's scripts): one word for sh.
  test('a word the grammar splits in two (`$A/$B.pid`) is one word, with its span', () => {
    const f = new ShellFile('x', 'start() {\n\tssd --pidfile $D/$P.pid -- -p $D/$P.$X "$D/$P" x$D/$P\n}\n');
    const words = f.commands[0].words;
    expect(words.map((w) => w.text)).toEqual([
      'ssd',
      '--pidfile',
      '$D/$P.pid',
      '--',
      '-p',
      '$D/$P.$X',
      '"$D/$P"',
      'x$D/$P',
    ]);
    for (const w of words) expect(f.text.slice(w.start, w.end)).toBe(w.text);
  });

  test('empty and comment-only files parse', () => {
    expect(new ShellFile('e', '').errors).toEqual([]);
    expect(new ShellFile('c', '# only a comment\n').errors).toEqual([]);
  });

  test('syntax errors carry line:col', () => {
    const f = new ShellFile('b', '#!/sbin/openrc-run\nif true; then\n');
    expect(f.errors.length).toBeGreaterThan(0);
    expect(f.errors[0].line).toBeGreaterThanOrEqual(2);
  });

  // bitlbee's stop(): `local pidfile=` and then, under a condition, `pidfile="--pidfile …"`.
  test('an assignment after `local NAME` in the same function sets that local', () => {
    const f = new ShellFile(
      'l',
      sh(
        'stop() {',
        '\tlocal pidfile=',
        '\tlocal a b=1',
        '\tyesno x || pidfile="--pidfile ${PIDFILE}"',
        '\tb=2; c=3',
        '}',
        'other() {',
        '\tpidfile=/run/x.pid',
        '}',
      ),
    );
    expect(f.locals.map((l) => `${l.fn}:${l.name}`)).toEqual(['stop:pidfile', 'stop:a', 'stop:b']);
    const sets = (name: string, fn: string) => f.assignments.filter((a) => a.name === name && a.fn === fn);
    expect(sets('pidfile', 'stop').map((a) => f.setsLocal(a))).toEqual([true, true]);
    expect(sets('b', 'stop').map((a) => f.setsLocal(a))).toEqual([true, true]);
    expect(sets('c', 'stop').map((a) => f.setsLocal(a))).toEqual([false]);
    // Another function's assignment of the name is not that local.
    expect(sets('pidfile', 'other').map((a) => f.setsLocal(a))).toEqual([false]);
  });

  test("a function setting a name it declared local does not make OpenRC's variable unknown", () => {
    const body = (decl: string) =>
      sh(
        '#!/sbin/openrc-run',
        'PIDFILE=/run/foo.pid',
        'stop() {',
        `\t${decl}`,
        '\tyesno x || pidfile="--pidfile ${PIDFILE}"',
        '\tstart-stop-daemon --stop ${pidfile}',
        '}',
      );
    expect(service(body('local pidfile=')).value('pidfile')).toBeUndefined();
    expect(service(body('local pidfile')).value('pidfile')).toBeUndefined();
    // Without the declaration the function sets the global one: unknown, never empty.
    expect(service(body(':')).value('pidfile')).toBeNull();
  });

  test("a function defined only outside OpenRC (baselayout-1's RC_VERSION test) is not one of the script's", () => {
    const text = (cond: string, more = '') =>
      sh(
        '#!/sbin/openrc-run',
        'command=/usr/sbin/food',
        `if ${cond}; then`,
        '\tstart() {',
        '\t\teerror "This script cannot be used for baselayout-1."',
        '\t\treturn 1',
        '\t}',
        ...(more ? [more] : []),
        'fi',
      );
    for (const cond of ['[ "${RC_VERSION:-0}" = "0" ]', '[ "${RC_VERSION:-0}" = 0 ]', '[ -z "$RC_VERSION" ]']) {
      const f = new ShellFile('t', text(cond));
      expect(f.functions.map((x) => x.name)).toEqual([]);
      expect(f.baselayout1Functions.map((x) => x.name)).toEqual(['start']);
      expect(f.commands.find((c) => c.name === 'eerror')?.fn).toBe('start (baselayout-1 only)');
      expect(service(text(cond)).defines('start')).toBe(false);
    }
    // Any other test may be true under OpenRC: the function is the script's.
    for (const cond of ['[ -n "$RC_VERSION" ]', '[ "${RC_VERSION:-0}" = "1" ]', '[ -z "$FOO" ]'])
      expect(new ShellFile('t', text(cond)).functions.map((x) => x.name)).toEqual(['start']);
    // A function in the else branch is the one OpenRC defines.
    const withElse = new ShellFile('t', text('[ -z "$RC_VERSION" ]', 'else\n\tstop() { :; }'));
    expect(withElse.functions.map((x) => x.name)).toEqual(['stop']);
  });

  test('CRLF is detected', () => {
    expect(new ShellFile('c', 'a=1\r\nb=2\r\n').eol).toBe('\r\n');
  });
});

describe('words', () => {
  test('splitValue keeps spans and groups escaped quotes', () => {
    const text = 'x="-c \\"${A} b\\" ${OPTS} -p ${pidfile}"';
    const f = new ShellFile('t', text);
    const a = f.topLevel('x')[0];
    const t = splitValue(a.value.text, a.value.start, a.value.quote)!;
    expect(t.map((x) => x.text)).toEqual(['-c', '\\"${A} b\\"', '${OPTS}', '-p', '${pidfile}']);
    for (const tok of t) expect(text.slice(tok.start, tok.end)).toBe(tok.text);
  });

  // OpenRC's eval parses a single-quoted command_args as shell: an expansion with a blank in
  // it is one word there, as in a double-quoted one (it was split, and half of it moved).
  test('splitValue: an expansion in a single-quoted value is one word', () => {
    for (const q of ["'", '"']) {
      const text = `x=${q}\${A:=-p \${pidfile}} -v \$(cat f g) \`a b\`${q}`;
      const f = new ShellFile('t', text);
      const a = f.topLevel('x')[0];
      const t = splitValue(a.value.text, a.value.start, a.value.quote)!;
      expect(t.map((x) => x.text)).toEqual(['${A:=-p ${pidfile}}', '-v', '$(cat f g)', '`a b`']);
      for (const tok of t) expect(text.slice(tok.start, tok.end)).toBe(tok.text);
    }
  });

  test('expandStatic resolves defaults, refuses command substitution', () => {
    const env = new Map([['A', 'x']]);
    const look = (n: string) => env.get(n);
    expect(expandStatic('"${A:-y} ${B:-z}"', look)).toBe('x z');
    expect(expandStatic('${B-"--wait 1000"}', look)).toBe('--wait 1000');
    expect(expandStatic('$(cat f)', look)).toBeNull();
    expect(evalWords('--user "a b" -d x')).toEqual(['--user', 'a b', '-d', 'x']);
  });

  // Expected values from POSIX (XCU 2.6.2, Parameter Expansion: smallest/largest prefix or
  // suffix pattern), as dash and bash print them for these words.
  test.each([
    ['${N%%.*}', 'owserver.x.y', 'owserver'],
    ['${N%.*}', 'owserver.x.y', 'owserver.x'],
    ['${N#*.}', 'owserver.x.y', 'x.y'],
    ['${N##*.}', 'owserver.x.y', 'y'],
    ['${N#*-}', 'kannel-bearerbox', 'bearerbox'],
    ['${N#*.}', 'shadowsocks-rust', 'shadowsocks-rust'],
    ['${N%?}', 'abc', 'ab'],
    ['${N##*}', 'abc', ''],
    ['${N#net.}', 'net.eth0', 'eth0'],
    ['${N%(1)}', 'x+y(1)', 'x+y'],
  ])('expandStatic %s with N=%s is %s', (word, n, want) => {
    expect(expandStatic(word, (x) => (x === 'N' ? n : undefined))).toBe(want);
  });

  test.each(['${N#[a-z]*}', '${N%"x"}', '${N#$P}', '${N#\\*}'])(
    'expandStatic %s: a pattern that needs a shell is unknown',
    (word) => {
      expect(expandStatic(word, (x) => (x === 'N' ? 'abc' : 'a'))).toBeNull();
    },
  );

  // Expected words from dash: T='<value>'; eval "set -- $T" with A='x y', B='$(id) "q"', E=''.
  test.each([
    ['${A} -f', ['x', 'y', '-f']],
    ['"${A}" -f', ['x y', '-f']],
    ['pre${A}post', ['prex', 'ypost']],
    ['--tag "${B}" ${B}', ['--tag', '$(id) "q"', '$(id)', '"q"']],
    ['${E} z', ['z']],
    ['${U} w', ['w']],
    ["'${A}'", ['${A}']],
    ['-c "exec ${A} >> /l 2>&1"', ['-c', 'exec x y >> /l 2>&1']],
  ])("evalWordsWith %s: the words OpenRC's eval makes", (value, want) => {
    const env: Record<string, string> = { A: 'x y', B: '$(id) "q"', E: '' };
    expect(evalWordsWith(value, (n) => env[n])).toEqual(want);
  });

  test('evalWordsWith: an unknown reference, or one that is not a plain name, is unknown', () => {
    expect(evalWordsWith('${N} -f', (n) => (n === 'N' ? null : undefined))).toBeNull();
    expect(evalWordsWith('${A:-d}', () => 'x')).toBeNull();
  });

  test('Service.words: a reference command_args keeps for start time is read with conf.d, a start_pre() one is unknown', () => {
    const s = service(
      sh(
        '#!/sbin/openrc-run',
        'command_args="--tag \\"\\${FOO_TAG}\\" \\${opts}"',
        'start_pre() {',
        '\topts="-v"',
        '}',
      ),
      "FOO_TAG='a b'\n",
    );
    expect(s.value('command_args')).toBe('--tag "${FOO_TAG}" ${opts}');
    expect(s.words('command_args')).toBeNull();
    const t = service(sh('#!/sbin/openrc-run', 'command_args="--tag \\"\\${FOO_TAG}\\" -v"'), "FOO_TAG='a b'\n");
    expect(t.words('command_args')).toEqual(['--tag', 'a b', '-v']);
  });

  test('expandStatic: a variable known only as unknown (null) makes the word unknown, never empty', () => {
    const env = new Map<string, string | null>([
      ['A', 'x'],
      ['DYN', null],
    ]);
    const look = (n: string) => env.get(n);
    for (const w of ['$DYN', '${DYN}', '"-p ${DYN}"', '${DYN:-y}', '${DYN-y}', '${DYN:+y}', '${DYN%/}', '${B:-$DYN}'])
      expect(expandStatic(w, look)).toBeNull();
    // Unset (undefined) is empty in the shell, and a default that is not needed is not read.
    expect(expandStatic('"-p ${UNSET}"', look)).toBe('-p ');
    expect(expandStatic('${A:-$DYN}x', look)).toBe('xx');
  });

  test('Service.expand: a word reading a variable computed at run time is unknown, not empty', () => {
    const s = service(sh('#!/sbin/openrc-run', 'RUNDIR=$(get_rundir)', 'NAME=foo', 'command=/usr/bin/foo'));
    expect(s.value('RUNDIR')).toBeNull();
    expect(s.expand('${RUNDIR}/${NAME}.pid')).toBeNull();
    expect(s.expand('/run/${NAME}.pid')).toBe('/run/foo.pid');
    expect(s.expand('/run/${UNSET}x.pid')).toBe('/run/x.pid');
  });
});

describe('start-stop-daemon options', () => {
  test('long, short, joined and = forms', () => {
    const p = parseOptions(['--signal=HUP', '-p', '/run/x.pid', '-sUSR1', '-bm', '--exec', '/bin/x', '--', '-a']);
    expect(p.options.map((o) => [o.spec.long, o.value])).toEqual([
      ['signal', 'HUP'],
      ['pidfile', '/run/x.pid'],
      ['signal', 'USR1'],
      ['background', undefined],
      ['make-pidfile', undefined],
      ['exec', '/bin/x'],
    ]);
    expect(p.operandsAt).toBe(8);
  });

  test('service model classifies s-s-d calls', () => {
    const f = new ShellFile(
      'i',
      '#!/sbin/openrc-run\ncommand=/bin/x\nreload() { start-stop-daemon -s HUP -x /bin/x; }\nrotate() { start-stop-daemon --stop --signal USR2 --pidfile /p; }\nst() { start-stop-daemon --start --exec /bin/x; }\n',
    );
    const s = new Service('x', f, null);
    expect(s.ssdCalls.map((c) => [c.cmd.fn, c.kind, c.signal])).toEqual([
      ['reload', 'signal', 'HUP'],
      ['rotate', 'signal', 'USR2'],
      ['st', 'start', undefined],
    ]);
    expect(s.supervisor).toMatchObject({ value: 'start-stop-daemon', where: 'default', confdCanDecide: true });
  });

  test("s-s-d calls are read with getopt_long's abbreviations (gross's --pid is --pidfile)", () => {
    const f = new ShellFile(
      'i',
      '#!/sbin/openrc-run\nstart() {\n\tstart-stop-daemon --start --name grossd --pid "${P}" --exec /usr/sbin/grossd -- -P ${P}\n}\n',
    );
    const [call] = new Service('grossd', f, null).ssdCalls;
    expect(call.kind).toBe('start');
    expect(call.parsed.options.map((o) => [o.spec.long, o.value])).toEqual([
      ['start', undefined],
      ['name', 'grossd'],
      ['pidfile', '${P}'],
      ['exec', '/usr/sbin/grossd'],
    ]);
    expect(call.args.slice(call.parsed.operandsAt)).toEqual(['-P', '${P}']);
  });

  test('supervisor from conf.d vs a plain init.d override', () => {
    const confd = new ShellFile('c', 'supervisor=supervise-daemon\n');
    const lets = new Service(
      'x',
      new ShellFile('i', '#!/sbin/openrc-run\nsupervisor=${supervisor:-start-stop-daemon}\n'),
      confd,
    );
    expect(lets.supervisor).toMatchObject({ value: 'supervise-daemon', confdCanDecide: true });
    const overrides = new Service('x', new ShellFile('i', '#!/sbin/openrc-run\nsupervisor=start-stop-daemon\n'), confd);
    expect(overrides.supervisor).toMatchObject({ value: 'start-stop-daemon', where: 'init.d', confdCanDecide: false });
  });
});

describe('edits', () => {
  test('apply in order; overlapping edits are an error', () => {
    const e = (start: number, end: number, text: string) => ({ file: 'f', start, end, text });
    expect(applyEdits('abcdef', [e(4, 5, 'E'), e(0, 1, 'A'), e(2, 2, '+')])).toBe('Ab+cdEf');
    expect(() => applyEdits('abcdef', [e(0, 3, ''), e(2, 4, '')])).toThrow(OverlappingEditsError);
  });
});

describe('signal calls through the pidfile', () => {
  const svc = (body: string) =>
    new Service('x', new ShellFile('i', `#!/sbin/openrc-run\ncommand=/bin/x\npidfile=/run/x.pid\n${body}\n`), null);

  test.each([
    ['kill -HUP $(cat "$pidfile")', 'HUP', 'kill'],
    ['kill -s USR1 "$(cat ${pidfile})"', 'USR1', 'kill'],
    ['kill -1 `cat /run/x.pid`', '1', 'kill'],
    ['pkill -HUP -F "$pidfile"', 'HUP', 'pkill'],
    ['pkill --signal USR2 --pidfile ${pidfile}', 'USR2', 'pkill'],
    ['start-stop-daemon --signal=HUP --pidfile "$pidfile"', 'HUP', 'start-stop-daemon'],
    ['start-stop-daemon -s USR1 -x /bin/x', 'USR1', 'start-stop-daemon'],
  ])('%s', (call, signal, via) => {
    expect(svc(`reload() {\n\t${call}\n}`).signalCalls.map((c) => [c.signal, c.via])).toEqual([[signal, via]]);
  });

  test.each([
    ['kill $(cat "$pidfile")', 'no signal: a stop'],
    ['kill -TERM $(cat "$pidfile")', 'TERM stops'],
    ['kill -HUP $(cat /run/other.pid)', 'another pidfile'],
    ['start-stop-daemon --stop --pidfile "$pidfile"', 'a stop'],
  ])('%s is not a signal call (%s)', (call) => {
    expect(svc(`reload() {\n\t${call}\n}`).signalCalls).toEqual([]);
  });
});
