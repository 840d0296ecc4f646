import { initParser } from '../../src/parse/parser.js';
import { blockPosition, HEADER, insertBlock, placeRelocation, referencedVars, samePath } from '../../src/steps/emit.js';
import { applied, service, sh } from './helpers.js';

beforeAll(() => initParser());

/** The offset just after the line that ends with `line`. */
const after = (text: string, line: string) => text.indexOf(line + '\n') + line.length + 1;

test('referencedVars: $X, ${X}, ${X:-default}, in order, repeats kept', () => {
  expect(referencedVars('command_args="-p ${PIDFILE} $FOO ${BAR:-x} $FOO"')).toEqual(['PIDFILE', 'FOO', 'BAR', 'FOO']);
  expect(referencedVars('no variables, $ alone, $1')).toEqual([]);
});

describe('blockPosition', () => {
  // cmsd sources /etc/conf.d/xrootd for XROOTD_CONF: lines reading it above the `.` would
  // expand it to nothing.
  test('below a file sourced at the top when the lines read a variable no top-level line sets', () => {
    const t = sh('#!/sbin/openrc-run', '# c', '', '. /etc/conf.d/shared', '', 'depend() {', '\tneed net', '}');
    const src = after(t, '. /etc/conf.d/shared');
    expect(blockPosition(service(t), ['command_args="-c ${SHARED_CONF}"'])).toEqual({ at: src, afterAnchor: true });
    // Variables of the service's own name or set at the top keep the usual place.
    expect(blockPosition(service(t), ['command=/usr/bin/${RC_SVCNAME}']).at).toBe(after(t, '# c') + 1);
    const set = sh('#!/sbin/openrc-run', 'C=/etc/x', '. /etc/conf.d/shared', 'pidfile=/run/x.pid');
    expect(blockPosition(service(set), ['command_args="-c ${C}"']).at).toBe(after(set, 'pidfile=/run/x.pid'));
  });

  // logstash: `retry="30"` below command and pidfile; a line of ours that sets retry as stop()
  // chose must follow it, or the script's own line would win.
  test("a line that sets retry goes below the script's own retry=", () => {
    const t = sh('#!/sbin/openrc-run', 'command=/usr/bin/foo', 'pidfile=/run/foo.pid', 'retry="30"', 'X=1');
    const line = 'if [ "${FOO_FORCE}" = "1" ]; then retry=TERM/5/KILL/5; fi';
    expect(blockPosition(service(t), [line]).at).toBe(after(t, 'retry="30"'));
    expect(blockPosition(service(t), ['supervisor="supervise-daemon"']).at).toBe(after(t, 'command=/usr/bin/foo'));
  });

  test('after command_args, else command, else pidfile', () => {
    const all = sh('#!/sbin/openrc-run', 'command=/usr/bin/foo', 'command_args="-v"', 'pidfile=/run/foo.pid');
    expect(blockPosition(service(all))).toEqual({ at: after(all, 'command_args="-v"'), afterAnchor: true });
    const cmd = sh('#!/sbin/openrc-run', 'pidfile=/run/foo.pid', 'command=/usr/bin/foo', 'name=foo');
    expect(blockPosition(service(cmd)).at).toBe(after(cmd, 'command=/usr/bin/foo'));
    const pid = sh('#!/sbin/openrc-run', 'pidfile=/run/foo.pid', 'name=foo');
    expect(blockPosition(service(pid)).at).toBe(after(pid, 'pidfile=/run/foo.pid'));
  });

  test('the last plain assignment is the anchor; one inside a condition is not', () => {
    const t = sh(
      '#!/sbin/openrc-run',
      'command_args="-v"',
      'command_args="${command_args} -x"',
      'if [ -n "$D" ]; then command_args="-d"; fi',
      'name=foo',
    );
    expect(blockPosition(service(t)).at).toBe(after(t, 'command_args="${command_args} -x"'));
  });

  test('after a top-level if/fi that sets a variable the lines read, not inside it', () => {
    const t = sh(
      '#!/sbin/openrc-run',
      'command=/usr/bin/foo',
      'if [ -n "${FOO_DEBUG}" ]; then',
      '\tFOO_OPTS="-v"',
      'else',
      '\tFOO_OPTS=""',
      'fi',
      '',
      'depend() {',
      '\tneed net',
      '}',
    );
    const s = service(t);
    expect(blockPosition(s, ['command_args="${FOO_OPTS}"'])).toEqual({ at: after(t, 'fi'), afterAnchor: true });
    // Lines that do not read FOO_OPTS stay after the anchor.
    expect(blockPosition(s, ['command_args_foreground="-f"']).at).toBe(after(t, 'command=/usr/bin/foo'));
  });

  test('a variable set in a function is not a reason to move (functions run later)', () => {
    const t = sh('#!/sbin/openrc-run', 'command=/usr/bin/foo', 'start_pre() {', '\tFOO_OPTS=-v', '}');
    expect(blockPosition(service(t), ['command_args="${FOO_OPTS}"']).at).toBe(after(t, 'command=/usr/bin/foo'));
  });

  test('no anchor: after the shebang, its comment block and blank lines', () => {
    const t = sh(
      '#!/sbin/openrc-run',
      '# Copyright foo',
      '# Distributed under the terms of the GPL',
      '',
      'depend() {',
      '\tneed net',
      '}',
    );
    expect(blockPosition(service(t))).toEqual({ at: t.indexOf('depend()'), afterAnchor: false });
  });
});

