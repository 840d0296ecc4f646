/**
 * Issue 15, "Never lose a byte, for real": one block per numbered item (16, 17 and 20 are
 * option parsing, tested with the CLI's options). Each case was first run against the code
 * before the fix and failed there (the recipe of the issue); the tree state (every path,
 * mode, owner, content and extended attribute) is compared where nothing may change.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run, type RunResult } from '../helpers/cli.js';
import { REPO } from '../helpers/fixtures.js';
import { treeState, setXattr, getXattrs } from '../helpers/tree-state.js';

const BIN = path.join(REPO, 'bin/rc-supervise.js');
const EXAMPLE = path.join(REPO, 'examples/gentoo-root');
const isRoot = process.getuid?.() === 0;
const temps: string[] = [];
const immutable: string[] = [];

afterAll(() => {
  for (const p of immutable) spawnSync('chattr', ['-i', p]);
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

function tmp(prefix = 'rcs15-'): string {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(d);
  return d;
}

/** A copy of examples/gentoo-root. */
function exampleRoot(): string {
  const r = tmp();
  cpSync(EXAMPLE, r, { recursive: true });
  return r;
}

const at = (r: string, rel: string) => path.join(r, rel);

/** The built CLI in a child process (own env, killable), never waiting more than `ms`. */
function cli(
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; ms?: number; cwd?: string } = {},
): RunResult & { signal: string | null } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...opts.env },
    timeout: opts.ms ?? 20_000,
    killSignal: 'SIGKILL',
    cwd: opts.cwd,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
}

const SERVICE = (name: string, body: string) => `#!/sbin/openrc-run\ncommand=/usr/sbin/${name}\n${body}`;

function rootWith(files: Record<string, string>): string {
  const r = tmp();
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(at(r, rel)), { recursive: true });
    writeFileSync(at(r, rel), text, { mode: rel.includes('init.d/') ? 0o755 : 0o644 });
  }
  return r;
}

