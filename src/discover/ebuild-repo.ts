/**
 * An ebuild repository mapped into services: which file of a package's `files/` is
 * installed as which init script, with which conf.d, and which systemd units ship beside it.
 *
 * The ebuilds say it first: `newinitd <src> <name>`, `doinitd <src>...`, `newconfd <src> <name>`,
 * `doconfd <src>...` (and `systemd_newunit` / `systemd_dounit` for units) are read with the
 * static variables an ebuild always has (`FILESDIR`, `PN`, `P`, `PV`, `PR`, `PVR`, `PF`,
 * `CATEGORY`) and the package's own plain top-level assignments. A word that needs anything
 * else (a loop variable, `$(...)`, a pipe into `newinitd -`) is unknown, and the line is skipped:
 * never guessed. Files no resolved line names are then paired by name (`foo.initd` ↔
 * `foo.confd`, `foo.initd.2` ↔ `foo.confd`, `foo.conf.d-r1`, `foo-confd`); a file named only
 * `*.init` / `*.rc`, or not named like an init script at all, needs an OpenRC shebang.
 *
 * Layouts: `<repo>/<cat>/<pkg>/`, Funtoo kit-fixups' `<kit>/<branch>/<cat>/<pkg>/`, and a
 * directory holding several repositories: a package is any directory with `*.ebuild` files
 * or a `files/` directory, wherever it sits.
 */
import { closeSync, constants, existsSync, openSync, readdirSync, readFileSync, readSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';

export const OPENRC_SHEBANG = /^(?:\uFEFF)?#!\s*\S*\/(openrc-run|runscript)(\s|$)/;
const VALID_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.@+-]*$/;

export interface UnitFile {
  /** Absolute path of the unit in `files/`. */
  path: string;
  /** Installed name (`systemd_newunit`'s second word, else the file name). */
  name: string;
}

export interface RepoService {
  /** Installed service name: /etc/init.d/<name>. */
  name: string;
  /** Absolute path of the init script's source in files/. */
  initd: string;
  /** Absolute path of its conf.d source, or null. */
  confd: string | null;
  /** How the pair was found: an ebuild line, or file names alone. */
  via: 'ebuild' | 'name';
  /** Package directory (absolute). */
  pkgDir: string;
  /** The units in the same files/ (systemd units a package ships, installed whatever the init system). */
  units: UnitFile[];
}

export interface EbuildPackage {
  /** Absolute package directory. */
  dir: string;
  category: string;
  pn: string;
  ebuilds: string[];
  services: RepoService[];
  units: UnitFile[];
}

