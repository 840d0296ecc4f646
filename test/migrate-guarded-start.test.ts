import { migrateLoaded } from '../src/migrate/migrate.js';
import { initParser } from '../src/parse/parser.js';
import { loaded } from './helpers/loaded.js';
import { sh } from './steps/helpers.js';

beforeAll(() => initParser());

// Our own script in the shape of Gentoo's SELinux daemons' scripts: start() and stop() each do
// all their work under one condition with no else (start() succeeds having started nothing
// when it is false), the launch without a pid file, the stop by name.
const GUARDED = sh(
  '#!/sbin/openrc-run',
  '',
  'selinux_on() {',
  '\t[ -x /usr/sbin/selinuxenabled ] && /usr/sbin/selinuxenabled',
  '}',
  '',
  'start() {',
  '\tif selinux_on; then',
  '\t\tebegin "Starting mcstransd"',
  '\t\tcheckpath -q -d -m 0755 /run/setrans',
  '\t\tstart-stop-daemon --start --quiet --exec /sbin/mcstransd',
  '\t\teend $?',
  '\tfi',
  '}',
  '',
  'stop() {',
  '\tif selinux_on; then',
  '\t\tebegin "Stopping mcstransd"',
  '\t\tstart-stop-daemon --stop --quiet --name mcstransd',
  '\t\teend $?',
  '\tfi',
  '}',
);

const run = (initdIn: string) => migrateLoaded(loaded({ svc: 'mcstransd', initdIn, confdIn: null }));
const after = (initdIn: string) => {
  const r = run(initdIn);
  expect(r.plan.kind).toBe('migrate');
  return r.changes.find((c) => c.path === 'etc/init.d/mcstransd')!.after;
};

test('a guarded start() and stop() keep their condition; the launch and the stop become default_start and default_stop', () => {
  const out = after(GUARDED);
  expect(out).toContain('command=/sbin/mcstransd\ncommand_args_foreground="-f"\nsupervisor="supervise-daemon"\n');
  // every line outside the launch, the stop and their ebegin/eend stays as it was
  expect(out).toContain(
    sh(
      'start() {',
      '\tif selinux_on; then',
      '\t\tcheckpath -q -d -m 0755 /run/setrans',
      '\t\tdefault_start',
      '\tfi',
      '}',
      '',
      'stop() {',
      '\tif selinux_on; then',
      '\t\tdefault_stop',
      '\tfi',
      '}',
    ),
  );
  expect(out).not.toContain('start-stop-daemon');
  expect(out).not.toContain('start_pre()');
  const r = run(GUARDED);
  if (r.plan.kind !== 'migrate') return;
  expect(r.plan.notes.join('\n')).toMatch(/under `if selinux_on` \(start\(\) succeeds having started nothing/);
});

test('the result migrates to itself (a second run changes nothing)', () => {
  const once = after(GUARDED);
  const again = run(once);
  expect(again.changes).toEqual([]);
});

test.each([
  [
    'an else branch',
    GUARDED.replace('\t\teend $?\n\tfi\n}\n\nstop', '\t\teend $?\n\telse\n\t\tewarn "no SELinux"\n\tfi\n}\n\nstop'),
  ],
  [
    'work after the launch',
    GUARDED.replace('\t\teend $?\n\tfi\n}\n\nstop', '\t\teend $?\n\t\ttouch /run/x\n\tfi\n}\n\nstop'),
  ],
  ['another condition in stop()', GUARDED.replace('stop() {\n\tif selinux_on; then', 'stop() {\n\tif true; then')],
  [
    'a stop() without the condition',
    GUARDED.replace(/stop\(\) \{[^}]*\}/, 'stop() {\n\tstart-stop-daemon --stop --name mcstransd\n}'),
  ],
  [
    'a nested block',
    GUARDED.replace(
      '\t\tcheckpath -q -d -m 0755 /run/setrans\n',
      '\t\tif [ -d /run ]; then checkpath -q -d -m 0755 /run/setrans; fi\n',
    ),
  ],
])('%s: refused as before', (_what, initdIn) => {
  const r = run(initdIn);
  expect(r.plan.kind).toBe('refuse');
  expect(r.changes).toEqual([]);
  if (r.plan.kind === 'refuse') expect(r.plan.reason).toMatch(/start\(\) launches the daemon inside a condition/);
});
