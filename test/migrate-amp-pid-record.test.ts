import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadServiceSync, migrateLoaded } from '../src/migrate/migrate.js';
import { initParser } from '../src/parse/parser.js';

beforeAll(() => initParser());

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

/** Our own script in the shape of Gentoo's heimdal-kadmind: `prog "${OPTS}" &`, then `echo $! > FILE`. */
function script(opts: { launch?: string; record?: string; stop?: string } = {}): string {
  return [
    '#!/sbin/openrc-run',
    '',
    'depend() {',
    '\tuse net',
    '}',
    '',
    'start() {',
    '\tebegin "Starting the admin server"',
    `\t\t${opts.launch ?? '/usr/sbin/kadmind "${KADMIN_OPTS}" &'}`,
    `\t\t${opts.record ?? 'echo $! > /var/run/heimdal-kadmind.pid'}`,
    '\teend $?',
    '}',
    '',
    'stop() {',
    '\tebegin "Stopping the admin server"',
    `\t${opts.stop ?? 'start-stop-daemon --stop --quiet --exec /usr/sbin/kadmind'}`,
    '\teend $?',
    '}',
    '',
  ].join('\n');
}

function migrate(text: string, pkg: string | null, name = 'heimdal-kadmind') {
  const r = mkdtempSync(path.join(os.tmpdir(), 'rcs-amp-'));
  roots.push(r);
  const files: Record<string, string> = {
    [`etc/init.d/${name}`]: text,
    [`etc/conf.d/${name}`]: '# KADMIN_OPTS="--keytab=/etc/krb5.keytab"\n',
  };
  if (pkg)
    files[`var/db/pkg/${pkg}/CONTENTS`] = `obj /etc/init.d/${name} d41d8cd98f00b204e9800998ecf8427e 1700000000\n`;
  for (const [rel, t] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(r, rel)), { recursive: true });
    writeFileSync(path.join(r, rel), t, { mode: 0o755 });
  }
  return migrateLoaded(loadServiceSync(r, name)).plan;
}

const text = (p: ReturnType<typeof migrate>) => (p.kind === 'migrate' ? p.edits.map((e) => e.text).join('') : '');

describe('a launch run with & whose pid start() records (echo $! > FILE)', () => {
  test('a daemon a rule says stays in the foreground by itself: converted, the same words, the echo gone', () => {
    const p = migrate(script(), 'app-crypt/heimdal-7.5.0');
    expect(p.kind).toBe('migrate');
    if (p.kind !== 'migrate') return;
    const t = text(p);
    expect(t).toContain('command=/usr/sbin/kadmind');
    // The quoted word stays one word (empty when the variable is), as the launch passed it.
    expect(t).toContain('command_args="\\"\\${KADMIN_OPTS}\\""');
    expect(t).not.toContain('command_args_foreground');
    expect(t).not.toMatch(/echo|\$!|&\s*$|start_post/m);
    expect(p.notes.join('\n')).toContain(
      'start() ran /usr/sbin/kadmind in the background of its own shell (`&`) and wrote its pid ($!) to /var/run/heimdal-kadmind.pid, and stop() stopped it by --exec /usr/sbin/kadmind, the same program; the rule kadmind-heimdal knows that program',
    );
    expect(p.notes.join('\n')).toContain("the daemon's output went where start()'s did");
    // Were supervisor= set back, start-stop-daemon must background it as the & did (it stays in
    // the foreground) and write the pid where echo $! did; the supervisor keeps a file of its own.
    expect(t).toContain('command_background="yes"\npidfile="/var/run/heimdal-kadmind.pid"\n');
    expect(t).toContain(
      'if [ "${supervisor}" = supervise-daemon ]; then pidfile="/run/supervise-${RC_SVCNAME}.pid"; fi',
    );
  });

  test('stop() through the recorded file is the same daemon too', () => {
    const p = migrate(
      script({ stop: 'start-stop-daemon --stop --quiet --pidfile /var/run/heimdal-kadmind.pid' }),
      'app-crypt/heimdal-7.5.0',
    );
    expect(p.kind).toBe('migrate');
    expect(p.kind === 'migrate' && p.notes.join('\n')).toContain(
      '--pidfile /var/run/heimdal-kadmind.pid, the file start() wrote its pid to',
    );
  });

  test('a version of the daemon that does not run under supervise-daemon: refused by the rule', () => {
    const p = migrate(script(), 'app-crypt/heimdal-1.5.1');
    expect(p.kind).toBe('refuse');
    expect(p.kind === 'refuse' && p.reason).toMatch(/kadmind .*only from version 7\.0\.1/);
  });

  test('a rule that needs a foreground word: refused, the pid says the script ran it otherwise', () => {
    const p = migrate(script(), 'app-crypt/mit-krb5-1.21.3', 'mit-krb5kadmind');
    expect(p.kind).toBe('refuse');
    expect(p.kind === 'refuse' && p.reason).toContain(
      'start() runs /usr/sbin/kadmind in the background of its own shell (`&`) and writes its pid ($!) to /var/run/heimdal-kadmind.pid, taking that process for the daemon, but the rule kadmind says kadmind stays in the foreground only with -nofork',
    );
  });

  test('a daemonize word in the launch: refused', () => {
    const p = migrate(script({ launch: '/usr/sbin/kadmind --detach &' }), 'app-crypt/heimdal-7.5.0');
    expect(p.kind).toBe('refuse');
    expect(p.kind === 'refuse' && p.reason).toContain('but passes it a word that makes it fork (rule kadmind-heimdal)');
  });

  test('no rule for the program: refused with that reason', () => {
    const p = migrate(
      script({ launch: '/usr/sbin/someadmind &', stop: 'start-stop-daemon --stop --exec /usr/sbin/someadmind' }),
      null,
      'someadmind',
    );
    expect(p.kind).toBe('refuse');
    expect(p.kind === 'refuse' && p.reason).toContain(
      'start() runs /usr/sbin/someadmind in the background of its own shell (`&`), and stop() stops it (start-stop-daemon): nothing says whether someadmind stays in the foreground',
    );
  });

  test('`&` without the echo of $! stays a chained launch', () => {
    const p = migrate(script({ record: 'sleep 1' }), 'app-crypt/heimdal-7.5.0');
    expect(p.kind).toBe('refuse');
    expect(p.kind === 'refuse' && p.reason).toContain('chains the launch with other commands on its line (`&`)');
  });
});