describe('1. a state directory that is not ours is never used, never removed', () => {
  for (const dir of ['/etc', '/run', '.']) {
    test(`RC_SUPERVISE_STATE_DIR=${dir} revert --all: exit 2, the root unchanged`, () => {
      const r = exampleRoot();
      mkdirSync(at(r, 'run/openrc/started'), { recursive: true });
      writeFileSync(at(r, 'run/openrc/softlevel'), 'default\n');
      const before = treeState(r);
      const res = cli(['revert', '--all', '--root', r], { env: { RC_SUPERVISE_STATE_DIR: dir } });
      expect(res.stderr).toMatch(/not rc-supervise's state directory/);
      expect(res.code).toBe(2);
      expect(treeState(r)).toEqual(before);
    });
  }

  test('a state directory that existed before stays after a full revert; only our files go', async () => {
    const r = exampleRoot();
    mkdirSync(at(r, 'var/lib/rc-supervise'), { recursive: true });
    const before = treeState(r);
    expect((await run('migrate', 'sshd', '--root', r)).code).toBe(0);
    expect((await run('revert', '--all', '--root', r)).code).toBe(0);
    expect(treeState(r)).toEqual(before);
  });
});

describe('2. a manifest we do not understand is an error, nothing written', () => {
  const shapes: [string, string][] = [
    ['version 2', '{"version":2,"entries":[]}'],
    ['an array', '[]'],
    ['an empty object', '{}'],
    ['entries as an object', '{"version":1,"entries":{}}'],
    ['a null entry', '{"version":1,"entries":[null]}'],
    [
      'an entry naming /etc/shadow',
      JSON.stringify({
        version: 1,
        entries: [
          {
            run: 'x',
            service: 'sshd',
            path: '../../etc/shadow',
            hashBefore: null,
            hashAfter: 'a'.repeat(64),
            backup: null,
            mode: 420,
            uid: 0,
            gid: 0,
            time: 't',
            state: 'done',
          },
        ],
      }),
    ],
  ];
  for (const [what, text] of shapes) {
    test(`${what}: revert --all and migrate exit 2 and change nothing`, async () => {
      const r = exampleRoot();
      mkdirSync(at(r, 'var/lib/rc-supervise/backup/x/etc/init.d'), { recursive: true });
      writeFileSync(at(r, 'var/lib/rc-supervise/backup/x/etc/init.d/sshd'), 'the only backup\n');
      writeFileSync(at(r, 'var/lib/rc-supervise/manifest.json'), text);
      const before = treeState(r);
      for (const argv of [
        ['revert', '--all', '--root', r],
        ['migrate', 'sshd', '--root', r],
      ]) {
        const res = await run(...argv);
        expect(res.stderr).toMatch(/manifest\.json: not (valid JSON|a manifest this rc-supervise understands)/);
        expect(res.code).toBe(2);
        expect(treeState(r)).toEqual(before);
      }
    });
  }
});

describe('3. revert is write-ahead, goes on past a failure, survives a closed pipe', () => {
  test('one service failing mid-revert: the others are reverted; it is revertable later', async () => {
    if (!isRoot) return expect(process.env.CI).not.toBe('true');
    const r = exampleRoot();
    const pristine = treeState(r);
    expect((await run('migrate', 'acpid', 'sshd', '--root', r)).code).toBe(0);
    // sshd (reverted after acpid) cannot be replaced: rename over an immutable file fails.
    const f = at(r, 'etc/init.d/sshd');
    expect(spawnSync('chattr', ['+i', f]).status).toBe(0);
    immutable.push(f);
    const first = await run('revert', '--all', '--root', r);
    spawnSync('chattr', ['-i', f]);
    expect(first.stderr).toContain('reverted acpid');
    expect(first.stderr).toMatch(/sshd: not reverted: .*operation not permitted/);
    expect(first.code).toBe(1);
    const second = await run('revert', '--all', '--root', r);
    expect(second.stderr).not.toContain('missing or damaged');
    expect(second.code).toBe(0);
    expect(treeState(r)).toEqual(pristine);
  });

  test('revert --all 2>&1 | head -1: the run finishes, no stale lock, nothing left to revert', async () => {
    const r = exampleRoot();
    const pristine = treeState(r);
    expect((await run('migrate', '--all', '--root', r)).code).toBe(1); // brokend fails
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'revert', '--all', '--root', r], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      // `head -1`: read the first chunk, then close the pipes.
      child.stderr.once('data', () => {
        child.stderr.destroy();
        child.stdout.destroy();
      });
      child.on('exit', (c) => resolve(c));
    });
    expect(code).toBe(0);
    expect(existsSync(at(r, 'var/lib/rc-supervise/lock'))).toBe(false);
    expect(treeState(r)).toEqual(pristine);
  });

  test('SIGTERM during revert --all: the service in progress is finished, the rest reported, revert completes later', async () => {
    const r = exampleRoot();
    const pristine = treeState(r);
    await run('migrate', '--all', '--root', r);
    const child = spawn(process.execPath, [BIN, 'revert', '--all', '--root', r], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => {
      if (!err) child.kill('SIGTERM');
      err += d;
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect([0, 1]).toContain(code); // handled: an exit code, not death by signal
    expect(existsSync(at(r, 'var/lib/rc-supervise/lock'))).toBe(false);
    const again = await run('revert', '--all', '--root', r);
    expect(again.stderr).not.toContain('missing or damaged');
    expect(treeState(r)).toEqual(pristine);
  });
});

