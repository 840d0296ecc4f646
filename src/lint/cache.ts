/**
 * `lint --cache`: findings kept from earlier runs, so that a script that has not changed is
 * neither parsed nor checked again (ESLint's --cache, Ruff's cache). In CI the file is restored
 * between runs (docs/lint-ci.md); a lint of a repository where a few scripts changed then
 * costs its discovery and the changed scripts.
 *
 * An entry is found by a SHA-256 of everything lintParsed reads (it is pure: lint.ts): the
 * paths as displayed, both texts, the mode, the service name, --openrc-version and the file's
 * config. The whole cache belongs to one fingerprint of what else decides findings: the
 * program itself (every file of the bundle or of the build, the grammar and the knowledge base
 * by content, not by version: a development build changes without a new version) and the
 * shells the syntax-error check asks (dash and bash, found on PATH as a spawn finds them, by
 * path, size and modification time). A cache made for another fingerprint is started afresh.
 *
 * The file is written whole, to a new file renamed over the old one: a run that stops half way
 * leaves the old cache or the new one, never a mix. A file at the cache's place that this
 * program did not write (it does not begin as a cache does) is never overwritten: lint then
 * runs without writing a cache and says so. Entries not used in the last KEEP_RUNS runs go.
 */
import {
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { crypto } from '../builtins.js';
import { SHELL_PATH } from '../parse/syntax-check.js';
import type { InstallLine, InstallLinesMemo } from '../discover/ebuild-repo.js';
import type { Version } from './check.js';
import type { LintConfig, LintFileInput } from './lint.js';
import type { Finding } from './types.js';

/** The file's first bytes: what tells a cache this program wrote from anything else. */
const HEAD = '{"format":"rc-supervise lint cache","version":1,';
/** The default file name (in the current directory, or in the directory --cache-location names). */
export const DEFAULT_CACHE_NAME = '.rc-supervise-cache';
/** An entry not used in this many runs is dropped (a cache shared by lints of several trees keeps each). */
export const KEEP_RUNS = 20;

interface Entry {
  /** The run that last used it. */
  run: number;
  findings: Finding[];
}

/** What an ebuild's install lines were (discovery's slowest part: ebuild-repo.ts installLines). */
interface InstallsEntry {
  run: number;
  lines: InstallLine[];
}

interface CacheData {
  format: 'rc-supervise lint cache';
  version: 1;
  fingerprint: string;
  run: number;
  entries: Record<string, Entry>;
  installs: Record<string, InstallsEntry>;
}

/**
 * The program's files: the release bundle's lib/ (the bundle, its worker, the knowledge base,
 * the grammar and tree-sitter's runtime), or a development build's dist/src and dist/rules (the
 * service rules lint resolves), with the grammar it loads. Hashed by content: ~6 ms for the
 * bundle's 3 MB, paid only with --cache.
 */
export function programFiles(): string[] {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.cjs')) {
    const lib = path.dirname(here);
    // The code cache (.cache) is left out: it changes with the Node that made it, not what the program does.
    return readdirSync(lib)
      .filter((n) => !n.endsWith('.cache'))
      .sort()
      .map((n) => path.join(lib, n));
  }
  const src = path.resolve(path.dirname(here), '..');
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(js|ts)$/.test(e.name)) out.push(p);
    }
  };
  walk(src);
  const rules = path.resolve(src, '..', 'rules');
  if (statOrNull(rules)?.isDirectory()) walk(rules);
  return out;
}

/** Where a spawn of `name` would find it (the PATH the shells run with, as execvp searches it), with its size and time; 'absent' when nowhere. */
function shellIdentity(name: string): string {
  for (const dir of SHELL_PATH.split(':')) {
    const p = path.join(dir || '.', name);
    try {
      const st = statSync(p);
      if (st.isFile() && st.mode & 0o111) return `${path.resolve(p)} ${st.size} ${st.mtimeMs}`;
    } catch {
      // not here: the next PATH entry
    }
  }
  return 'absent';
}

/** What decides findings besides one target's own input (see the top of this file). */
export function fingerprint(grammar: string): string {
  const h = crypto().createHash('sha256');
  const files = programFiles();
  if (!files.includes(grammar)) files.push(grammar);
  for (const f of files) {
    h.update(`${f}\0`);
    h.update(readFileSync(f));
  }
  h.update(`\0${shellIdentity('dash')}\0${shellIdentity('bash')}\0${process.version}`);
  return h.digest('hex');
}

