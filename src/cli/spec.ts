/**
 * The command line, as data: the one source for `--help` (main.ts parses with util.parseArgs from it),
 * the man page rc-supervise(8) and the shell completions (scripts/gen-cli-docs.mjs).
 * Loads nothing, so that it costs nothing at start-up.
 */
import { DEFAULT_OPENRC_VERSION } from '../defaults.js';

export interface OptSpec {
  name: string;
  alias?: string;
  /** 'list': may be repeated, and each value may hold several, comma-separated. */
  type: 'string' | 'boolean' | 'number' | 'list';
  /** For 'number': whole numbers only; the smallest value allowed. */
  integer?: boolean;
  min?: number;
  /** The smallest value must be exceeded (a delay of 0 is not a delay). */
  minExclusive?: boolean;
  choices?: readonly string[];
  default?: string | number | boolean;
  /** Name of the value in help and the man page (FILE, DIR, X.Y, ...). */
  value?: string;
  describe: string;
  /** Completions: what the value is (a directory, a file, a service name, a check id). */
  complete?: 'dir' | 'file' | 'service' | 'check';
}

export interface CmdSpec {
  name: string;
  /** What follows the name in the synopsis, e.g. `[SERVICE...]`. */
  args: string;
  positional?: { name: string; array: boolean; required: boolean; describe: string; complete?: 'service' | 'path' };
  summary: string;
  options: OptSpec[];
  examples: [string, string][];
}

const ROOT: OptSpec = {
  name: 'root',
  type: 'string',
  default: '/',
  value: 'DIR',
  describe: 'root of the system to work on: the directory it is mounted at',
  complete: 'dir',
};
const JSON_OPT: OptSpec = {
  name: 'json',
  type: 'boolean',
  default: false,
  describe: 'machine-readable output on stdout',
};
const OPENRC_VERSION = (what: string): OptSpec => ({
  name: 'openrc-version',
  type: 'string',
  value: 'X.Y[.Z]',
  describe: what,
});

export const GLOBAL_OPTIONS: OptSpec[] = [
  { name: 'help', alias: 'h', type: 'boolean', describe: 'show help (for a command: rc-supervise COMMAND -h)' },
  { name: 'version', alias: 'V', type: 'boolean', describe: "show rc-supervise's version" },
  {
    name: 'color',
    type: 'string',
    choices: ['auto', 'always', 'never'],
    default: 'auto',
    value: 'WHEN',
    describe: 'colour: auto (each stream on its own: a terminal that has colours), always, never',
  },
  {
    name: 'quiet',
    alias: 'q',
    type: 'boolean',
    default: false,
    describe: 'print only errors, warnings and the output asked for (diffs, findings, JSON)',
  },
];