describe('4. a package update between migrations', () => {
  test("init.d: revert goes back to the package's new script, not the pre-update one", async () => {
    const r = exampleRoot();
    expect((await run('migrate', 'sshd', '--root', r)).code).toBe(0);
    const update = readFileSync(at(EXAMPLE, 'etc/init.d/sshd'), 'utf8') + '# updated by the package\n';
    writeFileSync(at(r, 'etc/init.d/sshd'), update); // what the package manager installs
    expect((await run('migrate', 'sshd', '--root', r)).code).toBe(0);
    const back = await run('revert', 'sshd', '--root', r);
    expect(back.stderr).not.toContain('changed since the migration');
    expect(back.code).toBe(0);
    expect(readFileSync(at(r, 'etc/init.d/sshd'), 'utf8')).toBe(update);
    expect(back.stderr).toMatch(/dropped 1 older record/);
    expect(existsSync(at(r, 'var/lib/rc-supervise'))).toBe(false);
  });

  test("conf.d created by the first migration, then installed by the package: revert keeps the package's", async () => {
    const r = exampleRoot();
    expect((await run('migrate', 'cups-browsed', '--root', r)).code).toBe(0);
    const pkg = '# conf.d of the new package\nCUPS_BROWSED_OPTS=""\n';
    writeFileSync(at(r, 'etc/conf.d/cups-browsed'), pkg);
    expect((await run('migrate', 'cups-browsed', '--root', r)).code).toBe(0);
    expect((await run('revert', 'cups-browsed', '--root', r)).code).toBe(0);
    expect(readFileSync(at(r, 'etc/conf.d/cups-browsed'), 'utf8')).toBe(pkg);
  });

  test('--force keeps a copy of what it overwrites and says where', async () => {
    const r = exampleRoot();
    const pristine = treeState(r);
    expect((await run('migrate', 'sshd', '--root', r)).code).toBe(0);
    const mine = readFileSync(at(r, 'etc/init.d/sshd'), 'utf8') + '# my own edit\n';
    writeFileSync(at(r, 'etc/init.d/sshd'), mine);
    expect((await run('revert', 'sshd', '--root', r)).code).toBe(1);
    const forced = await run('revert', 'sshd', '--force', '--root', r);
    expect(forced.code).toBe(0);
    const m = /kept the changed etc\/init\.d\/sshd as (\S+)/.exec(forced.stderr);
    expect(m).not.toBeNull();
    expect(readFileSync(at(r, m![1].replace(/,$/, '')), 'utf8')).toBe(mine);
    expect(readFileSync(at(r, 'etc/init.d/sshd'), 'utf8')).toBe(readFileSync(at(EXAMPLE, 'etc/init.d/sshd'), 'utf8'));
    // Only the kept copy (and the state directory holding it) differs from the original tree.
    rmSync(at(r, 'var'), { recursive: true });
    expect(treeState(r)).toEqual(pristine);
  });
});

describe("5. lint --fix takes the root's lock", () => {
  test('a live migrate (the lock held) makes lint --fix on ROOT/etc/init.d write nothing', async () => {
    const r = exampleRoot();
    mkdirSync(at(r, 'var/lib/rc-supervise'), { recursive: true });
    writeFileSync(at(r, 'var/lib/rc-supervise/lock'), `${process.pid}\n`);
    const before = treeState(r);
    const res = await run('lint', '--fix', '--unsafe', at(r, 'etc/init.d'));
    expect(res.stderr).toMatch(/lock names pid \d+|another rc-supervise \(pid \d+\) is writing this root/);
    expect(res.code).toBe(1);
    expect(treeState(r)).toEqual(before);
  });
});

describe('6. a conf.d shared through a symlink', () => {
  test('migrate dbus does not write the conf.d rngd links to', async () => {
    const r = exampleRoot();
    writeFileSync(at(r, 'etc/conf.d/dbus'), '# dbus settings\n');
    rmSync(at(r, 'etc/conf.d/rngd'));
    symlinkSync('dbus', at(r, 'etc/conf.d/rngd'));
    const before = treeState(r);
    const res = await run('migrate', 'dbus', '--root', r);
    expect(res.stderr).toContain('etc/conf.d/dbus is shared: conf.d/rngd is a symlink to it');
    expect(res.code).toBe(1);
    expect(treeState(r)).toEqual(before);
  });
});

