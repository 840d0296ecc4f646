import { readFileSync } from 'node:fs';
import yargs from 'yargs';
import { EXIT, RcError, type ExitCode } from '../errors.js';
import { stdOut, type Out } from './output.js';
import { DEFAULT_OPENRC_VERSION } from '../defaults.js';

/** Our package.json, found upward (from src/ under tests, from dist/src/ when built). */
function packageVersion(): string {
  for (let dir = new URL('.', import.meta.url); dir.pathname !== '/'; dir = new URL('..', dir)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { name?: string; version: string };
      if (pkg.name === 'rc-supervise') return pkg.version;
    } catch {
      // keep looking upward
    }
  }
  return '0.0.0';
}

export const EXIT_HELP = `Exit codes:
  0  done, or nothing to do (already supervised)
  1  a named service was refused, or a batch had failures; lint: findings at --severity or above
  2  input or file-system error: no such service, unreadable, binary or non-UTF-8 file,
     symlink out of --root, read-only or full file system
  3  syntax error in a script (file:line:col given)
  4  bad command-line usage
  70 internal error (a bug: please report it)`;

export const ENV_HELP = `Environment:
  NO_COLOR             no colour (colour is only ever used on a terminal; FORCE_COLOR forces it)
  RC_SUPERVISE_JOBS    threads for lint and migrate --all (default: one per core; 1: no workers)
  RC_SUPERVISE_TIMING  print where a lint or migrate --all run spent its time, on stderr`;

class UsageError extends Error {}

