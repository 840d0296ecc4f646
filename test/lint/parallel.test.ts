/**
 * Large lint runs use worker threads (the built CLI, dist/). Same corpus, same findings,
 * whether linted by two workers or in one thread.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO } from '../helpers/fixtures.js';

test('two workers report exactly what one thread reports', () => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'rcs-par-'));
  const gen = spawnSync(process.execPath, [
    path.join(REPO, 'scripts/gen-corpus.mjs'),
    '--count',
    '150',
    '--seed',
    '7',
    '--out',
    out,
    '--quiet',
  ]);
  expect(gen.status).toBe(0);
  const lint = (jobs: string) =>
    spawnSync(
      process.execPath,
      [path.join(REPO, 'bin/rc-supervise.js'), 'lint', path.join(out, 'overlay'), '--format', 'json'],
      {
        env: { ...process.env, RC_SUPERVISE_JOBS: jobs },
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      },
    );
  const one = lint('1');
  const two = lint('2');
  expect(one.status).toBe(1);
  expect(two.status).toBe(1);
  expect(JSON.parse(one.stdout).length).toBeGreaterThan(50);
  expect(two.stdout).toBe(one.stdout);
  expect(two.stderr).toBe(one.stderr);
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
