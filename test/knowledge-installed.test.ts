import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compareVersions, initdOwners, type InstalledPackage } from '../src/knowledge/installed.js';
import { compareGate, entryToRule, ruleForInstalled, ruleForPackage } from '../src/knowledge/rules.js';
import type { DaemonEntry } from '../src/knowledge/types.js';
import type { ServiceRule } from '../src/rules/types.js';
import ntpdRule from '../rules/ntpd.js';
import sshdRule from '../rules/sshd.js';
import { loadServiceSync, migrateLoaded } from '../src/migrate/migrate.js';
import { initParser } from '../src/parse/parser.js';

beforeAll(() => initParser());

// Our own minimal script for a daemon whose no-fork word exists only from a version on
// (the knowledge base's zabbix_agentd: --foreground since 3.0).
const SCRIPT = [
  '#!/sbin/openrc-run',
  'command=/usr/sbin/zabbix_agentd',
  'command_args="-c /etc/zabbix/zabbix_agentd.conf"',
  'pidfile=/run/zabbix/zabbix_agentd.pid',
  '',
].join('\n');

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

function root(files: Record<string, string>): string {
  const r = mkdtempSync(path.join(os.tmpdir(), 'rcs-installed-'));
  roots.push(r);
  for (const [rel, text] of Object.entries({ 'etc/init.d/zabbix-agentd': SCRIPT, ...files })) {
    mkdirSync(path.dirname(path.join(r, rel)), { recursive: true });
    writeFileSync(path.join(r, rel), text, { mode: 0o755 });
  }
  return r;
}

const vdb = (pf: string) => ({
  [`var/db/pkg/net-analyzer/${pf}/CONTENTS`]: [
    'dir /etc/init.d',
    'obj /etc/init.d/zabbix-agentd d41d8cd98f00b204e9800998ecf8427e 1700000000',
    'obj /usr/sbin/zabbix_agentd d41d8cd98f00b204e9800998ecf8427e 1700000000',
    '',
  ].join('\n'),
});

function migrate(r: string) {
  return migrateLoaded(loadServiceSync(r, 'zabbix-agentd')).plan;
}

test('without a package database the version-dependent words are no evidence', () => {
  const p = migrate(root({}));
  expect(p.kind).toBe('refuse');
  expect(p.kind === 'refuse' && p.reason).toContain('only from version 3.0, and the installed version is not known');
});

test("Gentoo's var/db/pkg: a new enough package gives the words, and the evidence says where the version was read", () => {
  const p = migrate(root(vdb('zabbix-6.0.22-r1')));
  expect(p.kind).toBe('migrate');
  if (p.kind !== 'migrate') return;
  const ev = p.evidence.find((e) => e.kind === 'rule')!;
  expect(ev.detail).toContain(
    'var/db/pkg/net-analyzer/zabbix-6.0.22-r1/CONTENTS says net-analyzer/zabbix 6.0.22-r1 installed the init script',
  );
  expect(p.edits.map((e) => e.text).join('')).toContain('command_args_foreground="--foreground"');
});

test('an older package refuses, naming the version found', () => {
  const p = migrate(root(vdb('zabbix-2.2.23')));
  expect(p.kind).toBe('refuse');
  expect(p.kind === 'refuse' && p.reason).toBe(
    'zabbix_agentd stays in the foreground with --foreground only from version 3.0, and var/db/pkg/net-analyzer/zabbix-2.2.23/CONTENTS says net-analyzer/zabbix 2.2.23 installed the init script',
  );
});

// munin-2.1.9999 (a live ebuild) was built from git at some commit, before or after the
// words came: not a version to compare.
test('a live package (9999) refuses: its commit is not known', () => {
  const p = migrate(root(vdb('zabbix-9999')));
  expect(p.kind).toBe('refuse');
  expect(p.kind === 'refuse' && p.reason).toBe(
    "zabbix_agentd stays in the foreground with --foreground only from version 3.0, and var/db/pkg/net-analyzer/zabbix-9999/CONTENTS says net-analyzer/zabbix 9999 installed the init script: a live version, built from the project's repository at a commit rc-supervise cannot know",
  );
});

// iprdump stays in the foreground by itself (no words) only from iprutils 2.2.13; before, it
// always forked: the same gate as zabbix's words, and no foreground words in the result.
test('a daemon that stays in the foreground by itself only from a version: an older package refused, an unknown one taken to be newer', () => {
  const script = [
    '#!/sbin/openrc-run',
    'command=/sbin/iprdump',
    'command_background=yes',
    'pidfile=/run/iprdump.pid',
    '',
  ].join('\n');
  const contents = (pf: string) => ({
    [`var/db/pkg/sys-fs/${pf}/CONTENTS`]: 'obj /etc/init.d/iprdump d41d8cd98f00b204e9800998ecf8427e 1700000000\n',
  });
  const plan = (files: Record<string, string>) =>
    migrateLoaded(loadServiceSync(root({ 'etc/init.d/iprdump': script, ...files }), 'iprdump')).plan;
  // 2.2.13 came out in 2008 (an old gate): with the version unknown it is taken to be newer.
  const unknown = plan({});
  expect(unknown.kind === 'migrate' && unknown.notes).toContain(
    'iprdump stays in the foreground by itself only from version 2.2.13 (released by 2008-11); the installed version is not known and is taken to be newer: an older iprdump does not take these words (check its version)',
  );
  const old = plan(contents('iprutils-2.2.8'));
  expect(old.kind === 'refuse' && old.reason).toBe(
    'iprdump stays in the foreground by itself only from version 2.2.13, and var/db/pkg/sys-fs/iprutils-2.2.8/CONTENTS says sys-fs/iprutils 2.2.8 installed the init script',
  );
  const p = plan(contents('iprutils-2.4.19'));
  expect(p.kind).toBe('migrate');
  if (p.kind !== 'migrate') return;
  expect(p.evidence.find((e) => e.kind === 'rule')?.detail).toContain(
    'sys-fs/iprutils 2.4.19 installed the init script',
  );
  expect(p.edits.map((e) => e.text).join('')).not.toContain('command_args_foreground');
});

