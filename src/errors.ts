/**
 * Exit codes (documented in README and --help), in ShellCheck's spirit:
 * 0 done / nothing to do, 1 some services not migrated or findings, 2 input error
 * (missing, unreadable, binary, outside root), 3 syntax error in a script,
 * 4 bad command-line options, 70 internal error (a bug: please report).
 */
export const EXIT = {
  OK: 0,
  FAILED: 1,
  INPUT: 2,
  SYNTAX: 3,
  USAGE: 4,
  INTERNAL: 70,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error the user can act on: a message naming the path (and line:col where it applies). */
export class RcError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.INPUT,
    readonly path?: string,
  ) {
    super(message);
    this.name = 'RcError';
  }
}

export class InternalError extends RcError {
  constructor(message: string) {
    super(`internal error (a bug in rc-supervise, please report it): ${message}`, EXIT.INTERNAL);
    this.name = 'InternalError';
  }
}

/** Any error as an RcError: a non-RcError is a bug. */
export function toRcError(e: unknown): RcError {
  if (e instanceof RcError) return e;
  return new RcError(
    `internal error (a bug in rc-supervise, please report it): ${(e as Error).stack ?? e}`,
    EXIT.INTERNAL,
  );
}
