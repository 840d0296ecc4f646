import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { migrateService } from '../../src/migrate/migrate.js';
import { initParser } from '../../src/parse/parser.js';
import { tempDirs } from '../helpers/temp.js';

const temp = tempDirs('rcs-operand');
beforeAll(() => initParser());

// inputlircd (knowledge entry: -f) launched from a custom start() whose arguments end in a
// variable holding its event device, the way Gentoo's inputlircd and igmpproxy scripts write
// them: that variable goes last in command_args_background and command_args_foreground, written
// as the launch wrote it (quotes kept for OpenRC's eval) and read when the service starts.
test("a converted launch's trailing variable is written after the no-fork word, quoted and read at start", async () => {
  const r = temp('root');
  mkdirSync(path.join(r, 'etc/init.d'), { recursive: true });
  mkdirSync(path.join(r, 'etc/conf.d'), { recursive: true });
  writeFileSync(
    path.join(r, 'etc/init.d/inputlircd'),
    '#!/sbin/openrc-run\n\nstart() {\n\tstart-stop-daemon --start --exec /usr/sbin/inputlircd -- ${OPTS} "${DEV:-/dev/input/event0}"\n}\n\nstop() {\n\tstart-stop-daemon --stop --exec /usr/sbin/inputlircd\n}\n',
  );
  writeFileSync(path.join(r, 'etc/conf.d/inputlircd'), 'OPTS=""\nDEV="/dev/input/event2"\n');
  const res = await migrateService(r, 'inputlircd');
  if (res.plan.kind !== 'migrate') throw new Error(`expected a migration: ${JSON.stringify(res.plan)}`);
  const text = res.changes.find((c) => c.path.endsWith('init.d/inputlircd'))!.after;
  expect(text).toContain('command_args="\\${OPTS}"');
  expect(text).toContain('command_args_background="\\"\\${DEV:-/dev/input/event0}\\""');
  expect(text).toContain('command_args_foreground="-f \\"\\${DEV:-/dev/input/event0}\\""');
});

// igmpproxy's and slcand's start(): `start-stop-daemon --start --background --make-pidfile ...
// -- ${OPTS} "${CONF:-...}"`. command_background="yes" cannot go with command_args_background: the
// operand moves after the no-fork word under supervise-daemon only; start-stop-daemon keeps the
// launch's command_args.
test('launched with --background: the trailing operand moves under supervise-daemon only', async () => {
  const r = temp('root');
  mkdirSync(path.join(r, 'etc/init.d'), { recursive: true });
  mkdirSync(path.join(r, 'etc/conf.d'), { recursive: true });
  writeFileSync(
    path.join(r, 'etc/init.d/igmpproxy'),
    '#!/sbin/openrc-run\n\nstart() {\n\tstart-stop-daemon --start --background --make-pidfile --pidfile /run/igmpproxy.pid \\\n\t\t--exec /usr/sbin/igmpproxy -- ${OPTS} "${CONF:-/etc/igmpproxy.conf}"\n}\n\nstop() {\n\tstart-stop-daemon --stop --pidfile /run/igmpproxy.pid\n}\n',
  );
  writeFileSync(path.join(r, 'etc/conf.d/igmpproxy'), 'OPTS=""\nCONF="/etc/igmpproxy.conf"\n');
  const res = await migrateService(r, 'igmpproxy');
  if (res.plan.kind !== 'migrate') throw new Error(`expected a migration: ${JSON.stringify(res.plan)}`);
  const text = res.changes.find((c) => c.path.endsWith('init.d/igmpproxy'))!.after;
  expect(text).toContain('command_args="\\${OPTS} \\"\\${CONF:-/etc/igmpproxy.conf}\\""\ncommand_background="yes"\n');
  expect(text).toContain(
    'supervisor="supervise-daemon"\nif [ "${supervisor}" = supervise-daemon ]; then command_args="\\${OPTS}"; command_args_foreground="-n \\"\\${CONF:-/etc/igmpproxy.conf}\\""; fi\n',
  );
  expect(text).not.toContain('command_args_background');
});
