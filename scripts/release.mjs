#!/usr/bin/env node
/**
 * `npm run release`: the package people install, needing only Node.
 *
 * 1. esbuild bundles the CLI (src/cli/run.ts) and the worker thread (src/pool/worker.ts) into
 *    release/stage/rc-supervise/lib/, with code splitting so that each command still loads
 *    only what it needs; the version is compiled in (RC_SUPERVISE_VERSION, else package.json's).
 * 2. The grammar (tree-sitter-bash.wasm) and tree-sitter's runtime (web-tree-sitter.wasm) are
 *    copied beside the bundle: at run time nothing needs the tree-sitter-bash package (C sources,
 *    native prebuilds and an install script that fails where no prebuild exists).
 * 3. The man page and completions are generated from src/cli/spec.ts (scripts/gen-cli-docs.mjs),
 *    a package.json without dependencies is written, and `npm pack` makes
 *    release/rc-supervise-VERSION.tgz. No source maps: they would point at files not shipped.
 *
 * Prints the tarball's path on stdout.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { writeCliDocs } from './gen-cli-docs.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(REPO, 'package.json'));
const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8'));
const version = process.env.RC_SUPERVISE_VERSION ?? pkg.version;
if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(version)) throw new Error(`release: bad version ${version}`);

const OUT = path.join(REPO, 'release');
const STAGE = path.join(OUT, 'stage', 'rc-supervise');
rmSync(path.join(OUT, 'stage'), { recursive: true, force: true });
mkdirSync(path.join(STAGE, 'lib'), { recursive: true });

await build({
  absWorkingDir: REPO,
  entryPoints: { 'rc-supervise': 'src/cli/run.ts', worker: 'src/pool/worker.ts' },
  outdir: path.join(STAGE, 'lib'),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minifySyntax: true,
  legalComments: 'none',
  chunkNames: '[name]-[hash]',
  define: { __RC_SUPERVISE_VERSION__: JSON.stringify(version) },
  // CommonJS dependencies (ajv) call require(): give the ESM bundle one.
  banner: { js: "import { createRequire as __rcCreateRequire } from 'node:module'; const require = __rcCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
// Entries and chunks are all in lib/: the wasm files are looked up beside the module that loads them.
cpSync(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm'), path.join(STAGE, 'lib', 'tree-sitter-bash.wasm'));
cpSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm'), path.join(STAGE, 'lib', 'web-tree-sitter.wasm'));

mkdirSync(path.join(STAGE, 'bin'));
for (const f of ['rc-supervise.js', 'node-check.js']) cpSync(path.join(REPO, 'bin', f), path.join(STAGE, 'bin', f));
for (const f of ['LICENSE', 'README.md']) cpSync(path.join(REPO, f), path.join(STAGE, f));
cpSync(path.join(REPO, 'packaging/install.sh'), path.join(STAGE, 'install.sh'));
cpSync(path.join(REPO, 'schema'), path.join(STAGE, 'schema'), { recursive: true });
await writeCliDocs(STAGE, version);

const release = {
  name: pkg.name,
  version,
  description: pkg.description,
  keywords: ['openrc', 'supervise-daemon', 'init', 'gentoo', 'alpine', 'lint'],
  license: pkg.license,
  repository: pkg.repository,
  bugs: pkg.bugs,
  homepage: pkg.homepage,
  type: 'module',
  bin: { 'rc-supervise': 'bin/rc-supervise.js' },
  man: ['man/rc-supervise.8'],
  engines: pkg.engines,
  files: ['bin', 'lib', 'man', 'completions', 'schema', 'install.sh'],
};
writeFileSync(path.join(STAGE, 'package.json'), JSON.stringify(release, null, 2) + '\n');

const out = execFileSync('npm', ['pack', '--json', '--pack-destination', OUT], { cwd: STAGE, encoding: 'utf8' });
const [{ filename }] = JSON.parse(out);
process.stdout.write(path.join(OUT, filename) + '\n');
