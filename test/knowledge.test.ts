import ajvModule from 'ajv';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { daemons } from '../src/knowledge/daemons.generated.js';
import { compareVersions } from '../src/knowledge/installed.js';
import { entryToRule, knowledgeRules } from '../src/knowledge/rules.js';
import type { DaemonEntry, KnowledgeFact } from '../src/knowledge/types.js';
import { findRule, RULES } from '../src/rules/registry.js';
import { REPO } from './helpers/fixtures.js';

const dir = path.join(REPO, 'knowledge', 'daemons');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
const entries: [string, DaemonEntry][] = files.map((f) => [f, JSON.parse(readFileSync(path.join(dir, f), 'utf8'))]);
const SIGNALS = /^(HUP|INT|QUIT|USR1|USR2|TERM|ALRM|WINCH|CONT|STOP|TSTP|TTIN|TTOU|PWR|IO|URG|KILL)$/;
const FACTS: KnowledgeFact[] = [
  'foreground',
  'foregroundSince',
  'foregroundEarlier',
  'foregroundAliases',
  'daemonizeFlags',
  'pidfileFlags',
  'keptPidfileFlags',
  'ownPidfile',
  'foregroundPidfile',
  'noOwnPidfile',
  'foregroundLogs',
  'foregroundSkips',
  'readyOnFork',
  'termDeferred',
  'configForks',
  'foregroundOverrides',
  'foregroundNeedsFlag',
  'pidfileLock',
  'stopsAtOperand',
  'takeoverWords',
  'ignoredWhenSupervised',
  'stopWords',
  'stopCommands',
  'stopPreludes',
  'foregroundLogsNoFile',
  'logKeptBy',
  'daemonOnlyFlags',
  'packages',
  'signals',
  'refuse',
];

test('at least 250 knowledge entries, all compiled into the build', () => {
  expect(files.length).toBeGreaterThanOrEqual(250);
  expect(
    daemons()
      .map((d) => d.id)
      .sort(),
  ).toEqual(entries.map(([, e]) => e.id).sort());
});

test('every entry is valid against knowledge/schema.json', () => {
  const schema = JSON.parse(readFileSync(path.join(REPO, 'knowledge', 'schema.json'), 'utf8'));
  const validate = new ajvModule.default({ allErrors: true }).compile(schema);
  const bad = entries.filter(([, e]) => !validate(e)).map(([f]) => f);
  expect(bad).toEqual([]);
});

describe.each(entries)('%s', (file, e) => {
  test('id equals the file name', () => expect(`${e.id}.json`).toBe(file));
  test('every fact given has at least one source', () => {
    for (const fact of FACTS) if (e[fact] !== undefined) expect(e.sources[fact]?.length ?? 0).toBeGreaterThan(0);
  });
  test('no foreground word is also a daemonize flag', () => {
    const fg = (e.foreground ?? '').split(/\s+/).filter(Boolean);
    for (const f of e.daemonizeFlags ?? []) expect(fg).not.toContain(f.flag);
  });
  test('writes no pid file by itself (noOwnPidfile) and a built-in one (ownPidfile) do not go together', () => {
    expect(e.noOwnPidfile && e.ownPidfile !== undefined).toBeFalsy();
  });
  test('a pid file option kept in command_args (keptPidfileFlags) comes with the pid file the daemon writes (ownPidfile)', () => {
    if (e.keptPidfileFlags) expect(e.ownPidfile).toBeDefined();
  });
  test('options that keep the log (logKeptBy) come with the stream it would go to (foregroundLogs)', () => {
    if (e.logKeptBy) expect(e.foregroundLogs).toBeDefined();
  });
  test('signals are valid names', () => {
    for (const s of Object.values(e.signals ?? {})) expect(s).toMatch(SIGNALS);
  });
  test('a release date of the version gate (foregroundSinceReleased) comes with the gate', () => {
    if (e.foregroundSinceReleased !== undefined) expect(e.foregroundSince).toBeDefined();
  });
  test("a backport (foregroundSinceBackports) is a release of an older line than the gate's", () => {
    for (const b of e.foregroundSinceBackports ?? []) {
      expect(e.foregroundSince).toBeDefined();
      expect(compareVersions(b, e.foregroundSince!)).toBe(-1);
      expect(/^\d+\.\d+/.exec(b)?.[0]).not.toBe(/^\d+\.\d+/.exec(e.foregroundSince!)?.[0]);
    }
  });
  test('an earlier range of words (foregroundEarlier) starts before the gate, and its log facts go together', () => {
    const earlier = e.foregroundEarlier;
    if (!earlier) return;
    expect(e.foregroundSince).toBeDefined();
    expect(compareVersions(earlier.since, e.foregroundSince!)).toBe(-1);
    if (earlier.logKeptBy) expect(earlier.foregroundLogs).toBeDefined();
  });
  test('foreground words that win after a daemonize flag (foregroundOverrides) come with both', () => {
    if (e.foregroundOverrides) {
      expect(e.foreground).toBeTruthy();
      expect(e.daemonizeFlags?.length).toBeGreaterThan(0);
    }
  });
  test('a refusal comes without foreground words', () => {
    if (e.refuse) expect(e.foreground).toBeUndefined();
  });
});

