import { migrateLoaded } from '../src/migrate/migrate.js';
import { initParser } from '../src/parse/parser.js';
import { loaded } from './helpers/loaded.js';
import { sh } from './steps/helpers.js';

beforeAll(() => initParser());

// Our own script, shaped like Gentoo's ser2net: a function start() calls builds command_args from
// conf.d's variables, the launch passes `${command_args}` and the pid file option, and stop()
// and reload() select the daemon through a variable of start-stop-daemon options set at the top.
const build = [
  'build_args() {',
  '\tcommand_args="${EXTRA_OPTS}"',
  '\t[ -n "${CONTROL_PORT}" ] && command_args="${command_args} -p ${CONTROL_PORT}"',
  '\t[ -f /etc/ser2net.conf ] || return 1',
  '}',
];
const script = (fn: string[] = build, launchTail = '-P "${pidfile}"') =>
  sh(
    '#!/sbin/openrc-run',
    'pidfile="/run/${RC_SVCNAME}.pid"',
    'command="/usr/sbin/ser2net"',
    'ssd_opts="--exec ${command} --pidfile ${pidfile}"',
    'extra_started_commands="reload"',
    '',
    ...fn,
    '',
    'start() {',
    '\tbuild_args || return $?',
    '\tebegin "Starting ser2net"',
    `\tstart-stop-daemon --start \${ssd_opts} -- \${command_args} ${launchTail}`,
    '\teend $?',
    '}',
    '',
    'stop() {',
    '\tebegin "Stopping ser2net"',
    '\tstart-stop-daemon --stop ${ssd_opts}',
    '\teend $?',
    '}',
    '',
    'reload() {',
    '\tebegin "Reloading ser2net"',
    '\tstart-stop-daemon --signal HUP ${ssd_opts}',
    '\teend $?',
    '}',
  );

const run = (initd: string, confd: string | null = null) =>
  migrateLoaded(loaded({ svc: 'ser2net', initdIn: initd, confdIn: confd }));

test('command_args built by a function start() calls is left to it, in start_pre()', () => {
  const r = run(script());
  expect(r.plan.kind).toBe('migrate');
  if (r.plan.kind !== 'migrate') return;
  const after = r.changes.find((c) => c.path === 'etc/init.d/ser2net')!.after;
  expect(after).toContain('start_pre() {\n\tbuild_args || return $?\n');
  // No command_args line: it would only be replaced by build_args() at start.
  expect(after).not.toMatch(/^command_args=/m);
  expect(after).toContain('command_args_background="-P \\"${pidfile}\\""\n');
  expect(after).toContain('command_args_foreground="-n"\n');
  expect(after).toContain('supervisor="supervise-daemon"\n');
  // stop()'s `${ssd_opts}` is read as its options: the supervisor's stop replaces it.
  expect(after).not.toMatch(/^stop\(\)/m);
  expect(after).toContain('${supervisor} ${RC_SVCNAME} --signal HUP');
  expect(r.plan.notes.join('\n')).toContain('command_args is still built by build_args(), now called from start_pre()');
});

test.each([
  [
    "conf.d's variable holds the pid file option",
    script(),
    'EXTRA_OPTS="-P /tmp/other.pid"',
    'it reads ${EXTRA_OPTS}, whose value holds -P, a daemonize or pid file option',
  ],
  [
    'the function adds the pid file option itself',
    script([...build.slice(0, 2), '\tcommand_args="${command_args} -P /tmp/x.pid"', ...build.slice(2)]),
    null,
    'it adds -P, which the daemon takes as a daemonize or pid file option',
  ],
  [
    'a value OpenRC\u2019s eval would read as shell',
    script(),
    'EXTRA_OPTS="-C 2000;id"',
    'it reads ${EXTRA_OPTS}, whose value "-C 2000;id" OpenRC\'s eval would read as shell',
  ],
])('refused when %s', (_what, initd, confd, why) => {
  const r = run(initd, confd);
  expect(r.plan.kind).toBe('refuse');
  if (r.plan.kind !== 'refuse') return;
  expect(r.plan.reason).toContain(
    `the launch reads command_args, which only build_args() sets, when the service starts: build_args() sets command_args, but ${why}`,
  );
});