test("Alpine's lib/apk/db/installed", () => {
  const db = [
    'C:Q1abc=',
    'P:busybox',
    'V:1.36.1-r15',
    'F:etc/init.d',
    'R:crond',
    '',
    'C:Q1def=',
    'P:zabbix-agent',
    'V:6.4.0-r0',
    'F:etc/init.d',
    'R:zabbix-agentd',
    'F:usr/sbin',
    'R:zabbix_agentd',
    '',
  ].join('\n');
  const r = root({ 'lib/apk/db/installed': db });
  expect(initdOwners(r).get('zabbix-agentd')).toEqual({
    name: 'zabbix-agent',
    version: '6.4.0-r0',
    where: 'lib/apk/db/installed',
  });
  expect(initdOwners(r).get('crond')?.name).toBe('busybox');
  expect(migrate(r).kind).toBe('migrate');
});

test('a database entry that leads out of the root is not read', () => {
  const outside = mkdtempSync(path.join(os.tmpdir(), 'rcs-outside-'));
  roots.push(outside);
  writeFileSync(path.join(outside, 'installed'), 'P:zabbix-agent\nV:6.4.0-r0\nF:etc/init.d\nR:zabbix-agentd\n');
  const r = root({});
  mkdirSync(path.join(r, 'lib/apk/db'), { recursive: true });
  // A symlink to a file outside --root: readValueOrUndefined refuses it, so nothing is known.
  symlinkSync(path.join(outside, 'installed'), path.join(r, 'lib/apk/db/installed'));
  expect(initdOwners(r).size).toBe(0);
  expect(migrate(r).kind).toBe('refuse');
});

test('compareVersions: leading numbers, revisions ignored, no number is unknown', () => {
  expect(compareVersions('6.0.22-r1', '3.0')).toBe(1);
  expect(compareVersions('3.0', '3.0.0')).toBe(0);
  expect(compareVersions('2.4.8', '3.0')).toBe(-1);
  expect(compareVersions('10.0', '9.9')).toBe(1);
  expect(compareVersions('9999', '3.0')).toBe(1);
  expect(compareVersions('live', '3.0')).toBeUndefined();
});

test("with the version unknown, the script's own evidence still decides (it already runs the no-fork word in the foreground)", () => {
  const script = SCRIPT.replace('-c /etc', '--foreground -c /etc') + 'command_background=true\n';
  const p = migrateLoaded(loadServiceSync(root({ 'etc/init.d/zabbix-agentd': script }), 'zabbix-agentd')).plan;
  expect(p.kind).toBe('migrate');
  expect(p.kind === 'migrate' && p.evidence.map((e) => e.kind)).toEqual(['script']);
});

test('other script evidence does not stand in for the version: without the words the script refuses', () => {
  // command_background says the daemon does not fork, not that it serves without the words.
  const script = SCRIPT + 'command_background=true\n';
  const p = migrateLoaded(loadServiceSync(root({ 'etc/init.d/zabbix-agentd': script }), 'zabbix-agentd')).plan;
  expect(p.kind).toBe('refuse');
  expect(p.kind === 'refuse' && p.reason).toContain('only from version 3.0, and the installed version is not known');
});

