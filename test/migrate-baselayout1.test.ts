import { migrateLoaded } from '../src/migrate/migrate.js';
import { initParser } from '../src/parse/parser.js';
import { loaded } from './helpers/loaded.js';
import { sh } from './steps/helpers.js';

beforeAll(() => initParser());

// Our own script, shaped like Gentoo's sssd script: declarative, with a start() that only
// baselayout-1 (no RC_VERSION) defines, to refuse to run there.
const GUARDED = sh(
  '#!/sbin/openrc-run',
  'command="/usr/sbin/sssd"',
  'command_args="${SSSD_OPTIONS} -D"',
  'description="test"',
  '',
  'if [ "${RC_VERSION:-0}" = "0" ]; then',
  '\tstart() {',
  '\t\teerror "This script cannot be used for baselayout-1."',
  '\t\treturn 1',
  '\t}',
  'fi',
);

test("migrate: a start() only baselayout-1 defines is not OpenRC's: the script is migrated as a declarative one", () => {
  const r = migrateLoaded(loaded({ svc: 'sssd', initdIn: GUARDED, confdIn: null }));
  expect(r.plan.kind).toBe('migrate');
  if (r.plan.kind !== 'migrate') return;
  const after = r.changes.find((c) => c.path === 'etc/init.d/sssd')!.after;
  expect(after).toContain('command_args="${SSSD_OPTIONS}"\n');
  expect(after).toContain('command_args_background="-D"\n');
  expect(after).toContain('command_args_foreground="-i"\n');
  expect(after).toContain('supervisor="supervise-daemon"\n');
  // The guarded start() is left as it was: OpenRC never defines it.
  expect(after).toContain('\tstart() {\n\t\teerror "This script cannot be used for baselayout-1."');
  expect(migrateLoaded(loaded({ svc: 'sssd', initdIn: after, confdIn: null })).plan.kind).toBe('already');
});

test('migrate: a start() under any other condition is still the script’s own', () => {
  const other = GUARDED.replace('[ "${RC_VERSION:-0}" = "0" ]', '[ -n "${SSSD_OLD}" ]');
  const r = migrateLoaded(loaded({ svc: 'sssd', initdIn: other, confdIn: null }));
  expect(r.plan.kind).toBe('refuse');
});
