/**
 * `rc-supervise lint` over a synthetic ebuild repository (fixtures/overlay): discovery,
 * the exact findings (checked-in snapshots), --fix / --fix --unsafe on a copy, every
 * check's documented example, suppressions and `.rc-supervise.json`.
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { discover } from '../../src/lint/discover.js';
import { ALL_META, lintFile, UNKNOWN_RULE } from '../../src/lint/lint.js';
import type { CheckMeta } from '../../src/lint/types.js';
import { initParser } from '../../src/parse/parser.js';
import { tempDirs } from '../helpers/temp.js';
import { ShellFile } from '../../src/parse/shellfile.js';
import type { JsonFinding } from '../../src/report/json.js';
import { run, treeHash } from '../helpers/cli.js';
import { REPO } from '../helpers/fixtures.js';
import { matchTextSnapshot } from './snapshot.js';

const OVERLAY_REL = 'fixtures/overlay';
const OVERLAY = path.join(REPO, OVERLAY_REL);
const CLEAN = /(^|\/)[a-z0-9-]+\/clean-[^/]+\//;

/** Every file under a directory, relative to it, sorted (dot files included). */
function walk(dir: string, rel = ''): string[] {
  return readdirSync(path.join(dir, rel), { withFileTypes: true })
    .flatMap((e) => {
      const r = rel ? `${rel}/${e.name}` : e.name;
      return e.isDirectory() ? walk(dir, r) : [r];
    })
    .sort();
}

function parseJson(stdout: string): JsonFinding[] {
  return JSON.parse(stdout) as JsonFinding[];
}

/** Findings' files relative to `root` (the CLI shows absolute paths outside the cwd). */
function relTo(root: string, file: string): string {
  return path.relative(root, path.resolve(REPO, file)).split(path.sep).join('/');
}

const tempDir = tempDirs('rc-lint');

function tmpCopy(label: string): string {
  const dir = path.join(tempDir(label), 'overlay');
  // cpSync copies each file's permission bits (0644 vs 0755 matters in etc/init.d).
  cpSync(OVERLAY, dir, { recursive: true });
  return dir;
}

beforeAll(async () => {
  await initParser();
});

test('runs from the repository root (snapshot paths are relative to it)', () => {
  expect(process.cwd()).toBe(REPO);
});

describe('the overlay fixture', () => {
  test('discovery: every naming variant and shebang-only file, paired conf.d, no ebuild or metadata', async () => {
    const targets = await discover([OVERLAY_REL]);
    const init = targets.map((t) => path.relative(OVERLAY_REL, t.initd)).sort();
    expect(init.length).toBeGreaterThanOrEqual(30);
    for (const re of [
      /\/[^/]+\.initd$/,
      /-r\d+\.initd$/,
      /\.init$/,
      /\.rc$/,
      /-initd$/,
      /\.initd-r\d+$/,
      /\.initd\.2$/,
    ])
      expect(init.filter((f) => re.test(f)).length).toBeGreaterThan(0);
    // Found only by the openrc-run shebang: no init suffix, not in an init.d directory.
    expect(init).toEqual(
      expect.arrayContaining(['net-mail/fetchmail/files/fetchmail', 'sys-apps/clean-watchdogd/files/watchdogd']),
    );
    expect(
      init.filter(
        (f) => /\.(ebuild|confd|conf|md|json)$/.test(f) || /^(metadata|profiles)\//.test(f) || /\/conf\.d\//.test(f),
      ),
    ).toEqual([]);
    // Nothing else in the tree is an init script: every other file is an ebuild, a conf.d,
    // repository metadata or documentation.
    const others = walk(OVERLAY).filter((f) => !init.includes(f));
    for (const f of others)
      expect(f).toMatch(
        /\.ebuild$|\.confd$|\.conf\.d-r\d+$|\/etc\/conf\.d\/|^metadata\/|^profiles\/|^README\.md$|^\.rc-supervise\.json$|^net-analyzer\/not-openrc\//,
      );
    expect(others.filter((f) => f.endsWith('.ebuild')).length).toBeGreaterThanOrEqual(2);
    // conf.d pairing: `foo.confd` for `foo-r1.initd` and `foo`; etc/conf.d/<name> in a tree.
    const confd = Object.fromEntries(
      targets.map((t) => [path.relative(OVERLAY_REL, t.initd), t.confd && path.relative(OVERLAY_REL, t.confd)]),
    );
    expect(confd['net-dns/dnsmasq/files/dnsmasq-r1.initd']).toBe('net-dns/dnsmasq/files/dnsmasq.confd');
    expect(confd['sys-power/acpid/files/acpid-r2.initd']).toBe('sys-power/acpid/files/acpid-r2.confd');
    expect(confd['sys-apps/clean-watchdogd/files/watchdogd']).toBe('sys-apps/clean-watchdogd/files/watchdogd.confd');
    expect(confd['dev-db/redis/files/redis-initd']).toBe('dev-db/redis/files/redis.confd');
    // newinitd/newconfd in the ebuild pair files whose names do not match.
    expect(confd['app-misc/pairing/files/pairing.initd.2']).toBe('app-misc/pairing/files/pairing.conf.d-r1');
    // `.rc`/`.init` files without an OpenRC shebang are not init scripts (Metasploit, s6).
    expect(init.filter((f) => f.includes('not-openrc'))).toEqual([]);
    // files/init.d/ in an ebuild repository: doinitd sets the mode, so it is no etc/init.d tree.
    expect(targets.find((t) => t.initd.endsWith('clean-initd-dir/files/init.d/initd-dir'))?.inInitdTree).toBe(false);
    expect(confd['sys-apps/example-root/files/root/etc/init.d/tftpd']).toBe(
      'sys-apps/example-root/files/root/etc/conf.d/tftpd',
    );
    expect(
      targets
        .filter((t) => t.inInitdTree)
        .map((t) => path.basename(t.initd))
        .sort(),
    ).toEqual(['cachefilesd', 'tftpd']);
    expect(init.filter((f) => CLEAN.test(f)).length).toBeGreaterThanOrEqual(5);
  });

  test('modes survived the checkout: only etc/init.d/tftpd is not executable', () => {
    const d = path.join(OVERLAY, 'sys-apps/example-root/files/root/etc/init.d');
    expect(statSync(path.join(d, 'tftpd')).mode & 0o111).toBe(0);
    expect(statSync(path.join(d, 'cachefilesd')).mode & 0o111).not.toBe(0);
  });
});

