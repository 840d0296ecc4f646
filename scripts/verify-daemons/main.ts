/**
 * npm run verify-daemons [-- --kb DIR ...] [--only id,id] [--out docs/verified-daemons] [--wait MS] [--no-rules]
 *
 * For every entry (knowledge base JSON files + rules/*.ts) whose daemon Debian packages:
 * fetch the package (apt-get download + dpkg-deb -x, nothing installed), run the binary with
 * the entry's foreground words under real supervise-daemon in the e2e sandbox, and write
 * <out>.md and <out>.json. Daemons run one after the other. Needs root, Debian 12, apt-file.
 *
 * Exit codes: 0 report written; 2 bad arguments or environment; 70 our own bug.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RULES } from '../../rules/index.js';
import { e2eAvailable } from '../../test/e2e/harness.js';
import { ensureOpenRCTree, openrcVersion } from '../../test/helpers/openrc-cmdline.js';
import { CONTROLS, fromRule, loadKnowledge, mergeEntries, olderThanEntry, type VerifyEntry } from './entries.js';
import {
  aptFileLookup,
  choosePackage,
  dependencyClosure,
  hostInstalled,
  missingLibraries,
  unpackTree,
} from './packages.js';
import { recipeFor, SETUP_PRELUDE } from './recipes.js';
import { excuse, parseArgs, renderJson, renderMarkdown, verdict, type DaemonResult, type Report } from './report.js';
import { runDaemon } from './run.js';

/** The repository root, found from this file (compiled into .cache/verify-dist/scripts/verify-daemons/). */
function repoRoot(): string {
  let d = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(d, 'knowledge', 'schema.json'))) {
    const up = path.dirname(d);
    if (up === d) throw new Error('repository root not found');
    d = up;
  }
  return d;
}

/** Bump when a change to the verifier makes earlier results incomparable (--reuse). */
const VERIFIER_VERSION = 1;

const log = (s: string) => process.stderr.write(s + '\n');

