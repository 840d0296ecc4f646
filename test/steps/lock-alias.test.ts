import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { migrateService } from '../../src/migrate/migrate.js';
import { initParser } from '../../src/parse/parser.js';
import { tempDirs } from '../helpers/temp.js';

const temp = tempDirs('rcs-lock');
beforeAll(() => initParser());

// ptpd2 (knowledge entry: its lock file, named by --global:lock_file, is a pid file it locks in
// the foreground too): a per-instance custom start() that names the lock through the variable
// its --pidfile reads. Moving the option would leave every instance on ptpd2's default lock.
test('a lock named through the launch pid file variable, in a per-instance custom start(): refused', async () => {
  const script = (pid: string) =>
    `#!/sbin/openrc-run\nPTPD_PIDFILE=${pid}\n\nstart() {\n\tstart-stop-daemon --start --pidfile \${PTPD_PIDFILE} --exec /usr/sbin/ptpd2 -- --global:lock_file=$PTPD_PIDFILE -c /etc/ptpd2.conf\n}\n`;
  const result = async (pid: string) => {
    const r = temp('root');
    mkdirSync(path.join(r, 'etc/init.d'), { recursive: true });
    writeFileSync(path.join(r, 'etc/init.d/ptpd2'), script(pid));
    return (await migrateService(r, 'ptpd2')).plan;
  };
  expect(await result('/run/${RC_SVCNAME}.pid')).toMatchObject({
    kind: 'refuse',
    reason:
      'ptpd2 takes its pid file as a lock in the foreground too, and this script runs one instance per service name: with the pid file option moved to command_args_background every instance would fall back to the same default file',
  });
  // One instance only: nothing to share, the option moves.
  expect((await result('/run/ptpd2.pid')).kind).toBe('migrate');
});