test('a daemon binary belongs to two entries only when each is kept to its own packages (atftp and tftp-hpa: in.tftpd)', () => {
  const byBinary = new Map<string, DaemonEntry[]>();
  for (const [, e] of entries) for (const b of e.binaries) byBinary.set(b, [...(byBinary.get(b) ?? []), e]);
  const shared = [...byBinary].filter(([, es]) => es.length > 1);
  expect(shared.map(([b]) => b)).toContain('in.tftpd');
  for (const [, es] of shared) {
    for (const e of es) expect(e.packages?.length).toBeGreaterThan(0);
    const all = es.flatMap((e) => e.packages!);
    expect(new Set(all).size).toBe(all.length);
  }
});

test('an entry for a binary a curated rule kept to its packages also names is kept to other packages (OpenNTPD: ntpd)', () => {
  const kept = RULES.filter((r) => r.packages?.length);
  const shared = kept.flatMap((r) =>
    entries.filter(([, e]) => e.binaries.some((b) => r.daemons.includes(b))).map(([, e]) => [r, e] as const),
  );
  expect(shared.map(([, e]) => e.id)).toContain('openntpd-ntpd');
  for (const [r, e] of shared) {
    expect(e.packages?.length).toBeGreaterThan(0);
    for (const p of e.packages!) expect(r.packages).not.toContain(p);
  }
});

