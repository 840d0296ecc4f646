import type { Language, Tree } from 'web-tree-sitter';

/**
 * A syntax tree read out of tree-sitter's WebAssembly memory in one walk, into typed arrays:
 * for every visible node in document order its type, span, field, parent and siblings.
 *
 * Why: ShellFile reads a few properties of most nodes (type, end, parent, children), and
 * through web-tree-sitter's Node each of them is a call into WebAssembly with the node
 * copied into and out of a transfer buffer, value by value (~0.5 ms a script, as much as the
 * parse). Here a tree cursor walks the tree once, five calls a node, and everything after
 * that is JavaScript reading arrays.
 *
 * The cursor is driven through the WebAssembly module's own exports (`_ts_tree_cursor_*_wasm`,
 * the functions web-tree-sitter's TreeCursor calls) with the cursor left in the module's
 * transfer buffer between calls, so no value crosses into JavaScript but the five read.
 * Parser.init(options) takes Emscripten's Module options, and Emscripten fills that same
 * object with the module's exports: parser.ts keeps it (`WasmModule`). When those exports are
 * not there (another web-tree-sitter), the same walk goes through the public TreeCursor:
 * slower, the same tree. test/parse/flat.test.ts checks both walks against web-tree-sitter's
 * Node API node by node.
 */
export class FlatTree {
  /** Grammar symbol (alias resolved), as the Node API's typeId; 65535 for ERROR. */
  type: Uint16Array;
  /** Start and end, UTF-16 indices into text. */
  start: Int32Array;
  end: Int32Array;
  /** Field id in the parent (0: none). */
  field: Uint16Array;
  /** Index of the parent (-1 for the root), first child, next and previous sibling (-1: none). */
  parent: Int32Array;
  firstChild: Int32Array;
  nextSibling: Int32Array;
  prevSibling: Int32Array;
  count = 0;
  private readonly nodes: (FlatNode | undefined)[] = [];

  constructor(
    readonly text: string,
    readonly lang: LanguageInfo,
    capacity: number,
  ) {
    this.type = new Uint16Array(capacity);
    this.start = new Int32Array(capacity);
    this.end = new Int32Array(capacity);
    this.field = new Uint16Array(capacity);
    this.parent = new Int32Array(capacity);
    this.firstChild = new Int32Array(capacity).fill(-1);
    this.nextSibling = new Int32Array(capacity).fill(-1);
    this.prevSibling = new Int32Array(capacity).fill(-1);
  }

  /**
   * Room for twice as many nodes. The arrays are sized by the root's descendant count, which
   * is the number of visible nodes the walk finds; should it ever be short, the walk goes on.
   */
  grow(): void {
    const more = <T extends Int32Array | Uint16Array>(a: T, fill: number): T => {
      const b = new (a.constructor as new (n: number) => T)(Math.max(16, a.length * 2));
      if (fill) b.fill(fill);
      b.set(a);
      return b;
    };
    this.type = more(this.type, 0);
    this.start = more(this.start, 0);
    this.end = more(this.end, 0);
    this.field = more(this.field, 0);
    this.parent = more(this.parent, 0);
    this.firstChild = more(this.firstChild, -1);
    this.nextSibling = more(this.nextSibling, -1);
    this.prevSibling = more(this.prevSibling, -1);
  }

  /** The node at index i (one object per index, made on first use). */
  node(i: number): FlatNode {
    return (this.nodes[i] ??= new FlatNode(this, i));
  }

  typeName(i: number): string {
    return this.lang.types[this.type[i]] ?? 'ERROR';
  }
}

/** The few properties of a web-tree-sitter Node that ShellFile reads, from a FlatTree. */
export class FlatNode {
  constructor(
    private readonly t: FlatTree,
    readonly index: number,
  ) {}
  get type(): string {
    return this.t.typeName(this.index);
  }
  get typeId(): number {
    return this.t.type[this.index];
  }
  get startIndex(): number {
    return this.t.start[this.index];
  }
  get endIndex(): number {
    return this.t.end[this.index];
  }
  get text(): string {
    return this.t.text.slice(this.t.start[this.index], this.t.end[this.index]);
  }
  get isNamed(): boolean {
    return this.t.lang.named(this.t.type[this.index]);
  }
  get parent(): FlatNode | null {
    return this.at(this.t.parent[this.index]);
  }
  get firstChild(): FlatNode | null {
    return this.at(this.t.firstChild[this.index]);
  }
  get nextSibling(): FlatNode | null {
    return this.at(this.t.nextSibling[this.index]);
  }
  get previousSibling(): FlatNode | null {
    return this.at(this.t.prevSibling[this.index]);
  }
  /** The node at an index from the link arrays (-1: none). */
  private at(i: number): FlatNode | null {
    return i < 0 ? null : this.t.node(i);
  }
  get children(): FlatNode[] {
    const out: FlatNode[] = [];
    for (let c = this.t.firstChild[this.index]; c >= 0; c = this.t.nextSibling[c]) out.push(this.t.node(c));
    return out;
  }
  get namedChildren(): FlatNode[] {
    const out: FlatNode[] = [];
    for (let c = this.t.firstChild[this.index]; c >= 0; c = this.t.nextSibling[c])
      if (this.t.lang.named(this.t.type[c])) out.push(this.t.node(c));
    return out;
  }
  /** The first child in that field, as Node.childForFieldName. */
  childForFieldName(name: string): FlatNode | null {
    const id = this.t.lang.fieldId(name);
    if (id <= 0) return null;
    for (let c = this.t.firstChild[this.index]; c >= 0; c = this.t.nextSibling[c])
      if (this.t.field[c] === id) return this.t.node(c);
    return null;
  }
}