describe('a rule kept to its packages (binary names several daemons share)', () => {
  const rulePk = (over: Partial<ServiceRule> = {}): ServiceRule => ({
    id: 'ntpd',
    services: ['ntpd'],
    daemons: ['ntpd'],
    summary: 's',
    route: 'init.d',
    foreground: '-n',
    sources: ['x'],
    packages: ['net-misc/ntp', 'ntp'],
    ...over,
  });
  const pkg = (name: string) => ({ name, version: '1', where: 'var/db/pkg/x/CONTENTS' });

  test('the installing package decides (Gentoo category/name or Alpine name)', () => {
    expect(ruleForPackage(rulePk(), pkg('net-misc/ntp'), '').refuse).toBeUndefined();
    expect(ruleForPackage(rulePk(), pkg('ntp'), '').refuse).toBeUndefined();
    expect(ruleForPackage(rulePk(), pkg('net-misc/openntpd'), '').refuse?.reason).toBe(
      'the rule ntpd is for net-misc/ntp, ntp, but var/db/pkg/x/CONTENTS says net-misc/openntpd installed the init script: another daemon named ntpd',
    );
    // The hint speaks of the daemon the package database names, not of the rule's.
    expect(ruleForPackage(rulePk(), pkg('net-misc/openntpd'), '').refuse?.suggestion).toBe(
      'rc-supervise knows no no-fork words for the ntpd of net-misc/openntpd: if its manual names an option that keeps it in the foreground, pass it with --foreground-args (and check where it writes its pid file)',
    );
  });

  test('an entry for several binaries names the one the script launches (bgpd under the zebra entry)', () => {
    const zebra = rulePk({ id: 'zebra', daemons: ['zebra', 'bgpd'], packages: ['net-misc/quagga'] });
    expect(ruleForPackage(zebra, pkg('net-misc/openbgpd'), '', '/usr/sbin/bgpd').refuse?.reason).toBe(
      'the rule zebra is for net-misc/quagga, but var/db/pkg/x/CONTENTS says net-misc/openbgpd installed the init script: another daemon named bgpd',
    );
    // A name the entry does not list (or none) falls back to its first binary.
    expect(ruleForPackage(zebra, pkg('net-misc/openbgpd'), '', 'other').refuse?.reason).toMatch(/named zebra$/);
  });

  test('unknown package: refused, or applied when the rule says so and the script names no other implementation', () => {
    expect(ruleForPackage(rulePk(), undefined, '').refuse?.reason).toContain(
      'several daemons are named ntpd; the rule ntpd is for net-misc/ntp, ntp, and which package installed the init script is not known',
    );
    const lenient = rulePk({ packageUnknown: 'apply', otherImplementation: /OpenNTPD/i });
    expect(ruleForPackage(lenient, undefined, '#!/sbin/openrc-run\n').refuse).toBeUndefined();
    expect(ruleForPackage(lenient, undefined, 'name="OpenNTPD"\n').refuse?.reason).toBe(
      'the rule ntpd is for net-misc/ntp, ntp, but the script names another ntpd (OpenNTPD)',
    );
  });

  test("another program of the name keeps none of the rule's words; a merely unknown package keeps them", () => {
    const flags = { backgroundFlags: [{ flag: '-p', value: true, why: 'pidfile' as const }] };
    const lenient = rulePk({ ...flags, packageUnknown: 'apply', otherImplementation: /OpenNTPD/i });
    expect(ruleForPackage(lenient, undefined, 'name="OpenNTPD"\n').backgroundFlags).toEqual([]);
    expect(ruleForPackage(rulePk(flags), pkg('net-misc/openntpd'), '').backgroundFlags).toEqual([]);
    // Unknown: refused for migrate, but the words are still the likely program's (lint, info).
    expect(ruleForPackage(rulePk(flags), undefined, '').backgroundFlags).toEqual(flags.backgroundFlags);
  });

  // Alpine's openntpd script says neither OpenNTPD nor openntpd: only its configuration file.
  test("the curated ntpd rule takes OpenNTPD's /etc/ntpd.conf for the other implementation, not ISC's /etc/ntp.conf", () => {
    const script = (conf: string) =>
      `#!/sbin/openrc-run\ncommand=/usr/sbin/ntpd\ncommand_args="-d $NTPD_OPTS"\nrequired_files=${conf}\n`;
    expect(ruleForPackage(ntpdRule, undefined, script('/etc/ntpd.conf')).refuse?.reason).toBe(
      'the rule ntpd is for net-misc/ntp, ntp, net-misc/ntpsec, ntpsec, but the script names another ntpd (/etc/ntpd.conf)',
    );
    expect(ruleForPackage(ntpdRule, undefined, script('/etc/ntp.conf')).refuse).toBeUndefined();
  });
});

/**
 * A root holding one init script and, with `pkg` (`<category>/<PF>`), the package database
 * entry that says which package installed it; the plan migrate makes of it, and the
 * command_args_foreground line that plan writes (else the plan's kind).
 */
function installedBy(name: string, script: string, pkg: string | null) {
  const r = mkdtempSync(path.join(os.tmpdir(), 'rcs-installed-'));
  roots.push(r);
  const files: Record<string, string> = { [`etc/init.d/${name}`]: script };
  if (pkg)
    files[`var/db/pkg/${pkg}/CONTENTS`] = `obj /etc/init.d/${name} d41d8cd98f00b204e9800998ecf8427e 1700000000\n`;
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(r, rel)), { recursive: true });
    writeFileSync(path.join(r, rel), text, { mode: 0o755 });
  }
  const plan = migrateLoaded(loadServiceSync(r, name)).plan;
  const fg =
    plan.kind === 'migrate'
      ? plan.edits
          .map((e) => e.text)
          .join('')
          .match(/command_args_foreground=.*/)?.[0]
      : plan.kind;
  return { plan, fg };
}

// Two daemons install /usr/sbin/in.tftpd (atftp's and tftp-hpa's), with other no-fork words
// (--no-fork, -L): each has its own knowledge entry, and the package database picks one.
describe('one binary, two knowledge entries kept to their packages', () => {
  const TFTPD = [
    '#!/sbin/openrc-run',
    'command=/usr/sbin/in.tftpd',
    'command_args="-l ${TFTPD_OPTS}"',
    'depend() {',
    '\tneed net',
    '}',
    '',
  ].join('\n');
  const plan = (pkg: string | null) => installedBy('in.tftpd', TFTPD, pkg && `net-ftp/${pkg}`).plan;
  const fg = (pkg: string) => installedBy('in.tftpd', TFTPD, `net-ftp/${pkg}`).fg;
  test("tftp-hpa's package: tftp-hpa's entry (-L); atftp's: atftp's (--no-fork)", () => {
    expect(fg('tftp-hpa-5.2-r1')).toBe('command_args_foreground="-L"');
    expect(fg('atftp-0.7.5')).toBe('command_args_foreground="--no-fork"');
  });

  test('no package database, or another package: refused, naming both entries', () => {
    const none = plan(null);
    expect(none.kind === 'refuse' && none.reason).toBe(
      'several daemons are named in.tftpd (rules atftpd for net-ftp/atftp, atftp; tftp-hpa for net-ftp/tftp-hpa, tftp-hpa), and which package installed the init script is not known',
    );
    const other = plan('netkit-tftp-0.17');
    expect(other.kind === 'refuse' && other.reason).toBe(
      'several daemons are named in.tftpd (rules atftpd for net-ftp/atftp, atftp; tftp-hpa for net-ftp/tftp-hpa, tftp-hpa), and var/db/pkg/net-ftp/netkit-tftp-0.17/CONTENTS says net-ftp/netkit-tftp installed the init script',
    );
  });
});

