/**
 * What rc-supervise knows about one daemon. Rule modules in `rules/<id>.ts` export one
 * `ServiceRule` as default; `rules/index.ts` lists them. Data first: the generic engine
 * (src/migrate) applies foreground/background/signals; `fix` is only for true quirks.
 */
export interface FlagSpec {
  /** Spelling as the daemon takes it: "-p", "--pidfile", "--daemonize". */
  flag: string;
  /** Takes a value: as the next word, or joined ("-pFILE", "--pidfile=FILE"). */
  value?: boolean;
  /** Only when the value matches, e.g. sshd's "-o" with /^PidFile=/. */
  valueMatch?: RegExp;
  /** The daemon reads option names case-insensitively (tor: --RunAsDaemon = --runasdaemon). */
  ignoreCase?: boolean;
  /**
   * What the flag does: 'pidfile' and 'daemonize' must leave command_args under supervise-daemon;
   * 'log' keeps the daemon's log (logKeptBy); 'daemon-only' is read only when it daemonizes
   * (daemonOnlyFlags).
   */
  why: 'pidfile' | 'daemonize' | 'log' | 'daemon-only';
}

export interface Refusal {
  reason: string;
  suggestion: string;
}

export interface ServiceRule {
  /** Equals the file name in rules/ (curated) or knowledge/daemons/ (knowledge base). */
  id: string;
  /** Curated (rules/*.ts, wiki-backed) or from the knowledge base (knowledge/daemons/*.json). */
  origin?: 'curated' | 'knowledge';
  /** Init script names this rule applies to (e.g. ["sshd"]). */
  services: string[];
  /** Basenames of the daemon binary (`command`), to recognise renamed services. */
  daemons: string[];
  /** One line: what the migration changes. */
  summary: string;
  /** Where the wiki puts the change for the stock script. */
  route: 'conf.d' | 'init.d';
  /** Words for command_args_foreground (keeps the daemon from forking), e.g. "-D". */
  foreground?: string;
  /**
   * Foreground words that exist only from a version on (knowledge entries' foregroundSince):
   * while the installed version is unknown the rule refuses (unless `versionNote` is set);
   * migrate reads the version from the package database (src/knowledge/installed.ts) and then
   * uses `versionedForeground` or refuses an older version.
   */
  foregroundSince?: string;
  versionedForeground?: string;
  /**
   * Set where foregroundSince is old (knowledge entries' foregroundSinceReleased before
   * ASSUMED_NEWER_THAN): the installed version unknown, the rule applies `foreground` and
   * migrate says so with this note; a known older version still refuses.
   */
  versionNote?: string;
  /** When foregroundSince was released (knowledge entries' foregroundSinceReleased), for the note. */
  foregroundSinceReleased?: string;
  /** What an older version does under supervise-daemon instead (knowledge entries' foregroundSinceWhy). */
  foregroundSinceWhy?: string;
  /** Releases of older lines that have the words too (knowledge entries' foregroundSinceBackports). */
  foregroundBackports?: string[];
  /**
   * Words of an earlier version range (knowledge entries' foregroundEarlier): from `since` up to
   * foregroundSince (not included) the daemon stays in the foreground with `words` instead of
   * versionedForeground, and logs as `foregroundLogs`/`logKeptBy` say (not as the rule's).
   */
  earlierForeground?: {
    words: string;
    since: string;
    foregroundLogs?: 'stderr' | 'stdout' | 'both';
    logKeptBy?: FlagSpec[];
  };
  /**
   * The packages this rule is for, where other daemons share its binary name (ISC ntpd and
   * OpenNTPD; cronie's, scron's and busybox's crond): Gentoo `category/name` or the bare name
   * (Alpine). The package that installed the init script must be one of them; when that is
   * not known the rule refuses, unless `packageUnknown` is 'apply' and the script does not
   * match `otherImplementation` (text that names another daemon of the name).
   */
  packages?: string[];
  packageUnknown?: 'apply' | 'refuse';
  otherImplementation?: RegExp;
  /** Flags that daemonize or write a pidfile: they move to command_args_background. */
  backgroundFlags?: FlagSpec[];
  /** Other spellings of `foreground` (dnsmasq's -k): a script passing one needs nothing added. */
  foregroundAliases?: string[];
  /**
   * Pid file options the daemon honours in the foreground too (dbmail's -p): a word naming the
   * script's pid file through one of them stays in command_args instead of moving.
   */
  keptPidfileFlags?: FlagSpec[];
  /**
   * A pidfile the daemon writes by itself even in the foreground (compiled-in default).
   * Under supervise-daemon it must not equal the supervisor's `pidfile`. '*' when the path
   * depends on how the daemon was built (syslog-ng's --with-pidfile-dir): the supervisor
   * then always gets a pid file of its own.
   */
  ownPidfile?: string;
  /**
   * Words for command_args_foreground with which the daemon, in the foreground, still writes the
   * pid file it writes when it daemonizes (snort's --create-pidfile), added where the script had
   * it write one: its pid file flags (in keptPidfileFlags) stay in command_args, and the
   * supervisor keeps a pid file of its own.
   */
  foregroundPidfile?: string;
  /**
   * The daemon writes a pid file only where a pid file flag tells it (a sourced fact): a pid
   * file start-stop-daemon made (command_background, --make-pidfile) is then not the daemon's.
   */
  noOwnPidfile?: boolean;
  /**
   * In the foreground the daemon logs to this stream (all of its log, or what it would send to
   * syslog): supervise-daemon discards it unless output_log/error_log (or a logger) is set.
   */
  foregroundLogs?: 'stderr' | 'stdout' | 'both';
  /**
   * Options with which, in the foreground too, that log goes to a file or to syslog (dnscrypt-wrapper's
   * `-l FILE`, dictd's `-s`): where the daemon's arguments pass one, supervise-daemon discards at
   * most a copy, and no log is lost.
   */
  logKeptBy?: FlagSpec[];
  /**
   * Options the daemon reads only when it daemonizes (airflow's `--stdout FILE`): in the foreground
   * they do nothing, so what they ask for stops happening. Warned where the arguments pass one.
   */
  daemonOnlyFlags?: FlagSpec[];
  /** What the daemon does only when it daemonizes, so no longer in the foreground (dbmail's umask): warned. */
  foregroundSkips?: string;
  /**
   * What the daemon's parent waits for before it exits when the daemon forks (clamd: its
   * databases loaded, its sockets open): start-stop-daemon's start returned only then,
   * supervise-daemon's returns once the daemon is spawned. Warned, when it forked before.
   */
  readyOnFork?: string;
  /**
   * The daemon forks, and its parent exits, before it does any work (termpkg's ttyd): a start()
   * launching it without --background returned at the spawn, so what it ran after the launch may
   * go to start_post() (knowledge/schema.json).
   */
  forksAtOnce?: boolean;
  /**
   * When the daemon does not end on TERM (lvmlockd: a lockspace still started): start-stop-daemon's
   * stop failed then, supervise-daemon's reports success and leaves it unsupervised. Warned.
   */
  termDeferred?: string;
  /**
   * A setting of the daemon's configuration that makes it daemonize and that no command-line
   * word overrides (qemu-ga's daemon=true): under supervise-daemon it must stay off; warned.
   */
  configForks?: string;
  /**
   * The foreground words keep the daemon in the foreground when they follow a daemonize flag
   * (exim's -bdf after -bd): a daemonize flag held in a variable that cannot be split may stay
   * in command_args, since supervise-daemon passes command_args_foreground after it.
   */
  foregroundOverrides?: boolean;
  /**
   * The foreground words are one of the daemonize flags kept attached and start that mode
   * themselves (exim's -bdf is -bd that never detaches): arguments that pass no daemonize flag
   * run the program in another mode (exim -q30m: a queue runner), and get no such words.
   */
  foregroundNeedsFlag?: boolean;
  /** The daemon's pid file is also a lock it takes in the foreground: instances must not share it. */
  pidfileLock?: boolean;
  /** Its option parser stops at the first operand, long options too (Kannel's boxes): nothing after an operand is read. */
  stopsAtOperand?: boolean;
  /**
   * Options with which the daemon's own program, run again, starts a new daemon that takes over
   * from the running one (dmeventd -R): a function running the program with one is refused.
   */
  takeoverWords?: string[];
  /**
   * Signals the daemon ignores while its parent is not init, as under supervise-daemon (nginx's
   * USR2, its binary upgrade): a function sending one no longer works, and a migration says so.
   */
  ignoredWhenSupervised?: string[];
  /**
   * Its foreground log stream must not be a regular file (ladvd's child sets RLIMIT_FSIZE to 0
   * and dies of SIGXFSZ at its first line): only a logger keeps it.
   */
  foregroundLogsNoFile?: boolean;
  /** Custom commands (function name) and the signal each sends to the daemon. */
  signals?: Record<string, string>;
  /**
   * Words with which the daemon's own program stops the running daemon the way SIGTERM does
   * (`avahi-daemon -k` sends it TERM; `eturnalctl stop` calls the init:stop() the Erlang
   * runtime's SIGTERM handler calls), a sourced fact: a stop() that runs the program with one of them is
   * the supervisor's stop. Without it such a stop() is refused: `epmd -kill` is a request the
   * daemon may turn down, and `IPMITAS -agent stop-service` a shutdown path of its own.
   */
  stopWords?: string[];
  /**
   * Commands of the daemon's control program (`knotc stop`) that stop it the way SIGTERM does,
   * a sourced fact: a stop() that runs one first and falls back to a TERM stop only when it
   * fails is the supervisor's stop.
   */
  stopCommands?: string[];
  /**
   * Commands of the same control program a stop() may run before one of stopCommands, whose
   * whole effect the stop (and SIGTERM) includes (innd's `ctlinnd throttle`).
   */
  stopPreludes?: string[];
  /** Set when the service must not be migrated. */
  refuse?: Refusal;
  /**
   * Variables the migration sets when the script does not set them already, e.g. metalog's
   * `output_log: '/dev/null'` so its log copy never reaches a tty.
   */
  extraVars?: Record<string, string>;
  /** Printed when the service is migrated (e.g. dbus). */
  warnings?: string[];
  /** Where real OpenRC differs from the wiki, and what this rule does instead. */
  notes?: string[];
  /** Where each fact comes from: "wiki: ...", "acpid(8): -f, --foreground ...", "docs/openrc.md §2". */
  sources: string[];
}
