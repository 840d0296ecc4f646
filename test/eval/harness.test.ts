/**
 * `npm run eval`: the checks on hand-made migrations (each violation kind must fire, a
 * correct migration must not), the simple daemon classifier, and one run over our own
 * tiny tree (test/eval/tree: an ebuild repository of five packages, one script duplicated).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkMigration, ssdOnlyOptions } from '../../src/eval/check.js';
import { launchesDaemon } from '../../src/eval/classify.js';
import { lintTable, lintTree } from '../../src/eval/lint.js';
import { sample, sampleText, summarize, table } from '../../src/eval/report.js';
import { collectServices } from '../../src/eval/collect.js';
import { evaluate, evidenceOf } from '../../src/eval/run.js';

const TREE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'tree');

const BEFORE = `#!/sbin/openrc-run
command=/usr/bin/tickd
command_args="--pidfile /run/tickd.pid"
pidfile=/run/tickd.pid
extra_started_commands="reload"
reload() {
	ebegin "Reloading"
	start-stop-daemon --signal HUP --pidfile "$pidfile"
	eend $?
}
`;
/** A correct migration of BEFORE (the daemon stays in the foreground with -f, say). */
const GOOD = `#!/sbin/openrc-run
supervisor=supervise-daemon
command=/usr/bin/tickd
command_args=""
command_args_background="--pidfile /run/tickd.pid"
command_args_foreground="-f"
pidfile=/run/tickd.pid
extra_started_commands="reload"
reload() {
	ebegin "Reloading"
	\${supervisor} \${RC_SVCNAME} --signal HUP
	eend $?
}
`;

const kinds = async (after: string, before = BEFORE, confd: string | null = null) =>
  (await checkMigration('tickd', { initd: before, confd: null }, { initd: after, confd })).violations.map(
    (v) => v.kind,
  );

