import { createRequire } from 'node:module';
import v8 from 'node:v8';
import { Language, Parser, type Node, type Tree } from 'web-tree-sitter';

const require = createRequire(import.meta.url);

let parser: Parser | undefined;
let loading: Promise<Parser> | undefined;

/**
 * Below this many files, V8's optimising compiler is not worth it for the grammar: it
 * compiles in background threads that the process must wait for at exit (~0.7 s on two
 * cores), longer than it saves. Measured with `npm run bench`.
 */
export const BASELINE_ONLY_BELOW = 1500;

/**
 * Loads the WASM runtime and the bash grammar once per process. `files`: how many files
 * this run will parse, when known, to pick V8's WebAssembly tiering.
 */
export function initParser(opts: { files?: number } = {}): Promise<Parser> {
  if (parser) return Promise.resolve(parser);
  if (!loading && opts.files !== undefined && opts.files < BASELINE_ONLY_BELOW && !process.env.RC_SUPERVISE_WASM_TIERUP)
    v8.setFlagsFromString('--liftoff-only');
  loading ??= (async () => {
    await Parser.init();
    const lang = await Language.load(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm'));
    const p = new Parser();
    p.setLanguage(lang);
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

export type { Node, Tree };
