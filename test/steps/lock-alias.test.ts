import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { migrateService } from '../../src/migrate/migrate.js';
import { initParser } from '../../src/parse/parser.js';
import { tempDirs } from '../helpers/temp.js';

const temp = tempDirs('rcs-lock');
beforeAll(() => initParser());

// ptpd2 (knowledge entry: its lock file, named by --global:lock_file, is a pid file it locks in
// the foreground too): a per-instance custom start() that names the lock through the variable
// its --pidfile reads. Moved, every instance would fall back to ptpd2's default lock; so the
// word stays in command_args, naming each instance's file, and the supervisor gets its own.
test('a lock named through the launch pid file variable, in a per-instance custom start(): the word stays', async () => {
  const script = (pid: string) =>
    `#!/sbin/openrc-run\nPTPD_PIDFILE=${pid}\n\nstart() {\n\tstart-stop-daemon --start --pidfile \${PTPD_PIDFILE} --exec /usr/sbin/ptpd2 -- --global:lock_file=$PTPD_PIDFILE -c /etc/ptpd2.conf\n}\n`;
  const result = async (pid: string) => {
    const r = temp('root');
    mkdirSync(path.join(r, 'etc/init.d'), { recursive: true });
    writeFileSync(path.join(r, 'etc/init.d/ptpd2'), script(pid));
    return migrateService(r, 'ptpd2');
  };
  const per = await result('/run/${RC_SVCNAME}.pid');
  if (per.plan.kind !== 'migrate') throw new Error(`expected a migration: ${JSON.stringify(per.plan)}`);
  const text = per.changes[0].after;
  expect(text).toContain('command_args="--global:lock_file=$PTPD_PIDFILE -c /etc/ptpd2.conf"');
  expect(text).not.toContain('command_args_background');
  expect(text).toContain(
    'if [ "${supervisor}" = supervise-daemon ]; then pidfile="/run/supervise-${RC_SVCNAME}.pid"; fi',
  );
  expect(per.plan.notes).toContain(
    '--global:lock_file=$PTPD_PIDFILE stays in command_args: ptpd2 writes that pid file in the foreground too (rule ptpd2), and the supervisor keeps a pid file of its own',
  );
  // One instance only: nothing to share, the option moves.
  const one = await result('/run/ptpd2.pid');
  if (one.plan.kind !== 'migrate') throw new Error('expected a migration');
  expect(one.changes[0].after).toContain('command_args_background="--global:lock_file=$PTPD_PIDFILE"');
});
