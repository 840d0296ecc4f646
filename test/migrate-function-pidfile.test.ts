import { migrateLoaded } from '../src/migrate/migrate.js';
import { initParser } from '../src/parse/parser.js';
import { loaded } from './helpers/loaded.js';
import { sh } from './steps/helpers.js';

beforeAll(() => initParser());

// Our own script, shaped like Gentoo's nsd.initd-r1: no pidfile at the top; start_pre(),
// stop_pre() and reload() each set pidfile to the path the daemon's configuration names (nsd
// writes that file itself, also with -d: its knowledge entry, ownPidfile '*'); start_pre() makes
// its directory, reload() signals through it. Real OpenRC runs start_pre() and its start in one
// shell (supervise_start passes pidfile as start_pre() left it and records it; supervise_stop
// uses the recorded file): start_pre() alone ends by giving the supervisor its own.
const GUARD = '\tif [ "${supervisor}" = supervise-daemon ]; then pidfile="/run/supervise-${RC_SVCNAME}.pid"; fi\n';
const script = (startPre: string[], more: string[] = []) =>
  sh(
    '#!/sbin/openrc-run',
    'extra_started_commands="reload"',
    'command=/usr/sbin/nsd',
    'command_args="-c /etc/nsd/nsd.conf"',
    '',
    'get_pidfile() {',
    '\tprintf "%s" "$(/usr/sbin/nsd-checkconf -o pidfile /etc/nsd/nsd.conf)"',
    '}',
    '',
    'start_pre() {',
    ...startPre,
    '}',
    '',
    'stop_pre() {',
    '\t/usr/sbin/nsd-checkconf /etc/nsd/nsd.conf || return $?',
    '\tpidfile="$(get_pidfile)"',
    '}',
    '',
    'reload() {',
    '\tpidfile="$(get_pidfile)"',
    '\tebegin "Reloading"',
    '\tkill -s HUP $(cat ${pidfile})',
    '\teend $?',
    '}',
    ...more,
  );
const NSDISH = script([
  '\t/usr/sbin/nsd-checkconf /etc/nsd/nsd.conf || return $?',
  '\tpidfile="$(get_pidfile)"',
  '\tcheckpath --directory --owner nsd:nsd "${pidfile%/*}" || return 1',
]);

function run(initd: string) {
  return migrateLoaded(loaded({ svc: 'nsdish', initdIn: initd, confdIn: null }));
}

test('functions set pidfile to the daemon’s own file: start_pre() ends by giving the supervisor its own', () => {
  const r = run(NSDISH);
  expect(r.plan.kind).toBe('migrate');
  if (r.plan.kind !== 'migrate') return;
  const after = r.changes.find((c) => c.path === 'etc/init.d/nsdish')!.after;
  expect(after).toContain('command_args_foreground="-d"\n');
  expect(after).toContain(
    sh(
      '\tcheckpath --directory --owner nsd:nsd "${pidfile%/*}" || return 1',
      '\t# rc-supervise: nsd writes this pid file itself: supervise-daemon keeps one of its own',
      GUARD + '}',
      '',
      'stop_pre() {',
      '\t/usr/sbin/nsd-checkconf /etc/nsd/nsd.conf || return $?',
      '\tpidfile="$(get_pidfile)"',
      '}',
    ),
  );
  // Once: only start_pre() decides what the start passes; reload() runs in a shell of its own.
  expect(after.split(GUARD).length).toBe(2);
  expect(after).toContain('\tpidfile="$(get_pidfile)"\n\tebegin "Reloading"\n');
  expect(r.plan.builtAtStart).toEqual(['pidfile']);
  expect(r.plan.notes.join('\n')).toContain(
    "start_pre(), stop_pre(), reload() set pidfile to it when they run: under supervise-daemon start_pre() now ends by giving the supervisor its own, /run/supervise-${RC_SVCNAME}.pid, after its own reads of the daemon's file (OpenRC's start passes pidfile as start_pre() left it and records it, and its stop uses the recorded file; what stop_pre(), reload() set stays in their own run)",
  );
});

