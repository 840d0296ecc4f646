import { readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { EXIT, RcError, type ExitCode } from '../errors.js';
import type { EvidenceLevel } from '../steps/types.js';
import { stdOut, type ColorMode, type Out } from './output.js';
import {
  COMMANDS,
  ENV_HELP,
  EXIT_HELP,
  GLOBAL_OPTIONS,
  examplesText,
  optionSynopsis,
  type CmdSpec,
  type OptSpec,
} from './spec.js';

export { ENV_HELP, EXIT_HELP };

/** Set by the release build (scripts/release.mjs) so that a bundle knows its version. */
declare const __RC_SUPERVISE_VERSION__: string | undefined;

/** The version: the one the release build put in, else our package.json, found upward. */
export function packageVersion(): string {
  if (typeof __RC_SUPERVISE_VERSION__ === 'string') return __RC_SUPERVISE_VERSION__;
  for (let dir = new URL('.', import.meta.url); dir.pathname !== '/'; dir = new URL('..', dir)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { name?: string; version: string };
      if (pkg.name === 'rc-supervise') return pkg.version;
    } catch {
      // keep looking upward
    }
  }
  throw new RcError('cannot tell my own version: package.json not found (a broken install?)', EXIT.INTERNAL);
}

class UsageError extends Error {}

const usage = (msg: string) => new UsageError(msg);

/** --color's value, read before the rest is parsed (the streams' colours are needed for its messages). */
export function colorModeOf(argv: string[]): ColorMode {
  let mode: ColorMode = 'auto';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') break;
    const v = a.startsWith('--color=') ? a.slice(8) : a === '--color' ? argv[i + 1] : undefined;
    if (v === 'always' || v === 'never' || v === 'auto') mode = v;
  }
  return mode;
}

type Args = Record<string, unknown>;

/** A number option's value, checked with a message that says what was expected. */
function numberValue(o: OptSpec, raw: unknown): number | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw === 'number') return raw;
  const text = String(raw).trim();
  const n = /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text) ? Number(text) : NaN;
  const unit = o.value === 'SECONDS' ? ' of seconds' : '';
  const what = `${o.integer ? 'a whole number' : 'a number'}${unit}${
    o.min === undefined ? '' : o.minExclusive ? ` greater than ${o.min}` : o.min === 0 ? ' (0 or more)' : ` ≥ ${o.min}`
  }`;
  if (
    Number.isNaN(n) ||
    (o.integer && !Number.isInteger(n)) ||
    (o.min !== undefined && (o.minExclusive ? n <= o.min : n < o.min))
  )
    throw usage(`--${o.name} ${JSON.stringify(String(raw))}: expected ${what}`);
  return n;
}

/**
 * The one rule for repeated options, in every command: a switch may be repeated (the last
 * --X / --no-X wins); an option that takes one value may be given once (exit 4), because
 * which of two values was meant cannot be known (`lint --severity error --severity warning`
 * silently keeping one would turn a CI run green or red by accident).
 */
function checkOnce(options: OptSpec[], a: Args): void {
  for (const o of options) {
    if (o.type === 'list' || o.type === 'boolean') continue;
    const v = a[o.name];
    if (Array.isArray(v))
      throw usage(
        `--${o.name} given ${v.length} times (${v.map((x) => JSON.stringify(String(x))).join(', ')}): give it once`,
      );
  }
}

/** The values of a list option: repeated and/or comma-separated. */
const listValue = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).flatMap((x) => String(x).split(',')).filter(Boolean);

/** --root: a directory. An empty value (an unset variable) would mean the current directory. */
function rootValue(v: unknown): string {
  const root = String(v);
  if (root === '') throw usage('--root "": empty (an unset variable?); give the directory the system is mounted at');
  let st;
  try {
    st = statSync(root);
  } catch {
    throw new RcError(`--root ${root}: no such directory`, EXIT.INPUT, root);
  }
  if (!st.isDirectory())
    throw new RcError(
      `--root ${root}: not a directory; --root takes the directory a system is mounted at (e.g. /mnt/gentoo), not a file`,
      EXIT.INPUT,
      root,
    );
  return root;
}

