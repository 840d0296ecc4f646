/**
 * Issue 15, must-show 3: SIGKILL at points all through `revert --all` (after each of its
 * file and manifest writes in turn, and at random times), 36 runs. After every kill, each
 * service file is either what the migration wrote or what it replaced (never a third
 * thing, never missing when it existed), and a later `revert --all` gives back the
 * original tree exactly: bytes, mode, owner, extended attributes, no file or directory
 * more.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { run } from '../helpers/cli.js';
import { REPO } from '../helpers/fixtures.js';
import { setXattr, treeState, type TreeState } from '../helpers/tree-state.js';

const BIN = path.join(REPO, 'bin/rc-supervise.js');
const isRoot = process.getuid?.() === 0;
const base = mkdtempSync(path.join(os.tmpdir(), 'rcs15-kill-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** cp -a: keeps modes, owners and extended attributes (Node's cpSync keeps none of the last two). */
const copy = (from: string, to: string) => expect(spawnSync('cp', ['-a', from, to]).status).toBe(0);

const original = path.join(base, 'original');
const migrated = path.join(base, 'migrated');
let pristine: TreeState;
let after: TreeState;

beforeAll(() => {
  copy(path.join(REPO, 'examples/gentoo-root'), original);
  // Attributes a plain rewrite would lose: an xattr, and (as root) another owner.
  setXattr(path.join(original, 'etc/init.d/sshd'), 'user.rcs15', 'init.d');
  setXattr(path.join(original, 'etc/conf.d/sshd'), 'user.rcs15', 'conf.d');
  if (isRoot) spawnSync('chown', ['1234:5678', path.join(original, 'etc/conf.d/dnsmasq')]);
  pristine = treeState(original);
  copy(original, migrated);
  const m = spawnSync(process.execPath, [BIN, 'migrate', '--all', '--root', migrated], { encoding: 'utf8' });
  expect(m.status).toBe(1); // brokend is refused; everything else migrates
  after = treeState(migrated);
});

/** Runs revert --all on `root`, SIGKILLed after its Nth write, or after `ms`. */
function killedRevert(root: string, kill: { writes?: number; ms?: number }): Promise<string | null> {
  return new Promise((resolve) => {
    const env = { ...process.env };
    if (kill.writes) env.RC_SUPERVISE_TEST_CRASH_AFTER_WRITES = String(kill.writes);
    const child = spawn(process.execPath, [BIN, 'revert', '--all', '--root', root], { env, stdio: 'ignore' });
    const timer = kill.ms === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), kill.ms);
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      resolve(signal);
    });
  });
}

const etc = (s: TreeState) => Object.keys(s).filter((k) => k.startsWith('etc/'));

// 26 kill points by write count (revert --all of this tree writes ~45 times), 10 at random times.
const points: { writes?: number; ms?: number }[] = [
  ...Array.from({ length: 26 }, (_, i) => ({ writes: 1 + i * 2 })),
  ...fc.sample(fc.integer({ min: 150, max: 900 }), { seed: 1515, numRuns: 10 }).map((ms) => ({ ms })),
];

test.each(points.map((p, i) => [i, p] as const))('run %i: SIGKILL %j', async (i, point) => {
  const root = path.join(base, `run${i}`);
  copy(migrated, root);
  const signal = await killedRevert(root, point);
  const mid = treeState(root);
  // Every service file is the original or the migrated one.
  for (const k of new Set([...etc(pristine), ...etc(after), ...etc(mid)])) {
    // A kill inside an atomic write leaves its hidden temp file (never a service); the
    // next run removes it, which the final comparison checks.
    if (/\/\.[^/]+\.rc-supervise-[0-9a-f]{8}\.tmp$/.test(k) && !pristine[k]) continue;
    const now = mid[k];
    const ok = [pristine[k], after[k]].some((want) =>
      want === undefined
        ? now === undefined
        : now !== undefined && now.sha256 === want.sha256 && now.mode === want.mode,
    );
    if (!ok) throw new Error(`run ${i} (${signal ?? 'finished'}): ${k} is neither old nor new: ${JSON.stringify(now)}`);
  }
  const r = await run('revert', '--all', '--root', root);
  expect(r.stderr).not.toMatch(/missing or damaged|internal error/);
  expect(r.code).toBe(0);
  expect(treeState(root)).toEqual(pristine);
  rmSync(root, { recursive: true, force: true });
});