/** Runs the CLI; returns the exit code instead of exiting, so tests can call it in-process. */
export async function main(argv: string[], io: Out = stdOut()): Promise<ExitCode> {
  let code: ExitCode = EXIT.OK;
  const cli = yargs(argv)
    .scriptName('rc-supervise')
    .usage('$0 <command> [options]\n\nMove OpenRC services from start-stop-daemon to supervise-daemon.')
    .version(packageVersion())
    .strict()
    .recommendCommands()
    .demandCommand(1, 'name a command')
    .exitProcess(false)
    .wrap(Math.min(100, process.stdout.columns || 100))
    .epilog(`${EXIT_HELP}\n\n${ENV_HELP}`)
    .fail((msg, err) => {
      if (err) throw err;
      // Throwing stops yargs before any command handler runs.
      throw new UsageError(msg);
    })
    .command(
      'migrate [services..]',
      'migrate services to supervise-daemon (writes, with a backup; --dry-run shows a diff)',
      (y) =>
        y
          .positional('services', { type: 'string', array: true, describe: 'service names in ROOT/etc/init.d' })
          .option('root', { type: 'string', default: '/', describe: 'root of the system to change' })
          .option('dry-run', {
            alias: 'n',
            type: 'boolean',
            default: false,
            describe: 'write nothing; print a unified diff (patch -p1 -d ROOT)',
          })
          .option('all', {
            type: 'boolean',
            default: false,
            describe: 'every service in ROOT/etc/init.d that can be migrated',
          })
          .option('exclude', {
            type: 'string',
            array: true,
            default: [] as string[],
            describe: 'with --all: leave these out (a,b or repeated)',
          })
          .option('foreground-args', {
            type: 'string',
            describe: 'command_args_foreground for a daemon rc-supervise does not know',
          })
          .option('json', { type: 'boolean', default: false, describe: 'machine-readable result on stdout' })
          .option('restart', {
            type: 'boolean',
            default: false,
            describe:
              'for a running service (--root /): stop it, write, start it under supervise-daemon; roll back if it does not stay up',
          })
          .option('settle', {
            type: 'number',
            default: 1.5,
            describe: 'with --restart: seconds the daemon must stay up',
          })
          .option('openrc-version', {
            type: 'string',
            describe: `OpenRC the result must work with (default: ROOT/lib/rc/version, else ${DEFAULT_OPENRC_VERSION})`,
          })
          .option('log', {
            type: 'string',
            describe:
              'catch the daemon\'s output: "syslog" (output_logger, OpenRC 0.51+) or "file[:DIR]" (output_log, default DIR /var/log)',
          })
          .option('respawn-delay', { type: 'number', describe: 'seconds between respawns (respawn_delay)' })
          .option('respawn-max', { type: 'number', describe: 'respawns allowed within respawn-period (respawn_max)' })
          .option('respawn-period', {
            type: 'number',
            describe: 'the window respawn-max counts in, seconds (respawn_period)',
          })
          .example('$0 migrate sshd --dry-run', 'show what would change for sshd')
          .example('$0 migrate --all --root /mnt/gentoo', 'convert a whole system mounted at /mnt/gentoo')
          .example(
            '$0 migrate mydaemon --foreground-args=--no-daemon',
            'an unknown daemon, told how to stay in the foreground',
          ),
      async (a) => {
        code = await (
          await import('./migrate.js')
        ).runMigrate(
          {
            services: (a.services ?? []).map(String),
            root: a.root,
            all: a.all,
            dryRun: a['dry-run'],
            exclude: a.exclude.flatMap((x) => String(x).split(',')).filter(Boolean),
            foregroundArgs: a['foreground-args'],
            json: a.json,
            restart: a.restart,
            openrcVersion: a['openrc-version'],
            log: a.log,
            respawn:
              a['respawn-delay'] !== undefined || a['respawn-max'] !== undefined || a['respawn-period'] !== undefined
                ? { delay: a['respawn-delay'], max: a['respawn-max'], period: a['respawn-period'] }
                : undefined,
            settleMs: Math.round(a.settle * 1000),
          },
          io,
        );
      },
    )
    .command(
      'lint [paths..]',
      'check init scripts (an ebuild repository, an etc/init.d tree, or files) for supervise-daemon problems',
      (y) =>
        y
          .positional('paths', { type: 'string', array: true, describe: 'files or directories (default: .)' })
          .option('format', {
            alias: 'f',
            choices: ['stylish', 'gcc', 'json', 'sarif', 'github'] as const,
            describe: 'output format (default: stylish on a TTY, gcc otherwise)',
          })
          .option('severity', {
            choices: ['info', 'warning', 'error'] as const,
            default: 'warning' as const,
            describe: 'exit 1 when a finding is at least this severe',
          })
          .option('fix', { type: 'boolean', default: false, describe: 'apply safe fixes in place' })
          .option('list-rules', {
            type: 'boolean',
            default: false,
            describe: 'list the check ids with their severity and fix safety',
          })
          .option('unsafe', { type: 'boolean', default: false, describe: 'with --fix: also apply unsafe fixes' })
          .option('openrc-version', {
            type: 'string',
            describe: `oldest OpenRC the scripts must work with (default ${DEFAULT_OPENRC_VERSION}, Debian 12's; or "openrcVersion" in .rc-supervise.json)`,
          })
          .example('$0 lint .', 'lint an ebuild repository')
          .example('$0 lint --format sarif . > rc-supervise.sarif', 'for GitHub code scanning'),
      async (a) => {
        if (a['list-rules']) {
          code = (await import('./lint.js')).listChecks(io);
          return;
        }
        code = await (
          await import('./lint.js')
        ).runLint(
          {
            paths: (a.paths ?? []).map(String),
            format: a.format,
            severity: a.severity,
            fix: a.fix,
            unsafe: a.unsafe,
            openrcVersion: a['openrc-version'],
            version: packageVersion(),
            color: io.c.level ? 1 : 0,
          },
          io,
        );
      },
    )
    .command(
      'status',
      'classify every service of a system: supervised, convertible, refused, broken, ...',
      (y) =>
        y
          .option('root', { type: 'string', default: '/', describe: 'root of the system' })
          .option('json', { type: 'boolean', default: false, describe: 'machine-readable output' }),
      async (a) => {
        code = await (await import('./status.js')).runStatus({ root: a.root, json: a.json }, io);
      },
    )
    .command(
      'revert [services..]',
      'undo migrations recorded in ROOT/var/lib/rc-supervise (exact bytes, mode and owner)',
      (y) =>
        y
          .positional('services', { type: 'string', array: true })
          .option('root', { type: 'string', default: '/' })
          .option('all', { type: 'boolean', default: false, describe: 'every recorded migration' })
          .option('force', {
            type: 'boolean',
            default: false,
            describe: 'revert files changed since the migration too',
          }),
      async (a) => {
        code = await (
          await import('./revert.js')
        ).runRevert({ services: (a.services ?? []).map(String), root: a.root, all: a.all, force: a.force }, io);
      },
    )
    .command(
      'explain <service>',
      'show the command lines OpenRC builds for a service, before and after migration (static)',
      (y) =>
        y
          .positional('service', { type: 'string', demandOption: true })
          .option('root', { type: 'string', default: '/' })
          .option('openrc-version', {
            type: 'string',
            describe: `OpenRC version to model (default: ROOT/lib/rc/version, else ${DEFAULT_OPENRC_VERSION})`,
          })
          .option('json', { type: 'boolean', default: false }),
      async (a) => {
        code = await (
          await import('./explain.js')
        ).runExplain(
          { root: a.root, service: String(a.service), openrcVersion: a['openrc-version'], json: a.json },
          io,
        );
      },
    )
    .command(
      'rules',
      'list what rc-supervise knows about each daemon',
      (y) =>
        y
          .option('json', { type: 'boolean', default: false })
          .option('markdown', { type: 'boolean', default: false, describe: 'the README table' }),
      async (a) => {
        code = (await import('./rules.js')).runRules({ json: a.json, markdown: a.markdown }, io);
      },
    )
    .help();

  try {
    let helpOrVersion = '';
    await cli.parseAsync(argv, {}, (_err, _argv, output) => {
      helpOrVersion = output;
    });
    if (helpOrVersion) io.out(helpOrVersion + '\n');
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