/** What a FlatTree needs of the grammar: type and field names, and which types are named. */
export class LanguageInfo {
  readonly types: readonly string[];
  private readonly isNamed: boolean[];
  private readonly fields = new Map<string, number>();

  constructor(lang: Language) {
    this.types = lang.types;
    // Node.isNamed asks the node; a type's metadata says the same for every node of it
    // (test/parse/flat.test.ts compares the two on every node).
    this.isNamed = lang.types.map((_, id) => lang.nodeTypeIsNamed(id));
    lang.fields.forEach((f, id) => {
      if (f) this.fields.set(f, id);
    });
  }
  named(typeId: number): boolean {
    // 65535: ERROR, named (tree-sitter's ts_builtin_sym_error metadata).
    return typeId === 65535 || this.isNamed[typeId] === true;
  }
  fieldId(name: string): number {
    return this.fields.get(name) ?? 0;
  }
}

/** The WebAssembly module's exports the walk calls, each taking the tree's address. */
export interface WasmCursor {
  HEAP32: Int32Array;
  _ts_init(): number;
  _ts_tree_cursor_new_wasm(tree: number): void;
  _ts_tree_cursor_delete_wasm(tree: number): void;
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_current_field_id_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
}

const CURSOR_EXPORTS = [
  '_ts_init',
  '_ts_tree_cursor_new_wasm',
  '_ts_tree_cursor_delete_wasm',
  '_ts_tree_cursor_goto_first_child_wasm',
  '_ts_tree_cursor_goto_next_sibling_wasm',
  '_ts_tree_cursor_goto_parent_wasm',
  '_ts_tree_cursor_current_node_type_id_wasm',
  '_ts_tree_cursor_current_field_id_wasm',
  '_ts_tree_cursor_start_index_wasm',
  '_ts_tree_cursor_end_index_wasm',
] as const;

/** The module's exports if they are all there (web-tree-sitter 0.25-0.27 has them), else null. */
export function wasmCursor(module: Record<string, unknown>): WasmCursor | null {
  if (!(module.HEAP32 instanceof Int32Array)) return null;
  for (const f of CURSOR_EXPORTS) if (typeof module[f] !== 'function') return null;
  return module as unknown as WasmCursor;
}

/** The internal handle of web-tree-sitter objects: the address in WebAssembly memory. */
type Handle = { [0]: number };

/** One step of a cursor walk, whichever way the cursor is driven. */
interface Steps {
  first(): boolean;
  next(): boolean;
  up(): boolean;
  type(): number;
  field(): number;
  start(): number;
  end(): number;
}

/** Walks `tree` into a FlatTree. `wasm`: the module's exports, or null for the public TreeCursor. */
export function flatten(
  tree: Tree,
  text: string,
  lang: LanguageInfo,
  wasm: WasmCursor | null,
  capacity = tree.rootNode.descendantCount,
): FlatTree {
  const root = tree.rootNode;
  const flat = new FlatTree(text, lang, capacity);
  if (wasm) {
    const t = (tree as unknown as Handle)[0];
    // The root node, as web-tree-sitter marshals a node (id, start index, row, column, and
    // its internal handle) into the transfer buffer, from which the cursor is made; every
    // cursor call below reads the cursor from that buffer and writes it back.
    const b = wasm._ts_init() >> 2;
    const H = wasm.HEAP32;
    H[b] = root.id;
    H[b + 1] = root.startIndex;
    H[b + 2] = root.startPosition.row;
    H[b + 3] = root.startPosition.column;
    H[b + 4] = (root as unknown as Handle)[0];
    wasm._ts_tree_cursor_new_wasm(t);
    try {
      walk(flat, {
        first: () => wasm._ts_tree_cursor_goto_first_child_wasm(t) === 1,
        next: () => wasm._ts_tree_cursor_goto_next_sibling_wasm(t) === 1,
        up: () => wasm._ts_tree_cursor_goto_parent_wasm(t) === 1,
        type: () => wasm._ts_tree_cursor_current_node_type_id_wasm(t),
        field: () => wasm._ts_tree_cursor_current_field_id_wasm(t),
        start: () => wasm._ts_tree_cursor_start_index_wasm(t),
        end: () => wasm._ts_tree_cursor_end_index_wasm(t),
      });
    } finally {
      wasm._ts_tree_cursor_delete_wasm(t);
    }
  } else {
    const c = tree.walk();
    try {
      walk(flat, {
        first: () => c.gotoFirstChild(),
        next: () => c.gotoNextSibling(),
        up: () => c.gotoParent(),
        type: () => c.nodeTypeId,
        field: () => c.currentFieldId,
        start: () => c.startIndex,
        end: () => c.endIndex,
      });
    } finally {
      c.delete();
    }
  }
  return flat;
}

function walk(f: FlatTree, s: Steps): void {
  // stack[d]: the last node seen at depth d (its next sibling links to the next one there).
  const stack: number[] = [];
  let parent = -1;
  let prev = -1;
  for (;;) {
    const i = f.count++;
    if (i >= f.type.length) f.grow();
    f.type[i] = s.type();
    f.field[i] = s.field();
    f.start[i] = s.start();
    f.end[i] = s.end();
    f.parent[i] = parent;
    if (prev >= 0) {
      f.nextSibling[prev] = i;
      f.prevSibling[i] = prev;
    } else if (parent >= 0) f.firstChild[parent] = i;
    if (s.first()) {
      stack.push(i);
      parent = i;
      prev = -1;
      continue;
    }
    prev = i;
    while (!s.next()) {
      if (!s.up()) return;
      prev = stack.pop()!;
      parent = f.parent[prev];
    }
  }
}
