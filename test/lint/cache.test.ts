/**
 * lint --cache (src/lint/cache.ts): a cached run prints what an uncached run prints, also
 * after scripts, conf.d files or the config changed; a file that is not a cache is never
 * overwritten; the cache keeps its mode, follows a symbolic link, and drops entries not used
 * for KEEP_RUNS runs.
 */
import {
  chmodSync,
  readdirSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { cacheKey, DEFAULT_CACHE_NAME, KEEP_RUNS, LintCache, programFiles } from '../../src/lint/cache.js';
import type { Finding } from '../../src/lint/types.js';
import { EXIT } from '../../src/errors.js';
import { run } from '../helpers/cli.js';
import { REPO } from '../helpers/fixtures.js';
import { tempDirs } from '../helpers/temp.js';

const temp = tempDirs('rcs-cache');

/** A copy of fixtures/overlay and a cache file beside it (not in it: discovery must not meet it). */
function overlayCopy(label: string): { dir: string; cache: string } {
  const t = temp(label);
  const dir = path.join(t, 'overlay');
  cpSync(path.join(REPO, 'fixtures/overlay'), dir, { recursive: true });
  return { dir, cache: path.join(t, 'lint.cache') };
}

/** One lint run's JSON output, exit code, and how many scripts came from the cache (RC_SUPERVISE_TIMING). */
async function lint(
  ...args: string[]
): Promise<{ code: number; json: unknown; stderr: string; fromCache: number | null }> {
  const before = process.env.RC_SUPERVISE_TIMING;
  process.env.RC_SUPERVISE_TIMING = '1';
  try {
    const r = await run('lint', '-f', 'json', ...args);
    const m = /\((\d+) of \d+ from the cache\)/.exec(r.stderr);
    return { code: r.code, json: JSON.parse(r.stdout), stderr: r.stderr, fromCache: m ? Number(m[1]) : null };
  } finally {
    if (before === undefined) delete process.env.RC_SUPERVISE_TIMING;
    else process.env.RC_SUPERVISE_TIMING = before;
  }
}

const FINDING: Finding = { ruleId: 'ssd-signal', severity: 'error', message: 'm', file: 'a', line: 1, col: 1 };

describe('lint --cache over an ebuild repository', () => {
  test('the first and the second run print what a run without the cache prints; the second reads every script from it', async () => {
    const { dir, cache } = overlayCopy('same');
    const plain = await lint(dir);
    expect((plain.json as unknown[]).length).toBeGreaterThan(20);
    expect(plain.fromCache).toBeNull();
    const first = await lint('--cache', '--cache-location', cache, dir);
    const second = await lint('--cache', '--cache-location', cache, dir);
    expect(first.json).toEqual(plain.json);
    expect(second.json).toEqual(plain.json);
    expect(first.code).toBe(plain.code);
    expect(second.code).toBe(plain.code);
    expect(first.fromCache).toBe(0);
    const scripts = Number(/\((\d+) init scripts/.exec(second.stderr)![1]);
    expect(second.fromCache).toBe(scripts);
    expect(readFileSync(cache, 'utf8').startsWith('{"format":"rc-supervise lint cache","version":1,')).toBe(true);
  });

  test('an edited init script, an edited conf.d and a changed config are linted again, the rest comes from the cache', async () => {
    const { dir, cache } = overlayCopy('edits');
    await lint('--cache', '--cache-location', cache, dir);
    const scripts = Number(
      /\((\d+) init scripts/.exec((await lint('--cache', '--cache-location', cache, dir)).stderr)![1],
    );

    // A clean script gains a start-stop-daemon signal call: a new finding the cache must not hide.
    const clean = path.join(dir, 'app-admin/clean-node-exporter/files/node-exporter-r1.initd');
    expect(existsSync(clean)).toBe(true);
    writeFileSync(
      clean,
      readFileSync(clean, 'utf8') +
        '\nreload() {\n\tstart-stop-daemon --signal HUP --pidfile /run/node-exporter.pid\n}\n',
    );
    const afterInitd = await lint('--cache', '--cache-location', cache, dir);
    expect(afterInitd.json).toEqual((await lint(dir)).json);
    expect(afterInitd.fromCache).toBe(scripts - 1);
    expect(JSON.stringify(afterInitd.json)).toContain('node-exporter-r1.initd');

    // A conf.d that sets the supervisor changes its service's findings.
    const confd = path.join(dir, 'app-admin/hddtemp/files/hddtemp.confd');
    writeFileSync(confd, readFileSync(confd, 'utf8') + '\nsupervisor=supervise-daemon\n');
    const afterConfd = await lint('--cache', '--cache-location', cache, dir);
    expect(afterConfd.json).toEqual((await lint(dir)).json);
    expect(afterConfd.fromCache).toBe(scripts - 1);

    // The repository's config turns a check off: every script is linted again under it.
    writeFileSync(
      path.join(dir, '.rc-supervise.json'),
      JSON.stringify({ openrcVersion: '0.45', disable: ['bashism'] }),
    );
    const afterConfig = await lint('--cache', '--cache-location', cache, dir);
    expect(afterConfig.json).toEqual((await lint(dir)).json);
    expect(afterConfig.fromCache).toBe(0);
    expect(JSON.stringify(afterConfig.json)).not.toContain('"bashism"');

    // Command-line options that change findings are part of the key too.
    const older = await lint('--cache', '--cache-location', cache, '--openrc-version', '0.40', dir);
    expect(older.json).toEqual((await lint('--openrc-version', '0.40', dir)).json);
    expect(older.fromCache).toBe(0);
    const ignored = await lint('--cache', '--cache-location', cache, '--ignore', 'ssd-signal', dir);
    expect(ignored.json).toEqual((await lint('--ignore', 'ssd-signal', dir)).json);
    expect(ignored.fromCache).toBe(0);
  });

  test('a cache whose entries were damaged (wrong shapes) gives what a run without it gives, never a crash', async () => {
    const { dir, cache } = overlayCopy('shapes');
    const plain = await lint(dir);
    await lint('--cache', '--cache-location', cache, dir);
    const good = JSON.parse(readFileSync(cache, 'utf8'));
    const keys = Object.keys(good.entries);
    const installKeys = Object.keys(good.installs);
    expect(keys.length).toBeGreaterThan(3);
    expect(installKeys.length).toBeGreaterThan(0);
    const damages: ((d: typeof good) => void)[] = [
      (d) => keys.forEach((k) => (d.entries[k].findings = [1])),
      (d) => keys.forEach((k) => (d.entries[k].findings = [{}])),
      (d) => keys.forEach((k) => (d.entries[k] = null)),
      (d) => keys.forEach((k) => (d.entries[k].findings = [{ ...d.entries[k].findings[0], severity: 'fatal' }])),
      (d) => (d.entries = []),
      (d) => (d.entries = null),
      (d) => (d.installs = 5),
      (d) => installKeys.forEach((k) => (d.installs[k].lines = [null])),
    ];
    for (const damage of damages) {
      const d = JSON.parse(JSON.stringify(good));
      damage(d);
      writeFileSync(cache, JSON.stringify(d));
      const r = await lint('--cache', '--cache-location', cache, dir);
      expect([damage.toString(), r.code, r.json]).toEqual([damage.toString(), plain.code, plain.json]);
    }
  });

  test('a --cache-location that cannot be used (under a file) is said on stderr; lint gives its usual answer', async () => {
    const { dir } = overlayCopy('badplace');
    const file = path.join(temp('badplace-file'), 'afile');
    writeFileSync(file, 'x');
    const plain = await lint(dir);
    const r = await lint('--cache', '--cache-location', path.join(file, 'c'), dir);
    expect(r.code).toBe(plain.code);
    expect(r.json).toEqual(plain.json);
    expect(r.stderr).toContain(path.join(file, 'c'));
    expect(readFileSync(file, 'utf8')).toBe('x');
  });

  test('a directory as --cache-location holds .rc-supervise-cache', async () => {
    const { dir } = overlayCopy('dirloc');
    const where = temp('where');
    await lint('--cache', '--cache-location', where, dir);
    expect(existsSync(path.join(where, DEFAULT_CACHE_NAME))).toBe(true);
  });

  test('a file at the cache location that rc-supervise did not write is left as it is, and lint still runs', async () => {
    const { dir, cache } = overlayCopy('foreign');
    writeFileSync(cache, '{"notes": "mine"}\n');
    const r = await lint('--cache', '--cache-location', cache, dir);
    expect(r.json).toEqual((await lint(dir)).json);
    expect(r.stderr).toContain('not an rc-supervise cache, left as it is');
    expect(readFileSync(cache, 'utf8')).toBe('{"notes": "mine"}\n');
  });

  test('usage: --cache-location needs --cache; --cache is not for --fix or stdin', async () => {
    const { dir, cache } = overlayCopy('usage');
    for (const args of [
      ['--cache-location', cache, dir],
      ['--cache', '--fix', dir],
      ['--cache', '-'],
    ]) {
      const r = await run('lint', ...args);
      expect(r.code).toBe(EXIT.USAGE);
      expect(existsSync(cache)).toBe(false);
    }
  });
});

test('the shells run with their own environment: BASH_ENV and the locale do not change what lint says (cached verdicts depend on text and shell only)', () => {
  // A subprocess: the real environment reaches the shells only there (Jest gives tests a copy of process.env).
  const d = temp('bashenv');
  const rc = path.join(d, 'rc');
  writeFileSync(rc, 'if then fi (\n');
  const script = path.join(d, 'broken.initd');
  writeFileSync(script, '#!/bin/bash\ncommand=/usr/bin/foo\nstart_pre() {\n\tif true; then\n}\n');
  const bin = path.join(REPO, 'bin/rc-supervise.js');
  const lintWith = (env: Record<string, string>) =>
    execFileSync('node', [bin, 'lint', '-f', 'json', '--fail-on', 'never', script], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: d, ...env },
    });
  const plain = lintWith({});
  expect(plain).toContain('syntax-error');
  expect(lintWith({ BASH_ENV: rc, LANGUAGE: 'de', LANG: 'de_DE.UTF-8' })).toBe(plain);
});

describe('LintCache', () => {
  test.each([
    ['cut in its JSON', '{"format":"rc-supervise lint cache","version":1,"fingerprint":"x","ru'],
    ['cut before its first bytes end', '{"format":"rc-sup'],
  ])('a damaged cache of ours (%s) is started afresh and rewritten whole', (_what, text) => {
    const file = path.join(temp('damaged'), 'c');
    writeFileSync(file, text);
    const c = LintCache.open(file, 'fp');
    expect(c.note).toContain('a damaged cache');
    c.put('k', [FINDING]);
    expect(c.save()).toBeNull();
    expect(LintCache.open(file, 'fp').get('k')).toEqual([FINDING]);
  });

  test('another fingerprint (another build of the program, other shells) empties it', () => {
    const file = path.join(temp('fp'), 'c');
    const c = LintCache.open(file, 'one');
    c.put('k', [FINDING]);
    c.save();
    expect(LintCache.open(file, 'one').get('k')).toEqual([FINDING]);
    expect(LintCache.open(file, 'two').get('k')).toBeUndefined();
  });

  test(`an entry unused for ${KEEP_RUNS} runs is dropped; one used keeps its place`, () => {
    const file = path.join(temp('evict'), 'c');
    const c = LintCache.open(file, 'fp');
    c.put('old', [FINDING]);
    c.put('used', []);
    c.save();
    for (let i = 0; i < KEEP_RUNS; i++) {
      const r = LintCache.open(file, 'fp');
      expect(r.get('used')).toEqual([]);
      r.save();
    }
    const last = LintCache.open(file, 'fp');
    expect(last.get('used')).toEqual([]);
    expect(last.get('old')).toBeUndefined();
  });

  test('a rewrite keeps the file mode; a symbolic link stays and the file it names is the cache', () => {
    const d = temp('meta');
    const real = path.join(d, 'real');
    const c = LintCache.open(real, 'fp');
    c.put('k', []);
    c.save();
    chmodSync(real, 0o600);
    const link = path.join(d, 'link');
    symlinkSync(real, link);
    const l = LintCache.open(link, 'fp');
    expect(l.get('k')).toEqual([]);
    l.put('k2', [FINDING]);
    expect(l.save()).toBeNull();
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(real);
    expect(statSync(real).mode & 0o777).toBe(0o600);
    expect(LintCache.open(real, 'fp').get('k2')).toEqual([FINDING]);
  });

  test('a dangling symbolic link and a FIFO at the cache place are left as they are (and the FIFO is not read)', () => {
    const d = temp('odd');
    const link = path.join(d, 'link');
    symlinkSync(path.join(d, 'nowhere', 'c'), link);
    const l = LintCache.open(link, 'fp');
    expect(l.note).toContain('a symbolic link to nothing');
    l.put('k', []);
    expect(l.save()).toBeNull();
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    const fifo = path.join(d, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const f = LintCache.open(fifo, 'fp');
    expect(f.note).toContain('not a regular file');
    f.put('k', []);
    expect(f.save()).toBeNull();
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  test('a place that cannot be looked at or written (a file as a directory, a missing dir/): said, nothing is touched', () => {
    const d = temp('place');
    const file = path.join(d, 'afile');
    writeFileSync(file, 'x');
    const c = LintCache.open(path.join(file, 'c'), 'fp');
    c.put('k', []);
    expect(c.note ?? c.save()).toMatch(/ENOTDIR|cannot be looked at/);
    const m = LintCache.open(path.join(d, 'newdir') + '/', 'fp');
    expect(m.note).toContain('no such directory');
    m.put('k', []);
    expect(m.save()).toBeNull();
    expect(readdirSync(d)).toEqual(['afile']);
    expect(readFileSync(file, 'utf8')).toBe('x');
  });

  test('a file put at the cache place during the run is not overwritten', () => {
    const file = path.join(temp('race'), 'c');
    const c = LintCache.open(file, 'fp');
    c.put('k', []);
    writeFileSync(file, 'notes of mine\n');
    expect(c.save()).toMatch(/something else was put there/);
    expect(readFileSync(file, 'utf8')).toBe('notes of mine\n');
  });

  test('the program fingerprint covers the service rules lint resolves, not only src', () => {
    const files = programFiles();
    expect(files.some((f) => /[\\/]rules[\\/]acpid\.(js|ts)$/.test(f))).toBe(true);
    expect(files.some((f) => /[\\/]lint[\\/]cache\.(js|ts)$/.test(f))).toBe(true);
  });

  test("the ebuilds' install lines are kept by text, variables and the files/ listing (all installLines reads)", () => {
    const file = path.join(temp('installs'), 'c');
    const m = LintCache.open(file, 'fp').installMemo();
    const vars = { PN: 'foo', FILESDIR: '/r/c/foo/files' };
    const files = ['/r/c/foo/files/foo.initd'];
    const keys = [
      m.key('newinitd x foo', vars, files),
      m.key('newinitd x foo ', vars, files),
      m.key('newinitd x foo', { ...vars, PN: 'bar' }, files),
      m.key('newinitd x foo', vars, [...files, '/r/c/foo/files/bar.initd']),
    ];
    expect(new Set(keys).size).toBe(keys.length);
    const line = { kind: 'initd' as const, src: files[0], name: 'foo', line: 3 };
    const c = LintCache.open(file, 'fp');
    c.installMemo().put(keys[0], [line]);
    c.save();
    expect(LintCache.open(file, 'fp').installMemo().get(keys[0])).toEqual([line]);
  });

  test('the key changes with every input lintParsed reads; the same input gives the same key', () => {
    const base = {
      initdPath: 'a/foo.initd',
      initdText: 'x',
      confdPath: 'a/foo.confd',
      confdText: 'y',
      mode: 0o755,
      name: 'foo',
    };
    const k = (
      over: Partial<typeof base> | Record<string, unknown> = {},
      target?: { major: number; minor: number; patch: number },
      config = {},
    ) => cacheKey('fp', { ...base, ...over } as typeof base, target as never, config);
    const keys = [
      k(),
      k({ initdText: 'x ' }),
      k({ confdText: 'y ' }),
      k({ confdText: null, confdPath: null }),
      k({ initdPath: 'b/foo.initd' }),
      k({ confdPath: 'b/foo.confd' }),
      k({ mode: 0o644 }),
      k({ name: 'bar' }),
      k({}, { major: 0, minor: 40, patch: 0 }),
      k({}, undefined, { disable: ['bashism'] }),
      // The texts' boundary: "x" + "y" is not "xy" + "".
      k({ initdText: 'xy', confdText: '' }),
      cacheKey('fp2', base, undefined, {}),
    ];
    expect(new Set(keys).size).toBe(keys.length);
    expect(k()).toBe(k());
  });
});
