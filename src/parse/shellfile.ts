import type { FlatNode, FlatTree } from './flat.js';
import { flattenTree, parseTree, type Tree } from './parser.js';
import { unquoted } from './words.js';

/** Half-open range of UTF-16 indices into the file text (what String.slice takes). */
export interface Span {
  start: number;
  end: number;
}

export interface Word extends Span {
  text: string;
  /** tree-sitter node type: word, string, raw_string, concatenation, expansion, ... */
  type: string;
}

export type Quote = 'double' | 'single' | 'none' | 'mixed' | 'empty';

export interface Assignment extends Span {
  name: string;
  /** The value as written (without the `NAME=` part). Empty span for `NAME=`. */
  value: Span & { text: string; quote: Quote };
  /** `NAME=value` ('assign'), or the default in `: ${NAME:=value}` ('default'). */
  form: 'assign' | 'default';
  /** Name of the enclosing function, or null at top level (including top-level if/case). */
  fn: string | null;
  /** Run unconditionally: directly in the file or a function body, not inside if/case/loops/lists. */
  plain: boolean;
  /** For `export X=...` / `local X=...`: the keyword. */
  declaration?: string;
  /** Set when the only thing around it is `if [ "$NAME" = VALUE ]; then ...; fi`. */
  guard?: { name: string; value: string };
}

export interface FunctionDef extends Span {
  name: string;
  body: Span;
}

export interface Command extends Span {
  /** Basename of argv[0] as written (`/sbin/start-stop-daemon` -> `start-stop-daemon`). */
  name: string;
  /** argv as written, argv[0] included. */
  words: Word[];
  fn: string | null;
  /** Set for an `eval` run in a subshell (`$(eval …)`, `( … )`): it cannot set the script's variables. */
  subshell?: true;
  /**
   * For start-stop-daemon and programs run by absolute path (the commands a custom start()
   * may launch a daemon with): the statement's redirections as written (`>/dev/null`, `2>&1`),
   * which may follow on a continued line, and the end of the whole statement.
   */
  redirects?: { text: string; end: number }[];
  /** For the same commands: run inside `( … )` or `$( … )`, where nothing it sets reaches the script. */
  inSubshell?: true;
  /** For the same commands: the `NAME=value` words before the program, its own environment. */
  env?: string[];
  /** `setsid` run in front of start-stop-daemon (words start after it; start is the statement's). */
  wrapper?: string;
}

export interface SyntaxProblem {
  offset: number;
  /** End of the region the grammar could not parse (offset for a zero-width MISSING node). */
  end: number;
  line: number;
  col: number;
  message: string;
}

/**
 * One shell file as the rest of rc-supervise sees it: facts extracted once from the
 * tree-sitter CST, with exact spans into `text`. Nothing here ever reprints the tree.
 */
export class ShellFile {
  readonly assignments: Assignment[] = [];
  readonly functions: FunctionDef[] = [];
  /**
   * Functions defined only when the script runs outside OpenRC: in the `then` branch of a
   * top-level `if` that tests RC_VERSION empty (or "0"), baselayout-1's way to tell. OpenRC
   * always sets RC_VERSION, so they are not in `functions`; their commands carry the function
   * name with " (baselayout-1 only)" after it.
   */
  readonly baselayout1Functions: (Span & { name: string })[] = [];
  readonly commands: Command[] = [];
  readonly errors: SyntaxProblem[] = [];
  readonly comments: Span[] = [];
  /**
   * Here-document bodies, from the line after `<<EOT` through the terminator line's word:
   * data, not code. No edit may land inside one (see editsInHeredoc).
   */
  readonly heredocs: Span[] = [];
  /** Names a function declares with `local` (`local x`, `local x=1`), where the declaration starts. */
  readonly locals: { name: string; fn: string; start: number }[] = [];
  /** Bash-only constructs (a POSIX sh script must not use them). */
  readonly bashisms: (Span & { what: string })[] = [];
  /** Spans of the file's top-level statements (an `if ... fi` at top level is one). */
  readonly topStatements: Span[] = [];
  readonly eol: '\n' | '\r\n';
  private lineStarts: number[] | undefined;

  constructor(
    readonly path: string,
    readonly text: string,
    tree?: Tree,
  ) {
    const t = tree ?? parseTree(text);
    this.eol = /\r\n/.test(text.slice(0, text.indexOf('\n') + 1)) ? '\r\n' : '\n';
    try {
      walk(this, flattenTree(t, text));
      // Error and missing nodes, which the flat tree does not hold, from the tree itself.
      if (t.rootNode.hasError) errors(this, t);
    } finally {
      t.delete();
    }
  }

