/**
 * Fault injection on the input side: every kind of bad file where an init script (or its
 * conf.d) is expected gets the documented exit code (EXIT_HELP), a message naming the path
 * (and line:col for syntax errors), and leaves the whole root byte-identical. Then the
 * "awkward but valid" inputs: a real fixture transformed per case must migrate without
 * touching any byte outside what the migration changes, re-parse, and be a fixed point.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  constants,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { diffLines } from 'diff';
import { EXIT } from '../../src/errors.js';
import { EXIT_HELP } from '../../src/cli/main.js';
import { MAX_SCRIPT_BYTES } from '../../src/io/files.js';
import { initParser } from '../../src/parse/parser.js';
import { ShellFile } from '../../src/parse/shellfile.js';
import { run, treeHash, type RunResult } from '../helpers/cli.js';
import { FIXTURES, REPO, makeRoot } from '../helpers/fixtures.js';

const isRoot = process.getuid?.() === 0;
const BIN = path.join(REPO, 'bin/rc-supervise.js');
const fixture = (p: string) => readFileSync(path.join(FIXTURES, p), 'utf8');
const SSHD = fixture('sshd/stock/init.d.in');
const SSHD_CONF = fixture('sshd/stock/conf.d.in');
const roots: string[] = [];

afterAll(async () => {
  for (const r of roots) {
    chmodSync(r, 0o700);
    await rm(r, { recursive: true, force: true });
  }
});

async function root(files: Parameters<typeof makeRoot>[0] = []): Promise<string> {
  const r = await makeRoot(files);
  roots.push(r);
  return r;
}

/** The exit codes EXIT_HELP documents, so a case cannot expect an undocumented one. */
const documented = new Set([...EXIT_HELP.matchAll(/^\s+(\d+)\s/gm)].map((m) => Number(m[1])));

