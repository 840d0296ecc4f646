/**
 * The program, started by src/cli/run.ts (the development tree, from bin/) or by the release
 * bundle's loader (bin/load-bundle.cjs). No top-level await: the release bundle is a CommonJS
 * file, loaded with V8's code cache (scripts/release.mjs says why).
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { DEFAULT_CACHE_NAME } from '../lint/cache.js';

/**
 * lint's --cache (src/lint/cache.ts) is there already: the file --cache-location names (or
 * .rc-supervise-cache in it, when a directory), else .rc-supervise-cache here. Read from the raw
 * command line, as only a hint (a wrong answer costs time, never a result).
 */
function cacheExists(argv: string[]): boolean {
  if (!argv.includes('--cache')) return false;
  const k = argv.findIndex((a) => a === '--cache-location' || a.startsWith('--cache-location='));
  const at = k < 0 ? '.' : argv[k].includes('=') ? argv[k].slice(argv[k].indexOf('=') + 1) : (argv[k + 1] ?? '.');
  try {
    return existsSync(statSync(at).isDirectory() ? path.join(at, DEFAULT_CACHE_NAME) : at);
  } catch {
    return false;
  }
}

/** Runs the command line `argv` (without node and the script) and exits with its code. */
export async function start(argv: string[]): Promise<void> {
  // Let functions run longer before V8's optimising compiler takes them: a lint run spends
  // less on compiling than it loses in slower code (2,000 scripts: ~15% less wall time and CPU,
  // `npm run bench`). Set before our modules load; worker threads share the flag.
  if (!process.env.RC_SUPERVISE_V8_DEFAULTS) v8.setFlagsFromString('--interrupt-budget=600000');

  // `migrate --all` works in worker threads too: start them now, so that they boot while the
  // command line is parsed (src/pool/pool.ts; a run that turns out not to need them stops
  // them). `lint` starts its workers itself, once discovery has found enough scripts to keep
  // them busy: for a few scripts, booting one costs more than it saves.
  const command = argv.find((a) => !a.startsWith('-'));
  if (command === 'migrate' && argv.includes('--all')) (await import('../pool/pool.js')).startEarly('migrate');
  // lint needs the grammar, which V8 compiles in background threads (src/parse/parser.ts): start
  // now, so that it compiles while our modules load and discovery walks the tree. A failure is
  // reported where lint awaits it (the same promise). Not with a --cache that exists: the
  // scripts that have not changed need no grammar, and lint loads it when any has.
  const noLint = ['-h', '--help', '--list-rules', '--explain'];
  if (command === 'lint' && !argv.some((a) => noLint.includes(a.split('=')[0])) && !cacheExists(argv))
    void import('../parse/parser.js').then((m) => m.initParser()).catch(() => {});

  // A closed pipe (`rc-supervise revert --all 2>&1 | head -1`) must not kill a run half-way
  // through writing (EPIPE is an 'error' event, fatal when nobody listens): the output is
  // lost, the work is finished, the lock released.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});

  const { main } = await import('./main.js');

  const code = await main(argv);
  process.exitCode = code;
  // Exit as soon as our output is flushed: V8 may still be optimising code in the background,
  // and waiting for that would only delay the exit.
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}
