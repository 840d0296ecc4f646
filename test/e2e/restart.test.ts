/**
 * `migrate --restart` on a live system, judged by real OpenRC: a service started by
 * start-stop-daemon ends up under supervise-daemon with no stray old daemon; a migration
 * whose new start fails is rolled back and the old service runs again.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FIXTURES, REPO } from '../helpers/fixtures.js';
import { OpenRCSandbox, describeE2E, freePort, queryA, waitFor } from './harness.js';
import { STUBS, dnsmasqFixtureForSandbox, dnsmasqOpts } from './support.js';

/** rc-supervise inside the namespace (root = its /), state kept on the private /run. */
const cli = (h: OpenRCSandbox, args: string) =>
  h.exec(
    `RC_SUPERVISE_STATE_DIR=run/rc-supervise ${process.execPath} ${path.join(REPO, 'bin/rc-supervise.js')} ${args}`,
    {
      timeoutMs: 30000,
    },
  );

describeE2E('migrate --restart on a running system', () => {
  let h: OpenRCSandbox | undefined;
  let work = '';
  let port = 0;
  let portBad = 0;
  let hosts = '';

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'rcs-restart-'));
    hosts = path.join(work, 'hosts');
    await writeFile(hosts, '127.0.0.7 live.test\n');
    port = await freePort();
    portBad = await freePort();
    const initd = dnsmasqFixtureForSandbox(await readFile(path.join(FIXTURES, 'dnsmasq/stock/init.d.in'), 'utf8'));
    // The same daemon under a name no rule knows, to migrate with broken --foreground-args.
    const unknown = initd.replace(/dnsmasq\.pid/g, 'dnsfoo.pid');
    h = await OpenRCSandbox.create({
      initd: { ...STUBS, dnsmasq: initd, dnsfoo: unknown },
      confd: {
        dnsmasq: `DNSMASQ_OPTS="${dnsmasqOpts(port, hosts)}"\n`,
        dnsfoo: `DNSMASQ_OPTS="${dnsmasqOpts(portBad, hosts)}"\n`,
      },
    });
  });

  afterAll(async () => {
    await h?.dispose();
    if (work) await rm(work, { recursive: true, force: true });
  });

  test('a service started by start-stop-daemon moves to supervise-daemon, no stray daemon', async () => {
    expect(await h!.rc('dnsmasq', 'start')).toMatchObject({ code: 0 });
    const old = await waitFor('old dnsmasq', async () => h!.pidsOf(/^\/usr\/sbin\/dnsmasq /)[0], 3000, 30);
    expect(h!.argvOf(h!.ppidOf(old)!)?.[0]).not.toBe('supervise-daemon');
    expect(await waitFor('dns (old)', async () => queryA(port, 'live.test'), 3000, 50)).toEqual(['127.0.0.7']);

    const r = await cli(h!, 'migrate dnsmasq --restart --settle 0.5');
    expect(r).toMatchObject({ code: 0 });
    const child = await h!.childPid('dnsmasq');
    expect(child).not.toBe(old);
    expect(h!.argvOf(h!.ppidOf(child)!)?.slice(0, 2)).toEqual(['supervise-daemon', 'dnsmasq']);
    expect(
      h!
        .pidsOf(/^\/usr\/sbin\/dnsmasq .*--port=/)
        .filter((p) => p !== child && h!.argvOf(p)?.includes(`--port=${port}`)),
    ).toEqual([]);
    expect(await waitFor('dns (new)', async () => queryA(port, 'live.test'), 3000, 50)).toEqual(['127.0.0.7']);
    expect(h!.readInside('/etc/init.d/dnsmasq')).toContain('supervisor="supervise-daemon"');
  });

  test('a migration whose new start fails is rolled back; the old service runs again', async () => {
    expect(await h!.rc('dnsfoo', 'start')).toMatchObject({ code: 0 });
    expect(await waitFor('dns (dnsfoo)', async () => queryA(portBad, 'live.test'), 3000, 50)).toEqual(['127.0.0.7']);
    const before = h!.readInside('/etc/init.d/dnsfoo');
    // dnsmasq rejects an unknown option and exits: supervise-daemon keeps respawning it.
    const r = await cli(
      h!,
      'migrate dnsfoo --restart --settle 0.5 --foreground-args="--keep-in-foreground --no-such-option"',
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('rolled back and started the old definition again');
    expect(h!.readInside('/etc/init.d/dnsfoo')).toBe(before);
    expect(await waitFor('dns (old dnsfoo again)', async () => queryA(portBad, 'live.test'), 3000, 50)).toEqual([
      '127.0.0.7',
    ]);
    const pids = h!
      .pidsOf(/^\/usr\/sbin\/dnsmasq .*--port=/)
      .filter((p) => h!.argvOf(p)?.includes(`--port=${portBad}`));
    expect(pids).toHaveLength(1);
    expect(h!.argvOf(h!.ppidOf(pids[0])!)?.[0]).not.toBe('supervise-daemon');
  });
});