describe('7. revert is exact', () => {
  test('extended attributes survive migrate and revert', async () => {
    const r = exampleRoot();
    for (const f of ['etc/init.d/sshd', 'etc/conf.d/sshd']) setXattr(at(r, f), 'user.rcs15', 'keep me');
    const pristine = treeState(r);
    expect((await run('migrate', 'sshd', '--root', r)).code).toBe(0);
    expect(getXattrs(at(r, 'etc/conf.d/sshd'))).toEqual({ 'user.rcs15': 'keep me' });
    expect((await run('revert', '--all', '--root', r)).code).toBe(0);
    expect(treeState(r)).toEqual(pristine);
  });

  test('a hard-linked script is not split: refused', async () => {
    const r = exampleRoot();
    mkdirSync(at(r, 'opt'));
    linkSync(at(r, 'etc/init.d/sshd'), at(r, 'opt/sshd.initd'));
    const before = treeState(r);
    const res = await run('migrate', 'sshd', '--root', r);
    expect(res.stderr).toMatch(/etc\/init\.d\/sshd has 1 other hard link/);
    expect(res.code).toBe(1);
    expect(treeState(r)).toEqual(before);
  });

  test('an etc/conf.d directory the migration created is removed by revert', async () => {
    const r = rootWith({ 'etc/init.d/cups-browsed': readFileSync(at(EXAMPLE, 'etc/init.d/cups-browsed'), 'utf8') });
    const pristine = treeState(r);
    expect((await run('migrate', 'cups-browsed', '--root', r)).code).toBe(0);
    expect(existsSync(at(r, 'etc/conf.d/cups-browsed'))).toBe(true);
    expect((await run('revert', '--all', '--root', r)).code).toBe(0);
    expect(treeState(r)).toEqual(pristine);
  });

  test('killed after making var/lib/rc-supervise, before any manifest: the next revert --all removes var/lib', () => {
    const r = exampleRoot();
    const pristine = treeState(r);
    const killed = cli(['migrate', 'sshd', '--root', r], { env: { RC_SUPERVISE_TEST_CRASH_AT: 'state-dir' } });
    expect(killed.signal).toBe('SIGKILL');
    expect(existsSync(at(r, 'var/lib'))).toBe(true);
    expect(cli(['revert', '--all', '--root', r]).code).toBe(0);
    expect(treeState(r)).toEqual(pristine);
  });

  test('temp files in backup/ subfolders are cleaned (also when the state stays)', async () => {
    const r = exampleRoot();
    const pristine = treeState(r);
    expect((await run('migrate', 'sshd', 'acpid', '--root', r)).code).toBe(0);
    const [runDir] = readdirSync(at(r, 'var/lib/rc-supervise/backup'));
    const temp = at(r, `var/lib/rc-supervise/backup/${runDir}/etc/init.d/.sshd.rc-supervise-0badcafe.tmp`);
    writeFileSync(temp, 'x');
    expect((await run('revert', 'sshd', '--root', r)).code).toBe(0);
    expect(existsSync(at(r, 'var/lib/rc-supervise/manifest.json'))).toBe(true); // acpid is still migrated
    expect(existsSync(temp)).toBe(false);
    expect((await run('revert', '--all', '--root', r)).code).toBe(0);
    expect(treeState(r)).toEqual(pristine);
  });
});

describe('8. revert stays inside the root', () => {
  test('a symlinked etc/init.d leading out of the root is not followed', async () => {
    const r = exampleRoot();
    expect((await run('migrate', 'sshd', '--root', r)).code).toBe(0);
    const outside = tmp('rcs15-host-');
    renameSync(at(r, 'etc/init.d'), path.join(outside, 'init.d'));
    symlinkSync(path.join(outside, 'init.d'), at(r, 'etc/init.d'));
    const host = treeState(outside);
    const res = await run('revert', '--all', '--root', r);
    expect(res.stderr).toMatch(/sshd: not reverted: .*leads outside --root/);
    expect(res.code).toBe(1);
    expect(treeState(outside)).toEqual(host);
  });
});