  /**
   * Whether an assignment sets a local of its function: `local x=…` itself, or `x=…` after a
   * `local x` of the same function (bitlbee's stop() declares `local pidfile=` and sets it
   * again under a condition; that is stop()'s own variable, not OpenRC's pidfile).
   */
  setsLocal(a: Assignment): boolean {
    if (a.declaration === 'local') return true;
    return a.fn !== null && this.locals.some((l) => l.fn === a.fn && l.name === a.name && l.start < a.start);
  }

  /** The here-document body an edit of [start, end) would land in, if any. */
  inHeredoc(start: number, end: number): Span | undefined {
    // An insertion at the body's first byte, or text touching the terminator, is inside too.
    return this.heredocs.find((h) => start <= h.end && end >= h.start);
  }

  /** 1-based line and column of an offset. */
  lineCol(offset: number): { line: number; col: number } {
    const starts = (this.lineStarts ??= computeLineStarts(this.text));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - starts[lo] + 1 };
  }

  /** Offset of the start of the line holding `offset`. */
  lineStart(offset: number): number {
    const i = this.text.lastIndexOf('\n', offset - 1);
    return i + 1;
  }

  /** Offset just past the newline ending the line holding `offset` (or text end). */
  lineEnd(offset: number): number {
    const i = this.text.indexOf('\n', offset);
    return i < 0 ? this.text.length : i + 1;
  }

  /**
   * Offset just past the line that ends the top-level statement holding [start, end] (an
   * assignment inside `if ... fi` ends at `fi`), or the line holding `end` when none does.
   */
  statementLineEnd(start: number, end = start): number {
    const stmt = this.topStatements.find((t) => t.start <= start && end <= t.end);
    return this.lineEnd(stmt ? stmt.end : end);
  }

  /** Top-level assignments of NAME in file order (both forms unless `form` given). */
  topLevel(name: string, form?: Assignment['form']): Assignment[] {
    return this.assignments.filter((a) => a.name === name && a.fn === null && (!form || a.form === form));
  }

  fn(name: string): FunctionDef | undefined {
    return this.functions.find((f) => f.name === name);
  }

  get shebang(): string | null {
    const m = /^(?:\uFEFF)?#!([^\r\n]*)/.exec(this.text);
    return m ? m[1].trim() : null;
  }
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** `if [ "${V}" = value ]; then <stmt>; fi` at top level (no else): the condition, statically. */
function guardOf(ifs: FlatNode | null, ifsType: string | undefined): Assignment['guard'] {
  if (!ifs || ifsType !== 'if_statement' || ifs.parent?.type !== 'program') return undefined;
  if (ifs.children.some((c) => c && (c.type === 'else_clause' || c.type === 'elif_clause'))) return undefined;
  const cond = ifs.children.find((c) => c?.type === 'test_command');
  const m = cond && /^\[\s+"?\$\{?(\w+)\}?"?\s+=\s+"?([\w.@+-]+)"?\s+\]$/.exec(cond.text);
  return m ? { name: m[1], value: m[2] } : undefined;
}

/**
 * A test true only outside OpenRC: `[ "${RC_VERSION:-0}" = "0" ]`, `[ -z "$RC_VERSION" ]`.
 * OpenRC's env_config() sets RC_VERSION to its version for every service script, in every
 * version (src/rc/rc-misc.c, later src/shared/misc.c).
 */
const NOT_OPENRC =
  /^\[\s+(?:"\$\{RC_VERSION:-0\}"\s+=\s+"?0"?|-z\s+"\$\{?RC_VERSION\}?"|"\$\{?RC_VERSION\}?"\s+=\s+""|"x\$\{?RC_VERSION\}?"\s+=\s+"?x"?)\s+\]$/;

/** A function defined in the `then` branch of a top-level `if` whose test is true only outside OpenRC. */
function baselayout1Only(def: FlatNode): boolean {
  const ifs = def.parent;
  if (!ifs || ifs.type !== 'if_statement' || ifs.parent?.type !== 'program') return false;
  if (ifs.children.some((c) => c?.type === 'elif_clause')) return false;
  const cond = ifs.children.find((c) => c?.type === 'test_command');
  return !!cond && cond === ifs.children[1] && NOT_OPENRC.test(cond.text.replace(/\s+/g, ' '));
}

