import { Chalk, type ChalkInstance } from 'chalk';

export interface Out {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Colours for what goes to stdout. */
  c: ChalkInstance;
  /** stdout is a terminal (lint's default format, progress). */
  isTTY: boolean;
  /** Colours for what goes to stderr (decided for that stream on its own); default: none. */
  ec?: ChalkInstance;
  /** stderr is a terminal (progress lines are drawn only there). */
  errTTY?: boolean;
  /** -q: informational lines are dropped (errors, warnings and asked-for output stay). */
  quiet?: boolean;
  /** Reads all of stdin (lint -). */
  readStdin?: () => Promise<string>;
  /** Asks a question on the terminal and returns the answer line (migrate -i); null at end of input. */
  ask?: (question: string) => Promise<string | null>;
}

export type ColorMode = 'auto' | 'always' | 'never';

/**
 * Colour for one stream: --color=always|never decides; else FORCE_COLOR (0/false: none,
 * anything else: colour), NO_COLOR (https://no-color.org), TERM=dumb, and finally whether the
 * stream is a terminal that has colours (stream.hasColors(), as Node's own util does).
 */
export function colorLevel(
  stream: Pick<NodeJS.WriteStream, 'isTTY'> & { hasColors?: () => boolean },
  env: NodeJS.ProcessEnv = process.env,
  mode: ColorMode = 'auto',
): 0 | 1 {
  if (mode === 'always') return 1;
  if (mode === 'never') return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force === '0' || force === 'false' ? 0 : 1;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  if (env.TERM === 'dumb') return 0;
  if (!stream.isTTY) return 0;
  return typeof stream.hasColors === 'function' ? (stream.hasColors() ? 1 : 0) : 1;
}

export function stdOut(mode: ColorMode = 'auto'): Out {
  return {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    c: new Chalk({ level: colorLevel(process.stdout, process.env, mode) }),
    ec: new Chalk({ level: colorLevel(process.stderr, process.env, mode) }),
    isTTY: !!process.stdout.isTTY,
    errTTY: !!process.stderr.isTTY,
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    ask: (question) => askLine(question),
  };
}

let lines: AsyncIterator<string> | undefined;
/** One line of stdin after writing `question` to stderr (a terminal or scripted input alike). */
async function askLine(question: string): Promise<string | null> {
  process.stderr.write(question);
  if (!lines) {
    const { createInterface } = await import('node:readline');
    lines = createInterface({ input: process.stdin, terminal: false })[Symbol.asyncIterator]();
  }
  const r = await lines.next();
  return r.done ? null : r.value;
}

/** The chalk for stderr (none when the caller gave only stdout's). */
export const errColors = (io: Out): ChalkInstance => io.ec ?? new Chalk({ level: 0 });

/** Informational line on stderr, dropped with -q. */
export function info(io: Out, s: string): void {
  if (!io.quiet) io.err(s);
}

/** Colours a unified diff: headers bold, removals red, additions green, hunks cyan. */
export function colorDiff(diff: string, c: ChalkInstance): string {
  if (!c.level) return diff;
  return diff
    .split('\n')
    .map((l) =>
      l.startsWith('---') || l.startsWith('+++')
        ? c.bold(l)
        : l.startsWith('@@')
          ? c.cyan(l)
          : l.startsWith('-')
            ? c.red(l)
            : l.startsWith('+')
              ? c.green(l)
              : l,
    )
    .join('\n');
}
