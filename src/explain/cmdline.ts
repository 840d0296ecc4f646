import { atLeast, type Version } from '../lint/check.js';
import type { Service } from '../model/service.js';
import { evalWords, expandStatic } from '../parse/words.js';

/** An argv, or the reason it cannot be known without running the script. */
export type Argv = { argv: string[] } | { dynamic: string };

const yes = (v: string | undefined) => !!v && /^(yes|true|on|1)$/i.test(v);

/**
 * The words `eval` makes of `$name` (or `"$name"`, which eval re-parses the same way):
 * null when the value is computed at run time.
 */
function wordsOf(s: Service, name: string): string[] | null {
  return s.words(name);
}

type Piece =
  /** `${var:+--opt} $var` (when: 'nonempty') or `${var+--opt} $var` (when: 'set'). */
  | { var: string; opt: string; when: 'nonempty' | 'set' }
  /** `${var:+--opt}` alone (a flag). */
  | { var: string; flag: string }
  /** `\"$var\"` after the option: one word whatever it holds. */
  | { var: string; opt: string; when: 'nonempty'; oneWord: true }
  /** Raw words of a variable. */
  | { raw: string };

function build(s: Service, head: string[], pieces: Piece[], tail: Piece[]): Argv {
  const out = [...head];
  const emit = (pieces: Piece[]): string | null => {
    for (const p of pieces) {
      if ('raw' in p) {
        const w = wordsOf(s, p.raw);
        if (w === null) return p.raw;
        out.push(...w);
        continue;
      }
      const v = s.value(p.var);
      if (v === null) return p.var;
      const active = 'flag' in p ? !!v : p.when === 'set' ? v !== undefined : !!v;
      if (!active) continue;
      if ('flag' in p) {
        out.push(p.flag);
        continue;
      }
      out.push(p.opt);
      if ('oneWord' in p) out.push(v!);
      else out.push(...(evalWords(v ?? '') ?? []));
    }
    return null;
  };
  const bad = emit(pieces) ?? emit(tail);
  return bad ? { dynamic: `${bad} is computed at run time` } : { argv: out };
}

/** What OpenRC's supervise-daemon.sh (`supervise_start`) passes to supervise-daemon. */
export function superviseStart(s: Service, v: Version): Argv {
  const sdArgs = s.value('supervise_daemon_args');
  // Before 0.46 the expansion is ${supervise_daemon_args:-...}: an empty value falls back.
  const fallback = atLeast(v, [0, 46, 0]) ? sdArgs === undefined : !sdArgs;
  const pieces: Piece[] = [
    { var: 'retry', opt: '--retry', when: 'nonempty' },
    { var: 'directory', opt: '--chdir', when: 'nonempty' },
    { var: 'chroot', opt: '--chroot', when: 'nonempty' },
    { var: 'output_log', opt: '--stdout', when: 'set' },
    { var: 'error_log', opt: '--stderr', when: 'set' },
    ...(atLeast(v, [0, 51, 0])
      ? ([
          { var: 'output_logger', opt: '--stdout-logger', when: 'nonempty', oneWord: true },
          { var: 'error_logger', opt: '--stderr-logger', when: 'nonempty', oneWord: true },
        ] as Piece[])
      : []),
    { var: 'pidfile', opt: '--pidfile', when: 'nonempty' },
    { var: 'respawn_delay', opt: '--respawn-delay', when: 'nonempty' },
    { var: 'respawn_max', opt: '--respawn-max', when: 'nonempty' },
    { var: 'respawn_period', opt: '--respawn-period', when: 'nonempty' },
    { var: 'healthcheck_delay', opt: '--healthcheck-delay', when: 'nonempty' },
    { var: 'healthcheck_timer', opt: '--healthcheck-timer', when: 'nonempty' },
    { var: 'capabilities', opt: '--capabilities', when: 'set' },
    { var: 'secbits', opt: '--secbits', when: 'nonempty' },
    { var: 'no_new_privs', flag: atLeast(v, [0, 46, 0]) ? '--no-new-privs' : '--no_new_privs' },
    { var: 'command_user', opt: '--user', when: 'set' },
    { var: 'umask', opt: '--umask', when: 'set' },
    ...(atLeast(v, [0, 62, 0]) ? ([{ var: 'notify', opt: '--notify', when: 'set' }] as Piece[]) : []),
    { raw: fallback ? 'start_stop_daemon_args' : 'supervise_daemon_args' },
    { raw: 'command' },
  ];
  const r = build(s, ['supervise-daemon', s.name, '--start'], pieces, []);
  if (!('argv' in r)) return r;
  const args = wordsOf(s, 'command_args');
  const fg = wordsOf(s, 'command_args_foreground');
  if (args === null || fg === null) return { dynamic: 'command_args is computed at run time' };
  // `$command -- $command_args $command_args_foreground`
  r.argv.push('--', ...args, ...fg);
  return r;
}

