import { migrateLoaded } from '../src/migrate/migrate.js';
import { initParser } from '../src/parse/parser.js';
import { loaded } from './helpers/loaded.js';
import { sh } from './steps/helpers.js';

beforeAll(() => initParser());

// Our own script, shaped like kafka's: command and command_args set, and a start() that passes
// command_args's words itself, literally, to a --background --make-pidfile launch.
const SCRIPT = sh(
  '#!/sbin/openrc-run',
  'command="/opt/food/bin/food-start.sh"',
  'command_args="/etc/food/server.properties"',
  'command_background=yes',
  'pidfile=/run/food.pid',
  '',
  'start() {',
  '\tebegin "Starting food"',
  '\tstart-stop-daemon --start --background --user food -m --pidfile $pidfile \\',
  '\t\t--exec /opt/food/bin/food-start.sh -- /etc/food/server.properties',
  '\teend $?',
  '}',
);

test("migrate: a launch passing command_args's words literally keeps that command line", () => {
  const r = migrateLoaded(loaded({ svc: 'food', initdIn: SCRIPT, confdIn: null }));
  expect(r.plan.kind).toBe('migrate');
  if (r.plan.kind !== 'migrate') return;
  const after = r.changes.find((c) => c.path === 'etc/init.d/food')!.after;
  expect(after).not.toMatch(/start\(\)/);
  // The line written for the launch comes after the script's own: the one that counts, the same value.
  const lines = after.split('\n').filter((l) => l.startsWith('command_args='));
  expect(lines).toEqual(['command_args="/etc/food/server.properties"', 'command_args="/etc/food/server.properties"']);
  expect(after).toContain('supervisor="supervise-daemon"\n');
  expect(after).toContain('command_user=food\n');
});

// Our own script, shaped like Alpine's aprx script: command_args read from a variable (empty
// now), command_background at the top, and a custom start() that passes no words and no
// --background (the daemon forks by itself there; command_background only serves OpenRC's own start).
const FROM_VARIABLE = sh(
  '#!/sbin/openrc-run',
  'command="/usr/sbin/food"',
  'command_args="$FOOD_OPTS"',
  'command_background="yes"',
  'pidfile="/run/food.pid"',
  '',
  'start() {',
  '\tebegin "Starting food"',
  '\tstart-stop-daemon --start --pidfile $pidfile --exec $command',
  '\teend $?',
  '}',
  '',
  'FOOD_OPTS=""',
);

test.each([
  ['a command_args read from a variable', FROM_VARIABLE],
  ['a launch with no words beside a literal command_args', SCRIPT.replace(' -- /etc/food/server.properties', '')],
])("migrate: %s is not the launch's command line: refused as before", (_what, script) => {
  const r = migrateLoaded(loaded({ svc: 'food', initdIn: script, confdIn: null }));
  expect(r.plan.kind).toBe('refuse');
  if (r.plan.kind !== 'refuse') return;
  expect(r.plan.reason).toContain('command_args is set but start() does not pass it');
});
