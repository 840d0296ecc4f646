import type { Edit } from './edits.js';
import type { Command, ShellFile } from '../parse/shellfile.js';

/**
 * The edit that replaces a command's words (`start-stop-daemon --signal HUP --pidfile …`)
 * by `replacement` (`${supervisor} ${RC_SVCNAME} --signal HUP`) and keeps everything else
 * the statement says: prefix assignments (`FOO=1 …`), leading redirects
 * (`2>/dev/null start-stop-daemon …`), redirects between the words (moved after the new
 * words: a redirect's place among the words does not matter to sh), and trailing ones
 * (outside the command's words anyway).
 */
export function signalRewriteEdit(file: ShellFile, cmd: Command, replacement: string): Edit {
  const words = cmd.words;
  const start = words[0].start;
  const end = words[words.length - 1].end;
  const kept: string[] = [];
  for (let i = 0; i + 1 < words.length; i++) {
    // Between two words: blanks, line continuations, or redirects to keep.
    const gap = file.text
      .slice(words[i].end, words[i + 1].start)
      .replace(/\\\r?\n/g, ' ')
      .trim();
    if (gap) kept.push(gap);
  }
  return { file: file.path, start, end, text: [replacement, ...kept].join(' ') };
}

/**
 * The test a guarded rewrite starts with. A function holding it switches on the supervisor
 * (steps/signals.ts switchingFunctions), so a second run leaves its calls alone.
 */
export const SUPERVISED_TEST = '[ "${supervisor}" = supervise-daemon ]';

/**
 * signalRewriteEdit, guarded so that the script keeps working under both backends:
 * `if [ "${supervisor}" = supervise-daemon ]; then <rewritten>; else <the call as it was>; fi`.
 * Under start-stop-daemon (supervisor unset or emptied to go back) the original call still
 * signals the daemon through its pid file; `${supervisor} ${RC_SVCNAME}` alone would run a
 * command named after the service there. The whole command (prefix assignments and
 * redirects included) goes into each branch, since `FOO=1 if …` is not sh.
 */
export function guardedSignalEdit(file: ShellFile, cmd: Command, replacement: string): Edit {
  const inner = signalRewriteEdit(file, cmd, replacement);
  const rewritten = file.text.slice(cmd.start, inner.start) + inner.text + file.text.slice(inner.end, cmd.end);
  const original = file.text.slice(cmd.start, cmd.end);
  return {
    file: file.path,
    start: cmd.start,
    end: cmd.end,
    text: `if ${SUPERVISED_TEST}; then ${rewritten}; else ${original}; fi`,
  };
}
