import { Chalk, type ChalkInstance } from 'chalk';

export interface Out {
  out: (s: string) => void;
  err: (s: string) => void;
  c: ChalkInstance;
  isTTY: boolean;
}

/** Colour only on a TTY, never with NO_COLOR set (https://no-color.org), FORCE_COLOR wins. */
export function colorLevel(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): 0 | 1 {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return 1;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  return stream.isTTY ? 1 : 0;
}

export function stdOut(): Out {
  return {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    c: new Chalk({ level: colorLevel(process.stdout) }),
    isTTY: !!process.stdout.isTTY,
  };
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
