/**
 * Real OpenRC (Debian bookworm 0.45.2, unpacked by scripts/fetch-openrc.sh) in a private
 * mount namespace, per docs/openrc.md §7.
 *
 * Layout inside the namespace (nothing changes outside it):
 *   /usr       overlay, lower = <tree>/usr : host /usr (read-only; host is merged-/usr, so
 *              /sbin/openrc-run, /lib/rc, /bin/busybox, /usr/sbin/dnsmasq appear)
 *   /etc, /run overlays with writable upper dirs in the sandbox's temp dir
 *   /etc/init.d, /etc/conf.d   bind mounts of the test's own directories
 *   /etc/rc.conf  rc_sys="prefix" (+ the test's rcconf)
 *   /run/openrc/{started,...}, /run/openrc/softlevel = default
 *
 * Process model: node spawns `unshare -m --propagation private tini -s -- sh serve.sh`.
 * serve.sh sets up the mounts and then runs every command node sends it (h.rc, h.exec)
 * as its own child. Every daemon therefore descends from tini, which as subreaper reaps
 * supervise-daemon after its double fork: `stop` takes ~25 ms instead of ~1.2 s (or a
 * hang) that it takes under `nsenter`, where the supervisor is reparented to the host's
 * PID 1. When node's pipe closes (dispose, or node dies) serve.sh SIGKILLs every process
 * left in the namespace; dispose() also scans /proc for them from outside.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import dgram from 'node:dgram';
import os from 'node:os';
import path from 'node:path';
import { ensureOpenRCTree, openrcTree, openrcTreeReady } from '../helpers/openrc-cmdline.js';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface SandboxOptions {
  /** init.d scripts by service name (the harness adds nothing; start with #!/sbin/openrc-run) */
  initd: Record<string, string>;
  confd?: Record<string, string>;
  /** appended to rc_sys="prefix" in the private /etc/rc.conf */
  rcconf?: string;
  /** timeout of one h.rc / h.exec call unless given there (default 20 s) */
  timeoutMs?: number;
  /**
   * More unpacked package trees (merged-/usr layout, like the OpenRC tree), first = top:
   * their usr/, etc/ and var/ lie over the OpenRC tree's (scripts/verify-daemons unpacks a
   * daemon's Debian package and its libraries into one).
   */
  layers?: string[];
  /**
   * A writable overlay on /var and an empty tmpfs on /root too, so a daemon's state files
   * (and those it keeps in $HOME) never reach the host's.
   */
  privateVar?: boolean;
  /**
   * A private network namespace with only loopback (up): a daemon that configures
   * interfaces, routes or multicast (dhcpcd, radvd, keepalived) cannot touch the host's.
   */
  privateNet?: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolve with `p`'s value, or with `fallback` after ms; the timer never outlives the race. */
