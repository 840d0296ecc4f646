/**
 * `migrate --all` plans services in the main thread and a worker thread (the built CLI,
 * dist/; src/pool/pool.ts). Whatever the split, the diff, the report, the JSON and the
 * written tree must be exactly what one thread gives.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { treeHash } from './helpers/cli.js';
import { REPO } from './helpers/fixtures.js';

const CLI = path.join(REPO, 'bin/rc-supervise.js');
const migrate = (jobs: string, ...args: string[]) =>
  spawnSync(process.execPath, [CLI, 'migrate', '--all', ...args], {
    env: { ...process.env, RC_SUPERVISE_JOBS: jobs, RC_SUPERVISE_TIMING: '1' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
/** The timing line's per-thread counts: [main, worker 1, ...]. */
const shares = (stderr: string) => {
  const m = /on \d+ thread\(s\) \(([^)]*)\)/.exec(stderr);
  if (!m) throw new Error(`no timing line in: ${stderr.slice(0, 500)}`);
  return [...m[1].matchAll(/(?:main|worker \d+) (\d+)/g)].map((x) => Number(x[1]));
};
const withoutTiming = (stderr: string) => stderr.replace(/^rc-supervise: timing:.*\n/m, '');

let corpus: string;
beforeAll(() => {
  corpus = mkdtempSync(path.join(os.tmpdir(), 'rcs-pmig-'));
  const gen = spawnSync(process.execPath, [
    path.join(REPO, 'scripts/gen-corpus.mjs'),
    '--count',
    '300',
    '--seed',
    '5',
    '--out',
    corpus,
    '--quiet',
  ]);
  expect(gen.status).toBe(0);
});

test('--dry-run and --json: two threads print exactly what one thread prints', () => {
  const root = path.join(corpus, 'root');
  const before = treeHash(root);
  for (const extra of [['--dry-run'], ['--dry-run', '--json']]) {
    const one = migrate('1', '--root', root, ...extra);
    const two = migrate('2', '--root', root, ...extra);
    expect(one.status).toBe(1); // the corpus holds broken scripts on purpose
    expect(two.status).toBe(one.status);
    expect(shares(one.stderr)).toEqual([300]);
    const [main, worker] = shares(two.stderr);
    expect(main + worker).toBe(300);
    expect(main).toBeGreaterThan(0);
    expect(worker).toBeGreaterThan(0);
    expect(one.stdout.length).toBeGreaterThan(10000);
    expect(two.stdout).toBe(one.stdout);
    expect(withoutTiming(two.stderr)).toBe(withoutTiming(one.stderr));
  }
  expect(treeHash(root)).toBe(before);
});

test('a writing run planned by two threads writes the same tree as one thread', () => {
  const a = path.join(mkdtempSync(path.join(os.tmpdir(), 'rcs-pmig-a-')), 'root');
  const b = path.join(mkdtempSync(path.join(os.tmpdir(), 'rcs-pmig-b-')), 'root');
  cpSync(path.join(corpus, 'root'), a, { recursive: true, verbatimSymlinks: true });
  cpSync(path.join(corpus, 'root'), b, { recursive: true, verbatimSymlinks: true });
  const one = migrate('1', '--root', a);
  const two = migrate('2', '--root', b);
  expect(two.status).toBe(one.status);
  expect(shares(two.stderr)[1]).toBeGreaterThan(0);
  // Backups are named after the run's time.
  const runIds = (s: string) => withoutTiming(s).replace(/backup\/[\dT:.Z-]+\//g, 'backup/RUN/');
  expect(runIds(two.stderr)).toBe(runIds(one.stderr));
  expect(one.stderr).toMatch(/backup\/\d{4}-/);
  // The state directory holds run ids and times; the services must match byte for byte.
  expect(treeHash(path.join(b, 'etc'))).toBe(treeHash(path.join(a, 'etc')));
  expect(treeHash(path.join(a, 'etc'))).not.toBe(treeHash(path.join(corpus, 'root/etc')));
});