describe('checks on a migrated service, with OpenRC shell code', () => {
  test('a correct migration has no violation', async () => {
    const r = await checkMigration('tickd', { initd: BEFORE, confd: null }, { initd: GOOD, confd: null });
    expect(r.violations).toEqual([]);
    expect(r.unverified).toBeUndefined();
    expect(r.superviseArgv).toEqual(
      expect.arrayContaining(['supervise-daemon', 'tickd', '--start', '--pidfile', '/run/tickd.pid', '--', '-f']),
    );
  });
  test('start-stop-daemon-only options reaching supervise-daemon', async () => {
    expect(await kinds(GOOD.replace('pidfile=/run', 'start_stop_daemon_args="--wait 1000"\npidfile=/run'))).toEqual([
      'ssd-option',
    ]);
    expect(ssdOnlyOptions(['--user', 'x', '-bm', '--make-pidfile', '--chdir', '/', '-N', '5'])).toEqual([
      '-bm',
      '--make-pidfile',
    ]);
  });
  test("the daemon told to write the supervisor's pid file", async () => {
    expect(await kinds(GOOD.replace('command_args=""', 'command_args="--pidfile=/run/tickd.pid"'))).toEqual([
      'pidfile-shared',
    ]);
  });
  test('a signal that reaches the supervisor: start-stop-daemon --signal, kill $(cat pidfile)', async () => {
    const ssd = GOOD.replace(
      '${supervisor} ${RC_SVCNAME} --signal HUP',
      'start-stop-daemon --signal HUP --pidfile "$pidfile"',
    );
    expect(await kinds(ssd)).toEqual(['signal-to-supervisor']);
    const kill = GOOD.replace('${supervisor} ${RC_SVCNAME} --signal HUP', 'kill -HUP $(cat "${pidfile}")');
    expect(await kinds(kill)).toEqual(['signal-to-supervisor']);
  });
  test('the result does not parse', async () => {
    expect(await kinds(GOOD.replace('\teend $?\n}', '\teend $?\n'))).toEqual(['syntax']);
  });
  test('a custom start() still launching the daemon', async () => {
    const custom = GOOD + 'start() {\n\tstart-stop-daemon --start --exec /usr/bin/tickd\n}\n';
    expect(await kinds(custom)).toEqual(['start-not-supervised']);
  });
  test('OpenRC refuses start-stop-daemon: command_background with command_args_background', async () => {
    const both = GOOD.replace('command_args_foreground="-f"', 'command_background=yes');
    expect(await kinds(both)).toEqual(['ssd-backend-broken']);
    // Also where the original start fails in the sandbox for its own reason (uredir's start_post()
    // runs pgrep, which finds nothing there): OpenRC's refusal is the migration's alone.
    const post = 'start_post() {\n\tfalse\n}\n';
    const guarded = 'start_post() {\n\tif [ "${supervisor}" != supervise-daemon ]; then false; fi\n}\n';
    expect(await kinds(both + guarded, BEFORE + post)).toEqual(['ssd-backend-broken']);
    expect(await kinds(GOOD + guarded, BEFORE + post)).toEqual([]);
  });
  test('a start_pre() made from the old start() that fails in the sandbox is for review, not a violation', async () => {
    const before =
      BEFORE + 'start() {\n\ttouch /var/log/tickd/none.log\n\tstart-stop-daemon --start --exec /usr/bin/tickd\n}\n';
    const after = GOOD + 'start_pre() {\n\ttouch /var/log/tickd/none.log\n}\n';
    const r = await checkMigration('tickd', { initd: before, confd: null }, { initd: after, confd: null });
    expect(r.violations).toEqual([]);
    expect(r.review?.map((v) => v.kind)).toEqual(['start-pre-fails']);
  });
  // open-vm-tools: start_pre() runs `inside_vmware || exit 0`; without the hardware start
  // succeeds having launched nothing, the same before and after.
  const NO_HW = 'start_pre() {\n\t[ -e /dev/no-such-device ] || exit 0\n}\n';
  test('start that launches nothing before and after (exit 0 in start_pre) is unverified, not a violation', async () => {
    const r = await checkMigration(
      'tickd',
      { initd: BEFORE + NO_HW, confd: null },
      { initd: GOOD + NO_HW, confd: null },
    );
    expect(r.violations).toEqual([]);
    expect(r.unverified).toMatch(/launches nothing in the sandbox, before or after/);
  });
  test('start that launches nothing only after the migration is still a violation', async () => {
    expect(await kinds(GOOD + NO_HW)).toEqual(['start-not-supervised']);
  });
  test('start_pre() failing before and after (no config in the sandbox) is unverified, not a violation', async () => {
    const pre = 'start_pre() {\n\t[ -e /etc/tickd/none.conf ] || { eerror "no config"; return 1; }\n}\n';
    const r = await checkMigration('tickd', { initd: BEFORE + pre, confd: null }, { initd: GOOD + pre, confd: null });
    expect(r.violations).toEqual([]);
    expect(r.unverified).toMatch(/no config/);
  });
});

describe('the harness classifier: launches a daemon', () => {
  test.each([
    ['command=/usr/bin/x', true],
    ['command=""', false],
    ['# command=/usr/bin/x', false],
    ['start() { start-stop-daemon --start --exec /usr/bin/x; }', true],
    ['start() { modprobe x; }', false],
    // a start() of its own: command is only a name (shorewall, pdnsd-ctl, sntp)
    ['command=/usr/sbin/fw\nstart() {\n\t${command} start\n}', false],
    ['command=/usr/bin/x\nstart() {\n\tdefault_start\n}', true],
    // sssd: a start() inside an if (baselayout-1 only) is not the one that runs
    ['command=/usr/bin/x\nif [ "${RC_VERSION:-0}" = "0" ]; then\n\tstart() {\n\t\treturn 1\n\t}\nfi', true],
    ['command=/usr/sbin/x\nstart() {\n\tx\n}\nstop() {\n\tstart-stop-daemon --stop --exec /usr/sbin/x\n}', true],
    // run directly, no start-stop-daemon: what stop() always kills, start() left running
    // (sendmail's kill `head -n 1 pidfile`, portsentry's and vtund's killall, irda's pkill -f)
    ['start() {\n\t/usr/sbin/x ${X_OPTS} > /dev/null 2>&1\n}\nstop() {\n\tkill `head -n 1 /run/x.pid`\n}', true],
    ['start() {\n\tfor m in $MODES; do\n\t\t/usr/bin/x -$m\n\tdone\n}\nstop() {\n\tkillall x\n}', true],
    ['start() {\n\t/usr/sbin/x /dev/ttyS1\n}\nstop() {\n\t/usr/bin/pkill -f "^/usr/sbin/x "\n\treturn 0\n}', true],
    // a kill only under a condition (openib's leftover helper) or kill -0 is no daemon of its own
    ['start() {\n\tmodprobe x\n}\nstop() {\n\tif [ -n "$P" ]; then\n\t\tkill -9 $P\n\tfi\n}', false],
    ['start() {\n\tmodprobe x\n}\nstop() {\n\tkill -0 $P && rmmod x\n}', false],
    // shorewall: start() and stop() run the tool, which finishes
    ['command=/sbin/fw\nstart() {\n\t${command} start\n}\nstop() {\n\t${command} stop\n}', false],
  ])('%s → %s', (text, yes) => expect(launchesDaemon(`#!/sbin/openrc-run\n${text}\n`, null)).toBe(yes));
  test('conf.d counts', () => expect(launchesDaemon('#!/sbin/openrc-run\n', 'command=/usr/bin/x\n')).toBe(true));
});