/** Service names, not paths: `migrate /etc/init.d/sshd` gets a hint. */
function serviceNames(command: string, v: unknown): string[] {
  const names = (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(String);
  for (const n of names)
    if (n.includes('/') || n === '' || n === '.' || n === '..') {
      const base = n.split('/').filter(Boolean).pop() ?? '';
      const m = /^(.*\/)?etc\/init\.d\/[^/]+$/.exec(n);
      throw new RcError(
        `${n}: not a valid service name: give the name of a service in ROOT/etc/init.d, not a path` +
          (base && base !== '.' && base !== '..'
            ? ` (rc-supervise ${command} ${base}${m?.[1] && m[1] !== '/' ? ` --root ${m[1].replace(/\/$/, '')}` : ''})`
            : ''),
        EXIT.INPUT,
      );
    }
  return names;
}

/** `--all` and names exclude each other; `--exclude` only means something with `--all`. */
function checkAll(command: string, names: string[], a: Args): void {
  if (a.all && names.length)
    throw usage(`${command}: name services or use --all, not both (got --all and ${names.join(', ')})`);
  if (!a.all && names.length === 0) throw usage(`${command}: name at least one service, or use --all`);
  if ('exclude' in a && listValue(a.exclude).length && !a.all) throw usage(`${command}: --exclude needs --all`);
}

type Handler = (a: Args, io: Out) => Promise<ExitCode>;

const HANDLERS: Record<string, Handler> = {
  async migrate(a, io) {
    const spec = COMMANDS.find((c) => c.name === 'migrate')!;
    const opt = (n: string) => spec.options.find((o) => o.name === n)!;
    const services = serviceNames('migrate', a.services);
    checkAll('migrate', services, a);
    const root = rootValue(a.root);
    const delay = numberValue(opt('respawn-delay'), a['respawn-delay']);
    const max = numberValue(opt('respawn-max'), a['respawn-max']);
    const period = numberValue(opt('respawn-period'), a['respawn-period']);
    const settle = numberValue(opt('settle'), a.settle)!;
    if (a.interactive && a.json) throw usage('migrate: --interactive and --json do not go together');
    if (a.interactive && a['dry-run'])
      throw usage('migrate: --interactive asks before writing; with --dry-run nothing is written');
    if (a.interactive && !io.ask) throw usage('migrate: --interactive needs a terminal to ask on');
    return (await import('./migrate.js')).runMigrate(
      {
        services,
        root,
        all: !!a.all,
        dryRun: !!a['dry-run'],
        exclude: listValue(a.exclude),
        interactive: !!a.interactive,
        foregroundArgs: a['foreground-args'] as string | undefined,
        minEvidence: a['min-evidence'] as EvidenceLevel | undefined,
        json: !!a.json,
        restart: !!a.restart,
        openrcVersion: a['openrc-version'] as string | undefined,
        log: a.log as string | undefined,
        respawn: delay !== undefined || max !== undefined || period !== undefined ? { delay, max, period } : undefined,
        settleMs: Math.round(settle * 1000),
      },
      io,
    );
  },
  async lint(a, io) {
    const lint = await import('./lint.js');
    if (a['list-rules']) return lint.listChecks(io);
    if (a.explain !== undefined) return lint.explainCheck(String(a.explain), io);
    const paths = (Array.isArray(a.paths) ? a.paths : a.paths === undefined ? [] : [a.paths]).map(String);
    if (a['stdin-filename'] !== undefined && !paths.includes('-'))
      throw usage('lint: --stdin-filename names the script read from stdin: give - as the path too');
    if (paths.filter((p) => p === '-').length > 1) throw usage('lint: stdin (-) can be read once');
    if (paths.includes('-') && a.fix) throw usage('lint: --fix cannot rewrite stdin');
    if (a.unsafe && !a.fix) throw usage('lint: --unsafe only means something with --fix');
    if (a['cache-location'] === '')
      throw usage('lint: --cache-location needs a path (a file, or a directory to hold .rc-supervise-cache)');
    if (a['cache-location'] !== undefined && !a.cache)
      throw usage('lint: --cache-location only means something with --cache');
    if (a.cache && a.fix) throw usage('lint: --cache is for checking; --fix reads and rewrites every script');
    if (a.cache && paths.includes('-')) throw usage("lint: --cache keeps files' findings; stdin (-) has no file");
    return lint.runLint(
      {
        paths,
        format: a.format as never,
        severity: a.severity as never,
        failOn: a['fail-on'] as never,
        select: listValue(a.select),
        ignore: listValue(a.ignore),
        stdinFilename: a['stdin-filename'] as string | undefined,
        fix: !!a.fix,
        unsafe: !!a.unsafe,
        ...(a.cache ? { cache: String(a['cache-location'] ?? '.') } : {}),
        openrcVersion: a['openrc-version'] as string | undefined,
        version: packageVersion(),
        color: io.c.level ? 1 : 0,
      },
      io,
    );
  },
  async status(a, io) {
    return (await import('./status.js')).runStatus({ root: rootValue(a.root), json: !!a.json }, io);
  },
  async revert(a, io) {
    const services = serviceNames('revert', a.services);
    checkAll('revert', services, a);
    return (await import('./revert.js')).runRevert(
      { services, root: rootValue(a.root), all: !!a.all, force: !!a.force, dryRun: !!a['dry-run'] },
      io,
    );
  },
  async explain(a, io) {
    const [service] = serviceNames('explain', a.service);
    return (await import('./explain.js')).runExplain(
      { root: rootValue(a.root), service, openrcVersion: a['openrc-version'] as string | undefined, json: !!a.json },
      io,
    );
  },
  async rules(a, io) {
    return (await import('./rules.js')).runRules({ json: !!a.json, markdown: !!a.markdown }, io);
  },
};

/** Help text width: the terminal's, at most 100 (80 when unknown is too narrow for nothing). */
const width = () => Math.min(100, process.stdout.columns || 100);

/** `text` wrapped at the help width, every line after the first indented by `indent`. */
function wrap(text: string, indent: number, first = indent): string {
  const max = Math.max(40, width() - indent);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > (lines.length ? max : width() - first)) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines.join('\n' + ' '.repeat(indent));
}

