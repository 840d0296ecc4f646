/**
 * A daemonize flag held in a variable that cannot be split, for a daemon whose foreground words
 * win after it (foregroundOverrides): our own script, shaped like Gentoo's exim.rc10, whose
 * start() passes `${EXIM_OPTS:--bd -q30m}` and whose conf.d sets EXIM_OPTS="-bd -q30m". exim's
 * -bdf clears what -bd never sets again (exim.c), and OpenRC's supervise-daemon.sh passes
 * command_args_foreground after command_args, so -bd stays where it is and conf.d is not edited.
 * Judged through Debian's openrc-run.sh (recording stand-ins): start-stop-daemon gets the words
 * it got before, supervise-daemon gets them and then -bdf.
 */
import { migrateLoaded } from '../src/migrate/migrate.js';
import { initParser } from '../src/parse/parser.js';
import { loaded } from './helpers/loaded.js';
import { recordActions } from './helpers/openrc-cmdline.js';
import { sh } from './steps/helpers.js';

beforeAll(() => initParser());

const INITD = sh(
  '#!/sbin/openrc-run',
  '# A mail transfer agent whose daemon options come from conf.d (or the default below), started',
  "# by hand; written for rc-supervise's tests.",
  '',
  'extra_started_commands="reload"',
  '',
  'depend() {',
  '\tneed net',
  '\tprovide mta',
  '}',
  '',
  'start() {',
  '\tebegin "Starting ${SVCNAME}"',
  '\tstart-stop-daemon --start --exec /usr/sbin/exim --pidfile /run/${SVCNAME}.pid -- -C /etc/exim/${SVCNAME}.conf ${EXIM_OPTS:--bd -q30m}',
  '\teend $?',
  '}',
  '',
  'stop() {',
  '\tebegin "Stopping ${SVCNAME}"',
  '\tstart-stop-daemon --stop --pidfile /run/${SVCNAME}.pid --name exim',
  '\teend $?',
  '}',
  '',
  'reload() {',
  '\tebegin "Reloading ${SVCNAME}"',
  '\tstart-stop-daemon --signal HUP --pidfile /run/${SVCNAME}.pid --name exim',
  '\teend $?',
  '}',
);
const CONFD = sh(
  '# Options for the exim daemon (-bd listens for SMTP, -q30m runs the queue every 30 minutes)',
  'EXIM_OPTS="-bd -q30m"',
);

const OUT = sh(
  '#!/sbin/openrc-run',
  '# A mail transfer agent whose daemon options come from conf.d (or the default below), started',
  "# by hand; written for rc-supervise's tests.",
  '',
  '# rc-supervise: run under supervise-daemon, which restarts the daemon if it dies',
  'command=/usr/sbin/exim',
  'command_args="-C /etc/exim/${SVCNAME}.conf \\${EXIM_OPTS:--bd -q30m}"',
  'pidfile=/run/${SVCNAME}.pid',
  'command_args_foreground="-bdf"',
  'supervisor="supervise-daemon"',
  '# exim writes a pid file itself: supervise-daemon needs a pid file of its own',
  'if [ "${supervisor}" = supervise-daemon ]; then pidfile="/run/supervise-${RC_SVCNAME}.pid"; fi',
  '',
  'extra_started_commands="reload"',
  '',
  'depend() {',
  '\tneed net',
  '\tprovide mta',
  '}',
  '',
  'reload() {',
  '\tebegin "Reloading ${SVCNAME}"',
  '\tif [ "${supervisor}" = supervise-daemon ]; then ${supervisor} ${RC_SVCNAME} --signal HUP; else start-stop-daemon --signal HUP --pidfile /run/${SVCNAME}.pid --name exim; fi',
  '\teend $?',
  '}',
);

function migrate(initd: string, confd: string | null) {
  return migrateLoaded(loaded({ svc: 'exim', initdIn: initd, confdIn: confd }));
}