export const COMMANDS: CmdSpec[] = [
  {
    name: 'migrate',
    args: '[SERVICE...]',
    positional: {
      name: 'services',
      array: true,
      required: false,
      describe: 'service names in ROOT/etc/init.d (names, not paths)',
      complete: 'service',
    },
    summary: 'migrate services to supervise-daemon (writes, with a backup; --dry-run shows a diff)',
    options: [
      ROOT,
      {
        name: 'dry-run',
        alias: 'n',
        type: 'boolean',
        default: false,
        describe: 'write nothing; print a unified diff (patch -p1 -d ROOT applies it)',
      },
      {
        name: 'all',
        type: 'boolean',
        default: false,
        describe: 'every service in ROOT/etc/init.d that can be migrated',
      },
      {
        name: 'exclude',
        type: 'list',
        value: 'SERVICE[,...]',
        describe: 'with --all: leave these services out (comma-separated or repeated)',
        complete: 'service',
      },
      {
        name: 'interactive',
        alias: 'i',
        type: 'boolean',
        default: false,
        describe: 'ask before each service: show its diff, then y (migrate), n (skip) or q (stop)',
      },
      {
        name: 'foreground-args',
        type: 'string',
        value: 'ARGS',
        describe: 'command_args_foreground for a daemon rc-supervise does not know',
      },
      {
        name: 'min-evidence',
        type: 'string',
        choices: ['rule', 'script', 'unit'],
        value: 'KIND',
        describe:
          'migrate only what rests on at least this evidence of how the daemon stays in the foreground: rule (a curated rule or knowledge-base entry, or --foreground-args), script (also the script itself), unit (also a systemd unit: the default)',
      },
      JSON_OPT,
      {
        name: 'restart',
        type: 'boolean',
        default: false,
        describe:
          'for a running service (--root /): stop it, write, start it under supervise-daemon; roll back if it does not stay up',
      },
      {
        name: 'settle',
        type: 'number',
        min: 0,
        minExclusive: true,
        default: 1.5,
        value: 'SECONDS',
        describe: 'with --restart: seconds the daemon must stay up',
      },
      OPENRC_VERSION(`OpenRC the result must work with (default: ROOT/lib/rc/version, else ${DEFAULT_OPENRC_VERSION})`),
      {
        name: 'log',
        type: 'string',
        value: 'syslog|file[:DIR]',
        describe:
          'catch the daemon\'s output: "syslog" (output_logger, OpenRC 0.51+) or "file[:DIR]" (output_log, default DIR /var/log)',
      },
      {
        name: 'respawn-delay',
        type: 'number',
        integer: true,
        min: 0,
        value: 'SECONDS',
        describe: 'seconds between respawns (respawn_delay)',
      },
      {
        name: 'respawn-max',
        type: 'number',
        integer: true,
        min: 0,
        value: 'N',
        describe: 'respawns allowed within --respawn-period (respawn_max)',
      },
      {
        name: 'respawn-period',
        type: 'number',
        integer: true,
        min: 0,
        value: 'SECONDS',
        describe: 'the window --respawn-max counts in, seconds (respawn_period)',
      },
    ],
    examples: [
      ['rc-supervise migrate sshd --dry-run', 'show what would change for sshd'],
      ['rc-supervise migrate --all --root /mnt/gentoo', 'convert a whole system mounted at /mnt/gentoo'],
      ['rc-supervise migrate --all -i', 'ask before each service, showing its diff'],
      ['rc-supervise migrate mydaemon --foreground-args=--no-daemon', 'an unknown daemon, told how to stay in front'],
    ],
  },
  {
    name: 'lint',
    args: '[PATH...]',
    positional: {
      name: 'paths',
      array: true,
      required: false,
      describe: 'files or directories (default: .); - reads one script from stdin',
      complete: 'path',
    },
    summary: 'check init scripts (an ebuild repository, an etc/init.d tree, or files) for supervise-daemon problems',
    options: [
      {
        name: 'format',
        alias: 'f',
        type: 'string',
        choices: ['stylish', 'gcc', 'json', 'sarif', 'github', 'gitlab'],
        value: 'FORMAT',
        describe: 'output format (default: stylish on a terminal, gcc otherwise)',
      },
      {
        name: 'severity',
        alias: 'S',
        type: 'string',
        choices: ['info', 'warning', 'error'],
        default: 'info',
        value: 'LEVEL',
        describe: 'print only findings at least this severe (findings not printed never fail the run)',
      },
      {
        name: 'fail-on',
        type: 'string',
        choices: ['info', 'warning', 'error', 'never'],
        default: 'warning',
        value: 'LEVEL',
        describe: 'exit 1 when a printed finding is at least this severe (never: exit 0 whatever is found)',
      },
      {
        name: 'select',
        type: 'list',
        value: 'ID[,...]',
        describe: 'run only these checks (comma-separated or repeated)',
        complete: 'check',
      },
      {
        name: 'ignore',
        type: 'list',
        value: 'ID[,...]',
        describe: 'do not run these checks (comma-separated or repeated)',
        complete: 'check',
      },
      {
        name: 'explain',
        type: 'string',
        value: 'ID',
        describe: "print a check's documentation and exit",
        complete: 'check',
      },
      {
        name: 'stdin-filename',
        type: 'string',
        value: 'PATH',
        describe: 'with -: the name to report, and where to look for .rc-supervise.json',
        complete: 'file',
      },
      { name: 'fix', type: 'boolean', default: false, describe: 'apply safe fixes in place' },
      { name: 'unsafe', type: 'boolean', default: false, describe: 'with --fix: also apply unsafe fixes' },
      {
        name: 'cache',
        type: 'boolean',
        default: false,
        describe:
          'keep findings in .rc-supervise-cache and lint only the scripts that changed since (not with --fix or -)',
      },
      {
        name: 'cache-location',
        type: 'string',
        value: 'PATH',
        describe: 'with --cache: the cache file, or a directory to hold .rc-supervise-cache (default: .)',
        complete: 'file',
      },
      {
        name: 'list-rules',
        type: 'boolean',
        default: false,
        describe: 'list the check ids with their severity and fix safety',
      },
      OPENRC_VERSION(
        `oldest OpenRC the scripts must work with (default ${DEFAULT_OPENRC_VERSION}, Debian 12's; or "openrcVersion" in .rc-supervise.json)`,
      ),
    ],
    examples: [
      ['rc-supervise lint .', 'lint an ebuild repository'],
      ['rc-supervise lint -f sarif . > rc-supervise.sarif', 'for GitHub code scanning'],
      ['rc-supervise lint --fail-on error --ignore bashism .', 'fail CI on errors only, skip one check'],
      ['git show HEAD:foo.initd | rc-supervise lint --stdin-filename foo.initd -', 'a script on stdin'],
      ['rc-supervise lint --explain ssd-signal', "one check's documentation"],
      ['rc-supervise lint --cache .', 'lint again only what changed since the last --cache run'],
    ],
  },
  {
    name: 'status',
    args: '',
    summary: 'classify every service of a system: supervised, convertible, refused, broken, ...',
    options: [ROOT, JSON_OPT],
    examples: [
      ['rc-supervise status', 'every service of this system'],
      ['rc-supervise status --root /mnt/gentoo --json', 'another system, for scripts'],
    ],
  },
  {
    name: 'revert',
    args: '[SERVICE...]',
    positional: {
      name: 'services',
      array: true,
      required: false,
      describe: 'services whose migration to undo',
      complete: 'service',
    },
    summary: 'undo migrations recorded in ROOT/var/lib/rc-supervise (exact bytes, mode and owner)',
    options: [
      ROOT,
      { name: 'all', type: 'boolean', default: false, describe: 'every recorded migration' },
      {
        name: 'dry-run',
        alias: 'n',
        type: 'boolean',
        default: false,
        describe: 'write nothing; print the diff reverting would apply',
      },
      { name: 'force', type: 'boolean', default: false, describe: 'revert files changed since the migration too' },
    ],
    examples: [
      ['rc-supervise revert sshd --dry-run', 'what reverting sshd would change'],
      ['rc-supervise revert --all', 'undo every migration'],
    ],
  },
  {
    name: 'explain',
    args: 'SERVICE',
    positional: {
      name: 'service',
      array: false,
      required: true,
      describe: 'a service name in ROOT/etc/init.d',
      complete: 'service',
    },
    summary: 'show the command lines OpenRC builds for a service, before and after migration (static)',
    options: [
      ROOT,
      OPENRC_VERSION(`OpenRC version to model (default: ROOT/lib/rc/version, else ${DEFAULT_OPENRC_VERSION})`),
      JSON_OPT,
    ],
    examples: [['rc-supervise explain sshd', 'the start-stop-daemon and supervise-daemon command lines for sshd']],
  },
  {
    name: 'rules',
    args: '',
    summary: 'list what rc-supervise knows about each daemon',
    options: [JSON_OPT, { name: 'markdown', type: 'boolean', default: false, describe: 'the README table' }],
    examples: [['rc-supervise rules', 'one line per daemon']],
  },
];