/** Two columns: left padded to the widest, right wrapped beside it. */
function table(rows: [string, string][]): string {
  const w = Math.min(30, Math.max(...rows.map(([l]) => l.length)));
  return rows
    .map(([l, r]) =>
      l.length > w ? `  ${l}\n${' '.repeat(w + 4)}${wrap(r, w + 4)}` : `  ${l.padEnd(w)}  ${wrap(r, w + 4)}`,
    )
    .join('\n');
}

const optionRow = (o: OptSpec): [string, string] => {
  const extra = [
    o.choices ? `one of: ${o.choices.join(', ')}` : '',
    o.default !== undefined && o.type !== 'boolean' ? `default: ${o.default}` : '',
  ].filter(Boolean);
  return [(o.alias ? '' : '    ') + optionSynopsis(o), `${o.describe}${extra.length ? ` (${extra.join('; ')})` : ''}`];
};

/** `rc-supervise --help` (and the command list a bare `rc-supervise` prints). */
export function topHelp(): string {
  return [
    'Usage: rc-supervise <command> [options]',
    '',
    'Move OpenRC services from start-stop-daemon to supervise-daemon.',
    '',
    'Commands:',
    table(COMMANDS.map((c) => [`${c.name}${c.args ? ' ' + c.args : ''}`, c.summary])),
    '',
    'Options:',
    table(GLOBAL_OPTIONS.map(optionRow)),
    '',
    "Run 'rc-supervise COMMAND --help' for a command's options; man rc-supervise for all.",
    '',
    EXIT_HELP,
    '',
    ENV_HELP,
    '',
  ].join('\n');
}

/** `rc-supervise COMMAND --help`. */
export function commandHelp(cmd: CmdSpec): string {
  return [
    `Usage: rc-supervise ${cmd.name} [options]${cmd.args ? ' ' + cmd.args : ''}`,
    '',
    wrap(`${cmd.summary[0].toUpperCase()}${cmd.summary.slice(1)}.`, 0),
    ...(cmd.positional ? ['', 'Arguments:', table([[cmd.args.replace(/[[\]]/g, ''), cmd.positional.describe]])] : []),
    '',
    'Options:',
    table(cmd.options.map(optionRow)),
    '',
    'Global options:',
    table(GLOBAL_OPTIONS.map(optionRow)),
    '',
    examplesText(cmd),
    '',
  ].join('\n');
}

/** The closest command name, for "did you mean" (one edit away, or a unique prefix). */
function suggest(word: string): string | undefined {
  const names = COMMANDS.map((c) => c.name);
  const prefixed = names.filter((n) => n.startsWith(word));
  if (prefixed.length === 1) return prefixed[0];
  const dist = (a: string, b: string) => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) d[0][j] = j;
    for (let i = 1; i <= a.length; i++)
      for (let j = 1; j <= b.length; j++)
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    return d[a.length][b.length];
  };
  return names.find((n) => dist(n, word) <= 2);
}

/** Which word is the command: the first operand, skipping the value of a global option. */
function commandIndex(argv: string[]): number {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') return -1;
    if (a === '--color') i++;
    else if (!a.startsWith('-') || a === '-') return i;
  }
  return -1;
}

