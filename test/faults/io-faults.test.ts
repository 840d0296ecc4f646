/**
 * Fault injection on the output side, with real kernel errors: a full file system (tmpfs
 * with a page or inode budget), a read-only bind mount, a held or stale lock, a file
 * changed between read and write, and SIGTERM/SIGINT in the middle of `migrate --all`.
 *
 * Needs root (mount). Not root: skipped with a message; with CI=true: fails instead.
 * Every mount is made on a fresh temp dir and always unmounted (afterEach/afterAll).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EXIT_HELP } from '../../src/cli/main.js';
import { EXIT, RcError } from '../../src/errors.js';
import { readManifest, STATE_DIR, writeService } from '../../src/io/apply.js';
import { loadService, migrateLoaded } from '../../src/migrate/migrate.js';
import { initParser } from '../../src/parse/parser.js';
import { run, treeHash } from '../helpers/cli.js';
import { FIXTURES, REPO, makeRoot } from '../helpers/fixtures.js';

const isRoot = process.getuid?.() === 0;
const inCI = process.env.CI === 'true';
const BIN = path.join(REPO, 'bin/rc-supervise.js');
const EXAMPLE = path.join(REPO, 'examples/gentoo-root');
const fixture = (p: string) => readFileSync(path.join(FIXTURES, p), 'utf8');
const SSHD = fixture('sshd/stock/init.d.in');
const SSHD_OUT = fixture('sshd/stock/init.d.out');
const SSHD_CONF = fixture('sshd/stock/conf.d.in');
const documented = new Set([...EXIT_HELP.matchAll(/^\s+(\d+)\s/gm)].map((m) => Number(m[1])));

if (!isRoot) {
  if (inCI)
    test('I/O fault tests need root (mount, tmpfs, bind mounts)', () => {
      throw new Error('not root, and CI=true: these tests must run in CI; run the suite as root');
    });
  else console.warn('test/faults/io-faults.test.ts: skipped, needs root (mount); CI=true makes this a failure');
}
const rootDescribe = isRoot ? describe : describe.skip;

// ---------------------------------------------------------------------------------------
// helpers

const mounts: string[] = [];
const temps: string[] = [];

function sh(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr || r.error}`);
}

async function tempDir(prefix: string): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), prefix));
  temps.push(d);
  return d;
}

async function mountTmpfs(opts: string): Promise<string> {
  const d = await tempDir('rcs-tmpfs-');
  sh('mount', ['-t', 'tmpfs', '-o', `${opts},mode=0755`, 'tmpfs', d]);
  mounts.push(d);
  return d;
}

function bindReadOnly(dir: string): void {
  sh('mount', ['--bind', dir, dir]);
  mounts.push(dir);
  sh('mount', ['-o', 'remount,bind,ro', dir]);
}

function unmount(dir: string): void {
  const i = mounts.lastIndexOf(dir);
  if (i < 0) return;
  mounts.splice(i, 1);
  const r = spawnSync('umount', [dir]);
  if (r.status !== 0) spawnSync('umount', ['-l', dir]);
}

afterEach(() => {
  for (const m of [...mounts].reverse()) unmount(m);
});

afterAll(async () => {
  for (const m of [...mounts].reverse()) unmount(m);
  for (const t of temps) await rm(t, { recursive: true, force: true });
});

/** Every rc-supervise temp file (`.NAME.rc-supervise-XXXXXXXX.tmp`) under dir. */
function tempFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/^\..*\.rc-supervise-[0-9a-f]+\.tmp$/.test(e.name)) out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out;
}

function populateSshd(r: string): void {
  mkdirSync(path.join(r, 'etc/init.d'), { recursive: true });
  mkdirSync(path.join(r, 'etc/conf.d'), { recursive: true });
  writeFileSync(path.join(r, 'etc/init.d/sshd'), SSHD, { mode: 0o755 });
  chmodSync(path.join(r, 'etc/init.d/sshd'), 0o755);
  writeFileSync(path.join(r, 'etc/conf.d/sshd'), SSHD_CONF);
}

