/** One entry of knowledge/daemons/<id>.json (knowledge/schema.json says what each field means). */
export interface KnowledgeFlag {
  flag: string;
  value?: boolean;
  valueMatch?: string;
  ignoreCase?: boolean;
}

export type KnowledgeFact =
  | 'foreground'
  | 'foregroundSince'
  | 'foregroundEarlier'
  | 'foregroundAliases'
  | 'daemonizeFlags'
  | 'pidfileFlags'
  | 'keptPidfileFlags'
  | 'ownPidfile'
  | 'foregroundPidfile'
  | 'noOwnPidfile'
  | 'foregroundLogs'
  | 'logKeptBy'
  | 'foregroundSkips'
  | 'daemonOnlyFlags'
  | 'readyOnFork'
  | 'forksAtOnce'
  | 'termDeferred'
  | 'configForks'
  | 'foregroundOverrides'
  | 'foregroundNeedsFlag'
  | 'pidfileLock'
  | 'stopsAtOperand'
  | 'takeoverWords'
  | 'ignoredWhenSupervised'
  | 'stopWords'
  | 'stopCommands'
  | 'stopPreludes'
  | 'foregroundLogsNoFile'
  | 'packages'
  | 'signals'
  | 'refuse';

export interface DaemonEntry {
  id: string;
  binaries: string[];
  services?: string[];
  foreground?: string;
  /** The version the foreground words appeared in (then the entry refuses, naming them). */
  foregroundSince?: string;
  /**
   * When that version was released (YYYY-MM). Before ASSUMED_NEWER_THAN (src/knowledge/rules.ts),
   * an unknown installed version is taken to be newer: the words apply, with a note.
   */
  foregroundSinceReleased?: string;
  /** What a version before foregroundSince does under supervise-daemon, where it lacks no word (knowledge/schema.json). */
  foregroundSinceWhy?: string;
  /** Releases of older lines that got the words too (a backport): 0.8.14 beside 0.9.1 (knowledge/schema.json). */
  foregroundSinceBackports?: string[];
  /**
   * Other words with which the versions from `since` up to foregroundSince (not included) stay in
   * the foreground, where the word changed between versions (mrouted: -f in 3.9.x, -n from 4.0);
   * foregroundLogs and logKeptBy of the entry are for foregroundSince on, and this range gives
   * its own (knowledge/schema.json).
   */
  foregroundEarlier?: {
    foreground: string;
    since: string;
    foregroundLogs?: 'stderr' | 'stdout' | 'both';
    logKeptBy?: KnowledgeFlag[];
  };
  /** Other spellings of the foreground words, each enough alone (knowledge/schema.json). */
  foregroundAliases?: string[];
  daemonizeFlags?: KnowledgeFlag[];
  pidfileFlags?: KnowledgeFlag[];
  /** Pid file options it honours in the foreground too: they stay in command_args (knowledge/schema.json). */
  keptPidfileFlags?: KnowledgeFlag[];
  ownPidfile?: string;
  /** Foreground words with which it still writes its pid file where its pidfileFlags say (knowledge/schema.json). */
  foregroundPidfile?: string;
  /** The packages the entry is for, where other daemons share the binary name (knowledge/schema.json). */
  packages?: string[];
  /**
   * With packages: text (a case-insensitive regular expression) naming the other daemon of the
   * name; the entry then applies where the installing package is not known, unless the script
   * matches it (knowledge/schema.json).
   */
  otherImplementation?: string;
  /** Writes a pid file only where a pidfileFlag tells it (knowledge/schema.json). */
  noOwnPidfile?: true;
  /** In the foreground its log (or the part it would send to syslog) goes to this stream (knowledge/schema.json). */
  foregroundLogs?: 'stderr' | 'stdout' | 'both';
  /** Options that send that log to a file or syslog in the foreground too (knowledge/schema.json). */
  logKeptBy?: KnowledgeFlag[];
  /** Options it reads only when it daemonizes (knowledge/schema.json): warned where passed. */
  daemonOnlyFlags?: KnowledgeFlag[];
  /** What it does only when it daemonizes (knowledge/schema.json): warned. */
  foregroundSkips?: string;
  /** What its parent waits for before exiting when it forks (knowledge/schema.json): warned. */
  readyOnFork?: string;
  /** It forks before doing any work (knowledge/schema.json): commands after the launch may go to start_post(). */
  forksAtOnce?: boolean;
  /** When it does not end on TERM (knowledge/schema.json): warned. */
  termDeferred?: string;
  /** A configuration setting that makes it daemonize and no command-line word overrides (knowledge/schema.json): warned. */
  configForks?: string;
  /** Its foreground words win when given after a daemonize flag (knowledge/schema.json): a hidden flag may stay. */
  foregroundOverrides?: true;
  /** Its foreground words are a daemonize flag kept attached, right only beside one (knowledge/schema.json): refused without. */
  foregroundNeedsFlag?: true;
  /** Its pid file is also a lock taken in the foreground (knowledge/schema.json). */
  pidfileLock?: true;
  /** Its option parser stops at the first operand, long options included (knowledge/schema.json). */
  stopsAtOperand?: true;
  /** Options with which its program, run again, replaces the running daemon (knowledge/schema.json). */
  takeoverWords?: string[];
  /** Signals it ignores while its parent is not init, as under a supervisor (knowledge/schema.json). */
  ignoredWhenSupervised?: string[];
  /** Words with which its own program stops it the way SIGTERM does (knowledge/schema.json). */
  stopWords?: string[];
  /** Its control program's commands that stop it the way SIGTERM does (knowledge/schema.json). */
  stopCommands?: string[];
  /** Control commands a stop() may run before a stopCommand, whose effect the stop includes (knowledge/schema.json). */
  stopPreludes?: string[];
  /** Its foreground log must not go to a file (knowledge/schema.json). */
  foregroundLogsNoFile?: true;
  signals?: Record<string, string>;
  refuse?: { reason: string; suggestion: string };
  notes?: string[];
  sources: Partial<Record<KnowledgeFact, string[]>>;
}
