/**
 * Which Debian package ships a daemon, and its unpacked tree: the package and the
 * dependencies the host lacks, fetched with `apt-get download` and unpacked with
 * `dpkg-deb -x` into .cache/verify-daemons/ (merged-/usr layout, like
 * scripts/fetch-openrc.sh). Nothing is installed.
 *
 * Binary -> package comes from apt-file's Contents index (`apt-file search -x`), one search
 * for all binaries; PACKAGE_PREFERENCE settles binaries that several packages ship.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  cpSync,
  symlinkSync,
} from 'node:fs';
import path from 'node:path';

export interface Candidate {
  pkg: string;
  file: string;
}

/** Debian's directories for programs a service runs (apt-file paths have no leading slash issues). */
export const BIN_DIRS = ['/usr/sbin', '/usr/bin', '/sbin', '/bin', '/usr/libexec'];

/**
 * Where several packages ship the same binary: the one a plain system would have
 * (the smallest / default flavour). Keyed by binary basename.
 */
export const PACKAGE_PREFERENCE: Record<string, string> = {
  exim4: 'exim4-daemon-light',
  exim: 'exim4-daemon-light',
  nginx: 'nginx-core',
  sshd: 'openssh-server',
  ntpd: 'ntpsec',
  'syslog-ng': 'syslog-ng-core',
  dnsmasq: 'dnsmasq-base',
  rngd: 'rng-tools5',
  innd: 'inn2',
  dhcpcd: 'dhcpcd-base',
  mysqld: 'mariadb-server',
  smtpd: 'opensmtpd',
  named: 'bind9',
  dhcpd: 'isc-dhcp-server',
  garbd: 'galera-arbitrator-4',
};

/** Binaries whose Debian namesake is another program altogether. */
export const NOT_THIS_DAEMON: Record<string, string> = {
  diamond: "Debian's diamond (diamond-aligner) is the DIAMOND sequence aligner, not the Diamond metrics daemon",
};

/** Parse `apt-file search` output ("pkg: /path" per line) into basename -> candidates. */
export function parseAptFile(text: string): Map<string, Candidate[]> {
  const out = new Map<string, Candidate[]>();
  for (const line of text.split('\n')) {
    const m = /^([a-z0-9][a-z0-9+.-]*): (\/\S+)$/.exec(line.trim());
    if (!m) continue;
    const base = path.posix.basename(m[2]);
    const list = out.get(base) ?? [];
    if (!list.some((c) => c.pkg === m[1] && c.file === m[2])) list.push({ pkg: m[1], file: m[2] });
    out.set(base, list);
  }
  return out;
}

/**
 * The package for one binary: the preference table, else the only package, else the one
 * named like the binary; several others stay ambiguous (undefined, with the list).
 */
export function choosePackage(binary: string, cands: Candidate[] | undefined): { pkg?: Candidate; why?: string } {
  if (Object.prototype.hasOwnProperty.call(NOT_THIS_DAEMON, binary)) return { why: NOT_THIS_DAEMON[binary] };
  if (!cands || cands.length === 0) return { why: `no Debian package ships ${binary} in ${BIN_DIRS.join(', ')}` };
  // /usr/sbin before /usr/bin: a daemon's sbin copy is the one init scripts run
  const byDir = (c: Candidate) => BIN_DIRS.indexOf(path.posix.dirname(c.file));
  const sorted = [...cands].sort((a, b) => byDir(a) - byDir(b) || a.pkg.localeCompare(b.pkg));
  const pref = PACKAGE_PREFERENCE[binary];
  const hit = pref ? sorted.find((c) => c.pkg === pref) : undefined;
  if (hit) return { pkg: hit };
  const pkgs = [...new Set(sorted.map((c) => c.pkg))];
  if (pkgs.length === 1) return { pkg: sorted[0] };
  const named = sorted.find((c) => c.pkg === binary);
  if (named) return { pkg: named };
  return { why: `ambiguous: ${pkgs.join(', ')} ship ${binary}` };
}

