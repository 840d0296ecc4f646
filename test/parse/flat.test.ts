import fc from 'fast-check';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Node, Tree } from 'web-tree-sitter';
import type { FlatTree } from '../../src/parse/flat.js';
import { flattenWith, initParser, parseTree } from '../../src/parse/parser.js';
import { fixtureCases, REPO } from '../helpers/fixtures.js';

beforeAll(() => initParser());

interface Row {
  type: string;
  start: number;
  end: number;
  named: boolean;
  parent: number;
  field: string | null;
}

/** Every node in document order, as web-tree-sitter's Node API gives it. */
function viaNodeApi(tree: Tree): Row[] {
  const rows: Row[] = [];
  const visit = (node: Node, parent: number, field: string | null) => {
    const i = rows.length;
    rows.push({ type: node.type, start: node.startIndex, end: node.endIndex, named: node.isNamed, parent, field });
    for (let k = 0; k < node.childCount; k++) visit(node.child(k)!, i, node.fieldNameForChild(k));
  };
  visit(tree.rootNode, -1, null);
  return rows;
}

function viaFlat(f: FlatTree, fields: (string | null)[]): Row[] {
  return Array.from({ length: f.count }, (_, i) => ({
    type: f.typeName(i),
    start: f.start[i],
    end: f.end[i],
    named: f.lang.named(f.type[i]),
    parent: f.parent[i],
    field: fields[f.field[i]] ?? null,
  }));
}

/** The flat tree, read both ways, is the Node API's tree; its links and field lookups agree too. */
function expectSameTree(text: string): void {
  const tree = parseTree(text);
  try {
    const want = viaNodeApi(tree);
    const fields = tree.language.fields;
    // Both walks, and the arrays grown on the way from a single node's room.
    for (const [direct, capacity] of [
      [true, undefined],
      [false, undefined],
      [true, 1],
    ] as const) {
      const f = flattenWith(tree, text, direct, capacity);
      expect(viaFlat(f, fields)).toEqual(want);
      // Links: each node's children are the rows whose parent it is, in order; a child's
      // siblings are its neighbours among them.
      const kidsOf: number[][] = want.map(() => []);
      want.forEach((r, k) => {
        if (r.parent >= 0) kidsOf[r.parent].push(k);
      });
      expect(Array.from({ length: f.count }, (_, i) => f.node(i).children.map((c) => c.index))).toEqual(kidsOf);
      const siblings = kidsOf.flatMap((ks) =>
        ks.map((k) => [f.node(k).previousSibling?.index ?? -1, f.node(k).nextSibling?.index ?? -1]),
      );
      expect(siblings).toEqual(kidsOf.flatMap((ks) => ks.map((_, n) => [ks[n - 1] ?? -1, ks[n + 1] ?? -1])));
      expect(f.node(0).namedChildren.map((c) => c.index)).toEqual(kidsOf[0].filter((k) => want[k].named));
    }
    // childForFieldName against the Node API, for the fields ShellFile asks for.
    const f = flattenWith(tree, text, true);
    const byStart = new Map<string, number>();
    for (let i = 0; i < f.count; i++) byStart.set(`${f.start[i]}:${f.end[i]}:${f.typeName(i)}`, i);
    const check = (node: Node) => {
      const i = byStart.get(`${node.startIndex}:${node.endIndex}:${node.type}`)!;
      for (const name of ['name', 'value', 'body']) {
        const a = node.childForFieldName(name);
        const b = f.node(i).childForFieldName(name);
        expect(b && [b.startIndex, b.endIndex, b.type]).toEqual(a && [a.startIndex, a.endIndex, a.type]);
      }
    };
    for (const t of ['variable_assignment', 'function_definition'])
      for (const n of tree.rootNode.descendantsOfType(t)) check(n!);
  } finally {
    tree.delete();
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('FlatTree', () => {
  test('is the Node API tree, node for node, on every fixture and example script', () => {
    const files = [...filesUnder(path.join(REPO, 'fixtures')), ...filesUnder(path.join(REPO, 'examples'))].filter(
      (f) => !/\.(json|md)$/.test(f),
    );
    expect(files.length).toBeGreaterThan(200);
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      if (text.includes('\0')) continue;
      expectSameTree(text);
    }
  });

  test('syntax errors, missing nodes, CRLF, non-ASCII and empty input', () => {
    for (const text of [
      '',
      '\n',
      '#!/sbin/openrc-run\nstart() {\n\tif true; then\n}\n',
      'x=$( ; echo "unclosed\n',
      'a=1\r\nb="é ü 😀"\r\nf() { echo ${a:-€}; }\r\n',
      'case $x in a) ;; esac; fi }',
      '\uFEFF#!/bin/sh\n: ${X:=1}\n',
    ])
      expectSameTree(text);
  });

  test('property: the same tree on mutated fixture scripts (damaged quoting, stray tokens)', () => {
    const bases = fixtureCases().map((c) => c.initdIn);
    const edit = fc.tuple(
      fc.nat(),
      fc.constantFrom('"', "'", '\\', '`', '$(', '}', '{', ';;', '#', '\t', '\r', 'fi', '<<EOF\n', 'é'),
    );
    fc.assert(
      fc.property(fc.constantFrom(...bases), fc.array(edit, { minLength: 1, maxLength: 5 }), (base, edits) => {
        let text = base;
        for (const [at, s] of edits) {
          const k = at % (text.length + 1);
          text = text.slice(0, k) + s + text.slice(k);
        }
        expectSameTree(text);
      }),
      { numRuns: 150, seed: Number(process.env.FC_SEED ?? 20261126) },
    );
  });
});