export const EXIT_HELP = `Exit codes:
  0  done, or nothing to do (already supervised)
  1  a named service was refused, or a batch had failures; lint: findings at --fail-on or above
  2  input or file-system error: no such service, unreadable, binary or non-UTF-8 file,
     symlink out of --root, read-only or full file system, invalid .rc-supervise.json
  3  syntax error in a script (file:line:col given)
  4  bad command-line usage (an option that takes one value given twice is one)
  70 internal error (a bug: please report it)`;

export const ENV_HELP = `Environment:
  NO_COLOR             no colour (https://no-color.org); --color=always still colours
  FORCE_COLOR          colour even where it would not be used; FORCE_COLOR=0: no colour
  TERM                 TERM=dumb: no colour
  RC_SUPERVISE_JOBS    threads for lint and migrate --all (default: one per core; lint under 300 scripts: 1)
  RC_SUPERVISE_TIMING  print where a lint or migrate --all run spent its time, on stderr`;

/** `--flag VALUE` as shown in help, the man page and completions. */
export function optionSynopsis(o: OptSpec): string {
  const flags = [o.alias ? `-${o.alias}` : '', `--${o.name}`].filter(Boolean).join(', ');
  if (o.type === 'boolean') return flags;
  return `${flags} ${o.value ?? (o.choices ? o.choices.join('|') : o.type === 'number' ? 'N' : 'VALUE')}`;
}

/** Examples block for help: each command on a line of its own, never wrapped. */
export function examplesText(cmd: CmdSpec): string {
  return ['Examples:', ...cmd.examples.map(([c, d]) => `  $ ${c}\n      ${d}`)].join('\n');
}
