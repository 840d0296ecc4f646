/**
 * The custom start()/stop() conversions judged against real OpenRC: the fixture as written
 * (init.d.in) and as migrated (init.d.out, with supervisor= removed, which must keep working on
 * start-stop-daemon) run through Debian's real openrc-run.sh (recording stand-ins for
 * start-stop-daemon, supervise-daemon and the programs named below), and must do the same: the
 * same start-stop-daemon calls and other programs in the same order, the same exit status, on
 * success and on the failure each conversion is about. With supervisor= kept, the same steps
 * run around supervise-daemon.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES } from './helpers/fixtures.js';
import { recordActions, type ActionRecord } from './helpers/openrc-cmdline.js';

const fixture = (dir: string, file: string) => readFileSync(path.join(FIXTURES, 'generic', dir, file), 'utf8');
/** The migrated script as it reads when the user removes the supervisor= line again. */
const withoutSupervisor = (text: string) => {
  const out = text.replace(/^supervisor="supervise-daemon"\n/m, '');
  expect(out).not.toBe(text);
  return out;
};

/** Options that take a value (the ones these fixtures use); --quiet only silences messages. */
const VALUED = new Set([
  ...['--pidfile', '--exec', '--retry', '--startas', '--name', '--user', '--chuid'],
  ...['--chdir', '--stdout', '--stderr', '--env'],
]);

/** A call, with start-stop-daemon's options as a sorted set of `option value` (their order does not matter to it). */
function shape(argv: string[], drop: string[] = []): string[] {
  if (argv[0] !== 'start-stop-daemon') return argv;
  const sep = argv.indexOf('--');
  const opts = sep < 0 ? argv.slice(1) : argv.slice(1, sep);
  const pairs: string[] = [];
  for (let i = 0; i < opts.length; i++) {
    if (opts[i] === '--quiet') continue;
    // --chuid falls through to --user in OpenRC's start-stop-daemon (0.45.2's ssd_start writes --chuid).
    const o = opts[i] === '--chuid' ? '--user' : opts[i];
    pairs.push(VALUED.has(o) ? `${o} ${opts[++i]}` : o);
  }
  return [
    'start-stop-daemon',
    ...pairs.filter((p) => !drop.includes(p)).sort(),
    // A `--` with nothing after it passes nothing to the daemon (OpenRC's own start always writes one).
    ...(sep < 0 || sep === argv.length - 1 ? [] : ['--', ...argv.slice(sep + 1)]),
  ];
}

const calls = (r: ActionRecord, drop: string[] = []) => r.calls.map((c) => shape(c, drop));

async function both(
  svc: string,
  dir: string,
  opts: { confd?: string; actions: string[]; intercept?: string[]; standIns?: Record<string, string> },
  edit: (t: string) => string = (t) => t,
) {
  const run = (initd: string) => recordActions({ svc, initd, ...opts });
  const migrated = edit(fixture(dir, 'init.d.out'));
  return {
    before: await run(edit(fixture(dir, 'init.d.in'))),
    after: await run(withoutSupervisor(migrated)),
    supervised: await run(migrated),
  };
}

describe('custom status() that reads nothing of the daemon (generic/custom-start-status-report)', () => {
  test('start, status and stop do the same; status is still the script’s own', async () => {
    const { before, after, supervised } = await both('meshlinkd', 'custom-start-status-report', {
      actions: ['start', 'status', 'stop'],
      intercept: ['modprobe', 'meshlink-info'],
    });
    expect(before.map((r) => r.code)).toEqual([0, 0, 0]);
    expect(after.map((r) => r.code)).toEqual([0, 0, 0]);
    expect(calls(after[0])).toEqual(calls(before[0]));
    expect(calls(before[1])).toEqual([['meshlink-info', '--peers']]);
    expect(calls(after[1])).toEqual(calls(before[1]));
    expect(supervised[1].calls).toEqual(before[1].calls);
    expect(calls(after[2])).toEqual(calls(before[2]));
    expect(supervised[0].calls.map((c) => c[0])).toEqual(['modprobe', 'supervise-daemon']);
  });
});