/** `dir` looks like an ebuild repository (or one of kit-fixups' kits): profiles/repo_name, metadata/layout.conf, or <cat>/<pkg>/files. */
export function isEbuildRepo(dir: string): boolean {
  if (existsSync(path.join(dir, 'profiles/repo_name')) || existsSync(path.join(dir, 'metadata/layout.conf')))
    return true;
  for (const cat of subdirs(dir)) for (const pkg of subdirs(cat)) if (isDir(path.join(pkg, 'files'))) return true;
  return false;
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function entries(dir: string): Entries {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

function subdirs(dir: string): string[] {
  return entries(dir)
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => path.join(dir, e.name));
}

/** Repository plumbing, never a package. */
const NOT_PACKAGES = new Set(['profiles', 'metadata', 'eclass', 'licenses', 'node_modules', 'files']);

/** A directory's entries as discovery read them: a package's listing is read once, by the walk that finds it. */
export type Entries = Dirent[];

/** Package directories under `dir` (sorted): any directory with `*.ebuild` files or a `files/` directory. */
export function findPackages(dir: string): string[] {
  return [...packageListings(dir)].map((p) => p.dir);
}

/** findPackages, with each package directory's entries, one at a time (in order). */
function* packageListings(dir: string, depth = 0): Generator<{ dir: string; ents: Entries }> {
  const ents = entries(dir);
  const isPkg = ents.some((e) => (e.isFile() && e.name.endsWith('.ebuild')) || (e.isDirectory() && e.name === 'files'));
  if (isPkg && depth > 0) {
    yield { dir, ents };
    return;
  }
  if (depth >= 8) return;
  for (const e of ents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (!e.isDirectory() || e.name.startsWith('.') || NOT_PACKAGES.has(e.name)) continue;
    yield* packageListings(path.join(dir, e.name), depth + 1);
  }
}

/** Every regular file under `dir`, recursively (files/ may have version subdirectories). */
function filesUnder(dir: string, out: string[] = []): string[] {
  for (const e of entries(dir)) {
    if (e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) filesUnder(p, out);
    else if (e.isFile()) out.push(p);
  }
  return out;
}

const HEAD = Buffer.alloc(128);
function head(p: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(p, constants.O_RDONLY | constants.O_NONBLOCK);
    const n = readSync(fd, HEAD, 0, HEAD.length, 0);
    return HEAD.subarray(0, n).toString('utf8');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The variables every ebuild has, from the package directory and the ebuild's file name. */
export function ebuildVars(pkgDir: string, ebuildFile: string): Record<string, string> {
  const pn = path.basename(pkgDir);
  const category = path.basename(path.dirname(pkgDir));
  const vars: Record<string, string> = { FILESDIR: path.join(pkgDir, 'files'), PN: pn, CATEGORY: category };
  const stem = path.basename(ebuildFile).replace(/\.ebuild$/, '');
  if (stem.startsWith(`${pn}-`)) {
    const pvr = stem.slice(pn.length + 1);
    const m = /^(.*?)(?:-(r\d+))?$/.exec(pvr)!;
    const pv = m[1];
    const pr = m[2] ?? 'r0';
    Object.assign(vars, { PV: pv, PR: pr, PVR: pvr, P: `${pn}-${pv}`, PF: `${pn}-${pvr}` });
  }
  return vars;
}

/**
 * Shell words of `s` up to the end of the simple command (`;`, `&&`, `||`, `|`, `#`, `)`),
 * each expanded with `vars`; null for a word that cannot be resolved statically.
 */
export function staticWords(s: string, vars: Record<string, string>): (string | null)[] {
  const words: (string | null)[] = [];
  let i = 0;
  const n = s.length;
  while (i < n) {
    while (i < n && (s[i] === ' ' || s[i] === '\t')) i++;
    if (i >= n || ';&|#)\n'.includes(s[i])) break;
    let w = '';
    let ok = true;
    // one word: unquoted, "double" and 'single' parts glued together
    while (i < n && !' \t;&|)\n'.includes(s[i])) {
      const ch = s[i];
      if (ch === "'") {
        const j = s.indexOf("'", i + 1);
        if (j < 0) return [...words, null];
        w += s.slice(i + 1, j);
        i = j + 1;
      } else if (ch === '"') {
        i++;
        while (i < n && s[i] !== '"') {
          if (s[i] === '\\' && i + 1 < n) {
            w += s[i + 1];
            i += 2;
          } else if (s[i] === '$') {
            const r = expandAt(s, i, vars);
            if (r.value === null) ok = false;
            else w += r.value;
            i = r.end;
          } else if (s[i] === '`') {
            ok = false;
            i++;
          } else w += s[i++];
        }
        if (i >= n) return [...words, null];
        i++;
      } else if (ch === '\\' && i + 1 < n) {
        w += s[i + 1];
        i += 2;
      } else if (ch === '$') {
        const r = expandAt(s, i, vars);
        if (r.value === null) ok = false;
        else w += r.value;
        i = r.end;
      } else if ('`*?[{<>'.includes(ch)) {
        // command substitution, globs, brace expansion, redirections: not static
        ok = false;
        i++;
      } else w += s[i++];
    }
    words.push(ok ? w : null);
  }
  return words;
}

/** `$NAME`, `${NAME}` at s[i]; anything else (`${X:-y}`, `$(...)`, `$1`) is unknown. */
function expandAt(s: string, i: number, vars: Record<string, string>): { value: string | null; end: number } {
  const braced = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}/.exec(s.slice(i));
  const plain = braced ? null : /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(s.slice(i));
  const m = braced ?? plain;
  if (!m) {
    // skip a whole ${...} or $(...) so its inside is not read as words
    const open = s[i + 1];
    const close = open === '{' ? '}' : open === '(' ? ')' : null;
    if (close) {
      let depth = 0;
      for (let j = i + 1; j < s.length; j++) {
        if (s[j] === open) depth++;
        else if (s[j] === close && --depth === 0) return { value: null, end: j + 1 };
      }
      return { value: null, end: s.length };
    }
    return { value: null, end: i + 2 };
  }
  const v = Object.prototype.hasOwnProperty.call(vars, m[1]) ? vars[m[1]] : undefined;
  return { value: v ?? null, end: i + m[0].length };
}

export type InstallKind = 'initd' | 'confd' | 'unit';
export interface InstallLine {
  kind: InstallKind;
  /** Absolute source path (resolved, normalised). */
  src: string;
  /** Installed name. */
  name: string;
  line: number;
}

const INSTALL_CMD =
  /(?:^\s*|[;&|({]\s*|\b(?:then|do|else)\s+)(newinitd|doinitd|newconfd|doconfd|systemd_newunit|systemd_dounit)[ \t]+(.*)$/;

/**
 * Plain top-level `NAME=value` assignments of an ebuild that resolve statically (MY_PN="foo");
 * a name assigned twice with different values is left out (unknown, not guessed).
 */
function ebuildAssignments(text: string, base: Record<string, string>): Record<string, string> {
  const vars = { ...base };
  const seen = new Map<string, string | null>();
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m || m[1] in base) continue;
    const words = staticWords(m[2], vars);
    const v = words.length === 1 ? words[0] : words.length === 0 ? '' : null;
    const prev = seen.get(m[1]);
    seen.set(m[1], prev === undefined || prev === v ? v : null);
    if (seen.get(m[1]) !== null && v !== null) vars[m[1]] = v;
    else delete vars[m[1]];
  }
  return vars;
}

/** The install lines of one ebuild whose source and name resolve to a file in `files/`. */
export function installLines(text: string, vars: Record<string, string>): InstallLine[] {
  const out: InstallLine[] = [];
  // The package's own assignments are read only for a line the static variables leave
  // unresolved: they never override those (ebuildAssignments), so a line that resolves
  // without them resolves the same with them.
  let all: Record<string, string> | undefined;
  const filesdir = path.normalize(vars.FILESDIR) + path.sep;
  const lines = text.split('\n');
  for (const [idx, raw] of lines.entries()) {
    if (!MAY_INSTALL.test(raw) || /^\s*#/.test(raw)) continue;
    const m = INSTALL_CMD.exec(raw);
    if (!m) continue;
    const cmd = m[1];
    let words = staticWords(m[2], vars);
    if (words.includes(null)) words = staticWords(m[2], (all ??= ebuildAssignments(text, vars)));
    const kind: InstallKind = cmd.includes('initd') ? 'initd' : cmd.includes('confd') ? 'confd' : 'unit';
    const inFiles = (w: string | null): string | null => {
      if (w === null || w === '-' || !path.isAbsolute(w)) return null;
      const p = path.normalize(w);
      return p.startsWith(filesdir) ? p : null;
    };
    if (cmd.startsWith('new') || cmd === 'systemd_newunit') {
      if (words.length < 2) continue;
      const src = inFiles(words[0]);
      const name = words[1];
      if (src && name !== null && VALID_NAME.test(name)) out.push({ kind, src, name, line: idx + 1 });
    } else {
      for (const w of words) {
        const src = inFiles(w);
        if (src) out.push({ kind, src, name: path.basename(src), line: idx + 1 });
      }
    }
  }
  return out;
}

/** Init-script-looking names that need no shebang (the ebuild convention), and their stems. */
const INITD_NAME = /^(.+?)[.-](?:initd|init\.d)(?:[.-]?.*)?$/;
/** `.init` / `.rc` / `.openrc`: also used by other tools' files, so a shebang is required. */
const INIT_WEAK_NAME = /^(.+?)[.-](?:init|rc|openrc)(?:[.-]?r?\d.*)?$/;
const CONFD_NAME = /^(.+?)[.-](?:confd|conf\.d)(?:[.-]?.*)?$/;

/**
 * A file's name without what ebuilds add to tell versions apart: `-r2`, `-1.4`, `-2.02.105-r2`,
 * an `init.d-` prefix. `nscd-1` → `nscd`; a name that would become empty stays as it is.
 */
export function serviceStem(name: string): string {
  let s = name.replace(/^init\.?d-(?=.)/, '');
  for (;;) {
    const t = s.replace(/-(?:r\d+|\d+(?:\.\d+)*[a-z]?)$/, '');
    if (t === s || t === '') return s;
    s = t;
  }
}

/** The service name a file named like an init script would be installed under; null when the name says nothing. */
export function initdStem(base: string): string | null {
  const m = INITD_NAME.exec(base) ?? INIT_WEAK_NAME.exec(base);
  return m ? serviceStem(m[1]) : null;
}

export function confdStem(base: string): string | null {
  const m = CONFD_NAME.exec(base);
  return m ? serviceStem(m[1]) : null;
}

/** The revision-ish tail after the stem (`.initd-r1` → `-r1`), to prefer foo.confd-r1 for foo.initd-r1. */
function tail(base: string): string {
  return base.replace(/^.*?[.-](initd|init\.d|init|rc|openrc|confd|conf\.d)/, '');
}

/**
 * Only patches: an ebuild never installs one as an init script or a conf.d (not one of the
 * 4,387 install lines of the real-world overlays measured does), so a `files/` holding nothing
 * else needs no ebuild read (846 of the 1,145 `files/` directories of the bench's generated overlay).
 */
const PATCH = /\.(?:patch|diff)$/;
/** An ebuild without these words has no install line (INSTALL_CMD needs one of them): not worth splitting into lines. */
const MAY_INSTALL = /initd|confd|systemd_(?:new|do)unit/;

/** Scan one package directory (`ents`: its entries, when the caller has read them already). */
export function scanPackage(pkgDir: string, ents: Entries = entries(pkgDir)): EbuildPackage {
  const filesDir = path.join(pkgDir, 'files');
  const ebuilds = ents
    .filter((e) => e.isFile() && e.name.endsWith('.ebuild'))
    .map((e) => path.join(pkgDir, e.name))
    .sort();
  const pkg: EbuildPackage = {
    dir: pkgDir,
    category: path.basename(path.dirname(pkgDir)),
    pn: path.basename(pkgDir),
    ebuilds,
    services: [],
    units: [],
  };
  // No files/ (most packages), or one with patches only: no init script, nothing more to read.
  if (!ents.some((e) => e.name === 'files' && !e.isFile())) return pkg;
  const files = filesUnder(filesDir).sort();
  if (files.every((f) => PATCH.test(f))) return pkg;
  const fileSet = new Set(files);

  const pairs = new Map<string, RepoService>();
  const claimed = new Set<string>();
  const unitNames = new Map<string, string>();
  for (const eb of ebuilds) {
    let text: string;
    try {
      text = readFileSync(eb, 'utf8');
    } catch {
      continue;
    }
    if (!MAY_INSTALL.test(text)) continue;
    const lines = installLines(text, ebuildVars(pkgDir, eb)).filter((l) => fileSet.has(l.src));
    const confByName = new Map<string, string>();
    for (const l of lines) {
      claimed.add(l.src);
      if (l.kind === 'confd') confByName.set(l.name, l.src);
      if (l.kind === 'unit') unitNames.set(l.src, l.name);
    }
    for (const l of lines) {
      if (l.kind !== 'initd') continue;
      const confd = confByName.get(l.name) ?? null;
      pairs.set(`${l.name}\0${l.src}\0${confd ?? ''}`, {
        name: l.name,
        initd: l.src,
        confd,
        via: 'ebuild',
        pkgDir,
        units: [],
      });
    }
  }
  // The same script installed with a conf.d by one ebuild and without by another: the pairing wins.
  for (const [k, s] of pairs)
    if (s.confd === null && [...pairs.values()].some((o) => o.name === s.name && o.initd === s.initd && o.confd))
      pairs.delete(k);

  // Files no ebuild line names: pair by name.
  const confCands = files.flatMap((f) => {
    const stem = confdStem(path.basename(f));
    return stem ? [{ f, stem }] : [];
  });
  for (const f of files) {
    if (claimed.has(f)) continue;
    const base = path.basename(f);
    if (confdStem(base) || /\.(service|socket|timer|patch|diff|conf|pam|logrotate|tmpfiles)$/.test(base)) continue;
    // Named like an init script: its head need not be read.
    let name: string | null = null;
    if (INITD_NAME.test(base) || OPENRC_SHEBANG.test(head(f))) name = initdStem(base) ?? serviceStem(base);
    // `files/init.d`, `files/initd`, `files/openrc`: the file name says nothing, the package does.
    if (name !== null && /^(init\.?d?|rc|openrc|initscript)$/.test(name)) name = path.basename(pkgDir);
    if (name === null || !VALID_NAME.test(name)) continue;
    const stemConfs = confCands.filter((c) => c.stem === name);
    const t = tail(base);
    const confd =
      stemConfs.find((c) => tail(path.basename(c.f)) === t)?.f ??
      stemConfs.find((c) => tail(path.basename(c.f)) === '')?.f ??
      stemConfs[0]?.f ??
      null;
    pairs.set(`${name}\0${f}\0${confd ?? ''}`, { name, initd: f, confd, via: 'name', pkgDir, units: [] });
  }

  const units: UnitFile[] = files
    .filter((f) => f.endsWith('.service') || unitNames.has(f))
    .map((f) => ({ path: f, name: unitNames.get(f) ?? path.basename(f) }))
    .filter((u) => u.name.endsWith('.service'));
  const services = [...pairs.values()].sort((a, b) =>
    a.name === b.name ? (a.initd < b.initd ? -1 : 1) : a.name < b.name ? -1 : 1,
  );
  for (const s of services) s.units = units;
  return { ...pkg, services, units };
}

/** Every package with at least one init script under `dir` (one repository, a kit tree, or several repositories). */
export function scanEbuildRepo(dir: string): EbuildPackage[] {
  return [...repoPackages(dir)];
}

/** scanEbuildRepo one package at a time, as the walk finds them (so that a caller can act on the first ones early). */
export function* repoPackages(dir: string): Generator<EbuildPackage> {
  for (const p of packageListings(path.resolve(dir))) {
    const pkg = scanPackage(p.dir, p.ents);
    if (pkg.services.length > 0) yield pkg;
  }
}
