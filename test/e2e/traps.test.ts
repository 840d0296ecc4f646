/**
 * OpenRC's traps under the real thing (Debian's OpenRC 0.45.2):
 *  - start_stop_daemon_args="--wait 1000": the wiki-style conversion does not start, ours does;
 *  - a `kill -HUP $(cat $pidfile)` reload, migrated, reaches the daemon;
 *  - `--log file` catches the daemon's stdout in a file.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { OpenRCSandbox, describeE2E, freePort, queryA, waitFor } from './harness.js';
import { dnsmasqOpts, migrateText } from './support.js';

/** A dnsmasq service as many scripts are written: -x pidfile, --wait, a kill-based reload. */
const legacy = `#!/sbin/openrc-run
command="/usr/sbin/dnsmasq"
pidfile="/run/\${RC_SVCNAME}.pid"
command_args="-x \${pidfile} \${DNSMASQ_OPTS}"
start_stop_daemon_args="--wait 1000"
extra_started_commands="reload"

reload() {
	ebegin "Reloading \${RC_SVCNAME}"
	kill -HUP $(cat "\${pidfile}")
	eend $?
}
`;

/** What the wiki's recipe makes of it: supervisor and foreground added, --wait left in place. */
const wikiStyle = legacy
  .replace(
    'command_args="-x ${pidfile} ${DNSMASQ_OPTS}"',
    'command_args="${DNSMASQ_OPTS}"\ncommand_args_background="-x ${pidfile}"\ncommand_args_foreground="--keep-in-foreground --pid-file"\nsupervisor="supervise-daemon"',
  )
  .replace('kill -HUP $(cat "${pidfile}")', '${supervisor} ${RC_SVCNAME} --signal HUP');

describeE2E('traps under real OpenRC', () => {
  let h: OpenRCSandbox | undefined;
  let work = '';
  let hosts = '';
  const port = { wiki: 0, ours: 0 };

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'rcs-traps-'));
    hosts = path.join(work, 'hosts');
    await writeFile(hosts, '127.0.0.8 trap.test\n');
    port.wiki = await freePort();
    port.ours = await freePort();
    const ours = await migrateText('dnsours', legacy, `DNSMASQ_OPTS="${dnsmasqOpts(port.ours, hosts)}"\n`);
    expect(ours.initd).toContain('supervise_daemon_args=" "');
    // The kill stays only for start-stop-daemon, behind the supervisor test.
    expect(ours.initd).toContain(
      'if [ "${supervisor}" = supervise-daemon ]; then ${supervisor} ${RC_SVCNAME} --signal HUP; else kill -HUP $(cat "${pidfile}"); fi',
    );
    // A daemon that writes to stdout, for --log file.
    const ticker = `#!/sbin/openrc-run
command="/bin/sh"
command_args="-c 'while :; do echo tick from \${RC_SVCNAME}; sleep 0.1; done'"
command_background="yes"
pidfile="/run/ticker.pid"
`;
    const logged = await migrateText('ticker', ticker, null, '--log', `file:${work}`);
    // sh may write the script's pidfile for all rc-supervise knows, so the migration goes to
    // init.d (the supervisor gets a pid file of its own); the logging lines go with it.
    expect(`${logged.confd ?? ''}${logged.initd}`).toContain(`output_log="${work}/\${RC_SVCNAME}.log"`);
    h = await OpenRCSandbox.create({
      initd: { dnswiki: wikiStyle, dnsours: ours.initd, ticker: logged.initd },
      confd: {
        dnswiki: `DNSMASQ_OPTS="${dnsmasqOpts(port.wiki, hosts)}"\n`,
        dnsours: ours.confd ?? '',
        ticker: logged.confd ?? '',
      },
    });
  });

  afterAll(async () => {
    await h?.dispose();
    if (work) await rm(work, { recursive: true, force: true });
  });

  test('wiki-style: start_stop_daemon_args="--wait 1000" reaches supervise-daemon and start fails', async () => {
    const r = await h!.rc('dnswiki', 'start');
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/unrecognized option|--wait/);
    expect(await queryA(port.wiki, 'trap.test', 300)).toBeUndefined();
  });

  test('migrated by rc-supervise: it starts, and the kill-based reload now reaches dnsmasq', async () => {
    expect(await h!.rc('dnsours', 'start')).toMatchObject({ code: 0 });
    const child = await h!.childPid('dnsours');
    expect(await waitFor('dns', async () => queryA(port.ours, 'trap.test'), 3000, 50)).toEqual(['127.0.0.8']);
    await writeFile(hosts, '127.0.0.9 trap.test\n');
    expect(await h!.rc('dnsours', 'reload')).toMatchObject({ code: 0 });
    const after = await waitFor(
      'reload to take effect',
      async () => ((await queryA(port.ours, 'trap.test'))?.[0] === '127.0.0.9' ? true : undefined),
      2000,
      50,
    );
    expect(after).toBe(true);
    expect(await h!.childPid('dnsours')).toBe(child);
    expect(await h!.rc('dnsours', 'stop')).toMatchObject({ code: 0 });
  });

  test("--log file: the daemon's stdout lands in the log file", async () => {
    expect(await h!.rc('ticker', 'start')).toMatchObject({ code: 0 });
    const log = path.join(work, 'ticker.log');
    const text = await waitFor(
      'log lines',
      async () => {
        const t = await readFile(log, 'utf8').catch(() => '');
        return t.includes('tick from ticker') ? t : undefined;
      },
      3000,
      50,
    );
    expect(text).toMatch(/^tick from ticker$/m);
    expect(await h!.rc('ticker', 'stop')).toMatchObject({ code: 0 });
  });
});
