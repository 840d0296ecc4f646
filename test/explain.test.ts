/**
 * `explain` is static; OpenRC's real shell code is the judge. For every fixture, the
 * "before" start line must equal what start-stop-daemon.sh builds and the "after" line what
 * supervise-daemon.sh builds (recording stand-ins, Debian's OpenRC 0.45.2).
 */
import { ssdStart, superviseStart, type Argv } from '../src/explain/cmdline.js';
import { migrateLoaded } from '../src/migrate/migrate.js';
import { Service } from '../src/model/service.js';
import { initParser } from '../src/parse/parser.js';
import { ShellFile } from '../src/parse/shellfile.js';
import { describeWithTree } from './e2e/harness.js';
import { fixtureCases } from './helpers/fixtures.js';
import { loaded } from './helpers/loaded.js';
import { recordActions } from './helpers/openrc-cmdline.js';
import { run } from './helpers/cli.js';
import { REPO } from './helpers/fixtures.js';
import path from 'node:path';

const V045: [number, number, number] = [0, 45, 2];
const NEUTRAL = '\n# test only\nstart_pre() { :; }\nstart_post() { :; }\ncheckconfig() { :; }\n';

beforeAll(() => initParser());

async function recordedStart(svc: string, initd: string, confd: string | null): Promise<string[]> {
  const [rec] = await recordActions({ svc, initd: initd + NEUTRAL, confd: confd ?? undefined, actions: ['start'] });
  expect(rec.calls).toHaveLength(1);
  return rec.calls[0];
}

describeWithTree('explain matches the command lines of real OpenRC shell code', () => {
  const cases = fixtureCases().filter((c) => !c.expect.refused);
  const known: string[] = [];
  const dynamic: string[] = [];

  test.each(cases.map((c) => [c.id, c] as const))('%s', async (_id, fx) => {
    const initd0 = new ShellFile('i', fx.initdIn);
    const confd0 = fx.confdIn === null ? null : new ShellFile('c', fx.confdIn);
    const before = new Service(fx.svc, initd0, confd0);
    const beforeArgv: Argv = before.defines('start')
      ? { dynamic: 'custom start()' }
      : before.supervised
        ? superviseStart(before, V045)
        : ssdStart(before);
    const r = migrateLoaded(loaded(fx), { foregroundArgs: fx.expect.foreground_args });
    const initd = r.changes.find((c) => c.path.startsWith('etc/init.d/'))?.after ?? fx.initdIn;
    const confd = r.changes.find((c) => c.path.startsWith('etc/conf.d/'))?.after ?? fx.confdIn;
    const after = new Service(fx.svc, new ShellFile('i', initd), confd === null ? null : new ShellFile('c', confd));
    const afterArgv = superviseStart(after, V045);
    if (!('argv' in beforeArgv) || !('argv' in afterArgv)) {
      // $(...) in the script: only running it would tell. explain says so instead of guessing.
      dynamic.push(fx.id);
      return;
    }
    known.push(fx.id);
    expect(beforeArgv.argv).toEqual(await recordedStart(fx.svc, fx.initdIn, fx.confdIn));
    expect(afterArgv.argv).toEqual(await recordedStart(fx.svc, initd, confd));
  });

  afterAll(() => {
    // At least the large majority must be statically known (the rest use $(...), or a custom
    // start() whose command line only running it would tell).
    const custom = cases.filter((c) => /^start\(\)/m.test(c.initdIn)).length;
    expect(known.length).toBeGreaterThanOrEqual(cases.length - 4 - custom);
  });
});

test('explain CLI: before/after and what matters (static)', async () => {
  const r = await run('explain', 'sshd', '--root', path.join(REPO, 'examples/gentoo-root'), '--openrc-version', '0.45');
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('before (start-stop-daemon)');
  expect(r.stdout).toContain('after (supervise-daemon)');
  expect(r.stdout).toMatch(/reload: supervise-daemon sshd --signal HUP/);
  const j = JSON.parse(
    (await run('explain', 'dnsmasq', '--root', path.join(REPO, 'examples/gentoo-root'), '--json')).stdout,
  );
  expect(j.after.start.argv).toContain('--keep-in-foreground');
});

test('explain names what matters: a signal that would reach the supervisor, a shared pidfile, a fallback trap', async () => {
  const { makeRoot } = await import('./helpers/fixtures.js');
  const root = await makeRoot([
    {
      svc: 'dnsmasq',
      initd:
        '#!/sbin/openrc-run\nsupervisor=supervise-daemon\npidfile=/var/run/dnsmasq.pid\ncommand=/usr/sbin/dnsmasq\ncommand_args_foreground=--keep-in-foreground\nstart_stop_daemon_args="--wait 1000"\nextra_started_commands=reload\nreload() {\n\tstart-stop-daemon --signal HUP --pidfile "${pidfile}"\n}\n',
    },
  ]);
  const r = await run('explain', 'dnsmasq', '--root', root, '--json');
  const e = JSON.parse(r.stdout) as { differences: string[] };
  expect(e.differences).toEqual(
    expect.arrayContaining([
      'already supervised: no "after"',
      'supervise-daemon would get the start-stop-daemon option --wait and refuse to start',
      'reload() sends its signal with start-stop-daemon through the pidfile: it would reach the supervisor, not the daemon',
      'dnsmasq writes /run/dnsmasq.pid itself: daemon and supervisor may share the pidfile',
    ]),
  );
});

test('a custom stop() is shown as such, not as the default stop with an empty --exec', async () => {
  const { makeRoot } = await import('./helpers/fixtures.js');
  const root = await makeRoot([
    {
      svc: 'tftpd',
      initd:
        '#!/sbin/openrc-run\nstart() {\n\t/usr/sbin/in.tftpd -l\n}\nstop() {\n\tstart-stop-daemon --stop --exec /usr/sbin/in.tftpd\n}\n',
    },
  ]);
  const e = JSON.parse((await run('explain', 'tftpd', '--root', root, '--json')).stdout);
  expect(e.before.stop).toEqual({ dynamic: 'a custom stop() runs instead of either supervisor' });
  expect(e.before.start).toEqual({ dynamic: 'a custom start() runs instead of either supervisor' });
});
