import { createRequire } from 'node:module';
import { Language, Parser, type Node, type Tree } from 'web-tree-sitter';

const require = createRequire(import.meta.url);

let parser: Parser | undefined;
let loading: Promise<Parser> | undefined;

/** Loads the WASM runtime and the bash grammar once per process. */
export function initParser(): Promise<Parser> {
  if (parser) return Promise.resolve(parser);
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
