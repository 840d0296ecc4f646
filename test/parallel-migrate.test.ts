/**
 * `migrate --all` plans services in the main thread and a worker thread (the built CLI,
 * dist/; src/pool/pool.ts). Whatever the split, the diff, the report, the JSON and the
 * written tree must be exactly what one thread gives.
 */
import { cpSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { treeHash } from './helpers/cli.js';
import { cliWithJobs, generateCorpus, threadShares as shares, withoutTiming } from './helpers/threads.js';

const migrate = (jobs: string, ...args: string[]) => cliWithJobs(jobs, ['migrate', '--all', ...args]);

let corpus: string;
beforeAll(() => {
  corpus = generateCorpus(300, '5');
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