describe('insertBlock', () => {
  test('after the anchor: the header and the lines', () => {
    const t = sh('#!/sbin/openrc-run', 'command=/usr/bin/foo', '', 'depend() {', '\tneed net', '}');
    const s = service(t);
    const e = insertBlock(s, 'etc/init.d/foo', ['supervisor="supervise-daemon"', 'command_args_foreground="-f"']);
    expect(applied(s, [e])).toBe(
      sh(
        '#!/sbin/openrc-run',
        'command=/usr/bin/foo',
        HEADER,
        'supervisor="supervise-daemon"',
        'command_args_foreground="-f"',
        '',
        'depend() {',
        '\tneed net',
        '}',
      ),
    );
  });

  test('without an anchor: a blank line after the block, before the code', () => {
    const t = sh('#!/sbin/openrc-run', '# a comment', '', 'depend() {', '\tneed net', '}');
    const s = service(t);
    expect(applied(s, [insertBlock(s, 'etc/init.d/foo', ['supervisor="supervise-daemon"'])])).toBe(
      sh(
        '#!/sbin/openrc-run',
        '# a comment',
        '',
        HEADER,
        'supervisor="supervise-daemon"',
        '',
        'depend() {',
        '\tneed net',
        '}',
      ),
    );
  });

  test('CRLF files get CRLF lines; a missing final newline is added first', () => {
    const crlf = '#!/sbin/openrc-run\r\ncommand=/usr/bin/foo\r\n';
    const s = service(crlf);
    expect(applied(s, [insertBlock(s, 'etc/init.d/foo', ['a=1'], false)])).toBe(crlf + 'a=1\r\n');
    const open = service('#!/sbin/openrc-run\ncommand=/usr/bin/foo');
    expect(applied(open, [insertBlock(open, 'etc/init.d/foo', ['a=1'], false)])).toBe(
      '#!/sbin/openrc-run\ncommand=/usr/bin/foo\na=1\n',
    );
  });
});

test('samePath: /var/run is /run', () => {
  expect(samePath('/var/run/foo.pid', '/run/foo.pid')).toBe(true);
  expect(samePath('/run/foo.pid', '/run/bar.pid')).toBe(false);
});

// ckb-daemon: the block moved below a sourced file, under the script's pidfile=; the
// supervisor's own pid file line must follow supervisor= in the block, not precede it.
test('placeRelocation: in the block when the block lands below the last pidfile=, else its own edit there', () => {
  const guard = ['if [ "${supervisor}" = supervise-daemon ]; then pidfile="/run/supervise-${RC_SVCNAME}.pid"; fi'];
  const text = sh('#!/sbin/openrc-run', 'pidfile=/run/foo.pid', '. /etc/foo/env', 'start_pre() {', '\t:', '}');
  const s = service(text);
  const at = s.initd.lineEnd(text.indexOf('pidfile='));
  const inBlock = placeRelocation(s, 'etc/init.d/foo', { at, lines: guard }, ['command_args="${FOO_OPTS}"']);
  expect(inBlock).toEqual({ lines: guard });
  const below = sh('#!/sbin/openrc-run', 'command=/usr/bin/foo', '', 'depend() {', '\t:', '}', 'pidfile=/run/foo.pid');
  const s2 = service(below);
  const own = placeRelocation(s2, 'etc/init.d/foo', { at: below.length, lines: guard }, []);
  expect(own.lines).toEqual([]);
  expect(own.edit?.start).toBe(below.length);
});
