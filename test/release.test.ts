/**
 * The release (npm run release): a tarball that needs only Node, installed into a temporary
 * prefix and run from `/`; its man page and completions; the distribution packages
 * (packaging/) and `make install` install exactly the tarball's files. Needs a built dist/
 * (npm test builds first).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  lstatSync,
  mkdirSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8'));

let tgz: string;
let files: string[];
let prefix: string;
let unpacked: string;
const tmp = (p: string) => mkdtempSync(path.join(os.tmpdir(), `rcs-release-${p}-`));

/** Every file and symlink under dir, relative, sorted. */
function tree(dir: string, base = dir, out: string[] = []): string[] {
  for (const n of readdirSync(dir)) {
    const p = path.join(dir, n);
    const st = lstatSync(p);
    if (st.isDirectory()) tree(p, base, out);
    else out.push(path.relative(base, p) + (st.isSymbolicLink() ? ` -> ${readlinkSync(p)}` : ''));
  }
  return out.sort();
}

/** Where packaging/install.sh puts each file of the tarball (the layout all three installers share). */
function expectedInstall(tarFiles: string[]): string[] {
  const out: string[] = ['bin/rc-supervise -> ../lib/rc-supervise/bin/rc-supervise.js'];
  for (const f of tarFiles) {
    if (/^(bin|lib|schema)\//.test(f) || f === 'package.json') out.push(`lib/rc-supervise/${f}`);
    else if (f === 'man/rc-supervise.8') out.push('share/man/man8/rc-supervise.8');
    else if (f === 'completions/rc-supervise.bash') out.push('share/bash-completion/completions/rc-supervise');
    else if (f === 'completions/_rc-supervise') out.push('share/zsh/site-functions/_rc-supervise');
    else if (f === 'completions/rc-supervise.fish') out.push('share/fish/vendor_completions.d/rc-supervise.fish');
    else if (f === 'README.md' || f === 'LICENSE') out.push(`share/doc/rc-supervise/${f}`);
    else if (f === 'install.sh')
      continue; // the installer itself
    else throw new Error(`tarball file ${f} has no install location: add it to packaging/install.sh`);
  }
  return out.sort();
}

beforeAll(() => {
  tgz = execFileSync('node', ['scripts/release.mjs'], { cwd: REPO, encoding: 'utf8' }).trim();
  files = execFileSync('tar', ['tzf', tgz], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((f) => f.replace(/^package\//, ''))
    .sort();
  unpacked = tmp('unpacked');
  execFileSync('tar', ['xzf', tgz, '-C', unpacked]);
  unpacked = path.join(unpacked, 'package');
  prefix = tmp('prefix');
  // No dependencies, so nothing is fetched: --offline proves it.
  execFileSync('npm', ['install', '-g', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, tgz], {
    stdio: 'pipe',
  });
}, 240_000);

const cli = (args: string[], opts: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}) =>
  spawnSync(path.join(prefix, 'bin/rc-supervise'), args, {
    cwd: opts.cwd ?? '/',
    input: opts.input,
    encoding: 'utf8',
    // No NODE_PATH, no way back to this checkout's node_modules.
    env: { PATH: process.env.PATH, HOME: os.tmpdir(), ...opts.env },
  });

describe('the tarball', () => {
  test('holds the bundle, the grammar, LICENSE, man page, completions; no source maps, no TypeScript', () => {
    for (const f of [
      'LICENSE',
      'README.md',
      'package.json',
      'bin/rc-supervise.js',
      'bin/node-check.js',
      'bin/load-bundle.cjs',
      'lib/rc-supervise.cjs',
      'lib/rc-supervise.cjs.cache',
      'lib/daemons.json',
      'lib/worker.js',
      'lib/tree-sitter-bash.wasm',
      'lib/web-tree-sitter.wasm',
      'man/rc-supervise.8',
      'completions/rc-supervise.bash',
      'completions/_rc-supervise',
      'completions/rc-supervise.fish',
      'schema/rc-supervise.schema.json',
    ])
      expect(files).toContain(f);
    expect(files.filter((f) => /\.(map|ts)$/.test(f))).toEqual([]);
    expect(files.filter((f) => f.startsWith('node_modules/'))).toEqual([]);
  });

  test('package.json: the build-time version, no dependencies, repository/bugs/homepage, engines as checked at run time', () => {
    const rel = JSON.parse(readFileSync(path.join(unpacked, 'package.json'), 'utf8'));
    expect(rel.version).toBe(pkg.version);
    expect(rel.dependencies ?? {}).toEqual({});
    expect(rel.repository.url).toMatch(/github\.com\/rc-supervise\/rc-supervise/);
    expect(rel.bugs.url).toMatch(/\/issues$/);
    expect(rel.homepage).toMatch(/^https:\/\//);
    const min = /MIN_NODE = '([\d.]+)'/.exec(readFileSync(path.join(REPO, 'bin/node-check.js'), 'utf8'))![1];
    expect(rel.engines.node).toBe(`>=${min.replace(/\.0$/, '')}`);
    expect(pkg.engines.node).toBe(rel.engines.node);
  });

  test('the bundle does not load the tree-sitter-bash package', () => {
    for (const f of files.filter((f) => f.endsWith('.js')))
      expect(readFileSync(path.join(unpacked, f), 'utf8')).not.toMatch(/tree-sitter-bash\//);
    expect(tree(prefix).filter((f) => f.includes('node_modules/tree-sitter-bash'))).toEqual([]);
  });
});

describe('installed into a prefix, run from /', () => {
  test('--version prints the package version; the install is under 5 MB', () => {
    const r = cli(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${pkg.version}\n`);
    const kb = Number(
      execFileSync('du', ['-sk', path.join(prefix, 'lib/node_modules/rc-supervise')], { encoding: 'utf8' }).split(
        '\t',
      )[0],
    );
    expect(kb).toBeLessThan(5 * 1024);
  });

  test('lint finds what the development tree finds (workers and grammar from the bundle)', () => {
    const dir = tmp('lint');
    cpSync(path.join(REPO, 'examples/gentoo-root/etc'), path.join(dir, 'etc'), {
      recursive: true,
      verbatimSymlinks: true,
    });
    const r = cli(['lint', '-f', 'json', dir], { env: { RC_SUPERVISE_JOBS: '2' } });
    const dev = spawnSync('node', [path.join(REPO, 'bin/rc-supervise.js'), 'lint', '-f', 'json', dir], {
      cwd: '/',
      encoding: 'utf8',
    });
    expect(r.stderr).toBe(dev.stderr);
    expect(r.status).toBe(dev.status);
    expect(JSON.parse(r.stdout).length).toBeGreaterThan(5);
    expect(r.stdout).toBe(dev.stdout);
  });

  test("V8 takes the bundle's code cache; without it, for another bundle, damaged or refused by V8, the output is the same", () => {
    const dir = tmp('cache');
    cpSync(path.join(REPO, 'examples/gentoo-root/etc'), path.join(dir, 'etc'), {
      recursive: true,
      verbatimSymlinks: true,
    });
    const timing = { RC_SUPERVISE_TIMING: '1' };
    const ok = cli(['lint', '-f', 'json', dir], { env: timing });
    expect(ok.stderr).toMatch(/^rc-supervise: timing: code cache accepted\n/);
    expect(JSON.parse(ok.stdout).length).toBeGreaterThan(5);
    // A copy of the installed package, to damage.
    const copy = path.join(tmp('cache-copy'), 'rc-supervise');
    cpSync(path.join(prefix, 'lib/node_modules/rc-supervise'), copy, { recursive: true });
    const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
      spawnSync('node', [path.join(copy, 'bin/rc-supervise.js'), ...args], {
        cwd: '/',
        encoding: 'utf8',
        env: { PATH: process.env.PATH, ...timing, ...env },
      });
    const same = (r: ReturnType<typeof run>, state: string) => {
      expect(r.stderr.split('\n')[0]).toBe(`rc-supervise: timing: code cache ${state}`);
      expect([r.status, r.stdout]).toEqual([ok.status, ok.stdout]);
    };
    // Other V8 flags (V8 checks them): V8 refuses it.
    same(run(['lint', '-f', 'json', dir], { RC_SUPERVISE_V8_DEFAULTS: '1' }), 'rejected by V8');
    const cache = path.join(copy, 'lib/rc-supervise.cjs.cache');
    const good = readFileSync(cache);
    const bytes = Buffer.from(good);
    for (let i = 64; i < bytes.length; i += 97) bytes[i] ^= 0xff;
    writeFileSync(cache, bytes);
    same(run(['lint', '-f', 'json', dir]), 'damaged'); // V8 would crash on these bytes
    // A Node without zlib.crc32 (Node 21, which "engines" lets in) cannot check it: not used.
    const noCrc = path.join(path.dirname(copy), 'no-crc32.mjs');
    writeFileSync(noCrc, "import zlib from 'node:zlib';\ndelete zlib.crc32;\n");
    same(
      run(['lint', '-f', 'json', dir], { NODE_OPTIONS: `--import=${noCrc}` }),
      'unchecked (this Node has no zlib.crc32): not used',
    );
    // A directory where the file should be: cannot be read, not used (it is only a speed-up).
    rmSync(cache);
    mkdirSync(cache);
    same(run(['lint', '-f', 'json', dir]), 'unreadable (EISDIR): not used');
    rmSync(cache, { recursive: true });
    same(run(['lint', '-f', 'json', dir]), 'none');
    // What a packager whose Node differs runs after installing (README): a cache for this Node.
    same(run(['lint', '-f', 'json', dir], { RC_SUPERVISE_CODE_CACHE_OUT: cache }), 'none');
    same(run(['lint', '-f', 'json', dir]), 'accepted');
    // The bundle edited, its length kept (all V8 checks of the source): the new code runs.
    writeFileSync(cache, good);
    const bundle = path.join(copy, 'lib/rc-supervise.cjs');
    const text = readFileSync(bundle, 'utf8');
    expect(text).toContain(`"${pkg.version}"`);
    const other = pkg.version.replace(/\d/g, '9');
    writeFileSync(bundle, text.replace(`"${pkg.version}"`, `"${other}"`));
    const v = run(['--version']);
    expect(v.stderr).toBe('rc-supervise: timing: code cache not for this bundle\n');
    expect(v.stdout).toBe(`${other}\n`);
  });

  test("the bundle's worker thread (lib/worker.js) boots and lints what it is sent", async () => {
    const script = path.join(tmp('worker'), 'sshd');
    writeFileSync(
      script,
      '#!/sbin/openrc-run\nsupervisor=supervise-daemon\ncommand=/usr/sbin/sshd\ncommand_args_foreground=-D\n',
    );
    const driver = `
      import { Worker } from 'node:worker_threads';
      const shared = new SharedArrayBuffer(8);
      const w = new Worker(${JSON.stringify(path.join(prefix, 'lib/node_modules/rc-supervise/lib/worker.js'))},
        { workerData: { shared, slot: 1, kind: 'lint' } });
      w.postMessage({ kind: 'lint', targets: [{ initd: ${JSON.stringify(script)}, confd: null, inInitdTree: false }],
        configs: [{}], configOf: [0] });
      w.once('message', (m) => { process.stdout.write(JSON.stringify(m)); process.exit(0); });
      w.once('error', (e) => { process.stderr.write(String(e)); process.exit(3); });`;
    // A file, not --input-type=module: a worker inherits the flags of its process.
    const file = path.join(path.dirname(script), 'driver.mjs');
    writeFileSync(file, driver);
    const r = spawnSync('node', [file], { cwd: '/', encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const [[index, result]] = JSON.parse(r.stdout) as [number, { findings: { ruleId: string }[] }][];
    expect(index).toBe(0);
    expect(result.findings.map((f) => f.ruleId)).toContain('supervisor-hardcoded');
  });

  test('migrate --all --dry-run on the example system: the documented summary, a diff, nothing written', () => {
    const root = tmp('root');
    cpSync(path.join(REPO, 'examples/gentoo-root'), root, { recursive: true, verbatimSymlinks: true });
    const before = tree(root).join('\n');
    const r = cli(['migrate', '--all', '--dry-run', '--root', root]);
    expect(r.stderr).toMatch(/21 would migrate, 2 already supervised, 9 skipped \(.*\), 1 failed\n$/);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^--- a\/etc\/init\.d\//m);
    expect(tree(root).join('\n')).toBe(before);
  });

  test('an unsupported Node gets a clear message, not a SyntaxError (version check simulated)', () => {
    const fake = path.join(tmp('node18'), 'fake-node18.mjs');
    writeFileSync(
      fake,
      "Object.defineProperty(process, 'versions', { value: { ...process.versions, node: '18.19.1' } });\n",
    );
    const r = spawnSync('node', ['--import', fake, path.join(prefix, 'bin/rc-supervise'), '--version'], {
      cwd: '/',
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      'rc-supervise: Node 18.19.1 is too old: rc-supervise needs Node 20.19.0 or newer (node --version; on Gentoo: emerge --ask net-libs/nodejs; on Alpine: apk add nodejs)\n',
    );
  });
});

describe('man page and completions', () => {
  const hasMan = spawnSync('man', ['--version']).status === 0;
  (hasMan ? test : test.skip)('man -l renders rc-supervise(8) without warnings, with every command and option', () => {
    const r = spawnSync('man', ['-l', path.join(unpacked, 'man/rc-supervise.8')], {
      encoding: 'utf8',
      env: { ...process.env, MANPAGER: 'cat', PAGER: 'cat', MANWIDTH: '100', MAN_KEEP_FORMATTING: '', LANG: 'C.UTF-8' },
    });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const text = r.stdout.replace(/.\x08/g, ''); // overstrike bold/underline
    expect(text).toMatch(/^RC-SUPERVISE\(8\)/);
    for (const s of ['NAME', 'SYNOPSIS', 'COMMANDS', 'EXIT STATUS', 'ENVIRONMENT'])
      expect(text).toMatch(new RegExp(`^${s}$`, 'm'));
    for (const s of ['--dry-run', '--fail-on', '--stdin-filename', '--respawn-delay', '--color', '-q, --quiet'])
      expect(text).toContain(s);
    expect(text).toContain('$ rc-supervise migrate sshd --dry-run');
  });
  if (!hasMan) console.warn('man page test skipped: no `man` on this machine (apt-get install man-db)');

  const complete = (line: string, extra = '') => {
    // COMP_WORDS as bash splits the line; the cursor at its end.
    const script = `source ${JSON.stringify(path.join(unpacked, 'completions/rc-supervise.bash'))}
${extra}
COMP_LINE=${JSON.stringify(line)}
read -ra COMP_WORDS <<< "$COMP_LINE"
[[ $COMP_LINE == *' ' ]] && COMP_WORDS+=('')
COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 ))
_rc_supervise
printf '%s\\n' "\${COMPREPLY[@]}"`;
    return execFileSync('bash', ['--norc', '-c', script], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean)
      .sort();
  };

  test('bash: subcommands', () => {
    expect(complete('rc-supervise ')).toEqual(['explain', 'lint', 'migrate', 'revert', 'rules', 'status']);
    expect(complete('rc-supervise re')).toEqual(['revert']);
  });
  test('bash: flags of the command on the line, and global ones', () => {
    expect(complete('rc-supervise migrate --dr')).toEqual(['--dry-run']);
    expect(complete('rc-supervise lint --f')).toEqual(['--fail-on', '--fix', '--format']);
    expect(complete('rc-supervise status --')).toEqual(
      ['--color', '--help', '--json', '--quiet', '--root', '--version'].sort(),
    );
    expect(complete('rc-supervise lint -f ')).toEqual(['gcc', 'github', 'gitlab', 'json', 'sarif', 'stylish']);
    expect(complete('rc-supervise lint --explain ssd-')).toContain('ssd-signal');
  });
  test('bash: service names from --root, without package-manager leftovers', () => {
    const root = tmp('compl');
    cpSync(path.join(REPO, 'examples/gentoo-root/etc'), path.join(root, 'etc'), {
      recursive: true,
      verbatimSymlinks: true,
    });
    writeFileSync(path.join(root, 'etc/init.d/sshd.apk-new'), '');
    expect(complete(`rc-supervise migrate --root ${root} ss`)).toEqual(['sshd']);
  });
});

describe("distribution packages and make install put the tarball's files in the same places", () => {
  let expected: string[];
  beforeAll(() => {
    expected = expectedInstall(files);
  });

  test('packaging/install.sh (Alpine APKBUILD, make install)', () => {
    const p = tmp('install');
    execFileSync('sh', [path.join(unpacked, 'install.sh'), unpacked, p]);
    expect(tree(p)).toEqual(expected);
    // It runs from the link, as `rc-supervise` on PATH would.
    expect(execFileSync(path.join(p, 'bin/rc-supervise'), ['-V'], { cwd: '/', encoding: 'utf8' })).toBe(
      `${pkg.version}\n`,
    );
  });

  test('Alpine APKBUILD package()', () => {
    const pkgdir = tmp('apk');
    const srcdir = path.dirname(unpacked);
    execFileSync('bash', [
      '-euc',
      `srcdir=${srcdir}; source ${path.join(REPO, 'packaging/alpine/APKBUILD')}; pkgdir=${pkgdir}; package`,
    ]);
    expect(tree(path.join(pkgdir, 'usr'))).toEqual(expected);
    const apk = readFileSync(path.join(REPO, 'packaging/alpine/APKBUILD'), 'utf8');
    expect(apk).toContain(`pkgver=${pkg.version}`);
  });

  test('Gentoo ebuild src_install (with stand-ins for the eclass helpers)', () => {
    const D = tmp('gentoo');
    // Minimal stand-ins for Portage's helpers, as documented in the devmanual: enough to
    // see where each file lands (not a replacement for `ebuild ... install`).
    const helpers = `
ED=${D}; D=${D}; _into=/usr
insinto() { _into=$1; }
doins() { local r=; [[ $1 == -r ]] && { r=-R; shift; }; mkdir -p "$ED$_into"; cp $r "$@" "$ED$_into/"; }
fperms() { chmod "$1" "$ED$2"; }
dosym() { mkdir -p "$ED$(dirname "$2")"; ln -s "$1" "$ED$2"; }
doman() { mkdir -p "$ED/usr/share/man/man8"; cp "$1" "$ED/usr/share/man/man8/"; }
newbashcomp() { mkdir -p "$ED/usr/share/bash-completion/completions"; cp "$1" "$ED/usr/share/bash-completion/completions/$2"; }
dozshcomp() { mkdir -p "$ED/usr/share/zsh/site-functions"; cp "$@" "$ED/usr/share/zsh/site-functions/"; }
dofishcomp() { mkdir -p "$ED/usr/share/fish/vendor_completions.d"; cp "$@" "$ED/usr/share/fish/vendor_completions.d/"; }
dodoc() { mkdir -p "$ED/usr/share/doc/rc-supervise"; cp "$@" "$ED/usr/share/doc/rc-supervise/"; }
inherit() { :; }
`;
    const ebuild = path.join(REPO, `packaging/gentoo/app-admin/rc-supervise/rc-supervise-${pkg.version}.ebuild`);
    expect(existsSync(ebuild)).toBe(true);
    execFileSync('bash', [
      '-euc',
      `${helpers}\nPV=${pkg.version}; P=rc-supervise-${pkg.version}; WORKDIR=${path.dirname(unpacked)}\nsource ${ebuild}\ncd "$S"\nsrc_install`,
    ]);
    expect(tree(path.join(D, 'usr'))).toEqual(expected);
  });

  test('make install PREFIX=...', () => {
    const p = tmp('make');
    execFileSync('make', ['-s', 'install', `PREFIX=${p}`], { cwd: REPO, stdio: 'pipe' });
    expect(tree(p)).toEqual(expected);
  });
});

test('what the build, the release and the tests write is ignored by git (the README commands leave git status clean)', () => {
  const out = execFileSync('git', ['status', '--porcelain', '--', 'release', 'dist', '.cache'], {
    cwd: REPO,
    encoding: 'utf8',
  });
  expect(out).toBe('');
  expect(
    execFileSync('git', ['check-ignore', 'release/x.tgz', 'dist/x.js', '.cache/x'], { cwd: REPO, encoding: 'utf8' })
      .trim()
      .split('\n'),
  ).toHaveLength(3);
});

describe('zsh and fish completions parse (Debian zsh and fish unpacked by scripts/fetch-shells.sh)', () => {
  let shells: string | null = null;
  beforeAll(() => {
    const r = spawnSync('bash', [path.join(REPO, 'scripts/fetch-shells.sh')], { encoding: 'utf8' });
    shells = r.status === 0 ? r.stdout.trim() : null;
    if (!shells) console.warn(`zsh/fish checks skipped: scripts/fetch-shells.sh failed: ${r.stderr}`);
  }, 120_000);
  test('zsh -n _rc-supervise', () => {
    if (!shells) return;
    const zsh = [path.join(shells, 'root/bin/zsh'), path.join(shells, 'root/usr/bin/zsh')].find(existsSync)!;
    const r = spawnSync(zsh, ['-n', path.join(unpacked, 'completions/_rc-supervise')], { encoding: 'utf8' });
    expect([r.status, r.stderr]).toEqual([0, '']);
  });
  test('fish -n rc-supervise.fish', () => {
    if (!shells) return;
    const r = spawnSync(
      path.join(shells, 'root/usr/bin/fish'),
      ['--no-config', '-n', path.join(unpacked, 'completions/rc-supervise.fish')],
      {
        encoding: 'utf8',
        env: { ...process.env, LD_LIBRARY_PATH: path.join(shells, 'root/usr/lib/x86_64-linux-gnu') },
      },
    );
    expect([r.status, r.stderr]).toEqual([0, '']);
  });
});
