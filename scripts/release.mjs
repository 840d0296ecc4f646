#!/usr/bin/env node
/**
 * `npm run release`: the package people install, needing only Node.
 *
 * 1. esbuild bundles the program and its worker thread (src/cli/bundle.ts) into one CommonJS
 *    file, release/stage/rc-supervise/lib/rc-supervise.cjs, loaded by bin/load-bundle.cjs; a
 *    module reached only by import() is still initialised only when a command imports it. The
 *    version is compiled in (RC_SUPERVISE_VERSION, else package.json's); the knowledge base
 *    goes to lib/daemons.json. A training run then writes V8's code cache beside the bundle.
 * 2. The grammar (tree-sitter-bash.wasm) and tree-sitter's runtime (web-tree-sitter.wasm) are
 *    copied beside the bundle: at run time nothing needs the tree-sitter-bash package (C sources,
 *    native prebuilds and an install script that fails where no prebuild exists).
 * 3. The man page and completions are generated from src/cli/spec.ts (scripts/gen-cli-docs.mjs),
 *    a package.json without dependencies is written, and `npm pack` makes
 *    release/rc-supervise-VERSION.tgz. No source maps: they would point at files not shipped.
 *
 * Prints the tarball's path on stdout.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { writeCliDocs } from './gen-cli-docs.mjs';
import { generateOverlay } from './gen-overlay.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(REPO, 'package.json'));
const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8'));
const version = process.env.RC_SUPERVISE_VERSION ?? pkg.version;
if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(version)) throw new Error(`release: bad version ${version}`);

/**
 * web-tree-sitter finds Node's require through `await import("module")` and then declares a
 * `var require` of its own in the same function; bundled as CommonJS (import() made require(),
 * see below) that `require` would be the hoisted, still undefined local. It gets the
 * bundle's own require instead (the loader passes one in).
 */
const webTreeSitterRequire = {
  name: 'web-tree-sitter-require',
  setup(b) {
    b.onLoad({ filter: /web-tree-sitter[\\/]web-tree-sitter\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const from =
        /const \{ createRequire \} = await import\("module"\);\s*var require = createRequire\(import\.meta\.url\);/;
      if (!from.test(text))
        throw new Error('release: web-tree-sitter no longer loads require as expected; check the bundle');
      return { contents: text.replace(from, 'var require = __rcBundleRequire;'), loader: 'js' };
    });
  },
};

/**
 * The knowledge base (src/knowledge/daemons.generated.ts holds it as one string) is read from
 * lib/daemons.json on first use instead: as a string constant it would be in the bundle and
 * again in its code cache (400 KB each, the package must stay small), and a lint of clean
 * scripts does not read it at all.
 */
const knowledgeFromFile = {
  name: 'knowledge-from-file',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]knowledge[\\/]daemons\.generated\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const m = /^const TEXT = String\.raw`([^`]*)`;$/m.exec(text);
      if (!m) throw new Error('release: daemons.generated.ts has no TEXT constant; check scripts/build-knowledge.mjs');
      // String.raw: the text stands for itself (build-knowledge.mjs writes ` and ${ as \u escapes).
      writeFileSync(path.join(STAGE, 'lib', 'daemons.json'), m[1]);
      return {
        contents:
          "import { readFileSync } from 'node:fs';\n" +
          'let parsed;\n' +
          "export function daemons() { return (parsed ??= JSON.parse(readFileSync(new URL('./daemons.json', import.meta.url), 'utf8'))); }\n",
        loader: 'js',
      };
    });
  },
};

const OUT = path.join(REPO, 'release');
const STAGE = path.join(OUT, 'stage', 'rc-supervise');
rmSync(path.join(OUT, 'stage'), { recursive: true, force: true });
mkdirSync(path.join(STAGE, 'lib'), { recursive: true });

// One CommonJS file, not ES module chunks: Node 20 can give V8's code cache only to a script
// (vm.Script), and a run that loads its code from the cache starts ~20 ms sooner and lints a
// realistic overlay ~40 ms sooner (docs/speed.md). bin/load-bundle.cjs loads it; the cache is
// written below. What ES modules gave (each command loading only its own chunks) the bundle
// keeps: a module reached only by import() is initialised only when imported.
await build({
  absWorkingDir: REPO,
  entryPoints: { 'rc-supervise': 'src/cli/bundle.ts' },
  outdir: path.join(STAGE, 'lib'),
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minifySyntax: true,
  legalComments: 'none',
  // import() becomes require() (a vm.Script has no loader for import(), not even of Node's
  // own modules), and import.meta.url the bundle's URL, which the loader passes in.
  supported: { 'dynamic-import': false },
  define: { __RC_SUPERVISE_VERSION__: JSON.stringify(version), 'import.meta.url': '__rcUrl' },
  plugins: [webTreeSitterRequire, knowledgeFromFile],
  banner: { js: 'var __rcBundleRequire = require;' },
  logLevel: 'warning',
});
// The bundle and its worker are in lib/: the wasm files are looked up beside the module that loads them.
cpSync(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm'), path.join(STAGE, 'lib', 'tree-sitter-bash.wasm'));
cpSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm'), path.join(STAGE, 'lib', 'web-tree-sitter.wasm'));

mkdirSync(path.join(STAGE, 'bin'));
for (const f of ['rc-supervise.js', 'node-check.js', 'load-bundle.cjs'])
  cpSync(path.join(REPO, 'bin', f), path.join(STAGE, 'bin', f));
// Where the pool (src/pool/pool.ts) looks for a worker's script: beside the bundle.
cpSync(path.join(REPO, 'bin', 'bundle-worker.js'), path.join(STAGE, 'lib', 'worker.js'));
for (const f of ['LICENSE', 'README.md']) cpSync(path.join(REPO, f), path.join(STAGE, f));
cpSync(path.join(REPO, 'packaging/install.sh'), path.join(STAGE, 'install.sh'));
cpSync(path.join(REPO, 'schema'), path.join(STAGE, 'schema'), { recursive: true });
await writeCliDocs(STAGE, version);

// The code cache (bin/load-bundle.cjs): written by a training run of the staged package,
// `lint` over a small generated overlay (not the one `npm run bench` measures: another seed
// and size), the case where start-up weighs most. V8 keeps in it every function that run
// compiled; what other commands need beyond that is compiled as before, when first called.
const cleanEnv = () =>
  Object.fromEntries(
    Object.entries(process.env).filter(([k]) => k !== 'NODE_OPTIONS' && !k.startsWith('RC_SUPERVISE_')),
  );
const training = mkdtempSync(path.join(os.tmpdir(), 'rcs-release-training-'));
try {
  generateOverlay({ out: training, scripts: 30, files: 600, seed: 'code-cache' });
  const cache = path.join(STAGE, 'lib', 'rc-supervise.cjs.cache');
  const r = spawnSync(
    process.execPath,
    [path.join(STAGE, 'bin', 'rc-supervise.js'), 'lint', '--format', 'json', training],
    {
      // V8 checks its flags against the cache's: none from NODE_OPTIONS or our own variables.
      env: { ...cleanEnv(), RC_SUPERVISE_CODE_CACHE_OUT: cache, RC_SUPERVISE_JOBS: '1' },
      encoding: 'utf8',
    },
  );
  // 0 or 1 (findings): anything else is a broken bundle.
  if (r.status !== 0 && r.status !== 1) throw new Error(`release: the training run failed (${r.status}):\n${r.stderr}`);
  if (!existsSync(cache)) throw new Error('release: the training run wrote no code cache');
} finally {
  rmSync(training, { recursive: true, force: true });
}

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
