/**
 * npm run eval -- [--out FILE] [--sample N] [--seed S] [--jobs N] [--keep] <dir>
 * npm run eval -- --lint [--out FILE] [--sample N] [--seed S] <dir>
 *
 * A development tool (not part of the CLI): see docs/eval.md.
 */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { lintSample, lintTable, lintTree } from './lint.js';
import { ensureOpenRCTree } from './openrc-record.js';
import { sampleText, table } from './report.js';
import { evaluate } from './run.js';

const USAGE = `usage: npm run eval -- [--lint] [--out FILE] [--sample N] [--seed S] [--jobs N] [--keep] <dir>
  <dir>       a system root (etc/init.d), an ebuild repository, or a directory of several
  --lint      lint the tree instead; --out gets every finding with its context (JSONL)
  --out FILE  one JSON record per service (or per finding with --lint)
  --sample N  print N random migrated services with their diff (--lint: N findings per check)
  --seed S    seed of the sample (default 1)
  --jobs N    checks run in parallel (default: the number of CPUs)
  --keep      keep the temporary roots (their path is printed)
  --installed oldest|newest
              where several ebuilds install the same script, the one taken as installed
              (default oldest: no version fact from a newer package than the script's)
`;

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        lint: { type: 'boolean' },
        out: { type: 'string' },
        sample: { type: 'string' },
        seed: { type: 'string' },
        jobs: { type: 'string' },
        keep: { type: 'boolean' },
        installed: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}`);
    return 4;
  }
  const { values: v, positionals } = parsed;
  if (v.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const int = (s: string | undefined, name: string, dflt: number): number => {
    if (s === undefined) return dflt;
    if (!/^\d+$/.test(s)) throw new Error(`--${name} ${s}: expected a whole number`);
    return Number(s);
  };
  let sampleN: number, seed: number, jobs: number | undefined;
  try {
    sampleN = int(v.sample, 'sample', 0);
    seed = int(v.seed, 'seed', 1);
    jobs = v.jobs === undefined ? undefined : Math.max(1, int(v.jobs, 'jobs', 1));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}`);
    return 4;
  }
  if (v.installed !== undefined && v.installed !== 'oldest' && v.installed !== 'newest') {
    process.stderr.write(`--installed ${v.installed}: expected oldest or newest\n${USAGE}`);
    return 4;
  }
  if (positionals.length !== 1) {
    process.stderr.write(USAGE);
    return 4;
  }
  const dir = path.resolve(positionals[0]);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    process.stderr.write(`eval: ${dir}: not a directory\n`);
    return 2;
  }
  const t0 = Date.now();
  const say = (m: string) => process.stderr.write(`eval: ${m}\n`);

  if (v.lint) {
    const { records, stderr } = await lintTree(dir);
    if (stderr.trim()) say(`lint said: ${stderr.trim().split('\n').slice(-3).join(' / ')}`);
    if (v.out) {
      writeFileSync(v.out, records.map((r) => JSON.stringify(r)).join('\n') + (records.length ? '\n' : ''));
      say(`${records.length} findings with their context in ${v.out}`);
    }
    process.stdout.write(lintTable(records, `lint findings in ${positionals[0]}`) + '\n');
    if (sampleN > 0) process.stdout.write('\n' + lintSample(records, sampleN, seed));
    say(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return 0;
  }

  ensureOpenRCTree();
  if (process.getuid?.() !== 0)
    say('not root: start_pre() and other functions of the scripts run as you, with no sandbox');
  const installed = v.installed as 'oldest' | 'newest' | undefined;
  const records = await evaluate(dir, { jobs, keep: v.keep, progress: say, installed });
  if (v.out) {
    writeFileSync(v.out, records.map((r) => JSON.stringify(r)).join('\n') + (records.length ? '\n' : ''));
    say(`${records.length} records in ${v.out}`);
  }
  process.stdout.write(table(records, `rc-supervise eval: ${positionals[0]}`) + '\n');
  if (sampleN > 0) process.stdout.write('\n' + sampleText(records, sampleN, seed));
  say(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`eval: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exit(70);
  },
);
