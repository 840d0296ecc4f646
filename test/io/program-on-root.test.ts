import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { migrateService } from '../../src/migrate/migrate.js';
import { programOnRoot, resolveInRootSync } from '../../src/io/files.js';
import { initParser } from '../../src/parse/parser.js';
import { tempDirs } from '../helpers/temp.js';

const temp = tempDirs('rcs-program');
beforeAll(() => initParser());

/** A root with the given files (mode 0755 unless given) and symlinks (name -> target as stored). */
function root(files: Record<string, number>, links: Record<string, string> = {}): string {
  const r = temp('root');
  for (const [rel, mode] of Object.entries(files)) {
    mkdirSync(path.join(r, path.dirname(rel)), { recursive: true });
    writeFileSync(path.join(r, rel), '#!/bin/sh\n');
    chmodSync(path.join(r, rel), mode);
  }
  for (const [rel, target] of Object.entries(links)) {
    mkdirSync(path.join(r, path.dirname(rel)), { recursive: true });
    symlinkSync(target, path.join(r, rel));
  }
  return r;
}

// OpenRC's PATH: /bin:/sbin:/usr/bin:/usr/sbin after its own helpers (src/shared/misc.c).
test('the first executable regular file in /bin, /sbin, /usr/bin, /usr/sbin, in that order', () => {
  expect(programOnRoot(root({ 'usr/sbin/food': 0o755, 'sbin/food': 0o755 }), 'food')).toBe('/sbin/food');
  expect(programOnRoot(root({ 'usr/sbin/food': 0o755 }), 'food')).toBe('/usr/sbin/food');
  // Not executable: PATH lookup goes on to the next directory.
  expect(programOnRoot(root({ 'bin/food': 0o644, 'usr/sbin/food': 0o755 }), 'food')).toBe('/usr/sbin/food');
  expect(programOnRoot(root({ 'bin/food': 0o644 }), 'food')).toBeUndefined();
  // A directory of that name is no program; nothing at all: not guessed.
  expect(programOnRoot(root({ 'bin/food/x': 0o755 }), 'food')).toBeUndefined();
  expect(programOnRoot(root({}), 'food')).toBeUndefined();
  // OpenRC's own helpers come first in its PATH: a name there is not looked up further.
  expect(programOnRoot(root({ 'lib/rc/bin/food': 0o755, 'usr/sbin/food': 0o755 }), 'food')).toBeUndefined();
  // Only plain names.
  expect(programOnRoot(root({ 'usr/sbin/food': 0o755 }), '../usr/sbin/food')).toBeUndefined();
  expect(programOnRoot(root({ 'usr/sbin/food': 0o755 }), '"food"')).toBeUndefined();
});

test('symlinks are followed inside the root only: an absolute target is taken relative to the root', () => {
  // Merged /usr: bin -> usr/bin (relative), sbin -> /usr/sbin (absolute, as a chroot sees it).
  const merged = root({ 'usr/sbin/food': 0o755 }, { bin: 'usr/bin', sbin: '/usr/sbin' });
  expect(programOnRoot(merged, 'food')).toBe('/sbin/food');
  // dropbear -> /usr/sbin/dropbearmulti: the root's file, not the host's.
  const multi = root({ 'usr/sbin/dropbearmulti': 0o755 }, { 'usr/sbin/dropbear': '/usr/sbin/dropbearmulti' });
  expect(programOnRoot(multi, 'dropbear')).toBe('/usr/sbin/dropbear');
  expect(resolveInRootSync(multi, 'usr/sbin/dropbear')?.abs).toBe(path.join(multi, 'usr/sbin/dropbearmulti'));
  // A target that exists on the host but not in the root: not found (the host is never looked at).
  const host = root({}, { 'usr/bin/sh': '/bin/sh' });
  expect(resolveInRootSync(host, 'usr/bin/sh')).toBeUndefined();
  expect(programOnRoot(host, 'sh')).toBeUndefined();
  // `..` stops at the root; a loop ends.
  const dots = root({ 'usr/sbin/food': 0o755 }, { 'bin/food': '../../../../usr/sbin/food' });
  expect(resolveInRootSync(dots, 'bin/food')?.abs).toBe(path.join(dots, 'usr/sbin/food'));
  const loop = root({}, { 'bin/a': 'b', 'bin/b': 'a' });
  expect(resolveInRootSync(loop, 'bin/a')).toBeUndefined();
  expect(programOnRoot(loop, 'a')).toBeUndefined();
});

// openrc-run reads rc.conf in the shell that runs start(): a PATH set there (or in rc.conf.d)
// may put another directory first, so nothing is looked up.
test('a PATH in rc.conf or rc.conf.d: not looked up', () => {
  const files = { 'usr/sbin/food': 0o755 };
  for (const [rel, text] of [
    ['etc/rc.conf', 'rc_parallel="NO"\nPATH=/opt/bin:$PATH\n'],
    ['etc/rc.conf.d/local', 'export PATH="/opt/bin:${PATH}"\n'],
  ]) {
    const r = root(files);
    mkdirSync(path.join(r, path.dirname(rel)), { recursive: true });
    writeFileSync(path.join(r, rel), text);
    expect(programOnRoot(r, 'food')).toBeUndefined();
  }
  const plain = root(files);
  mkdirSync(path.join(plain, 'etc'), { recursive: true });
  writeFileSync(path.join(plain, 'etc/rc.conf'), 'rc_parallel="NO"\n');
  expect(programOnRoot(plain, 'food')).toBe('/usr/sbin/food');
});

// The wiring: migrate on a root looks the program up there (Gentoo's mdadm.rc runs mdadm by name).
test('migrate writes command= with the path found on the root, and refuses without it', async () => {
  const script =
    '#!/sbin/openrc-run\n\nstart() {\n\tebegin "Starting mdadm monitor"\n\tmdadm --monitor --scan --daemonise --pid-file /var/run/mdadm.pid ${MDADM_OPTS}\n\teend $?\n}\n\nstop() {\n\tstart-stop-daemon --stop --pidfile /var/run/mdadm.pid\n}\n';
  const make = (withProgram: boolean) => {
    const r = root(withProgram ? { 'sbin/mdadm': 0o755 } : {});
    mkdirSync(path.join(r, 'etc/init.d'), { recursive: true });
    writeFileSync(path.join(r, 'etc/init.d/mdadm'), script);
    return r;
  };
  const found = await migrateService(make(true), 'mdadm');
  expect(found.plan.kind).toBe('migrate');
  expect(found.changes.find((c) => c.path === 'etc/init.d/mdadm')?.after).toContain('command=/sbin/mdadm\n');
  const missing = await migrateService(make(false), 'mdadm');
  expect(missing.plan).toMatchObject({ kind: 'refuse' });
  expect(missing.plan.kind === 'refuse' && missing.plan.reason).toContain('finds no such program on this root');
});