// The temporary roots get Gentoo's var/db/pkg entry of the ebuild that installs each script,
// the oldest when several do (a version-dependent fact is never taken from a newer package).
// zapd-relay.initd is named by no install line (as nfs-utils' loop over `${f}.initd`): it is
// still this package's file, so the package's ebuilds stand for it. zapd.initd-r0, an older
// version of a script the ebuilds install, came with an ebuild that is gone: no version.
test('each script carries the oldest ebuild that installs it, for the package database of its root', () => {
  const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), 'versions-repo');
  const got = collectServices(repo)
    .map((s) => [s.sources[0].initd.split('/').pop(), s.installedBy])
    .sort();
  expect(got).toEqual([
    ['zapd-r1.initd', { category: 'net-analyzer', pf: 'zapd-10.0' }],
    ['zapd-relay.initd', { category: 'net-analyzer', pf: 'zapd-2.2.23' }],
    ['zapd.initd', { category: 'net-analyzer', pf: 'zapd-2.2.23' }],
    ['zapd.initd-r0', undefined],
  ]);
  // --installed newest: the ebuild emerge would install today.
  expect(
    collectServices(repo, 'newest')
      .map((s) => [s.sources[0].initd.split('/').pop(), s.installedBy])
      .sort(),
  ).toEqual([
    ['zapd-r1.initd', { category: 'net-analyzer', pf: 'zapd-10.0' }],
    ['zapd-relay.initd', { category: 'net-analyzer', pf: 'zapd-10.0' }],
    ['zapd.initd', { category: 'net-analyzer', pf: 'zapd-6.0.22-r1' }],
    ['zapd.initd-r0', undefined],
  ]);
});

describe('report helpers', () => {
  test('evidence from migrate --json: an object, a list, or none', () => {
    const o = { service: 'x', status: 'would-migrate' as const };
    expect(evidenceOf({ ...o, evidence: { kind: 'unit', detail: 'x.service' } })).toEqual({
      kind: 'unit',
      detail: 'x.service',
    });
    expect(evidenceOf({ ...o, evidence: [{ kind: 'rule', detail: 'a' }, { kind: 'script' }] }).kind).toBe(
      'rule+script',
    );
    expect(evidenceOf(o)).toEqual({ kind: 'unknown', detail: null });
  });
  test('a seeded sample is the same every time, and a different seed draws differently', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    expect(sample(items, 5, 7)).toEqual(sample(items, 5, 7));
    expect(sample(items, 5, 7)).not.toEqual(sample(items, 5, 8));
    expect(new Set(sample(items, 50, 3)).size).toBe(50);
  });
});