describe('9. nothing outside the root is read', () => {
  const SECRET = 'root:$6$SECRETHASH:19000:0:99999:7:::';
  test('status --json: start_time linked to a file outside the root', () => {
    const r = exampleRoot();
    const outside = path.join(tmp('rcs15-host-'), 'shadow');
    writeFileSync(outside, SECRET);
    mkdirSync(at(r, 'run/openrc/options/sshd'), { recursive: true });
    mkdirSync(at(r, 'run/openrc/started'), { recursive: true });
    symlinkSync(outside, at(r, 'run/openrc/options/sshd/start_time'));
    const res = cli(['status', '--json', '--root', r]);
    expect(res.code).toBe(0);
    expect(res.stdout).not.toContain('SECRETHASH');
  });

  test('a manifest linked to a file outside the root: refused, its bytes not echoed', async () => {
    const r = exampleRoot();
    const outside = path.join(tmp('rcs15-host-'), 'shadow');
    writeFileSync(outside, SECRET);
    mkdirSync(at(r, 'var/lib/rc-supervise'), { recursive: true });
    symlinkSync(outside, at(r, 'var/lib/rc-supervise/manifest.json'));
    const res = await run('revert', '--all', '--root', r);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('leads outside --root');
    expect(res.stderr).not.toContain('SECRET');
  });
});

describe('10. an empty --root is a usage error', () => {
  for (const argv of [['migrate', 'sshd', '--dry-run'], ['revert', '--all'], ['status'], ['explain', 'sshd']])
    test(argv.join(' '), async () => {
      const cwd = exampleRoot();
      const before = treeState(cwd);
      const res = cli([...argv, '--root', ''], { cwd });
      expect(res.stderr).toContain('--root "": empty');
      expect(res.code).toBe(4);
      expect(treeState(cwd)).toEqual(before);
    });
});

describe('11. what we write into shell', () => {
  const fg = (r: string, v: string) => run('migrate', 'fooserverd', '--root', r, `--foreground-args=${v}`);
  for (const evil of ['"; touch /tmp/pwned #', '$(touch /tmp/pwned)', '`id`', '; id; ', 'a;b', '\\'])
    test(`--foreground-args=${evil}: exit 4, nothing written`, async () => {
      const r = exampleRoot();
      const before = treeState(r);
      const res = await fg(r, evil);
      expect(res.code).toBe(4);
      expect(res.stderr).toMatch(/--foreground-args .*: /);
      expect(treeState(r)).toEqual(before);
    });

  test('--foreground-args=\'--config "/etc/foo bar.conf"\' is written so eval gives the two words', async () => {
    const r = exampleRoot();
    const res = await fg(r, '--config "/etc/foo bar.conf"');
    expect(res.code).toBe(0);
    const confd = readFileSync(at(r, 'etc/init.d/fooserverd'), 'utf8');
    // Source it as OpenRC does, then split the value with eval as supervise-daemon.sh does.
    const sh = spawnSync(
      'dash',
      [
        '-c',
        `. "$1"; eval "set -- $command_args_foreground"; printf '%s\\n' "$@"`,
        'sh',
        at(r, 'etc/init.d/fooserverd'),
      ],
      {
        encoding: 'utf8',
      },
    );
    expect(sh.stdout).toBe('--config\n/etc/foo bar.conf\n');
    expect(confd).toContain(`command_args_foreground="--config '/etc/foo bar.conf'"`);
  });

  test('--foreground-args="\'; id; \'" (quoted: one word of data) reaches the daemon as that word, runs nothing', async () => {
    const r = exampleRoot();
    const res = await fg(r, "'; id; '");
    expect(res.code).toBe(0);
    const sh = spawnSync(
      'dash',
      [
        '-c',
        `. "$1"; eval "set -- $command_args_foreground"; printf '%s\\n' "$@"`,
        'sh',
        at(r, 'etc/init.d/fooserverd'),
      ],
      { encoding: 'utf8' },
    );
    expect(sh.stdout).toBe('; id; \n');
  });

  for (const log of ['file:/x$HOME', 'file:/var/log/$(id)', 'file:/var/log dir', 'file:relative'])
    test(`--log ${log}: exit 4`, async () => {
      const r = exampleRoot();
      const res = await run('migrate', 'sshd', '--root', r, '--log', log);
      expect(res.code).toBe(4);
    });
});

