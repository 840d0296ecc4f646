/**
 * Large lint runs use worker threads (the built CLI, dist/). Same corpus, same findings,
 * whether linted by two workers or in one thread.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO } from '../helpers/fixtures.js';

const CLI = path.join(REPO, 'bin/rc-supervise.js');
const lintWith = (jobs: string, ...args: string[]) =>
  spawnSync(process.execPath, [CLI, 'lint', ...args], {
    env: { ...process.env, RC_SUPERVISE_JOBS: jobs, RC_SUPERVISE_TIMING: '1' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
/** The timing line's per-thread target counts: [main, worker 1, ...]. */
const shares = (stderr: string) => {
  const m = /on \d+ thread\(s\) \(([^)]*)\)/.exec(stderr);
  if (!m) throw new Error(`no timing line in: ${stderr}`);
  return [...m[1].matchAll(/(?:main|worker \d+) (\d+)/g)].map((x) => Number(x[1]));
};
const withoutTiming = (stderr: string) => stderr.replace(/^rc-supervise: timing:.*\n/m, '');

test('a main thread and a worker sharing the queue report exactly what one thread reports', () => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'rcs-par-'));
  const gen = spawnSync(process.execPath, [
    path.join(REPO, 'scripts/gen-corpus.mjs'),
    '--count',
    '400',
    '--seed',
    '7',
    '--out',
    out,
    '--quiet',
  ]);
  expect(gen.status).toBe(0);
  const overlay = path.join(out, 'overlay');
  const one = lintWith('1', overlay, '--format', 'json');
  const two = lintWith('2', overlay, '--format', 'json');
  expect(one.status).toBe(1);
  expect(two.status).toBe(1);
  expect(JSON.parse(one.stdout).length).toBeGreaterThan(100);
  expect(shares(one.stderr)).toEqual([400]);
  // Both threads took targets (a worker boots in ~150 ms; 400 scripts take longer than that).
  const [main, worker] = shares(two.stderr);
  expect(main + worker).toBe(400);
  expect(worker).toBeGreaterThan(0);
  expect(main).toBeGreaterThan(0);
  expect(two.stdout).toBe(one.stdout);
  expect(withoutTiming(two.stderr)).toBe(withoutTiming(one.stderr));
});

test('a run smaller than a worker start-up reports the same (the worker is usually called off)', () => {
  const file = path.join(REPO, 'fixtures/sshd/stock/init.d.in');
  const one = lintWith('1', file, '--format', 'json');
  const two = lintWith('2', file, '--format', 'json');
  expect(two.status).toBe(one.status);
  expect(two.stdout).toBe(one.stdout);
  const s = shares(two.stderr);
  expect(s).toHaveLength(2);
  expect(s[0] + s[1]).toBe(1);
});

test('lint --fix --unsafe in a fresh process fixes a generated corpus completely', () => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'rcs-fix-'));
  spawnSync(process.execPath, [
    path.join(REPO, 'scripts/gen-corpus.mjs'),
    '--count',
    '120',
    '--seed',
    '11',
    '--out',
    out,
    '--quiet',
  ]);
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(REPO, 'bin/rc-supervise.js'), 'lint', path.join(out, 'overlay'), ...args], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
  const fixed = cli('--fix', '--unsafe');
  expect(fixed.stderr).not.toContain('internal error');
  expect(fixed.stderr).toMatch(/fixed \d+ problems/);
  const after = JSON.parse(cli('--format', 'json').stdout) as { fixable: string | null }[];
  expect(after.filter((f) => f.fixable)).toEqual([]);
});
