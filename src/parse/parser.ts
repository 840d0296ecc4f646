import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { Language, Parser, type Node, type Tree } from 'web-tree-sitter';
import { flatten, LanguageInfo, wasmCursor, type FlatTree, type WasmCursor } from './flat.js';

const require = createRequire(import.meta.url);

/**
 * The bash grammar: beside this module in the release bundle (scripts/release.mjs copies it
 * there, so an installed rc-supervise needs no tree-sitter-bash package), else from the
 * tree-sitter-bash package of a development checkout.
 */
export function grammarPath(): string {
  const bundled = fileURLToPath(new URL('./tree-sitter-bash.wasm', import.meta.url));
  // Constant in the release build, which then drops the package lookup below altogether.
  if (typeof __RC_SUPERVISE_VERSION__ === 'string' || existsSync(bundled)) return bundled;
  return require.resolve('tree-sitter-bash/tree-sitter-bash.wasm');
}

/** Set by the release build (scripts/release.mjs). */
declare const __RC_SUPERVISE_VERSION__: string | undefined;

let parser: Parser | undefined;
let loading: Promise<Parser> | undefined;
let langInfo: LanguageInfo | undefined;
let cursor: WasmCursor | null = null;

/**
 * Loads the WASM runtime and the bash grammar once per process (per worker thread).
 *
 * V8 compiles WebAssembly twice: at once with its baseline compiler (Liftoff), then hot
 * functions again with TurboFan in background threads. For the grammar that second step
 * costs more than it saves at every size `npm run bench` measures (up to 8,000 files on two
 * cores): it takes the second core away from the lint worker, and the process must wait for
 * it at exit. So only Liftoff is used; RC_SUPERVISE_WASM_TIERUP=1 turns TurboFan back on.
 *
 * And it compiles all of the grammar at once, in background threads, instead of each function
 * on its first call in this thread (V8's default, lazy): a lint run calls most of them, and
 * compiled in the background they are ready by the time discovery is done (lint of 100
 * scripts: ~10 ms less in this thread, the same CPU in all).
 * The flags are process-wide and must be set before the first module is compiled.
 */
export function initParser(): Promise<Parser> {
  if (parser) return Promise.resolve(parser);
  if (!loading && !process.env.RC_SUPERVISE_WASM_TIERUP) v8.setFlagsFromString('--liftoff-only');
  if (!loading) v8.setFlagsFromString('--no-wasm-lazy-compilation');
  loading ??= (async () => {
    // Emscripten's Module options: the module fills this object with its exports, which the
    // tree walk of flat.ts calls directly (RC_SUPERVISE_PUBLIC_CURSOR=1: through TreeCursor).
    const wasmModule: Record<string, unknown> = {};
    await Parser.init(wasmModule);
    const lang = await Language.load(grammarPath());
    const p = new Parser();
    p.setLanguage(lang);
    langInfo = new LanguageInfo(lang);
    cursor = process.env.RC_SUPERVISE_PUBLIC_CURSOR ? null : wasmCursor(wasmModule);
    parser = p;
    return p;
  })();
  return loading;
}

/** Synchronous parse; initParser() must have resolved first. */
export function parseTree(text: string): Tree {
  if (!parser) throw new Error('internal: initParser() was not awaited');
  const tree = parser.parse(text);
  if (!tree) throw new Error('internal: tree-sitter returned no tree');
  return tree;
}

/** The whole tree parseTree gave, read into a FlatTree (flat.ts). */
export function flattenTree(tree: Tree, text: string): FlatTree {
  if (!langInfo) throw new Error('internal: initParser() was not awaited');
  return flatten(tree, text, langInfo, cursor);
}

/**
 * For tests: the flat tree of `tree` read through the module's exports (`direct`) or the
 * public TreeCursor, into arrays of `capacity` nodes to start with.
 */
export function flattenWith(tree: Tree, text: string, direct: boolean, capacity?: number): FlatTree {
  if (!langInfo) throw new Error('internal: initParser() was not awaited');
  if (direct && !cursor) throw new Error('internal: the WebAssembly module exports no cursor functions');
  return flatten(tree, text, langInfo, direct ? cursor : null, capacity);
}

export type { Node, Tree };
