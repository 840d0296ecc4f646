/**
 * An ebuild repository mapped into services: which file of a package's `files/` is
 * installed as which init script, with which conf.d, and which systemd units ship beside it.
 *
 * The ebuilds say it first: `newinitd <src> <name>`, `doinitd <src>...`, `newconfd <src> <name>`,
 * `doconfd <src>...` (and `systemd_newunit` / `systemd_dounit` for units) are read with the
 * static variables an ebuild always has (`FILESDIR`, `PN`, `P`, `PV`, `PR`, `PVR`, `PF`,
 * `CATEGORY`) and the package's own plain top-level assignments. A word that needs anything
 * else (a loop over an unknown list, `$(...)`, a pipe into `newinitd -`) is unknown, and the line
 * is skipped: never guessed. What ebuilds commonly do around those lines is followed (see
 * installLines): `for` loops over static lists, brace lists, copies into ${T}/${WORKDIR},
 * `exeinto /etc/init.d` + `newexe`, USE-picked sources. Every service says where its name came
 * from (NameFrom): a name read from the file's own name may not be the installed one. Files no resolved line names are then paired by name (`foo.initd` ↔
 * `foo.confd`, `foo.initd.2` ↔ `foo.confd`, `foo.conf.d-r1`, `foo-confd`); a file named only
 * `*.init` / `*.rc`, or not named like an init script at all, needs an OpenRC shebang.
 *
 * Layouts: `<repo>/<cat>/<pkg>/`, Funtoo kit-fixups' `<kit>/<branch>/<cat>/<pkg>/`, and a
 * directory holding several repositories: a package is any directory with `*.ebuild` files
 * or a `files/` directory, wherever it sits.
 */
import {
  closeSync,
  constants,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  lstatSync,
  statfsSync,
  statSync,
  type Dirent,
} from 'node:fs';
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
  /** How the name was found (see NameFrom); `nameNote` says it in words when it is not an ebuild line's. */
  nameFrom: NameFrom;
  nameNote?: string;
  /** Package directory (absolute). */
  pkgDir: string;
  /** The ebuilds (absolute paths) whose install lines install this file under this name. */
  ebuilds?: string[];
  /** The units in the same files/ (systemd units a package ships, installed whatever the init system). */
  units: UnitFile[];
  /** The substitutions the installing ebuild's `sed` makes in the script (see Fill). */
  fills?: Fill[];
}

/**
 * Where a service's installed name comes from:
 * - `ebuild`: an install line names this very file;
 * - `ebuild-partial`: an install line names the service, and its source only in part (a USE
 *   flag picks the file): this file is one of those that fit;
 * - `older-version`: no line names this file, but it is an older version of one that a line
 *   installs (`foo.initd` beside `foo.initd-r1`, `bar-4.0.3-init` beside `bar-5.0.1-init`);
 * - `file-name`: nothing in the ebuilds names it; the name is read from the file's own name and
 *   may not be the one it was installed under.
 */
export type NameFrom = 'ebuild' | 'ebuild-partial' | 'older-version' | 'file-name';

export interface EbuildPackage {
  /** Absolute package directory. */
  dir: string;
  category: string;
  pn: string;
  ebuilds: string[];
  services: RepoService[];
  units: UnitFile[];
}

/** `dir` names itself an ebuild repository: profiles/repo_name or metadata/layout.conf. */
export function isNamedRepo(dir: string): boolean {
  return existsSync(path.join(dir, 'profiles/repo_name')) || existsSync(path.join(dir, 'metadata/layout.conf'));
}

/** `dir` looks like an ebuild repository (or one of kit-fixups' kits): isNamedRepo, or <cat>/<pkg>/files. */
export function isEbuildRepo(dir: string): boolean {
  if (isNamedRepo(dir)) return true;
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
  if (isPackage(ents) && depth > 0) {
    yield { dir, ents };
    return;
  }
  if (depth >= 8) return;
  for (const name of subdirectories(ents)) yield* packageListings(path.join(dir, name), depth + 1);
}

/** A directory holding an ebuild or a files/ directory is a package. */
function isPackage(ents: Entries): boolean {
  return ents.some((e) => (e.isFile() && e.name.endsWith('.ebuild')) || (e.isDirectory() && e.name === 'files'));
}