/** One search over every binary name; apt-file must be installed and updated. */
export function aptFileLookup(binaries: string[]): Map<string, Candidate[]> {
  const names = [...new Set(binaries)].map((b) => b.replace(/[.+]/g, '\\$&'));
  if (names.length === 0) return new Map();
  const re = `^/(usr/)?(s?bin|libexec)/(${names.join('|')})$`;
  const r = spawnSync('apt-file', ['search', '-x', re], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw new Error(`apt-file: ${r.error.message} (apt-get install apt-file && apt-file update)`);
  // exit 1 = nothing found
  if (r.status !== 0 && r.status !== 1) throw new Error(`apt-file search failed (${r.status}): ${r.stderr}`);
  return parseAptFile(r.stdout);
}

// ---------------------------------------------------------------------------------------------
// Dependencies

/** "a (>= 1) | b:any, c" -> [["a","b"],["c"]] (versions and architecture qualifiers dropped). */
export function parseDepends(field: string | undefined): string[][] {
  if (!field?.trim()) return [];
  return field.split(',').map((clause) =>
    clause
      .split('|')
      .map((alt) =>
        alt
          .trim()
          .replace(/\s*\(.*?\)/g, '')
          .replace(/\s*\[.*?\]/g, '')
          .replace(/\s*<.*?>/g, ''),
      )
      .map((alt) => alt.replace(/:(any|native|amd64)$/, '').trim())
      .filter(Boolean),
  );
}

/** Stanzas of `apt-cache show` / dpkg status text: field name -> value (continuations joined). */
export function parseStanzas(text: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const block of text.split(/\n\s*\n/)) {
    const rec: Record<string, string> = {};
    let last = '';
    for (const line of block.split('\n')) {
      if (/^\s/.test(line) && last) rec[last] += '\n' + line.trim();
      else {
        const m = /^([A-Za-z0-9-]+):\s?(.*)$/.exec(line);
        if (m) {
          last = m[1];
          rec[last] = m[2];
        }
      }
    }
    if (rec.Package) out.push(rec);
  }
  return out;
}

/**
 * Packages never needed to run a daemon binary from its unpacked tree: maintainer-script
 * helpers and init systems (their absence cannot make the binary misbehave).
 */
export const SKIP_DEPS = new Set([
  'debconf',
  'debconf-2.0',
  'adduser',
  'init-system-helpers',
  'lsb-base',
  'sysvinit-utils',
  'systemd',
  'systemd-sysv',
  'systemd-standalone-sysusers',
  'systemd-sysusers',
  'ucf',
  'logrotate',
  'cron',
  'cron-daemon',
  'default-mta',
  'mail-transport-agent',
  'exim4',
  'exim4-daemon-light',
  'lsb-release',
  'dbus',
  'dbus-system-bus',
  'dbus-bin',
  'dbus-daemon',
  'netbase',
  'sensible-utils',
  'procps',
  'libpam-runtime',
  'passwd',
  'login',
  'openssl',
  'ssl-cert',
  'ca-certificates',
  'python3-minimal',
  'tzdata',
]);

interface PkgInfo {
  pkg: string;
  version: string;
  depends: string[][];
  installedSize: number;
}

export interface Installed {
  names: Set<string>;
  provides: Set<string>;
}

