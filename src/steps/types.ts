import type { Edit } from '../edit/edits.js';
import type { UnitFacts } from '../knowledge/units.js';
import type { PidfileReader } from '../knowledge/logrotate.js';
import type { Service } from '../model/service.js';
import type { Token } from '../parse/words.js';
import type { ServiceRule } from '../rules/types.js';

export interface PlanOptions {
  /** --foreground-args: words for command_args_foreground, overriding everything else. */
  foregroundArgs?: string;
  /**
   * Plan what is still missing even when the supervisor is already set. The fix loop uses
   * it on its own output: a converged migration has nothing left to do.
   */
  residual?: boolean;
  /** OpenRC version the result must work with (gates what is emitted). */
  target?: [number, number, number];
  /** --log: where the daemon's stdout/stderr go under the supervisor. */
  log?: { kind: 'syslog' } | { kind: 'file'; dir: string };
  /** --respawn-*: the supervisor's respawn policy (seconds, count, seconds). */
  respawn?: { delay?: number; max?: number; period?: number };
  /**
   * --min-evidence: the weakest evidence a foreground decision may rest on (Evidence's order:
   * `rule` takes only a rule or the user's word, `script` also the script itself, `unit`, the
   * default, also a systemd unit). A weaker one is refused instead of migrated.
   */
  minEvidence?: EvidenceLevel;
}

/** What --min-evidence takes, strongest first (src/cli/spec.ts lists the same). */
export type EvidenceLevel = 'rule' | 'script' | 'unit';

/**
 * What a decision rests on, strongest first: what the user passed, a rule (curated or from the
 * knowledge base, with sources), the script itself, a systemd unit of the same binary (a strong
 * hint, not proof).
 */
export interface Evidence {
  kind: 'user' | 'rule' | 'script' | 'unit';
  /** One line: the fact and where it comes from. */
  detail: string;
}

export type RefusalCode =
  | 'rule'
  | 'netifrc'
  | 'oneshot'
  | 'custom-start'
  | 'needs-foreground'
  | 'dynamic'
  | 'not-openrc'
  | 'symlink'
  | 'version'
  | 'template'
  | 'not-converging';

export interface Refusal {
  kind: 'refuse';
  code: RefusalCode;
  reason: string;
  suggestion: string;
}

export interface StepContext {
  service: Service;
  rule?: ServiceRule;
  /** systemd units on the root (or beside the script) whose ExecStart runs this daemon. */
  units: readonly UnitFacts[];
  /** Files on the root that may signal the daemon through its pid file (etc/logrotate.d). */
  pidfileReaders?: readonly PidfileReader[];
  /** Where OpenRC's PATH finds a program the script runs by name, on the root (migrate only). */
  findProgram?: (name: string) => string | undefined;
  /** Paths relative to root. */
  initdPath: string;
  confdPath: string;
  /** Set when init.d is a symlink to another script (netifrc's net.* -> net.lo). */
  initdIsLink?: string;
  options: PlanOptions;
}

/** A custom start()/stop() turned into declarative variables and start_pre()/start_post()... */
export interface Converted {
  /** argv[0] as written, for `command=`. */
  command: string;
  /** The daemon's arguments as written, with spans in init.d. */
  args: Token[];
  /** Plain assignments start() made that the launch reads: they move to the top level, first. */
  hoist: string[];
  /**
   * Variables of the launch's arguments that a function sets (start() before the launch, a
   * checkconfig()): command_args and command_args_background read them at start time, escaped
   * (`\${V}`), after start_pre() has set them (emit.ts deferRefs). Also those only the lines
   * from the launch's options read (output_log=, directory=, ...), which custom-start writes
   * escaped itself.
   */
  deferred: string[];
  /**
   * ser2net's config_check(): the functions, called from start_pre() now, that build command_args
   * when the service starts; the launch's other words must all leave for
   * command_args_background (plan.ts), since a command_args line would be overwritten by them.
   */
  argsAtStart?: string[];
  /** Declarative lines from the launch's start-stop-daemon options (pidfile=, command_user=, ...). */
  lines: string[];
  /** Edits replacing start()/stop()/restart() (removal, or a rename to start_pre/...). */
  edits: Edit[];
  /** The pidfile= line came from stop()'s --pidfile (start() gave start-stop-daemon none). */
  pidfileFromStop?: boolean;
  /** The launch ran the daemon with start-stop-daemon --background --make-pidfile. */
  backgroundMakePidfile: boolean;
  /** ... that is, with --make-pidfile and no --background, in the background of start()'s shell (`&`). */
  ampMakePidfile?: boolean;
  /** What the conversion did, for the notes. */
  notes: string[];
}