test('refused when the launch has words besides command_args that stay on the command line', () => {
  const r = run(script(build, '-u -P "${pidfile}"'));
  expect(r.plan.kind).toBe('refuse');
  if (r.plan.kind !== 'refuse') return;
  expect(r.plan.reason).toContain(
    'the launch passes ${command_args}, which build_args() builds when the service starts, and other words (-u)',
  );
});

// ttyd's config_check(): `DEV_PTY="/dev/${PTY/\/dev\/}"`, then `command_args="-d ${DEV_PTY} ..."`.
// A pattern operation on conf.d's one-field value, behind a literal: it cannot become an option.
test('a variable the function sets from a pattern operation on a conf.d value is followed', () => {
  const initd = sh(
    '#!/sbin/openrc-run',
    'command="/usr/sbin/ser2net"',
    'build_args() {',
    '\tdev="/dev/${PTY/\\/dev\\/}"',
    '\tcommand_args="-C ${dev}"',
    '}',
    'start() {',
    '\tbuild_args',
    '\tstart-stop-daemon --start --exec ${command} -- ${command_args}',
    '}',
  );
  const ok = run(initd, 'PTY="/dev/ttyS0"');
  expect(ok.plan.kind).toBe('migrate');
  const bad = run(initd, 'PTY="/dev/ttyS0 -P /x"');
  expect(bad.plan.kind).toBe('refuse');
  if (bad.plan.kind === 'refuse') expect(bad.plan.reason).toContain('it reads ${PTY}, whose value "/dev/ttyS0 -P /x"');
});

// Gentoo's termnetd: its per-connection children outlive the supervisor's stop.
test('termnetd is refused by its rule, saying why', () => {
  const r = migrateLoaded(
    loaded({
      svc: 'termnetd',
      initdIn: sh('#!/sbin/openrc-run', 'command="/usr/sbin/termnetd"', 'command_args="-c /etc/termnetd.conf"'),
      confdIn: null,
    }),
  );
  expect(r.plan.kind).toBe('refuse');
  if (r.plan.kind === 'refuse') {
    expect(r.plan.code).toBe('rule');
    expect(r.plan.reason).toContain('termnetd forks a termnetd child for every client connection');
  }
});

// Our own script shaped like Gentoo's ttyd (termpkg): config_check() builds command_args, start()
// runs its set-up steps only when the launch succeeded, stop() cleans up after the stop.
const ttyd = (after: string[]) =>
  sh(
    '#!/sbin/openrc-run',
    'command="/usr/sbin/ttyd"',
    'config_check() {',
    '\tDEV="/dev/${PTY/\\/dev\\/}"',
    '\tcommand_args="-d ${DEV} ${HOST} ${PORT}"',
    '}',
    'start() {',
    '\tconfig_check || return $?',
    '\tebegin "Starting ttyd"',
    '\tstart-stop-daemon --start --exec ${command} -- ${command_args}',
    ...after,
    '}',
    'stop() {',
    '\tconfig_check',
    '\tebegin "Stopping ttyd"',
    '\tstart-stop-daemon --stop --exec ${command}',
    '\teend $?',
    '\trm -f /dev/modem',
    '}',
  );
const confd = 'PTY="/dev/ptyp0"\nHOST="h.example"\nPORT=3000\n';
const runTtyd = (after: string[]) => migrateLoaded(loaded({ svc: 'ttyd', initdIn: ttyd(after), confdIn: confd }));

test('`if eend $?; then …; fi` after the launch of a daemon that forks at once becomes start_post()', () => {
  const r = runTtyd(['\tif eend $?; then', '\t\tchmod 660 /dev/ttyp0', '\t\tln -snf ttyp0 /dev/modem', '\tfi']);
  expect(r.plan.kind).toBe('migrate');
  if (r.plan.kind !== 'migrate') return;
  const after = r.changes.find((c) => c.path === 'etc/init.d/ttyd')!.after;
  expect(after).toContain('start_post() {\n\tchmod 660 /dev/ttyp0\n\tln -snf ttyp0 /dev/modem\n}');
  expect(after).toContain('stop_post() {\n\trm -f /dev/modem\n');
  expect(r.plan.notes.join('\n')).toContain('ttyd-termpkg forks before it does any work (rule ttyd-termpkg)');
});

test('an if with an else after the launch is not taken apart', () => {
  const r = runTtyd(['\tif eend $?; then', '\t\tchmod 660 /dev/ttyp0', '\telse', '\t\techo failed', '\tfi']);
  expect(r.plan.kind).toBe('refuse');
});
