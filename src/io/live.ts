import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readValueOrUndefined, underRoot } from './files.js';

/** OpenRC's runtime state says the service is started (ROOT/run/openrc/started/<svc>). */
export async function isStarted(root: string, svc: string): Promise<boolean> {
  try {
    await fs.lstat(underRoot(root, `run/openrc/started/${svc}`));
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `/etc/init.d/<svc> <action>` (only meaningful with --root /). Its output goes to a
 * temp file, not a pipe: supervise-daemon and the daemon may keep inherited descriptors
 * open for as long as they live, and waiting for a pipe to close would wait for them.
 */
export async function rcAction(
  root: string,
  svc: string,
  action: 'start' | 'stop' | 'status',
): Promise<{ ok: boolean; output: string }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'rc-supervise-'));
  const log = path.join(dir, 'out');
  const fh = await fs.open(log, 'w');
  try {
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(underRoot(root, `etc/init.d/${svc}`), [action], { stdio: ['ignore', fh.fd, fh.fd] });
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('error', () => resolve(-1));
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    return { ok: code === 0, output: (await fs.readFile(log, 'utf8')).trim() };
  } finally {
    await fh.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

async function childPid(root: string, svc: string): Promise<number | undefined> {
  const n = Number(readValueOrUndefined(root, `run/openrc/options/${svc}/child_pid`)?.trim());
  return n > 0 ? n : undefined;
}

/** A live process, not a zombie waiting to be reaped. */
async function alive(pid: number): Promise<boolean> {
  try {
    const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) [ZX] /s.test(stat);
  } catch {
    return false;
  }
}

async function value(root: string, svc: string, key: string): Promise<string | undefined> {
  return readValueOrUndefined(root, `run/openrc/options/${svc}/${key}`)?.trim();
}

/**
 * After a start under supervise-daemon: the daemon must stay up for `settleMs`. OpenRC's
 * `start` says ok as soon as the child is spawned, even if it dies at once (docs/openrc.md
 * §7); a child that exits is respawned with a new pid and counted in start_count, and a
 * supervisor that gives up leaves the service crashed. All three are checked.
 */
export async function settled(root: string, svc: string, settleMs: number): Promise<{ ok: boolean; why?: string }> {
  let first: number | undefined;
  const t0 = Date.now();
  while (Date.now() - t0 < 1000 && !(first = await childPid(root, svc))) await sleep(20);
  if (!first) return { ok: false, why: 'supervise-daemon started no daemon (no child_pid)' };
  await sleep(settleMs);
  const now = await childPid(root, svc);
  const respawns = Number((await value(root, svc, 'start_count')) ?? 0);
  if (now !== first || !(await alive(first)) || respawns > 0)
    return { ok: false, why: `the daemon did not stay up (pid ${first} gone, ${respawns} respawns)` };
  const status = await rcAction(root, svc, 'status');
  if (!status.ok) return { ok: false, why: `status after start: ${status.output}` };
  return { ok: true };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