/**
 * What the steps have decided so far. Steps run in a fixed order (steps/index.ts) and each
 * reads what the earlier ones put here: one record, not a function that grows with every case.
 */
export interface Draft {
  converted: Converted | null;
  /** Words for command_args_foreground ('' = none needed); undefined = the script sets it already. */
  foreground?: string;
  /** Indices of the converted launch's arguments that moved to command_args_background. */
  convertedTake: Set<number>;
  /**
   * A converted launch's trailing operands (their indices in converted.args: a run at the end)
   * that go last in command_args_background and command_args_foreground instead of command_args,
   * so that the moved flags and the no-fork words come before them (a parser that stops at the
   * first operand).
   */
  operandLast?: number[];
  /**
   * The run in operandLast moves under supervise-daemon only: the launch had --background
   * (command_background="yes"), beside which OpenRC refuses command_args_background, so a line
   * `if [ "${supervisor}" = supervise-daemon ]; then command_args=...; command_args_foreground=...; fi`
   * takes it out of command_args and writes it after the no-fork words there; start-stop-daemon
   * gets command_args as the launch had them.
   */
  operandSupervisedOnly?: true;
  /**
   * The same for a top-level command_args (igmpproxy's `"${IGMPPROXY_OPTS} ${config}"`): its last
   * word as written, and the edits that take it (and the moved flags) out of that assignment;
   * they replace the moved flags' own edits of it.
   */
  operandTail?: { text: string; edits: Edit[] };
  /** Flags moved out of command_args, joined as written. */
  movedText: string;
  /**
   * Pid file words left in command_args (beside command_background, which cannot go with
   * command_args_background): the daemon writes the script's pid file under both backends.
   */
  pidfileKept?: boolean;
  /**
   * End of the command_args line whose kept words read ${pidfile} where it stands (lvmetad's
   * default, freshclam's -p ${pidfile}): the supervisor's own pid file must be set below it.
   */
  pidfileReadAt?: number;
  /**
   * The stop schedule has no KILL step (retry unset, a bare timeout, or TERM/30): under
   * supervise-daemon a daemon that outlives it keeps running without its supervisor. Set by
   * the retry step; migrate counts these in its summary.
   */
  stopsWithoutKill?: boolean;
  /**
   * The supervisor's own pid file: lines that must come after the script's last pidfile= (at)
   * and after supervisor=; plan.ts puts them in the block or, when `at` is below it, there.
   */
  relocation?: { at: number; lines: string[] };
  /**
   * Functions that set pidfile to the daemon's own file when they run (nsd's start_pre() and
   * stop_pre(): `pidfile="$(get_pidfile)"`), each given the supervisor's own pid file at its end
   * (pidfile step): pidfile's value is then built when the service starts, not read here.
   */
  pidfileSetAtStart?: string[];
  moveEdits: Edit[];
  signalEdits: Edit[];
  /**
   * start_post()'s `pgrep -n NAME > FILE`, guarded to run only when the supervisor is not
   * supervise-daemon (foreground step): it no longer reads or writes the supervisor's pid file.
   */
  pidWriteGuards: Edit[];
  /** Top-level lines to add to init.d (or conf.d), in order. */
  lines: string[];
  /** Lines that belong after the supervisor is known (the pidfile relocation). */
  lateLines: string[];
  /** Other init.d edits (stopsig in retry, pidfile relocation after the last pidfile=). */
  extraEdits: Edit[];
  /** Why each step needs init.d (empty: conf.d can take it all). */
  initdReasons: string[];
  notes: string[];
  warnings: string[];
  /**
   * Where the daemon logs in the foreground (its rule's foregroundLogs), set by the foreground
   * step; the policy step warns about a stream nothing keeps once every step has written its
   * lines (ssd-args turns `--stderr FILE` into error_log after the foreground step).
   */
  foregroundLogs?: 'stderr' | 'stdout' | 'both';
  /**
   * tpm-emulator's start(): command_args is set only inside functions that run when the
   * service starts (those named here), the script backgrounds the daemon with
   * command_background=yes, and the plan leaves those words alone (foreground.ts
   * argsSetAtStart): the supervisor runs the same command line.
   */
  argsAtStart?: string[];
  /** Why argsAtStart does not hold for command_args set only when the service starts. */
  argsAtStartWhyNot?: string;
  evidence: Evidence[];
}

/** A step returns nothing (it wrote into the draft) or a refusal with the reason. */
export type Step = (ctx: StepContext, draft: Draft) => Refusal | void;
