/** Helpers for the tests that run the built CLI with worker threads (src/pool/). */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO } from './fixtures.js';

export const CLI = path.join(REPO, 'bin/rc-supervise.js');

/** A generated corpus (scripts/gen-corpus.mjs) in a new temporary directory: its path. */
export function generateCorpus(count: number, seed: string): string {
  const out = mkdtempSync(path.join(os.tmpdir(), 'rcs-corpus-'));
  const gen = spawnSync(process.execPath, [
    path.join(REPO, 'scripts/gen-corpus.mjs'),
    '--count',
    String(count),
    '--seed',
    seed,
    '--out',
    out,
    '--quiet',
  ]);
  if (gen.status !== 0) throw new Error(`gen-corpus failed: ${gen.stderr}`);
  return out;
}

/** The built CLI with RC_SUPERVISE_JOBS=jobs and RC_SUPERVISE_TIMING on. */
export function cliWithJobs(jobs: string, args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], {
    env: { ...process.env, RC_SUPERVISE_JOBS: jobs, RC_SUPERVISE_TIMING: '1' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** The timing line's per-thread counts: [main, worker 1, ...]. */
export function threadShares(stderr: string): number[] {
  const m = /on \d+ thread\(s\) \(([^)]*)\)/.exec(stderr);
  if (!m) throw new Error(`no timing line in: ${stderr.slice(0, 500)}`);
  return [...m[1].matchAll(/(?:main|worker \d+) (\d+)/g)].map((x) => Number(x[1]));
}

export const withoutTiming = (stderr: string) => stderr.replace(/^rc-supervise: timing:.*\n/m, '');