const lockPath = (r: string) => path.join(r, STATE_DIR, 'lock');
const read = (r: string, rel: string) => readFileSync(path.join(r, rel), 'utf8');

/** The built CLI, synchronously (the reference for tests whose subject is the built CLI). */
function cliSync(...argv: string[]): { code: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...argv], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stderr: r.stderr };
}

/** Paths under two trees whose mode or content differ, or that only one has. */
function differing(a: string, b: string): string[] {
  const list = (d: string, out = new Map<string, string>(), rel = ''): Map<string, string> => {
    for (const n of readdirSync(path.join(d, rel)).sort()) {
      const p = path.join(rel, n);
      const st = lstatSync(path.join(d, p));
      out.set(p, `${st.mode} ${st.isFile() ? readFileSync(path.join(d, p), 'utf8') : ''}`);
      if (st.isDirectory()) list(d, out, p);
    }
    return out;
  };
  const x = list(a);
  const y = list(b);
  return [...new Set([...x.keys(), ...y.keys()])].filter((k) => x.get(k) !== y.get(k));
}

async function copyExample(): Promise<string> {
  const d = await tempDir('rcs-io-');
  const r = path.join(d, 'root');
  cpSync(EXAMPLE, r, { recursive: true, verbatimSymlinks: true });
  return r;
}

// ---------------------------------------------------------------------------------------