/** A statement run unconditionally: directly in the file or directly in a function body. */
function isPlainStatement(p: FlatNode | null, pType = p?.type): boolean {
  return pType === 'program' || (pType === 'compound_statement' && p!.parent?.type === 'function_definition');
}

/** Node types `visit` looks at, and the tokens that mark bash-only syntax. */
const VISITED = new Set([
  'comment',
  'array',
  'ansi_c_string',
  'herestring_redirect',
  'heredoc_redirect',
  'function_definition',
  'variable_assignment',
  'declaration_command',
  'command',
  '[[',
  'function',
  '&>',
  '&>>',
  '//',
  '/#',
  '/%',
  '/',
  '^',
  '^^',
  ',',
  ',,',
  // More bash-only syntax ShellCheck reports in sh scripts (SC3006, SC3009, SC3014, SC3024,
  // SC3034, SC3053, SC3057).
  '((',
  '+=',
  '==',
  '!',
  ':',
  'brace_expression',
  'concatenation',
  'command_substitution',
]);

/** VISITED by type id (one grammar per process). */
let visitedIds: boolean[] | undefined;

/**
 * Every node of interest, in document order, from the flat tree (flat.ts). The enclosing
 * function of a node is found from the function spans. (Nodes that end at offset 0 are left
 * out, as web-tree-sitter's descendantsOfType, which this walk replaced, left them out.)
 */
function walk(file: ShellFile, flat: FlatTree): void {
  const root = flat.node(0);
  for (const c of root.namedChildren) file.topStatements.push({ start: c.startIndex, end: c.endIndex });
  const fns: { start: number; end: number; name: string }[] = [];
  const visited = (visitedIds ??= flat.lang.types.map((t) => VISITED.has(t)));
  for (let i = 1; i < flat.count; i++) {
    if (!visited[flat.type[i]] || flat.end[i] === 0) continue;
    const node = flat.node(i);
    while (fns.length && fns[fns.length - 1].end <= node.startIndex) fns.pop();
    const r = visit(file, node, fns.length ? fns[fns.length - 1].name : null);
    if (typeof r === 'string') fns.push({ start: node.startIndex, end: node.endIndex, name: r });
  }
}

/**
 * ERROR and MISSING nodes (an unclosed `if` gets a zero-width `fi`), found by walking, in
 * document order. Only down into nodes that have an error somewhere below them (hasError):
 * the rest of the tree, usually nearly all of it, has none to find.
 */
function errors(file: ShellFile, tree: Tree): void {
  const c = tree.walk();
  try {
    for (;;) {
      const node = c.currentNode;
      if (c.nodeType === 'ERROR') addError(file, node, 'syntax error');
      else if (c.nodeIsMissing) addError(file, node, `missing ${c.nodeType}`);
      if (node.hasError && c.gotoFirstChild()) continue;
      while (!c.gotoNextSibling()) if (!c.gotoParent()) return;
    }
  } finally {
    c.delete();
  }
}

