import { readFileSync, statSync } from 'node:fs';
import yargs, { type Argv } from 'yargs';
import { EXIT, RcError, type ExitCode } from '../errors.js';
import { stdOut, type ColorMode, type Out } from './output.js';
import { COMMANDS, ENV_HELP, EXIT_HELP, GLOBAL_OPTIONS, examplesText, type CmdSpec, type OptSpec } from './spec.js';

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

/** --color's value, read before yargs runs (the streams' colours are needed for its messages). */
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

function addOptions(y: Argv, cmd: CmdSpec): Argv {
  for (const o of cmd.options)
    y.option(o.name, {
      ...(o.alias ? { alias: o.alias } : {}),
      // A list is not yargs' `array` (that would swallow the service names after it):
      // repeating it gives an array all the same.
      type: o.type === 'boolean' ? 'boolean' : 'string',
      ...(o.choices ? { choices: o.choices } : {}),
      ...(o.default !== undefined ? { default: o.default } : {}),
      ...(o.value ? { requiresArg: true } : {}),
      describe: o.describe,
    });
  if (cmd.positional)
    y.positional(cmd.positional.name, {
      type: 'string',
      ...(cmd.positional.array ? { array: true } : {}),
      describe: cmd.positional.describe,
    });
  return y.epilog(examplesText(cmd));
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

/** yargs drops a lone `-` (stdin, by convention): it is carried through under this name. */
const DASH = '\u0000-';

function undash(a: Args): void {
  for (const [k, v] of Object.entries(a))
    if (v === DASH) a[k] = '-';
    else if (Array.isArray(v)) a[k] = v.map((x) => (x === DASH ? '-' : x));
}

/** Runs the CLI; returns the exit code instead of exiting, so tests can call it in-process. */
export async function main(rawArgv: string[], io: Out = stdOut(colorModeOf(rawArgv))): Promise<ExitCode> {
  let code: ExitCode = EXIT.OK;
  let handled = false;
  const end = rawArgv.indexOf('--');
  const argv = rawArgv.map((x, i) => (x === '-' && (end < 0 || i < end) ? DASH : x));
  const cli = yargs(argv)
    .scriptName('rc-supervise')
    .usage('Usage: $0 <command> [options]\n\nMove OpenRC services from start-stop-daemon to supervise-daemon.')
    .strict()
    .recommendCommands()
    .demandCommand(1, 'name a command')
    .exitProcess(false)
    .parserConfiguration({ 'populate--': true })
    .wrap(Math.min(100, process.stdout.columns || 100))
    .epilog(`Run 'rc-supervise COMMAND --help' for a command's options.\n\n${EXIT_HELP}\n\n${ENV_HELP}`)
    .fail((msg, err) => {
      if (err) throw err;
      // Throwing stops yargs before any command handler runs.
      throw new UsageError(msg);
    });
  for (const o of GLOBAL_OPTIONS.filter((g) => g.name !== 'help' && g.name !== 'version'))
    cli.option(o.name, {
      ...(o.alias ? { alias: o.alias } : {}),
      type: o.type === 'boolean' ? 'boolean' : 'string',
      ...(o.choices ? { choices: o.choices } : {}),
      ...(o.default !== undefined ? { default: o.default } : {}),
      describe: o.describe,
      global: true,
    });
  for (const cmd of COMMANDS) {
    // A required operand is checked in our handler, after `--` is taken into account.
    const positional = cmd.positional ? ` [${cmd.positional.name}${cmd.positional.array ? '..' : ''}]` : '';
    cli.command(
      `${cmd.name}${positional}`,
      cmd.summary,
      (y) => addOptions(y, cmd),
      async (a) => {
        handled = true;
        undash(a as Args);
        // Everything after `--` is an operand, even when it looks like an option.
        const rest = ((a as Args)['--'] as string[] | undefined) ?? [];
        if (rest.length) {
          if (!cmd.positional) throw usage(`${cmd.name} takes no operands (got ${rest.join(' ')})`);
          const p = cmd.positional.name;
          const before = (a as Args)[p];
          const list = [...(Array.isArray(before) ? before : before === undefined ? [] : [before]), ...rest];
          if (!cmd.positional.array && list.length > 1)
            throw usage(`${cmd.name} takes one ${p} (got ${list.join(' ')})`);
          (a as Args)[p] = cmd.positional.array ? list : list[0];
        }
        checkOnce([...GLOBAL_OPTIONS, ...cmd.options], a as Args);
        if (cmd.positional?.required && (a as Args)[cmd.positional.name] === undefined)
          throw usage(`${cmd.name}: name a ${cmd.positional.name}`);
        if (a.quiet) io.quiet = true;
        code = await HANDLERS[cmd.name](a as Args, io);
      },
    );
  }
  cli
    .help('help', GLOBAL_OPTIONS[0].describe)
    .alias('help', 'h')
    .version('version', "show rc-supervise's version", packageVersion());
  cli.alias('version', 'V');

  try {
    if (argv.length === 0) {
      // A bare `rc-supervise`: the command list, as a usage error (a script that lost its
      // command must not look successful).
      io.err((await cli.getHelp()) + '\n');
      return EXIT.USAGE;
    }
    let helpOrVersion = '';
    await cli.parseAsync(argv, {}, (_err, _argv, output) => {
      helpOrVersion = output;
    });
    if (helpOrVersion) io.out(helpOrVersion + '\n');
    else if (!handled) return code;
    return code;
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