describe('npm run eval on our own tiny tree', () => {
  test('every service once, each with the status migrate gives it, and no violation', async () => {
    const recs = await evaluate(TREE, { jobs: 2 });
    const by = Object.fromEntries(recs.map((r) => [r.name, r]));
    expect(Object.keys(by).sort()).toEqual(['broken', 'fgd', 'oneshot', 'super']);
    // the same fgd.initd in two packages is one service with two sources
    expect(by.fgd.sources.map((s) => s.initd).sort()).toEqual([
      'app-misc/fgd-compat/files/fgd.initd',
      'app-misc/fgd/files/fgd.initd',
    ]);
    expect(by.fgd.status).toBe('migrated');
    expect(by.fgd.violations).toEqual([]);
    expect(by.fgd.diff).toContain('supervise-daemon');
    // What migrate told the user beside the diff is in the record, for whoever judges it.
    expect(by.fgd.notes).toEqual([expect.stringContaining('the supervisor keeps its pid in /run/supervise-')]);
    expect(by.fgd.warnings).toEqual([]);
    expect(by.super.status).toBe('already');
    expect(by.oneshot).toMatchObject({ status: 'refused', launchesDaemon: false });
    expect(by.broken).toMatchObject({ status: 'error', code: 'exit-3' });
    expect(summarize(recs)).toMatchObject({
      services: 4,
      already: 1,
      oneShot: 1,
      daemons: 2,
      migratedDaemons: 1,
      internal: 0,
    });
    expect(table(recs, 't')).toContain('Headline: 1 of 2 services');
  });
  test('--lint: every finding with its file, line and context', async () => {
    const { records } = await lintTree(TREE);
    expect(records.length).toBeGreaterThan(0);
    const syntax = records.find((r) => r.file === 'app-misc/broken/files/broken.initd' && r.ruleId === 'syntax-error');
    expect(syntax).toBeDefined();
    expect(syntax!.context.find((l) => l.startsWith('>'))).toMatch(/^>\s+\d+\| /);
    expect(lintTable(records, 't')).toContain('| syntax-error |');
  });
});

// gentoo-mirror/ROKO__ has a package directory at its top (cachyos-sources/files): in a folder
// holding it beside other repositories and roots, that looked like <category>/<package>/files,
// and the whole folder was read as one repository (the roots beside it were never collected).
test('a folder of repositories and roots is several inputs, even when one repository has a package at its top', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rcs-several-'));
  try {
    const put = (rel: string, text: string, mode = 0o644) => {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), text, { mode });
    };
    const script = (d: string) => `#!/sbin/openrc-run\ncommand=/usr/sbin/${d}\n`;
    put('odd/profiles/repo_name', 'odd\n');
    put('odd/stray-pkg/files/keep.patch', '--- a\n');
    put('odd/net-misc/food/files/food.initd', script('food'), 0o755);
    put('odd/net-misc/food/food-1.0.ebuild', 'newinitd "${FILESDIR}"/food.initd food\n');
    put('sysroot/etc/init.d/bard', script('bard'), 0o755);
    const names = collectServices(dir)
      .map((s) => s.names[0])
      .sort();
    expect(names).toEqual(['bard', 'food']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the review sample shows what migrate told the user: warnings and notes beside the diff', () => {
  const text = sampleText(
    [
      {
        id: 'x',
        name: 'foo',
        names: ['foo'],
        sources: [{ initd: 'files/foo.initd', confd: null, via: 'ebuild', nameFrom: 'ebuild' }],
        status: 'migrated',
        code: null,
        reason: null,
        evidence: 'rule',
        evidenceDetail: 'rule foo: -n',
        route: 'init.d',
        launchesDaemon: true,
        violations: [],
        review: [],
        unverified: null,
        diff: '--- a\n+++ b\n',
        notes: ['what SSD_OPTS holds reaches start-stop-daemon only'],
        warnings: ['foo logs to stdout'],
      },
    ],
    1,
    1,
  );
  expect(text).toContain('warning: foo logs to stdout\n');
  expect(text).toContain('note: what SSD_OPTS holds reaches start-stop-daemon only\n');
});