describe('12. here-documents are data', () => {
  const HEREDOC = SERVICE(
    'acpid',
    'pidfile=/run/acpid.pid\ncommand_args="-p ${pidfile} -g" ; : <<EOT\ncommand_args="-p ${pidfile} -g"\nEOT\n',
  );
  test('migrate refuses an edit that would land in the body', async () => {
    const r = rootWith({ 'etc/init.d/acpid': HEREDOC });
    const before = treeState(r);
    const res = await run('migrate', 'acpid', '--root', r);
    expect(res.stderr).toContain('inside a here-document');
    expect(res.code).toBe(1);
    expect(treeState(r)).toEqual(before);
  });

  test('lint --fix leaves the body alone', async () => {
    const r = rootWith({ 'etc/init.d/acpid': HEREDOC });
    await run('lint', '--fix', '--unsafe', at(r, 'etc/init.d/acpid'));
    const after = readFileSync(at(r, 'etc/init.d/acpid'), 'utf8');
    expect(after.slice(after.indexOf('<<EOT\n'))).toBe('<<EOT\ncommand_args="-p ${pidfile} -g"\nEOT\n');
  });
});

describe('13. what cannot be read statically is refused with the reason', () => {
  const cases: [string, string, RegExp][] = [
    ["$'…'", "pidfile=/run/acpid.pid\ncommand_args=$'-p ${pidfile} -g'\n", /\$'…' quoting/],
    ['an escaped blank', 'pidfile=/run/acpid.pid\ncommand_args=-p\\ ${pidfile}\n', /escaped blank/],
    [
      'set in start_pre()',
      // (not reading pidfile there: a function reading it is refused by the pidfile step first;
      // not as start_pre()'s first statement either: that line would move to the top, src/migrate/prepare.ts)
      'pidfile=/run/acpid.pid\nstart_pre() {\n\tcheckpath -d /run/acpi\n\tcommand_args="-g"\n}\n',
      /inside start_pre\(\)/,
    ],
    ['eval', 'eval "supervisor=start-stop-daemon"\n', /eval at/],
    ['$(cat …)', 'command_args="$(cat /etc/acpid.args)"\n', /command substitution/],
    // After an option, but cat may print several options, the daemonize flag among them.
    ['$(cat …) after an option', 'command_args="-c $(cat /etc/acpid.dir)"\n', /command substitution/],
    // dirname prints one word, but no option word comes before it: the daemon's operand.
    ['$(dirname …) standing alone', 'command_args="$(dirname /etc/acpi/x) -g"\n', /command substitution/],
    [
      'a continuation after the value',
      'pidfile=/run/acpid.pid\ncommand_args="-p ${pidfile}"\\\n;description=x\n',
      /line continuation/,
    ],
  ];
  for (const [what, body, reason] of cases)
    test(what, async () => {
      const r = rootWith({ 'etc/init.d/acpid': SERVICE('acpid', body) });
      expect(spawnSync('dash', ['-n', at(r, 'etc/init.d/acpid')]).status).toBe(0); // valid sh
      const before = treeState(r);
      const res = await run('migrate', 'acpid', '--root', r);
      expect(res.stderr).toMatch(reason);
      expect(res.code).toBe(1);
      expect(treeState(r)).toEqual(before);
    });
});

