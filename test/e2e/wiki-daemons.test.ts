/**
 * More of the wiki's daemons, migrated by rc-supervise from their fixtures and run by the
 * real OpenRC (Debian bookworm 0.45.2) with Debian's own binaries, unpacked by
 * scripts/fetch-openrc.sh: sshd (openssh-server), tor and syslog-ng (syslog-ng-core).
 * dnsmasq is in migrated.test.ts.
 *
 * For each one: the fixture's stock init.d.in (+ conf.d.in) is migrated through the CLI;
 * then start -> the daemon is supervise-daemon's child, with the foreground flags the rule
 * added, and does its job; SIGKILL -> respawned under the same supervisor within 2 s;
 * reload -> 0, same pid, and the new configuration is in effect; the supervisor's pidfile
 * holds the supervisor; stop -> nothing left.
 *
 * Only the test machine is adapted, never the fixture's init.d: a fixture's conf.d
 * variables point at temp files, and the sandbox (private /etc, /run) gets what the
 * Debian packages' maintainer scripts would have created (system users, /run/sshd) and
 * the daemons' configuration files. Skipped here: mpd (~50 codec/audio libraries beyond
 * a minimal Debian), ntpd (needs the network), metalog (not in Debian), acpid (needs
 * /proc/acpi or input devices).
 */
import { spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { FIXTURES } from '../helpers/fixtures.js';
import { FETCH_SCRIPT, openrcTree } from '../helpers/openrc-cmdline.js';
import { OpenRCSandbox, describeE2E, freePort, waitFor } from './harness.js';
import { STUBS, expectRespawn, expectStopped, migrateText, pidIn, supervisorPidfile } from './support.js';

// A tree unpacked before fetch-openrc.sh listed these daemons has its marker, so the
// harness would not fetch again: run the (idempotent, fast when up to date) script here.
if (process.getuid?.() === 0 && existsSync(openrcTree())) {
  spawnSync('bash', [FETCH_SCRIPT], { encoding: 'utf8', timeout: 300_000 });
}

/** describeE2E, skipping (or failing in CI) when the tree lacks the daemon's binary. */
function describeDaemon(name: string, binary: string, fn: () => void): void {
  if (existsSync(path.join(openrcTree(), binary)) || !existsSync(openrcTree())) {
    describeE2E(name, fn);
  } else if (process.env.CI === 'true' || process.env.CI === '1') {
    describe(name, () =>
      test(`${binary} is unpacked (required in CI)`, () => {
        throw new Error(`${binary} missing from ${openrcTree()}: run bash scripts/fetch-openrc.sh`);
      }),
    );
  } else {
    // eslint-disable-next-line no-console
    console.warn(`skipping "${name}": ${binary} not unpacked; run bash scripts/fetch-openrc.sh`);
    describe.skip(name, fn);
  }
}

/** Services the fixtures `need` that the sandbox does not have: no-op stand-ins. */
async function fixture(svc: string): Promise<{ initd: string; confd: string | null }> {
  const dir = path.join(FIXTURES, svc, 'stock');
  return {
    initd: await readFile(path.join(dir, 'init.d.in'), 'utf8'),
    confd: await readFile(path.join(dir, 'conf.d.in'), 'utf8').catch(() => null),
  };
}

/** Run a command inside the sandbox; it must succeed. */
async function sh(h: OpenRCSandbox, cmd: string): Promise<string> {
  const r = await h.exec(cmd);
  if (r.code !== 0) throw new Error(`sandbox: \`${cmd}\` failed (${r.code}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** Add a system user and group to the sandbox's private /etc (as a package's postinst would). */
async function addSystemUser(h: OpenRCSandbox, name: string, uid: number, home: string): Promise<void> {
  await sh(
    h,
    `grep -q '^${name}:' /etc/group || echo '${name}:x:${uid}:' >> /etc/group
grep -q '^${name}:' /etc/passwd || echo '${name}:x:${uid}:${uid}:${name}:${home}:/usr/sbin/nologin' >> /etc/passwd`,
  );
}

/** The daemon is supervise-daemon's child; its supervisor's argv ends with `foreground`. */
function expectSupervised(h: OpenRCSandbox, svc: string, child: number, command: string, foreground: string[]) {
  const supervisor = h.ppidOf(child)!;
  const sargv = h.argvOf(supervisor)!;
  expect(sargv.slice(0, 3)).toEqual(['supervise-daemon', svc, '--start']);
  expect(sargv).toContain(command);
  expect(sargv.slice(-foreground.length)).toEqual(foreground);
  return supervisor;
}

/** Connect to 127.0.0.1:port and resolve with the first line the server sends. */
function firstLine(port: number, timeoutMs = 1000): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port });
    let buf = '';
    const done = (e?: Error) => {
      clearTimeout(timer);
      s.destroy();
      if (e) reject(e);
      else resolve(buf.split(/\r?\n/)[0]);
    };
    const timer = setTimeout(() => done(new Error(`no line from :${port} in ${timeoutMs} ms`)), timeoutMs);
    s.setEncoding('utf8');
    s.on('data', (d: string) => {
      buf += d;
      if (buf.includes('\n')) done();
    });
    s.on('error', (e) => done(e));
  });
}

// ---------------------------------------------------------------------------------------------
// sshd

describeDaemon("migrated sshd fixture with Debian's openssh-server", 'usr/sbin/sshd', () => {
  let h: OpenRCSandbox | undefined;
  let work = '';
  let port = 0;
  let config = '';
  let child = 0;
  let supervisor = 0;
  let migrated = { initd: '', confd: null as string | null };

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'rcs-msshd-'));
    config = path.join(work, 'sshd_config');
    await writeFile(config, '# defaults; the conf.d passes the rest with -o\n');
    port = await freePort();
    const fx = await fixture('sshd');
    // Test machine: the init.d is the fixture's, verbatim. conf.d: SSHD_OPTS (the fixture
    // leaves it empty) listens on loopback:port with a throw-away host key, logs to a file
    // (-E) and skips the home-directory mode checks; SSHD_CONFIG (read by the init.d with
    // `: ${SSHD_CONFIG:=...}`) points at a config file in the temp dir.
    const opts = [
      `-o Port=${port}`,
      '-o ListenAddress=127.0.0.1',
      `-o HostKey=${work}/host_ed25519_key`,
      '-o StrictModes=no',
      '-o UsePAM=no',
      `-E ${work}/sshd.log`,
    ].join(' ');
    const confd = `${fx.confd!.replace('SSHD_OPTS=""', `SSHD_OPTS="${opts}"`)}SSHD_CONFIG="${config}"\n`;
    expect(confd).toContain(`-o Port=${port}`);
    migrated = await migrateText('sshd', fx.initd, confd);
    expect(migrated.initd).toContain('command_args_foreground="-D -o PidFile=none"');
    h = await OpenRCSandbox.create({ initd: { ...STUBS, sshd: migrated.initd }, confd: { sshd: migrated.confd! } });
    // What openssh-server's postinst and its tmpfiles.d would create: the privilege
    // separation user and its empty chroot /run/sshd. The host key comes from the
    // unpacked ssh-keygen.
    await addSystemUser(h, 'sshd', 64101, '/run/sshd');
    await sh(h, `mkdir -p -m 0755 /run/sshd && ssh-keygen -q -t ed25519 -N '' -f ${work}/host_ed25519_key`);
  });

  afterAll(async () => {
    await h?.dispose();
    if (work) await rm(work, { recursive: true, force: true });
  });

  test('starts in the foreground (-D -o PidFile=none) under supervise-daemon and sends its banner', async () => {
    expect(await h!.rc('sshd', 'start')).toMatchObject({ code: 0 });
    child = await h!.childPid('sshd');
    supervisor = expectSupervised(h!, 'sshd', child, '/usr/sbin/sshd', ['-D', '-o', 'PidFile=none']);
    // the listener rewrites its title to "sshd: <argv joined> [listener] ...": argv is in there
    const title = h!.argvOf(child)!.join(' ');
    expect(title).toMatch(/^(sshd: )?\/usr\/sbin\/sshd /);
    expect(title).toContain(`-f ${config} -D -o PidFile=none`);
    expect(title).not.toContain('PidFile=/run/sshd.pid');
    const banner = await waitFor('SSH banner', () => firstLine(port).catch(() => undefined), 3000, 30);
    expect(banner).toMatch(/^SSH-2\.0-OpenSSH_/);
    // /run/sshd.pid is the supervisor's (sshd writes none: PidFile=none)
    expect(supervisorPidfile(h!, supervisor)).toBe('/run/sshd.pid');
    expect(pidIn(h!, '/run/sshd.pid')).toBe(supervisor);
  });

  test('killed sshd is respawned and listens again', async () => {
    child = await expectRespawn(h!, 'sshd', child);
    expect(await waitFor('banner again', () => firstLine(port).catch(() => undefined), 2000, 30)).toMatch(/^SSH-2\.0-/);
  });

  test('reload (checkconfig, then SIGHUP via the supervisor): sshd re-execs itself with the new config', async () => {
    expect(await firstLine(port)).not.toContain('reloaded-by-openrc');
    await writeFile(config, 'VersionAddendum reloaded-by-openrc\n');
    expect(await h!.rc('sshd', 'reload')).toMatchObject({ code: 0 });
    const banner = await waitFor(
      'banner with the addendum',
      async () => {
        const l = await firstLine(port).catch(() => '');
        return l.endsWith(' reloaded-by-openrc') ? l : undefined;
      },
      3000,
      30,
    );
    expect(banner).toMatch(/^SSH-2\.0-OpenSSH_\S+ .*reloaded-by-openrc$/);
    expect(await h!.childPid('sshd')).toBe(child); // SIGHUP: execve in place, same pid
    expect(h!.ppidOf(child)).toBe(supervisor);
  });

  test('reload with a broken config is refused by checkconfig and sshd keeps running', async () => {
    await writeFile(config, 'NoSuchSshdKeyword yes\n');
    const r = await h!.rc('sshd', 'reload');
    expect(r.code).not.toBe(0);
    // sshd -t logs to the -E file from SSHD_OPTS
    expect(await readFile(path.join(work, 'sshd.log'), 'utf8')).toMatch(/Bad configuration option: NoSuchSshdKeyword/);
    expect(await h!.childPid('sshd')).toBe(child);
    expect(await firstLine(port)).toMatch(/^SSH-2\.0-/);
    await writeFile(config, 'VersionAddendum reloaded-by-openrc\n');
  });

  test('stop leaves no process behind', async () => {
    await expectStopped(h!, 'sshd');
    await expect(firstLine(port, 300)).rejects.toThrow();
  });
});

// ---------------------------------------------------------------------------------------------
// tor

/** One tor control-port session: authenticate with the cookie, send commands, return replies. */
async function torControl(port: number, cookieFile: string, commands: string[], timeoutMs = 1500): Promise<string[]> {
  const cookie = (await readFile(cookieFile)).toString('hex');
  const lines = [`AUTHENTICATE ${cookie}`, ...commands, 'QUIT'];
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port });
    let buf = '';
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`tor control: no answer in ${timeoutMs} ms: ${buf}`));
    }, timeoutMs);
    s.setEncoding('utf8');
    s.on('connect', () => s.write(lines.map((l) => `${l}\r\n`).join('')));
    s.on('data', (d: string) => (buf += d));
    s.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    s.on('close', () => {
      clearTimeout(timer);
      resolve(buf.split('\r\n').filter(Boolean));
    });
  });
}

describeDaemon("migrated tor fixture with Debian's tor (DisableNetwork 1)", 'usr/bin/tor', () => {
  let h: OpenRCSandbox | undefined;
  let work = '';
  let control = 0;
  let cookie = '';
  let child = 0;
  let supervisor = 0;

  const torrc = (nickname: string) =>
    [
      'DisableNetwork 1', // no connection to the Tor network, no directory fetches
      'SocksPort 0', // (DisableNetwork opens no SOCKS listener anyway)
      `ControlPort 127.0.0.1:${control}`, // the one listener DisableNetwork keeps
      'CookieAuthentication 1',
      `CookieAuthFile ${cookie}`,
      `DataDirectory ${work}/data`,
      `Log notice file ${work}/notices.log`,
      `Nickname ${nickname}`,
      '',
    ].join('\n');

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'rcs-mtor-'));
    await mkdir(path.join(work, 'data'), { mode: 0o700 });
    cookie = path.join(work, 'control_auth_cookie');
    control = await freePort();
    const fx = await fixture('tor');
    // Test machine: init.d and conf.d are the fixture's, verbatim. The init.d reads the
    // fixed /etc/tor/torrc (checkconfig, and tor's default): written into the sandbox's
    // private /etc below. checkpath -o tor:tor: the sandbox gets Debian's tor user.
    const m = await migrateText('tor', fx.initd, fx.confd);
    expect(m.initd).toContain('command_args_foreground="--runasdaemon 0"');
    h = await OpenRCSandbox.create({ initd: { ...STUBS, tor: m.initd }, confd: { tor: m.confd! } });
    await addSystemUser(h, 'tor', 64102, '/var/lib/tor');
    await sh(h, 'mkdir -p /etc/tor');
    await h.writeInside('/etc/tor/torrc', torrc('before'));
  });

  afterAll(async () => {
    await h?.dispose();
    if (work) await rm(work, { recursive: true, force: true });
  });

  test('starts in the foreground (--runasdaemon 0) under supervise-daemon and answers on its control port', async () => {
    expect(await h!.rc('tor', 'start')).toMatchObject({ code: 0 });
    child = await h!.childPid('tor');
    supervisor = expectSupervised(h!, 'tor', child, '/usr/bin/tor', ['--runasdaemon', '0']);
    expect(h!.argvOf(child)).toEqual(['/usr/bin/tor', '--hush', '--runasdaemon', '0']);
    const replies = await waitFor(
      'tor control port',
      () => torControl(control, cookie, ['GETINFO process/pid', 'GETCONF Nickname']).catch(() => undefined),
      5000,
      50,
    );
    expect(replies).toEqual([
      '250 OK',
      `250-process/pid=${child}`,
      '250 OK',
      '250 Nickname=before',
      '250 closing connection',
    ]);
    // checkpath made /run/tor for tor's user; the supervisor's pidfile is its own
    expect((await sh(h!, 'stat -c %U:%G /run/tor')).trim()).toBe('tor:tor');
    expect(supervisorPidfile(h!, supervisor)).toBe('/run/supervise-tor.pid');
    expect(pidIn(h!, '/run/supervise-tor.pid')).toBe(supervisor);
    expect(h!.readInside('/run/tor/tor.pid')).toBeUndefined(); // --PidFile only in the background args
  });

  test('killed tor is respawned and answers again', async () => {
    child = await expectRespawn(h!, 'tor', child);
    const replies = await waitFor(
      'tor control port again',
      () => torControl(control, cookie, ['GETINFO process/pid']).catch(() => undefined),
      5000,
      50,
    );
    expect(replies).toContain(`250-process/pid=${child}`);
  });

  test('reload (checkconfig, then SIGHUP via the supervisor): tor re-reads /etc/tor/torrc', async () => {
    await h!.writeInside('/etc/tor/torrc', torrc('after'));
    expect(await h!.rc('tor', 'reload')).toMatchObject({ code: 0 });
    const replies = await waitFor(
      'new Nickname',
      async () => {
        const r = await torControl(control, cookie, ['GETCONF Nickname', 'GETINFO process/pid']).catch(
          (): string[] => [],
        );
        return r.includes('250 Nickname=after') ? r : undefined;
      },
      3000,
      50,
    );
    expect(replies).toContain(`250-process/pid=${child}`);
    expect(await h!.childPid('tor')).toBe(child);
  });

  test('stop (retry SIGINT/60) leaves no process behind', async () => {
    await expectStopped(h!, 'tor');
  });
});

// ---------------------------------------------------------------------------------------------
// syslog-ng

/** A syslog-ng.conf: RFC 3164 over UDP on loopback:port into `out`. */
function syslogNgConf(port: number, out: string, tag: string): string {
  return `@version: 3.38
options { use-dns(no); dns-cache(no); stats-freq(0); };
source s_test { network(ip("127.0.0.1") port(${port}) transport("udp")); };
destination d_test { file("${out}" template("${tag} \${PROGRAM}: \${MESSAGE}\\n")); };
log { source(s_test); destination(d_test); };
`;
}

function sendSyslog(port: number, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    s.send(Buffer.from(`<13>Jan  1 00:00:00 testhost rcs-test: ${text}`), port, '127.0.0.1', (e) => {
      s.close();
      if (e) reject(e);
      else resolve();
    });
  });
}

/** Send `text` until it shows up in `file` (UDP: the first datagrams may precede the bind). */
async function logsTo(port: number, file: string, text: string, timeoutMs = 3000): Promise<string> {
  return waitFor(
    `"${text}" in ${file}`,
    async () => {
      const now = await readFile(file, 'utf8').catch(() => '');
      if (now.includes(text)) return now;
      await sendSyslog(port, text);
      return undefined;
    },
    timeoutMs,
    100,
  );
}

/**
 * The syslog-ng sandbox: the fixture's init.d reads /etc/syslog-ng/syslog-ng.conf (the
 * sandbox's private /etc) and keeps its state in /var/lib/syslog-ng. /var is the host's,
 * so /var/lib gets a private tmpfs in the sandbox's mount namespace.
 */
async function syslogNgSandbox(initd: string, confd: string, conf: string): Promise<OpenRCSandbox> {
  const h = await OpenRCSandbox.create({ initd: { ...STUBS, 'syslog-ng': initd }, confd: { 'syslog-ng': confd } });
  await sh(h, 'mount -t tmpfs -o mode=0755 rcs-var-lib /var/lib && mkdir -p /etc/syslog-ng');
  await h.writeInside('/etc/syslog-ng/syslog-ng.conf', conf);
  return h;
}

/**
 * syslog-ng writes its compiled-in pid file even in the foreground (without --pidfile):
 * <pidfile-dir>/syslog-ng.pid. Debian builds with the default pidfile-dir, its
 * localstatedir /var/lib/syslog-ng; Gentoo with --with-pidfile-dir=/var/run (= /run).
 */
const DEBIAN_SYSLOG_NG_PIDFILE = '/var/lib/syslog-ng/syslog-ng.pid';

describeDaemon("migrated syslog-ng fixture with Debian's syslog-ng-core", 'usr/sbin/syslog-ng', () => {
  let h: OpenRCSandbox | undefined;
  let work = '';
  let port = 0;
  let child = 0;
  let supervisor = 0;

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'rcs-msng-'));
    port = await freePort();
    const fx = await fixture('syslog-ng');
    // Test machine: init.d and conf.d are the fixture's, verbatim (root:root, the defaults).
    const m = await migrateText('syslog-ng', fx.initd, fx.confd);
    expect(m.initd).toContain('command_args_foreground="--foreground --process-mode=foreground"');
    h = await syslogNgSandbox(m.initd, m.confd!, syslogNgConf(port, `${work}/first.log`, 'first'));
  });

  afterAll(async () => {
    await h?.dispose();
    if (work) await rm(work, { recursive: true, force: true });
  });

  test('starts in the foreground under supervise-daemon and writes what it receives', async () => {
    expect(await h!.rc('syslog-ng', 'start')).toMatchObject({ code: 0 });
    child = await h!.childPid('syslog-ng');
    supervisor = expectSupervised(h!, 'syslog-ng', child, '/usr/sbin/syslog-ng', [
      '--foreground',
      '--process-mode=foreground',
    ]);
    expect(h!.argvOf(child)).toEqual([
      '/usr/sbin/syslog-ng',
      '--cfgfile',
      '/etc/syslog-ng/syslog-ng.conf',
      '--control',
      '/run/syslog-ng.ctl',
      '--persist-file',
      '/var/lib/syslog-ng/syslog-ng.persist',
      '--foreground',
      '--process-mode=foreground',
    ]);
    const log = await logsTo(port, `${work}/first.log`, 'hello from the test');
    expect(log).toMatch(/^first rcs-test: hello from the test$/m);
    // the supervisor's pidfile (/run/syslog-ng.pid) is its own: Debian's syslog-ng writes
    // its compiled-in one elsewhere (see the next describe for where that goes wrong)
    expect(pidIn(h!, supervisorPidfile(h!, supervisor))).toBe(supervisor);
    expect((await sh(h!, 'stat -c %a /var/lib/syslog-ng')).trim()).toBe('700'); // checkpath ran
  });

  test('killed syslog-ng is respawned and logs again', async () => {
    child = await expectRespawn(h!, 'syslog-ng', child);
    expect(await logsTo(port, `${work}/first.log`, 'after the respawn')).toMatch(/after the respawn/);
    expect(pidIn(h!, supervisorPidfile(h!, supervisor))).toBe(supervisor);
  });

  test('reload (checkconfig, then SIGHUP via the supervisor): the new destination is used', async () => {
    await h!.writeInside('/etc/syslog-ng/syslog-ng.conf', syslogNgConf(port, `${work}/second.log`, 'second'));
    expect(await h!.rc('syslog-ng', 'reload')).toMatchObject({ code: 0 });
    const log = await logsTo(port, `${work}/second.log`, 'after the reload');
    expect(log).toMatch(/^second rcs-test: after the reload$/m);
    expect(await h!.childPid('syslog-ng')).toBe(child);
  });

  test('stop leaves no process behind', async () => {
    await expectStopped(h!, 'syslog-ng');
  });
});

/**
 * Regression test for a bug this file found. The syslog-ng rule moves `--pidfile "${SYSLOG_NG_PIDFILE}"` to
 * command_args_background and keeps pidfile="${SYSLOG_NG_PIDFILE}" (/run/syslog-ng.pid) for
 * supervise-daemon. In the foreground syslog-ng still writes its compiled-in pid file,
 * which on Gentoo (--with-pidfile-dir=/var/run) is /run/syslog-ng.pid: the supervisor's.
 * Debian's build writes /var/lib/syslog-ng/syslog-ng.pid instead, so here the conf.d points
 * SYSLOG_NG_PIDFILE_DIR there to reproduce Gentoo's clash. Then `stop` reads syslog-ng's
 * pid, kills syslog-ng instead of its supervisor, says ok, and the supervisor respawns it.
 */
describeDaemon(
  "migrated syslog-ng where its own pid file is the supervisor's (as on Gentoo)",
  'usr/sbin/syslog-ng',
  () => {
    let h: OpenRCSandbox | undefined;
    let work = '';
    let port = 0;
    let child = 0;

    beforeAll(async () => {
      work = await mkdtemp(path.join(os.tmpdir(), 'rcs-msng2-'));
      port = await freePort();
      const fx = await fixture('syslog-ng');
      const confd = `${fx.confd}SYSLOG_NG_PIDFILE_DIR="${DEBIAN_SYSLOG_NG_PIDFILE.replace(/\/[^/]+$/, '')}"\n`;
      const m = await migrateText('syslog-ng', fx.initd, confd);
      h = await syslogNgSandbox(m.initd, m.confd!, syslogNgConf(port, `${work}/out.log`, 'x'));
      await sh(h, 'mkdir -p -m 0700 /var/lib/syslog-ng'); // required_dirs
    });

    afterAll(async () => {
      await h?.dispose();
      if (work) await rm(work, { recursive: true, force: true });
    });

    test('starts under supervise-daemon and logs', async () => {
      expect(await h!.rc('syslog-ng', 'start')).toMatchObject({ code: 0 });
      child = await h!.childPid('syslog-ng');
      expectSupervised(h!, 'syslog-ng', child, '/usr/sbin/syslog-ng', ['--foreground', '--process-mode=foreground']);
      // rc-supervise gives the supervisor a pid file of its own (syslog-ng's rule: ownPidfile '*')
      expect(supervisorPidfile(h!, h!.ppidOf(child)!)).toBe('/run/supervise-syslog-ng.pid');
      expect(await logsTo(port, `${work}/out.log`, 'hello')).toMatch(/hello/);
    });

    test('the pid file keeps naming the supervisor, and stop ends the service', async () => {
      const supervisor = h!.ppidOf(child)!;
      // (by now syslog-ng has long written its own pid file: it logged a message)
      expect(pidIn(h!, supervisorPidfile(h!, supervisor))).toBe(supervisor);
      await expectStopped(h!, 'syslog-ng');
    });
  },
);