// glibc's nscd stays in the foreground with -F; musl-nscd, installed as /usr/sbin/nscd too (Gentoo
// sys-libs/musl-nscd, with a copy of glibc's init script), has no -F and does not fork without -d.
describe("nscd: glibc's and musl-nscd's entries, kept to their packages", () => {
  const NSCD = ['#!/sbin/openrc-run', 'command=/usr/sbin/nscd', 'pidfile=/run/nscd/nscd.pid', ''].join('\n');
  test("glibc's package: -F; musl-nscd's: nothing to add (it forks only with -d)", () => {
    expect(installedBy('nscd', NSCD, 'sys-libs/glibc-2.39-r6').fg).toBe('command_args_foreground="-F"');
    const musl = installedBy('nscd', NSCD, 'sys-libs/musl-nscd-9999');
    expect(musl.plan.kind).toBe('migrate');
    expect(musl.fg).toBeUndefined();
  });
  test('no package database: refused, naming both entries', () => {
    const none = installedBy('nscd', NSCD, null).plan;
    expect(none.kind === 'refuse' && none.reason).toMatch(
      /^several daemons are named nscd \(rules .*nscd for sys-libs\/glibc.*; musl-nscd for sys-libs\/musl-nscd, musl-nscd|^several daemons are named nscd \(rules musl-nscd for sys-libs\/musl-nscd, musl-nscd; nscd for sys-libs\/glibc/,
    );
  });
});

// MIT's kadmind stays in the foreground with -nofork; Heimdal's kadmind has no such word and
// stays in the foreground by itself, but only from 7.0.1 does it survive supervise-daemon's
// setsid() (entry kadmind-heimdal). Each entry is kept to its packages; where the package is not
// known MIT's applies unless the script names Heimdal, and a script naming Heimdal gets Heimdal's.
describe("kadmind: MIT krb5's entry and Heimdal's", () => {
  const KADMIND = ['#!/sbin/openrc-run', 'command=/usr/sbin/kadmind', 'pidfile=/run/kadmind.pid', ''].join('\n');
  const HEIMDAL = KADMIND.replace('pidfile=', 'depend() {\n\tuse net heimdal-kdc\n}\npidfile=');
  const MIT = KADMIND.replace('command=', '# the MIT Kerberos 5 admin daemon\ncommand=');
  test('by the package database', () => {
    expect(installedBy('kadmind', KADMIND, 'app-crypt/mit-krb5-1.21.3').fg).toBe('command_args_foreground="-nofork"');
    const heimdal = installedBy('kadmind', KADMIND, 'app-crypt/heimdal-7.8.0').plan;
    expect(heimdal.kind).toBe('migrate');
    expect(heimdal.kind === 'migrate' && heimdal.evidence.map((e) => e.detail).join('\n')).toContain(
      'knowledge base kadmind-heimdal: stays in the foreground by itself',
    );
    // Not a missing word: an older Heimdal kadmind exits under the supervisor (foregroundSinceWhy).
    const old = installedBy('kadmind', KADMIND, 'app-crypt/heimdal-1.5.1').plan;
    expect(old.kind === 'refuse' && old.reason).toBe(
      'kadmind runs under supervise-daemon only from version 7.0.1 (an older kadmind exits at once under it: it takes the failure of setpgid() for fatal, and the supervisor has made it a session leader, where setpgid() fails), and var/db/pkg/app-crypt/heimdal-1.5.1/CONTENTS says app-crypt/heimdal 1.5.1 installed the init script',
    );
    expect(old.kind === 'refuse' && old.suggestion).toBe(
      'upgrade app-crypt/heimdal to 7.0.1 or newer (no words make an older kadmind run under the supervisor), or keep this service on start-stop-daemon',
    );
  });
  test("no package database: MIT's applies, unless the script names Heimdal; then Heimdal's", () => {
    expect(installedBy('kadmind', KADMIND, null).fg).toBe('command_args_foreground="-nofork"');
    expect(installedBy('kadmind', MIT, null).fg).toBe('command_args_foreground="-nofork"');
    const heimdal = installedBy('kadmind', HEIMDAL, null).plan;
    expect(heimdal.kind === 'refuse' && heimdal.reason).toMatch(
      /^kadmind runs under supervise-daemon only from version 7\.0\.1 \(an older kadmind exits at once under it: .*\), and the installed version is not known$/,
    );
  });
});

// iputils' rarpd stays in the foreground with -d; FreeBSD's rarpd (Gentoo sys-freebsd/freebsd-usbin,
// whose script passes -f) reads -f for that, and its -d only sends errors to stderr instead of
// syslog. The entry is kept to iputils; unknown package: applies unless the script names FreeBSD.
describe("rarpd: iputils' entry, not for FreeBSD's rarpd", () => {
  const RARPD = ['#!/sbin/openrc-run', 'command=/usr/sbin/rarpd', 'pidfile=/run/rarpd.pid', ''].join('\n');
  const FREEBSD = RARPD.replace('command=', '# $Header: sys-freebsd/freebsd-usbin/files/rarpd.initd,v 1.3 $\ncommand=');
  test('by the package database', () => {
    expect(installedBy('rarpd', RARPD, 'net-misc/iputils-20121221-r2').fg).toBe('command_args_foreground="-d"');
    const bsd = installedBy('rarpd', RARPD, 'sys-freebsd/freebsd-usbin-8.2').plan;
    expect(bsd.kind === 'refuse' && bsd.reason).toContain(
      'says sys-freebsd/freebsd-usbin installed the init script: another daemon named rarpd',
    );
  });
  test('no package database: applies, unless the script names FreeBSD', () => {
    expect(installedBy('rarpd', RARPD, null).fg).toBe('command_args_foreground="-d"');
    const bsd = installedBy('rarpd', FREEBSD, null).plan;
    expect(bsd.kind === 'refuse' && bsd.reason).toMatch(
      /^the rule rarpd is for .*, but the script names another rarpd \(freebsd\)/,
    );
  });
});

// The curated ntpd rule is kept to ISC ntpd and ntpsec; OpenNTPD installs an ntpd too, whose
// -n only checks the configuration and whose no-fork word is -d (knowledge entry openntpd-ntpd).
// The package database picks the entry; without one the curated rule decides as before.
describe('ntpd: a curated rule kept to its packages, and a knowledge entry for another package', () => {
  const NTPD = [
    '#!/sbin/openrc-run',
    'command=/usr/sbin/ntpd',
    'pidfile=/run/ntpd.pid',
    'command_args="-p ${pidfile} ${NTPD_OPTS}"',
    'depend() {',
    '\tneed net',
    '}',
    '',
  ].join('\n');
  const run = (pkg: string | null) => installedBy('ntpd', NTPD, pkg && `net-misc/${pkg}`);
  test("OpenNTPD's package: the openntpd-ntpd entry (-d, and -p moves to command_args_background)", () => {
    const { plan, fg } = run('openntpd-6.2_p3');
    expect(fg).toBe('command_args_foreground="-d"');
    expect(plan.kind === 'migrate' && plan.edits.map((e) => e.text).join('')).toContain(
      'command_args_background="-p ${pidfile}"',
    );
  });
  test("ISC ntpd's package: the curated rule (-n); another package: still refused as another daemon", () => {
    expect(run('ntp-4.2.8_p17').fg).toBe('command_args_foreground="-n"');
    const other = run('chrony-4.5').plan;
    expect(other.kind === 'refuse' && other.reason).toBe(
      'the rule ntpd is for net-misc/ntp, ntp, net-misc/ntpsec, ntpsec, but var/db/pkg/net-misc/chrony-4.5/CONTENTS says net-misc/chrony installed the init script: another daemon named ntpd',
    );
  });
  test('no package database: the curated rule as before (it applies to a script that names no other ntpd)', () => {
    expect(run(null).fg).toBe('command_args_foreground="-n"');
  });
});

// OpenLLDP installs a program named lldpd too, whose -d takes a debug level (its foreground
// word is -f): the lldpd entry must not answer for it (a reviewed migration gave it -d).
describe('lldpd: Vincent Bernat’s and OpenLLDP’s, kept to their packages', () => {
  const LLDPD = [
    '#!/sbin/openrc-run',
    'command=/usr/sbin/lldpd',
    'command_args="${OPTS}"',
    'command_background=yes',
    'pidfile=/run/lldpd.pid',
    '',
  ].join('\n');
  const fg = (pkg: string) => installedBy('lldpd', LLDPD, `net-misc/${pkg}`).fg;
  test('net-misc/lldpd: -d; net-misc/openlldp: -f from 0.4 (0.3alpha has no -f and never forks: refused)', () => {
    expect(fg('lldpd-1.0.17')).toBe('command_args_foreground="-d"');
    expect(fg('openlldp-0.4')).toBe('command_args_foreground="-f"');
    expect(fg('openlldp-0.3_alpha')).toBe('refuse');
  });
});

// Our own script in the shape of an overlay's inadyn script that outlived inadyn 1.x: start()
// runs it under start-stop-daemon --background --make-pidfile, which says the daemon stays in
// the foreground. True of 1.x; 2.x forks unless -n (review of round 14: migrated on that word
// alone, the supervisor would have lost the daemon). The knowledge entry's version gate outranks
// the script's word.
describe('inadyn: the script relies on 1.x staying in the foreground, 2.x needs -n', () => {
  const script = [
    '#!/sbin/openrc-run',
    'start() {',
    '\tebegin "Starting inadyn"',
    '\tstart-stop-daemon --start --exec /usr/sbin/inadyn --pidfile /var/run/inadyn.pid \\',
    '\t\t--make-pidfile --background -- --syslog -f /etc/inadyn.conf',
    '\teend $?',
    '}',
    'stop() {',
    '\tebegin "Stopping inadyn"',
    '\tstart-stop-daemon --stop --exec /usr/sbin/inadyn --pidfile /var/run/inadyn.pid',
    '\teend $?',
    '}',
    '',
  ].join('\n');
  const plan = (pf?: string) =>
    migrateLoaded(
      loadServiceSync(
        root({
          'etc/init.d/inadyn': script,
          ...(pf
            ? { [`var/db/pkg/net-dns/${pf}/CONTENTS`]: 'obj /etc/init.d/inadyn d41d8cd98f00b204e9800998ecf8427e 1\n' }
            : {}),
        }),
        'inadyn',
      ),
    ).plan;

  test('version unknown, 1.x or live: refused, though the script says it does not fork', () => {
    for (const pf of [undefined, 'inadyn-1.99.15', 'inadyn-9999']) {
      const p = plan(pf);
      expect(p.kind).toBe('refuse');
      expect(p.kind === 'refuse' && p.reason).toContain('inadyn stays in the foreground with -n only from version 2.0');
    }
  });

  test('2.x: -n, and the supervisor keeps a pid file of its own (inadyn writes inadyn.pid in the foreground too)', () => {
    const p = plan('inadyn-2.12.0');
    expect(p.kind).toBe('migrate');
    if (p.kind !== 'migrate') return;
    expect(p.evidence[0]?.kind).toBe('rule');
    const text = p.edits.map((e) => e.text).join('');
    expect(text).toContain('command_args_foreground="-n"');
    expect(text).toContain('pidfile="/run/supervise-${RC_SVCNAME}.pid"');
  });
});

// Words that came before ASSUMED_NEWER_THAN (2016-01): where the version is not known the words
// apply, with a note; a known older version is still refused (round 18's review of a 2012 tree:
// 20 entries whose words an older version lacked, most of them from 2009 to 2013).
describe('an old version gate (foregroundSinceReleased before 2016-01)', () => {
  const entry = (released: string): DaemonEntry => ({
    id: 'oldd',
    binaries: ['oldd'],
    foreground: '-f',
    foregroundSince: '2.0',
    foregroundSinceReleased: released,
    sources: { foreground: ['oldd(8)'], foregroundSince: ['its ChangeLog'] },
  });
  const pkg = (version: string): InstalledPackage => ({
    name: 'app-misc/oldd',
    version,
    where: `var/db/pkg/app-misc/oldd-${version}/CONTENTS`,
  });
  const NOTE =
    'oldd stays in the foreground with -f only from version 2.0 (released by 2011-05); the installed version is not known and is taken to be newer: an older oldd does not take these words (check its version)';

  test('the version unknown: the words apply, and the note says what was assumed', () => {
    const r = ruleForInstalled(entryToRule(entry('2011-05')), undefined);
    expect(r.refuse).toBeUndefined();
    expect(r.foreground).toBe('-f');
    expect(r.versionNote).toBe(NOTE);
  });
  test('an older version known: refused, with no words and no note', () => {
    const r = ruleForInstalled(entryToRule(entry('2011-05')), pkg('1.9.3-r1'));
    expect(r.refuse?.reason).toBe(
      'oldd stays in the foreground with -f only from version 2.0, and var/db/pkg/app-misc/oldd-1.9.3-r1/CONTENTS says app-misc/oldd 1.9.3-r1 installed the init script',
    );
    expect(r.foreground).toBeUndefined();
    expect(r.versionNote).toBeUndefined();
  });
  test('a newer version known: the words, and no note (nothing was assumed)', () => {
    const r = ruleForInstalled(entryToRule(entry('2011-05')), pkg('2.4'));
    expect(r.refuse).toBeUndefined();
    expect(r.foreground).toBe('-f');
    expect(r.versionNote).toBeUndefined();
  });
  test('a live or an unreadable version is as good as unknown, and the note names it', () => {
    for (const v of ['9999', '2.3.9999', 'git']) {
      const r = ruleForInstalled(entryToRule(entry('2011-05')), pkg(v));
      expect([v, r.refuse, r.foreground, r.versionNote]).toEqual([
        v,
        undefined,
        '-f',
        `oldd stays in the foreground with -f only from version 2.0 (released by 2011-05); var/db/pkg/app-misc/oldd-${v}/CONTENTS says app-misc/oldd ${v} installed the init script, a version rc-supervise cannot compare; it is taken to be newer: an older oldd does not take these words (check its version)`,
      ]);
    }
  });
  test("a pre-release of the gate's own version is older than it: refused, old gate or not", () => {
    for (const v of ['2.0_rc1', '2.0-rc2', '2.0_beta3', '2.0_pre1-r1']) {
      const r = ruleForInstalled(entryToRule(entry('2011-05')), pkg(v));
      expect([v, r.foreground, r.versionNote, r.refuse?.reason]).toEqual([
        v,
        undefined,
        undefined,
        `oldd stays in the foreground with -f only from version 2.0, and var/db/pkg/app-misc/oldd-${v}/CONTENTS says app-misc/oldd ${v} installed the init script, a version rc-supervise cannot compare`,
      ]);
    }
  });
  test('a live branch of an older line than the gate is refused', () => {
    for (const v of ['1.9999', '1.2.9999']) {
      const r = ruleForInstalled(entryToRule(entry('2011-05')), pkg(v));
      expect([v, r.foreground, r.versionNote, r.refuse?.reason.includes('a live version')]).toEqual([
        v,
        undefined,
        undefined,
        true,
      ]);
    }
  });
  test('compareGate: the numbers first; a patch level or a letter after the same numbers is newer', () => {
    const cases: [string, string, number | undefined][] = [
      ['2.0_p3', '2.0', 1],
      ['2.0a', '2.0', 1],
      ['2.0-r1', '2.0', 0],
      ['2.0', '2.0a', -1],
      ['2.1a15', '2.1a15', 0],
      ['2.1a9', '2.1a15', -1],
      ['2.1b', '2.1a15', 1],
      ['1.4a', '1.4.0', undefined],
      ['1.4.0', '1.4', 0],
      ['2.0_rc1', '2.0', undefined],
      ['1.9', '2.0', -1],
    ];
    for (const [v, since, want] of cases) expect([v, since, compareGate(v, since)]).toEqual([v, since, want]);
  });
  test('a patch level or a letter after the gate version is newer; a pre-release of a newer gate stays refused', () => {
    for (const v of ['2.0_p3', '2.0a', '2.0-r1'])
      expect([v, ruleForInstalled(entryToRule(entry('2011-05')), pkg(v)).versionNote]).toEqual([v, undefined]);
    const strict = ruleForInstalled(entryToRule(entry('2020-01')), pkg('2.0_rc1'));
    expect(strict.refuse?.reason).toContain('a version rc-supervise cannot compare');
  });
  test('a gate released from 2016-01 on stays a refusal while the version is unknown', () => {
    const r = ruleForInstalled(entryToRule(entry('2016-01')), undefined);
    expect(r.refuse?.reason).toBe(
      'oldd stays in the foreground with -f only from version 2.0, and the installed version is not known',
    );
    expect(r.foreground).toBeUndefined();
    expect(r.versionNote).toBeUndefined();
  });
});

// nslcd's --nofork: in 0.9.1 and, backported, in 0.8.14; not in 0.9.0 or 0.8.13 (round 18).
describe('a backport to an older release line (foregroundSinceBackports)', () => {
  const entry: DaemonEntry = {
    id: 'bpd',
    binaries: ['bpd'],
    foreground: '--nofork',
    foregroundSince: '0.9.1',
    foregroundSinceReleased: '2013-08',
    foregroundSinceBackports: ['0.8.14'],
    sources: { foreground: ['bpd(8)'], foregroundSince: ['its NEWS'] },
  };
  const at = (version: string) =>
    ruleForInstalled(entryToRule(entry), {
      name: 'sys-auth/bpd',
      version,
      where: `var/db/pkg/sys-auth/bpd-${version}/CONTENTS`,
    });
  test('the backported line from that release on has the words', () => {
    for (const v of ['0.8.14', '0.8.14-r2', '0.8.15'])
      expect([v, at(v).refuse, at(v).foreground]).toEqual([v, undefined, '--nofork']);
    expect(at('0.8.14-r2').summary).toBe(
      'command_args_foreground="--nofork" (sys-auth/bpd 0.8.14-r2 is 0.8.14 or newer in the line that has them from 0.8.14)',
    );
  });
  test('before the backport, and the newer line before foregroundSince, are refused', () => {
    for (const v of ['0.8.13', '0.9.0', '0.6.7-r1'])
      expect([v, at(v).foreground, !!at(v).refuse]).toEqual([v, undefined, true]);
  });
  test('from foregroundSince on, every line has them', () => {
    for (const v of ['0.9.1', '0.9.10', '1.0']) expect([v, at(v).foreground]).toEqual([v, '--nofork']);
  });
});

// mrouted's no-fork word changed: -f in 3.9.1 to 3.9.8, -n from 4.0 (where -f names the
// configuration file); 3.9.0 has neither. 4.x logs to stderr in the foreground, 3.9.x to syslog.
describe('words that changed between versions (foregroundEarlier)', () => {
  const entry: DaemonEntry = {
    id: 'mrd',
    binaries: ['mrd'],
    foreground: '-n',
    foregroundSince: '4.0',
    foregroundEarlier: { foreground: '-f', since: '3.9.1' },
    foregroundLogs: 'stderr',
    logKeptBy: [{ flag: '-s' }],
    sources: {
      foreground: ['mrd 4.x main.c'],
      foregroundSince: ['mrd 3.9.8 main.c'],
      foregroundEarlier: ['mrd 3.9.x main.c'],
      foregroundLogs: ['mrd 4.x log.c'],
      logKeptBy: ['mrd 4.x main.c -s'],
    },
  };
  const at = (version: string) =>
    ruleForInstalled(entryToRule(entry), {
      name: 'net-misc/mrd',
      version,
      where: `var/db/pkg/net-misc/mrd-${version}/CONTENTS`,
    });
  test('the version unknown: a refusal naming both words and their ranges', () => {
    const r = ruleForInstalled(entryToRule(entry), undefined);
    expect(r.foreground).toBeUndefined();
    expect(r.refuse).toEqual({
      reason:
        'mrd stays in the foreground with -n from version 4.0 and with -f from 3.9.1 to before 4.0, and the installed version is not known',
      suggestion:
        'if mrd is 4.0 or newer, pass --foreground-args="-n"; if it is 3.9.1 or newer but older than 4.0, pass --foreground-args="-f"',
    });
  });
  test('a version of the earlier range gets its words, cited from its own sources, and not the later log facts', () => {
    for (const v of ['3.9.1', '3.9.5-r1', '3.9.8']) {
      const r = at(v);
      expect([v, r.refuse, r.foreground, r.foregroundLogs, r.logKeptBy]).toEqual([
        v,
        undefined,
        '-f',
        undefined,
        undefined,
      ]);
      expect(r.sources.find((x) => x.startsWith('foreground:'))).toBe('foreground: mrd 3.9.x main.c');
      expect(r.sources).toContain(
        `installed version: var/db/pkg/net-misc/mrd-${v}/CONTENTS says net-misc/mrd ${v} installed the init script`,
      );
    }
    expect(at('3.9.5-r1').summary).toBe(
      'command_args_foreground="-f" (net-misc/mrd 3.9.5-r1 is 3.9.1 or newer, older than 4.0)',
    );
  });
  test('from the gate on, the later words and log facts', () => {
    for (const v of ['4.0', '4.6']) {
      const r = at(v);
      expect([v, r.refuse, r.foreground, r.foregroundLogs, r.logKeptBy?.map((f) => f.flag)]).toEqual([
        v,
        undefined,
        '-n',
        'stderr',
        ['-s'],
      ]);
    }
  });
  test('before the earlier range, a live version and a pre-release of the gate are refused, naming both', () => {
    for (const v of ['3.9.0', '3.8-r2', '9999', '4.0_rc1']) {
      const r = at(v);
      expect([v, r.foreground]).toEqual([v, undefined]);
      expect(r.refuse?.reason).toMatch(
        /^mrd stays in the foreground with -n from version 4\.0 and with -f from 3\.9\.1 to before 4\.0, and var\/db\/pkg/,
      );
    }
  });
});

// The real entry (knowledge/daemons/mrouted.json) on our own script modelled on Gentoo's mrouted.rc.
test('migrate: mrouted gets -f for 3.9.x and -n for 4.x from the package database, and keeps its own pid file', () => {
  const script = [
    '#!/sbin/openrc-run',
    'start() {',
    '\tebegin "Starting mrouted"',
    '\tstart-stop-daemon --start --pidfile /var/run/mrouted.pid --startas /usr/bin/mrouted -- -c /etc/mrouted.conf',
    '\teend $?',
    '}',
    'stop() {',
    '\tebegin "Stopping mrouted"',
    '\tstart-stop-daemon --stop --pidfile /var/run/mrouted.pid',
    '\teend $?',
    '}',
    '',
  ].join('\n');
  const contents = (pf: string) => ({
    [`var/db/pkg/net-misc/${pf}/CONTENTS`]: 'obj /etc/init.d/mrouted d41d8cd98f00b204e9800998ecf8427e 1700000000\n',
  });
  const plan = (files: Record<string, string>) =>
    migrateLoaded(loadServiceSync(root({ 'etc/init.d/mrouted': script, ...files }), 'mrouted')).plan;
  const old = plan(contents('mrouted-3.9.5-r1'));
  expect(old.kind).toBe('migrate');
  if (old.kind !== 'migrate') return;
  const text = old.edits.map((e) => e.text).join('');
  expect(text).toContain('command_args_foreground="-f"');
  expect(text).toContain('pidfile="/run/supervise-${RC_SVCNAME}.pid"');
  expect(old.warnings.filter((w) => w.includes('stderr'))).toEqual([]);
  const now = plan(contents('mrouted-4.6'));
  expect(now.kind === 'migrate' && now.edits.map((e) => e.text).join('')).toContain('command_args_foreground="-n"');
  const unknown = plan({});
  expect(unknown.kind === 'refuse' && unknown.reason).toBe(
    'mrouted stays in the foreground with -n from version 4.0 and with -f from 3.9.1 to before 4.0, and the installed version is not known',
  );
});

// atd's -f: from at 3.1.12 (2009-12), an old gate (round 18).
test('migrate: an old gate applies its words where the version is unknown, and says so; a known older version is refused', () => {
  const script = ['#!/sbin/openrc-run', 'command=/usr/sbin/atd', 'pidfile=/run/atd.pid', ''].join('\n');
  const contents = (pf: string) => ({
    [`var/db/pkg/sys-process/${pf}/CONTENTS`]: 'obj /etc/init.d/atd d41d8cd98f00b204e9800998ecf8427e 1700000000\n',
  });
  const plan = (files: Record<string, string>) =>
    migrateLoaded(loadServiceSync(root({ 'etc/init.d/atd': script, ...files }), 'atd')).plan;
  const unknown = plan({});
  expect(unknown.kind).toBe('migrate');
  if (unknown.kind !== 'migrate') return;
  expect(unknown.edits.map((e) => e.text).join('')).toContain('command_args_foreground="-f"');
  expect(unknown.notes).toContain(
    'atd stays in the foreground with -f only from version 3.1.12 (released by 2009-12); the installed version is not known and is taken to be newer: an older atd does not take these words (check its version)',
  );
  const old = plan(contents('at-3.1.10.2-r2'));
  expect(old.kind === 'refuse' && old.reason).toBe(
    'atd stays in the foreground with -f only from version 3.1.12, and var/db/pkg/sys-process/at-3.1.10.2-r2/CONTENTS says sys-process/at 3.1.10.2-r2 installed the init script',
  );
  const p = plan(contents('at-3.2.5'));
  expect(p.kind === 'migrate' && p.notes.filter((n) => n.includes('taken to be newer'))).toEqual([]);
});

// The note says what an old gate assumed only where the migration rests on the rule's words.
test("no note of an assumed version where the words are the user's (--foreground-args) or the script's own", () => {
  const script = (args: string) =>
    [
      '#!/sbin/openrc-run',
      'command=/usr/sbin/atd',
      `command_args="${args}"`,
      'command_background=yes',
      'pidfile=/run/atd.pid',
      '',
    ].join('\n');
  const notesOf = (args: string, opts = {}) => {
    const p = migrateLoaded(loadServiceSync(root({ 'etc/init.d/atd': script(args) }), 'atd'), opts).plan;
    return p.kind === 'migrate' ? p.notes.filter((n) => n.includes('taken to be newer')) : [`refused: ${p.kind}`];
  };
  expect(notesOf('')).toHaveLength(1);
  expect(notesOf('', { foregroundArgs: '-d' })).toEqual([]);
  expect(notesOf('-f')).toEqual([]);
});

// sshd's `-o PidFile=none` means no pid file only from OpenSSH 6.8; before, sshd wrote its pid
// to a file named "none" in / (funkycode's openssh-5.x scripts, holdout 10).
describe('sshd: PidFile=none from OpenSSH 6.8', () => {
  const pkg = (version: string): InstalledPackage => ({
    name: 'net-misc/openssh',
    version,
    where: `var/db/pkg/net-misc/openssh-${version}/CONTENTS`,
  });
  test('a 5.x package refused; 6.8 and 7.6_p1 get the words; an unknown version is taken to be newer', () => {
    expect(ruleForInstalled(sshdRule, pkg('5.9_p1-r4')).refuse?.reason).toBe(
      'sshd stays in the foreground with -D -o PidFile=none only from version 6.8, and var/db/pkg/net-misc/openssh-5.9_p1-r4/CONTENTS says net-misc/openssh 5.9_p1-r4 installed the init script',
    );
    expect(ruleForInstalled(sshdRule, pkg('6.7_p1')).refuse).toBeDefined();
    for (const v of ['6.8_p1', '7.6_p1-r2']) {
      const r = ruleForInstalled(sshdRule, pkg(v));
      expect(r.refuse).toBeUndefined();
      expect(r.foreground).toBe('-D -o PidFile=none');
    }
    const unknown = ruleForInstalled(sshdRule, undefined);
    expect(unknown.foreground).toBe('-D -o PidFile=none');
    expect(unknown.versionNote).toContain('only from version 6.8 (released by 2015-03)');
  });
});