/** Records what one node means; returns a function's name for a function definition. */
function visit(file: ShellFile, node: FlatNode, fn: string | null): string | undefined {
  switch (node.type) {
    case 'comment':
      file.comments.push({ start: node.startIndex, end: node.endIndex });
      break;
    case '[[':
      if (node.parent?.type === 'test_command') bashism(file, node.parent, '[[ ]]');
      break;
    case 'function':
      if (node.parent?.type === 'function_definition') bashism(file, node, 'the function keyword');
      break;
    case '&>':
    case '&>>':
      if (node.parent?.type === 'file_redirect') bashism(file, node.parent, '&> redirection');
      break;
    case '//':
    case '/#':
    case '/%':
    case '/':
    case '^':
    case '^^':
    case ',':
    case ',,':
      // ${var/a/b}, ${var^^}, ${var,,}: only as the operator of a parameter expansion.
      if (node.parent?.type === 'expansion' && node.previousSibling?.type === 'variable_name')
        bashism(file, node.parent, `\${var${node.type}...} substitution`);
      break;
    case 'array':
      bashism(file, node, 'an array');
      break;
    case '((':
      if (node.parent?.type === 'compound_statement') bashism(file, node.parent, '((...)) arithmetic');
      break;
    case '+=':
      if (node.parent?.type === 'variable_assignment') bashism(file, node.parent, '+= appending');
      break;
    case '==':
      // `[ a == b ]` (in `[[ ]]` it is reported as [[ ]] already).
      if (node.parent?.type === 'binary_expression' && node.parent.parent?.firstChild?.type === '[')
        bashism(file, node.parent.parent, '== in [ ]');
      break;
    case '!':
      // ${!name}: indirect expansion.
      if (node.parent?.type === 'expansion' && node.previousSibling?.type === '${')
        bashism(file, node.parent, '${!var} indirection');
      break;
    case ':':
      // ${x:0:3}, ${x: -1}: a bare ':' after the name (`:-`, `:=`, `:+`, `:?` are other tokens).
      if (node.parent?.type === 'expansion' && node.previousSibling?.type === 'variable_name')
        bashism(file, node.parent, '${var:offset:length} substring');
      break;
    case 'brace_expression':
      bashism(file, node, '{a..b} brace expansion');
      break;
    case 'concatenation': {
      // {a,b}: the grammar gives `{`, `a,b`, `}` words (a lone `{}` as in find -exec is not one).
      // Anywhere in the word (`/etc/{a,b}.conf`): `{`, a word with a comma, `}`.
      const kids = node.children;
      for (let k = 0; k + 2 < kids.length; k++)
        if (kids[k]?.text === '{' && kids[k + 2]?.text === '}' && kids[k + 1]?.text.includes(',')) {
          bashism(file, node, '{a,b} brace expansion');
          break;
        }
      break;
    }
    case 'command_substitution': {
      const kids = node.namedChildren;
      if (kids.length === 1 && kids[0]?.type === 'file_redirect' && kids[0].firstChild?.type === '<')
        bashism(file, node, '$(<file)');
      break;
    }
    case 'ansi_c_string':
      bashism(file, node, "$'...' quoting");
      break;
    case 'herestring_redirect':
      bashism(file, node, 'a <<< here-string');
      break;
    case 'heredoc_redirect': {
      const end = node.children.find((c) => c?.type === 'heredoc_end');
      // The body starts on the line after the one holding `<<EOT` (other redirects may follow it there).
      const nl = file.text.indexOf('\n', node.startIndex);
      if (end && nl >= 0) file.heredocs.push({ start: nl + 1, end: end.endIndex });
      break;
    }

    case 'function_definition': {
      const nameNode = node.childForFieldName('name');
      const body = node.childForFieldName('body');
      const name = nameNode?.text ?? '';
      // sssd's `if [ "${RC_VERSION:-0}" = "0" ]; then start() { eerror …; return 1; }; fi`:
      // OpenRC sets RC_VERSION for every script it runs (env_config()), so that function is
      // never defined there. Kept apart, with its commands, under a name no script can call.
      if (baselayout1Only(node)) {
        file.baselayout1Functions.push({ name, start: node.startIndex, end: node.endIndex });
        return `${name} (baselayout-1 only)`;
      }
      file.functions.push({
        name,
        start: node.startIndex,
        end: node.endIndex,
        body: { start: body?.startIndex ?? node.endIndex, end: body?.endIndex ?? node.endIndex },
      });
      return name;
    }
    case 'variable_assignment':
      addAssignment(file, node, fn);
      break;
    case 'declaration_command':
      if (fn !== null && node.firstChild?.text === 'local')
        for (let k = node.firstChild.nextSibling; k; k = k.nextSibling) {
          const name =
            k.type === 'variable_name'
              ? k.text
              : k.type === 'variable_assignment'
                ? k.childForFieldName('name')?.text
                : undefined;
          if (name) file.locals.push({ name, fn, start: node.startIndex });
        }
      break;
    case 'command':
      addCommand(file, node, fn);
      break;
  }
  return undefined;
}

function bashism(file: ShellFile, node: FlatNode, what: string): void {
  file.bashisms.push({ start: node.startIndex, end: node.endIndex, what });
}

function addError(file: ShellFile, node: { startIndex: number; endIndex: number }, message: string): void {
  const { line, col } = file.lineCol(node.startIndex);
  file.errors.push({ offset: node.startIndex, end: node.endIndex, line, col, message });
}

function quoteOf(node: FlatNode | null): Quote {
  if (!node) return 'empty';
  switch (node.type) {
    case 'string':
      return 'double';
    case 'raw_string':
      return 'single';
    case 'concatenation':
      return node.children.some((c) => c && (c.type === 'string' || c.type === 'raw_string')) ? 'mixed' : 'none';
    default:
      return 'none';
  }
}