rootDescribe('ENOSPC: a full file system', () => {
  // Pages on tmpfs: every non-empty file under 4 KiB takes one, directories none. sshd's
  // migration needs: lock, backup, manifest, then the new init.d (or the manifest update)
  // while the old one still exists: 4 free pages. Sweeping 0..5 hits every write in turn.
  const FREE = [0, 1, 2, 3, 4, 5];
  const results: { free: number; code: number; stderr: string }[] = [];

  test.each(FREE)('%i free page(s): fails cleanly with "no space left" or migrates fully', async (free) => {
    const mnt = await mountTmpfs(`size=${(2 + free) * 4}k`);
    populateSshd(mnt);
    const pristineEtc = treeHash(path.join(mnt, 'etc'));
    const res = await run('migrate', 'sshd', '--root', mnt);
    results.push({ free, ...res });
    expect(res.stderr).not.toContain('internal error');
    if (res.code === EXIT.OK) {
      expect(read(mnt, 'etc/init.d/sshd')).toBe(SSHD_OUT);
    } else {
      expect(documented.has(res.code)).toBe(true);
      expect(res.stderr).toMatch(/no space left on device/);
      expect(read(mnt, 'etc/init.d/sshd')).toBe(SSHD);
      expect(treeHash(path.join(mnt, 'etc'))).toBe(pristineEtc);
    }
    expect(statSync(path.join(mnt, 'etc/init.d/sshd')).mode & 0o7777).toBe(0o755);
    expect(tempFiles(mnt)).toEqual([]);
    if (free === 0) return; // the lock itself could not be written: see the test below

    // Not wedged: with space again, the lock is gone, a re-run finishes the job, and a full
    // revert gives back the pristine tree.
    expect(existsSync(lockPath(mnt))).toBe(false);
    sh('mount', ['-o', 'remount,size=1m', mnt]);
    const again = await run('migrate', 'sshd', '--root', mnt);
    expect(again.code).toBe(EXIT.OK);
    expect(read(mnt, 'etc/init.d/sshd')).toBe(SSHD_OUT);
    const back = await run('revert', '--all', '--root', mnt);
    expect(back.code).toBe(EXIT.OK);
    expect(treeHash(path.join(mnt, 'etc'))).toBe(pristineEtc);
  });

  test('the sweep hit the lock, the backup and the new file, and enough space succeeds', () => {
    expect(results.map((r) => r.free).sort()).toEqual(FREE);
    const failed = results.filter((r) => r.code !== EXIT.OK).map((r) => r.stderr);
    expect(failed.some((e) => /rc-supervise\/lock: no space left/.test(e))).toBe(true);
    expect(failed.some((e) => /rc-supervise\/backup\/[^:]*\/etc\/init\.d\/sshd: no space left/.test(e))).toBe(true);
    expect(failed.some((e) => /\/etc\/init\.d\/sshd: no space left/.test(e))).toBe(true);
    expect(results.find((r) => r.free === Math.max(...FREE))!.code).toBe(EXIT.OK);
  });

  // BUG (reported to the lead): withLock opens the lock file with O_CREAT|O_EXCL, then the
  // write of the pid fails (ENOSPC); the error path neither closes nor removes the empty
  // lock file. Every later run (migrate AND revert) is then refused with "another
  // rc-supervise (pid ?) is writing this root ... try again when it is done", forever,
  // even once there is space again. Expected: no lock file left behind after the failure.
  test('ENOSPC while writing the lock leaves no lock behind; the next run is not refused', async () => {
    const mnt = await mountTmpfs('size=8k');
    populateSshd(mnt);
    const res = await run('migrate', 'sshd', '--root', mnt);
    expect(res.code).not.toBe(EXIT.OK);
    expect(res.stderr).toContain('var/lib/rc-supervise/lock: no space left on device');
    expect(read(mnt, 'etc/init.d/sshd')).toBe(SSHD);
    sh('mount', ['-o', 'remount,size=1m', mnt]);
    const again = await run('migrate', 'sshd', '--root', mnt);
    expect(again.stderr).not.toContain('another rc-supervise');
    expect(again.code).toBe(EXIT.OK);
  });

  // Inodes: the same sweep with a budget of inodes instead of pages (open(O_CREAT) and
  // mkdir fail). Used before the run: root, etc, init.d, conf.d and the two files = 6.
  // Only the safety invariants here: when a *directory* cannot be created the message is
  // wrong (see the two test.failing cases below), so no message check in this sweep.
  const INODES = Array.from({ length: 12 }, (_, i) => 6 + i);
  test.each(INODES)('nr_inodes=%i: fails without damage, or migrates fully', async (n) => {
    const mnt = await mountTmpfs(`size=1m,nr_inodes=${n}`);
    populateSshd(mnt);
    const pristineEtc = treeHash(path.join(mnt, 'etc'));
    const res = await run('migrate', 'sshd', '--root', mnt);
    if (res.code === EXIT.OK) expect(read(mnt, 'etc/init.d/sshd')).toBe(SSHD_OUT);
    else {
      expect(documented.has(res.code)).toBe(true);
      expect(treeHash(path.join(mnt, 'etc'))).toBe(pristineEtc);
    }
    expect(tempFiles(mnt)).toEqual([]);
    expect(existsSync(lockPath(mnt))).toBe(false);
    sh('mount', ['-o', 'remount,nr_inodes=1000', mnt]);
    expect((await run('migrate', 'sshd', '--root', mnt)).code).toBe(EXIT.OK);
    expect((await run('revert', '--all', '--root', mnt)).code).toBe(EXIT.OK);
    expect(treeHash(path.join(mnt, 'etc'))).toBe(pristineEtc);
  });

  test('a batch on a full disk: every file old or new, no temp file, revert restores it', async () => {
    // The example system on a tmpfs just big enough for the originals plus a few writes.
    const mnt = await mountTmpfs('size=1m');
    cpSync(EXAMPLE, mnt, { recursive: true, verbatimSymlinks: true });
    const pristine = treeHash(mnt);
    const done = await copyExample();
    await run('migrate', '--all', '--root', done);
    const df = spawnSync('df', ['-B4096', '--output=used', mnt], { encoding: 'utf8' }).stdout.trim().split('\n')[1];
    sh('mount', ['-o', `remount,size=${(Number(df) + 12) * 4}k`, mnt]);
    const res = await run('migrate', '--all', '--root', mnt);
    expect(res.code).toBe(EXIT.FAILED);
    expect(res.stderr).toMatch(/no space left on device/);
    expect(res.stderr).not.toContain('internal error');
    for (const dir of ['etc/init.d', 'etc/conf.d'])
      for (const name of readdirSync(path.join(mnt, dir))) {
        if (!existsSync(path.join(mnt, dir, name))) continue;
        const now = read(mnt, `${dir}/${name}`);
        const old = existsSync(path.join(EXAMPLE, dir, name)) ? read(EXAMPLE, `${dir}/${name}`) : null;
        expect({ file: `${dir}/${name}`, ok: now === old || now === read(done, `${dir}/${name}`) }).toEqual({
          file: `${dir}/${name}`,
          ok: true,
        });
      }
    expect(tempFiles(mnt)).toEqual([]);
    expect(existsSync(lockPath(mnt))).toBe(false);
    sh('mount', ['-o', 'remount,size=4m', mnt]);
    const back = await run('revert', '--all', '--root', mnt);
    expect(back.code).toBe(EXIT.OK);
    expect(treeHash(mnt)).toBe(pristine);
  });
});

