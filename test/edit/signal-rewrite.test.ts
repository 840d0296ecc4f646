/**
 * Item 14 of issue 15: a signal rewrite replaces the command's words only. Checked by text
 * and by running the result in dash with a stand-in supervisor that reports its
 * environment and where its stderr goes.
 */
import { spawnSync } from 'node:child_process';
import { applyEdits } from '../../src/edit/edits.js';
import { signalRewriteEdit } from '../../src/edit/signal-rewrite.js';
import { initParser } from '../../src/parse/parser.js';
import { ShellFile } from '../../src/parse/shellfile.js';

beforeAll(() => initParser());

const NEW = '${supervisor} ${RC_SVCNAME} --signal HUP';

function rewrite(line: string): string {
  const text = `reload() {\n\t${line}\n}\n`;
  const f = new ShellFile('etc/init.d/x', text);
  const cmd = f.commands.find((c) => c.name === 'start-stop-daemon')!;
  const out = applyEdits(text, [signalRewriteEdit(f, cmd, NEW)]);
  expect(new ShellFile('y', out).errors).toEqual([]);
  return out.split('\n')[1].trim();
}

test.each([
  ['start-stop-daemon --signal HUP --pidfile "${pidfile}"', NEW],
  ['2>/dev/null start-stop-daemon --signal HUP --pidfile "${pidfile}"', `2>/dev/null ${NEW}`],
  ['FOO=1 start-stop-daemon --signal HUP --pidfile "${pidfile}"', `FOO=1 ${NEW}`],
  [
    'FOO=1 2>/dev/null start-stop-daemon --signal HUP --pidfile "${pidfile}" >/dev/null',
    `FOO=1 2>/dev/null ${NEW} >/dev/null`,
  ],
  ['start-stop-daemon --signal HUP 2>&1 --pidfile "${pidfile}"', `${NEW} 2>&1`],
  ['start-stop-daemon --signal HUP \\\n\t\t--pidfile "${pidfile}"', NEW],
])('%s', (line, want) => {
  expect(rewrite(line)).toBe(want);
});

test('the rewritten line keeps the assignment and the redirect when run', () => {
  const out = rewrite('FOO=1 2>/dev/null start-stop-daemon --signal HUP --pidfile "${pidfile}"');
  // The stand-in prints FOO on stdout and complains on stderr (which must go to /dev/null).
  const script = `stub() { printf 'FOO=%s args=%s\\n' "$FOO" "$*"; echo on-stderr >&2; }\nsupervisor=stub RC_SVCNAME=x\n${out}\n`;
  const r = spawnSync('dash', ['-c', script], { encoding: 'utf8' });
  expect(r.stdout).toBe('FOO=1 args=x --signal HUP\n');
  expect(r.stderr).toBe('');
});