async function main(): Promise<number> {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    log(`verify-daemons: ${(e as Error).message}`);
    return 2;
  }
  const root = repoRoot();
  // The harness finds the OpenRC tree relative to its own file, which is compiled elsewhere.
  process.env.RC_SUPERVISE_CACHE ??= path.join(root, '.cache');
  const fetch = spawnSync('bash', [path.join(root, 'scripts', 'fetch-openrc.sh')], { stdio: 'inherit' });
  if (fetch.status !== 0) {
    log('verify-daemons: scripts/fetch-openrc.sh failed');
    return 2;
  }
  const avail = e2eAvailable();
  if (!avail.ok) {
    log(`verify-daemons: the sandbox cannot run here: ${avail.why}`);
    return 2;
  }
  const openrc = ensureOpenRCTree();
  const schema = path.join(root, 'knowledge', 'schema.json');
  const kbEntries: VerifyEntry[] = [];
  const invalid: Report['invalid'] = [];
  for (const dir of opts.kb) {
    const abs = path.resolve(dir);
    if (!existsSync(abs)) {
      if (opts.kb.length === 1 && dir === 'knowledge/daemons') continue; // default, not written yet
      log(`verify-daemons: --kb ${dir}: no such directory`);
      return 2;
    }
    const r = loadKnowledge(abs, schema);
    kbEntries.push(...r.entries);
    invalid.push(...r.invalid);
  }
  let entries = [...CONTROLS, ...mergeEntries(opts.noRules ? [] : RULES.map(fromRule), kbEntries)];
  if (opts.only) entries = entries.filter((e) => opts.only!.includes(e.id));

  const previous = new Map<string, DaemonResult>();
  let previousDate = '';
  if (opts.reuse) {
    try {
      const prev = JSON.parse(readFileSync(opts.reuse, 'utf8')) as Report;
      previousDate = prev.date;
      for (const r of prev.results) if (r.key && r.obs) previous.set(r.key, r);
    } catch (err) {
      log(`verify-daemons: --reuse ${opts.reuse}: ${(err as Error).message}`);
      return 2;
    }
  }
  const found = aptFileLookup(entries.flatMap((e) => e.binaries));
  const host = hostInstalled();
  const cache = path.join(root, '.cache', 'verify-daemons');
  const results: DaemonResult[] = [];
  const out = path.resolve(root, opts.out);
  /** Written after every daemon too, so a long run can be watched (and survives an interruption). */
  const writeReport = () => {
    const report: Report = {
      date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
      debian: readFileSync('/etc/debian_version', 'utf8').trim(),
      openrc: openrcVersion(),
      kbDirs: opts.kb.map((d) => {
        const rel = path.relative(root, path.resolve(d));
        return rel && !rel.startsWith('..') ? rel : d;
      }),
      results,
      invalid,
    };
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(`${out}.md`, renderMarkdown(report));
    writeFileSync(`${out}.json`, renderJson(report));
  };
  for (const e of entries) {
    const t0 = Date.now();
    const base: DaemonResult = {
      id: e.id,
      origin: e.origin,
      foreground: e.foreground,
      declaredOwnPidfile: e.ownPidfile,
      status: 'skipped',
      why: '',
      expect: e.expect,
    };
    const recipe = recipeFor(e.recipe ?? e.id, e.origin.split(':')[0]);
    if (e.refuse) {
      results.push({ ...base, status: 'refused-entry', why: e.refuse });
      continue;
    }
    if (e.foreground === undefined) {
      results.push({ ...base, status: 'skipped', why: 'the entry gives no foreground words (nothing to verify)' });
      continue;
    }
    // the first binary Debian ships
    let choice: ReturnType<typeof choosePackage> = { why: 'no binaries' };
    let binary = e.binaries[0];
    for (const b of e.binaries) {
      const c = choosePackage(b, found.get(b));
      if (recipe?.pkg) {
        const hit = found.get(b)?.find((x) => x.pkg === recipe.pkg);
        if (hit) {
          choice = { pkg: hit };
          binary = b;
          break;
        }
      }
      if (c.pkg) {
        choice = c;
        binary = b;
        break;
      }
      if (!choice.pkg) choice = c;
    }
    base.binary = binary;
    if (!choice.pkg) {
      results.push({ ...base, status: 'not-in-debian', why: choice.why ?? '' });
      continue;
    }
    base.package = choice.pkg.pkg;
    if (recipe?.skip) {
      results.push({ ...base, status: 'skipped', why: recipe.skip });
      continue;
    }
    log(`verify-daemons: ${e.id} (${e.origin}): ${choice.pkg.pkg} ${choice.pkg.file}`);
    let tree: string;
    try {
      const closure = dependencyClosure([choice.pkg.pkg, ...(recipe?.extraPackages ?? [])], host);
      base.version = closure.packages.get(choice.pkg.pkg);
      if (closure.installedKb > 400_000) {
        results.push({
          ...base,
          status: 'skipped',
          why: `package + missing dependencies would take ${Math.round(closure.installedKb / 1024)} MB unpacked`,
        });
        continue;
      }
      tree = unpackTree(closure, path.join(cache, 'debs'), path.join(cache, 'trees', e.id));
    } catch (err) {
      results.push({ ...base, status: 'fetch-failed', why: (err as Error).message.slice(0, 500) });
      continue;
    }
    const older = olderThanEntry(e, base.version);
    if (older) {
      results.push({ ...base, status: 'refused-entry', why: older });
      continue;
    }
    // What this result depends on; --reuse takes over an earlier result with the same key.
    base.key = createHash('sha256')
      .update(JSON.stringify([VERIFIER_VERSION, e, recipe ?? null, base.version, choice.pkg.file]))
      .digest('hex')
      .slice(0, 16);
    const old = opts.fresh?.includes(e.id) ? undefined : previous.get(base.key);
    if (old?.obs) {
      // The observation is reused; the verdict is drawn again (the rules for it may have changed).
      const v = excuse(verdict(old.obs, e.ownPidfile), recipe?.needs);
      results.push({ ...old, ...v, reusedFrom: old.reusedFrom ?? previousDate });
      log(`  -> ${v.status} (reused)`);
      continue;
    }
    const binPath = choice.pkg.file.replace(/^\/(s?bin)\//, '/usr/$1/');
    const missing = existsSync(path.join(tree, binPath)) ? missingLibraries(tree, binPath, openrc) : [];
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'rcs-vd-'));
    const svc = e.services[0] ?? e.id;
    const fill = (t: string) => t.replace(/@TMP@/g, tmp);
    const spec = {
      svc: /^[A-Za-z0-9_.@+-]+$/.test(svc) ? svc : e.id,
      command: recipe?.binary ?? binPath,
      args: fill(recipe?.args ?? ''),
      foreground: e.foreground,
      // As a migration does: a daemon known to write its own pid file gets a supervisor
      // pidfile of another name; otherwise the usual /run/<service>.pid.
      supervisorPidfile: e.ownPidfile ? `/run/supervise-${svc}.pid` : `/run/${svc}.pid`,
      commandUser: recipe?.user,
      setup: SETUP_PRELUDE + fill(recipe?.setup ?? ''),
      tmp,
      layers: [tree],
      // a recipe may watch longer (an idle timeout after the usual wait), never shorter
      waitMs: Math.max(opts.waitMs, recipe?.waitMs ?? 0),
    };
    base.command = [spec.command, spec.args, spec.foreground].filter(Boolean).join(' ');
    try {
      const obs = await runDaemon(spec);
      const v = excuse(verdict(obs, e.ownPidfile), recipe?.needs);
      if (missing.length && v.status !== 'ok') v.why += ` (ldd: missing ${missing.join(', ')})`;
      results.push({ ...base, ...v, obs, durationMs: Date.now() - t0 });
      log(`  -> ${v.status} (${((Date.now() - t0) / 1000).toFixed(1)} s) ${v.why.slice(0, 300)}`);
    } catch (err) {
      results.push({ ...base, status: 'skipped', why: `run failed: ${(err as Error).message.slice(0, 500)}` });
      log(`  -> run failed: ${(err as Error).message}`);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
      writeReport();
    }
  }

  writeReport();
  log(`verify-daemons: wrote ${out}.md and ${out}.json`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    log(`verify-daemons: internal error: ${(e as Error).stack ?? e}`);
    process.exit(70);
  },
);