rootDescribe('EROFS: a read-only mount', () => {
  test('etc/init.d bind-mounted read-only: non-zero, "read-only file system", nothing changed, no temp file', async () => {
    const r = await makeRoot([{ svc: 'sshd', initd: SSHD, confd: SSHD_CONF }]);
    temps.push(r);
    const pristine = treeHash(r);
    const pristineEtc = treeHash(path.join(r, 'etc'));
    bindReadOnly(path.join(r, 'etc/init.d'));
    const res = await run('migrate', 'sshd', '--root', r);
    expect(res.code).not.toBe(EXIT.OK);
    expect(documented.has(res.code)).toBe(true);
    expect(res.stderr).toContain('etc/init.d/sshd: read-only file system');
    expect(res.stderr).not.toContain('internal error');
    expect(treeHash(path.join(r, 'etc'))).toBe(pristineEtc);
    expect(tempFiles(r)).toEqual([]);
    expect(existsSync(lockPath(r))).toBe(false);
    // The manifest records no migration for sshd (the write-ahead entry was taken back).
    expect((await readManifest(r)).entries.filter((e) => e.service === 'sshd')).toEqual([]);
    unmount(path.join(r, 'etc/init.d'));
    // Writable again: migrate works, and a full revert leaves no trace at all.
    expect((await run('migrate', 'sshd', '--root', r)).code).toBe(EXIT.OK);
    expect((await run('revert', '--all', '--root', r)).code).toBe(EXIT.OK);
    expect(treeHash(r)).toBe(pristine);
  });

  // Finding (minor; reported): the failed run leaves rc-supervise state behind under
  // var/lib/rc-supervise: a backup of the untouched file and a manifest with no entries.
  // Harmless (a later full revert removes it), but the root is not byte-identical.
  test('etc/init.d read-only: the whole root (incl. var/) is unchanged after the failure', async () => {
    const r = await makeRoot([{ svc: 'sshd', initd: SSHD, confd: SSHD_CONF }]);
    temps.push(r);
    const pristine = treeHash(r);
    bindReadOnly(path.join(r, 'etc/init.d'));
    const res = await run('migrate', 'sshd', '--root', r);
    expect(res.code).not.toBe(EXIT.OK);
    expect(treeHash(r)).toBe(pristine);
  });

  test('etc/conf.d read-only (conf.d route, file edited and file created)', async () => {
    const r = await copyExample();
    const pristineEtc = treeHash(path.join(r, 'etc'));
    bindReadOnly(path.join(r, 'etc/conf.d'));
    for (const svc of ['bluetooth', 'cupsd']) {
      const res = await run('migrate', svc, '--root', r);
      expect({ svc, code: res.code }).toEqual({ svc, code: EXIT.INPUT });
      expect(res.stderr).toContain(`etc/conf.d/${svc}: read-only file system`);
    }
    expect(treeHash(path.join(r, 'etc'))).toBe(pristineEtc);
    expect(tempFiles(r)).toEqual([]);
    expect(existsSync(lockPath(r))).toBe(false);
  });

  test('the whole root read-only: migrate fails before writing; --dry-run and status still work', async () => {
    const r = await copyExample();
    const pristine = treeHash(r);
    bindReadOnly(r);
    const res = await run('migrate', 'sshd', '--root', r);
    expect(res.code).not.toBe(EXIT.OK);
    expect(res.stderr).toContain('var/lib/rc-supervise');
    expect(res.stderr).not.toContain('internal error');
    const all = await run('migrate', '--all', '--root', r);
    expect(all.code).not.toBe(EXIT.OK);
    expect((await run('migrate', '--all', '--root', r, '--dry-run')).stdout).toContain(
      '+supervisor="supervise-daemon"',
    );
    expect((await run('status', '--root', r)).code).toBe(EXIT.OK);
    unmount(r);
    expect(treeHash(r)).toBe(pristine);
  });
});

