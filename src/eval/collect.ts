/**
 * `npm run eval`'s input: the services of a system root, an ebuild repository, or a
 * directory of several of them, read into memory and deduplicated by content.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { compareVersions } from '../knowledge/installed.js';
import {
  findPackages,
  isEbuildRepo,
  isNamedRepo,
  scanPackage,
  type Fill,
  type NameFrom,
} from '../discover/ebuild-repo.js';

export interface EvalUnit {
  /** Installed name, e.g. `foo.service`. */
  name: string;
  text: string;
}

export interface EvalService {
  /** sha256 of init.d + conf.d: the deduplication key. */
  id: string;
  /** Installed name (the first, sorted, when identical files are installed under several names). */
  name: string;
  /** Every name the same files are installed under. */
  names: string[];
  /**
   * Where the files came from (paths relative to the input directory); in an ebuild
   * repository also where the name came from, and in words when no ebuild line gives it.
   */
  sources: {
    initd: string;
    confd: string | null;
    via: 'ebuild' | 'name' | 'root';
    nameFrom?: NameFrom;
    nameNote?: string;
    /** The ebuild's sed substitutions written into the script (`from` → `to`), as the installed script has them. */
    filled?: { from: string; to: string }[];
  }[];
  initd: string;
  confd: string | null;
  /** Units shipped beside it (package's files/, or the root's systemd directories). */
  units: EvalUnit[];
  /**
   * In an ebuild repository: the oldest ebuild that installs the script (category and
   * `<PN>-<PVR>`), written into the temporary root's var/db/pkg as Gentoo records an
   * installed package. The oldest, so that a version-dependent fact is never taken from a
   * newer package than the script may come with (the newest with `--installed newest`).
   */
  installedBy?: { category: string; pf: string };
  /** logrotate files the package ships beside it (installed into etc/logrotate.d). */
  logrotate?: EvalUnit[];
  /** cron jobs the package ships beside it (installed into etc/cron.weekly). */
  cron?: EvalUnit[];
}

export type InputKind = 'root' | 'repo' | 'several';

function isRoot(dir: string): boolean {
  try {
    return statSync(path.join(dir, 'etc/init.d')).isDirectory();
  } catch {
    return false;
  }
}

export function inputKind(dir: string): InputKind {
  if (isRoot(dir)) return 'root';
  // A folder of several repositories and roots is not one repository because one of them has a
  // package directory at its top (gentoo-mirror/ROKO__'s cachyos-sources/files, two levels
  // below such a folder, looks like <category>/<package>/files).
  const subs = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.startsWith('.'));
  if (!isNamedRepo(dir) && subs.some((e) => isRoot(path.join(dir, e.name)) || isNamedRepo(path.join(dir, e.name))))
    return 'several';
  if (isEbuildRepo(dir)) return 'repo';
  return 'several';
}

function read(p: string): string | null {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return null;
  }
}

interface Raw {
  name: string;
  initdPath: string;
  confdPath: string | null;
  via: 'ebuild' | 'name' | 'root';
  nameFrom?: NameFrom;
  nameNote?: string;
  units: { name: string; path: string }[];
  ebuilds?: string[];
  logrotate?: string[];
  cron?: string[];
  fills?: Fill[];
}