describe('`checkconfig && start-stop-daemon …` (generic/custom-start-checked-launch)', () => {
  const confd = (config: string) => `RELAYD_CONFIG="${config}"\nRELAYD_PIDFILE="/run/relayd.pid"\n`;

  test('the configuration there: the same launch', async () => {
    const { before, after, supervised } = await both('relayd', 'custom-start-checked-launch', {
      confd: confd('/etc/passwd'),
      actions: ['start'],
    });
    expect(before[0].code).toBe(0);
    expect(after[0].code).toBe(0);
    expect(calls(after[0])).toEqual(calls(before[0]));
    expect(calls(before[0])).toEqual([
      [
        'start-stop-daemon',
        '--background',
        '--exec /usr/sbin/relayd',
        '--make-pidfile',
        '--pidfile /run/relayd.pid',
        '--start',
        '--',
        '-f',
        '/etc/passwd',
      ],
    ]);
    expect(supervised[0].code).toBe(0);
    expect(supervised[0].calls.map((c) => c[0])).toEqual(['supervise-daemon']);
  });

  test('the configuration missing: the start fails with the same status, and nothing is launched', async () => {
    const { before, after, supervised } = await both('relayd', 'custom-start-checked-launch', {
      confd: confd('/nonexistent/relayd.conf'),
      actions: ['start'],
    });
    expect(before[0].code).toBe(1);
    expect(before[0].calls).toEqual([]);
    for (const r of [after[0], supervised[0]]) {
      expect(r.code).toBe(before[0].code);
      expect(r.calls).toEqual([]);
    }
  });
});

describe('a pid file named ${VAR:-default} (generic/custom-start-pidfile-default)', () => {
  test.each([
    ['conf.d names none: the default', undefined, '/run/meshscand.pid'],
    ['conf.d names one', 'MESHSCAND_PIDFILE=/run/meshscand/other.pid\n', '/run/meshscand/other.pid'],
  ])('%s: start and stop use the same file', async (_what, confd, file) => {
    const { before, after } = await both('meshscand', 'custom-start-pidfile-default', {
      confd,
      actions: ['start', 'stop'],
      intercept: ['modprobe', 'rmmod'],
    });
    expect(calls(before[0])).toEqual([
      ['modprobe', 'meshscan_core'],
      [
        'start-stop-daemon',
        '--background',
        '--exec /usr/sbin/meshscand',
        '--make-pidfile',
        `--pidfile ${file}`,
        '--start',
        '--',
        '--rescan',
        '60',
      ],
    ]);
    expect(calls(after[0])).toEqual(calls(before[0]));
    // OpenRC's own stop also names the program it started (--exec): that only narrows the match.
    expect(calls(after[1], ['--exec /usr/sbin/meshscand'])).toEqual(calls(before[1]));
    expect(calls(before[1])).toEqual([['start-stop-daemon', `--pidfile ${file}`, '--stop']]);
  });
});

describe("the script's own start_pre() beside start()'s steps (generic/custom-start-own-start-pre)", () => {
  // The fixture's start_pre() runs checkpath (a no-op stand-in here): a program of our own in
  // its place shows when it runs, and what its failure does.
  const prep = (t: string) => {
    const out = t.replace('\tcheckpath -d -m 0775 -o root:uucp ${rundir}\n', '\tpowerwatch-prep "${rundir}"\n');
    expect(out).not.toBe(t);
    return out;
  };
  const prepExits = (code: number) => ({
    'powerwatch-prep': `#!/bin/sh\n. "$RC_RECORD_BIN/.record"\nrecord_call powerwatch-prep "$@"\nexit ${code}\n`,
  });

  test('it runs first, then start()’s steps, then the launch', async () => {
    const { before, after, supervised } = await both(
      'powerwatchd',
      'custom-start-own-start-pre',
      { actions: ['start'], intercept: ['rm'], standIns: prepExits(0) },
      prep,
    );
    expect(before[0].code).toBe(0);
    expect(calls(before[0]).map((c) => c[0])).toEqual(['powerwatch-prep', 'rm', 'start-stop-daemon']);
    expect(after[0].code).toBe(0);
    expect(calls(after[0])).toEqual(calls(before[0]));
    expect(supervised[0].calls.map((c) => c[0])).toEqual(['powerwatch-prep', 'rm', 'supervise-daemon']);
  });

  test('its failure ends the start with its status, before start()’s steps', async () => {
    const { before, after, supervised } = await both(
      'powerwatchd',
      'custom-start-own-start-pre',
      { actions: ['start'], intercept: ['rm'], standIns: prepExits(3) },
      prep,
    );
    expect(before[0].code).toBe(3);
    expect(calls(before[0])).toEqual([['powerwatch-prep', '/run/powerwatchd']]);
    for (const r of [after[0], supervised[0]]) {
      expect(r.code).toBe(3);
      expect(r.calls).toEqual(before[0].calls);
    }
  });
});