/**
 * Parses one command's arguments with Node's own util.parseArgs, from the spec: every value
 * option may be collected more than once (so that a repeat is seen and refused, checkOnce),
 * switches take --no-X, everything after `--` is an operand.
 */
function parseCommand(cmd: CmdSpec, args: string[]): Args {
  const all = [...GLOBAL_OPTIONS, ...cmd.options];
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const o of all)
    options[o.name] = {
      type: o.type === 'boolean' ? 'boolean' : 'string',
      ...(o.alias ? { short: o.alias } : {}),
      ...(o.type === 'boolean' ? {} : { multiple: true }),
    };
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, allowNegative: true, strict: true });
  } catch (e) {
    const text = (e as Error).message;
    const unknown = /^Unknown option '([^']*)'/.exec(text);
    const msg = unknown
      ? `${unknown[1]}: no such option${cmd.name ? ` for ${cmd.name}` : ''} (an operand that starts with - goes after --)`
      : text.replace(/\n.*$/s, '') +
        (/ambiguous/.test(text) ? ' (a value starting with - is written --option=-VALUE)' : '');
    throw usage(`${cmd.name ? `${cmd.name}: ` : ''}${msg}`);
  }
  const a: Args = {};
  for (const o of all) {
    const v = (parsed.values as Record<string, unknown>)[o.name];
    if (v === undefined) {
      if (o.default !== undefined) a[o.name] = o.default;
      continue;
    }
    if (Array.isArray(v)) {
      if (o.choices)
        for (const x of v)
          if (!o.choices.includes(String(x)))
            throw usage(`--${o.name} ${JSON.stringify(x)}: expected one of ${o.choices.join(', ')}`);
      a[o.name] = o.type === 'list' || v.length > 1 ? v : v[0];
    } else a[o.name] = v;
  }
  if (cmd.positional) {
    const p = parsed.positionals;
    if (p.length) a[cmd.positional.name] = cmd.positional.array ? p : p.length === 1 ? p[0] : p;
    if (!cmd.positional.array && p.length > 1)
      throw usage(`${cmd.name} takes one ${cmd.positional.name} (got ${p.join(' ')})`);
  } else if (parsed.positionals.length)
    throw usage(`${cmd.name} takes no operands (got ${parsed.positionals.join(' ')})`);
  return a;
}

/** Runs the CLI; returns the exit code instead of exiting, so tests can call it in-process. */
export async function main(argv: string[], io: Out = stdOut(colorModeOf(argv))): Promise<ExitCode> {
  try {
    if (argv.length === 0) {
      // A bare `rc-supervise`: the command list, as a usage error (a script that lost its
      // command must not look successful).
      io.err(topHelp());
      return EXIT.USAGE;
    }
    const at = commandIndex(argv);
    if (at < 0) {
      // Only global options: --help, --version, or a mistake.
      const g = parseCommand({ name: '', args: '', summary: '', options: [], examples: [] }, argv);
      if (g.help) return (io.out(topHelp()), EXIT.OK);
      if (g.version) return (io.out(packageVersion() + '\n'), EXIT.OK);
      throw usage('name a command');
    }
    const name = argv[at];
    const cmd = COMMANDS.find((c) => c.name === name);
    if (!cmd) {
      const s = suggest(name);
      throw usage(`unknown command ${JSON.stringify(name)}${s ? `; did you mean ${s}?` : ''}`);
    }
    const a = parseCommand(cmd, [...argv.slice(0, at), ...argv.slice(at + 1)]);
    if (a.help) return (io.out(commandHelp(cmd)), EXIT.OK);
    if (a.version) return (io.out(packageVersion() + '\n'), EXIT.OK);
    checkOnce([...GLOBAL_OPTIONS, ...cmd.options], a);
    if (cmd.positional?.required && a[cmd.positional.name] === undefined)
      throw usage(`${cmd.name}: name a ${cmd.positional.name}`);
    if (a.quiet) io.quiet = true;
    return await HANDLERS[cmd.name](a, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`rc-supervise: ${e.message}\nTry 'rc-supervise --help'.\n`);
      return EXIT.USAGE;
    }
    if (e instanceof RcError) {
      io.err(`rc-supervise: ${e.message}\n`);
      return e.exitCode;
    }
    io.err(`rc-supervise: internal error (a bug, please report it): ${(e as Error).stack ?? e}\n`);
    return EXIT.INTERNAL;
  }
}