// BUG (reported to the lead): Node's fs.mkdir(p, { recursive: true }) reports ENOENT when
// the real error is EROFS or ENOSPC (nodejs/node#47098, #42808; open in Node 20/22).
// mkdirUnder (withLock) turns that into "var/lib/rc-supervise: no such file", which sends
// the admin looking for a missing directory on a read-only or full disk; and writeService's
// backup-directory mkdir is not wrapped in fsError at all, so it surfaces as "internal error
// (a bug in rc-supervise...)", exit 70. Expected: "read-only file system" / "no space left
// on device", a documented input/failure exit code, never exit 70.
rootDescribe('a directory that cannot be created: the real cause is named', () => {
  test('whole root read-only: "read-only file system", not "no such file"', async () => {
    const r = await copyExample();
    bindReadOnly(r);
    const res = await run('migrate', 'sshd', '--root', r);
    expect(res.stderr).toContain('var/lib/rc-supervise: read-only file system');
  });

  test('no inode left for the state directory: "no space left on device"', async () => {
    const mnt = await mountTmpfs('size=1m,nr_inodes=6');
    populateSshd(mnt);
    const res = await run('migrate', 'sshd', '--root', mnt);
    expect(res.stderr).toContain('var/lib/rc-supervise: no space left on device');
  });

  test('backup directory on a read-only mount: a clear error, not "internal error" (exit 70)', async () => {
    const r = await makeRoot([{ svc: 'sshd', initd: SSHD, confd: SSHD_CONF }]);
    temps.push(r);
    mkdirSync(path.join(r, STATE_DIR, 'backup'), { recursive: true });
    bindReadOnly(path.join(r, STATE_DIR, 'backup'));
    const res = await run('migrate', 'sshd', '--root', r);
    expect(read(r, 'etc/init.d/sshd')).toBe(SSHD); // holds today too
    expect(res.stderr).not.toContain('internal error');
    expect(res.code).not.toBe(EXIT.INTERNAL);
    expect(res.stderr).toContain('read-only file system');
  });
});