/** What OpenRC's start-stop-daemon.sh (`ssd_start`) passes to start-stop-daemon. */
export function ssdStart(s: Service): Argv {
  const bg = yes(s.value('command_background') ?? undefined);
  const pieces: Piece[] = [
    { var: 'chroot', opt: '--chroot', when: 'nonempty' },
    { var: 'directory', opt: '--chdir', when: 'nonempty' },
    { var: 'output_log', opt: '--stdout', when: 'set' },
    { var: 'error_log', opt: '--stderr', when: 'set' },
    { var: 'output_logger', opt: '--stdout-logger', when: 'nonempty', oneWord: true },
    { var: 'error_logger', opt: '--stderr-logger', when: 'nonempty', oneWord: true },
    { var: 'capabilities', opt: '--capabilities', when: 'set' },
    { var: 'secbits', opt: '--secbits', when: 'nonempty' },
    { var: 'no_new_privs', flag: '--no-new-privs' },
    { var: 'procname', opt: '--name', when: 'nonempty' },
    { var: 'pidfile', opt: '--pidfile', when: 'nonempty' },
    { var: 'command_user', opt: '--chuid', when: 'set' },
    { var: 'umask', opt: '--umask', when: 'set' },
  ];
  const cmd = wordsOf(s, 'command');
  if (cmd === null) return { dynamic: 'command is computed at run time' };
  const head = ['start-stop-daemon', '--start', '--exec', ...cmd];
  const r = build(s, head, pieces, [{ raw: 'start_stop_daemon_args' }]);
  if (!('argv' in r)) return r;
  if (bg)
    r.argv.splice(
      r.argv.length - (wordsOf(s, 'start_stop_daemon_args')?.length ?? 0),
      0,
      '--background',
      '--make-pidfile',
    );
  const args = [...(wordsOf(s, 'command_args') ?? []), ...(wordsOf(s, 'command_args_background') ?? [])];
  if (wordsOf(s, 'command_args') === null || wordsOf(s, 'command_args_background') === null)
    return { dynamic: 'command_args is computed at run time' };
  r.argv.push('--', ...args);
  return r;
}

/** The stop call for the supervisor in effect (as OpenRC makes it right after a start). */
export function stopArgv(s: Service): Argv {
  const pidfile = s.value('pidfile');
  if (pidfile === null) return { dynamic: 'pidfile is computed at run time' };
  if (s.supervised) return { argv: ['supervise-daemon', s.name, '--stop', ...(pidfile ? ['--pidfile', pidfile] : [])] };
  const cmd = wordsOf(s, 'command') ?? [];
  return { argv: ['start-stop-daemon', '--stop', '--exec', ...cmd, ...(pidfile ? ['--pidfile', pidfile] : [])] };
}

/** Static argv of every signalling call (`${supervisor} ... --signal`, s-s-d, kill, pkill) in a function. */
export function signalCalls(s: Service, fn: string): Argv[] {
  const lookup = (n: string) => {
    const v = s.value(n);
    return v === null ? undefined : v;
  };
  return s.initd.commands
    .filter((c) => c.fn === fn)
    .filter((c) => {
      const w0 = c.words[0].text;
      return (
        ['start-stop-daemon', 'kill', 'pkill', 'supervise-daemon'].includes(c.name) ||
        /^"?\$\{?supervisor\}?"?$/.test(w0)
      );
    })
    .map((c): Argv => {
      const argv: string[] = [];
      for (const w of c.words) {
        const v = expandStatic(w.text, lookup);
        if (v === null) return { dynamic: `${w.text} is computed at run time` };
        const quoted = /^["']/.test(w.text);
        if (quoted) argv.push(v);
        else argv.push(...v.split(/\s+/).filter(Boolean));
      }
      if (argv[0]) argv[0] = argv[0].slice(argv[0].lastIndexOf('/') + 1);
      return { argv };
    });
}