test('the compiled knowledge base is the JSON files, character for character (backticks and ${ included)', () => {
  const byId = (a: DaemonEntry, b: DaemonEntry) => (a.id < b.id ? -1 : 1);
  const files = entries.map(([, e]) => {
    const { $schema: _, ...rest } = e as DaemonEntry & { $schema?: string };
    return rest;
  });
  expect([...daemons()].sort(byId)).toEqual(files.sort(byId));
  // the escapes the generator writes are exercised (else this test proves less than it says)
  expect(JSON.stringify(files)).toMatch(/`|\$\{/);
});

test('a knowledge rule looked up by binary is the one the whole list gives, first match first', () => {
  const all = knowledgeRules();
  for (const e of daemons())
    for (const b of e.binaries) {
      const r = findRule('not-a-curated-service-name', b);
      if (RULES.some((x) => x.daemons.includes(b))) continue;
      expect(r).toBe(all.find((x) => x.daemons.includes(b)));
    }
  expect(findRule('not-a-curated-service-name', 'no-such-daemon-binary')).toBeUndefined();
});

test('a curated rule wins over a knowledge entry for the same daemon; an entry is found by its binary only', () => {
  const sshd = findRule('sshd', 'sshd');
  expect(sshd?.origin).not.toBe('knowledge');
  expect(RULES).toContain(sshd);
  const kb = daemons().find((d) => !RULES.some((r) => r.daemons.some((x) => d.binaries.includes(x))))!;
  expect(findRule('some-service', kb.binaries[0])?.id).toBe(kb.id);
  expect(findRule(kb.services?.[0] ?? kb.id, undefined)?.origin).not.toBe('knowledge');
});

test('entryToRule keeps every flag with its reason and every source with its fact', () => {
  const e: DaemonEntry = {
    id: 'x',
    binaries: ['xd'],
    foreground: '-f',
    daemonizeFlags: [{ flag: '-d' }],
    pidfileFlags: [{ flag: '-p', value: true, valueMatch: '^/' }],
    sources: { foreground: ['xd(8): -f stays'], daemonizeFlags: ['xd(8): -d forks'], pidfileFlags: ['xd(8): -p FILE'] },
  };
  const r = entryToRule(e);
  expect(r.backgroundFlags?.map((f) => [f.flag, f.why])).toEqual([
    ['-d', 'daemonize'],
    ['-p', 'pidfile'],
  ]);
  expect(r.backgroundFlags?.[1].valueMatch?.test('/run/x.pid')).toBe(true);
  expect(r.sources).toEqual([
    'foreground: xd(8): -f stays',
    'daemonizeFlags: xd(8): -d forks',
    'pidfileFlags: xd(8): -p FILE',
  ]);
});

// eturnal's stop() runs `eturnalctl stop`, an init:stop() over Erlang distribution, which the
// runtime's SIGTERM handler calls too: the entry's stopWords reach the rule custom-start reads.
test("entryToRule keeps the words with which the daemon's own program stops it (stopWords)", () => {
  const e: DaemonEntry = {
    id: 'x',
    binaries: ['xctl'],
    stopWords: ['stop'],
    sources: { stopWords: ['xctl(8): stop does what TERM does'] },
  };
  expect(entryToRule(e).stopWords).toEqual(['stop']);
  expect(findRule('eturnal', 'eturnalctl')?.stopWords).toEqual(['stop']);
});

// knot's stop(): `knotc stop`, a TERM stop only when that fails; knotd ends its event loop
// the same way on both. The entry's stopCommands reach the rule custom-start reads.
test('entryToRule keeps the control commands that stop the daemon the way SIGTERM does (stopCommands)', () => {
  const e: DaemonEntry = {
    id: 'x',
    binaries: ['xd'],
    stopCommands: ['xctl stop'],
    sources: { stopCommands: ['xd.c: xctl stop ends the loop TERM ends'] },
  };
  expect(entryToRule(e).stopCommands).toEqual(['xctl stop']);
  expect(findRule('knot', 'knotd')?.stopCommands).toEqual(['knotc stop']);
});

// innd: `ctlinnd throttle "…"` then `ctlinnd shutdown "…"`; the shutdown ends it as SIGTERM does
// and the throttle does only part of what the shutdown does. Both reach the rule.
test('entryToRule keeps the control commands a stop may run before its stop command (stopPreludes)', () => {
  const e: DaemonEntry = {
    id: 'x',
    binaries: ['xd'],
    stopCommands: ['xctl shutdown *'],
    stopPreludes: ['xctl throttle *'],
    sources: { stopCommands: ['xd.c'], stopPreludes: ['xd.c: throttle does part of shutdown'] },
  };
  expect(entryToRule(e).stopPreludes).toEqual(['xctl throttle *']);
  expect(findRule('innd', 'innd')?.stopCommands).toEqual(['ctlinnd shutdown *']);
  expect(findRule('innd', 'innd')?.stopPreludes).toEqual(['ctlinnd throttle *']);
});

// snort: --create-pidfile makes it write, in the foreground too, the pid file -D writes where
// --pid-path says. With such words the pid file options stay in command_args (kept, not moved),
// and the foreground words themselves are unchanged (added only where the script had the daemon
// write its pid file: the foreground step).
test('entryToRule: foregroundPidfile keeps the pid file options in command_args', () => {
  const e: DaemonEntry = {
    id: 'x',
    binaries: ['xd'],
    foreground: '',
    daemonizeFlags: [{ flag: '-D' }],
    pidfileFlags: [{ flag: '--pid-path', value: true }],
    foregroundPidfile: '--create-pidfile',
    sources: { foreground: ['x(8)'], foregroundPidfile: ['xd.c: --create-pidfile writes it undaemonized'] },
  };
  const r = entryToRule(e);
  expect(r.foreground).toBe('');
  expect(r.foregroundPidfile).toBe('--create-pidfile');
  expect(r.backgroundFlags?.map((f) => f.flag)).toEqual(['-D']);
  expect(r.keptPidfileFlags?.map((f) => f.flag)).toEqual(['--pid-path']);
  expect(r.summary).toBe('stays in the foreground by itself (and --create-pidfile where it wrote its pid file)');
  expect(findRule('snort', 'snort')?.foregroundPidfile).toBe('--create-pidfile');
});

// softflowd: its graceful TERM handler (expire and export every flow) is installed only when it
// daemonizes; in the foreground TERM kills it with its flows unsent, unlike softflowctl shutdown.
test('softflowd: refused, since TERM in the foreground does not export its flows as softflowctl shutdown does', () => {
  const r = findRule('softflowd', 'softflowd');
  expect(r?.refuse?.reason).toMatch(/only when it daemonizes/);
  expect(r?.refuse?.reason).toMatch(/softflowctl shutdown/);
});

// verify-daemons saw Debian's gkrellmd fork with no word: Debian's /etc/gkrellmd.conf has an
// uncommented `detach`, Gentoo's (the upstream sample) does not. The entry says so instead of
// refusing: gkrellmd stays in the foreground by itself, with a warning about that line.
test('gkrellmd: foreground by itself, the configuration file detach said (configForks), no refusal', () => {
  const r = findRule('gkrellmd', 'gkrellmd');
  expect(r?.refuse).toBeUndefined();
  expect(r?.foreground).toBe('');
  expect(r?.configForks).toMatch(/'detach' line/);
});

// exim.c: -bdf clears background_daemon, which -bd never sets: `-bd -q15m -bdf` stays attached.
test('exim: -bdf keeps it in the foreground after -bd (foregroundOverrides), carried into its rule', () => {
  const r = findRule('exim', 'exim');
  expect(r?.foreground).toBe('-bdf');
  expect(r?.foregroundOverrides).toBe(true);
  expect(r?.backgroundFlags?.filter((f) => f.why === 'daemonize').map((f) => f.flag)).toEqual(['-bd']);
});