describe('13. … but what is known stays known (real scripts)', () => {
  const known: [string, string][] = [
    ['eval in a command substitution (v2rayA)', 'HOME="$(eval echo ~root)"\n'],
    ['computed eval inside a function (drbd)', 'run_it() {\n\teval $CMD\n}\n'],
    ['a local variable named command (udp2raw)', 'helper() {\n\tlocal rule command=${1}\n}\n'],
    ['an append in start_pre() (rngd)', 'start_pre() {\n\tcommand_args="${command_args} -d"\n}\n'],
    // A substitution printing one value, as an option's argument (filebeat's -path.config).
    ['$(dirname …) as an option value (filebeat)', 'command_args="-c $(dirname /etc/acpi/events/x)"\n'],
    ['$(hostname) in a default (rp-pppoe)', 'command_args="-C ${AC_NAME:-$(hostname)}"\n'],
    ['--opt=$(…) glued', 'command_args="--confdir=$(dirname /etc/acpi/events/x)"\n'],
  ];
  for (const [what, body] of known)
    test(what, async () => {
      const r = rootWith({ 'etc/init.d/acpid': SERVICE('acpid', body) });
      const res = await run('migrate', 'acpid', '--root', r, '--dry-run');
      expect(res.stderr).toContain('would migrate acpid');
      expect(res.code).toBe(0);
    });
});

describe('15. FIFOs and devices never block', () => {
  const fifo = (p: string) => {
    mkdirSync(path.dirname(p), { recursive: true });
    expect(spawnSync('mkfifo', [p]).status).toBe(0);
  };
  const cases: [string, string[], string, number][] = [
    ['var/lib/rc-supervise/manifest.json', ['revert', '--all'], 'manifest.json: not a regular file', 2],
    ['var/lib/rc-supervise/lock', ['migrate', 'sshd'], 'lock: not a regular file', 2],
    ['lib/rc/version', ['migrate', 'sshd', '--dry-run'], 'lib/rc/version: not a regular file', 2],
    ['run/openrc/softlevel', ['explain', 'sshd'], '', 0],
    ['run/openrc/options/sshd/start_time', ['status', '--json'], '', 0],
  ];
  for (const [rel, argv, message, code] of cases)
    test(`a FIFO at ${rel}: ${argv.join(' ')} ends (exit ${code})`, () => {
      const r = exampleRoot();
      mkdirSync(at(r, 'run/openrc/started'), { recursive: true });
      fifo(at(r, rel));
      const res = cli([...argv, '--root', r], { ms: 10_000 });
      expect(res.signal).toBeNull();
      expect(res.stderr).toContain(message);
      expect(res.code).toBe(code);
    });

  test('start_time linked to /dev/zero is not read', () => {
    const r = exampleRoot();
    mkdirSync(at(r, 'run/openrc/options/sshd'), { recursive: true });
    mkdirSync(at(r, 'run/openrc/started'), { recursive: true });
    symlinkSync('/dev/zero', at(r, 'run/openrc/options/sshd/start_time'));
    // Inside the root would be needed to read it at all; a device is refused either way.
    const res = cli(['status', '--json', '--root', r], { ms: 10_000 });
    expect(res.code).toBe(0);
    expect(res.stdout.length).toBeLessThan(100_000);
  });

  test('a FIFO named .rc-supervise.json: lint exits 2', () => {
    const d = tmp();
    writeFileSync(path.join(d, 'foo.initd'), SERVICE('foo', ''));
    fifo(path.join(d, '.rc-supervise.json'));
    const res = cli(['lint', d], { ms: 10_000 });
    expect(res.signal).toBeNull();
    expect(res.stderr).toContain('not a regular file');
    expect(res.code).toBe(2);
  });
});

