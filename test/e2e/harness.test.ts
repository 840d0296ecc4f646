/**
 * Proves the test infrastructure on hand-written scripts (no tool output involved):
 *  - the recording stand-in (real openrc-run.sh + supervise-daemon.sh, recorded argv);
 *  - the real-OpenRC sandbox: busybox httpd and dnsmasq under supervise-daemon.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openrcVersion, recordActions, recordCommandLines, splitSuperviseArgv } from '../helpers/openrc-cmdline.js';
import {
  OpenRCSandbox,
  describeE2E,
  describeWithTree,
  dnsmasqLoopbackArgs,
  freePort,
  httpGet,
  queryA,
  waitFor,
} from './harness.js';

describeWithTree('recording stand-in (recordCommandLines)', () => {
  const daemon = `#!/sbin/openrc-run
description="demo"
supervisor=supervise-daemon
command=/usr/sbin/demod
command_args="--config /etc/demo.conf --name 'two words'"
command_args_foreground="--foreground"
pidfile="/run/\${RC_SVCNAME}.pid"
`;

  test('unpacked OpenRC is 0.45.2', () => {
    expect(openrcVersion()).toBe('0.45.2');
  });

  test('supervise-daemon argv: --pidfile, command, --, args, foreground args (eval quoting kept)', async () => {
    const r = await recordCommandLines({ svc: 'demo', initd: daemon, actions: ['start', 'stop'] });
    expect(r.start).toEqual([
      [
        'supervise-daemon',
        'demo',
        '--start',
        '--pidfile',
        '/run/demo.pid',
        '/usr/sbin/demod',
        '--',
        '--config',
        '/etc/demo.conf',
        '--name',
        'two words',
        '--foreground',
      ],
    ]);
    // stop uses the pidfile saved at start (service_get_value), as OpenRC does
    expect(r.stop).toEqual([['supervise-daemon', 'demo', '--stop', '--pidfile', '/run/demo.pid']]);
    const s = splitSuperviseArgv(r.start[0]);
    expect(s.command).toBe('/usr/sbin/demod');
    expect(s.args).toEqual(['--config', '/etc/demo.conf', '--name', 'two words', '--foreground']);
  });

  test('fallback trap: start_stop_daemon_args reaches supervise-daemon when supervise_daemon_args is unset or empty (0.45.2 uses :-)', async () => {
    for (const conf of [
      'start_stop_daemon_args="--wait 1000"\n',
      'start_stop_daemon_args="--wait 1000"\nsupervise_daemon_args=""\n',
    ]) {
      const r = await recordCommandLines({ svc: 'demo', initd: daemon, confd: conf, actions: ['start'] });
      const argv = r.start[0];
      expect(argv[0]).toBe('supervise-daemon');
      expect(argv).toContain('--wait');
      expect(argv.indexOf('--wait')).toBeLessThan(argv.indexOf('/usr/sbin/demod'));
    }
    const set = await recordCommandLines({
      svc: 'demo',
      initd: daemon,
      confd: 'start_stop_daemon_args="--wait 1000"\nsupervise_daemon_args="--respawn-max 3"\n',
      actions: ['start'],
    });
    expect(set.start[0]).not.toContain('--wait');
    expect(set.start[0]).toContain('--respawn-max');
  });

  test('without supervisor=: start-stop-daemon gets --exec and no foreground args; reload reaches the script function', async () => {
    const r = await recordActions({
      svc: 'legacy',
      initd: `#!/sbin/openrc-run
command=/usr/sbin/demod
command_args="-a 1"
command_args_foreground="--foreground"
command_args_background="--daemon"
pidfile=/run/legacy.pid
start_stop_daemon_args="--wait 1000"
extra_started_commands="reload"
reload() {
	ebegin "Reloading"
	start-stop-daemon --signal HUP --pidfile "\${pidfile}"
	eend $?
}
`,
      actions: ['start', 'reload', 'frobnicate'],
    });
    expect(r[0].calls).toEqual([
      [
        'start-stop-daemon',
        '--start',
        '--exec',
        '/usr/sbin/demod',
        '--pidfile',
        '/run/legacy.pid',
        '--wait',
        '1000',
        '--',
        '-a',
        '1',
        '--daemon',
      ],
    ]);
    expect(r[1].calls).toEqual([['start-stop-daemon', '--signal', 'HUP', '--pidfile', '/run/legacy.pid']]);
    // openrc-run.sh's own dispatcher refuses unknown actions
    expect(r[2].code).not.toBe(0);
    expect(r[2].stderr).toMatch(/unknown function `frobnicate'/);
  });
});

describeE2E('real OpenRC sandbox: busybox httpd under supervise-daemon', () => {
  let h: OpenRCSandbox | undefined;
  let work: string;
  let port: number;
  let conf: string;
  let initd = '';
  let child = 0;
  let supervisor = 0;

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'rcs-httpd-'));
    await writeFile(path.join(work, 'index.html'), 'hello from rc-supervise\n');
    conf = path.join(work, 'httpd.conf');
    await writeFile(conf, 'A:*\n');
    port = await freePort();
    initd = `#!/sbin/openrc-run
description="busybox httpd (hand-written e2e fixture)"
supervisor=supervise-daemon
command=/bin/busybox
command_args="httpd -p 127.0.0.1:${port} -h ${work} -c ${conf}"
command_args_foreground="-f"
extra_started_commands="reload"

reload() {
	ebegin "Reloading \${RC_SVCNAME}"
	\${supervisor} \${RC_SVCNAME} --signal HUP
	eend $?
}
`;
    h = await OpenRCSandbox.create({ initd: { web: initd } });
  });

  afterAll(async () => {
    await h?.dispose();
    if (work) await rm(work, { recursive: true, force: true });
  });

  test('start: child_pid is busybox httpd, under supervise-daemon, serving a file', async () => {
    const r = await h!.rc('web', 'start');
    expect(r).toMatchObject({ code: 0 });
    child = await h!.childPid('web');
    expect(h!.argvOf(child)).toEqual([
      '/bin/busybox',
      'httpd',
      '-p',
      `127.0.0.1:${port}`,
      '-h',
      work,
      '-c',
      conf,
      '-f',
    ]);
    supervisor = h!.ppidOf(child)!;
    expect(h!.argvOf(supervisor)?.slice(0, 3)).toEqual(['supervise-daemon', 'web', '--start']);
    // the recording stand-in predicts the real supervisor's argv exactly
    const recorded = await recordCommandLines({ svc: 'web', initd, actions: ['start'] });
    expect(recorded.start).toEqual([h!.argvOf(supervisor)]);
    const res = await waitFor(
      'httpd to answer',
      async () => await httpGet(port, '/index.html').catch(() => undefined),
      3000,
      30,
    );
    expect(res.status).toBe(200);
    expect(res.body).toBe('hello from rc-supervise\n');
    // and from inside the namespace, with the unpacked busybox
    const w = await h!.exec(`busybox wget -q -O - http://127.0.0.1:${port}/index.html`);
    expect(w.stdout).toBe('hello from rc-supervise\n');
    expect((await h!.rc('web', 'status')).stdout).toMatch(/status: started/);
  });

  test('kill the child: a new pid under the same supervisor within 2 s', async () => {
    const t0 = Date.now();
    process.kill(child, 'SIGKILL');
    const next = await h!.childPid('web', { not: child, timeoutMs: 2000 });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(h!.ppidOf(next)).toBe(supervisor);
    child = next;
    const res = await waitFor(
      'respawned httpd to answer',
      async () => await httpGet(port, '/index.html').catch(() => undefined),
      2000,
      30,
    );
    expect(res.status).toBe(200);
  });

  test('reload (supervise-daemon --signal HUP) reaches httpd: it re-reads httpd.conf', async () => {
    await writeFile(conf, 'D:*\n'); // deny everyone, effective only once httpd re-reads its conf
    expect((await httpGet(port, '/index.html')).status).toBe(200); // not re-read without HUP
    const r = await h!.rc('web', 'reload');
    expect(r.code).toBe(0);
    const denied = await waitFor(
      'httpd to deny after reload',
      async () => {
        const res = await httpGet(port, '/index.html').catch(() => undefined);
        return res?.status === 403 ? res : undefined;
      },
      2000,
      30,
    );
    expect(denied.status).toBe(403);
    expect(await h!.childPid('web')).toBe(child); // signalled, not restarted
  });

  test('stop: no process left', async () => {
    const t0 = Date.now();
    const r = await h!.rc('web', 'stop');
    expect(r.code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(1000); // tini reaps the supervisor at once
    await waitFor('no process left', () => (h!.processes().length === 0 ? true : undefined), 2000);
    expect(h!.pidsOf('httpd')).toEqual([]);
    expect((await h!.rc('web', 'status')).stdout).toMatch(/status: stopped/);
  });
});

describeE2E('real OpenRC sandbox: dnsmasq (unpacked dnsmasq-base) under supervise-daemon', () => {
  let h: OpenRCSandbox | undefined;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    h = await OpenRCSandbox.create({
      initd: {
        dnsmasq: `#!/sbin/openrc-run
description="dnsmasq on loopback (hand-written e2e fixture)"
supervisor=supervise-daemon
command=/usr/sbin/dnsmasq
command_args="${dnsmasqLoopbackArgs(port, ['--host-record=e2e.test,127.0.0.9'], { foreground: false })}"
command_args_foreground="--keep-in-foreground"
`,
      },
    });
  });

  afterAll(async () => {
    await h?.dispose();
  });

  test('starts in the foreground on 127.0.0.1, answers, respawns after kill, stops clean', async () => {
    expect((await h!.rc('dnsmasq', 'start')).code).toBe(0);
    const pid = await h!.childPid('dnsmasq');
    expect(h!.argvOf(pid)?.[0]).toBe('/usr/sbin/dnsmasq');
    expect(await waitFor('dnsmasq to answer', () => queryA(port, 'e2e.test', 300), 3000, 30)).toEqual(['127.0.0.9']);
    process.kill(pid, 'SIGKILL');
    const next = await h!.childPid('dnsmasq', { not: pid, timeoutMs: 2000 });
    expect(h!.pidsOf(/^supervise-daemon dnsmasq /)).toEqual([h!.ppidOf(next)]);
    expect(await waitFor('respawned dnsmasq to answer', () => queryA(port, 'e2e.test', 300), 3000, 30)).toEqual([
      '127.0.0.9',
    ]);
    expect((await h!.rc('dnsmasq', 'stop')).code).toBe(0);
    await waitFor('no process left', () => (h!.processes().length === 0 ? true : undefined), 2000);
  });
});