function addAssignment(file: ShellFile, node: FlatNode, fn: string | null): void {
  const parent = node.parent;
  const parentType = parent?.type;
  // `FOO=bar cmd` sets FOO for cmd only: not a variable of the service. But tree-sitter-bash
  // splits `X=-p\ ${pidfile}\ -g` after the expansion into `X=-p\ ${pidfile}` and a command
  // `\ -g` with no blank between: for sh that is one assignment, its value running on.
  const glued = parentType === 'command' && gluedAssignment(file.text, parent!, node);
  if (parentType === 'command' && !glued) return;
  const nameNode = node.childForFieldName('name');
  const valueNode = node.childForFieldName('value');
  if (!nameNode) return;
  const decl = parentType === 'declaration_command' ? parent!.firstChild?.text : undefined;
  const stmt = decl || glued ? parent! : node;
  // (Looked up once each: a node's type and parent are array reads, but not free.)
  const stmtParent = decl || glued ? parent!.parent : parent;
  const stmtParentType = decl || glued ? stmtParent?.type : parentType;
  const valueStart = valueNode?.startIndex ?? node.endIndex;
  const valueEnd = glued ? parent!.endIndex : (valueNode?.endIndex ?? node.endIndex);
  file.assignments.push({
    name: nameNode.text,
    start: stmt.startIndex,
    end: stmt.endIndex,
    value: {
      start: valueStart,
      end: valueEnd,
      // (what valueNode.text gives)
      text: glued || valueNode ? file.text.slice(valueStart, valueEnd) : '',
      quote: glued ? 'mixed' : quoteOf(valueNode),
    },
    form: 'assign',
    fn,
    plain: isPlainStatement(stmtParent, stmtParentType),
    declaration: decl,
    guard: guardOf(stmtParent, stmtParentType),
  });
}

/** `X=a\ ${b}\ c` mis-split by tree-sitter-bash: the assignment is the command's only prefix, glued to its "name". */
function gluedAssignment(text: string, cmd: FlatNode, assign: FlatNode): boolean {
  const next = assign.nextSibling;
  if (!next || cmd.firstChild?.startIndex !== assign.startIndex) return false;
  // Nothing, or only escaped blanks (which tree-sitter drops), between the two.
  return /^(\\[ \t])*$/.test(text.slice(assign.endIndex, next.startIndex));
}

const RESERVED = new Set(['fi', 'done', 'esac', 'then', 'do', 'elif', 'else', '}', 'in']);

