import { closeSync, constants, existsSync, openSync, promises as fs, readdirSync, readSync } from 'node:fs';
import path from 'node:path';
import { repoPackages, scanPackage, type EbuildPackage } from '../discover/ebuild-repo.js';
import { EXIT, RcError } from '../errors.js';

export interface LintTarget {
  initd: string;
  confd: string | null;
  /** The file sits in an etc/init.d tree, where its mode matters. */
  inInitdTree: boolean;
  /** Found by its name, without reading it: the linter skips it quietly if it is binary. */
  byName?: boolean;
  /** Installed service name, when an ebuild's newinitd says it. */
  name?: string;
}

/** Named like an init script: enough on its own. */
const INIT_NAME = /(\.initd|-initd|\.initd-r\d+)$/;
/** `.init` / `.rc`: other tools use these too (Metasploit resource scripts, Xfce, s6): a shebang is needed. */
const WEAK_NAME = /(\.init|\.rc)$/;
/** An OpenRC shebang; blank space before it is allowed here so that shebang-not-first can report it. */
const SHEBANG = /^(?:\uFEFF)?\s*#!\s*\S*\/(openrc-run|runscript)(\s|$)/;

const HEAD = Buffer.alloc(128);

/** How long discovery works before it lets the event loop turn (ms). */
const YIELD_MS = 4;