/** An entry's key: everything lintParsed reads of one target, under the run's fingerprint. */
export function cacheKey(fp: string, input: LintFileInput, target: Version | undefined, config: LintConfig): string {
  const h = crypto().createHash('sha256');
  h.update(
    JSON.stringify([
      fp,
      input.initdPath,
      input.confdPath ?? null,
      input.mode ?? null,
      input.name ?? null,
      target ?? null,
      config,
    ]),
  );
  // The texts by length and content: no separator inside one can be mistaken for the boundary.
  for (const t of [input.initdText, input.confdText ?? null]) {
    h.update(t === null ? '\0-' : `\0${t.length}\0`);
    if (t !== null) h.update(t);
  }
  return h.digest('hex');
}

/** A cache file read (or a new one), its entries looked up and added during one run, then saved. */
export class LintCache {
  private readonly data: CacheData;
  private changed = false;

  private constructor(
    /** The file to write (symbolic links resolved), or null when it is not ours to write. */
    readonly file: string | null,
    data: CacheData | null,
    fp: string,
    /** Why the cache is not used as it was found, for a note (null: nothing to say). */
    readonly note: string | null,
  ) {
    const run = (data?.run ?? 0) + 1;
    this.data =
      data && data.fingerprint === fp
        ? { ...data, run }
        : { format: 'rc-supervise lint cache', version: 1, fingerprint: fp, run, entries: {}, installs: {} };
    if (!data || data.fingerprint !== fp) this.changed = true;
  }

