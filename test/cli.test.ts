import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { run, treeHash } from './helpers/cli.js';
import { FIXTURES, makeRoot } from './helpers/fixtures.js';

const sshdIn = () => readFileSync(path.join(FIXTURES, 'sshd/stock/init.d.in'), 'utf8');
const sshdConf = () => {
  const p = path.join(FIXTURES, 'sshd/stock/conf.d.in');
  return existsSync(p) ? readFileSync(p, 'utf8') : null;
};

describe('migrate sshd', () => {
  test('--dry-run prints a diff that patch -p1 applies, and writes nothing', async () => {
    const root = await makeRoot([{ svc: 'sshd', initd: sshdIn(), confd: sshdConf() }]);
    const before = treeHash(root);
    const r = await run('migrate', 'sshd', '--root', root, '--dry-run');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^--- a\/etc\/init\.d\/sshd\n\+\+\+ b\/etc\/init\.d\/sshd\n/);
    expect(treeHash(root)).toBe(before);
    execFileSync('patch', ['-p1', '--dry-run', '-d', root], { input: r.stdout });
    // Applying the dry-run diff gives exactly what a writing run writes.
    const copy = root + '-patched';
    cpSync(root, copy, { recursive: true });
    execFileSync('patch', ['-p1', '-s', '-d', copy], { input: r.stdout });
    const w = await run('migrate', 'sshd', '--root', root);
    expect(w.code).toBe(0);
    expect(readFileSync(path.join(copy, 'etc/init.d/sshd'), 'utf8')).toBe(
      readFileSync(path.join(root, 'etc/init.d/sshd'), 'utf8'),
    );
  });

  test('writing keeps the mode, backs up outside init.d, says to restart; a second run changes nothing', async () => {
    const root = await makeRoot([{ svc: 'sshd', initd: sshdIn(), confd: sshdConf() }]);
    chmodSync(path.join(root, 'etc/init.d/sshd'), 0o750);
    const r = await run('migrate', 'sshd', '--root', root);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('rc-service sshd restart');
    const initd = path.join(root, 'etc/init.d/sshd');
    expect(statSync(initd).mode & 0o7777).toBe(0o750);
    expect(readFileSync(initd, 'utf8')).toContain('supervisor="supervise-daemon"');
    expect(readdirSync(path.join(root, 'etc/init.d'))).toEqual(['sshd']);
    const backups = execFileSync('find', [path.join(root, 'var/lib/rc-supervise/backup'), '-type', 'f'], {
      encoding: 'utf8',
    })
      .trim()
      .split('\n');
    expect(backups).toHaveLength(1);
    expect(readFileSync(backups[0], 'utf8')).toBe(sshdIn());
    expect(statSync(backups[0]).mode & 0o111).toBe(0);
    const after = treeHash(root);
    const again = await run('migrate', 'sshd', '--root', root);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('already supervised');
    expect(treeHash(root)).toBe(after);
  });
});

// A stop schedule without KILL: under supervise-daemon a daemon that outlives it runs on without
// its supervisor (lvmlockd with locks held, dmeventd while monitoring: the holdout-9 reviews).
// Said once, above the summary, counting the services it concerns; -q keeps it out.
describe('migrate: the stop schedule without KILL', () => {
  const daemon = (retry: string) =>
    ['#!/sbin/openrc-run', 'command=/usr/sbin/sshd', 'command_args_foreground="-D"', retry].join('\n') + '\n';
  test('counted in one note above the summary line; a named service gets it too', async () => {
    const root = await makeRoot([
      { svc: 'one', initd: daemon('') },
      { svc: 'two', initd: daemon('retry="TERM/30/KILL/5"') },
      { svc: 'three', initd: daemon('retry=60') },
    ]);
    const all = await run('migrate', '--all', '--root', root, '--dry-run');
    expect(all.code).toBe(0);
    const lines = all.stderr.trimEnd().split('\n');
    expect(lines.at(-1)).toMatch(/^3 would migrate, /);
    expect(lines.at(-2)).toMatch(
      /^note: 2 of them stop without a KILL step \(retry unset, a bare timeout or no KILL\): /,
    );
    // retry=60, chosen by the script, is also said for its service.
    expect(all.stderr).toContain('note: retry="60" has no KILL step');
    expect((await run('migrate', '--all', '--root', root, '--dry-run', '-q')).stderr).not.toContain('KILL');
    expect((await run('migrate', 'one', '--root', root, '--dry-run')).stderr).toMatch(
      /\nnote: it stops without a KILL step /,
    );
    expect((await run('migrate', 'two', '--root', root, '--dry-run')).stderr).not.toContain('KILL step');
  });
});