test.each([
  [
    'a helper that sets it, called from start_pre() (spamd’s _legacy())',
    script(
      ['\t_pidfile', '\tcheckpath -d "${pidfile%/*}" || return 1'],
      ['', '_pidfile() {', '\tpidfile="$(get_pidfile)"', '}'],
    ),
    '_pidfile() sets pidfile and is called from start_pre(), which would go on with the value it leaves',
  ],
  [
    'set only under a condition (clamd’s `[ -n "$pid" ] && pidfile=$pid`)',
    script([
      '\tlocal pid="$(get_pidfile)"',
      '\t[ -n "$pid" ] && pidfile="$pid"',
      '\tcheckpath -d "${pidfile%/*}" || return 1',
    ]),
    'start_pre() sets pidfile only under a condition ([ -n "$pid" ] && pidfile="$pid"): where it does not, it goes on with a pidfile it did not set',
  ],
  [
    'a read before it sets it',
    script(['\tcheckpath -d "${pidfile%/*}"', '\tpidfile="$(get_pidfile)"', '\tchown nsd "${pidfile%/*}" || return 1']),
    'start_pre() reads pidfile before it sets it (checkpath -d "${pidfile%/*}")',
  ],
  [
    'a successful return after it',
    script([
      '\tpidfile="$(get_pidfile)"',
      '\t[ -d "${pidfile%/*}" ] && return 0',
      '\tcheckpath -d "${pidfile%/*}" || return 1',
    ]),
    'start_pre() may return after it sets pidfile ([ -d "${pidfile%/*}" ] && return 0)',
  ],
  [
    'a last line whose failure the start acts on',
    script(['\tpidfile="$(get_pidfile)"', '\tcheckpath -d "${pidfile%/*}"']),
    'start_pre() ends with a line whose status OpenRC\'s start acts on (checkpath -d "${pidfile%/*}")',
  ],
  [
    'another function reading it without setting it',
    script(
      ['\tpidfile="$(get_pidfile)"', '\tcheckpath -d "${pidfile%/*}" || return 1'],
      ['', 'stop_post() {', '\trm -f "${pidfile}"', '}'],
    ),
    'and stop_post() reads it without setting it',
  ],
])('refused with the true reason: %s', (_what, initd, why) => {
  const r = run(initd);
  expect(r.plan.kind).toBe('refuse');
  if (r.plan.kind !== 'refuse') return;
  expect(r.plan.reason).toContain("nsd writes a pid file itself, which may be the supervisor's pidfile");
  expect(r.plan.reason).toContain(why);
});

test('start_pre() does not set it (only stop_pre() and reload() do): refused, saying so', () => {
  const r = run(script(['\tcheckpath -d /run/nsd || return 1']));
  expect(r.plan.kind).toBe('refuse');
  if (r.plan.kind !== 'refuse') return;
  expect(r.plan.reason).toContain(
    "stop_pre(), reload() set pidfile itself, but not start_pre(), whose pidfile OpenRC's start passes to the supervisor",
  );
});

// Our own clamd-shaped script: start_pre() sets pidfile from the configuration, and a custom
// start() with steps of its own before the launch. The conversion renames start_pre() and runs
// start()'s steps after it in a new start_pre(): its end is no longer where the start goes on.
test('start_pre() sets it, and the conversion of start() adds steps after it: refused, saying so', () => {
  const r = run(
    sh(
      '#!/sbin/openrc-run',
      'command=/usr/sbin/nsd',
      '',
      'start_pre() {',
      '\tpidfile="$(/usr/sbin/nsd-checkconf -o pidfile /etc/nsd/nsd.conf)"',
      '\tcheckpath -d "${pidfile%/*}" || return 1',
      '}',
      '',
      'start() {',
      '\trm -f /run/nsd/nsd.sock',
      '\tebegin "Starting nsd"',
      '\tstart-stop-daemon --start --exec /usr/sbin/nsd -- -c /etc/nsd/nsd.conf',
      '\teend $?',
      '}',
    ),
  );
  expect(r.plan.kind).toBe('refuse');
  if (r.plan.kind !== 'refuse') return;
  expect(r.plan.reason).toContain(
    "start_pre() sets pidfile, and the conversion of start() adds start()'s own steps after it (start_pre() becomes script_start_pre(), called first by a new start_pre())",
  );
});

// Modelled on Alpine's spamd (_legacy() takes pidfile from an old conf.d variable) and the h9a
// ollama.init (no rule): nothing says whether the daemon writes the script's pid file, said as such.
test('no rule says the daemon writes it: the reason says it may, and names the helper with its caller', () => {
  const r = migrateLoaded(
    loaded({
      svc: 'foodish',
      initdIn: sh(
        '#!/sbin/openrc-run',
        'command=/usr/bin/foodish',
        'command_background=yes',
        'pidfile=/run/foodish.pid',
        '_legacy() {',
        '\t[ -n "$PIDFILE" ] && pidfile=$PIDFILE',
        '}',
        'start_pre() {',
        '\t_legacy',
        '\tcheckpath -f -o food "${pidfile}"',
        '}',
      ),
      confdIn: null,
    }),
  );
  expect(r.plan.kind).toBe('refuse');
  if (r.plan.kind !== 'refuse') return;
  expect(r.plan.reason).toBe(
    "foodish may write a pid file itself at the script's pidfile (nothing says it does not), which would then be the supervisor's too: stop would end only the daemon, and its supervisor would respawn it; start_pre() reads pidfile, so the supervisor cannot simply be given another one (_legacy() sets pidfile itself, called from start_pre())",
  );
});

// Modelled on Alpine's chronyd: start() itself sets command_background and pidfile under a
// condition before default_start. Not this shape: the check after the plan says what is unknown.
test('start() itself sets it: left to the check after the plan, which names what start() sets', () => {
  const r = run(
    sh(
      '#!/sbin/openrc-run',
      'command=/usr/sbin/nsd',
      'pidfile=/run/nsd/nsd.pid',
      'start() {',
      '\tif yesno "$FAST"; then',
      '\t\tcommand_args="$command_args -d"',
      '\t\tcommand_background=true',
      '\t\tpidfile=/run/nsd.pid',
      '\tfi',
      '\tdefault_start',
      '}',
    ),
  );
  expect(r.plan.kind).toBe('refuse');
  if (r.plan.kind !== 'refuse') return;
  expect(r.plan.reason).toMatch(/^command_background: set inside start\(\) at etc\/init\.d\/nsdish:7, /);
});
