import { migrateLoaded } from '../src/migrate/migrate.js';
import { initParser } from '../src/parse/parser.js';
import { loaded } from './helpers/loaded.js';
import { sh } from './steps/helpers.js';

beforeAll(() => initParser());

// Our own script, shaped like Gentoo's snort.rc12: start() runs snort in daemon mode (-D) with its
// pid file in --pid-path, stop() finds it through that file, and reload() reads the file before
// signalling. snort's knowledge entry (foregroundPidfile: --create-pidfile) says that with those
// words snort writes the same file in the foreground, so reload() keeps working under the
// supervisor, whose own pid file goes elsewhere.
const SNORTISH = sh(
  '#!/sbin/openrc-run',
  'extra_started_commands="reload"',
  '',
  'start() {',
  '\tebegin "Starting snort"',
  '\tstart-stop-daemon --start --quiet --exec /usr/bin/snort \\',
  '\t\t-- --nolock-pidfile --pid-path /var/run/snort -D -i ${IFACE} -c ${CONF}',
  '\teend $?',
  '}',
  '',
  'stop() {',
  '\tebegin "Stopping snort"',
  '\tstart-stop-daemon --stop --quiet --pidfile /var/run/snort/snort_${IFACE}.pid',
  '\teend $?',
  '}',
  '',
  'reload() {',
  '\tif [ ! -f /var/run/snort/snort_${IFACE}.pid ]; then',
  '\t\teerror "snort is not running"',
  '\t\treturn 1',
  '\tfi',
  '\tlocal pid="$(cat /var/run/snort/snort_${IFACE}.pid)"',
  '\tebegin "Reloading snort ${pid}"',
  '\tstart-stop-daemon --signal HUP --pidfile /var/run/snort/snort_${IFACE}.pid',
  '\teend $?',
  '}',
);

function migrated(script: string): string {
  const r = migrateLoaded(
    loaded({ svc: 'snortish', initdIn: script, confdIn: 'IFACE=eth1\nCONF=/etc/snort/snort.conf\n' }),
  );
  expect(r.plan.kind).toBe('migrate');
  if (r.plan.kind !== 'migrate') return '';
  return r.changes.find((c) => c.path === 'etc/init.d/snortish')!.after;
}

test('snort in daemon mode, its pid file read by reload(): --create-pidfile keeps it written in the foreground', () => {
  const after = migrated(SNORTISH);
  expect(after).toContain('command_args="--nolock-pidfile --pid-path /var/run/snort -i \\${IFACE} -c \\${CONF}"\n');
  expect(after).toContain('command_args_background="-D"\n');
  expect(after).toContain('command_args_foreground="--create-pidfile"\n');
  // The supervisor keeps a pid file of its own, below the one the daemon writes.
  expect(after).toContain('pidfile=/var/run/snort/snort_${IFACE}.pid\n');
  expect(after).toContain(
    'if [ "${supervisor}" = supervise-daemon ]; then pidfile="/run/supervise-${RC_SVCNAME}.pid"; fi\n',
  );
  // reload() still reads snort's own file.
  expect(after).toContain('\tif [ ! -f /var/run/snort/snort_${IFACE}.pid ]; then\n');
  expect(after).toContain('\tlocal pid="$(cat /var/run/snort/snort_${IFACE}.pid)"\n');
});

test('snort started in the foreground with --make-pidfile wrote no pid file of its own: nothing is added', () => {
  const after = migrated(
    sh(
      '#!/sbin/openrc-run',
      'start() {',
      '\tebegin "Starting snort"',
      '\tstart-stop-daemon --start --quiet -b -m --pidfile /run/snortish.pid \\',
      '\t\t--exec /usr/bin/snort -- -b -i ${IFACE} -l /var/log/snortish',
      '\teend $?',
      '}',
      '',
      'stop() {',
      '\tebegin "Stopping snort"',
      '\tstart-stop-daemon --stop --quiet --pidfile /run/snortish.pid',
      '\teend $?',
      '}',
    ),
  );
  expect(after).not.toContain('--create-pidfile');
  expect(after).toContain('supervisor="supervise-daemon"\n');
});
