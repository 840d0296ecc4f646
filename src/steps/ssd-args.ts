import { MISREAD_SHORT, REDUNDANT, SHARED_MEANING, parseOptions } from '../model/options.js';
import type { Service } from '../model/service.js';
import type { Draft, StepContext } from './types.js';

export interface Trap {
  lines: string[];
  note: string;
}

/** start-stop-daemon options that have a declarative variable both backends read. */
export const DECLARATIVE: Record<string, string> = {
  chdir: 'directory',
  user: 'command_user',
  chuid: 'command_user',
  umask: 'umask',
  chroot: 'chroot',
  stdout: 'output_log',
  stderr: 'error_log',
};

/**
 * start_stop_daemon_args reaches supervise-daemon when supervise_daemon_args is unset
 * (docs/openrc.md), and supervise-daemon rejects start-stop-daemon-only options.
 */
export function fallbackTrap(s: Service): Trap | null {
  if (s.isSet('supervise_daemon_args')) return null;
  if (!s.isSet('start_stop_daemon_args')) return null;
  const words = s.words('start_stop_daemon_args');
  if (words && words.length === 0) return null;
  const keep: string[] = [];
  const dropped: string[] = [];
  const declared: string[] = [];
  if (words) {
    const parsed = parseOptions(words);
    for (const o of parsed.options) {
      const written = words.slice(o.index, o.index + o.count);
      const short = /^-[^-]/.test(o.written);
      if (REDUNDANT.has(o.spec.long)) continue;
      if (!SHARED_MEANING.has(o.spec.long) || (short && MISREAD_SHORT.has(o.written[1]))) {
        dropped.push(written.join(' '));
        continue;
      }
      const variable = DECLARATIVE[o.spec.long];
      // Declarative variables are what both backends read. A value that looks like an option
      // means the words were misread (an empty variable swallowed): keep them as they are.
      if (variable && o.value !== undefined && !o.value.startsWith('-') && !s.isSet(variable)) {
        if (!declared.some((d) => d.startsWith(`${variable}=`)))
          declared.push(`${variable}="${o.value.replace(/["\\$`]/g, '\\$&')}"`);
      } else keep.push(...written);
    }
    dropped.push(...parsed.unknown, ...words.slice(parsed.operandsAt));
    if (dropped.length === 0) return null;
  }
  const value = keep.length ? keep.map((w) => shellQuoteWord(w)).join(' ') : ' ';
  const shown = value === ' ' ? '" " (a single space: OpenRC before 0.46 treats "" as unset)' : `"${value}"`;
  const moved = declared.length ? `; ${declared.join(', ')} instead of the option` : '';
  const note = words
    ? `start_stop_daemon_args (${words.join(' ')}) would reach supervise-daemon, which rejects ${dropped.join(', ')}: supervise_daemon_args set to ${shown}${moved}`
    : 'start_stop_daemon_args is computed at run time and would reach supervise-daemon: supervise_daemon_args set so it does not';
  // A single space, not "": OpenRC before 0.46 expands ${supervise_daemon_args:-...}.
  return { lines: [...declared, `supervise_daemon_args="${value.replace(/["\\$`]/g, '\\$&')}"`], note };
}

/** A word as shell source that reads back as exactly that word. */
export function shellQuoteWord(w: string, always = false): string {
  if (!always && /^[\w@%+=:,./-]+$/.test(w)) return w;
  return `'${w.replace(/'/g, `'\\''`)}'`;
}

/** Step: start_stop_daemon_args must not hand start-stop-daemon-only options to supervise-daemon. */
export function ssdArgsStep(ctx: StepContext, d: Draft): void {
  const trap = fallbackTrap(ctx.service);
  if (!trap) return;
  d.notes.push(trap.note);
  d.lines.push(...trap.lines);
}