/** The first bytes of a file as text; null when unreadable or binary. Synchronous: see readScriptSync. */
function head(p: string): string | null {
  let fd: number | undefined;
  try {
    fd = openSync(p, constants.O_RDONLY | constants.O_NONBLOCK);
    const n = readSync(fd, HEAD, 0, HEAD.length, 0);
    const b = HEAD.subarray(0, n);
    return b.includes(0) ? null : b.toString('utf8');
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function confdFor(initd: string, files: Set<string>): string | null {
  const dir = path.dirname(initd);
  const base = path.basename(initd);
  if (path.basename(dir) === 'init.d') {
    const c = path.join(path.dirname(dir), 'conf.d', base);
    return files.has(c) ? c : null;
  }
  const stem = base.replace(INIT_NAME, '').replace(WEAK_NAME, '');
  // Not `<stem>.conf`: that is usually the daemon's own configuration file.
  for (const cand of [`${stem}.confd`, `${stem.replace(/-r\d+$/, '')}.confd`, `${stem}-confd`]) {
    const c = path.join(dir, cand);
    if (files.has(c)) return c;
  }
  return null;
}

/**
 * Regular files under `dir`, recursively: hidden entries (`.git`, `.svn`, dotfiles) and
 * `node_modules` skipped, symlinks neither followed nor listed (a symlinked script is linted
 * where it really lives). A plain synchronous walk: it reads each directory once, where a glob
 * library costs 20-30 ms to load and, asynchronously, 4x the time (`npm run bench`).
 */
export function walkFiles(dir: string, out: string[] = []): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return out; // removed while we walked
    throw new RcError(`${dir}: cannot list directory (${code ?? (e as Error).message})`, EXIT.INPUT, dir);
  }
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walkFiles(p, out);
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** An ebuild repository's root: there init scripts live only in <cat>/<pkg>/files/. */
function isRepoRoot(dir: string): boolean {
  return existsSync(path.join(dir, 'profiles/repo_name')) || existsSync(path.join(dir, 'metadata/layout.conf'));
}

/** The package directory of a file under some `<pkg>/files/`, when that package has ebuilds. */
function packageOf(f: string, ebuildDirs: Map<string, boolean>): string | null {
  let d = path.dirname(f);
  for (;;) {
    const up = path.dirname(d);
    if (up === d) return null;
    if (path.basename(d) === 'files') {
      let has = ebuildDirs.get(up);
      if (has === undefined) {
        try {
          has = readdirSync(up).some((n) => n.endsWith('.ebuild'));
        } catch {
          has = false;
        }
        ebuildDirs.set(up, has);
      }
      if (has) return up;
    }
    d = up;
  }
}

function fromPackage(pkg: EbuildPackage): LintTarget[] {
  // A file installed under several names is linted once: with a conf.d if any pairing has one.
  const byFile = new Map<string, LintTarget>();
  for (const s of pkg.services) {
    const prev = byFile.get(s.initd);
    if (prev && (prev.confd || !s.confd)) continue;
    // `foo.initd.head` / `.tail`: pieces an ebuild concatenates, not scripts (unless an ebuild installs one as is).
    if (s.via === 'name' && /\.(head|tail)$/.test(s.initd)) continue;
    // `files/**/etc/init.d/x`: an etc tree the ebuild copies as it is (modes included), not a
    // file newinitd/doinitd installs with mode 0755: its mode matters, its conf.d is etc/conf.d/x.
    const etcTree = /\/etc\/init\.d\/[^/]+$/.test(s.initd);
    const etcConfd = path.join(path.dirname(path.dirname(s.initd)), 'conf.d', path.basename(s.initd));
    byFile.set(s.initd, {
      initd: s.initd,
      confd: s.confd ?? (etcTree && existsSync(etcConfd) ? etcConfd : null),
      inInitdTree: etcTree,
      byName: true,
      name: s.name,
    });
  }
  return [...byFile.values()];
}

/**
 * Init scripts under the given paths, each paired with its conf.d. In an ebuild repository
 * (profiles/repo_name or metadata/layout.conf) only packages' `files/` are looked at, and the
 * ebuilds' newinitd/newconfd/doinitd/doconfd lines say which file is which
 * (src/discover/ebuild-repo.ts); files there get their mode from the ebuild. Elsewhere the
 * whole tree is walked: `etc/init.d/*`, files named `*.initd`/`*-initd`, and files named
 * `*.rc`/`*.init` or anything else with an openrc-run shebang; a package directory met on the
 * way (`files/` beside `*.ebuild`) is read as in a repository. `.git` and `node_modules` are
 * skipped, binary files never count. `onFound` hears how many have been found so far, as
 * they are (lint starts its workers once there are enough).
 */
export async function discover(paths: string[], onFound?: (n: number) => void): Promise<LintTarget[]> {
  const found = new Map<string, LintTarget>();
  const add = (t: LintTarget) => {
    if (found.has(t.initd)) return;
    found.set(t.initd, t);
    onFound?.(found.size);
  };
  for (const p of paths) {
    const st = await fs.stat(p);
    if (st.isDirectory() && isRepoRoot(p)) {
      let turned = performance.now();
      for (const pkg of repoPackages(p)) {
        for (const t of fromPackage(pkg)) add(rel(p, t));
        // The grammar compiles in background threads meanwhile (src/parse/parser.ts), but each
        // of its loading steps waits for this thread's event loop: let it turn now and then.
        if (performance.now() - turned > YIELD_MS) {
          await new Promise((resolve) => setImmediate(resolve));
          turned = performance.now();
        }
      }
      continue;
    }
    const files = st.isDirectory() ? walkFiles(p) : [p];
    const set = new Set(files);
    const ebuildDirs = new Map<string, boolean>();
    const scanned = new Set<string>();
    for (const f of files.sort()) {
      const pkg = st.isDirectory() ? packageOf(f, ebuildDirs) : null;
      if (pkg) {
        if (!scanned.has(pkg)) {
          scanned.add(pkg);
          const abs = path.resolve(pkg);
          for (const t of fromPackage(scanPackage(abs))) add(rel(pkg, t, abs));
        }
        continue;
      }
      const dirName = path.basename(path.dirname(f));
      if (/\.confd$/.test(f) || dirName === 'conf.d') continue;
      const inInitdTree = dirName === 'init.d';
      // Named like an init script: no need to open it here (reading the head of thousands
      // of files cost more than linting them); other files need their shebang.
      if (INIT_NAME.test(f) || inInitdTree) {
        add({ initd: f, confd: confdFor(f, set), inInitdTree, byName: true });
        continue;
      }
      const h = head(f);
      if (h !== null && SHEBANG.test(h)) add({ initd: f, confd: confdFor(f, set), inInitdTree });
    }
  }
  return [...found.values()].sort((a, b) => (a.initd < b.initd ? -1 : a.initd > b.initd ? 1 : 0));
}

/** Paths from the ebuild scanner (absolute) shown as the user gave the directory. */
function rel(given: string, t: LintTarget, abs = path.resolve(given)): LintTarget {
  const back = (x: string) => path.join(given, path.relative(abs, x));
  return { ...t, initd: back(t.initd), confd: t.confd && back(t.confd) };
}