test('-bd stays in the variable, -bdf goes to command_args_foreground, conf.d is not edited; a second run changes nothing', () => {
  const r = migrate(INITD, CONFD);
  expect(r.plan.kind).toBe('migrate');
  expect(r.changes.map((c) => c.path)).toEqual(['etc/init.d/exim']);
  expect(r.changes[0].after).toBe(OUT);
  if (r.plan.kind === 'migrate')
    expect(r.plan.notes).toContain(
      '-bd stays in ${EXIM_OPTS:--bd -q30m}: under supervise-daemon -bdf follows it (OpenRC passes command_args_foreground after command_args), and exim then stays in the foreground (rule exim); start-stop-daemon gets the same words as before. Every value EXIM_OPTS has now holds -bd: if you change it to one without, -bdf still gives exim that daemon mode under supervise-daemon',
    );
  expect(migrate(OUT, CONFD).changes).toEqual([]);
});

test('a conf.d value without -bd (a queue runner only): refused, -bdf would make exim listen', () => {
  const r = migrate(INITD, 'EXIM_OPTS="-q30m"\n');
  expect(r.plan.kind).toBe('refuse');
  expect(r.changes).toEqual([]);
});

// exim's -bdf is -bd kept attached (foregroundNeedsFlag): written-out words without -bd run a
// queue runner alone (exim -q30m), which -bdf would turn into an SMTP listener too.
const LITERAL = (words: string) =>
  sh(
    '#!/sbin/openrc-run',
    '# our own: exim started with written-out words',
    'start() {',
    '\tebegin "Starting exim"',
    `\tstart-stop-daemon --start --exec /usr/sbin/exim --pidfile /run/exim.pid -- ${words}`,
    '\teend $?',
    '}',
    'stop() {',
    '\tstart-stop-daemon --stop --pidfile /run/exim.pid --name exim',
    '}',
  );

test('written-out words without -bd (a queue runner alone): refused, -bdf would add the SMTP listener', () => {
  const r = migrate(LITERAL('-q30m'), null);
  expect(r.plan.kind).toBe('refuse');
  expect(r.changes).toEqual([]);
  if (r.plan.kind === 'refuse') {
    expect(r.plan.code).toBe('rule');
    expect(r.plan.reason).toBe(
      "exim's no-fork word -bdf is -bd kept attached, and starts that mode itself (rule exim); the daemon's arguments (-q30m) pass no -bd: they run exim in another mode, which -bdf would change",
    );
  }
});

test('written-out -bd -q30m: -bd leaves for command_args_background, -bdf is added', () => {
  const r = migrate(LITERAL('-bd -q30m'), null);
  expect(r.plan.kind).toBe('migrate');
  const out = r.changes[0].after;
  expect(out).toContain('command_args="-q30m"\n');
  expect(out).toContain('command_args_background="-bd"\n');
  expect(out).toContain('command_args_foreground="-bdf"\n');
});

test("through OpenRC's own start: start-stop-daemon gets the old words, supervise-daemon those and then -bdf", async () => {
  const actions = ['start', 'reload', 'stop'];
  const before = await recordActions({ svc: 'exim', initd: INITD, confd: CONFD, actions });
  const ssd = await recordActions({
    svc: 'exim',
    initd: OUT.replace('supervisor="supervise-daemon"\n', ''),
    confd: CONFD,
    actions,
  });
  const sd = await recordActions({ svc: 'exim', initd: OUT, confd: CONFD, actions });
  for (const r of [...before, ...ssd, ...sd]) expect(r.code).toBe(0);
  const tail = (argv: string[]) => argv.slice(argv.indexOf('--'));
  const launch = ['--', '-C', '/etc/exim/exim.conf', '-bd', '-q30m'];
  expect(tail(before[0].calls[0])).toEqual(launch);
  expect(tail(ssd[0].calls.find((c) => c[0] === 'start-stop-daemon')!)).toEqual(launch);
  const supervised = sd[0].calls.find((c) => c[0] === 'supervise-daemon')!;
  expect(tail(supervised)).toEqual([...launch, '-bdf']);
  expect(supervised).toContain('/run/supervise-exim.pid');
  expect(supervised).not.toContain('/run/exim.pid');
  expect(sd[1].calls).toEqual([['supervise-daemon', 'exim', '--signal', 'HUP']]);
});