function addCommand(file: ShellFile, node: FlatNode, fn: string | null): void {
  // The children are read once, with their types.
  const kids = node.children;
  const types = kids.map((c) => c?.type);
  if (types[0] === 'variable_assignment' && gluedAssignment(file.text, node, kids[0]!)) return; // an assignment, see addAssignment
  const words: Word[] = [];
  for (let i = 0; i < kids.length; i++) {
    const c = kids[i];
    if (!c) continue;
    // A command_name spans exactly its word, so its own span and text serve.
    const t = types[i]!;
    if (t === 'variable_assignment' || t === 'comment' || t.endsWith('_redirect')) continue;
    const start = c.startIndex;
    const end = c.endIndex;
    // tree-sitter-bash splits `$A/$B.pid` into `$A/$` and `B.pid`: for sh, nodes with nothing
    // between them are one word (dbmail's `--pidfile $PID_DIR/$PROGRAM.$PID`).
    const prev = words[words.length - 1];
    if (prev && prev.end === start && t !== 'command_name') {
      prev.end = end;
      prev.text = file.text.slice(prev.start, end);
      prev.type = 'concatenation';
      continue;
    }
    words.push({ text: file.text.slice(start, end), start, end, type: t });
  }
  if (words.length === 0) return;
  // `cmd a 2>&1 b c`: tree-sitter-bash hangs `b c` under the redirect (after its target);
  // for sh they are arguments of cmd.
  let end = node.endIndex;
  const parent = node.parent;
  if (parent?.type === 'redirected_statement')
    for (const r of parent.children) {
      if (!r || r.startIndex < node.endIndex || r.type !== 'file_redirect') continue;
      let target = false;
      for (const c of r.children) {
        if (!c || !c.isNamed || c.type === 'file_descriptor') continue;
        if (!target) {
          target = true;
          continue;
        }
        words.push({
          text: file.text.slice(c.startIndex, c.endIndex),
          start: c.startIndex,
          end: c.endIndex,
          type: c.type,
        });
        end = Math.max(end, c.endIndex);
      }
    }
  // svscan's `setsid start-stop-daemon --start …`: setsid(1) without options runs the program in
  // a session of its own, which both start-stop-daemon and supervise-daemon give the daemon anyway
  // (each child calls setsid() before it execs the daemon). The call is read as start-stop-daemon's.
  let wrapper: string | undefined;
  if (
    words.length > 1 &&
    /^(\/usr)?(\/s?bin\/)?setsid$/.test(words[0].text) &&
    /^(\/s?bin\/|\/usr\/s?bin\/)?start-stop-daemon$/.test(words[1].text)
  ) {
    wrapper = words[0].text;
    words.shift();
  }
  const argv0 = unquoted(words[0].text);
  const name = argv0.slice(argv0.lastIndexOf('/') + 1);
  // tree-sitter-bash takes a stray `fi` or `}` for a command; sh stops with a syntax error.
  if (RESERVED.has(words[0].text)) addError(file, node, `unexpected '${words[0].text}'`);
  if (name === 'source' && words[0].text === 'source')
    file.bashisms.push({ start: words[0].start, end: words[0].end, what: 'source (use .)' });
  if (name === 'test' && words.some((w) => w.text === '=='))
    file.bashisms.push({ start: node.startIndex, end: node.endIndex, what: '== in test' });
  if (name === 'let' && words[0].text === 'let')
    file.bashisms.push({ start: words[0].start, end: words[0].end, what: 'let (use $((...)))' });
  const cmd: Command = { name, words, start: node.startIndex, end, fn, ...(wrapper && { wrapper }) };
  if (name === 'start-stop-daemon' || argv0.startsWith('/') || argv0.startsWith('$')) {
    const env = kids
      .filter((k) => k?.type === 'variable_assignment' && k.endIndex <= words[0].start)
      .map((k) => file.text.slice(k!.startIndex, k!.endIndex));
    if (env.length) cmd.env = env;
    cmd.redirects = [];
    if (parent?.type === 'redirected_statement')
      for (const r of parent.children)
        if (r && r.startIndex >= node.endIndex && r.type.endsWith('_redirect'))
          cmd.redirects.push({ text: file.text.slice(r.startIndex, r.endIndex), end: r.endIndex });
    for (let p = node.parent; p && p.type !== 'function_definition'; p = p.parent)
      if (p.type === 'command_substitution' || p.type === 'subshell') {
        cmd.inSubshell = true;
        break;
      }
  }
  // Only for eval: does it run in a subshell?
  if (name === 'eval')
    for (let p = node.parent; p; p = p.parent)
      if (p.type === 'command_substitution' || p.type === 'subshell') {
        cmd.subshell = true;
        break;
      }
  file.commands.push(cmd);
  if (name === ':') addDefaults(file, node, fn);
}

/** `: ${NAME:=default}` and `: ${NAME=default}` assign when NAME is unset (or empty). */
function addDefaults(file: ShellFile, node: FlatNode, fn: string | null): void {
  // `: ${X:=v}` and the quoted `: "${X:=v}"` (the expansion inside a string) alike.
  const expansions = node.children.flatMap((c) =>
    !c
      ? []
      : c.type === 'expansion'
        ? [c]
        : c.type === 'string'
          ? c.children.filter((k): k is FlatNode => k?.type === 'expansion')
          : [],
  );
  for (const c of expansions) {
    const kids = c.children.filter((k): k is FlatNode => !!k);
    const nameNode = kids.find((k) => k.type === 'variable_name');
    const op = kids.find((k) => k.text === ':=' || k.text === '=');
    if (!nameNode || !op) continue;
    const close = kids[kids.length - 1];
    const start = op.endIndex;
    const end = close.text === '}' ? close.startIndex : c.endIndex;
    const valueText = file.text.slice(start, end);
    const valueKids = kids.filter((k) => k.startIndex >= start && k.endIndex <= end);
    file.assignments.push({
      name: nameNode.text,
      start: node.startIndex,
      end: node.endIndex,
      value: {
        start,
        end,
        text: valueText,
        quote: valueKids.length === 1 ? quoteOf(valueKids[0]) : valueKids.length === 0 ? 'empty' : 'mixed',
      },
      form: 'default',
      fn,
      plain: isPlainStatement(node.parent),
    });
  }
}