/** Runs `rc-supervise migrate` in-process, but never lets a blocking open hang the suite. */
async function runGuarded(ms: number, ...argv: string[]): Promise<RunResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, rej) => {
    timer = setTimeout(() => rej(new Error(`rc-supervise ${argv.join(' ')} still running after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([run(...argv), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A blocked open(2) of a FIFO for reading returns once a writer appears: unblock it. */
function unblockFifo(p: string): void {
  try {
    closeSync(openSync(p, constants.O_WRONLY | constants.O_NONBLOCK));
  } catch {
    // ENXIO: no reader is blocked on it, nothing to unblock
  }
}

/** Runs the built CLI as nobody (uid/gid 65534, no supplementary groups). */
function runAsNobody(...argv: string[]): RunResult {
  const r = spawnSync(
    'setpriv',
    ['--reuid=65534', '--regid=65534', '--clear-groups', '--', process.execPath, BIN, ...argv],
    { encoding: 'utf8', timeout: 30_000, cwd: '/' },
  );
  if (r.error) throw r.error;
  return { code: r.status ?? 128, stdout: r.stdout, stderr: r.stderr };
}

/** Makes the temp root (mkdtemp: 0700) traversable and readable for an unprivileged user. */
function openUp(r: string): void {
  for (const d of [r, path.join(r, 'etc'), path.join(r, 'etc/init.d'), path.join(r, 'etc/conf.d')])
    if (existsSync(d)) chmodSync(d, 0o755);
}

const at = (r: string, rel: string) => path.join(r, rel);
const svcFile = (r: string, name: string, data: string | Buffer, mode = 0o755) => {
  writeFileSync(at(r, `etc/init.d/${name}`), data);
  chmodSync(at(r, `etc/init.d/${name}`), mode);
};

interface BadCase {
  name: string;
  /** Service name passed to `migrate` (default `svc`). */
  svc?: string;
  setup: (root: string) => void | Promise<void>;
  code: number;
  /** Fragments the error output must contain (the path at least), or a pattern. */
  message: (string | RegExp)[];
  /** Run as an unprivileged user with the built CLI (permission bits do not stop root). */
  unprivileged?: boolean;
  /** mknod needs CAP_MKNOD: skipped (with a message) when not root. */
  needsRoot?: boolean;
  /** For FIFOs: the path a blocked read would wait on. */
  fifo?: string;
}

const nul = '#!/sbin/openrc-run\ncommand=/usr/bin/x\n';
const badCases: BadCase[] = [
  {
    name: 'empty init script',
    setup: (r) => svcFile(r, 'svc', ''),
    code: EXIT.INPUT,
    message: ['etc/init.d/svc: empty file'],
  },
  {
    name: 'binary file (an ELF header)',
    setup: (r) => svcFile(r, 'svc', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x03])),
    code: EXIT.INPUT,
    message: ['etc/init.d/svc: binary file (NUL byte at offset 7)'],
  },
  {
    name: 'non-UTF-8 bytes (Latin-1 in a comment)',
    setup: (r) =>
      svcFile(
        r,
        'svc',
        Buffer.concat([Buffer.from('#!/sbin/openrc-run\n# Caf'), Buffer.from([0xe9]), Buffer.from('\n')]),
      ),
    code: EXIT.INPUT,
    message: ['etc/init.d/svc: not valid UTF-8'],
  },
  {
    name: 'a NUL byte inside an otherwise valid script',
    setup: (r) => svcFile(r, 'svc', nul + 'command_args="-a\0b"\n'),
    code: EXIT.INPUT,
    message: [`etc/init.d/svc: binary file (NUL byte at offset ${nul.length + 16})`],
  },
  {
    name: 'a 10 MB file',
    setup: (r) => svcFile(r, 'svc', '#!/sbin/openrc-run\n' + '#'.repeat(10 * 1024 * 1024 - 20) + '\n'),
    code: EXIT.INPUT,
    message: [`etc/init.d/svc: ${10 * 1024 * 1024} bytes is too large`, `limit ${MAX_SCRIPT_BYTES}`],
  },
  {
    name: 'a directory where the init script is expected',
    setup: (r) => mkdirSync(at(r, 'etc/init.d/svc')),
    code: EXIT.INPUT,
    message: ['etc/init.d/svc: is a directory'],
  },
  {
    name: 'a dangling symlink',
    setup: (r) => symlinkSync('svc.gone', at(r, 'etc/init.d/svc')),
    code: EXIT.INPUT,
    message: ['etc/init.d/svc: dangling symlink (-> svc.gone)'],
  },
  {
    name: 'a FIFO (must not block)',
    setup: (r) => void spawnSync('mkfifo', ['-m', '0755', at(r, 'etc/init.d/svc')]),
    code: EXIT.INPUT,
    message: ['etc/init.d/svc: not a regular file'],
    fifo: 'etc/init.d/svc',
  },
  {
    name: 'a character device (like /dev/null)',
    setup: (r) => {
      const m = spawnSync('mknod', ['-m', '0666', at(r, 'etc/init.d/svc'), 'c', '1', '3'], { encoding: 'utf8' });
      if (m.status !== 0) throw new Error(`mknod failed (root needed): ${m.stderr}`);
    },
    needsRoot: true,
    code: EXIT.INPUT,
    message: ['etc/init.d/svc: not a regular file'],
  },
  {
    name: 'an init script unreadable for permissions (run as nobody)',
    setup: (r) => {
      svcFile(r, 'svc', SSHD, 0o700);
      openUp(r);
    },
    code: EXIT.INPUT,
    message: ['etc/init.d/svc: permission denied'],
    unprivileged: true,
  },
  {
    name: 'a conf.d unreadable for permissions, e.g. 0600 with secrets (run as nobody)',
    svc: 'sshd',
    setup: (r) => {
      svcFile(r, 'sshd', SSHD);
      writeFileSync(at(r, 'etc/conf.d/sshd'), SSHD_CONF, { mode: 0o600 });
      openUp(r);
    },
    code: EXIT.INPUT,
    message: ['etc/conf.d/sshd: permission denied'],
    unprivileged: true,
  },
  {
    name: 'an unparseable script (unterminated quote)',
    setup: (r) => svcFile(r, 'svc', '#!/sbin/openrc-run\ncommand=/usr/bin/x\ncommand_args="-a\n'),
    code: EXIT.SYNTAX,
    // Where the quote opens, in the shell's words (dash reports it at the end of the file).
    message: ['etc/init.d/svc:3:14: dash -n: Syntax error: Unterminated quoted string: it opens here', 'not changed'],
  },
  {
    // Alpine's consul-template: a `${` without its `}` inside a quoted value. The grammar
    // gives up at line 2; the user is told line 3, where the quoted value opens, as lint says.
    name: 'an unparseable script (unclosed ${ in a quoted value)',
    setup: (r) =>
      svcFile(
        r,
        'svc',
        '#!/sbin/openrc-run\nname=x\ncommand_args="-config ${CONFIG:-/etc/x.hcl"\n\ndepend() {\n\tneed net\n}\n',
      ),
    code: EXIT.SYNTAX,
    message: ['etc/init.d/svc:3:14: dash -n: Syntax error: Unterminated quoted string: it opens here', 'not changed'],
  },
  {
    // Found by the property test: the grammar reads `;;` on a line a `\` continues (outside any
    // case) without an error, so only the migrated text was checked by a shell, which made it
    // look like a bug of ours (exit 70). dash rejects the original as well.
    name: 'an unparseable script the grammar reads without an error (`;;` outside a case)',
    setup: (r) =>
      svcFile(
        r,
        'svc',
        '#!/sbin/openrc-run\nstart() {\n\tstart-stop-daemon --start --exec /usr/bin/x --background --make-pidfile --pidfile /run/x.pid\n}\nstop() {\n\tstart-stop-daemon --stop --exec /usr/bin/x \\\n;;\t--pidfile /run/x.pid\n}\n',
      ),
    code: EXIT.SYNTAX,
    message: ['etc/init.d/svc:7:1: dash -n: Syntax error: ";;" unexpected (expecting "}")', 'not changed'],
  },
  {
    name: 'an unparseable script (if without fi)',
    setup: (r) =>
      svcFile(r, 'svc', '#!/sbin/openrc-run\ncommand=/usr/bin/x\nstart_pre() {\n\tif [ -n "$x" ]; then\n\t\techo\n}\n'),
    code: EXIT.SYNTAX,
    message: [/etc\/init\.d\/svc:\d+:\d+: /],
  },
  {
    name: 'a symlink in etc/init.d leading outside --root (absolute)',
    setup: async (r) => {
      const outside = await mkdtemp(path.join(os.tmpdir(), 'rcs-outside-'));
      roots.push(outside);
      writeFileSync(path.join(outside, 'svc'), SSHD, { mode: 0o755 });
      symlinkSync(path.join(outside, 'svc'), at(r, 'etc/init.d/svc'));
    },
    code: EXIT.INPUT,
    message: ['etc/init.d/svc: symlink leads outside --root'],
  },
  {
    name: 'a symlink in etc/init.d leading outside --root (relative ../../..)',
    setup: async (r) => {
      writeFileSync(path.join(r, '..', `${path.basename(r)}-escape`), SSHD, { mode: 0o755 });
      roots.push(path.join(r, '..', `${path.basename(r)}-escape`));
      symlinkSync(`../../../${path.basename(r)}-escape`, at(r, 'etc/init.d/svc'));
    },
    code: EXIT.INPUT,
    message: ['etc/init.d/svc: symlink leads outside --root'],
  },
  {
    name: '".." in a service name',
    svc: '../../../etc/passwd',
    setup: () => undefined,
    code: EXIT.INPUT,
    message: ['../../../etc/passwd: not a valid service name'],
  },
  {
    name: '".." alone as a service name',
    svc: '..',
    setup: () => undefined,
    code: EXIT.INPUT,
    message: ['..: not a valid service name'],
  },
  {
    name: 'a service name with an embedded slash',
    svc: 'sshd/../sshd',
    setup: (r) => svcFile(r, 'sshd', SSHD),
    code: EXIT.INPUT,
    message: ['not a valid service name'],
  },
  {
    name: 'a binary conf.d',
    svc: 'sshd',
    setup: (r) => {
      svcFile(r, 'sshd', SSHD);
      writeFileSync(at(r, 'etc/conf.d/sshd'), Buffer.from([0x53, 0x53, 0x48, 0x44, 0x00, 0xff, 0x01]));
    },
    code: EXIT.INPUT,
    message: ['etc/conf.d/sshd: binary file (NUL byte at offset 4)'],
  },
  {
    name: 'a conf.d with a syntax error',
    svc: 'sshd',
    setup: (r) => {
      svcFile(r, 'sshd', SSHD);
      writeFileSync(at(r, 'etc/conf.d/sshd'), 'SSHD_OPTS="-4\n');
    },
    code: EXIT.SYNTAX,
    message: [/etc\/conf\.d\/sshd:1:\d+: /],
  },
  {
    name: 'a conf.d that is a FIFO (must not block)',
    svc: 'sshd',
    setup: (r) => {
      svcFile(r, 'sshd', SSHD);
      spawnSync('mkfifo', [at(r, 'etc/conf.d/sshd')]);
    },
    code: EXIT.INPUT,
    message: ['etc/conf.d/sshd: not a regular file'],
    fifo: 'etc/conf.d/sshd',
  },
  {
    name: 'a conf.d that is a directory',
    svc: 'sshd',
    setup: (r) => {
      svcFile(r, 'sshd', SSHD);
      mkdirSync(at(r, 'etc/conf.d/sshd'));
    },
    code: EXIT.INPUT,
    message: ['etc/conf.d/sshd: is a directory'],
  },
];

describe('bad input: documented exit code, message with the path, whole root unchanged', () => {
  test('every expected exit code is documented in EXIT_HELP', () => {
    for (const c of badCases)
      expect({ case: c.name, documented: documented.has(c.code) }).toEqual({
        case: c.name,
        documented: true,
      });
  });

  test.each(badCases.map((c) => [c.name, c] as const))(
    '%s',
    async (_name, c) => {
      if ((c.unprivileged || c.needsRoot) && !isRoot) {
        console.warn(
          `skipped "${c.name}": needs root (${c.unprivileged ? 'setpriv to an unprivileged user' : 'mknod'})`,
        );
        return;
      }
      const r = await root();
      await c.setup(r);
      const before = treeHash(r);
      const svc = c.svc ?? 'svc';
      let res: RunResult;
      try {
        res = c.unprivileged
          ? runAsNobody('migrate', svc, '--root', r)
          : await runGuarded(10_000, 'migrate', svc, '--root', r);
      } finally {
        if (c.fifo) unblockFifo(at(r, c.fifo));
      }
      expect({ code: res.code, stderr: res.stderr }).toEqual({ code: c.code, stderr: expect.any(String) });
      for (const m of c.message) {
        if (typeof m === 'string') expect(res.stderr).toContain(m);
        else expect(res.stderr).toMatch(m);
      }
      expect(res.stderr).not.toContain('internal error');
      expect(treeHash(r)).toBe(before);
    },
    30_000,
  );

  // The same inputs inside a batch: the bad service is named, the batch exits 1, the rest
  // of the root is still untouched (here: no other service to migrate, so nothing written).
  test.each(
    badCases
      .filter((c) => !c.unprivileged && !(c.needsRoot && !isRoot) && !c.svc?.includes('/') && c.svc !== '..')
      .map((c) => [c.name, c] as const),
  )(
    'in --all: %s',
    async (_name, c) => {
      const r = await root();
      await c.setup(r);
      const before = treeHash(r);
      let res: RunResult;
      try {
        res = await runGuarded(10_000, 'migrate', '--all', '--root', r);
      } finally {
        if (c.fifo) unblockFifo(at(r, c.fifo));
      }
      expect(res.code).toBe(EXIT.FAILED);
      for (const m of c.message) {
        if (typeof m === 'string') expect(res.stderr).toContain(m);
        else expect(res.stderr).toMatch(m);
      }
      expect(res.stderr).toMatch(/0 migrated, 0 already supervised, 0 skipped, 1 failed\n$/);
      expect(treeHash(r)).toBe(before);
    },
    30_000,
  );
});

describe('symlinks inside the root', () => {
  test('foo -> foo.real (both in init.d): refused, reason mentions the symlink, nothing changed', async () => {
    const r = await root([{ svc: 'sshd.real', initd: SSHD }]);
    symlinkSync('sshd.real', at(r, 'etc/init.d/sshd'));
    writeFileSync(at(r, 'etc/conf.d/sshd'), SSHD_CONF);
    const before = treeHash(r);
    const res = await run('migrate', 'sshd', '--root', r);
    expect(res.code).toBe(EXIT.FAILED);
    expect(res.stderr).toContain('etc/init.d/sshd is a symlink (-> sshd.real)');
    expect(treeHash(r)).toBe(before);
  });

  test('net.eth0 -> net.lo: refused (netifrc, or symlink), nothing changed', async () => {
    const netlo = readFileSync(path.join(REPO, 'examples/gentoo-root/etc/init.d/net.lo'), 'utf8');
    const r = await root([{ svc: 'net.lo', initd: netlo }]);
    symlinkSync('net.lo', at(r, 'etc/init.d/net.eth0'));
    const before = treeHash(r);
    const res = await run('migrate', 'net.eth0', '--root', r);
    expect(res.code).toBe(EXIT.FAILED);
    expect(res.stderr).toMatch(/skipped net\.eth0: .*(symlink|netifrc)/);
    expect(treeHash(r)).toBe(before);
  });

  test('a migratable service behind a symlink named net.eth0 -> net.lo is refused as a symlink', async () => {
    // Content that would migrate, so the refusal can only come from the symlink check.
    const r = await root([{ svc: 'net.lo', initd: SSHD.replace('/usr/sbin/sshd', '/usr/sbin/sshd') }]);
    symlinkSync('net.lo', at(r, 'etc/init.d/net.eth0'));
    const before = treeHash(r);
    const res = await run('migrate', 'net.eth0', '--root', r);
    expect(res.code).toBe(EXIT.FAILED);
    expect(res.stderr).toMatch(/net\.eth0.*(symlink|netifrc)/);
    expect(treeHash(r)).toBe(before);
  });

  test('conf.d/sshd -> sshd.common: refused, reason mentions the symlink, nothing changed', async () => {
    const r = await root([{ svc: 'sshd', initd: SSHD }]);
    writeFileSync(at(r, 'etc/conf.d/sshd.common'), SSHD_CONF);
    symlinkSync('sshd.common', at(r, 'etc/conf.d/sshd'));
    const before = treeHash(r);
    const res = await run('migrate', 'sshd', '--root', r);
    expect(res.code).toBe(EXIT.FAILED);
    expect(res.stderr).toContain('etc/conf.d/sshd is a symlink (-> sshd.common)');
    expect(treeHash(r)).toBe(before);
  });

  test('--all: the link target is migrated once, the link stays a link to it', async () => {
    const r = await root([{ svc: 'sshd.real', initd: SSHD }]);
    symlinkSync('sshd.real', at(r, 'etc/init.d/sshd'));
    const res = await run('migrate', '--all', '--root', r);
    expect(res.stderr).toContain('migrated sshd.real');
    expect(res.stderr).toContain('skipped sshd: etc/init.d/sshd is a symlink');
    expect(readdirSync(at(r, 'etc/init.d')).sort()).toEqual(['sshd', 'sshd.real']);
    expect(spawnSync('readlink', [at(r, 'etc/init.d/sshd')], { encoding: 'utf8' }).stdout.trim()).toBe('sshd.real');
    const after = treeHash(r);
    await run('migrate', '--all', '--root', r);
    expect(treeHash(r)).toBe(after);
  });

  // BUG (reported to the lead): readScript only checks a symlink in the last path
  // component. When etc/init.d (or etc/conf.d, or the state dir var/lib/rc-supervise) is
  // itself a symlink leaving the root, migrate reads AND REWRITES the file outside --root,
  // exit 0. Typical trigger: a mounted system at /mnt/gentoo whose /etc/init.d is an
  // absolute link, which resolves against the host. Expected: exit 2 "outside --root",
  // nothing written anywhere.
  test('etc/init.d itself a symlink to a directory outside --root: not followed, nothing changed outside', async () => {
    // e.g. a mounted system whose /etc/init.d -> /etc/rc.d/init.d is an absolute link: under
    // --root /mnt/gentoo it resolves to the HOST's /etc/rc.d/init.d.
    const r = await root();
    const outside = await mkdtemp(path.join(os.tmpdir(), 'rcs-outside-'));
    roots.push(outside);
    writeFileSync(path.join(outside, 'sshd'), SSHD, { mode: 0o755 });
    await rm(at(r, 'etc/init.d'), { recursive: true });
    symlinkSync(outside, at(r, 'etc/init.d'));
    const beforeOut = treeHash(outside);
    const beforeRoot = treeHash(r);
    const res = await run('migrate', 'sshd', '--root', r);
    expect(treeHash(outside)).toBe(beforeOut);
    expect(treeHash(r)).toBe(beforeRoot);
    expect(res.code).toBe(EXIT.INPUT);
    expect(res.stderr).toContain('outside --root');
  });

  // Same bug, conf.d side: the conf.d route would edit a file outside the root.
  test('etc/conf.d a symlink to a directory outside --root: nothing changed outside', async () => {
    const bluetooth = readFileSync(path.join(REPO, 'examples/gentoo-root/etc/init.d/bluetooth'), 'utf8');
    const r = await root([{ svc: 'bluetooth', initd: bluetooth }]);
    const outside = await mkdtemp(path.join(os.tmpdir(), 'rcs-outside-'));
    roots.push(outside);
    writeFileSync(
      path.join(outside, 'bluetooth'),
      readFileSync(path.join(REPO, 'examples/gentoo-root/etc/conf.d/bluetooth')),
    );
    await rm(at(r, 'etc/conf.d'), { recursive: true });
    symlinkSync(outside, at(r, 'etc/conf.d'));
    const beforeOut = treeHash(outside);
    const res = await run('migrate', 'bluetooth', '--root', r);
    expect(treeHash(outside)).toBe(beforeOut);
    expect(res.code).toBe(EXIT.INPUT);
    expect(res.stderr).toContain('outside --root');
  });

  // Same bug, state side: lock, backups and manifest are written outside the root.
  test('var/lib/rc-supervise a symlink outside --root: no lock, backup or manifest written there', async () => {
    const r = await root([{ svc: 'sshd', initd: SSHD, confd: SSHD_CONF }]);
    const outside = await mkdtemp(path.join(os.tmpdir(), 'rcs-outside-'));
    roots.push(outside);
    mkdirSync(at(r, 'var/lib'), { recursive: true });
    symlinkSync(outside, at(r, 'var/lib/rc-supervise'));
    const beforeOut = treeHash(outside);
    const res = await run('migrate', 'sshd', '--root', r);
    expect(treeHash(outside)).toBe(beforeOut);
    expect(res.code).toBe(EXIT.INPUT);
    expect(res.stderr).toContain('outside --root');
  });
});

// BUG (reported to the lead): tree-sitter-bash accepts a stray reserved word (`fi`, `done`,
// `esac`, `}`, `then`, `else`, `do`, `in`) as an ordinary command name, so a script that
// `sh -n` (dash) rejects ("Syntax error: "fi" unexpected") is migrated and written, exit 0.
// Expected: exit 3 with etc/init.d/sshd:<line>:1, nothing written.
describe('a script dash rejects is a syntax error (exit 3, file:line:col, nothing written)', () => {
  const lines = SSHD.split('\n').length; // the word goes on this line (after the final newline)
  test.each(['fi', 'done', 'esac', '}', 'then', 'do'])('a stray %s after the last function', async (word) => {
    const script = SSHD + word + '\n';
    expect(spawnSync('sh', ['-n'], { input: script }).status).not.toBe(0); // dash says so
    const r = await root([{ svc: 'sshd', initd: script, confd: SSHD_CONF }]);
    const before = treeHash(r);
    const res = await run('migrate', 'sshd', '--root', r);
    expect(res.code).toBe(EXIT.SYNTAX);
    expect(res.stderr).toContain(`etc/init.d/sshd:${lines}:1: `);
    expect(treeHash(r)).toBe(before);
  });
});

// ---------------------------------------------------------------------------------------
// Awkward but valid input: handled without changing untouched bytes.

interface Fx {
  svc: string;
  initdIn: string;
  initdOut: string;
  confd: string | null;
}
const FX: Record<string, Fx> = {
  sshd: {
    svc: 'sshd',
    initdIn: SSHD,
    initdOut: fixture('sshd/stock/init.d.out'),
    confd: SSHD_CONF,
  },
  dnsmasq: {
    svc: 'dnsmasq',
    initdIn: fixture('dnsmasq/stock/init.d.in'),
    initdOut: fixture('dnsmasq/stock/init.d.out'),
    confd: fixture('dnsmasq/stock/conf.d.in'),
  },
};

/** Inserts `add` after the first occurrence of `anchor` (which must exist). */
function after(s: string, anchor: string, add: string): string {
  const i = s.indexOf(anchor);
  if (i < 0) throw new Error(`anchor not found: ${JSON.stringify(anchor)}`);
  return s.slice(0, i + anchor.length) + add + s.slice(i + anchor.length);
}

interface GoodCase {
  name: string;
  fx: keyof typeof FX;
  /**
   * The transform. Applied to the fixture's input it gives the test input; when `exact`,
   * applied to the blessed output it gives exactly what the migration must write.
   */
  t: (s: string) => string;
  exact: boolean;
  /** Byte strings of the feature that must survive verbatim in the output. */
  keep: string[];
  /** Of `keep`, those outside any edited line: they must lie in unchanged diff parts. */
  untouched?: string[];
  crlf?: boolean;
  bom?: boolean;
}

const toCRLF = (s: string) => s.replace(/\r?\n/g, '\r\n');
const HEREDOC_FN =
  '\nusage() {\n\tcat <<-EOF\n\t\tstart-stop-daemon --signal HUP --pidfile /run/x.pid\n\t\tcommand_args="-o PidFile=/x" ;; # not code\n\tEOF\n\tcat <<\'RAW\'\n$(not expanded) ${neither:=x}\nRAW\n}\n';
const NESTED = ': ${SSHD_EXTRA:=${SSHD_DEFAULT:-$(printf \'%s\' "a b" | tr a A)}}\n';
const QUOTED =
  'description="OpenSSH # not a comment ;; not a case end"\nnote=\'#;; $(x)\'\ncase "$1" in\n\ta) x="b ;; c # d" ;;\n\t*) : \'#\' ";;" ;;\nesac\n';
const goodCases: GoodCase[] = [
  ...(['sshd', 'dnsmasq'] as const).flatMap((fx): GoodCase[] => [
    { name: `${fx}: CRLF line endings`, fx, t: toCRLF, exact: true, keep: ['#!/sbin/openrc-run\r\n'], crlf: true },
    { name: `${fx}: no final newline`, fx, t: (s) => s.replace(/\n$/, ''), exact: true, keep: ['}'] },
    {
      name: `${fx}: UTF-8 BOM`,
      fx,
      t: (s) => '\uFEFF' + s,
      exact: true,
      keep: ['\uFEFF#!/sbin/openrc-run\n'],
      bom: true,
    },
    {
      name: `${fx}: spaces instead of tabs`,
      fx,
      t: (s) => s.replace(/^\t+/gm, (m) => '    '.repeat(m.length)),
      exact: true,
      keep: ['\n    checkconfig || return 1\n'],
      untouched: ['\n    checkconfig || return 1\n'],
    },
    {
      name: `${fx}: CRLF + BOM + no final newline together`,
      fx,
      t: (s) => '\uFEFF' + toCRLF(s).replace(/\r\n$/, ''),
      exact: true,
      keep: ['\uFEFF#!/sbin/openrc-run\r\n'],
      crlf: true,
      bom: true,
    },
    {
      name: `${fx}: heredocs that look like code`,
      fx,
      t: (s) => s + HEREDOC_FN,
      exact: true,
      keep: [HEREDOC_FN],
      untouched: [HEREDOC_FN],
    },
    {
      name: `${fx}: \${x:=\${y:-\$(cmd "a b")}} nesting`,
      fx,
      t: (s) => after(s, '#!/sbin/openrc-run\n', NESTED),
      exact: true,
      keep: [NESTED],
      untouched: [NESTED],
    },
    {
      name: `${fx}: quoted # and ;; in strings and a case`,
      fx,
      t: (s) => after(s, '#!/sbin/openrc-run\n', QUOTED),
      exact: true,
      keep: [QUOTED],
      untouched: [QUOTED],
    },
  ]),
  {
    name: 'sshd: trailing \\ continuations outside the edits',
    fx: 'sshd',
    t: (s) => s.replace('\tuse logger dns\n', '\tuse logger \\\n\t\tdns \\\n\t\t# no\n'),
    exact: true,
    keep: ['\tuse logger \\\n\t\tdns \\\n\t\t# no\n'],
    untouched: ['\tuse logger \\\n\t\tdns \\\n\t\t# no\n'],
  },
  {
    name: 'sshd: comments inside functions, also right before and after an edited call',
    fx: 'sshd',
    t: (s) =>
      after(
        after(s, 'reload() {\n', '\t# HUP makes sshd re-read sshd_config\n'),
        '\teend $?\n',
        '\t# done: ; ;; # "quoted"\n',
      ),
    exact: true,
    keep: ['\t# HUP makes sshd re-read sshd_config\n', '\t# done: ; ;; # "quoted"\n'],
    untouched: ['\t# HUP makes sshd re-read sshd_config\n', '\t# done: ; ;; # "quoted"\n'],
  },
  {
    name: 'dnsmasq: CRLF with a heredoc and continuations (every inserted line ends in CRLF)',
    fx: 'dnsmasq',
    t: (s) => toCRLF(s + HEREDOC_FN),
    exact: true,
    keep: [toCRLF(HEREDOC_FN), '\t\t--mode 0644 \\\r\n'],
    untouched: [toCRLF(HEREDOC_FN), '\t\t--mode 0644 \\\r\n'],
    crlf: true,
  },
  // Edits inside awkward constructs: no blessed output, but the feature must survive.
  {
    name: 'sshd: a trailing comment on an edited start-stop-daemon call is kept',
    fx: 'sshd',
    t: (s) => s.replace('--pidfile "${pidfile}"\n', '--pidfile "${pidfile}" # send HUP\n'),
    exact: false,
    keep: [' # send HUP\n'],
  },
  {
    name: 'sshd: quoted # and ;; inside the edited command_args',
    fx: 'sshd',
    t: (s) => s.replace('-f ${SSHD_CONFIG}"', "-o 'Banner=/etc/issue#1;;' -f ${SSHD_CONFIG}\""),
    exact: false,
    keep: ["-o 'Banner=/etc/issue#1;;'"],
  },
  {
    name: 'sshd: a heredoc inside the edited reload()',
    fx: 'sshd',
    t: (s) =>
      s.replace(
        '\tebegin "Reloading',
        '\tcat <<-EOF >&2\n\t\tstart-stop-daemon --signal HUP --pidfile x\n\tEOF\n\tebegin "Reloading',
      ),
    exact: false,
    keep: ['\tcat <<-EOF >&2\n\t\tstart-stop-daemon --signal HUP --pidfile x\n\tEOF\n'],
  },
  {
    name: 'sshd: CRLF and a trailing comment on the edited call',
    fx: 'sshd',
    t: (s) => toCRLF(s.replace('--pidfile "${pidfile}"\n', '--pidfile "${pidfile}" # send HUP\n')),
    exact: false,
    keep: [' # send HUP\r\n'],
    crlf: true,
  },
];

