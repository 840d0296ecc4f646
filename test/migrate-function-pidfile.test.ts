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
    'start_pre() sets pidfile only under a condition ([ -n "$pid" ] && pidfile="$pid")',
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
