/**
 * Item 14 of issue 15: a signal rewrite replaces the command's words only. Checked by text
 * and by running the result in dash with a stand-in supervisor that reports its
 * environment and where its stderr goes.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyEdits } from '../../src/edit/edits.js';
import { guardedSignalEdit, signalRewriteEdit, SUPERVISED_TEST } from '../../src/edit/signal-rewrite.js';
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

describe('guardedSignalEdit: the rewrite keeps the start-stop-daemon call for that backend', () => {
  const guard = (line: string) => {
    const text = `reload() {\n\t${line}\n\teend $?\n}\n`;
    const f = new ShellFile('etc/init.d/x', text);
    const cmd = f.commands.find((c) => c.name === 'start-stop-daemon')!;
    const out = applyEdits(text, [guardedSignalEdit(f, cmd, NEW)]);
    expect(new ShellFile('y', out).errors).toEqual([]);
    return out;
  };

  test('prefix assignments and redirects go into both branches (FOO=1 if … is not sh)', () => {
    const out = guard('FOO=1 2>/dev/null start-stop-daemon --signal HUP \\\n\t\t--pidfile "${pidfile}"');
    expect(out.split('\n')[1]).toBe(
      `\tif ${SUPERVISED_TEST}; then FOO=1 2>/dev/null ${NEW}; else FOO=1 2>/dev/null start-stop-daemon --signal HUP \\`,
    );
  });

  // Run in dash with stand-ins: under supervise-daemon the supervisor is asked, with
  // supervisor unset (going back to start-stop-daemon) the original call runs, and eend
  // sees each one's exit status.
  test.each([
    ['supervise-daemon', 'supervise-daemon x --signal HUP\nstatus 3\n'],
    ['', 'start-stop-daemon --signal HUP --pidfile /run/x.pid\nstatus 4\n'],
  ])('supervisor=%j', (sup, want) => {
    const out = guard('start-stop-daemon --signal HUP --pidfile "${pidfile}"');
    // (sh function names cannot hold '-': the stand-ins are programs on PATH)
    const bin = mkdtempSync(path.join(os.tmpdir(), 'rcs-guard-'));
    for (const [name, code] of [
      ['supervise-daemon', 3],
      ['start-stop-daemon', 4],
    ] as const) {
      writeFileSync(path.join(bin, name), `#!/bin/sh\necho "${name} $*"\nexit ${code}\n`);
      chmodSync(path.join(bin, name), 0o755);
    }
    const script = [
      'eend() { echo "status $1"; }',
      `supervisor=${sup} RC_SVCNAME=x pidfile=/run/x.pid`,
      out,
      'reload',
    ].join('\n');
    const r = spawnSync('dash', ['-c', script], { encoding: 'utf8', env: { PATH: `${bin}:${process.env.PATH}` } });
    rmSync(bin, { recursive: true, force: true });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(want);
  });
});