describe('options whose values a function sets (generic/custom-start-deferred-options)', () => {
  // checkconfig() names the log file, start() the home: output_log, error_log, directory and
  // start_stop_daemon_args read them in OpenRC's eval, after start_pre() has run both.
  const confd = (home?: string) => `GARDEND_USER="garden"\n${home === undefined ? '' : `GARDEND_HOME="${home}"\n`}`;
  const launch = (home: string) => [
    'start-stop-daemon',
    '--background',
    `--chdir ${home}`,
    `--env GARDEN_ROOT=${home}`,
    '--exec /usr/sbin/gardend',
    '--make-pidfile',
    '--pidfile /run/gardend.pid',
    '--start',
    '--stderr /var/log/gardend/gardend.log',
    '--stdout /var/log/gardend/gardend.log',
    '--user garden',
    '--',
    '--beds',
    `${home}/beds`,
  ];

  test.each([
    ['the default home', undefined, '/var/lib/gardend'],
    // One word with a blank, as the launch's quotes gave it: the eval reads the quotes back.
    ['a home with a blank in its name', '/srv/my garden', '/srv/my garden'],
  ])('%s: the same start-stop-daemon call; supervise-daemon gets the same values', async (_what, home, dir) => {
    const { before, after, supervised } = await both('gardend', 'custom-start-deferred-options', {
      confd: confd(home),
      actions: ['start', 'stop'],
    });
    expect(before.map((r) => r.code)).toEqual([0, 0]);
    expect(calls(before[0])).toEqual([launch(dir)]);
    expect(after.map((r) => r.code)).toEqual([0, 0]);
    expect(calls(after[0])).toEqual(calls(before[0]));
    // OpenRC's own stop also names the program it started (--exec): that only narrows the match.
    expect(calls(after[1], ['--exec /usr/sbin/gardend'])).toEqual(calls(before[1]));
    expect(supervised[0].code).toBe(0);
    const argv = supervised[0].calls[0];
    expect(argv[0]).toBe('supervise-daemon');
    const at = (o: string) => argv[argv.indexOf(o) + 1];
    expect([at('--chdir'), at('--stdout'), at('--stderr'), at('--env'), at('--user')]).toEqual([
      dir,
      '/var/log/gardend/gardend.log',
      '/var/log/gardend/gardend.log',
      `GARDEN_ROOT=${dir}`,
      'garden',
    ]);
    expect(argv.slice(argv.indexOf('--') - 1)).toEqual(['/usr/sbin/gardend', '--', '--beds', `${dir}/beds`]);
  });

  test('checkconfig() failing: the start fails with the same status, and nothing is launched', async () => {
    const { before, after, supervised } = await both('gardend', 'custom-start-deferred-options', {
      confd: '',
      actions: ['start'],
    });
    expect(before[0].code).toBe(1);
    expect(before[0].calls).toEqual([]);
    for (const r of [after[0], supervised[0]]) {
      expect(r.code).toBe(1);
      expect(r.calls).toEqual([]);
    }
  });
});
