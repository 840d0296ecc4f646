/**
 * How the custom start()/stop() conversions read shell text they do not parse further: quoted
 * text and comments blanked, the words that open and close blocks, where a statement ends.
 * custom-start.ts and guarded-start.ts read them alike.
 */
import type { Command } from '../parse/shellfile.js';

/**
 * Blanks quoted text and comments, keeping offsets. A backslash inside double quotes escapes any
 * character, a newline too (mod-mono-server's `OPTS="--root ${DIR} \<newline>--nonstop"`); `#`
 * begins a comment only at the start of a word, not inside one (`${RC_SVCNAME#*.}`, `$#`).
 */
export function stripQuotedAndComments(t: string): string {
  return t.replace(/"(?:[^"\\]|\\[\s\S])*"|'[^']*'|(?<![^\s;&|()])#[^\n]*/g, (m) => ' '.repeat(m.length));
}

/**
 * The words that open and close an if/case/loop (and, in BRANCH_WORDS, its else branches), as
 * the block scans read them in text stripped of quotes and comments: after a blank, `;`, `&`, `|`,
 * `(` or a backquote, and before one of those or the end.
 */
export const BLOCK_WORDS = /(?:^|[\s;&|(`])(if|case|for|while|until|fi|esac|done)(?=[\s;&|)`]|$)/g;
export const BRANCH_WORDS = /(?:^|[\s;&|(`])(if|case|for|while|until|fi|esac|done|else|elif)(?=[\s;&|)`]|$)/g;

/** Where a command's statement ends: after its last redirection, if any. */
export const stmtEnd = (c: Command) => Math.max(c.end, ...(c.redirects ?? []).map((r) => r.end));