/** [start, end) ranges of `a` that diffLines leaves unchanged in `b`. */
function unchangedRanges(a: string, b: string): [number, number][] {
  const out: [number, number][] = [];
  let pos = 0;
  for (const part of diffLines(a, b)) {
    if (part.added) continue;
    if (!part.removed) out.push([pos, pos + part.value.length]);
    pos += part.value.length;
  }
  return out;
}

function commonPrefixSuffix(a: string, b: string): { prefix: number; suffix: number } {
  let p = 0;
  while (p < a.length && p < b.length && a[p] === b[p]) p++;
  let s = 0;
  while (s < a.length - p && s < b.length - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
  return { prefix: p, suffix: s };
}

describe('awkward but valid input: migrated without touching other bytes, re-parses, fixed point', () => {
  beforeAll(async () => {
    await initParser();
  });

  test.each(goodCases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const fx = FX[c.fx];
    const input = c.t(fx.initdIn);
    const r = await root([{ svc: fx.svc, initd: input, confd: fx.confd }]);
    const res = await run('migrate', fx.svc, '--root', r);
    expect({ code: res.code, stderr: res.stderr }).toEqual({
      code: EXIT.OK,
      stderr: expect.stringContaining('migrated'),
    });
    const outBuf = readFileSync(at(r, `etc/init.d/${fx.svc}`));
    const out = outBuf.toString('utf8');

    // 1. re-parses cleanly
    expect(new ShellFile(`etc/init.d/${fx.svc}`, out).errors).toEqual([]);
    expect(out).toContain('supervisor="supervise-daemon"');

    // 2. bytes outside the change: prefix/suffix first (cheap, always holds), then exact.
    const { prefix, suffix } = commonPrefixSuffix(input, out);
    expect(prefix).toBeGreaterThan(0);
    expect(input.slice(0, prefix)).toBe(out.slice(0, prefix));
    expect(input.slice(input.length - suffix)).toBe(out.slice(out.length - suffix));
    for (const k of c.keep) expect(out).toContain(k);
    const keepRanges = unchangedRanges(input, out);
    for (const k of c.untouched ?? []) {
      const i = input.indexOf(k);
      expect(i).toBeGreaterThanOrEqual(0);
      const inside = keepRanges.some(([s, e]) => s <= i && i + k.length <= e);
      expect({ fragment: k, untouched: inside }).toEqual({ fragment: k, untouched: true });
    }
    // With CRLF line ends a signal call is rewritten without the supervisor guard (its closing
    // `fi` would read as `fi\r`: steps/signals.ts): the blessed output, unguarded.
    // The pidfile relocation keeps its guard, with a trailing comment there (steps/pidfile.ts).
    const unguarded = (t: string) =>
      t
        .replace(/if \[ "\$\{supervisor\}" = supervise-daemon \]; then (?!pidfile=)(.*?); else [\s\S]*?; fi/g, '$1')
        .replace(/^(if .*then pidfile="[^"]*"; fi)$/gm, '$1 #');
    if (c.exact) expect(out).toBe(c.t(c.crlf ? unguarded(fx.initdOut) : fx.initdOut));
    // Only lines the plain fixture's migration removes may go (under the same transform).
    const removedHere = diffLines(input, out)
      .filter((p) => p.removed)
      .map((p) => p.value);
    const plainRemoved = diffLines(c.t(fx.initdIn), c.t(fx.initdOut))
      .filter((p) => p.removed)
      .map((p) => p.value);
    if (c.exact) expect(removedHere).toEqual(plainRemoved);

    // 3. line endings and BOM
    if (c.crlf) {
      expect(out).not.toMatch(/(^|[^\r])\n/); // no bare LF anywhere
      expect(out).not.toMatch(/\r(?!\n)/); // no bare CR
      for (const p of diffLines(input, out).filter((d) => d.added))
        for (const line of p.value.split(/(?<=\n)/)) if (line) expect(line).toMatch(/\r\n$|^[^\n]*$/);
    }
    if (c.bom) {
      expect([...outBuf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(out.lastIndexOf('\uFEFF')).toBe(0);
    } else expect(out).not.toContain('\uFEFF');

    // 4. fixed point: a second writing run changes nothing at all
    const once = treeHash(r);
    const again = await run('migrate', fx.svc, '--root', r);
    expect(again.code).toBe(EXIT.OK);
    expect(again.stderr).toContain('already supervised');
    expect(treeHash(r)).toBe(once);
  });

  test('a \\ continuation inside the edited command_args: re-parses, same words, fixed point', async () => {
    const input = SSHD.replace(
      'command_args="${SSHD_OPTS} -o PidFile=${pidfile} -f ${SSHD_CONFIG}"',
      'command_args="${SSHD_OPTS} \\\n\t-o PidFile=${pidfile} \\\n\t-f ${SSHD_CONFIG}"',
    );
    const r = await root([{ svc: 'sshd', initd: input, confd: SSHD_CONF }]);
    const res = await run('migrate', 'sshd', '--root', r);
    expect(res.code).toBe(EXIT.OK);
    const out = readFileSync(at(r, 'etc/init.d/sshd'), 'utf8');
    expect(new ShellFile('etc/init.d/sshd', out).errors).toEqual([]);
    // What the shell makes of command_args must be the plain fixture's value.
    const words = (text: string) =>
      spawnSync(
        'sh',
        [
          '-c',
          `SSHD_OPTS=; SSHD_CONFIG=/c; pidfile=/p; ${/command_args="[^"]*"/.exec(text)![0]}; printf '%s\\n' $command_args`,
        ],
        { encoding: 'utf8' },
      ).stdout;
    expect(words(out)).toBe(words(FX.sshd.initdOut));
    expect(out).toContain('\t-f ${SSHD_CONFIG}"');
    const once = treeHash(r);
    expect((await run('migrate', 'sshd', '--root', r)).code).toBe(EXIT.OK);
    expect(treeHash(r)).toBe(once);
  });
});

// A FIFO must not block even a child process that has nothing to unblock it.
test('a FIFO as init script: the built CLI exits on its own (child process, 15 s guard)', async () => {
  if (!existsSync(path.join(REPO, 'dist/src/cli/main.js')))
    throw new Error('run `npm run build` first (dist/ missing)');
  const r = await root();
  spawnSync('mkfifo', [at(r, 'etc/init.d/svc')]);
  const child = spawn(process.execPath, [BIN, 'migrate', 'svc', '--root', r], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | string>((resolve) => {
    const t = setTimeout(() => {
      child.kill('SIGKILL');
      resolve('blocked');
    }, 15_000);
    child.on('close', (c) => {
      clearTimeout(t);
      resolve(c ?? 'signal');
    });
  });
  unblockFifo(at(r, 'etc/init.d/svc'));
  expect(code).toBe(EXIT.INPUT);
  expect(stderr).toContain('etc/init.d/svc: not a regular file');
}, 30_000);

test('a region the grammar misreads and the shell accepts (a stray `}` before CRLF, a command named `}\\r` to dash), whose edits then do not parse: refused (exit 1), not a crash, nothing written', async () => {
  await initParser();
  // The property test's find: generic/custom-start-pre-post with depend()'s opening line lost
  // (its `}` left behind), CRLF line ends and no end of line after the last `}`, which alone
  // then closes a function: dash takes every other `}\r` for a word, the grammar does not.
  const plain = fixture('generic/custom-start-pre-post/init.d.in');
  const initd = plain.replace('depend() {\n', '').replace(/\n$/, '').replace(/\n/g, '\r\n');
  expect(initd).not.toBe(plain.replace(/\n/g, '\r\n'));
  expect(new ShellFile('i', initd).errors.length).toBeGreaterThan(0);
  const r = await root([{ svc: 'vpnbridge', initd, confd: null }]);
  const before = treeHash(r);
  const res = await run('migrate', 'vpnbridge', '--root', r);
  expect(res.code).toBe(EXIT.FAILED);
  expect(res.stderr).toContain(
    "its parser misreads etc/init.d/vpnbridge:10:1 (unexpected '}'), which the shell accepts",
  );
  expect(treeHash(r)).toBe(before);
});