describe('bad input: clear message, documented exit code, nothing written', () => {
  test('missing service: exit 2 naming the path looked at', async () => {
    const root = await makeRoot([]);
    const r = await run('migrate', 'nosuch', '--root', root);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(path.join(root, 'etc/init.d/nosuch'));
  });

  test('not an OpenRC script: refused', async () => {
    const root = await makeRoot([{ svc: 'plain', initd: '#!/bin/sh\ncommand=/bin/true\n' }]);
    const before = treeHash(root);
    const r = await run('migrate', 'plain', '--root', root);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not an OpenRC script');
    expect(treeHash(root)).toBe(before);
  });

  test('syntax error: exit 3 with file:line:col', async () => {
    const root = await makeRoot([
      { svc: 'bad', initd: '#!/sbin/openrc-run\ncommand=/usr/bin/x\nif [ -n "$x" ]; then\n\techo\n' },
    ]);
    const before = treeHash(root);
    const r = await run('migrate', 'bad', '--root', root);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/etc\/init\.d\/bad:\d+:\d+: /);
    expect(treeHash(root)).toBe(before);
  });

  test('".." in a service name is rejected', async () => {
    const root = await makeRoot([]);
    const r = await run('migrate', '../../etc/passwd', '--root', root);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not a valid service name');
  });

  test('unknown forking daemon: refused naming --foreground-args; with it, migrated', async () => {
    const script = '#!/sbin/openrc-run\ncommand=/usr/sbin/frobd\ncommand_args="-d --port 7"\npidfile=/run/frobd.pid\n';
    const root = await makeRoot([{ svc: 'frobd', initd: script }]);
    const before = treeHash(root);
    const r = await run('migrate', 'frobd', '--root', root);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--foreground-args');
    expect(treeHash(root)).toBe(before);
    const ok = await run('migrate', 'frobd', '--root', root, '--foreground-args=--no-fork', '--dry-run');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('+command_args_foreground="--no-fork"');
  });

  test('--min-evidence rule: a migration resting on the script alone is refused, nothing written; script takes it', async () => {
    const script = '#!/sbin/openrc-run\ncommand=/usr/bin/frobd\ncommand_background=yes\npidfile=/run/frobd.pid\n';
    const root = await makeRoot([{ svc: 'frobd', initd: script }]);
    const before = treeHash(root);
    const r = await run('migrate', 'frobd', '--root', root, '--min-evidence', 'rule');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("rests on the script's own word (command_background=yes");
    expect(r.stderr).toContain('--min-evidence rule asks for a rule');
    expect(treeHash(root)).toBe(before);
    const ok = await run('migrate', 'frobd', '--root', root, '--min-evidence', 'script', '--dry-run');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('+supervisor="supervise-daemon"');
    const bad = await run('migrate', 'frobd', '--root', root, '--min-evidence', 'hunch');
    expect(bad.code).toBe(4);
    expect(bad.stderr).toContain('--min-evidence "hunch": expected one of rule, script, unit');
  });

  test('one bad name in an explicit list: nothing written at all', async () => {
    const root = await makeRoot([{ svc: 'sshd', initd: sshdIn(), confd: sshdConf() }]);
    const before = treeHash(root);
    const r = await run('migrate', 'sshd', 'nosuch', '--root', root);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nothing written');
    expect(treeHash(root)).toBe(before);
  });
});

describe('CLI basics', () => {
  test('--version and --help', async () => {
    const v = await run('--version');
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const h = await run('--help');
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('migrate');
    expect(h.stdout).toContain('Exit codes');
  });

  test('unknown option: exit 4', async () => {
    const r = await run('migrate', 'x', '--no-such-flag');
    expect(r.code).toBe(4);
  });

  test('JSON output for scripts', async () => {
    const root = await makeRoot([{ svc: 'sshd', initd: sshdIn(), confd: sshdConf() }]);
    const r = await run('migrate', 'sshd', '--root', root, '--dry-run', '--json');
    const j = JSON.parse(r.stdout);
    expect(j[0]).toMatchObject({ service: 'sshd', status: 'would-migrate', route: 'init.d', rule: 'sshd' });
  });
});

describe('live systems', () => {
  test('writing while the service runs under start-stop-daemon warns and suggests --restart', async () => {
    const root = await makeRoot([{ svc: 'sshd', initd: sshdIn(), confd: sshdConf() }]);
    mkdirSync(path.join(root, 'run/openrc/started'), { recursive: true });
    writeFileSync(path.join(root, 'run/openrc/started/sshd'), '');
    const r = await run('migrate', 'sshd', '--root', root);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('sshd is running under start-stop-daemon');
    expect(r.stderr).toContain('--restart');
  });

  test('--restart needs --root /', async () => {
    const root = await makeRoot([{ svc: 'sshd', initd: sshdIn(), confd: sshdConf() }]);
    const r = await run('migrate', 'sshd', '--root', root, '--restart');
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('--restart');
  });
});

test('a custom start() that continues a line (found by the property test, seed 14089) is refused, not cut', async () => {
  const script =
    '#!/sbin/openrc-run\npidfile="/run/beacond.pid"\ndepend() {\n\tneed net\n}\n\\\nstart() {\n\tstart-stop-daemon --start --exec /usr/sbin/beacond --background --make-pidfile --pidfile "${pidfile}"\n}\n';
  const root = await makeRoot([{ svc: 'beacond', initd: script }]);
  const before = treeHash(root);
  const r = await run('migrate', 'beacond', '--root', root);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('custom start()');
  expect(treeHash(root)).toBe(before);
});
