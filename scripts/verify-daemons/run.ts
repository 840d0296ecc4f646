/**
 * Run one daemon under real supervise-daemon in the e2e sandbox and observe it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { OpenRCSandbox } from '../../test/e2e/harness.js';
import type { Observation } from './report.js';

export interface RunSpec {
  svc: string;
  /** Path of the binary inside the sandbox. */
  command: string;
  args: string;
  foreground: string;
  supervisorPidfile: string;
  commandUser?: string;
  /** Shell run inside the sandbox before start (users, directories, config files). */
  setup: string;
  /** Host temp dir (visible inside at the same path) for logs and configs. */
  tmp: string;
  layers: string[];
  waitMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The throw-away init script: what a migrated script boils down to. */
export function initScript(s: RunSpec): string {
  const dq = (v: string) => `"${v.replace(/(["\\$`])/g, '\\$1')}"`;
  return [
    '#!/sbin/openrc-run',
    `description="verify-daemons: ${s.svc}"`,
    'supervisor=supervise-daemon',
    `command=${dq(s.command)}`,
    `command_args=${dq(s.args)}`,
    `command_args_foreground=${dq(s.foreground)}`,
    `pidfile=${dq(s.supervisorPidfile)}`,
    ...(s.commandUser ? [`command_user=${dq(s.commandUser)}`] : []),
    `output_log=${dq(path.join(s.tmp, 'stdout.log'))}`,
    `error_log=${dq(path.join(s.tmp, 'stderr.log'))}`,
    '',
  ].join('\n');
}

function readTail(file: string, n = 2000): string {
  try {
    const t = squeezeRepeats(readFileSync(file, 'utf8'));
    // the first lines say why the first start failed, the last ones how it ended
    return t.length > n ? `${t.slice(0, n / 2)}\n…\n${t.slice(-n / 2)}` : t;
  } catch {
    return '';
  }
}

/**
 * A daemon respawned ten times prints the same error ten times: keep each distinct line
 * once, in order of first appearance, with its count.
 */
export function squeezeRepeats(text: string): string {
  const count = new Map<string, number>();
  for (const line of text.split('\n')) if (line.trim()) count.set(line, (count.get(line) ?? 0) + 1);
  return [...count].map(([line, n]) => (n > 1 ? `${line} (x${n})` : line)).join('\n');
}

/** Programs D-Bus service files start (first word of Exec=). */
function dbusActivatable(dir: string): Set<string> {
  const out = new Set<string>();
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const n of names) {
    const m = /^Exec=(\S+)/m.exec(readTail(path.join(dir, n), 10_000));
    if (m) out.add(m[1]);
  }
  return out;
}

/** Files under dir (recursively) named *.pid, relative paths. */
function pidFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  let ents: string[] = [];
  try {
    ents = readdirSync(path.join(dir, rel));
  } catch {
    return out;
  }
  for (const e of ents) {
    const r = path.join(rel, e);
    let st;
    try {
      st = statSync(path.join(dir, r));
    } catch {
      continue;
    }
    if (st.isDirectory()) out.push(...pidFiles(dir, r));
    else if (/\.pid$|^pid$/.test(e)) out.push(r);
  }
  return out;
}

