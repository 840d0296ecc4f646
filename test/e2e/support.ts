/** Steps shared by the real-OpenRC tests of migrated services. */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { run } from '../helpers/cli.js';
import { makeRoot } from '../helpers/fixtures.js';
import { waitFor, type OpenRCSandbox } from './harness.js';

/** Services the fixtures `need` that the sandbox does not have: do-nothing stand-ins. */
export const STUBS = {
  localmount: '#!/sbin/openrc-run\nstart() { :; }\n',
  net: '#!/sbin/openrc-run\nstart() { :; }\n',
  hostname: '#!/sbin/openrc-run\nstart() { :; }\n',
};

/** Migrate one service with the CLI (in-process, writing) in a throw-away root; return the files. */
export async function migrateText(svc: string, initd: string, confd: string | null, ...flags: string[]) {
  const root = await makeRoot([{ svc, initd, confd }]);
  try {
    const r = await run('migrate', svc, '--root', root, ...flags);
    expect(r).toMatchObject({ code: 0 });
    return {
      initd: await readFile(path.join(root, 'etc/init.d', svc), 'utf8'),
      confd: await readFile(path.join(root, 'etc/conf.d', svc), 'utf8').catch(() => confd),
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** Kill the daemon; a new one must appear under the same supervisor within 2 s. */
export async function expectRespawn(h: OpenRCSandbox, svc: string, child: number): Promise<number> {
  const supervisor = h.ppidOf(child)!;
  expect(h.argvOf(supervisor)?.slice(0, 3)).toEqual(['supervise-daemon', svc, '--start']);
  const t0 = Date.now();
  process.kill(child, 'SIGKILL');
  const next = await h.childPid(svc, { not: child, timeoutMs: 2000 });
  expect(Date.now() - t0).toBeLessThan(2000);
  expect(h.ppidOf(next)).toBe(supervisor);
  return next;
}

/** `stop` succeeds and leaves no process behind (names what is left if not). */
export async function expectStopped(h: OpenRCSandbox, svc: string): Promise<void> {
  expect(await h.rc(svc, 'stop')).toMatchObject({ code: 0 });
  await waitFor('no process left', () => (h.processes().length === 0 ? true : undefined), 3000).catch(() => {
    throw new Error(
      `left behind: ${h
        .processes()
        .map((p) => `${p.pid} ${p.cmdline}`)
        .join('; ')}`,
    );
  });
}

/** The --pidfile the supervisor was started with (what `stop` reads). */
export function supervisorPidfile(h: OpenRCSandbox, supervisor: number): string {
  const argv = h.argvOf(supervisor)!;
  const i = argv.indexOf('--pidfile');
  expect(i).toBeGreaterThan(0);
  return argv[i + 1];
}

/** The pid in a file inside the sandbox (NaN when missing). */
export function pidIn(h: OpenRCSandbox, file: string): number {
  return Number(h.readInside(file)?.trim() ?? NaN);
}

/** The dnsmasq fixture, adapted to the test machine: no dnsmasq user, leases under /run. */
export function dnsmasqFixtureForSandbox(text: string): string {
  return text
    .replace('--owner dnsmasq:dnsmasq', '--owner root:root')
    .replace('/var/lib/misc/dnsmasq.leases', '/run/dnsmasq.leases');
}

/** DNSMASQ_OPTS for a loopback-only dnsmasq answering from one hosts file (no pid file flags). */
export function dnsmasqOpts(port: number, hosts: string): string {
  return [
    '--conf-file=/dev/null',
    `--port=${port}`,
    '--listen-address=127.0.0.1',
    '--bind-interfaces',
    '--no-resolv',
    '--no-hosts',
    `--addn-hosts=${hosts}`,
    '--user=root',
    '--log-facility=-',
  ].join(' ');
}