describe('18. exit codes for input, not 70', () => {
  test('var/lib/rc-supervise a regular file: exit 2', async () => {
    const r = exampleRoot();
    mkdirSync(at(r, 'var/lib'), { recursive: true });
    writeFileSync(at(r, 'var/lib/rc-supervise'), 'not a directory');
    const before = treeState(r);
    const res = await run('migrate', 'sshd', '--root', r);
    expect(res.stderr).toContain('not a directory');
    expect(res.code).toBe(2);
    expect(treeState(r)).toEqual(before);
  });

  test('lock a directory: exit 2', async () => {
    const r = exampleRoot();
    mkdirSync(at(r, 'var/lib/rc-supervise/lock'), { recursive: true });
    const before = treeState(r);
    const res = await run('migrate', 'sshd', '--root', r);
    expect(res.stderr).toContain('lock: is a directory');
    expect(res.code).toBe(2);
    expect(treeState(r)).toEqual(before);
  });

  for (const [what, body] of [
    [
      'single-quoted command_args with a backslash-newline',
      "pidfile=/run/acpid.pid\ncommand_args='-p ${pidfile} \\\n -g'\n",
    ],
    [
      'command_args="…"\\ then ;description=x',
      'pidfile=/run/acpid.pid\ncommand_args="-p ${pidfile}"\\\n;description=x\n',
    ],
  ])
    test(`${what}: not exit 70`, async () => {
      const r = rootWith({ 'etc/init.d/acpid': SERVICE('acpid', body) });
      expect(spawnSync('dash', ['-n', at(r, 'etc/init.d/acpid')]).status).toBe(0);
      const res = await run('migrate', 'acpid', '--root', r);
      expect([0, 1]).toContain(res.code);
    });
});

describe('19. one bad file, a closed pipe', () => {
  test('lint --fix: an unwritable file does not stop the others; findings are printed', async () => {
    if (!isRoot) return expect(process.env.CI).not.toBe('true');
    const d = tmp();
    for (const n of ['a', 'b', 'c'])
      writeFileSync(path.join(d, `${n}.initd`), SERVICE(n, 'start_stop_daemon_args="--wait 1000"\n'));
    const before = readFileSync(path.join(d, 'c.initd'), 'utf8');
    expect(spawnSync('chattr', ['+i', path.join(d, 'b.initd')]).status).toBe(0);
    immutable.push(path.join(d, 'b.initd'));
    const res = await run('lint', '--fix', '--unsafe', '-f', 'json', d);
    spawnSync('chattr', ['-i', path.join(d, 'b.initd')]);
    expect(res.stderr).toMatch(/b\.initd: operation not permitted/);
    expect(res.code).toBe(2);
    expect(JSON.parse(res.stdout)).toBeInstanceOf(Array);
    // The file after the unwritable one was fixed too.
    expect(readFileSync(path.join(d, 'c.initd'), 'utf8')).not.toBe(before);
  });

  test('migrate --all with stderr closed early (running services: a warning each): every service written, no stale lock', async () => {
    // Services recorded as started make migrate warn on stderr while it writes.
    const live = (r: string) => {
      mkdirSync(at(r, 'run/openrc/started'), { recursive: true });
      for (const s of readdirSync(at(r, 'etc/init.d'))) writeFileSync(at(r, `run/openrc/started/${s}`), '');
      return r;
    };
    const r = live(exampleRoot());
    const ref = live(exampleRoot());
    await run('migrate', '--all', '--root', ref);
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'migrate', '--all', '--root', r], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stderr.once('data', () => child.stderr.destroy());
      child.on('exit', (c) => resolve(c));
    });
    expect(code).toBe(1); // brokend, as with an open pipe
    expect(existsSync(at(r, 'var/lib/rc-supervise/lock'))).toBe(false);
    const strip = (s: ReturnType<typeof treeState>) =>
      Object.fromEntries(Object.entries(s).filter(([k]) => k.startsWith('etc/')));
    expect(strip(treeState(r))).toEqual(strip(treeState(ref)));
  });
});
