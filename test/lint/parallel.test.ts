/**
 * Large lint runs use worker threads (the built CLI, dist/). Same corpus, same findings,
 * whether linted by two workers or in one thread.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO } from '../helpers/fixtures.js';
import { CLI, cliWithJobs, generateCorpus, threadShares as shares, withoutTiming } from '../helpers/threads.js';

const lintWith = (jobs: string, ...args: string[]) => cliWithJobs(jobs, ['lint', ...args]);

test('a main thread and a worker sharing the queue report exactly what one thread reports', () => {
  const out = generateCorpus(400, '7');
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

test('by default a few scripts are linted in this thread alone: no worker is started for them', () => {
  const file = path.join(REPO, 'fixtures/sshd/stock/init.d.in');
  const env: NodeJS.ProcessEnv = { ...process.env, RC_SUPERVISE_TIMING: '1' };
  delete env.RC_SUPERVISE_JOBS;
  const r = spawnSync(process.execPath, [CLI, 'lint', file, '--format', 'json'], { env, encoding: 'utf8' });
  expect(withoutTiming(r.stderr)).toBe('');
  expect(r.stderr).toContain('on 1 thread(s) (main 1)');
});

test('threads by batch size: one below MIN_ITEMS_PER_THREAD items per thread, at most one per core', async () => {
  const { threadsFor, MIN_ITEMS_PER_THREAD } = await import('../../src/pool/pool.js');
  const saved = process.env.RC_SUPERVISE_JOBS;
  delete process.env.RC_SUPERVISE_JOBS;
  try {
    const cores = os.availableParallelism();
    expect(threadsFor(0)).toBe(1);
    expect(threadsFor(2 * MIN_ITEMS_PER_THREAD - 1)).toBe(1);
    expect(threadsFor(2 * MIN_ITEMS_PER_THREAD)).toBe(Math.min(2, cores));
    expect(threadsFor(1000 * MIN_ITEMS_PER_THREAD)).toBe(cores);
    process.env.RC_SUPERVISE_JOBS = '3';
    expect(threadsFor(1)).toBe(3);
  } finally {
    if (saved === undefined) delete process.env.RC_SUPERVISE_JOBS;
    else process.env.RC_SUPERVISE_JOBS = saved;
  }
});

test('lint --fix --unsafe in a fresh process fixes a generated corpus completely', () => {
  const out = generateCorpus(120, '11');
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [CLI, 'lint', path.join(out, 'overlay'), ...args], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
  const fixed = cli('--fix', '--unsafe');
  expect(fixed.stderr).not.toContain('internal error');
  expect(fixed.stderr).toMatch(/fixed \d+ problems/);
  const after = JSON.parse(cli('--format', 'json').stdout) as { fixable: string | null; file: string }[];
  // Except in scripts dash cannot parse as they are (the corpus has bash-only `<<<`): --fix
  // leaves those alone, since no fix could be checked against what /bin/sh runs.
  const dashRejects = (f: string) =>
    spawnSync('dash', ['-n'], { input: readFileSync(f, 'utf8').replace(/\r\n/g, '\n') }).status !== 0;
  const left = after.filter((f) => f.fixable);
  expect(left.filter((f) => !dashRejects(f.file))).toEqual([]);
});
