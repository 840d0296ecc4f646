/**
 * The admin's whole-system job on examples/gentoo-root: status, migrate --all, revert --all,
 * crash consistency.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readManifest } from '../src/io/apply.js';
import { run, treeHash } from './helpers/cli.js';
import { REPO } from './helpers/fixtures.js';

const EXAMPLE = path.join(REPO, 'examples/gentoo-root');

async function copyExample(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rcs-batch-'));
  const root = path.join(dir, 'root');
  cpSync(EXAMPLE, root, { recursive: true, verbatimSymlinks: true });
  return root;
}

/** The expected classes, from the table in examples/gentoo-root/README.md. */
function expectedClasses(): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of readFileSync(path.join(EXAMPLE, 'README.md'), 'utf8').split('\n')) {
    const cells = /^\| ([\w.@+-]+) \| ([\w-]+) \|/.exec(line);
    if (cells && cells[1] !== 'service') m.set(cells[1], cells[2]);
  }
  return m;
}

const TO_STATUS: Record<string, [string, string | undefined]> = {
  'migrate-initd': ['convertible', 'init.d'],
  'migrate-confd': ['convertible', 'conf.d'],
  'already-supervised': ['supervised', undefined],
  'needs-foreground-args': ['needs-foreground-args', undefined],
  oneshot: ['not-applicable', undefined],
  refused: ['refused', undefined],
  broken: ['broken', undefined],
  netifrc: ['refused', 'netifrc'],
};

test('the example system has at least 25 services, one table row each', () => {
  const services = readdirSync(path.join(EXAMPLE, 'etc/init.d'));
  expect(services.length).toBeGreaterThanOrEqual(25);
  expect([...expectedClasses().keys()].sort()).toEqual(services.sort());
});

test('status --json classifies every service as the example README says', async () => {
  const r = await run('status', '--root', EXAMPLE, '--json');
  expect(r.code).toBe(0);
  const got = JSON.parse(r.stdout) as { services: { service: string; class: string; where?: string }[] };
  const want = expectedClasses();
  for (const s of got.services) {
    const [cls, where] = TO_STATUS[want.get(s.service)!];
    expect({ service: s.service, class: s.class }).toEqual({ service: s.service, class: cls });
    if (where) expect({ service: s.service, where: s.where }).toEqual({ service: s.service, where });
  }
  expect(got.services).toHaveLength(want.size);
});

test('status shows a table with a summary line', async () => {
  const r = await run('status', '--root', EXAMPLE);
  expect(r.stdout).toMatch(/^SERVICE\s+CLASS\s+DETAIL\n/);
  expect(r.stdout).toMatch(/\n33 services: \d+ supervised, \d+ convertible, /);
});

describe('migrate --all and revert --all', () => {
  test('migrate, migrate again (nothing written), revert: byte-identical, same modes, no new files', async () => {
    const root = await copyExample();
    const pristine = treeHash(root);
    const listing = readdirSync(path.join(root, 'etc/init.d')).sort();

    const first = await run('migrate', '--all', '--root', root);
    expect(first.code).toBe(1); // brokend does not parse: named, and the rest still migrated
    expect(first.stderr).toContain('etc/init.d/brokend:');
    expect(first.stderr).toMatch(/\n21 migrated, 2 already supervised, 9 skipped \(.*\), 1 failed\n$/);
    expect(readdirSync(path.join(root, 'etc/init.d')).sort()).toEqual(listing); // no backup, no temp file
    const migrated = treeHash(root);
    expect(migrated).not.toBe(pristine);

    const second = await run('migrate', '--all', '--root', root);
    expect(second.stderr).toMatch(/\n0 migrated, 23 already supervised/);
    expect(treeHash(root)).toBe(migrated);

    const back = await run('revert', '--all', '--root', root);
    expect(back.code).toBe(0);
    expect(treeHash(root)).toBe(pristine);
  });

  test('a file changed after the migration is not reverted without --force', async () => {
    const root = await copyExample();
    await run('migrate', 'sshd', 'ntpd', '--root', root);
    const ntpd = path.join(root, 'etc/init.d/ntpd');
    writeFileSync(ntpd, readFileSync(ntpd, 'utf8') + '# local edit\n');
    const r = await run('revert', 'ntpd', 'sshd', '--root', root);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ntpd: not reverted: etc/init.d/ntpd changed since the migration');
    expect(readFileSync(ntpd, 'utf8')).toContain('# local edit');
    expect(readFileSync(path.join(root, 'etc/init.d/sshd'), 'utf8')).toBe(
      readFileSync(path.join(EXAMPLE, 'etc/init.d/sshd'), 'utf8'),
    );
    const forced = await run('revert', 'ntpd', '--root', root, '--force');
    expect(forced.code).toBe(0);
    expect(readFileSync(ntpd, 'utf8')).toBe(readFileSync(path.join(EXAMPLE, 'etc/init.d/ntpd'), 'utf8'));
  });

  test('a broken or unreadable file does not stop the batch', async () => {
    const root = await copyExample();
    writeFileSync(path.join(root, 'etc/init.d/acpid'), Buffer.from([0x23, 0x21, 0xff, 0xfe, 0x00, 0x01]));
    chmodSync(path.join(root, 'etc/init.d/acpid'), 0o755);
    const r = await run('migrate', '--all', '--root', root);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('etc/init.d/acpid: binary file');
    expect(r.stderr).toMatch(/\n20 migrated, .* 2 failed\n$/);
  });
});