// A package whose init script has "cron" in its file name (a small cron daemon's
// `tockcron-2-initd`): the script is the service, not a cron job of it, and neither are its
// patches, units or PAM file; a real job beside it (`tockcron.crond`) still is one.
test("a package's own init.d and conf.d files are not taken for its cron jobs", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rcs-cronjobs-'));
  try {
    const put = (rel: string, text: string) => {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), text);
    };
    put(
      'sys-process/tockcron/files/tockcron-2-initd',
      '#!/sbin/openrc-run\ncommand=/usr/bin/tockd\npidfile=/run/tockd.pid\n',
    );
    put('sys-process/tockcron/files/tockcron-2-confd', 'TOCK_OPTS=""\n');
    put('sys-process/tockcron/files/tockcron.crond', 'kill -HUP $(cat /run/tockd.pid)\n');
    // A patch, a unit and a PAM file with cron in their names are no jobs either.
    put('sys-process/tockcron/files/tockcron-2-systemd.patch', '-pidfile=/run/tockd.pid\n');
    put('sys-process/tockcron/files/tockcron.service', 'PIDFile=/run/tockd.pid\n');
    put('sys-process/tockcron/files/tockcron-2-pamd', 'auth required pam_unix.so\n');
    // ... but a job whose name merely holds the letters (spamassassin's) is one.
    put('sys-process/tockcron/files/spamtock.cron', 'kill -HUP $(cat /run/tockd.pid)\n');
    put(
      'sys-process/tockcron/tockcron-2.ebuild',
      'newinitd "${FILESDIR}/${PN}-2-initd" ${PN}\nnewconfd "${FILESDIR}/${PN}-2-confd" ${PN}\n',
    );
    const [s] = collectServices(dir);
    expect(s.names).toEqual(['tockcron']);
    expect((s.cron ?? []).map((c) => c.name)).toEqual(['spamtock.cron', 'tockcron.crond']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// dhcp's ebuild: `sed -i "s:#@slapd@:$(usex ldap slapd ''):" "${ED}"/etc/init.d/*` after its
// newinitd lines; dbus's: `sed -e "s;@rundir@;..." files/dbus.initd.in > "${T}"/dbus.initd`.
test('a script the ebuild fills in with sed is written as installed: one variant per value a USE flag chooses', () => {
  const repo = mkdtempSync(path.join(os.tmpdir(), 'rcs-fill-'));
  try {
    const pkg = path.join(repo, 'net-misc/zapd');
    mkdirSync(path.join(pkg, 'files'), { recursive: true });
    writeFileSync(
      path.join(pkg, 'zapd-1.0.ebuild'),
      [
        'src_install() {',
        '\tnewinitd "${FILESDIR}"/zapd.init5 zapd',
        '\tnewinitd "${FILESDIR}"/zaprelay.init zaprelay',
        '\tcp "${FILESDIR}"/zapctl.initd "${T}"/zapctl || die',
        '\tsed -i -e "s:@rundir@:/run:g" "${T}"/zapctl || die',
        '\tdoinitd "${T}"/zapctl',
        '\tsed -i "s:#@slapd@:$(usex ldap slapd \'\'):" "${ED}"/etc/init.d/* || die',
        '}',
      ].join('\n'),
    );
    const script = (deps: string) => `#!/sbin/openrc-run\ncommand=/usr/sbin/zapd\ndepend() {\n\t${deps}\n}\n`;
    writeFileSync(path.join(pkg, 'files/zapd.init5'), script('use logger #@slapd@'));
    writeFileSync(path.join(pkg, 'files/zaprelay.init'), script('use logger'));
    writeFileSync(path.join(pkg, 'files/zapctl.initd'), script('need net') + 'pidfile=@rundir@/zapctl.pid\n');
    const got = collectServices(repo).map((s) => ({
      name: s.name,
      initd: s.initd,
      nameFrom: s.sources[0].nameFrom,
      filled: s.sources[0].filled,
    }));
    expect(got).toEqual([
      {
        name: 'zapctl',
        initd: script('need net') + 'pidfile=/run/zapctl.pid\n',
        nameFrom: 'ebuild',
        filled: [{ from: '@rundir@', to: '/run' }],
      },
      // the empty value sorts first (by id)
      ...[
        { to: 'slapd', initd: script('use logger slapd') },
        { to: '', initd: script('use logger ') },
      ]
        .map((v) => ({
          name: 'zapd',
          initd: v.initd,
          nameFrom: 'ebuild-partial',
          filled: [{ from: '#@slapd@', to: v.to }],
        }))
        .sort((a, b) => (collectId(a.initd) < collectId(b.initd) ? -1 : 1)),
      // the words are not in this script: nothing to fill, one script
      { name: 'zaprelay', initd: script('use logger'), nameFrom: 'ebuild', filled: undefined },
    ]);
    const note = collectServices(repo).find((s) => s.name === 'zapd')!.sources[0].nameNote;
    expect(note).toMatch(/fills in #@slapd@ with "slapd" or "" \(a USE flag chooses\)/);
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
});

/** collect.ts's id of a script without conf.d (the order of variants of one name). */
function collectId(initd: string): string {
  return createHash('sha256').update(initd).update('\0conf.d\0').update('\0none').digest('hex').slice(0, 16);
}