function rootServices(root: string): Raw[] {
  const initd = path.join(root, 'etc/init.d');
  const unitDirs = ['usr/lib/systemd/system', 'lib/systemd/system'].map((d) => path.join(root, d));
  const units = unitDirs.flatMap((d) =>
    existsSync(d)
      ? readdirSync(d)
          .filter((n) => n.endsWith('.service'))
          .map((n) => ({ name: n, path: path.join(d, n) }))
      : [],
  );
  return readdirSync(initd, { withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.startsWith('.') && !/[~#]$|\.(bak|orig|rej|dpkg-\w+)$/.test(e.name))
    .map((e) => {
      const confd = path.join(root, 'etc/conf.d', e.name);
      return {
        name: e.name,
        initdPath: path.join(initd, e.name),
        confdPath: existsSync(confd) ? confd : null,
        via: 'root' as const,
        units,
      };
    });
}

/** The files in a package's files/ whose name matches: logrotate files (`dnsmasq.logrotate`), cron jobs (`polipo.crond-2`). */
function filesNamed(filesDir: string, match: RegExp): string[] {
  try {
    return readdirSync(filesDir)
      .filter((n) => match.test(n))
      .sort()
      .map((n) => path.join(filesDir, n));
  } catch {
    return [];
  }
}

/** Files with cron in their name that no ebuild installs as a cron job. */
const NOT_A_JOB = /\.(patch|diff|service|timer|socket|deny|allow)$|(^|[-_./])pamd?([-_.]|$)/i;

function repoServices(dir: string): Raw[] {
  return findPackages(dir).flatMap((pkgDir) => {
    const pkg = scanPackage(pkgDir);
    const scripts = new Set(pkg.services.flatMap((s) => (s.confd ? [s.initd, s.confd] : [s.initd])));
    return (
      pkg.services
        // `foo.initd.head` / `.tail`: pieces an ebuild puts together, not scripts (as lint skips them)
        .filter((s) => !(s.via === 'name' && /\.(head|tail)$/.test(s.initd)))
        .map((s) => ({
          name: s.name,
          initdPath: s.initd,
          confdPath: s.confd,
          via: s.via,
          nameFrom: s.nameFrom,
          ...(s.nameNote ? { nameNote: s.nameNote } : {}),
          // A script no install line names (nfs-utils' `for f in nfs rpc.statd ...; do newinitd
          // "${FILESDIR}"/${f}.initd ${f}`) still lives in this package's files/: one of its
          // ebuilds installs it, so the package database names this package. Not an older
          // version of a script the ebuilds install (nut-2.6.5-init.d-upsd beside the one of
          // nut 2.8): the ebuild that installed it is gone, and so is its version.
          ebuilds: s.ebuilds ?? (s.nameFrom === 'file-name' ? pkg.ebuilds : undefined),
          logrotate: filesNamed(path.dirname(s.initd), /logrotate/i),
          // polipo's `polipo.crond-2` (exeinto /etc/cron.weekly) signals the daemon through its pid file.
          // The package's own init.d and conf.d files are no cron jobs, cron in their name or not
          // (scron's scron-0.4-initd, cronie's anacron-1.0-initd: each was read as a job of itself),
          // nor are patches, units, PAM files or access lists (cronie's cronie-systemd.patch names
          // /run/crond.pid: installed as a job, it refused another cron daemon in the same root).
          cron: filesNamed(path.dirname(s.initd), /cron/i).filter((f) => !scripts.has(f) && !NOT_A_JOB.test(f)),
          units: s.units.map((u) => ({ name: u.name, path: u.path })),
          ...(s.fills ? { fills: s.fills } : {}),
        }))
    );
  });
}

/** Every service under `dir`: a system root, an ebuild repository, or a directory holding several (roots or repositories, at any depth up to 3). */
function rawServices(dir: string): Raw[] {
  const kind = inputKind(dir);
  if (kind === 'root') return rootServices(dir);
  if (kind === 'repo') return repoServices(dir);
  const out: Raw[] = [];
  const walk = (d: string, depth: number) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (!e.isDirectory() || e.name.startsWith('.')) continue;
      const sub = path.join(d, e.name);
      if (isRoot(sub)) out.push(...rootServices(sub));
      else if (isEbuildRepo(sub)) out.push(...repoServices(sub));
      else if (depth < 3) walk(sub, depth + 1);
    }
  };
  walk(dir, 1);
  return out;
}

const PF = /^(.+?)-(\d[^-]*(?:-r\d+)?)$/;

/** a's version (`<PN>-<PVR>`) is older than b's; an unreadable version is never older. */
function older(a: string, b: string): boolean {
  const va = PF.exec(a)?.[2];
  const vb = PF.exec(b)?.[2];
  return !!va && !!vb && (compareVersions(va, vb) ?? 0) < 0;
}

/**
 * Which ebuild counts as installed where several install the same script: the oldest (the
 * default: a version-dependent fact is then never taken from a newer package than the script
 * may come with), or the newest (what emerge would install today: how far a current system
 * gets).
 */
export type InstalledChoice = 'oldest' | 'newest';

function pickEbuild(ebuilds: string[], choice: InstalledChoice): EvalService['installedBy'] {
  let best: EvalService['installedBy'];
  for (const eb of ebuilds) {
    const pf = path.basename(eb, '.ebuild');
    const category = path.basename(path.dirname(path.dirname(eb)));
    if (!PF.test(pf)) continue;
    if (!best || preferred(pf, best.pf, choice)) best = { category, pf };
  }
  return best;
}

function preferred(a: string, b: string, choice: InstalledChoice): boolean {
  return choice === 'oldest' ? older(a, b) : older(b, a);
}

/** sed's `s/from/to/` (`global`: `s/from/to/g`) on every line of `text`; `from` is literal (Fill). */
function substitute(text: string, from: string, to: string, global: boolean): string {
  return text
    .split('\n')
    .map((l) => (global ? l.split(from).join(to) : l.replace(from, () => to)))
    .join('\n');
}

/**
 * The script as the ebuild installs it: its sed substitutions (Fill) made, in order. A value a
 * USE flag chooses gives one variant per value (the product, when several do); a substitution
 * whose text the script does not hold changes nothing and gives no variant.
 */
export function filledVariants(
  text: string,
  fills: readonly Fill[],
): { text: string; filled: { from: string; to: string; choices: string[] }[] }[] {
  let out = [{ text, filled: [] as { from: string; to: string; choices: string[] }[] }];
  for (const f of fills) {
    out = out.flatMap((v) => {
      if (!v.text.includes(f.from)) return [v];
      return f.to.map((to) => ({
        text: substitute(v.text, f.from, to, f.global),
        filled: [...v.filled, { from: f.from, to, choices: f.to }],
      }));
    });
  }
  return out;
}

/** The services under `dir`, identical init.d + conf.d pairs merged (their sources and names kept). */
export function collectServices(dir: string, installed: InstalledChoice = 'oldest'): EvalService[] {
  const abs = path.resolve(dir);
  const byId = new Map<string, EvalService>();
  for (const raw of rawServices(abs)) {
    const text = read(raw.initdPath);
    if (text === null) continue;
    for (const v of filledVariants(text, raw.fills ?? [])) {
      const chosen = v.filled.filter((f) => f.choices.length > 1);
      const q = (t: string) => JSON.stringify(t);
      const r: Raw = chosen.length
        ? {
            ...raw,
            nameFrom: 'ebuild-partial',
            nameNote: `the ebuild fills in ${chosen.map((f) => `${f.from} with ${f.choices.map(q).join(' or ')}`).join(', ')} (a USE flag chooses): this is the script with ${chosen.map((f) => q(f.to)).join(', ')}`,
          }
        : raw;
      add(r, v.text, v.filled);
    }
  }
  function add(r: Raw, initd: string, filled: { from: string; to: string }[]): void {
    const confd = r.confdPath ? read(r.confdPath) : null;
    const id = createHash('sha256')
      .update(initd)
      .update('\0conf.d\0')
      .update(confd ?? '\0none')
      .digest('hex')
      .slice(0, 16);
    const source = {
      initd: path.relative(abs, r.initdPath),
      confd: r.confdPath ? path.relative(abs, r.confdPath) : null,
      via: r.via,
      ...(r.nameFrom ? { nameFrom: r.nameFrom } : {}),
      ...(r.nameNote ? { nameNote: r.nameNote } : {}),
      ...(filled.length ? { filled: filled.map(({ from, to }) => ({ from, to })) } : {}),
    };
    const by = pickEbuild(r.ebuilds ?? [], installed);
    const seen = byId.get(id);
    if (seen) {
      seen.sources.push(source);
      if (!seen.names.includes(r.name)) seen.names.push(r.name);
      if (by && (!seen.installedBy || preferred(by.pf, seen.installedBy.pf, installed))) seen.installedBy = by;
      return;
    }
    const units: EvalUnit[] = [];
    for (const u of r.units) {
      const text = read(u.path);
      if (text !== null && !units.some((x) => x.name === u.name)) units.push({ name: u.name, text });
    }
    const logrotate: EvalUnit[] = [];
    for (const f of r.logrotate ?? []) {
      const text = read(f);
      if (text !== null) logrotate.push({ name: path.basename(f), text });
    }
    const cron: EvalUnit[] = [];
    for (const f of r.cron ?? []) {
      const text = read(f);
      if (text !== null) cron.push({ name: path.basename(f), text });
    }
    byId.set(id, {
      ...(logrotate.length ? { logrotate } : {}),
      ...(cron.length ? { cron } : {}),
      id,
      name: r.name,
      names: [r.name],
      sources: [source],
      initd,
      confd,
      units,
      ...(by ? { installedBy: by } : {}),
    });
  }
  const out = [...byId.values()];
  for (const s of out) {
    s.names.sort();
    s.name = s.names[0];
  }
  return out.sort((a, b) => (a.name === b.name ? (a.id < b.id ? -1 : 1) : a.name < b.name ? -1 : 1));
}