  /**
   * Reads the cache at `location` (a file, or a directory to hold DEFAULT_CACHE_NAME). A file
   * that is not a cache is left alone: the cache then starts empty and is not written. Never
   * throws: a place that cannot be looked at (ENOTDIR, ELOOP, EACCES...) is said in the note.
   */
  static open(location: string, fp: string): LintCache {
    let file = location;
    const without = (why: string) => new LintCache(null, null, fp, `${file}: ${why}; linting without the cache`);
    const code = (e: unknown) => (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    let st;
    try {
      if (statSync(location, { throwIfNoEntry: false })?.isDirectory()) file = path.join(location, DEFAULT_CACHE_NAME);
      // `dir/` names a directory: one that does not exist is not taken for a file name.
      else if (/\/$/.test(location)) return without('no such directory');
      // A symbolic link at the cache's place is kept: the file it names is the cache.
      if (lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink()) {
        try {
          file = realpathSync(file);
        } catch {
          return without('a symbolic link to nothing (or to where it cannot be followed)');
        }
      }
      st = statSync(file, { throwIfNoEntry: false });
    } catch (e) {
      return without(`cannot be looked at (${code(e)})`);
    }
    if (!st) return new LintCache(path.resolve(file), null, fp, null);
    // Looked at before reading: a FIFO would block the read, a large file of someone else's be read whole.
    if (!st.isFile()) return without('not a regular file');
    let text: string;
    try {
      if (!ours(readHead(file, HEAD.length)))
        return without('not an rc-supervise cache, left as it is (--cache-location names another file)');
      text = readFileSync(file, 'utf8');
    } catch (e) {
      return without(`cannot be read (${code(e)})`);
    }
    if (text === '') return new LintCache(path.resolve(file), null, fp, null);
    let data: CacheData | null = null;
    try {
      data = wellFormed(JSON.parse(text));
    } catch {
      // A cache this program wrote, damaged since (a disk that lost its tail): started afresh.
    }
    return new LintCache(path.resolve(file), data, fp, data ? null : `${file}: a damaged cache; starting it afresh`);
  }

  /** The findings kept under `key`, marked as used by this run; undefined when there are none (or the entry is damaged). */
  get(key: string): Finding[] | undefined {
    return this.use(this.data.entries, key, isEntry)?.findings;
  }

  /** The entry under `key` when well formed (a damaged one is dropped: a miss), marked as used by this run. */
  private use<E extends { run: number }>(
    table: Record<string, E>,
    key: string,
    valid: (e: unknown) => e is E,
  ): E | undefined {
    const e = own(table, key);
    if (!e) return undefined;
    if (!valid(e)) {
      delete table[key];
      this.changed = true;
      return undefined;
    }
    if (e.run !== this.data.run) {
      e.run = this.data.run;
      this.changed = true;
    }
    return e;
  }

  put(key: string, findings: Finding[]): void {
    this.data.entries[key] = { run: this.data.run, findings };
    this.changed = true;
  }

  /** The ebuilds' install lines, kept the same way (discovery asks: ebuild-repo.ts setInstallLinesMemo). */
  installMemo(): InstallLinesMemo {
    const installs = this.data.installs;
    return {
      key: (text, vars, files) => {
        const h = crypto().createHash('sha256');
        h.update(JSON.stringify([vars, files]));
        h.update('\0');
        h.update(text);
        return h.digest('hex');
      },
      get: (key) => this.use(installs, key, isInstalls)?.lines,
      put: (key, lines) => {
        installs[key] = { run: this.data.run, lines };
        this.changed = true;
      },
    };
  }

  /**
   * Writes the cache (when it is ours and anything changed), dropping entries unused for
   * KEEP_RUNS runs. Returns why it could not be written, or null. The file is looked at again
   * just before: one put there during the run by something else is not overwritten (a file
   * written between that look and the rename still would be).
   */
  save(): string | null {
    if (!this.file) return null;
    const keep = this.data.run - KEEP_RUNS;
    for (const table of [this.data.entries, this.data.installs])
      for (const [k, e] of Object.entries(table))
        if (!(isObject(e) && typeof e.run === 'number' && e.run > keep)) {
          delete table[k];
          this.changed = true;
        }
    if (!this.changed) return null;
    // HEAD's key order is JSON.stringify's: format, version first.
    const text = JSON.stringify({
      format: this.data.format,
      version: this.data.version,
      fingerprint: this.data.fingerprint,
      run: this.data.run,
      entries: this.data.entries,
      installs: this.data.installs,
    });
    try {
      const now = statSync(this.file, { throwIfNoEntry: false });
      if (now && (!now.isFile() || !ours(readHead(this.file, HEAD.length))))
        return `${this.file}: something else was put there during the run; left as it is, the cache not written`;
      writeWhole(this.file, text);
      return null;
    } catch (e) {
      return `${this.file}: the cache could not be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
    }
  }
}

/** The first bytes of a file this program may have written: empty, HEAD, or a cut-off start of HEAD (a damaged cache). */
function ours(head: string): boolean {
  return HEAD.startsWith(head);
}

/** A record's own property (the keys are hashes; `__proto__` and friends are never ours). */
function own<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const SEVERITIES = new Set(['error', 'warning', 'info']);

/**
 * The cache file's top level as this program writes it, or null. Entries are checked one by
 * one when used (isEntry, isInstalls): a damaged one is a miss, never a wrong answer or a crash.
 * Hand-written rather than ajv: loading ajv would cost a lint of unchanged scripts more than
 * these checks, and only the entries a run uses are looked at.
 */
function wellFormed(x: unknown): CacheData | null {
  if (!isObject(x) || typeof x.run !== 'number' || !Number.isInteger(x.run) || x.run < 0) return null;
  if (typeof x.fingerprint !== 'string' || !isObject(x.entries)) return null;
  if (x.installs !== undefined && !isObject(x.installs)) return null;
  return { ...(x as unknown as CacheData), installs: (x.installs as CacheData['installs'] | undefined) ?? {} };
}

function isFinding(f: unknown): f is Finding {
  return (
    isObject(f) &&
    typeof f.ruleId === 'string' &&
    typeof f.severity === 'string' &&
    SEVERITIES.has(f.severity) &&
    typeof f.message === 'string' &&
    typeof f.file === 'string' &&
    Number.isInteger(f.line) &&
    Number.isInteger(f.col) &&
    (f.endLine === undefined || Number.isInteger(f.endLine)) &&
    (f.endCol === undefined || Number.isInteger(f.endCol)) &&
    (f.source === undefined || typeof f.source === 'string') &&
    (f.fix === undefined || (isObject(f.fix) && Array.isArray(f.fix.edits)))
  );
}

function isEntry(e: unknown): e is Entry {
  return isObject(e) && typeof e.run === 'number' && Array.isArray(e.findings) && e.findings.every(isFinding);
}

function isInstalls(e: unknown): e is InstallsEntry {
  return (
    isObject(e) &&
    typeof e.run === 'number' &&
    Array.isArray(e.lines) &&
    e.lines.every(
      (l) =>
        isObject(l) &&
        typeof l.kind === 'string' &&
        typeof l.src === 'string' &&
        typeof l.name === 'string' &&
        Number.isInteger(l.line),
    )
  );
}

/** The first `n` bytes of a file, as text. */
function readHead(file: string, n: number): string {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    let got = 0;
    while (got < n) {
      const k = readSync(fd, buf, got, n - got, null);
      if (k === 0) break;
      got += k;
    }
    return buf.subarray(0, got).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function statOrNull(p: string) {
  try {
    return statSync(p);
  } catch {
    return null;
  }
}

/**
 * A new file beside `file`, renamed over it: readers see the old cache or the new one. The old
 * file's mode and owner stay. Not fsync'ed: a cache lost to a crash costs one slower run, and
 * one damaged by it is started afresh (open).
 */
function writeWhole(file: string, text: string): void {
  const old = statOrNull(file);
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  // Created private, then given the old file's mode (or the umask's default for a new one): a
  // private cache is never readable by others, even for a moment.
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    try {
      const buf = Buffer.from(text, 'utf8');
      for (let at = 0; at < buf.length;) at += writeSync(fd, buf, at);
      if (old) {
        if (process.getuid?.() === 0) fchownSync(fd, old.uid, old.gid);
        fchmodSync(fd, old.mode & 0o7777);
      } else fchmodSync(fd, 0o666 & ~process.umask());
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