rootDescribe('the lock: one writer per root', () => {
  let sleeper: ChildProcess | undefined;
  afterEach(() => {
    sleeper?.kill('SIGKILL');
    sleeper = undefined;
  });

  test('a lock held by a live process: migrate and revert are refused, naming the pid; nothing changed', async () => {
    const r = await makeRoot([{ svc: 'sshd', initd: SSHD, confd: SSHD_CONF }]);
    temps.push(r);
    sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
    mkdirSync(path.join(r, STATE_DIR), { recursive: true });
    writeFileSync(lockPath(r), `${sleeper.pid}\n`);
    const before = treeHash(r);
    const res = await run('migrate', 'sshd', '--root', r);
    expect(res.code).toBe(EXIT.FAILED);
    // sleep is not rc-supervise: the message says how to clear the lock (test/faults/cli-options.test.ts).
    expect(res.stderr).toContain(`names pid ${sleeper.pid}, which is alive but is not rc-supervise`);
    expect(treeHash(r)).toBe(before); // the lock is not taken over, nothing written
    const rev = await run('revert', '--all', '--root', r);
    expect(rev.code).toBe(EXIT.FAILED);
    expect(rev.stderr).toContain(`pid ${sleeper.pid}`);
    expect(treeHash(r)).toBe(before);
    // --dry-run takes no lock and still works.
    expect((await run('migrate', 'sshd', '--root', r, '--dry-run')).code).toBe(EXIT.OK);
  });

  /** An sshd root with its state directory made, and the pid of a process that has exited. */
  async function rootAndDeadPid(): Promise<{ r: string; dead: string }> {
    const r = await makeRoot([{ svc: 'sshd', initd: SSHD, confd: SSHD_CONF }]);
    temps.push(r);
    const dead = spawnSync('sh', ['-c', 'echo $$']).stdout.toString().trim();
    expect(() => process.kill(Number(dead), 0)).toThrow();
    mkdirSync(path.join(r, STATE_DIR), { recursive: true });
    return { r, dead };
  }

  test('a stale lock (dead pid) is taken over, and removed afterwards', async () => {
    const { r, dead } = await rootAndDeadPid();
    writeFileSync(lockPath(r), `${dead}\n`);
    const res = await run('migrate', 'sshd', '--root', r);
    expect(res.code).toBe(EXIT.OK);
    expect(read(r, 'etc/init.d/sshd')).toBe(SSHD_OUT);
    expect(existsSync(lockPath(r))).toBe(false);
  });

  // The race below, seen in round 20: the run holding the lock swept the other run's lock temp
  // file (written, not yet linked) as stale; that run's link then failed with "no such file", and
  // its clean-up removed the backup directory the lock holder was about to write into.
  test("another live run's lock temp file is not swept as stale; a dead run's is", async () => {
    const { r, dead } = await rootAndDeadPid();
    const live = path.join(r, STATE_DIR, `.lock.${process.pid}.0123abcd`);
    const stale = path.join(r, STATE_DIR, `.lock.${dead}.89abcdef`);
    writeFileSync(live, `${process.pid}\n`);
    writeFileSync(stale, `${dead}\n`);
    const res = await run('migrate', 'sshd', '--root', r);
    expect(res.code).toBe(EXIT.OK);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(stale)).toBe(false);
  });

  test('two real processes racing on one root: the result is one clean migration', async () => {
    const r = await copyExample();
    const pristine = treeHash(r);
    const done = await copyExample();
    cliSync('migrate', '--all', '--root', done);
    const go = () =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const c = spawn(process.execPath, [BIN, 'migrate', '--all', '--root', r], {
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        c.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
        c.on('close', (code) => resolve({ code, stderr }));
      });
    const [a, b] = await Promise.all([go(), go()]);
    for (const x of [a, b]) expect(x.stderr).not.toContain('internal error');
    // Whoever lost either met the lock or found every file changed since it read it.
    const loser = [a, b].find((x) =>
      /another rc-supervise|changed on disk since it was read|0 migrated/.test(x.stderr),
    );
    // Seen once under heavy load (2 cores, other jobs): say what both printed if it recurs.
    if (!loser)
      throw new Error(
        `no loser; stderr A (exit ${a.code}):\n${a.stderr.slice(-600)}\nstderr B (exit ${b.code}):\n${b.stderr.slice(-600)}`,
      );
    // Seen twice under heavy load (round 10) and not reproduced in 57 runs since: say which
    // files differ (content or mode) and what both printed if it recurs.
    if (treeHash(path.join(r, 'etc')) !== treeHash(path.join(done, 'etc')))
      throw new Error(
        `the raced root differs from one clean migration: ${JSON.stringify(differing(path.join(r, 'etc'), path.join(done, 'etc')))}\nstderr A (exit ${a.code}):\n${a.stderr.slice(-800)}\nstderr B (exit ${b.code}):\n${b.stderr.slice(-800)}`,
      );
    expect(tempFiles(r)).toEqual([]);
    expect(existsSync(lockPath(r))).toBe(false);
    expect((await run('revert', '--all', '--root', r)).code).toBe(EXIT.OK);
    expect(treeHash(r)).toBe(pristine);
  });
});

