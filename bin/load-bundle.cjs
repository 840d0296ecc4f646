'use strict';
/**
 * Loads the release bundle, lib/rc-supervise.cjs, with V8's code cache beside it
 * (lib/rc-supervise.cjs.cache, written by scripts/release.mjs from a training run).
 *
 * Why by hand: Node 20 has no compile cache for ES modules (module.enableCompileCache is
 * Node 22), and compiling our ~1 MB of JavaScript is a good part of a short run's time. A
 * vm.Script given the cache's bytes skips parsing and compiling every function the training
 * run compiled. V8 rejects a cache made by another V8 or under other flags (another Node,
 * NODE_OPTIONS flags), and readCache() one made for another bundle or damaged: the script is
 * then compiled as usual, just slower. Nothing is written at run time.
 *
 * RC_SUPERVISE_CODE_CACHE_OUT=FILE: write the cache at exit, for the Node running this (the
 * release build's training run; a packager whose Node differs from the release's can run the
 * same: README, Install).
 */
const fs = require('node:fs');
const path = require('node:path');
const v8 = require('node:v8');
const vm = require('node:vm');
const { pathToFileURL } = require('node:url');

let loaded;

/** Writes a cache readCache takes: the CRC-32s, then V8's bytes (a new file, renamed into place). */
function writeCache(file, source, data) {
  const { crc32 } = require('node:zlib');
  if (typeof crc32 !== 'function')
    throw new Error('RC_SUPERVISE_CODE_CACHE_OUT: this Node has no zlib.crc32 (20.15+, 22.2+)');
  const header = Buffer.alloc(8);
  header.writeUInt32LE(crc32(source), 0);
  header.writeUInt32LE(crc32(data), 4);
  const tmp = file + '.' + process.pid + '.tmp';
  fs.writeFileSync(tmp, Buffer.concat([header, data]), { flag: 'wx' });
  fs.renameSync(tmp, file);
}

/**
 * The cache's bytes for V8, or why there are none. The release build puts two CRC-32s before
 * them: of the bundle it was made for, and of the bytes themselves. V8 checks only the
 * source's length (an edited bundle of the same length would run the old code) and, in
 * release builds, no checksum (damaged bytes crash the process): both are checked here.
 */
function readCache(file, source) {
  let raw;
  try {
    raw = fs.readFileSync(file);
  } catch (e) {
    // Only a speed-up: a cache that cannot be read (gone, no permission) is not used.
    return { state: e.code === 'ENOENT' ? 'none' : 'unreadable (' + e.code + '): not used' };
  }
  const { crc32 } = require('node:zlib');
  // zlib.crc32 is in Node 20.15+ and 22.2+, not in Node 21, which "engines" lets in.
  if (typeof crc32 !== 'function') return { state: 'unchecked (this Node has no zlib.crc32): not used' };
  if (raw.length < 8 || raw.readUInt32LE(0) !== crc32(source)) return { state: 'not for this bundle' };
  const data = raw.subarray(8);
  if (raw.readUInt32LE(4) !== crc32(data)) return { state: 'damaged' };
  return { state: 'found', data };
}

/** The bundle's exports ({ start, workerMain }), loaded once per thread. */
exports.load = function load() {
  if (loaded) return loaded;
  // V8's flags are part of what the cache is checked against: set the ones a run sets anyway
  // (src/cli/start.ts, src/parse/parser.ts: same conditions) before compiling, as the
  // training run had them when it wrote the cache.
  if (!process.env.RC_SUPERVISE_V8_DEFAULTS) v8.setFlagsFromString('--interrupt-budget=600000');
  if (!process.env.RC_SUPERVISE_WASM_TIERUP) v8.setFlagsFromString('--liftoff-only');
  v8.setFlagsFromString('--no-wasm-lazy-compilation');

  const file = path.join(__dirname, '..', 'lib', 'rc-supervise.cjs');
  const bytes = fs.readFileSync(file);
  const source = bytes.toString('utf8');
  const cache = readCache(file + '.cache', bytes);
  const cachedData = cache.data;
  // The bundle is CommonJS; __rcUrl stands for import.meta.url (scripts/release.mjs). The
  // wrapper's first line is the bundle's first line, so stack traces keep their line numbers.
  const wrapped = '(function (exports, require, module, __filename, __dirname, __rcUrl) {' + source + '\n})';
  const script = new vm.Script(wrapped, { filename: file, cachedData });
  const mod = { exports: {} };
  script
    .runInThisContext()
    .call(
      mod.exports,
      mod.exports,
      require('node:module').createRequire(file),
      mod,
      file,
      path.dirname(file),
      pathToFileURL(file).href,
    );
  const state = cachedData ? (script.cachedDataRejected ? 'rejected by V8' : 'accepted') : cache.state;
  const out = process.env.RC_SUPERVISE_CODE_CACHE_OUT;
  // worker_threads is loaded only when asked about (a lint of unchanged scripts needs no thread).
  const isMainThread = () => require('node:worker_threads').isMainThread;
  if (process.env.RC_SUPERVISE_TIMING && isMainThread())
    process.stderr.write('rc-supervise: timing: code cache ' + state + '\n');
  if (out && isMainThread()) process.once('exit', () => writeCache(out, bytes, script.createCachedData()));
  loaded = mod.exports;
  return loaded;
};
