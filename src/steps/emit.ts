import type { Edit } from '../edit/edits.js';
import type { Service } from '../model/service.js';
import type { Assignment } from '../parse/shellfile.js';
import type { Draft } from './types.js';

export const HEADER = '# rc-supervise: run under supervise-daemon, which restarts the daemon if it dies';

/** Whether the lines this migration writes (the steps' and the converted start()'s) set variable `v`. */
export function draftSets(d: Pick<Draft, 'lines' | 'converted'>, v: string): boolean {
  return [...d.lines, ...(d.converted?.lines ?? [])].some((l) => l.startsWith(`${v}=`));
}

/**
 * Escapes the references to `names` in text meant for a double-quoted command_args line
 * (`\${V}`, `\$V`): the assignment keeps them as written and OpenRC's eval expands them when
 * the service starts.
 */
export function deferRefs(text: string, names: readonly string[]): string {
  if (!names.length) return text;
  const re = new RegExp(`(?<!\\\\)\\$(\\{?)(${names.join('|')})(?![A-Za-z0-9_])`, 'g');
  return text.replace(re, '\\$$$1$2');
}

/** Variables a line of shell reads (`$X`, `${X}`, `${X:-...}`). */
export function referencedVars(text: string): string[] {
  return [...text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]);
}

/**
 * Where new top-level lines go: after command_args, else command, else pidfile, else the
 * header comments; and never above the last top-level assignment of a variable the lines
 * read (`command_args="-p ${PIDFILE}"` above `PIDFILE=...` would expand to nothing).
 */
export function blockPosition(s: Service, lines: readonly string[] = []): { at: number; afterAnchor: boolean } {
  const f = s.initd;
  let anchor: Assignment | undefined;
  for (const n of ['command_args', 'command', 'pidfile']) {
    anchor = f
      .topLevel(n, 'assign')
      .filter((a) => a.plain)
      .pop();
    if (anchor) break;
  }
  let at = -1;
  if (anchor) at = f.lineEnd(anchor.end);
  const needs = new Set(lines.flatMap(referencedVars));
  // logstash's `retry="30"` below command/pidfile, and a line of ours that sets retry as stop()
  // chose (`if [ "${KILL_ON_STOP_TIMEOUT}" = "1" ]; then retry=…; fi`): above the script's own
  // retry=, ours would be overwritten. (The other lines set retry only where nothing else does.)
  if (lines.some((l) => /(^|[\s;])retry=/.test(l))) needs.add('retry');
  for (const a of f.assignments)
    if (a.fn === null && needs.has(a.name)) {
      // After the whole top-level statement: an assignment inside `if ... fi` ends at `fi`.
      const end = f.statementLineEnd(a.start, a.end);
      if (end > at) at = end;
    }
  // A variable the lines read that no top-level assignment of init.d sets may come from a file
  // the script sources at the top (cmsd's `. /etc/conf.d/xrootd`): the lines go below it.
  const fromElsewhere = [...needs].some(
    (n) => !/^(RC_SVCNAME|SVCNAME|RC_PREFIX)$/.test(n) && !f.assignments.some((a) => a.fn === null && a.name === n),
  );
  if (fromElsewhere)
    for (const c of f.commands)
      if (c.fn === null && (c.name === '.' || c.name === 'source')) {
        const end = f.statementLineEnd(c.start, c.end);
        if (end > at) at = end;
      }
  if (at >= 0) return { at, afterAnchor: true };
  // After the shebang, the comment block that follows it and blank lines.
  at = f.lineEnd(0);
  const re = /[ \t]*(#[^\n]*)?\r?\n/y;
  re.lastIndex = at;
  while (at < f.text.length && re.exec(f.text)) at = re.lastIndex;
  return { at, afterAnchor: false };
}

/**
 * Where the supervisor's own pid file lines go (the pidfile step's `relocation`): inside our
 * block when the block lands below `at` (after the script's last pidfile= and supervisor=),
 * else as their own edit at `at`. `blockLines` are the block's other lines (they decide where
 * it lands).
 */
export function placeRelocation(
  s: Service,
  file: string,
  relocation: { at: number; lines: string[] },
  blockLines: readonly string[],
): { edit?: Edit; lines: string[] } {
  // With no block to join (a second pass, supervisor= already written), the lines go right
  // where they must follow, without a block header of their own.
  const blockAt = blockLines.length ? blockPosition(s, [...blockLines, ...relocation.lines]).at : -1;
  if (relocation.at <= blockAt) return { lines: relocation.lines };
  const eol = s.initd.eol;
  const at = relocation.at;
  const nl = at === s.initd.text.length && !s.initd.text.endsWith('\n') ? eol : '';
  return { edit: { file, start: at, end: at, text: nl + relocation.lines.join(eol) + eol }, lines: [] };
}

export function insertBlock(s: Service, file: string, lines: string[], header = true): Edit {
  const f = s.initd;
  const eol = f.eol;
  const block = [...(header ? [HEADER] : []), ...lines].join(eol) + eol;
  const { at, afterAnchor } = blockPosition(s, lines);
  const needNl = at === f.text.length && !f.text.endsWith('\n');
  return { file, start: at, end: at, text: (needNl ? eol : '') + block + (afterAnchor ? '' : eol) };
}

export function samePath(a: string, b: string): boolean {
  const norm = (p: string) => p.replace(/^\/var\/run\//, '/run/');
  return norm(a) === norm(b);
}