async function within<T, F>(p: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<F>((r) => (timer = setTimeout(() => r(fallback), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** Poll `fn` until it returns a value other than undefined, or throw after timeoutMs. */
export async function waitFor<T>(
  what: string,
  fn: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 5000,
  intervalMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

function which(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(':')) {
    const p = path.join(dir, cmd);
    if (existsSync(p)) return p;
  }
  for (const dir of ['/usr/sbin', '/usr/bin', '/sbin', '/bin']) {
    if (existsSync(path.join(dir, cmd))) return path.join(dir, cmd);
  }
  return undefined;
}

let availability: { ok: boolean; why?: string } | undefined;

/**
 * Can the real-OpenRC sandbox run here? Needs Linux, root (CAP_SYS_ADMIN), unshare,
 * overlayfs, /usr not a symlink (merged-/usr host), and the unpacked tree (fetched
 * automatically when root). Cached.
 */
export function e2eAvailable(): { ok: boolean; why?: string } {
  if (availability) return availability;
  const no = (why: string) => (availability = { ok: false, why });
  if (process.platform !== 'linux') return no('not Linux');
  if (process.getuid?.() !== 0) return no('needs root (mount namespace + overlayfs)');
  if (!which('unshare')) return no('unshare (util-linux) not found');
  try {
    if (!readFileSync('/proc/filesystems', 'utf8').includes('\toverlay\n'))
      return no('no overlayfs in /proc/filesystems');
  } catch {
    return no('cannot read /proc/filesystems');
  }
  try {
    if (readlinkSync('/bin') !== 'usr/bin') return no('host is not merged-/usr (/bin -> usr/bin)');
  } catch {
    return no('host is not merged-/usr (/bin is not a symlink)');
  }
  try {
    ensureOpenRCTree();
  } catch (e) {
    return no((e as Error).message);
  }
  const probe = spawnSync('unshare', ['-m', '--propagation', 'private', '--', 'mount', '-t', 'tmpfs', 'none', '/mnt'], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  if (probe.status !== 0) return no(`unshare -m + mount failed: ${probe.stderr || probe.error?.message}`);
  return (availability = { ok: true });
}

/**
 * `describe` that runs when the sandbox is available; otherwise skips, except in CI
 * (env CI=true), where it registers one failing test saying why.
 */
export function describeE2E(name: string, fn: () => void): void {
  const a = e2eAvailable();
  if (a.ok) {
    describe(name, fn);
  } else if (process.env.CI === 'true' || process.env.CI === '1') {
    describe(name, () => {
      test('real-OpenRC sandbox is available (required in CI)', () => {
        throw new Error(`e2e sandbox unavailable: ${a.why}`);
      });
    });
  } else {
    // eslint-disable-next-line no-console
    console.warn(`skipping "${name}": e2e sandbox unavailable: ${a.why}`);
    describe.skip(name, fn);
  }
}

/**
 * `describe` for tests that need only the unpacked tree (the recording stand-in): fetches
 * it when root; skips when impossible, except in CI where it fails.
 */
export function describeWithTree(name: string, fn: () => void): void {
  let why: string | undefined;
  try {
    ensureOpenRCTree();
  } catch (e) {
    why = (e as Error).message;
  }
  if (why === undefined) describe(name, fn);
  else if (process.env.CI === 'true' || process.env.CI === '1') {
    describe(name, () => {
      test('unpacked OpenRC tree is available (required in CI)', () => {
        throw new Error(why);
      });
    });
  } else {
    // eslint-disable-next-line no-console
    console.warn(`skipping "${name}": ${why}`);
    describe.skip(name, fn);
  }
}

/** A TCP port on 127.0.0.1 that is free now (and free for UDP too, for DNS). */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = net.createServer();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const p = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const s = dgram.createSocket('udp4');
      s.once('error', () => resolve(false));
      s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
  throw new Error('no free port found');
}

/** dnsmasq's "do not fork" flag (`-k`), for command_args_foreground. */
export const DNSMASQ_FOREGROUND = '--keep-in-foreground';

/**
 * dnsmasq options to answer DNS on 127.0.0.1:port only, as root in the sandbox, reading
 * no host config. `foreground: false` leaves out --keep-in-foreground (when the script
 * under test supplies it, e.g. in command_args_foreground).
 */
export function dnsmasqLoopbackArgs(port: number, extra: string[] = [], opts: { foreground?: boolean } = {}): string {
  return [
    ...(opts.foreground === false ? [] : [DNSMASQ_FOREGROUND]), // supervise-daemon needs a non-forking child
    '--conf-file=/dev/null', // ignore the host's /etc/dnsmasq.conf and conf-dir
    `--port=${port}`,
    '--listen-address=127.0.0.1',
    '--bind-interfaces', // bind 127.0.0.1 only, not the wildcard address
    '--no-resolv', // no upstream servers from /etc/resolv.conf
    '--no-hosts', // answer only from --host-record / --address
    '--user=root', // the compiled-in user may not exist on the test machine
    '--pid-file', // empty: write no pid file (the supervisor keeps the pid)
    '--log-facility=-', // log to stderr, not syslog
    ...extra,
  ].join(' ');
}

/** Resolve `name` (A record) against a DNS server on 127.0.0.1:port; undefined on failure. */
export async function queryA(port: number, name: string, timeoutMs = 1000): Promise<string[] | undefined> {
  const { Resolver } = await import('node:dns/promises');
  const r = new Resolver({ timeout: timeoutMs, tries: 1 });
  r.setServers([`127.0.0.1:${port}`]);
  try {
    return await r.resolve4(name);
  } catch {
    return undefined;
  }
}

/** HTTP GET http://127.0.0.1:port/path from outside (same network namespace). */
export async function httpGet(
  port: number,
  urlPath: string,
  timeoutMs = 2000,
): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  const http = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, timeout: timeoutMs, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET :${port}${urlPath} timed out`)));
    req.on('error', reject);
  });
}

const SERVE_SH = `#!/bin/sh
# rc-supervise e2e sandbox: runs as  unshare -m --propagation private tini -s -- sh serve.sh DIR TREE
# stdin: one request id per line; stdout: "READY", "PID <id> <pid>", "DONE <id> <status>".
D=$1; T=$2
fail() { echo "SETUP-FAILED $*"; exit 1; }
# layers.env (optional) sets USR_LOWER/ETC_LOWER/VAR_LOWER ("dir:dir:", top first),
# PRIVATE_VAR=1 and PRIVATE_NET=1 (see SandboxOptions).
USR_LOWER=; ETC_LOWER=; VAR_LOWER=; PRIVATE_VAR=; PRIVATE_NET=
[ -f "$D/layers.env" ] && . "$D/layers.env"
mount -t overlay overlay -o "lowerdir=$USR_LOWER$T/usr:/usr" /usr || fail "overlay /usr"
mount -t overlay overlay -o "lowerdir=$ETC_LOWER$T/etc:/etc,upperdir=$D/etc.up,workdir=$D/etc.work" /etc || fail "overlay /etc"
if [ -n "$PRIVATE_VAR" ]; then
  mount -t overlay overlay -o "lowerdir=$VAR_LOWER/var,upperdir=$D/var.up,workdir=$D/var.work" /var || fail "overlay /var"
  mount -t tmpfs -o mode=0700 tmpfs /root || fail "tmpfs /root"
fi
if [ -n "$PRIVATE_NET" ]; then
  ip link set lo up || fail "lo up"
fi
mount -t overlay overlay -o "lowerdir=/run,upperdir=$D/run.up,workdir=$D/run.work" /run || fail "overlay /run"
mkdir -p /etc/init.d /etc/conf.d || fail "mkdir /etc/init.d"
mount --bind "$D/init.d" /etc/init.d || fail "bind init.d"
mount --bind "$D/conf.d" /etc/conf.d || fail "bind conf.d"
cp "$D/rc.conf" /etc/rc.conf || fail "rc.conf"
rm -rf /etc/rc.conf.d /run/openrc
for d in started starting stopping inactive wasinactive failed daemons options exclusive scheduled tmp; do
  mkdir -p /run/openrc/$d || fail "mkdir /run/openrc/$d"
done
echo default > /run/openrc/softlevel
[ -x /sbin/openrc-run ] || fail "/sbin/openrc-run missing after overlay"
killall_ns() {
  me=$(readlink /proc/$$/ns/mnt)
  for p in /proc/[0-9]*; do
    pid=\${p#/proc/}
    [ "$pid" = "$$" ] || [ "$pid" = "$PPID" ] && continue
    [ "$(readlink "$p/ns/mnt" 2>/dev/null)" = "$me" ] && kill -9 "$pid" 2>/dev/null
  done
}
trap 'killall_ns; exit 0' TERM INT HUP
echo READY
while IFS= read -r id; do
  case $id in
    EXIT) break ;;
    *[!0-9]*|'') continue ;;
  esac
  ( sh "$D/req/$id.sh" </dev/null >"$D/req/$id.out" 2>"$D/req/$id.err" &
    echo "PID $id $!"
    wait $!
    echo "DONE $id $?" ) &
done
# EXIT from dispose(), or EOF because node went away: leave nothing behind.
killall_ns
umount -l /etc/init.d /etc/conf.d /etc /run 2>/dev/null
[ -n "$PRIVATE_VAR" ] && umount -l /var /root 2>/dev/null
case $D in */rcs-e2e-*) rm -rf "$D" ;; esac
exit 0
`;

interface Pending {
  resolve: (code: number) => void;
  pid?: number;
}

export class OpenRCSandbox {
  readonly dir: string;
  readonly tree: string;
  private readonly holder: ChildProcessWithoutNullStreams;
  private readonly mntNs: string;
  private readonly defaultTimeout: number;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly started = new Set<string>();
  private holderLog = '';
  private exited = false;
  private disposed = false;

  private constructor(
    dir: string,
    tree: string,
    holder: ChildProcessWithoutNullStreams,
    mntNs: string,
    timeoutMs: number,
  ) {
    this.dir = dir;
    this.tree = tree;
    this.holder = holder;
    this.mntNs = mntNs;
    this.defaultTimeout = timeoutMs;
  }

  /** pid of the namespace holder (tini) */
  get holderPid(): number {
    return this.holder.pid!;
  }

  static async create(opts: SandboxOptions): Promise<OpenRCSandbox> {
    const a = e2eAvailable();
    if (!a.ok) throw new Error(`e2e sandbox unavailable: ${a.why}`);
    const tree = ensureOpenRCTree();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rcs-e2e-'));
    for (const d of ['init.d', 'conf.d', 'etc.up', 'etc.work', 'run.up', 'run.work', 'var.up', 'var.work', 'req']) {
      await mkdir(path.join(dir, d));
    }
    if (opts.layers?.length || opts.privateVar || opts.privateNet) {
      const lower = (sub: string) =>
        (opts.layers ?? [])
          .map((l) => path.join(l, sub))
          .filter((d) => existsSync(d))
          .map((d) => `${d}:`)
          .join('');
      for (const l of [...(opts.layers ?? []), dir]) {
        // serve.sh sources these values unquoted-safe only for plain paths
        if (!/^[A-Za-z0-9_./+-]+$/.test(l)) throw new Error(`layer path not plain: ${l}`);
      }
      await writeFile(
        path.join(dir, 'layers.env'),
        `USR_LOWER='${lower('usr')}'\nETC_LOWER='${lower('etc')}'\nVAR_LOWER='${lower('var')}'\n` +
          `PRIVATE_VAR='${opts.privateVar ? 1 : ''}'\nPRIVATE_NET='${opts.privateNet ? 1 : ''}'\n`,
      );
    }
    for (const [name, text] of Object.entries(opts.initd)) {
      const p = path.join(dir, 'init.d', name);
      await writeFile(p, text);
      await chmod(p, 0o755);
    }
    for (const [name, text] of Object.entries(opts.confd ?? {})) await writeFile(path.join(dir, 'conf.d', name), text);
    await writeFile(path.join(dir, 'rc.conf'), `rc_sys="prefix"\n${opts.rcconf ?? ''}\n`);
    await writeFile(path.join(dir, 'serve.sh'), SERVE_SH);

    const tini = path.join(tree, 'usr/bin/tini');
    const holder = spawn(
      'unshare',
      [
        '-m',
        ...(opts.privateNet ? ['-n'] : []),
        '--propagation',
        'private',
        '--',
        tini,
        '-s',
        '--',
        '/bin/sh',
        path.join(dir, 'serve.sh'),
        dir,
        tree,
      ],
      { stdio: ['pipe', 'pipe', 'pipe'], env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C' } },
    );
    holder.stdin.on('error', () => undefined); // EPIPE once the holder is gone: handled via 'exit'
    let sb: OpenRCSandbox | undefined;
    try {
      const ready = new Promise<void>((resolve, reject) => {
        let buf = '';
        const timer = setTimeout(() => reject(new Error(`sandbox not ready after 10 s: ${buf}`)), 10_000);
        holder.on('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`sandbox holder exited (${code}) during setup: ${buf}`));
        });
        holder.on('error', (e) => {
          clearTimeout(timer);
          reject(e);
        });
        holder.stderr.on('data', (d: Buffer) => (buf += d.toString()));
        const onData = (d: Buffer) => {
          buf += d.toString();
          if (/^SETUP-FAILED/m.test(buf)) {
            clearTimeout(timer);
            reject(new Error(`sandbox setup failed: ${buf}`));
          } else if (/^READY$/m.test(buf)) {
            clearTimeout(timer);
            holder.stdout.off('data', onData);
            resolve();
          }
        };
        holder.stdout.on('data', onData);
      });
      await ready;
      holder.removeAllListeners('exit');
      const mntNs = readlinkSync(`/proc/${holder.pid}/ns/mnt`);
      if (mntNs === readlinkSync('/proc/self/ns/mnt')) throw new Error('holder is not in a new mount namespace');
      sb = new OpenRCSandbox(dir, tree, holder, mntNs, opts.timeoutMs ?? 20_000);
      sb.listen();
      return sb;
    } catch (e) {
      if (sb) await sb.dispose();
      else {
        holder.stdin.destroy(); // serve.sh exits on EOF and kills what it started
        holder.kill('SIGKILL');
        await rm(dir, { recursive: true, force: true }).catch(() => undefined);
      }
      throw e;
    }
  }

  private listen(): void {
    let buf = '';
    this.holder.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const m = /^(PID|DONE) (\d+) (\d+)$/.exec(line);
        const p = m && this.pending.get(Number(m[2]));
        if (!m || !p) {
          this.holderLog += line + '\n';
        } else if (m[1] === 'PID') {
          p.pid = Number(m[3]);
        } else {
          this.pending.delete(Number(m[2]));
          p.resolve(Number(m[3]));
        }
      }
    });
    this.holder.stderr.on('data', (d: Buffer) => (this.holderLog += d.toString()));
    this.holder.on('exit', () => {
      this.exited = true;
      for (const p of this.pending.values()) p.resolve(255);
      this.pending.clear();
    });
  }

  /** Run a /bin/sh command line inside the namespace (cwd /, env: PATH, LANG=C). */
  async exec(cmd: string, opts: { timeoutMs?: number } = {}): Promise<RunResult> {
    if (this.exited || this.disposed) throw new Error('sandbox is gone');
    const id = this.nextId++;
    const base = path.join(this.dir, 'req', String(id));
    await writeFile(`${base}.sh`, `cd /\nexport PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C\n${cmd}\n`);
    const timeoutMs = opts.timeoutMs ?? this.defaultTimeout;
    let timer: NodeJS.Timeout | undefined;
    const p: Pending = { resolve: () => undefined };
    const done = new Promise<number>((resolve) => (p.resolve = resolve));
    this.pending.set(id, p);
    this.holder.stdin.write(`${id}\n`);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        if (p.pid) {
          try {
            process.kill(p.pid, 'SIGKILL');
          } catch {
            /* gone */
          }
        }
        reject(new Error(`sandbox: timed out after ${timeoutMs} ms: ${cmd}`));
      }, timeoutMs);
    });
    try {
      const code = await Promise.race([done, timeout]);
      const [stdout, stderr] = await Promise.all([
        readFile(`${base}.out`, 'utf8').catch(() => ''),
        readFile(`${base}.err`, 'utf8').catch(() => ''),
      ]);
      return { code, stdout, stderr };
    } finally {
      clearTimeout(timer);
      this.pending.delete(id);
      await Promise.all(['.sh', '.out', '.err'].map((x) => rm(base + x, { force: true })));
    }
  }

  /** `/etc/init.d/<svc> <action>` inside the namespace, i.e. the real openrc-run. */
  async rc(svc: string, action: string, opts: { timeoutMs?: number } = {}): Promise<RunResult> {
    if (!/^[A-Za-z0-9_.@+-]+$/.test(svc) || !/^[A-Za-z0-9_-]+$/.test(action))
      throw new Error(`bad svc/action ${svc} ${action}`);
    const r = await this.exec(`exec /etc/init.d/${svc} ${action}`, opts);
    if (action === 'start' || action === 'restart') this.started.add(svc);
    if (action === 'stop' && r.code === 0) this.started.delete(svc);
    return r;
  }

  /** Path, seen from outside, of a path inside the namespace (through /proc/<holder>/root). */
  inside(p: string): string {
    return path.join(`/proc/${this.holderPid}/root`, p);
  }

  /** Read a file as seen inside the namespace; undefined if missing. */
  readInside(p: string): string | undefined {
    try {
      return readFileSync(this.inside(p), 'utf8');
    } catch {
      return undefined;
    }
  }

  /**
   * Poll /run/openrc/options/<svc>/child_pid until it holds a live pid (other than `not`)
   * that has exec'd the daemon; supervise-daemon writes it just after start returns.
   */
  async childPid(svc: string, opts: { timeoutMs?: number; not?: number } = {}): Promise<number> {
    return this.childPidOnce(svc, opts).catch((e: Error) => {
      const seen = this.readInside(`/run/openrc/options/${svc}/child_pid`)?.trim() ?? '(no file)';
      const ps = this.processes()
        .map((p) => `${p.pid} ${p.cmdline}`)
        .join('; ');
      throw new Error(`${e.message} (child_pid: ${seen}; processes: ${ps || 'none'})`);
    });
  }

  private async childPidOnce(svc: string, opts: { timeoutMs?: number; not?: number }): Promise<number> {
    return waitFor(
      `child_pid of ${svc}${opts.not ? ` other than ${opts.not}` : ''}`,
      () => {
        const s = this.readInside(`/run/openrc/options/${svc}/child_pid`)?.trim();
        const pid = s ? Number(s) : NaN;
        if (!Number.isInteger(pid) || pid <= 0 || pid === opts.not) return undefined;
        // child_pid is written right after fork(): until the child has exec'd the daemon,
        // it is still a copy of supervise-daemon (same cmdline as its parent).
        const argv = this.argvOf(pid);
        const ppid = this.ppidOf(pid);
        if (!argv || ppid === undefined) return undefined;
        const parentArgv = this.argvOf(ppid);
        if (parentArgv && argv.join('\0') === parentArgv.join('\0')) return undefined;
        return pid;
      },
      opts.timeoutMs ?? 5000,
    );
  }

  /** Pids of live processes in this namespace whose command line (args joined by ' ') matches. */
  pidsOf(pattern: string | RegExp): number[] {
    const re = typeof pattern === 'string' ? undefined : pattern;
    return this.processes()
      .filter((p) => (re ? re.test(p.cmdline) : p.cmdline.includes(pattern as string)))
      .map((p) => p.pid);
  }

  /**
   * Every live (non-zombie) process in this mount namespace: by default the daemons and
   * commands only, without the sandbox's own tini and serve.sh shells (`all` includes them).
   */
  processes(opts: { all?: boolean } = {}): { pid: number; ppid: number; cmdline: string }[] {
    const serve = path.join(this.dir, 'serve.sh');
    const out: { pid: number; ppid: number; cmdline: string }[] = [];
    for (const ent of readdirSync('/proc')) {
      if (!/^\d+$/.test(ent)) continue;
      const pid = Number(ent);
      if (pid === this.holderPid && !opts.all) continue;
      try {
        if (readlinkSync(`/proc/${pid}/ns/mnt`) !== this.mntNs) continue;
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (fields[0] === 'Z') continue;
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0$/, '').split('\0').join(' ');
        if (!opts.all && cmdline.includes(serve)) continue;
        out.push({ pid, ppid: Number(fields[1]), cmdline });
      } catch {
        /* exited meanwhile */
      }
    }
    return out;
  }

  /** Command line of a pid as an argv array (undefined once gone). */
  argvOf(pid: number): string[] | undefined {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0$/, '').split('\0');
    } catch {
      return undefined;
    }
  }

  /** Parent pid of a live pid. */
  ppidOf(pid: number): number | undefined {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      return undefined;
    }
  }

  /** Write a file inside the namespace view (e.g. /etc/httpd.conf lands in the /etc overlay). */
  async writeInside(p: string, text: string): Promise<void> {
    await writeFile(this.inside(p), text);
  }

  /**
   * Stop every service started through rc(), then kill whatever is left in the namespace,
   * let the holder exit (the namespace and its mounts die with it) and remove the temp dir.
   * Never throws; safe to call twice.
   */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    for (const svc of this.started) {
      if (this.exited) break;
      await this.rc(svc, 'stop', { timeoutMs: 5000 }).catch(() => undefined);
    }
    this.disposed = true;
    if (!this.exited) {
      try {
        this.holder.stdin.end('EXIT\n');
      } catch {
        /* closed */
      }
      const exited = new Promise<boolean>((r) => (this.exited ? r(true) : this.holder.once('exit', () => r(true))));
      const gone = await within(exited, 3000, false);
      if (!gone && !this.exited) this.holder.kill('SIGKILL');
    }
    // Belt and braces: anything still in the namespace (e.g. a daemon that escaped).
    for (let i = 0; i < 50; i++) {
      const left = this.processes({ all: true });
      if (left.length === 0) break;
      for (const p of left) {
        try {
          process.kill(p.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      await sleep(20);
    }
    if (!this.exited) await within(new Promise((r) => this.holder.once('exit', r)), 2000, undefined);
    await rm(this.dir, { recursive: true, force: true }).catch(() => undefined);
  }

  /** Holder's stray output (setup messages, unparsed lines), for failure messages. */
  get log(): string {
    return this.holderLog;
  }
}

export { openrcTree, openrcTreeReady };