rootDescribe('a file changed between read and write (library level: no hook in the CLI)', () => {
  beforeAll(async () => {
    await initParser();
  });

  test('edited after the plan: "changed on disk since it was read", the edit survives, manifest clean', async () => {
    const r = await makeRoot([{ svc: 'sshd', initd: SSHD, confd: SSHD_CONF }]);
    temps.push(r);
    const result = migrateLoaded(await loadService(r, 'sshd'));
    expect(result.changes.map((c) => c.path)).toEqual(['etc/init.d/sshd']);
    const edited = SSHD + '# an admin edit made meanwhile\n';
    writeFileSync(path.join(r, 'etc/init.d/sshd'), edited);
    const manifest = await readManifest(r);
    const err = await writeService(r, 'sshd', result.changes, 'run-1', manifest).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RcError);
    expect((err as RcError).message).toBe('etc/init.d/sshd: changed on disk since it was read; not overwritten');
    expect((err as RcError).exitCode).toBe(EXIT.FAILED);
    expect(read(r, 'etc/init.d/sshd')).toBe(edited);
    expect(statSync(path.join(r, 'etc/init.d/sshd')).mode & 0o7777).toBe(0o755);
    expect(manifest.entries).toEqual([]);
    expect((await readManifest(r)).entries).toEqual([]);
    expect(tempFiles(r)).toEqual([]);
  });

  test('deleted after the plan: not recreated', async () => {
    const r = await makeRoot([{ svc: 'sshd', initd: SSHD, confd: SSHD_CONF }]);
    temps.push(r);
    const result = migrateLoaded(await loadService(r, 'sshd'));
    await rm(path.join(r, 'etc/init.d/sshd'));
    const err = await writeService(r, 'sshd', result.changes, 'run-1', await readManifest(r)).catch((e: unknown) => e);
    expect((err as RcError).message).toContain('changed on disk since it was read');
    expect(existsSync(path.join(r, 'etc/init.d/sshd'))).toBe(false);
    expect(tempFiles(r)).toEqual([]);
  });

  test('a conf.d created after the plan of a conf.d-creating migration is not overwritten', async () => {
    const r = await copyExample();
    const result = migrateLoaded(await loadService(r, 'cupsd'));
    expect(result.changes).toEqual([expect.objectContaining({ path: 'etc/conf.d/cupsd', before: null })]);
    writeFileSync(path.join(r, 'etc/conf.d/cupsd'), 'CUPSD_OPTS="-l"\n');
    const err = await writeService(r, 'cupsd', result.changes, 'run-1', await readManifest(r)).catch((e: unknown) => e);
    expect((err as RcError).message).toContain('etc/conf.d/cupsd: changed on disk since it was read');
    expect(read(r, 'etc/conf.d/cupsd')).toBe('CUPSD_OPTS="-l"\n');
  });
});

// ---------------------------------------------------------------------------------------

/** Spawns the built CLI on `root`, signals it as soon as the write-ahead manifest exists. */
async function signalMidBatch(
  root: string,
  sig: NodeJS.Signals,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; signalled: boolean }> {
  if (!existsSync(path.join(REPO, 'dist/src/cli/main.js')))
    throw new Error('run `npm run build` first (dist/ missing)');
  const manifest = path.join(root, STATE_DIR, 'manifest.json');
  const child = spawn(process.execPath, [BIN, 'migrate', '--all', '--root', root], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  let signalled = false;
  await new Promise<void>((resolve) => {
    const tick = () => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      if (existsSync(manifest)) {
        signalled = child.kill(sig);
        return resolve();
      }
      setImmediate(tick);
    };
    tick();
  });
  const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const r = await exited;
  clearTimeout(guard);
  return { ...r, stderr, signalled };
}

