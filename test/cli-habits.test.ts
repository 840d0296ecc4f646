/**
 * Issue 16, CLI habits: help and version, clear messages, colour per stream, -q, lint's
 * printing/exit thresholds and rule selection, stdin, explicit files, nearest config,
 * migrate -i, revert --dry-run, status marks.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EXIT } from '../src/errors.js';
import { colorLevel } from '../src/cli/output.js';
import { COMMANDS, GLOBAL_OPTIONS } from '../src/cli/spec.js';
import { ALL_META } from '../src/lint/lint.js';
import { run, treeHash } from './helpers/cli.js';
import { FIXTURES, REPO, makeRoot } from './helpers/fixtures.js';

const BIN = path.join(REPO, 'bin/rc-supervise.js');
const SSHD = readFileSync(path.join(FIXTURES, 'sshd/stock/init.d.in'), 'utf8');
const SSHD_CONF = readFileSync(path.join(FIXTURES, 'sshd/stock/conf.d.in'), 'utf8');
const NTPD = readFileSync(path.join(FIXTURES, 'ntpd/stock/init.d.in'), 'utf8');
const ESC = '\x1b[';

/** Findings of three severities: no-foreground and ssd-signal (errors), bashism (warning), supervisor-hardcoded (info). */
// acpid: a rule says it forks without --foreground, so no-foreground is certain (an error).
const MIXED = `#!/sbin/openrc-run
supervisor=supervise-daemon
command=/usr/sbin/acpid
pidfile=/run/food.pid
extra_started_commands="reload"
start_pre() {
  [[ -d /run/food ]] || mkdir /run/food
}
reload() {
  start-stop-daemon --signal HUP --pidfile "\${pidfile}"
}
`;

const FAKE_TTY = path.join(REPO, 'test/helpers/fake-tty.mjs');
const bin = (args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}) =>
  spawnSync('node', ['--import', FAKE_TTY, BIN, ...args], {
    encoding: 'utf8',
    input: opts.input ?? '',
    cwd: opts.cwd,
    env: { PATH: process.env.PATH, HOME: os.tmpdir(), ...opts.env },
  });

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'rcs-habits-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(d, rel)), { recursive: true });
    writeFileSync(path.join(d, rel), text);
  }
  return d;
}

const rulesOf = (stdout: string) => (JSON.parse(stdout) as { ruleId: string }[]).map((f) => f.ruleId).sort();

