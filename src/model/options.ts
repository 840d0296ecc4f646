/**
 * Option tables of OpenRC's start-stop-daemon and supervise-daemon (docs/openrc.md §6),
 * shared by the model (parsing s-s-d calls) and the start_stop_daemon_args translation.
 */
export interface OptionSpec {
  long: string;
  short?: string;
  value: boolean;
}

const opt = (long: string, short: string | undefined, value: boolean): OptionSpec => ({ long, short, value });

export const SSD_OPTIONS: OptionSpec[] = [
  opt('start', 'S', false),
  opt('stop', 'K', false),
  opt('signal', 's', true),
  opt('exec', 'x', true),
  opt('pidfile', 'p', true),
  opt('name', 'n', true),
  opt('user', 'u', true),
  opt('chuid', 'c', true),
  opt('group', 'g', true),
  opt('chdir', 'd', true),
  opt('chroot', 'r', true),
  opt('env', 'e', true),
  opt('umask', 'k', true),
  opt('nicelevel', 'N', true),
  opt('ionice', 'I', true),
  opt('oom-score-adj', undefined, true),
  opt('startas', 'a', true),
  opt('background', 'b', false),
  opt('make-pidfile', 'm', false),
  opt('wait', 'w', true),
  opt('retry', 'R', true),
  opt('progress', 'P', false),
  opt('test', 't', false),
  opt('oknodo', 'o', false),
  opt('interpreted', 'i', false),
  opt('stdin', '0', true),
  opt('stdout', '1', true),
  opt('stderr', '2', true),
  opt('stdout-logger', '3', true),
  opt('stderr-logger', '4', true),
  opt('capabilities', undefined, true),
  opt('secbits', undefined, true),
  opt('no-new-privs', undefined, false),
  opt('scheduler', undefined, true),
  opt('scheduler-priority', undefined, true),
  opt('notify', undefined, true),
  opt('quiet', 'q', false),
  opt('verbose', 'v', false),
  opt('nocolor', 'C', false),
];

/**
 * Every long option OpenRC's start-stop-daemon knows (its longopts[] and longopts_COMMON), the
 * ones SSD_OPTIONS leaves out included: getopt_long takes a prefix only when it names exactly
 * one of them (`--nice` is `--nicelevel`; `--st` is ambiguous).
 */
const SSD_LONG_NAMES = [...new Set([...SSD_OPTIONS.map((o) => o.long), 'stop-group', 'help', 'version'])];

/** The option a unique abbreviation names, as getopt_long resolves it (start-stop-daemon only). */
function abbreviated(name: string, table: OptionSpec[]): OptionSpec | undefined {
  if (table !== SSD_OPTIONS || name === '') return undefined;
  const hits = SSD_LONG_NAMES.filter((n) => n.startsWith(name));
  return hits.length === 1 ? table.find((s) => s.long === hits[0]) : undefined;
}

/** Options start-stop-daemon and supervise-daemon both take, with the same meaning. */
export const SHARED_MEANING = new Set([
  'chdir',
  'env',
  'group',
  'ionice',
  'umask',
  'nicelevel',
  'chroot',
  'user',
  'stdin',
  'stdout',
  'stderr',
  'capabilities',
  'secbits',
  'no-new-privs',
  'oom-score-adj',
  'quiet',
  'verbose',
  'nocolor',
  'retry',
]);

/** Meaningful to both, but supervise-daemon already gets it from a variable (`pidfile`). */
export const REDUNDANT = new Set(['pidfile']);

/** Short letters supervise-daemon reads differently (docs/openrc.md §6): never carry them over. */
export const MISREAD_SHORT = new Set(['a', 'P', 'm', '3']);

export interface ParsedOption {
  spec: OptionSpec;
  /** Index of the option word in the word list. */
  index: number;
  /** How many words it spans (1, or 2 with a separate value). */
  count: number;
  written: string;
  value?: string;
  /** Index of the word holding the value, when it is a separate word. */
  valueIndex?: number;
}

export interface ParsedArgs {
  options: ParsedOption[];
  /** Index of the first word after `--`, or of the first operand; words.length if none. */
  operandsAt: number;
  unknown: string[];
}

/**
 * Parses start-stop-daemon style arguments: `--signal HUP`, `--signal=HUP`, `-s HUP`,
 * `-sHUP`, bundled flags (`-bm`), up to `--` or the first operand.
 */
export function parseOptions(
  words: string[],
  table: OptionSpec[] = SSD_OPTIONS,
  how: { abbreviations?: boolean } = {},
): ParsedArgs {
  const options: ParsedOption[] = [];
  const unknown: string[] = [];
  let i = 0;
  for (; i < words.length; i++) {
    const w = words[i];
    if (w === '--') {
      i++;
      break;
    }
    if (w.startsWith('--')) {
      const eq = w.indexOf('=');
      const name = w.slice(2, eq < 0 ? undefined : eq);
      const spec = table.find((s) => s.long === name) ?? (how.abbreviations ? abbreviated(name, table) : undefined);
      if (!spec) {
        unknown.push(w);
        continue;
      }
      if (spec.value && eq < 0 && i + 1 < words.length) {
        options.push({ spec, index: i, count: 2, written: w, value: words[i + 1], valueIndex: i + 1 });
        i++;
      } else {
        options.push({ spec, index: i, count: 1, written: w, value: eq < 0 ? undefined : w.slice(eq + 1) });
      }
      continue;
    }
    if (w.startsWith('-') && w.length > 1) {
      for (let k = 1; k < w.length; k++) {
        const spec = table.find((s) => s.short === w[k]);
        if (!spec) {
          unknown.push(`-${w[k]}`);
          continue;
        }
        if (spec.value) {
          const rest = w.slice(k + 1);
          if (rest) options.push({ spec, index: i, count: 1, written: w, value: rest });
          else if (i + 1 < words.length) {
            options.push({ spec, index: i, count: 2, written: w, value: words[i + 1], valueIndex: i + 1 });
            i++;
          } else options.push({ spec, index: i, count: 1, written: w });
          break;
        }
        options.push({ spec, index: i, count: 1, written: w });
      }
      continue;
    }
    break;
  }
  return { options, operandsAt: i, unknown };
}