describe('crash in the middle of a batch', () => {
  test.each([1, 3, 7])(
    'killed after write %i: every file old or new, manifest consistent, revert restores all',
    async (n) => {
      const root = await copyExample();
      const pristine = treeHash(root);
      const done = await copyExample();
      await run('migrate', '--all', '--root', done);
      const r = spawnSync(
        process.execPath,
        [path.join(REPO, 'bin/rc-supervise.js'), 'migrate', '--all', '--root', root],
        {
          env: { ...process.env, RC_SUPERVISE_TEST_CRASH_AFTER_WRITES: String(n) },
          encoding: 'utf8',
        },
      );
      expect(r.signal).toBe('SIGKILL');
      for (const dir of ['etc/init.d', 'etc/conf.d']) {
        for (const name of readdirSync(path.join(root, dir))) {
          const p = path.join(root, dir, name);
          if (!existsSync(p)) continue; // dangling only if the example has such links
          const now = readFileSync(p, 'utf8');
          const old = existsSync(path.join(EXAMPLE, dir, name))
            ? readFileSync(path.join(EXAMPLE, dir, name), 'utf8')
            : null;
          const migrated = readFileSync(path.join(done, dir, name), 'utf8');
          expect([old, migrated]).toContain(now);
        }
        expect(readdirSync(path.join(root, dir)).filter((f) => f.startsWith('.'))).toEqual([]); // no temp file left
      }
      const manifest = await readManifest(root);
      expect(manifest.entries.length).toBeGreaterThanOrEqual(n);
      const back = await run('revert', '--all', '--root', root);
      expect(back.code).toBe(0);
      expect(treeHash(root)).toBe(pristine);
    },
  );
});

test('migrate --all --dry-run prints one diff that patch -p1 applies, giving exactly what a writing run writes', async () => {
  const root = await copyExample();
  const patched = await copyExample();
  const written = await copyExample();
  const dry = await run('migrate', '--all', '--root', root, '--dry-run');
  expect(dry.stdout).toContain('--- /dev/null\n+++ b/etc/conf.d/cups-browsed\n'); // a created conf.d
  const pristine = treeHash(root);
  const applied = spawnSync('patch', ['-p1', '-s', '-d', patched], { input: dry.stdout, encoding: 'utf8' });
  expect(applied).toMatchObject({ status: 0, stderr: '' });
  await run('migrate', '--all', '--root', written);
  for (const dir of ['etc/init.d', 'etc/conf.d']) {
    const names = readdirSync(path.join(written, dir)).sort();
    expect(readdirSync(path.join(patched, dir)).sort()).toEqual(names);
    for (const n of names) {
      const p = path.join(dir, n);
      if (!existsSync(path.join(written, p))) continue;
      expect([p, readFileSync(path.join(patched, p), 'utf8')]).toEqual([
        p,
        readFileSync(path.join(written, p), 'utf8'),
      ]);
    }
  }
  expect(treeHash(root)).toBe(pristine); // the dry run wrote nothing
});