describe('help and version', () => {
  test('-h and --help print the same help; -V and --version the version', async () => {
    const h = await run('-h');
    expect(h.code).toBe(0);
    expect(h.stdout).toBe((await run('--help')).stdout);
    for (const c of COMMANDS) expect(h.stdout).toMatch(new RegExp(`^  ${c.name}\\b`, 'm'));
    const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8'));
    expect((await run('-V')).stdout).toBe(`${pkg.version}\n`);
    expect((await run('--version')).stdout).toBe(`${pkg.version}\n`);
  });

  test('a bare rc-supervise prints the command list (exit 4: a script that lost its command must not pass)', async () => {
    const r = await run();
    expect(r.code).toBe(EXIT.USAGE);
    for (const c of COMMANDS) expect(r.stderr).toMatch(new RegExp(`^  ${c.name}\\b`, 'm'));
  });

  test.each(COMMANDS.map((c) => [c.name, c] as const))(
    '%s --help: every option described, examples on lines of their own',
    async (_n, c) => {
      const r = await run(c.name, '--help');
      expect(r.code).toBe(0);
      for (const o of [...c.options, ...GLOBAL_OPTIONS]) {
        expect(o.describe.length).toBeGreaterThan(10);
        expect(r.stdout).toMatch(
          new RegExp(`--${o.name}(?: \\S+)?\\s+${o.describe.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
        );
      }
      for (const [cmd] of c.examples) {
        // Fits an 80-column terminal, so that the terminal does not break it.
        expect(`  $ ${cmd}`.length).toBeLessThanOrEqual(80);
        expect(r.stdout.split('\n')).toContain(`  $ ${cmd}`);
      }
    },
  );
});

describe('clear messages', () => {
  test('--root naming a file', async () => {
    const r = await run('status', '--root', path.join(REPO, 'package.json'));
    expect(r.code).toBe(EXIT.INPUT);
    expect(r.stderr).toContain('not a directory; --root takes the directory a system is mounted at');
  });
  test('migrate /etc/init.d/sshd: use the service name', async () => {
    const r = await run('migrate', '/etc/init.d/sshd', '--dry-run');
    expect(r.code).toBe(EXIT.INPUT);
    expect(r.stderr).toContain('not a path (rc-supervise migrate sshd)');
    const m = await run('migrate', '/mnt/gentoo/etc/init.d/sshd', '--dry-run');
    expect(m.stderr).toContain('(rc-supervise migrate sshd --root /mnt/gentoo)');
  });
  test('--respawn-delay abc', async () => {
    const root = await makeRoot([{ svc: 'sshd', initd: SSHD, confd: SSHD_CONF }]);
    const r = await run('migrate', 'sshd', '--root', root, '--respawn-delay', 'abc');
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toContain('--respawn-delay "abc": expected a whole number of seconds');
  });
});

describe('colour, decided per stream', () => {
  const tty = { isTTY: true, hasColors: () => true };
  const ttyNoColors = { isTTY: true, hasColors: () => false };
  const pipe = { isTTY: false };
  const matrix: [string, NodeJS.ProcessEnv, typeof tty | typeof pipe, 'auto' | 'always' | 'never', 0 | 1][] = [
    ['terminal', {}, tty, 'auto', 1],
    ['pipe', {}, pipe, 'auto', 0],
    ['terminal without colours', {}, ttyNoColors, 'auto', 0],
    ['NO_COLOR on a terminal', { NO_COLOR: '1' }, tty, 'auto', 0],
    ['NO_COLOR empty (means unset)', { NO_COLOR: '' }, tty, 'auto', 1],
    ['FORCE_COLOR=0 on a terminal', { FORCE_COLOR: '0' }, tty, 'auto', 0],
    ['FORCE_COLOR=1 on a pipe', { FORCE_COLOR: '1' }, pipe, 'auto', 1],
    ['TERM=dumb on a terminal', { TERM: 'dumb' }, tty, 'auto', 0],
    ['--color=always on a pipe', { NO_COLOR: '1' }, pipe, 'always', 1],
    ['--color=never on a terminal', { FORCE_COLOR: '1' }, tty, 'never', 0],
  ];
  test.each(matrix)('%s', (_n, env, stream, mode, want) => {
    expect(colorLevel(stream, env, mode)).toBe(want);
  });

  test('stdout on a terminal is coloured, a redirected stderr is not (terminal simulated)', () => {
    const root = dir({});
    cpSync(path.join(REPO, 'examples/gentoo-root'), root, { recursive: true, verbatimSymlinks: true });
    const r = bin(['migrate', 'sshd', '--dry-run', '--root', root], { env: { FAKE_TTY: 'stdout', TERM: 'xterm' } });
    expect(r.stdout).toContain(ESC);
    expect(r.stderr).toContain('would migrate sshd');
    expect(r.stderr).not.toContain(ESC);
    const both = bin(['migrate', 'sshd', '--dry-run', '--root', root], {
      env: { FAKE_TTY: 'stdout,stderr', TERM: 'xterm' },
    });
    expect(both.stderr).toContain(ESC);
    for (const env of [{ NO_COLOR: '1' }, { FORCE_COLOR: '0' }, { TERM: 'dumb' }]) {
      const off = bin(['migrate', 'sshd', '--dry-run', '--root', root], {
        env: { FAKE_TTY: 'stdout,stderr', TERM: 'xterm', ...env },
      });
      expect(off.stdout + off.stderr).not.toContain(ESC);
    }
    const never = bin(['migrate', 'sshd', '--dry-run', '--root', root, '--color=never'], {
      env: { FAKE_TTY: 'stdout,stderr', TERM: 'xterm' },
    });
    expect(never.stdout + never.stderr).not.toContain(ESC);
  });

  test('--color=always colours both pipes; NO_COLOR alone colours neither', () => {
    const root = dir({});
    cpSync(path.join(REPO, 'examples/gentoo-root'), root, { recursive: true, verbatimSymlinks: true });
    const always = bin(['migrate', 'sshd', '--dry-run', '--root', root, '--color=always']);
    expect(always.stdout).toContain(ESC);
    expect(always.stderr).toContain(ESC);
    const none = bin(['migrate', 'sshd', '--dry-run', '--root', root], { env: { NO_COLOR: '1', TERM: 'xterm' } });
    expect(none.stdout + none.stderr).not.toContain(ESC);
  });
});

describe('-q / --quiet', () => {
  test('migrate --all -q: diffs and warnings only, no per-service chatter or summary', async () => {
    const root = dir({});
    cpSync(path.join(REPO, 'examples/gentoo-root'), root, { recursive: true, verbatimSymlinks: true });
    const loud = await run('migrate', '--all', '--dry-run', '--root', root);
    const quiet = await run('migrate', '--all', '--dry-run', '--root', root, '-q');
    expect(quiet.code).toBe(loud.code);
    expect(quiet.stdout).toBe(loud.stdout);
    expect(quiet.stderr).not.toMatch(/would migrate|already supervised|^skipped/m);
    expect(quiet.stderr).toMatch(/^error /m);
    expect(quiet.stderr).toMatch(/dbus: warning:/);
  });
  test.each(COMMANDS.map((c) => [c.name]))('%s accepts -q', async (name) => {
    const r = await run(name, '-q', '--help');
    expect(r.code).toBe(0);
  });
  test('lint -q: no "no init scripts found" note', async () => {
    const d = dir({ README: 'x' });
    expect((await run('lint', d)).stderr).toContain('no init scripts found');
    expect((await run('lint', d, '-q')).stderr).toBe('');
  });
});

describe('lint: what is printed and what fails', () => {
  let d: string;
  beforeAll(() => {
    d = dir({ 'food.initd': MIXED });
  });
  test('default: everything printed, exit 1 (warning threshold)', async () => {
    const r = await run('lint', d, '-f', 'json');
    expect(rulesOf(r.stdout)).toEqual(['bashism', 'no-foreground', 'ssd-signal']);
    expect(r.code).toBe(EXIT.FAILED);
  });
  test('--severity filters what is printed; what is not printed does not fail the run', async () => {
    const w = await run('lint', d, '-f', 'json', '--severity', 'warning');
    expect(rulesOf(w.stdout)).toEqual(['bashism', 'no-foreground', 'ssd-signal']);
    const e = await run('lint', d, '-f', 'json', '-S', 'error', '--fail-on', 'info');
    expect(rulesOf(e.stdout)).toEqual(['no-foreground', 'ssd-signal']);
    expect(e.code).toBe(EXIT.FAILED);
    // Only a warning left, printed only from errors up: exit 0, since nothing shown explains a failure.
    const warnOnly = dir({
      'food.initd': '#!/sbin/openrc-run\ncommand=/usr/sbin/food\nstart_pre() {\n  [[ -d /run ]]\n}\n',
    });
    expect(rulesOf((await run('lint', warnOnly, '-f', 'json')).stdout)).toEqual(['bashism']);
    const hidden = await run('lint', warnOnly, '-f', 'json', '-S', 'error');
    expect(hidden.stdout).toBe('[]\n');
    expect(hidden.code).toBe(EXIT.OK);
  });
  test('--fail-on sets the exit threshold', async () => {
    const only = dir({ 'food.initd': MIXED.replace('supervisor=supervise-daemon\n', '') });
    // Without the hard-coded supervisor: only warnings are left.
    expect(rulesOf((await run('lint', only, '-f', 'json')).stdout)).toEqual(['bashism', 'ssd-signal']);
    expect((await run('lint', only, '--fail-on', 'error')).code).toBe(EXIT.OK);
    expect((await run('lint', only, '--fail-on', 'warning')).code).toBe(EXIT.FAILED);
    expect((await run('lint', d, '--fail-on', 'never')).code).toBe(EXIT.OK);
  });
  test('--select and --ignore (comma-separated or repeated); an unknown id is a usage error', async () => {
    expect(rulesOf((await run('lint', d, '-f', 'json', '--select', 'ssd-signal,no-foreground')).stdout)).toEqual([
      'no-foreground',
      'ssd-signal',
    ]);
    expect(
      rulesOf((await run('lint', d, '-f', 'json', '--ignore', 'ssd-signal', '--ignore', 'no-foreground')).stdout),
    ).toEqual(['bashism']);
    const bad = await run('lint', d, '--select', 'ssd-signl');
    expect(bad.code).toBe(EXIT.USAGE);
    expect(bad.stderr).toContain("unknown check id 'ssd-signl'");
  });
  test('--explain prints the check page; an unknown id exits 4', async () => {
    const r = await run('lint', '--explain', 'ssd-signal');
    expect(r.code).toBe(0);
    const meta = ALL_META.find((m) => m.id === 'ssd-signal')!;
    expect(r.stdout).toMatch(/^# ssd-signal\n/);
    expect(r.stdout).toContain(meta.docs.why);
    expect(r.stdout).toContain(meta.docs.example.bad);
    expect(r.stdout).toBe(readFileSync(path.join(REPO, 'docs/checks/ssd-signal.md'), 'utf8'));
    expect((await run('lint', '--explain', 'nope')).code).toBe(EXIT.USAGE);
  });
  test('- reads a script from stdin, reported as --stdin-filename', () => {
    const r = bin(['lint', '-f', 'gcc', '--stdin-filename', 'net-misc/food/files/food.initd', '-'], { input: MIXED });
    expect(r.stdout).toMatch(/^net-misc\/food\/files\/food\.initd:10:3: error: .*\[ssd-signal\]$/m);
    expect(r.status).toBe(EXIT.FAILED);
    const anon = bin(['lint', '-f', 'gcc', '-'], { input: MIXED });
    expect(anon.stdout).toMatch(/^<stdin>:2:1: /m);
    expect(bin(['lint', '--stdin-filename', 'x']).status).toBe(EXIT.USAGE);
  });
  test('stdin uses the config nearest to --stdin-filename', () => {
    const repo = dir({ '.rc-supervise.json': '{"disable": ["ssd-signal"]}', 'a/.keep': '' });
    const r = bin(['lint', '-f', 'json', '--stdin-filename', 'a/food.initd', '-'], { input: MIXED, cwd: repo });
    expect(rulesOf(r.stdout)).toEqual(['bashism', 'no-foreground']);
  });
});

describe('lint: explicit files and the nearest config', () => {
  const overlay = () =>
    dir({
      'profiles/repo_name': 'test\n',
      'net-misc/food/food-1.0.ebuild': 'EAPI=8\n',
      'net-misc/food/files/food.initd': MIXED.replace('supervisor=supervise-daemon\n', ''),
      'net-misc/food/files/food.confd': 'supervisor=supervise-daemon\n',
    });
  test('a lone .confd is linted with its init script', async () => {
    const d = overlay();
    const r = await run('lint', path.join(d, 'net-misc/food/files/food.confd'), '-f', 'json');
    // supervise-daemon set in conf.d for a daemon a rule says forks; retry is unset (no KILL step).
    expect(rulesOf(r.stdout)).toEqual(['bashism', 'no-foreground', 'retry-no-kill', 'ssd-signal']);
  });
  test('an ebuild stands for its package; a package directory works too', async () => {
    const d = overlay();
    const byEbuild = await run('lint', path.join(d, 'net-misc/food/food-1.0.ebuild'), '-f', 'json');
    const byDir = await run('lint', path.join(d, 'net-misc/food'), '-f', 'json');
    expect(rulesOf(byEbuild.stdout)).toEqual(['bashism', 'no-foreground', 'retry-no-kill', 'ssd-signal']);
    expect(byDir.stdout).toBe(byEbuild.stdout);
  });
  test('each file uses the .rc-supervise.json nearest to it', async () => {
    const d = dir({
      '.rc-supervise.json': '{"disable": ["ssd-signal"]}',
      'a/food.initd': MIXED,
      'b/.rc-supervise.json': '{"disable": ["no-foreground"]}',
      'b/food.initd': MIXED,
    });
    const r = await run('lint', d, '-f', 'json');
    const by = (dirName: string) =>
      (JSON.parse(r.stdout) as { file: string; ruleId: string }[])
        .filter((f) => f.file.includes(`/${dirName}/`))
        .map((f) => f.ruleId)
        .sort();
    expect(by('a')).toEqual(['bashism', 'no-foreground']);
    expect(by('b')).toEqual(['bashism', 'ssd-signal']);
  });
});

describe('admin habits: migrate -i, revert --dry-run, status', () => {
  async function two() {
    return makeRoot([
      { svc: 'ntpd', initd: NTPD, confd: null },
      { svc: 'sshd', initd: SSHD, confd: SSHD_CONF },
    ]);
  }
  test('migrate -i: a diff per service, then y / n / q from scripted input', async () => {
    const root = await two();
    const before = treeHash(root);
    const q = bin(['migrate', '--all', '-i', '--root', root], { input: 'y\nq\n' });
    expect(q.stdout).toMatch(/^--- a\/etc\/init\.d\/ntpd/m);
    expect(q.stderr).toContain('migrate ntpd (1/2)? [y,n,q,?]');
    expect(q.stderr).toContain('stopped: nothing written');
    expect(treeHash(root)).toBe(before);

    const yn = bin(['migrate', '--all', '-i', '--root', root], { input: 'n\nwhat\ny\n' });
    expect(yn.status).toBe(0);
    expect(yn.stderr).toContain('y: migrate this service; n: leave it as it is; q: stop, writing nothing');
    expect(yn.stderr).toContain('declined ntpd: not written');
    expect(readFileSync(path.join(root, 'etc/init.d/ntpd'), 'utf8')).toBe(NTPD);
    expect(readFileSync(path.join(root, 'etc/init.d/sshd'), 'utf8')).not.toBe(SSHD);
  });
  test('migrate -i at end of input writes nothing', async () => {
    const root = await two();
    const before = treeHash(root);
    const r = bin(['migrate', '--all', '-i', '--root', root], { input: '' });
    expect(r.stderr).toContain('stopped: nothing written');
    expect(treeHash(root)).toBe(before);
  });
  test('revert --dry-run prints the diff that reverting applies, writes nothing', async () => {
    const root = await two();
    expect((await run('migrate', 'sshd', '--root', root)).code).toBe(0);
    const migrated = treeHash(root);
    const r = await run('revert', 'sshd', '--dry-run', '--root', root);
    expect(r.code).toBe(0);
    expect(treeHash(root)).toBe(migrated);
    const copy = root + '-reverted';
    cpSync(root, copy, { recursive: true });
    execFileSync('patch', ['-p1', '-s', '-d', copy], { input: r.stdout });
    expect(readFileSync(path.join(copy, 'etc/init.d/sshd'), 'utf8')).toBe(SSHD);
    expect(r.stderr).toContain('would revert sshd: restore etc/init.d/sshd');
  });
  test('status marks migrated services and flags pending package-manager copies', async () => {
    const root = await two();
    expect((await run('migrate', 'sshd', '--root', root)).code).toBe(0);
    writeFileSync(path.join(root, 'etc/init.d/._cfg0000_sshd'), SSHD);
    writeFileSync(path.join(root, 'etc/conf.d/sshd.apk-new'), SSHD_CONF);
    writeFileSync(path.join(root, 'etc/init.d/ntpd.pacnew'), NTPD);
    const r = await run('status', '--root', root);
    expect(r.stdout).toMatch(
      /^sshd +supervised +set in init\.d; migrated by rc-supervise \(rc-supervise revert sshd undoes it\)$/m,
    );
    expect(r.stdout).toMatch(/pending +etc\/init\.d\/\._cfg0000_sshd: .*undoes the migration/);
    expect(r.stdout).toMatch(/pending +etc\/conf\.d\/sshd\.apk-new: .*undoes the migration/);
    expect(r.stdout).toMatch(/pending +etc\/init\.d\/ntpd\.pacnew: .*replaces this file/);
    expect(r.stdout).not.toMatch(/^ntpd\.pacnew/m);
    expect(r.stderr).toContain('1 migrated service(s) have a package update waiting to be merged');
    const j = JSON.parse((await run('status', '--root', root, '--json')).stdout);
    expect(j.services.find((s: { service: string }) => s.service === 'sshd')).toMatchObject({
      revertable: true,
      pending: ['etc/init.d/._cfg0000_sshd', 'etc/conf.d/sshd.apk-new'],
    });
  });
  test('migrate --all never takes package-manager or editor leftovers for services', async () => {
    const root = await two();
    for (const n of ['sshd.apk-new', 'sshd.pacnew', 'sshd.orig', 'sshd~', 'sshd.rpmnew', 'sshd.dpkg-dist'])
      writeFileSync(path.join(root, 'etc/init.d', n), SSHD);
    const r = await run('migrate', '--all', '--dry-run', '--root', root);
    expect(r.stderr).toMatch(/^2 would migrate, 0 already supervised, 0 skipped, 0 failed$/m);
  });
  test('status on a system that is not OpenRC says so once', async () => {
    const root = dir({
      'etc/init.d/ssh': '#!/bin/sh\n### BEGIN INIT INFO\n# Provides: sshd\n### END INIT INFO\n',
      'etc/init.d/cron': '#!/bin/sh\n### BEGIN INIT INFO\n',
    });
    const r = await run('status', '--root', root);
    expect(r.code).toBe(EXIT.INPUT);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('this is not an OpenRC system');
  });
});

describe('progress on a terminal', () => {
  test('migrate --all shows planning progress on a terminal stderr, none when redirected (terminal simulated)', async () => {
    const root = await makeRoot(Array.from({ length: 60 }, (_, i) => ({ svc: `sshd${i}`, initd: SSHD, confd: null })));
    const tty = bin(['migrate', '--all', '--dry-run', '--root', root], {
      env: { FAKE_TTY: 'stderr', RC_SUPERVISE_JOBS: '1' },
    });
    expect(tty.stderr).toMatch(/\rplanning \[\d+\/60\]/);
    const piped = bin(['migrate', '--all', '--dry-run', '--root', root], { env: { RC_SUPERVISE_JOBS: '1' } });
    expect(piped.stderr).not.toContain('planning [');
  });
});