describe('lint fixtures/overlay', () => {
  let gcc: Awaited<ReturnType<typeof run>>;
  let json: Awaited<ReturnType<typeof run>>;
  let findings: JsonFinding[];
  beforeAll(async () => {
    gcc = await run('lint', OVERLAY_REL, '--format', 'gcc');
    json = await run('lint', OVERLAY_REL, '--format', 'json');
    findings = parseJson(json.stdout);
  });

  test('gcc output equals the snapshot; exit 1', () => {
    expect(gcc.stderr).toBe('');
    expect(gcc.code).toBe(1);
    matchTextSnapshot('overlay.gcc.txt', gcc.stdout);
  });

  test('json output equals the snapshot; exit 1', () => {
    expect(json.stderr).toBe('');
    expect(json.code).toBe(1);
    matchTextSnapshot('overlay.json.txt', json.stdout);
  });

  test('both formats report the same findings', () => {
    expect(gcc.stdout.trimEnd().split('\n').length).toBe(findings.length);
  });

  test('every check id fires at least once', () => {
    const fired = new Set(findings.map((f) => f.ruleId));
    const missing = ALL_META.map((m) => m.id).filter((id) => !fired.has(id));
    expect(missing).toEqual([]);
    for (const f of findings) expect(ALL_META.map((m) => m.id)).toContain(f.ruleId);
  });

  test('no finding in a clean-* package, nor in an ebuild', () => {
    expect(findings.filter((f) => CLEAN.test(f.file))).toEqual([]);
    expect(findings.filter((f) => f.file.endsWith('.ebuild'))).toEqual([]);
  });

  test('each clean-* package on its own: no output, exit 0 even with --severity info', async () => {
    const clean = walk(OVERLAY)
      .map((f) => /^([^/]+\/clean-[^/]+)\//.exec(f)?.[1])
      .filter((x): x is string => !!x);
    const pkgs = [...new Set(clean)];
    expect(pkgs.length).toBeGreaterThanOrEqual(5);
    for (const p of pkgs) {
      const r = await run('lint', `${OVERLAY_REL}/${p}`, '--format', 'gcc', '--severity', 'info');
      expect({ p, ...r }).toEqual({ p, code: 0, stdout: '', stderr: '' });
    }
  });

  test('the suppressions in the overlay are what keeps those findings out', () => {
    // Line-level: squid's custom stop() is suppressed on the line before it.
    const squid = readFileSync(path.join(OVERLAY, 'net-proxy/squid/files/squid.initd'), 'utf8');
    expect(findings.filter((f) => f.file.includes('/squid/'))).toEqual([]);
    const squidBare = lintFile({
      initdPath: 'squid.initd',
      initdText: squid.replace(/^# rc-supervise disable=custom-start\n/m, ''),
    });
    expect(squidBare.map((f) => `${f.ruleId}:${f.line}`)).toEqual(['custom-start:30']);
    // File-wide: redis's header directive covers the supervisor= line much further down.
    const redis = readFileSync(path.join(OVERLAY, 'dev-db/redis/files/redis-initd'), 'utf8');
    expect(findings.filter((f) => f.file.includes('/redis/'))).toEqual([]);
    const redisBare = lintFile({
      initdPath: 'redis-initd',
      initdText: redis.replace(/^# rc-supervise disable=supervisor-hardcoded\n/m, ''),
    });
    expect(redisBare.map((f) => f.ruleId)).toEqual(['supervisor-hardcoded']);
    // A misspelt id suppresses nothing and is reported itself.
    const irq = findings.filter((f) => f.file.endsWith('irqbalance-r1.initd')).map((f) => `${f.line}:${f.ruleId}`);
    expect(irq).toEqual(expect.arrayContaining(['24:unknown-rule-id', '25:bashism']));
  });
});

describe('lint --fix on a copy of the overlay', () => {
  let before: JsonFinding[];
  beforeAll(async () => {
    before = parseJson((await run('lint', OVERLAY_REL, '--format', 'json')).stdout);
  });

  const changedFiles = (copy: string) =>
    walk(copy).filter((f) => readFileSync(path.join(copy, f), 'utf8') !== readFileSync(path.join(OVERLAY, f), 'utf8'));

  const expectReparses = (copy: string, files: string[]) => {
    for (const f of files) {
      const hadErrors = new ShellFile('orig', readFileSync(path.join(OVERLAY, f), 'utf8')).errors.length > 0;
      const now = new ShellFile(f, readFileSync(path.join(copy, f), 'utf8'));
      if (!hadErrors) expect({ f, errors: now.errors }).toEqual({ f, errors: [] });
    }
  };

  test('--fix: only files with safe fixes change, modes are kept, no safe fix is left, a second run changes nothing', async () => {
    const copy = tmpCopy('fix');
    expect(statSync(path.join(copy, 'sys-apps/example-root/files/root/etc/init.d/tftpd')).mode & 0o777).toBe(
      statSync(path.join(OVERLAY, 'sys-apps/example-root/files/root/etc/init.d/tftpd')).mode & 0o777,
    );
    const fixed = await run('lint', copy, '--fix', '--format', 'json');
    expect(fixed.code).toBe(1);
    expect(fixed.stderr).toMatch(/^fixed \d+ problems\n$/);

    const changed = changedFiles(copy);
    const safe = [...new Set(before.filter((f) => f.fixable === 'safe').map((f) => relTo(OVERLAY, f.file)))].sort();
    expect(changed).toEqual(safe);
    expectReparses(copy, changed);
    for (const f of walk(copy)) expect(statSync(path.join(copy, f)).mode).toBe(statSync(path.join(OVERLAY, f)).mode);

    const after = await run('lint', copy, '--format', 'json');
    const left = parseJson(after.stdout);
    expect(left.filter((f) => f.fixable === 'safe')).toEqual([]);
    for (const f of left) expect([null, 'unsafe']).toContain(f.fixable);
    // What --fix printed is what a plain lint sees afterwards.
    expect(after.stdout).toBe(fixed.stdout);
    // Unsafe fixes are still offered, and nothing that had no fix disappeared.
    expect(left.some((f) => f.fixable === 'unsafe')).toBe(true);
    const unfixable = (fs: JsonFinding[]) =>
      fs.filter((f) => f.fixable === null).map((f) => `${relTo(copy, f.file)}:${f.ruleId}`);
    expect(unfixable(left)).toEqual(
      expect.arrayContaining(
        before.filter((f) => f.fixable === null).map((f) => `${relTo(OVERLAY, f.file)}:${f.ruleId}`),
      ),
    );

    const hash = treeHash(copy);
    const again = await run('lint', copy, '--fix', '--format', 'json');
    expect(again.stderr).toBe('');
    expect(treeHash(copy)).toBe(hash);
  });

  test('--fix --unsafe: no fixable finding is left, every fixed file re-parses', async () => {
    const copy = tmpCopy('unsafe');
    const fixed = await run('lint', copy, '--fix', '--unsafe', '--format', 'json');
    expect(fixed.stderr).toMatch(/^fixed \d+ problems\n$/);
    const changed = changedFiles(copy);
    const fixable = [...new Set(before.filter((f) => f.fixable !== null).map((f) => relTo(OVERLAY, f.file)))].sort();
    expect(changed).toEqual(fixable);
    expectReparses(copy, changed);
    const left = parseJson((await run('lint', copy, '--format', 'json')).stdout);
    expect(left.filter((f) => f.fixable !== null)).toEqual([]);
    // The unsafe fixes did what they say: the empty conf.d assignments are gone.
    expect(readFileSync(path.join(copy, 'net-misc/memcached/files/memcached.confd'), 'utf8')).not.toMatch(
      /^(output|error)_log=/m,
    );
  });
});

describe("each check's documented example", () => {
  const metas: [string, CheckMeta][] = ALL_META.map((m) => [m.id, m]);
  test('UNKNOWN_RULE is part of ALL_META', () => {
    expect(ALL_META).toContain(UNKNOWN_RULE);
  });
  test.each(metas)('%s: the bad example fires, the good one does not', (id, meta) => {
    const mode = (bad: boolean) => (id === 'not-executable' ? (bad ? 0o644 : 0o755) : undefined);
    const bad = lintFile({ initdPath: 'x.initd', initdText: meta.docs.example.bad, mode: mode(true) });
    const good = lintFile({ initdPath: 'x.initd', initdText: meta.docs.example.good, mode: mode(false) });
    expect(bad.filter((f) => f.ruleId === id).length).toBeGreaterThan(0);
    expect(good.filter((f) => f.ruleId === id)).toEqual([]);
    // A check documented as fixable offers that fix on its own example.
    if (meta.fixable !== 'none')
      expect(bad.filter((f) => f.ruleId === id).some((f) => f.fix?.safety === meta.fixable)).toBe(true);
  });
});

describe('suppression directives', () => {
  const script = [
    '#!/sbin/openrc-run',
    'command=/usr/sbin/foo',
    'command_args="-f"',
    '',
    'start() {',
    '\tstart-stop-daemon --start --exec /usr/sbin/foo',
    '}',
    '',
    'stop() {',
    '\tstart-stop-daemon --stop --exec /usr/sbin/foo',
    '}',
    '',
  ].join('\n');
  const ids = (text: string) =>
    lintFile({ initdPath: 'foo.initd', initdText: text }).map((f) => `${f.line}:${f.ruleId}`);

  test('without a directive: one finding for the script, at the first custom function', () => {
    expect(ids(script)).toEqual(['5:custom-start']);
  });

  test('on the line before a statement: that statement only', () => {
    expect(ids(script.replace('stop() {', '# rc-supervise disable=custom-start\nstop() {'))).toEqual([
      '5:custom-start',
    ]);
    expect(ids(script.replace('start() {', '# rc-supervise disable=custom-start\nstart() {'))).toEqual([]);
  });

  test('at the end of the line itself', () => {
    expect(ids(script.replace('start() {', 'start() { # rc-supervise disable=custom-start'))).toEqual([]);
  });

  test('two lines before: no effect', () => {
    expect(ids(script.replace('start() {', '# rc-supervise disable=custom-start\n\nstart() {'))).toEqual([
      '7:custom-start',
    ]);
  });

  test('before the first statement: the whole file; lists of ids work', () => {
    const t = script.replace(
      '#!/sbin/openrc-run\n',
      '#!/sbin/openrc-run\n# rc-supervise disable=bashism,custom-start\n',
    );
    expect(ids(t)).toEqual([]);
  });

  test('an unknown id is reported where it is written and suppresses nothing', () => {
    const t = script.replace('stop() {', '# rc-supervise disable=custom-stop\nstop() {');
    expect(ids(t)).toEqual(['5:custom-start', '9:unknown-rule-id']);
  });

  test('a directive in conf.d covers findings in conf.d', () => {
    const confd = '# rc-supervise disable=empty-option-var\noutput_log=""\nerror_log=""\n';
    const r = lintFile({
      initdPath: 'foo.initd',
      initdText: '#!/sbin/openrc-run\ncommand=/usr/sbin/foo\n',
      confdPath: 'foo.confd',
      confdText: confd,
    });
    expect(r).toEqual([]);
  });
});

describe('.rc-supervise.json', () => {
  const initd = [
    '#!/sbin/openrc-run',
    'supervisor=supervise-daemon',
    'command=/usr/sbin/foo',
    'command_args_foreground="--foreground"',
    'notify="fd:3"',
    'output_logger="logger -t foo"',
    'start_pre() {',
    '\t[[ -d /run/foo ]] || mkdir /run/foo',
    '}',
    '',
  ].join('\n');

  function project(config: object | null): string {
    const dir = tempDir('config');
    mkdirSync(path.join(dir, 'app-misc/foo/files'), { recursive: true });
    writeFileSync(path.join(dir, 'app-misc/foo/files/foo.initd'), initd);
    if (config) writeFileSync(path.join(dir, '.rc-supervise.json'), JSON.stringify(config, null, 2));
    return dir;
  }
  const summary = (fs: JsonFinding[]) => fs.map((f) => `${f.ruleId}:${f.severity}:${f.line}`);

  test('without a config: defaults', async () => {
    const r = await run('lint', project(null), '--format', 'json');
    expect(summary(parseJson(r.stdout))).toEqual([
      'supervisor-hardcoded:info:2',
      'openrc-version:warning:5',
      'openrc-version:warning:6',
      'bashism:warning:8',
    ]);
  });

  test('disable, severity (including off), openrcVersion, and unknown ids reported against the config', async () => {
    const dir = project({
      disable: ['bashism', 'no-such-rule'],
      severity: { 'supervisor-hardcoded': 'error', 'custom-start': 'off', 'openrc-versoin': 'info' },
      openrcVersion: '0.51',
    });
    const r = await run('lint', dir, '--format', 'json');
    expect(r.code).toBe(1);
    const fs = parseJson(r.stdout);
    expect(summary(fs)).toEqual([
      'unknown-rule-id:warning:1',
      'unknown-rule-id:warning:1',
      'supervisor-hardcoded:error:2',
      'openrc-version:warning:5',
    ]);
    expect(fs.filter((f) => f.ruleId === 'unknown-rule-id').map((f) => [path.basename(f.file), f.message])).toEqual([
      ['.rc-supervise.json', "unknown rule id 'no-such-rule' in the config"],
      ['.rc-supervise.json', "unknown rule id 'openrc-versoin' in the config"],
    ]);
    // The target comes from the config: notify (0.62) is reported, output_logger (0.51) is not.
    expect(fs.find((f) => f.ruleId === 'openrc-version')?.message).toMatch(
      /^notify needs OpenRC 0\.62\.0\+; the target is 0\.51\.0/,
    );
  });

  test('--openrc-version wins over the config; severity off silences a rule', async () => {
    const dir = project({ openrcVersion: '0.40', severity: { 'supervisor-hardcoded': 'off', bashism: 'off' } });
    const r = await run('lint', dir, '--format', 'json', '--openrc-version', '0.62');
    expect(summary(parseJson(r.stdout))).toEqual([]);
    expect(r.code).toBe(0);
  });

  test('the config is found from a sub-directory given on the command line', async () => {
    const dir = project({ disable: ['bashism', 'openrc-version', 'supervisor-hardcoded'] });
    const r = await run('lint', path.join(dir, 'app-misc/foo'), '--format', 'gcc');
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});

/**
 * Known check bugs, written as the behaviour we want. `test.failing` passes while the bug
 * is there; once a check is fixed, jest reports the test and it becomes a plain `test`.
 */
describe('fixed check bugs (regression tests)', () => {
  test('custom-start: a one-shot service (start(), no command) has nothing to supervise', () => {
    const text = readFileSync(path.join(OVERLAY, 'sys-apps/hdparm/files/hdparm.initd'), 'utf8').replace(
      /^# rc-supervise disable=custom-start\n/m,
      '',
    );
    expect(lintFile({ initdPath: 'hdparm.initd', initdText: text }).map((f) => f.ruleId)).toEqual([]);
  });

  test("no-foreground: a daemon whose rule says it never forks (foreground: '') is fine", () => {
    const text =
      '#!/sbin/openrc-run\nsupervisor=${supervisor:-supervise-daemon}\ncommand=/usr/sbin/avahi-daemon\ncommand_args="-s"\n';
    expect(lintFile({ initdPath: 'avahi-daemon.initd', initdText: text }).map((f) => f.ruleId)).toEqual([]);
  });

  test('a `foo.initd-r1` file (found by discover) is the service foo', () => {
    const text = '#!/sbin/openrc-run\ncommand=/usr/sbin/foo\ncommand_background=yes\nreload() {\n\t:\n}\n';
    const [f] = lintFile({ initdPath: 'foo.initd-r1', initdText: text });
    expect(f.message).toContain('rc-service foo reload');
  });
});
