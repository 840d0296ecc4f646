import { migrateLoaded } from '../src/migrate/migrate.js';
import { initParser } from '../src/parse/parser.js';
import { loaded } from './helpers/loaded.js';
import { sh } from './steps/helpers.js';

beforeAll(() => initParser());

// Our own script in the shape a user gets from Gentoo's vdradmin script by keeping only its
// OpenRC branch: start-stop-daemon --background without --make-pidfile, the pid file being
// the one vdradmind writes when it forks, and a stop through that file.
const VDRADMIN = sh(
  '#!/sbin/openrc-run',
  'start() {',
  '\tebegin "Starting vdradmin"',
  '\tstart-stop-daemon --start --background --user "${VDRADMIN_USER}" \\',
  '\t\t--pidfile /var/run/vdradmin/vdradmind.pid \\',
  '\t\t--exec /usr/bin/vdradmind -- ${VDRADMIN_OPTS}',
  '\teend $?',
  '}',
  'stop() {',
  '\tebegin "Stopping vdradmin"',
  '\tstart-stop-daemon --stop --quiet --pidfile /var/run/vdradmin/vdradmind.pid',
  '\teend $?',
  '}',
);

test('migrate: vdradmind stays in the foreground with --nofork (knowledge vdradmind), under a pid file of the supervisor', () => {
  const r = migrateLoaded(
    loaded({ svc: 'vdradmin', initdIn: VDRADMIN, confdIn: 'VDRADMIN_USER="vdradmin"\nVDRADMIN_OPTS="--log 4"\n' }),
  );
  expect(r.plan.kind).toBe('migrate');
  if (r.plan.kind !== 'migrate') return;
  const after = r.changes.find((c) => c.path === 'etc/init.d/vdradmin')!.after;
  expect(after).toContain('command=/usr/bin/vdradmind\n');
  expect(after).toContain('command_args_foreground="--nofork"\n');
  expect(after).toContain('command_user="${VDRADMIN_USER}"\n');
  // vdradmind reads that file at start (and writes it when it forks): not the supervisor's.
  expect(after).toContain(
    'if [ "${supervisor}" = supervise-daemon ]; then pidfile="/run/supervise-${RC_SVCNAME}.pid"; fi\n',
  );
  expect(after).not.toContain('start() {');
});

test('migrate: a script that already passes -n adds no second no-fork word', () => {
  const r = migrateLoaded(
    loaded({
      svc: 'vdradmin',
      initdIn: VDRADMIN.replace('-- ${VDRADMIN_OPTS}', '-- -n ${VDRADMIN_OPTS}'),
      confdIn: null,
    }),
  );
  expect(r.plan.kind).toBe('migrate');
  if (r.plan.kind !== 'migrate') return;
  const after = r.changes.find((c) => c.path === 'etc/init.d/vdradmin')!.after;
  expect(after).not.toContain('command_args_foreground=');
});