rootDescribe('a signal in the middle of migrate --all', () => {
  let done: string;
  beforeAll(async () => {
    done = await copyExample();
    cliSync('migrate', '--all', '--root', done); // same code as the signalled child: dist/
  });

  let interrupted = 0;

  /** Every file old or new; rc-supervise temp files are checked by the callers. */
  function assertOldOrNew(root: string): void {
    for (const dir of ['etc/init.d', 'etc/conf.d'])
      for (const name of readdirSync(path.join(root, dir))) {
        if (!existsSync(path.join(root, dir, name))) continue;
        if (/^\..*\.rc-supervise-[0-9a-f]+\.tmp$/.test(name)) continue;
        const now = read(root, `${dir}/${name}`);
        const old = existsSync(path.join(EXAMPLE, dir, name)) ? read(EXAMPLE, `${dir}/${name}`) : null;
        expect({ file: `${dir}/${name}`, ok: now === old || now === read(done, `${dir}/${name}`) }).toEqual({
          file: `${dir}/${name}`,
          ok: true,
        });
      }
  }

  test.each(['SIGTERM', 'SIGINT', 'SIGTERM'] as const)(
    '%s once the manifest exists: exits by itself, files old or new, no temp file, revert restores all',
    async (sig) => {
      const root = await copyExample();
      const pristine = treeHash(root);
      const r = await signalMidBatch(root, sig);
      expect(r.signalled).toBe(true);
      expect(r.signal).toBeNull(); // handled: it finished the service in progress and reported
      expect(r.code).toBe(EXIT.FAILED); // brokend fails in any case
      // Under load the batch may finish before the signal lands; counted, checked below.
      if (r.stderr.includes(`not written: interrupted by ${sig}`)) interrupted++;
      expect(r.stderr).toMatch(/\n\d+ migrated, \d+ already supervised, \d+ skipped \(.*\), \d+ failed\n$/);
      assertOldOrNew(root);
      expect(tempFiles(root)).toEqual([]);
      expect(existsSync(lockPath(root))).toBe(false);
      // Every 'pending' write-ahead entry was settled: what the manifest lists is on disk.
      const m = await readManifest(root);
      expect(m.entries.filter((e) => e.state !== 'done')).toEqual([]);
      // Resuming finishes the job exactly; a full revert gives the pristine tree back.
      await run('migrate', '--all', '--root', root);
      expect(treeHash(path.join(root, 'etc'))).toBe(treeHash(path.join(done, 'etc')));
      const back = await run('revert', '--all', '--root', root);
      expect(back.code).toBe(EXIT.OK);
      expect(treeHash(root)).toBe(pristine);
    },
    60_000,
  );

  test('at least one of the signalled runs above really stopped mid-batch', () => {
    expect(interrupted).toBeGreaterThan(0);
  });

  // Suggestion (reported): SIGHUP, what an admin's `migrate --all` over ssh gets when the
  // connection drops, is not handled: the process dies wherever it is (the write-ahead
  // manifest still lets revert undo it, but the report is lost, a stale lock and maybe a
  // temp file stay). Expected: handled like SIGTERM.
  test('SIGHUP (ssh session lost) is handled like SIGTERM', async () => {
    const root = await copyExample();
    const r = await signalMidBatch(root, 'SIGHUP');
    expect(r.signal).toBeNull();
    expect(r.stderr).toContain('not written: interrupted by SIGHUP');
    expect(existsSync(lockPath(root))).toBe(false);
  }, 60_000);

  // Killed (not handled), the process often dies inside writeAtomic (most of its time is
  // fsync), leaving `.NAME.rc-supervise-XXXXXXXX.tmp`. Such a file is hidden and 0600, so
  // OpenRC ignores it, but nothing ever removes it: not the next run, not `revert --all`
  // (finding, reported). Checked here: every real file old or new, any leftover is such a
  // hidden non-executable temp file, and revert restores every real file.
  test.each([1, 2, 3])(
    'SIGHUP (killed, try %i): files old or new, leftovers only hidden 0600 temp files, revert restores',
    async () => {
      const root = await copyExample();
      const pristine = treeHash(root);
      const r = await signalMidBatch(root, 'SIGHUP');
      if (r.signal === null) return; // finished before the signal landed: nothing to check
      expect(r.signal).toBe('SIGHUP');
      assertOldOrNew(root);
      const leftovers = tempFiles(root);
      for (const t of leftovers) {
        expect(path.dirname(t)).toMatch(/^(etc\/(init|conf)\.d|var\/lib\/rc-supervise(\/.*)?)$/);
        expect(statSync(path.join(root, t)).mode & 0o7777).toBe(0o600);
      }
      const back = await run('revert', '--all', '--root', root);
      expect(back.code).toBe(EXIT.OK);
      for (const t of leftovers) await rm(path.join(root, t), { force: true });
      expect(treeHash(root)).toBe(pristine);
    },
    60_000,
  );
});