/** What dpkg has installed on the host (names and what they provide). */
export function hostInstalled(): Installed {
  const out = execFileSync('dpkg-query', ['-W', '-f', '${Package}\t${db:Status-Status}\t${Provides}\n'], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const names = new Set<string>();
  const provides = new Set<string>();
  for (const line of out.split('\n')) {
    const [name, status, prov] = line.split('\t');
    if (status !== 'installed') continue;
    names.add(name);
    for (const alts of parseDepends(prov)) for (const p of alts) provides.add(p);
  }
  return { names, provides };
}

/** apt-cache answers, kept for the whole run (null: no such real package). */
const showCache = new Map<string, PkgInfo | null>();

function aptShow(pkgs: string[]): Map<string, PkgInfo> {
  const ask = pkgs.filter((p) => !showCache.has(p));
  if (ask.length) {
    const r = spawnSync('apt-cache', ['show', '--no-all-versions', ...ask], { encoding: 'utf8', maxBuffer: 64 << 20 });
    for (const st of parseStanzas(r.stdout ?? '')) {
      if (showCache.get(st.Package)) continue;
      showCache.set(st.Package, {
        pkg: st.Package,
        version: st.Version,
        depends: [...parseDepends(st['Pre-Depends']), ...parseDepends(st.Depends)],
        installedSize: Number(st['Installed-Size'] ?? 0),
      });
    }
    for (const p of ask) if (!showCache.has(p)) showCache.set(p, null);
  }
  const out = new Map<string, PkgInfo>();
  for (const p of pkgs) {
    const i = showCache.get(p);
    if (i) out.set(p, i);
  }
  return out;
}

/** First package providing a virtual name, or undefined. */
function providerOf(virtual: string): string | undefined {
  const r = spawnSync('apt-cache', ['showpkg', virtual], { encoding: 'utf8' });
  const m = /Reverse Provides:\s*\n(\S+)/.exec(r.stdout ?? '');
  return m?.[1];
}

export interface Closure {
  /** package -> version, the daemon's package first */
  packages: Map<string, string>;
  installedKb: number;
  /** dependency clauses nothing satisfied (virtual with no provider) */
  unsatisfied: string[];
}

/**
 * The packages plus every dependency (Depends, Pre-Depends; recursively) the host lacks.
 * Of alternatives the first is taken, unless one is installed already.
 */
export function dependencyClosure(roots: string[], host: Installed): Closure {
  const packages = new Map<string, string>();
  const unsatisfied: string[] = [];
  let installedKb = 0;
  let queue = [...roots];
  const seen = new Set<string>(roots);
  const satisfied = (name: string) => host.names.has(name) || host.provides.has(name);
  while (queue.length) {
    const infos = aptShow(queue);
    const next: string[] = [];
    for (const name of queue) {
      let info = infos.get(name);
      if (!info) {
        // a virtual package: its first provider
        const prov = roots.includes(name) ? undefined : providerOf(name);
        if (prov && !seen.has(prov) && !satisfied(prov) && !SKIP_DEPS.has(prov)) {
          seen.add(prov);
          next.push(prov);
        } else if (!prov) {
          if (roots.includes(name)) throw new Error(`apt-cache knows no package ${name}`);
          unsatisfied.push(name);
        }
        continue;
      }
      if (packages.has(name)) continue;
      packages.set(name, info.version);
      installedKb += info.installedSize;
      for (const alts of info.depends) {
        if (alts.some((a) => satisfied(a) || seen.has(a) || SKIP_DEPS.has(a))) continue;
        seen.add(alts[0]);
        next.push(alts[0]);
      }
      info = undefined;
    }
    queue = next;
  }
  return { packages, installedKb, unsatisfied };
}

// ---------------------------------------------------------------------------------------------
// Fetch + unpack

/**
 * Download (once, into `debs`) and unpack every package of the closure into `tree` (a
 * marker names the package list: a different list unpacks again). Returns the tree path.
 */
export function unpackTree(closure: Closure, debs: string, tree: string): string {
  // v2: trees unpacked before the BLAS/LAPACK links were made are unpacked again
  const stamp = 'v2 ' + [...closure.packages].map(([p, v]) => `${p}=${v}`).join(' ');
  const marker = path.join(tree, '.verify-daemons.done');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === stamp) return tree;
  mkdirSync(debs, { recursive: true });
  const have = new Set(readdirSync(debs));
  const debName = (p: string, v: string) => {
    // apt-get download names files pkg_version-with-colon-escaped_arch.deb
    const ev = v.replace(/:/g, '%3a');
    return [...have].find((f) => f.startsWith(`${p}_${ev}_`));
  };
  const missing = [...closure.packages].filter(([p, v]) => !debName(p, v)).map(([p, v]) => `${p}=${v}`);
  if (missing.length) {
    const r = spawnSync('apt-get', ['download', '-qq', '-o', 'APT::Sandbox::User=root', ...missing], {
      cwd: debs,
      encoding: 'utf8',
      timeout: 600_000,
    });
    if (r.status !== 0) throw new Error(`apt-get download failed: ${r.stderr || r.stdout}`);
    for (const f of readdirSync(debs)) have.add(f);
  }
  const stage = `${tree}.tmp`;
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  for (const [p, v] of closure.packages) {
    const f = debName(p, v);
    if (!f) throw new Error(`${p}=${v} not downloaded`);
    execFileSync('dpkg-deb', ['-x', path.join(debs, f), stage]);
  }
  // Merged-/usr, like the host: bin, sbin, lib* move under usr/ (as scripts/fetch-openrc.sh does).
  for (const d of ['bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32']) {
    const top = path.join(stage, d);
    if (existsSync(top)) {
      mkdirSync(path.join(stage, 'usr', d), { recursive: true });
      cpSync(top, path.join(stage, 'usr', d), { recursive: true, verbatimSymlinks: true });
      rmSync(top, { recursive: true, force: true });
    }
  }
  linkAlternatives(stage);
  writeFileSync(path.join(stage, '.verify-daemons.done'), stamp);
  rmSync(tree, { recursive: true, force: true });
  renameSync(stage, tree);
  return tree;
}

/**
 * BLAS and LAPACK reach their users through update-alternatives links
 * (libblas.so.3 -> blas/libblas.so.3) that the postinst creates, not dpkg-deb -x: make them.
 */
function linkAlternatives(stage: string): void {
  const lib = path.join(stage, 'usr/lib/x86_64-linux-gnu');
  for (const sub of ['blas', 'lapack']) {
    const dir = path.join(lib, sub);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) {
      const link = path.join(lib, f);
      if (/\.so\.\d+$/.test(f) && !existsSync(link)) symlinkSync(`${sub}/${f}`, link);
    }
  }
}

/** Libraries `binary` (inside `tree`) still cannot find, host libraries + the tree's counted. */
export function missingLibraries(tree: string, binary: string, openrcTree: string): string[] {
  const dirs: string[] = [];
  for (const t of [tree, openrcTree]) {
    for (const base of ['usr/lib', 'usr/lib/x86_64-linux-gnu']) {
      const d = path.join(t, base);
      if (existsSync(d)) dirs.push(d);
    }
  }
  const file = path.join(tree, binary);
  const head = readFileSync(file).subarray(0, 4);
  if (head.toString('latin1') !== '\x7fELF') return []; // a script: its interpreter is checked at run time
  const r = spawnSync('ldd', [file], { encoding: 'utf8', env: { ...process.env, LD_LIBRARY_PATH: dirs.join(':') } });
  return (r.stdout ?? '')
    .split('\n')
    .filter((l) => l.includes('not found'))
    .map((l) => l.trim().split(/\s/)[0]);
}
