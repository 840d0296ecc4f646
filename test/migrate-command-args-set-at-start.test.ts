import { migrateLoaded } from '../src/migrate/migrate.js';
import { initParser } from '../src/parse/parser.js';
import { loaded } from './helpers/loaded.js';
import { sh } from './steps/helpers.js';

beforeAll(() => initParser());

// Our own scripts, shaped like Gentoo's tpm-emulator and Alpine's clsync: command_args is set
// only inside a function that runs when the service starts (start() before default_start, or
// start_pre()), beside command_background=yes at the top.
const script = (opts: { svc?: string; command?: string; top?: string[]; start?: string[]; extra?: string[] } = {}) =>
  sh(
    '#!/sbin/openrc-run',
    'extra_started_commands="clear"',
    `command="${opts.command ?? '/usr/sbin/exampled'}"`,
    'my_command_args="-c /etc/exampled.conf"',
    ...(opts.top ?? ['command_background=1']),
    'pidfile="/run/${RC_SVCNAME}.pid"',
    '',
    'start_pre() {',
    '\tservice_set_value MODE "${MODE}"',
    '}',
    '',
    ...(opts.start ?? [
      'start() {',
      '\tcommand_args="${my_command_args} $(service_get_value MODE)"',
      '\tdefault_start',
      '}',
    ]),
    '',
    'clear() {',
    '\tservice_set_value MODE clear',
    '\tstop',
    '\tstart',
    '}',
    ...(opts.extra ?? []),
  );

const run = (initd: string, svc = 'exampled', confd: string | null = 'MODE="save"\n') =>
  migrateLoaded(loaded({ svc, initdIn: initd, confdIn: confd }));

const after = (r: ReturnType<typeof run>, svc = 'exampled') =>
  r.changes.find((c) => c.path === `etc/init.d/${svc}`)!.after as string;

test('command_args set in start() beside command_background=yes: migrated, the words left to start()', () => {
  const r = run(script());
  expect(r.plan.kind).toBe('migrate');
  if (r.plan.kind !== 'migrate') return;
  const text = after(r);
  expect(text).toContain('supervisor="supervise-daemon"\n');
  // Nothing appended after words rc-supervise cannot read, and start() is kept as it is.
  expect(text).not.toMatch(/command_args_(foreground|background)=/);
  expect(text).toContain(
    'start() {\n\tcommand_args="${my_command_args} $(service_get_value MODE)"\n\tdefault_start\n}',
  );
  // A pid file option among those words must not name the supervisor's pid file.
  expect(text).toContain(
    'if [ "${supervisor}" = supervise-daemon ]; then pidfile="/run/supervise-${RC_SVCNAME}.pid"; fi',
  );
  expect(r.plan.evidence.map((e) => e.detail).join('\n')).toContain('command_background=yes');
  expect(r.plan.notes.join('\n')).toContain('command_args is set only when the service starts, by start()');
});

test('command_args set in start_pre() beside command_background=yes: migrated', () => {
  const initd = script({
    start: ['start_pre() {', '\tcommand_args="--config-file /etc/x.conf $command_args"', '}'],
  }).replace('start_pre() {\n\tservice_set_value MODE "${MODE}"\n}\n', '');
  const r = run(initd);
  expect(r.plan.kind).toBe('migrate');
  if (r.plan.kind !== 'migrate') return;
  expect(r.plan.notes.join('\n')).toContain('by start_pre()');
});

test.each([
  [
    'no command_background: the words decide whether the daemon forks',
    script({ top: [], command: '/usr/sbin/ser2net' }),
    'ser2net',
    'and the script does not background the daemon (no command_background=yes)',
  ],
  [
    'the words read ${pidfile}',
    script({
      start: ['start() {', '\tcommand_args="${my_command_args} -p ${pidfile}"', '\tdefault_start', '}'],
    }),
    'exampled',
    // The pidfile step refuses first: start() reads the pid file the supervisor would take.
    'start() reads pidfile, so the supervisor cannot simply be given another one',
  ],
  [
    'a function the substitution runs reads ${pidfile}',
    script({
      start: ['start() {', '\tcommand_args="$(my_args)"', '\tdefault_start', '}'],
      extra: ['', 'my_args() {', '\techo "-p ${pidfile}"', '}'],
    }),
    'exampled',
    'my_args() reads pidfile, so the supervisor cannot simply be given another one',
  ],
  [
    'no command_background, and the words pass ${pidfile} (lsyncd)',
    sh(
      '#!/sbin/openrc-run',
      'command=/usr/bin/lsyncd',
      'pidfile=/run/lsyncd/${SVCNAME}.pid',
      '',
      'start_pre() {',
      '\tcheckpath --directory ${pidfile%/*}',
      '\tcommand_args="/etc/lsyncd/${SVCNAME}.lua -pidfile $pidfile $command_args"',
      '}',
    ),
    'lsyncd',
    "the script does not background the daemon (no command_background=yes), so those words decide whether it forks or writes a pid file, and they cannot be read before it starts; those words read ${pidfile}, which would name the supervisor's own pid file under supervise-daemon",
  ],
  [
    'command_args_foreground is appended after them',
    script({ top: ['command_background=1', 'command_args_foreground="-n"'] }),
    'exampled',
    'command_args_foreground is set too, and OpenRC appends it after those words',
  ],
  [
    "the rule's foreground word is not among them (tpmd needs -f)",
    script({ command: '/usr/bin/tpmd' }),
    'tpm-emulator',
    'do not show -f, which keeps tpmd in the foreground (rule tpmd)',
  ],
])('left refused: %s', (_what, initd, svc, reason) => {
  const r = run(initd, svc);
  expect(r.plan.kind).toBe('refuse');
  if (r.plan.kind !== 'refuse') return;
  expect(r.plan.code).toBe('dynamic');
  expect(r.plan.reason).toContain(reason);
});

test("tpmd's -f among the static words start() sets: migrated, the rule's word as evidence", () => {
  const initd = script({ command: '/usr/bin/tpmd' }).replace(
    'my_command_args="-c /etc/exampled.conf"',
    'my_command_args="-f"',
  );
  const r = run(initd, 'tpm-emulator');
  expect(r.plan.kind).toBe('migrate');
  if (r.plan.kind !== 'migrate') return;
  expect(after(r, 'tpm-emulator')).not.toMatch(/command_args_foreground=/);
  expect(r.plan.evidence.map((e) => e.detail).join('\n')).toContain(
    'knowledge base tpmd: -f, which the words start() sets already hold',
  );
});

test('a daemon with a pid file option still gives the supervisor its own pid file (ser2net: -P)', () => {
  // ser2net's entry says it writes no pid file unless -P tells it: with command_background=yes
  // and static words that settles it, but the words set at start may hold -P.
  const initd = script({ command: '/usr/sbin/ser2net' }).replace(
    'my_command_args="-c /etc/exampled.conf"',
    'my_command_args="-n -c /etc/ser2net.conf"',
  );
  const r = run(initd, 'ser2net');
  expect(r.plan.kind).toBe('migrate');
  if (r.plan.kind !== 'migrate') return;
  expect(after(r, 'ser2net')).toContain('pidfile="/run/supervise-${RC_SVCNAME}.pid"');
});