export async function runDaemon(s: RunSpec): Promise<Observation> {
  const h = await OpenRCSandbox.create({
    initd: { [s.svc]: initScript(s) },
    layers: s.layers,
    privateVar: true,
    privateNet: true,
    timeoutMs: 15_000,
  });
  const obs: Observation = {
    startCode: -1,
    startOutput: '',
    stayed: false,
    childPids: [],
    escaped: [],
    supervisorPidfile: s.supervisorPidfile,
    pidfilesWritten: [],
    leftAfterStop: [],
    stderrTail: '',
    stdoutTail: '',
  };
  try {
    if (s.setup.trim()) {
      const r = await h.exec(s.setup);
      if (r.code !== 0) throw new Error(`setup failed (${r.code}): ${r.stderr}${r.stdout}`);
    }
    // Helpers the setup left running (a system bus) are not the daemon escaping.
    const before = new Set(h.processes().map((p) => p.pid));
    const start = await h.rc(s.svc, 'start');
    obs.startCode = start.code;
    obs.startOutput = (start.stdout + start.stderr).trim();
    obs.child = await h.childPid(s.svc, { timeoutMs: 3000 }).catch(() => undefined);
    // The supervisor, also when no child could be seen (it died, or forked at once).
    obs.supervisor =
      (obs.child !== undefined ? h.ppidOf(obs.child) : undefined) ??
      h.processes().find((p) => p.cmdline.startsWith(`supervise-daemon ${s.svc} `))?.pid;
    if (obs.child !== undefined) obs.childPids.push(obs.child);
    const t0 = Date.now();
    while (Date.now() - t0 < (obs.child !== undefined ? s.waitMs : 1000)) {
      await sleep(100);
      const cur = Number(h.readInside(`/run/openrc/options/${s.svc}/child_pid`)?.trim());
      if (Number.isInteger(cur) && cur > 0 && !obs.childPids.includes(cur)) obs.childPids.push(cur);
    }
    obs.stayed = obs.child !== undefined && obs.supervisor !== undefined && h.ppidOf(obs.child) === obs.supervisor;
    // Everything the start left in the namespace must descend from the supervisor.
    const procs = h.processes();
    const byPid = new Map(procs.map((p) => [p.pid, p]));
    // ... or from a helper the setup started (a system bus activating a service of the daemon)
    const underSupervisor = (pid: number) => {
      for (let p: number | undefined = pid, i = 0; p && i < 50; i++) {
        if (p === obs.supervisor || (p !== pid && before.has(p))) return true;
        p = byPid.get(p)?.ppid;
      }
      return false;
    };
    // Services the system bus started on the daemon's request are reparented to tini (the
    // launch helper exits): recognised by their Exec= in the bus's service files.
    const activatable = dbusActivatable(h.inside('/usr/share/dbus-1/system-services'));
    obs.escaped = procs
      .filter(
        (p) =>
          !before.has(p.pid) &&
          !activatable.has(p.cmdline.split(' ')[0]) &&
          p.pid !== obs.supervisor &&
          !underSupervisor(p.pid) &&
          !p.cmdline.startsWith('supervise-daemon'),
      )
      .map((p) => `${p.pid} "${p.cmdline.slice(0, 120)}"`);
    obs.pidfileContent = h.readInside(s.supervisorPidfile);
    const supRel = s.supervisorPidfile.replace(/^\/(var\/)?run\//, '');
    for (const [root, prefix] of [
      [path.join(h.dir, 'run.up'), '/run/'],
      [path.join(h.dir, 'var.up'), '/var/'],
      [h.inside('/root'), '/root/'],
    ] as const) {
      for (const rel of pidFiles(root)) {
        if (rel.startsWith('openrc/') || (prefix === '/run/' && rel === supRel)) continue;
        obs.pidfilesWritten.push({ path: prefix + rel, content: readTail(path.join(root, rel), 40).trim() });
      }
    }
    if (obs.stayed && obs.child !== undefined) {
      try {
        process.kill(obs.child, 'SIGKILL');
        const next = await h.childPid(s.svc, { not: obs.child, timeoutMs: 3000 });
        obs.respawned = h.ppidOf(next) === obs.supervisor;
      } catch {
        obs.respawned = false;
      }
    }
    const stop = await h.rc(s.svc, 'stop', { timeoutMs: 10_000 }).catch((e: Error) => ({
      code: 255,
      stdout: '',
      stderr: e.message,
    }));
    obs.stopCode = stop.code;
    await sleep(300);
    obs.leftAfterStop = h
      .processes()
      .filter((p) => !before.has(p.pid))
      .map((p) => `${p.pid} "${p.cmdline.slice(0, 120)}"`);
    obs.stderrTail = readTail(path.join(s.tmp, 'stderr.log'));
    obs.stdoutTail = readTail(path.join(s.tmp, 'stdout.log'));
    if (!obs.stayed) {
      // Run the same command directly for its exit status and output (3 s at most).
      for (const p of h.processes()) {
        try {
          process.kill(p.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      const user = s.commandUser
        ? `setpriv --reuid=${q(s.commandUser.split(':')[0])} --regid=${q(s.commandUser.split(':')[1] ?? s.commandUser.split(':')[0])} --init-groups `
        : '';
      const r = await h
        .exec(`timeout -s KILL 3 ${user}${q(s.command)} ${s.args} ${s.foreground} 2>&1; echo "EXIT=$?"`, {
          timeoutMs: 8000,
        })
        .catch((e: Error) => ({ code: 255, stdout: `EXIT=? ${e.message}`, stderr: '' }));
      const m = /EXIT=(\S+)\s*$/.exec(r.stdout);
      const code = m ? (m[1] === '137' ? 'killed after 3 s (still running)' : m[1]) : '?';
      obs.direct = { code, output: (m ? r.stdout.slice(0, m.index) : r.stdout).trim().slice(-1500) };
    }
  } finally {
    await h.dispose();
  }
  if (!existsSync(s.tmp)) throw new Error(`temp dir ${s.tmp} vanished`);
  return obs;
}