/** The subdirectories a package may be below, by name (not hidden, not metadata/profiles/...). */
function subdirectories(ents: Entries): string[] {
  return ents
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !NOT_PACKAGES.has(e.name))
    .map((e) => e.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * path.join(dir, name) for a normalised `dir` and an entry's name (no `/`, never `.` or `..`),
 * without path.join's normalising pass: the walks below join thousands of them.
 */
const child = (dir: string, name: string): string => (dir.endsWith('/') ? dir + name : `${dir}/${name}`);

/** Every regular file under `dir` (normalised), recursively (files/ may have version subdirectories). */
function filesUnder(dir: string, out: string[] = []): string[] {
  for (const e of entries(dir)) {
    if (e.name.startsWith('.')) continue;
    const p = child(dir, e.name);
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
 * each expanded with `vars`; null for a word that cannot be resolved statically. An unquoted
 * brace list (`dibbler-{client,relay}`) gives one word per alternative, as bash does.
 */
export function staticWords(s: string, vars: Record<string, string>): (string | null)[] {
  const words: (string | null)[] = [];

  /** `{a,b,c}` at s[i] (no quotes, expansions or nested braces inside): its alternatives and end. */
  function braceList(s: string, i: number): { alts: string[]; end: number } | null {
    const m = /^\{([^{}\s"'$`\\,]*(?:,[^{}\s"'$`\\,]*)+)\}/.exec(s.slice(i));
    return m ? { alts: m[1].split(','), end: i + m[0].length } : null;
  }

  let i = 0;
  const n = s.length;
  while (i < n) {
    while (i < n && (s[i] === ' ' || s[i] === '\t')) i++;
    if (i >= n || ';&|#)\n'.includes(s[i])) break;
    // every alternative of the word so far (more than one after a brace list)
    let ws = [''];
    let ok = true;
    const add = (t: string) => (ws = ws.map((w) => w + t));
    const unknown = () => (ok = false);
    // one word: unquoted, "double" and 'single' parts glued together
    while (i < n && !' \t;&|)\n'.includes(s[i])) {
      const ch = s[i];
      if (ch === "'") {
        const j = s.indexOf("'", i + 1);
        if (j < 0) return [...words, null];
        add(s.slice(i + 1, j));
        i = j + 1;
      } else if (ch === '"') {
        i++;
        while (i < n && s[i] !== '"') {
          if (s[i] === '\\' && i + 1 < n) {
            add(s[i + 1]);
            i += 2;
          } else if (s[i] === '$') {
            const r = expandAt(s, i, vars);
            if (r.value === null) unknown();
            else add(r.value);
            i = r.end;
          } else if (s[i] === '`') {
            ok = false;
            i++;
          } else add(s[i++]);
        }
        if (i >= n) return [...words, null];
        i++;
      } else if (ch === '\\' && i + 1 < n) {
        add(s[i + 1]);
        i += 2;
      } else if (ch === '$') {
        const r = expandAt(s, i, vars);
        if (r.value === null) unknown();
        else add(r.value);
        i = r.end;
      } else if (ch === '{' && braceList(s, i)) {
        const b = braceList(s, i)!;
        ws = ws.flatMap((w) => b.alts.map((a) => w + a));
        i = b.end;
      } else if ('`*?[{<>'.includes(ch)) {
        // command substitution, globs, redirections: not static
        ok = false;
        i++;
      } else add(s[i++]);
    }
    if (ok) words.push(...ws);
    else words.push(null);
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
  /**
   * The source depends on a USE flag (`udp2raw$(use iptables && echo .iptables).initd`): src is
   * one of the files the flags can pick, and which one is installed depends on the build.
   */
  partial?: true;
  /** Installed into /etc/user/init.d or /etc/user/conf.d: a user service, not a system one. */
  user?: true;
  /** The ebuild's `sed` substitutions on the installed file (init scripts only), in order (see Fill). */
  fills?: Fill[];
}

/**
 * A `sed` substitution an ebuild makes in an init script it installs (`sed -i "s:@rundir@:/run:"
 * "${T}"/x`, `sed ... files/x.in > "${T}"/x`, `sed -i ... "${ED}"/etc/init.d/*` after the install
 * line): `s<d>FROM<d>TO<d>[g]` where FROM is a literal word and TO resolves statically. A value a
 * USE flag chooses (`$(usex ldap slapd '')`, or a variable assigned once from such a `$(usex ...)`)
 * gives every value it can take: the eval writes one variant of the script per value.
 */
export interface Fill {
  /** The literal text sed replaces (`@rundir@`, `#@slapd@`). */
  from: string;
  /** What it becomes: one value, or every value the USE flags can give it. */
  to: string[];
  /** `g`: every occurrence on a line; else the first. */
  global: boolean;
}

const MAY_MATTER = /for|while|until|into|cp|>|new|do|sed/;

const INSTALL_CMD =
  /(?:^\s*|[;&|({]\s*|\b(?:then|do|else)\s+)(newinitd|doinitd|newconfd|doconfd|systemd_newunit|systemd_dounit|newexe|doexe|newins|doins)[ \t]+(.*)$/;

/**
 * Build-time directories. An ebuild often copies (or seds) a file of files/ into ${T} or
 * ${WORKDIR} and installs it from there: the installed script is still that file.
 */
const BUILD_DIRS: Record<string, string> = { T: '/\u0002T', WORKDIR: '/\u0002WORKDIR' };
const inBuildDir = (p: string) => Object.values(BUILD_DIRS).some((d) => p === d || p.startsWith(d + '/'));
/** `exeinto` directories whose `newexe`/`doexe` install init scripts (openrc's own ebuild, user services). */
const INITD_DIRS = new Set(['/etc/init.d', '/etc/user/init.d']);
/** `insinto` directories whose `newins`/`doins` install conf.d files. */
const CONFD_DIRS = new Set(['/etc/conf.d', '/etc/user/conf.d']);

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

/** Lines with their backslash continuations joined, each with the number of its first line. */
function logicalLines(text: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  const raw = text.split('\n');
  for (let i = 0; i < raw.length; i++) {
    const line = i + 1;
    let t = raw[i];
    while (t.endsWith('\\') && /(^|[^\\])(\\\\)*\\$/.test(t) && i + 1 < raw.length) t = t.slice(0, -1) + ' ' + raw[++i];
    out.push({ text: t, line });
  }
  return out;
}

interface Loop {
  /** The loop variable (`for VAR in ...`), null for while/until/C-style loops. */
  variable: string | null;
  /** Its values when every word of the list is static; null when unknown. */
  values: string[] | null;
}

/** Every assignment of the enclosing `for` loops' variables (one env when there is no loop). */
function loopEnvs(base: Record<string, string>, loops: readonly Loop[]): Record<string, string>[] {
  // Outside loops (most lines) the base itself: nothing below changes an env it is given.
  if (!loops.some((l) => l.variable !== null)) return [base];
  let envs = [{ ...base }];
  for (const l of loops) {
    if (l.variable === null) continue;
    if (l.values === null) {
      // an unknown loop variable hides an ebuild variable of the same name
      for (const e of envs) delete e[l.variable];
      continue;
    }
    envs = envs.flatMap((e) => l.values!.map((v) => ({ ...e, [l.variable!]: v })));
  }
  return envs;
}

/**
 * `$(prefixify_ro X)` (prefix.eclass) returns the path of X, adjusted for a Gentoo Prefix:
 * the file installed is X's.
 */
function withoutPrefixify(line: string): string {
  if (!line.includes('prefixify_ro')) return line;
  return line.replace(/\$\(prefixify_ro\s+((?:"[^"]*"|[^\s)"])+)\s*\)/g, '$1');
}

/**
 * The raw shell words of `s` (quotes kept) up to the end of the simple command, and what follows
 * (a redirection, `;`, `&&`, `||`, `|`, `#`). `$(...)` and quotes are kept inside one word.
 */
function rawWords(s: string): { words: string[]; rest: string } {
  const words: string[] = [];
  let i = 0;
  const n = s.length;
  for (;;) {
    while (i < n && (s[i] === ' ' || s[i] === '\t')) i++;
    if (i >= n || ';&|#)<>\n'.includes(s[i])) return { words, rest: s.slice(i) };
    const start = i;
    let depth = 0;
    while (i < n) {
      const ch = s[i];
      if (depth === 0 && ' \t;&|)<>\n'.includes(ch)) break;
      if (ch === "'" && depth === 0) {
        const j = s.indexOf("'", i + 1);
        i = j < 0 ? n : j + 1;
      } else if (ch === '"') {
        i++;
        while (i < n && s[i] !== '"') i += s[i] === '\\' ? 2 : 1;
        i++;
      } else if (ch === '\\') i += 2;
      else if (ch === '$' && s[i + 1] === '(') {
        depth++;
        i += 2;
      } else if (ch === ')' && depth > 0) {
        depth--;
        i++;
      } else i++;
    }
    words.push(s.slice(start, Math.min(i, n)));
  }
}

/** `sed` as ebuilds call it on a script: `sed [-i] [-r|-E] (-e EXPR)... | EXPR, FILE...`. */
const SED_CMD = /(?:^\s*|[;&|({]\s*|\b(?:then|do|else)\s+)sed[ \t]+(.*)$/;
/** FROM of a substitution the harness follows: a word no sed (basic or extended) reads as a pattern. */
const LITERAL_FROM = /^[\w@#%,=-]+$/;

/**
 * One `sed` expression word as Fills: each `s<d>FROM<d>TO<d>[g]` whose FROM is literal and whose TO
 * resolves statically (every value the USE flags can give: `$(usex flag A B)`, also through a
 * variable `useVars` maps to such a `$(usex ...)`). Null for anything else (another command,
 * an address, a TO that needs more than static variables or holds `&` or `\`).
 */
function sedFill(word: string, env: Record<string, string>, useVars: Record<string, string>): Fill | null {
  let w = word;
  for (const [name, usex] of Object.entries(useVars))
    w = w.replace(new RegExp(String.raw`\$(?:\{${name}\}|${name}(?![\w]))`, 'g'), usex);
  const alts = useAlternatives(w, true);
  const parsed: { from: string; to: string; flags: string }[] = [];
  for (const alt of alts.length ? alts : [w]) {
    const ws = staticWords(alt, env);
    if (ws.length !== 1 || ws[0] === null) return null;
    const e = ws[0];
    if (e.length < 4 || e[0] !== 's') return null;
    const parts = e.slice(2).split(e[1]);
    if (parts.length !== 3) return null;
    const [from, to, flags] = parts;
    if (!LITERAL_FROM.test(from) || /[&\\\n]/.test(to) || (flags !== '' && flags !== 'g')) return null;
    parsed.push({ from, to, flags });
  }
  if (parsed.some((p) => p.from !== parsed[0].from || p.flags !== parsed[0].flags)) return null;
  return { from: parsed[0].from, to: [...new Set(parsed.map((p) => p.to))], global: parsed[0].flags === 'g' };
}

/** A sed command line: in place or not, its substitutions (null when one is not followed), its file words and redirection. */
function parseSed(
  args: string,
  env: Record<string, string>,
  useVars: Record<string, string>,
): { inPlace: boolean; fills: Fill[] | null; files: string[]; rest: string } | null {
  const { words, rest } = rawWords(args);
  let inPlace = false;
  const exprs: string[] = [];
  const files: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === '-i') inPlace = true;
    else if (w === '-r' || w === '-E') continue;
    else if (w === '-e') {
      if (i + 1 >= words.length) return null;
      exprs.push(words[++i]);
    } else if (w.startsWith('-')) return null;
    else files.push(w);
  }
  if (exprs.length === 0) {
    if (files.length === 0) return null;
    exprs.push(files.shift()!);
  }
  // more than one expression chosen by USE flags: which values go together is not followed
  const fills = exprs.map((e) => sedFill(e, env, useVars));
  const ok = fills.every((f) => f !== null) && fills.filter((f) => f!.to.length > 1).length <= 1;
  return { inPlace, fills: ok ? (fills as Fill[]) : null, files, rest };
}

/**
 * Variables an ebuild assigns once, from `$(usex flag A B)` (dbus: `local rundir=$(usex
 * kernel_linux /run /var/run)`): name → that `$(usex ...)` text. Only for sed's substitutions.
 */
function useValuedVars(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/^\s*(?:local\s+)?([A-Za-z_]\w*)=(\$\(usex\s[^()`$]*\))\s*$/gm)) {
    const assigned = text.match(new RegExp(String.raw`(?:^|[\s;&|(])(?:local\s+)?${m[1]}\+?=`, 'gm'))?.length ?? 0;
    if (assigned === 1) out[m[1]] = m[2];
  }
  return out;
}

/** The image directory (`${D}`, `${ED}`): a sed on `${ED}/etc/init.d/...` edits installed scripts. */
const IMAGE = '/\u0002D';
const INITD_IMAGE = `${IMAGE}/etc/init.d/`;
/** Stands for an unquoted `*` at the end of a sed's file word (`"${ED}"/etc/init.d/*`): every script. */
const ALL = '\u0003';

/**
 * The install lines of one ebuild whose source and name resolve to a file in `files/`. Words
 * are resolved with the ebuild's static variables, the values of enclosing `for` loops over
 * static lists (one line per value), and copies into ${T}/${WORKDIR} (`cp`, `sed ... > dest`).
 * With `files` (the package's files/), a `new*` line whose source a USE flag picks gives each
 * file it can pick, marked `partial`.
 */
export function installLines(text: string, vars: Record<string, string>, files: readonly string[] = []): InstallLine[] {
  const out: InstallLine[] = [];
  const seen = new Set<string>();
  const push = (l: InstallLine) => {
    const k = `${l.kind}\0${l.src}\0${l.name}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(l);
    }
  };
  const all = { ...ebuildAssignments(text, vars), ...BUILD_DIRS };
  const filesdir = path.normalize(vars.FILESDIR) + path.sep;
  const inFiles = (w: string | null): string | null => {
    if (w === null || w === '-' || !path.isAbsolute(w)) return null;
    const p = path.normalize(w);
    return p.startsWith(filesdir) ? p : null;
  };
  /** Build-directory path → the file of files/ copied there; null once it is made of several. */
  const copies = new Map<string, string | null>();
  /** Build-directory path → the substitutions sed made in that copy (see Fill). */
  const copyFills = new Map<string, Fill[]>();
  const useVars = text.includes('sed') ? useValuedVars(text) : {};
  /** The fills of the copy an init script is installed from. */
  const fillsOf = (kind: InstallKind, w: string | null): { fills?: Fill[] } => {
    const f = kind === 'initd' && w !== null && path.isAbsolute(w) ? copyFills.get(path.normalize(w)) : undefined;
    return f?.length ? { fills: [...f] } : {};
  };
  const source = (w: string | null): string | null => {
    if (w === null || !path.isAbsolute(w)) return null;
    const p = path.normalize(w);
    return inBuildDir(p) ? (copies.get(p) ?? null) : inFiles(p);
  };
  const loops: Loop[] = [];
  let exeIntoInitd = false;
  let insIntoConfd = false;
  // `insinto /etc/init.d` + `newins` (spdylay's shrpx): installed as an init script too (the
  // ebuild may set its mode later; a file OpenRC cannot run is not ours to judge here).
  let insIntoInitd = false;
  let intoUser = false;

  for (const { text: rawLine, line } of logicalLines(text)) {
    if (/^\s*#/.test(rawLine)) continue;
    const raw = withoutPrefixify(rawLine);
    // Every step below needs one of these words (for/while/until and done for loops, exeinto
    // and insinto, cp or a redirection for copies, an install command, all named new* or do*):
    // a line without any (most of an ebuild) changes nothing.
    if (!MAY_MATTER.test(raw)) continue;
    const head = /^\s*for\s+([A-Za-z_]\w*)\s+in\s+(.*?)\s*(?:;\s*do\b|$)/.exec(raw);
    if (head) {
      // `for x in client $(usev server)`: every value any USE flags can give
      const alts = useAlternatives(head[2]);
      const lists = (alts.length ? alts : [head[2]]).map((l) => staticWords(l, all));
      const values = lists.every((ws) => ws.every((w) => w !== null)) ? [...new Set(lists.flat() as string[])] : null;
      loops.push({ variable: head[1], values });
    } else if (/^\s*(?:for|while|until)\b/.test(raw)) loops.push({ variable: null, values: null });

    for (const env of loopEnvs(all, loops)) {
      const into = /(?:^\s*|[;&|]\s*)(exeinto|insinto)\s+(.*)$/.exec(raw);
      if (into) {
        const d = staticWords(into[2], env)[0];
        const dir = d === null || d === undefined ? null : path.normalize(d).replace(/\/$/, '');
        if (into[1] === 'exeinto') exeIntoInitd = dir !== null && INITD_DIRS.has(dir);
        else {
          insIntoConfd = dir !== null && CONFD_DIRS.has(dir);
          insIntoInitd = dir !== null && INITD_DIRS.has(dir);
        }
        intoUser = dir !== null && dir.startsWith('/etc/user/');
      }
      const copied = recordCopy(raw, env, inFiles, copies);
      if (copied) copyFills.delete(copied);
      const sed = raw.includes('sed') ? SED_CMD.exec(raw) : null;
      if (sed) recordSed(sed[1], line, env, useVars, inFiles, copies, copyFills, out);
      const m = INSTALL_CMD.exec(raw);
      if (!m) continue;
      const cmd = m[1];
      if (cmd.endsWith('exe') && !exeIntoInitd) continue;
      if (cmd.endsWith('ins') && !insIntoConfd && !insIntoInitd) continue;
      const words = staticWords(m[2], env);
      const kind: InstallKind =
        /initd|exe/.test(cmd) || (cmd.endsWith('ins') && insIntoInitd)
          ? 'initd'
          : /confd|ins/.test(cmd)
            ? 'confd'
            : 'unit';
      const user = /exe|ins/.test(cmd) && intoUser ? { user: true as const } : {};
      if (cmd.startsWith('new') || cmd === 'systemd_newunit') {
        if (words.length < 2) continue;
        const src = source(words[0]);
        const name = words[1];
        if (name === null || !VALID_NAME.test(name)) continue;
        if (src) push({ kind, src, name, line, ...user, ...fillsOf(kind, words[0]) });
        else if (words[0] === null)
          // `foo$(usex fw .fw '').initd`: every file the USE flags can pick, each marked partial
          for (const alt of useAlternatives(m[2])) {
            const [w, n] = staticWords(alt, env);
            const f = source(w ?? null);
            if (f && n === name && files.includes(f))
              push({ kind, src: f, name, line, partial: true, ...fillsOf(kind, w ?? null) });
          }
      } else {
        for (const w of words) {
          const src = source(w);
          // doinitd "${T}"/cupsd installs the copy under the copy's name
          if (src) push({ kind, src, name: path.basename(path.normalize(w!)), line, ...user, ...fillsOf(kind, w) });
        }
      }
    }
    const closed = raw.match(/(?:^\s*|;\s*)done(?=[\s;|<>&)]|$)/g)?.length ?? 0;
    loops.splice(Math.max(0, loops.length - closed));
  }
  return out;
}

/**
 * The line once for each value its USE-conditional words can take: `$(usex flag [A] [B])`
 * (A or B, default yes/no), `$(usev flag [A])` (A, default the flag, or nothing), `$(use flag
 * && echo A)` (A or nothing). Empty when there is no such word, or another `$(...)`.
 */
export function useAlternatives(line: string, paths = false): string[] {
  const word = String.raw`(?:'[^']*'|"[^"$\x60\\]*"|[^\s'"$\x60();&|]+)`;
  const unq = (w: string | undefined) => (w === undefined ? undefined : w.replace(/^(['"])(.*)\1$/, '$2'));
  const re = new RegExp(
    String.raw`\$\((?:\s*usex\s+!?[\w+-]+(?:\s+(${word}))?(?:\s+(${word}))?|\s*usev\s+(!?[\w+-]+)(?:\s+(${word}))?|\s*use\s+!?[\w+-]+\s*&&\s*echo\s+(${word}))\s*\)`,
    'g',
  );
  const subs = [...line.matchAll(re)];
  if (!subs.length) return [];
  let out = [''];
  let at = 0;
  for (const m of subs) {
    const before = line.slice(at, m.index);
    if (/\$\(/.test(before)) return [];
    let alts: string[];
    if (m[0].includes('usex')) alts = [unq(m[1]) ?? 'yes', unq(m[2]) ?? 'no'];
    else if (m[3] !== undefined) alts = [unq(m[4]) ?? m[3].replace(/^!/, ''), ''];
    else alts = [unq(m[5])!, ''];
    // plain file-name text only (paths too, for sed's values): it reads the same inside or outside the word's quotes
    if (!alts.every((a) => (paths ? /^[\w.+@/-]*$/ : /^[\w.+@-]*$/).test(a))) return [];
    out = out.flatMap((o) => alts.map((a) => o + before + a));
    at = m.index + m[0].length;
  }
  if (/\$\(/.test(line.slice(at))) return [];
  return out.map((o) => o + line.slice(at));
}

/**
 * `cp [-opts] SRC DEST` and `CMD ... SRC > DEST` (sed, cat) from files/ into a build directory.
 * Returns the build-directory path it (re)made, if any.
 */
function recordCopy(
  raw: string,
  env: Record<string, string>,
  inFiles: (w: string | null) => string | null,
  copies: Map<string, string | null>,
): string | undefined {
  const norm = (w: string | null | undefined) => (w && path.isAbsolute(w) ? path.normalize(w) : null);
  const cp = /(?:^\s*|[;&|]\s*)cp\s+(.*)$/.exec(raw);
  if (cp) {
    const words = staticWords(cp[1], env).filter((w) => w === null || !w.startsWith('-'));
    if (words.length !== 2) return;
    const src = inFiles(words[0]);
    let dest = norm(words[1]);
    if (!src || !dest || !inBuildDir(dest)) return;
    if (Object.values(BUILD_DIRS).includes(dest)) dest = path.join(dest, path.basename(src));
    copies.set(dest, src);
    return dest;
  }
  const redirect = /^(.*?[^>&\d])(>>?)\s*([^>&].*)$/.exec(raw);
  if (!redirect) return;
  const dest = norm(staticWords(redirect[3], env)[0]);
  if (!dest || !inBuildDir(dest)) return;
  const srcs = staticWords(redirect[1].replace(/^\s*\S+/, ''), env)
    .map(inFiles)
    .filter((x): x is string => x !== null);
  // distcc: `cp files/distccd.confd ${T}/distccd`, then (USE=zeroconf) `cat >> ${T}/distccd <<EOF`
  // adds a line: the installed file is still that file, with lines added at build time (and it
  // exists: dropping it would make a conf.d the package installs look absent). Appending
  // another file of files/ puts the file together from parts instead: none of them is it.
  if (redirect[2] === '>>' && srcs.length === 0 && typeof copies.get(dest) === 'string') return;
  // `>>` or several sources: the file is put together from parts, none of them is it
  copies.set(dest, redirect[2] === '>' && srcs.length === 1 ? srcs[0] : null);
  return dest;
}

/**
 * A `sed` line's substitutions (Fill) on the init scripts it edits: in place on a copy in a
 * build directory, or on `${ED}/etc/init.d/<name or *>` (the scripts installed by the lines
 * before it: `out`); or `sed ... SRC > DEST`, a copy made with them. A sed the harness does not
 * follow (another command, a value it cannot resolve) is left out, as before: the file is then
 * written as it is in files/.
 */
function recordSed(
  args: string,
  line: number,
  env: Record<string, string>,
  useVars: Record<string, string>,
  inFiles: (w: string | null) => string | null,
  copies: Map<string, string | null>,
  copyFills: Map<string, Fill[]>,
  out: InstallLine[],
): void {
  // a plain (not Prefix) system: EPREFIX is empty, ${ED} is ${D}, the image directory
  const fenv = { ...env, EPREFIX: '', ED: IMAGE, D: IMAGE };
  const cmd = parseSed(args.replace(/\$\{(E?D)%\/\}/g, '$${$1}'), fenv, useVars);
  if (!cmd?.fills) return;
  const fills = cmd.fills;
  const resolve = (w: string) => {
    const ws = staticWords(w.replace(/(^|\/|")\*("?)$/, `$1${ALL}$2`), fenv);
    return ws.length === 1 && ws[0] !== null && path.isAbsolute(ws[0]) ? path.normalize(ws[0]) : null;
  };
  if (cmd.inPlace) {
    for (const w of cmd.files) {
      const p = resolve(w);
      if (p === null) continue;
      if (p.startsWith(INITD_IMAGE)) {
        const name = p.slice(INITD_IMAGE.length);
        for (const l of out)
          if (l.kind === 'initd' && !l.user && l.line < line && (name === ALL || name === l.name))
            l.fills = [...(l.fills ?? []), ...fills];
      } else if (inBuildDir(p) && typeof copies.get(p) === 'string')
        copyFills.set(p, [...(copyFills.get(p) ?? []), ...fills]);
    }
    return;
  }
  const redirect = /^>\s*([^>&].*)$/.exec(cmd.rest);
  if (!redirect || cmd.files.length !== 1) return;
  const dest = resolve(rawWords(redirect[1]).words[0] ?? '');
  const src = resolve(cmd.files[0]);
  if (dest === null || src === null || !inBuildDir(dest)) return;
  if (inFiles(src)) copyFills.set(dest, fills);
  else if (inBuildDir(src) && typeof copies.get(src) === 'string') {
    copies.set(dest, copies.get(src)!);
    copyFills.set(dest, [...(copyFills.get(src) ?? []), ...fills]);
  }
}

/** Init-script-looking names that need no shebang (the ebuild convention), and their stems. */
const INITD_NAME = /^(.+?)[.-](?:initd|init\.d)(?:[.-]?.*)?$/;
/** `.init` / `.rc` / `.openrc`: also used by other tools' files, so a shebang is required. */
const INIT_WEAK_NAME = /^(.+?)[.-](?:init|rc|openrc)(?:\.in)?(?:[.-]?r?\d.*)?$/;
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

/**
 * A file name without the version an ebuild put in front of it: `${PV}-` or `${PVR}-`
 * (`3.0.6-r1-heartbeat-init`), or `${P}-` / `${PF}-` (`courier-imap-4.0.6-r1-courier-imapd.rc6`).
 * A name that is only a version stays as it is.
 */
export function withoutVersionPrefix(base: string, pn: string): string {
  const pvr = '\\d+(?:\\.\\d+)*[a-z]?(?:_[a-z]+\\d*)*(?:-r\\d+)?-';
  const t = base.replace(new RegExp(`^(?:${pn.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-)?${pvr}(?=[A-Za-z])`), '');
  return t || base;
}

/**
 * What stays of a file name when its versions go (`-r1`, `-2.3`, `.4`, the `7` of `.initd7`):
 * two files with the same key are versions of one script. Separators are kept apart from
 * letters, so `ip6tables` and `iptables` stay different.
 */
export function versionKey(base: string): string {
  return base
    .split(/[-._]/)
    .filter((t) => !/^r?\d+[a-z]?$/.test(t))
    .map((t) => t.replace(/^(init|initd|rc)\d+$/, '$1'))
    .join('.');
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
// An ebuild without any of these words installs no init script, conf.d or unit (exeinto
// /etc/init.d and insinto /etc/conf.d included): it need not be split into lines.
const MAY_INSTALL = /init\.?d|conf\.?d|systemd_(?:new|do)unit/;

/** Keeps installLines' answers between runs (lint --cache: lint/cache.ts): get or make them under a key of all it reads. */
export interface InstallLinesMemo {
  key(text: string, vars: Record<string, string>, files: readonly string[]): string;
  get(key: string): InstallLine[] | undefined;
  put(key: string, lines: InstallLine[]): void;
}

let memo: InstallLinesMemo | undefined;

/** Sets (or, with undefined, clears) the memo scanPackage asks before reading an ebuild's install lines. */
export function setInstallLinesMemo(m: InstallLinesMemo | undefined): void {
  memo = m;
}

/** installLines, through the memo when one is set (installLines is pure: its answer depends only on its arguments). */
function memoInstallLines(text: string, vars: Record<string, string>, files: readonly string[]): InstallLine[] {
  if (!memo) return installLines(text, vars, files);
  const key = memo.key(text, vars, files);
  const kept = memo.get(key);
  if (kept) return kept;
  const lines = installLines(text, vars, files);
  memo.put(key, lines);
  return lines;
}

/**
 * Scan one package directory (`ents`: its entries, when the caller has read them already;
 * `listed`: every regular file under its files/, when the caller has listed it already).
 */
export function scanPackage(pkgDir: string, ents: Entries = entries(pkgDir), listed?: string[]): EbuildPackage {
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
  const files = (listed ?? filesUnder(filesDir)).sort();
  if (files.every((f) => PATCH.test(f))) return pkg;
  const fileSet = new Set(files);

  const pairs = new Map<string, RepoService>();
  const claimed = new Set<string>();
  const unitNames = new Map<string, string>();
  /** Files an exact init.d line installs, with the names (for their older versions). */
  const installedAs = new Map<string, Set<string>>();
  const partial: { line: InstallLine; confd: string | null }[] = [];
  for (const eb of ebuilds) {
    let text: string;
    try {
      text = readFileSync(eb, 'utf8');
    } catch {
      continue;
    }
    if (!MAY_INSTALL.test(text)) continue;
    const lines = memoInstallLines(text, ebuildVars(pkgDir, eb), files).filter((l) => fileSet.has(l.src));
    const confByName = new Map<string, string>();
    for (const l of lines) {
      if (l.partial) continue;
      claimed.add(l.src);
      if (l.kind === 'confd' && !l.user) confByName.set(l.name, l.src);
      if (l.kind === 'unit') unitNames.set(l.src, l.name);
      if (l.kind === 'initd') (installedAs.get(l.src) ?? installedAs.set(l.src, new Set()).get(l.src)!).add(l.name);
    }
    for (const l of lines) {
      // A user service (/etc/user/init.d, run by `openrc --user`) is not a system service:
      // claimed (never named after its file), not listed.
      if (l.kind !== 'initd' || l.user) continue;
      const confd = confByName.get(l.name) ?? null;
      if (l.partial) {
        partial.push({ line: l, confd });
        continue;
      }
      // the same file filled in otherwise by another ebuild is another installed script
      const key = `${l.name}\0${l.src}\0${confd ?? ''}${l.fills ? `\0${JSON.stringify(l.fills)}` : ''}`;
      const known = pairs.get(key);
      if (known) {
        if (!known.ebuilds?.includes(eb)) (known.ebuilds ??= []).push(eb);
        continue;
      }
      pairs.set(key, {
        name: l.name,
        initd: l.src,
        confd,
        via: 'ebuild',
        nameFrom: 'ebuild',
        pkgDir,
        ebuilds: [eb],
        units: [],
        ...(l.fills ? { fills: l.fills } : {}),
      });
    }
  }
  // A line that names its source only in part: the files that fit and no exact line installs.
  for (const { line: l, confd } of partial) {
    if (claimed.has(l.src)) continue;
    pairs.set(`${l.name}\0${l.src}\0${confd ?? ''}${l.fills ? `\0${JSON.stringify(l.fills)}` : ''}`, {
      name: l.name,
      initd: l.src,
      confd,
      via: 'ebuild',
      nameFrom: 'ebuild-partial',
      nameNote: `an ebuild installs one of several files as ${l.name} (which one depends on the build); this is one of them`,
      pkgDir,
      units: [],
      ...(l.fills ? { fills: l.fills } : {}),
    });
  }
  for (const { line: l } of partial) claimed.add(l.src);
  // The same script installed with a conf.d by one ebuild and without by another: the pairing wins.
  for (const [k, s] of pairs)
    if (
      s.confd === null &&
      [...pairs.values()].some(
        (o) =>
          o.name === s.name && o.initd === s.initd && o.confd && JSON.stringify(o.fills) === JSON.stringify(s.fills),
      )
    )
      pairs.delete(k);

  // Files no ebuild line names: an older version of one a line installs takes its name(s);
  // otherwise the name is read from the file name, and the record says so.
  const confCands = files.flatMap((f) => {
    const stem = confdStem(path.basename(f));
    return stem ? [{ f, stem }] : [];
  });
  const pn = path.basename(pkgDir);
  /**
   * beanstalkd's `files/init` beside `init-1.9`, which the ebuild installs with `conf-1.9`: the
   * older script came with the older version of that conf.d (`conf`), a file no line installs
   * now and whose name alone (`conf`) names no service. Only an unclaimed file of the same
   * version key as the conf.d the newer script is installed with, under the same name, is taken.
   */
  const olderConfd = (newer: [string, Set<string>][], name: string): string | undefined => {
    const keys = new Set(
      [...pairs.values()]
        .filter((p) => p.name === name && p.confd && newer.some(([src]) => src === p.initd))
        .map((p) => versionKey(path.basename(p.confd!))),
    );
    const cands = files.filter(
      (f) =>
        !claimed.has(f) &&
        keys.has(versionKey(path.basename(f))) &&
        !PATCH.test(f) &&
        !INITD_NAME.test(path.basename(f)),
    );
    return cands.length === 1 ? cands[0] : undefined;
  };
  for (const f of files) {
    if (claimed.has(f)) continue;
    const base = path.basename(f);
    if (confdStem(base) || /\.(service|socket|timer|patch|diff|conf|pam|logrotate|tmpfiles)$/.test(base)) continue;
    const strong = INITD_NAME.test(base);
    // Named like an init script: its head need not be read.
    if (!strong && !OPENRC_SHEBANG.test(head(f))) continue;
    const key = versionKey(base);
    const newer = [...installedAs].filter(([src]) => versionKey(path.basename(src)) === key);
    const newerNames = [...new Set(newer.flatMap(([, names]) => [...names]))].sort();
    const bare = withoutVersionPrefix(base, pn);
    let fromName: string | null = initdStem(bare) ?? serviceStem(bare);
    // `files/init.d`, `files/initd`, `files/openrc`: the file name says nothing, the package does.
    if (/^(init\.?d?|rc|openrc|initscript)$/.test(fromName)) fromName = pn;
    const names = newerNames.length ? newerNames : VALID_NAME.test(fromName) ? [fromName] : [];
    for (const name of names) {
      const stemConfs = confCands.filter((c) => c.stem === name || c.stem === fromName);
      const t = tail(base);
      const confd =
        stemConfs.find((c) => tail(path.basename(c.f)) === t)?.f ??
        stemConfs.find((c) => tail(path.basename(c.f)) === '')?.f ??
        stemConfs[0]?.f ??
        olderConfd(newer, name) ??
        null;
      const rel = (p: string) => path.relative(filesDir, p);
      pairs.set(`${name}\0${f}\0${confd ?? ''}`, {
        name,
        initd: f,
        confd,
        via: 'name',
        ...(newerNames.length
          ? {
              nameFrom: 'older-version' as const,
              nameNote: `no ebuild installs this file; it is an older version of ${newer.map(([src]) => rel(src)).join(', ')}, which an ebuild installs as ${newerNames.join(', ')}`,
            }
          : {
              nameFrom: 'file-name' as const,
              nameNote: `no ebuild line says what this file is installed as: ${name} is read from its file name and may not be the installed name`,
            }),
        pkgDir,
        units: [],
      });
    }
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
  const root = path.resolve(dir);
  for (const p of serviceListings(root, subdirCounts(root))) {
    const pkg = scanPackage(p.dir, p.ents ?? entries(p.dir), p.files);
    if (pkg.services.length > 0) yield pkg;
  }
}

/**
 * File systems whose directories have a link count of 2 + their number of subdirectories
 * (statfs(2) magic numbers): ext2/3/4, XFS, tmpfs. GNU find's leaf optimisation rests on the
 * same rule, and is turned off where it does not hold (NFS, CIFS, AFS, /proc); btrfs and
 * overlayfs (for a directory merged from several layers) give 1, which the walk below never
 * takes for a count. Anything not in this list is listed in full.
 */
const SUBDIR_COUNTING_FS = new Set([0xef53, 0x58465342, 0x01021994]);

/** The device of `root` when its file system counts subdirectories in link counts, else null. */
function subdirCounts(root: string): { dev: number } | null {
  try {
    return SUBDIR_COUNTING_FS.has(statfsSync(root).type) ? { dev: statSync(root).dev } : null;
  } catch {
    return null;
  }
}

/**
 * packageListings for repoPackages: the same packages in the same order, minus those that
 * cannot hold an init script, found with fewer directory listings. Where link counts are
 * trusted (`counts`: same device as the root, on a file system above), a directory's link
 * count says how many subdirectories it has, so that
 * - a directory without any (2: most packages, with only ebuilds, Manifest, metadata.xml)
 *   has no files/ and nothing to walk into: one look for `files` (it may be a symlink, or a
 *   plain file: then it is listed as before) instead of a listing;
 * - a directory whose only one is files/ (3) is a package with nothing else to walk into:
 *   its files/ is listed first, and the package itself only when files/ holds more than
 *   patches (scanPackage's own rule; most files/ hold only patches).
 * `ents` is unset when the package directory was not listed; `files` is set when files/ was.
 */
function* serviceListings(
  dir: string,
  counts: { dev: number } | null,
  depth = 0,
): Generator<{ dir: string; ents?: Entries; files?: string[] }> {
  if (depth > 0 && counts) {
    const st = lstatSync(dir, { throwIfNoEntry: false });
    if (st?.isDirectory() && st.dev === counts.dev && (st.nlink === 2 || st.nlink === 3)) {
      // (existsSync is the cheaper call: false for no files/ at all, or a dangling symlink.)
      const filesDir = child(dir, 'files');
      if (st.nlink === 2 && !existsSync(filesDir)) return;
      const files = st.nlink === 3 ? lstatSync(filesDir, { throwIfNoEntry: false }) : undefined;
      if (files?.isDirectory()) {
        const listed = filesUnder(filesDir);
        if (!listed.every((f) => PATCH.test(f))) yield { dir, files: listed };
        return;
      }
    }
  }
  const ents = entries(dir);
  if (isPackage(ents) && depth > 0) {
    yield { dir, ents };
    return;
  }
  if (depth >= 8) return;
  for (const name of subdirectories(ents)) yield* serviceListings(child(dir, name), counts, depth + 1);
}
