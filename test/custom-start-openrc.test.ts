/**
 * The custom start()/stop() conversions judged against real OpenRC: the fixture as written
 * (init.d.in) and as migrated (init.d.out, with supervisor= removed, which must keep working on
 * start-stop-daemon) run through Debian's real openrc-run.sh (recording stand-ins for
 * start-stop-daemon, supervise-daemon and the programs named below), and must do the same: the
 * same start-stop-daemon calls and other programs in the same order, the same exit status, on
 * success and on the failure each conversion is about. With supervisor= kept, the same steps
 * run around supervise-daemon.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
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
  ...['--chdir', '--stdout', '--stderr', '--env', '--wait', '--umask'],
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
    // -e is --env's short form (start-stop-daemon.c's longopts), which OpenRC's own start never writes.
    const o = opts[i] === '--chuid' ? '--user' : opts[i] === '-e' ? '--env' : opts[i];
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

describe('an option given only when its variable is set (generic/custom-start-conditional-umask)', () => {
  // Modelled on deluged: `${SEEDD_UMASK:+--umask ${SEEDD_UMASK}}` beside `-e HOME="${SEEDD_USER_HOME}"`,
  // kept as written in start_stop_daemon_args, which supervise-daemon gets too (no
  // supervise_daemon_args): both evals give --umask only when SEEDD_UMASK is set.
  test.each([
    ['set', 'SEEDD_UMASK="0002"\n', ['--umask 0002']],
    ['unset', '', []],
  ])(
    'SEEDD_UMASK %s: the same start-stop-daemon call; supervise-daemon gets the same options',
    async (_what, umask, given) => {
      const { before, after, supervised } = await both('seedd', 'custom-start-conditional-umask', {
        confd: `SEEDD_USER="seed:seed"\n${umask}SEEDD_OPTS="-p 4000"\n`,
        actions: ['start'],
      });
      expect(before[0].code).toBe(0);
      expect(calls(before[0])).toEqual([
        [
          'start-stop-daemon',
          ...[
            '--background',
            '--env HOME=/var/lib/seedd',
            '--exec /usr/bin/seedd',
            '--make-pidfile',
            '--name seedd',
            '--pidfile /run/seedd.pid',
            '--start',
            ...given,
            '--user seed',
          ].sort(),
          '--',
          '--no-fork',
          '-p',
          '4000',
        ],
      ]);
      expect(after[0].code).toBe(0);
      expect(calls(after[0])).toEqual(calls(before[0]));
      expect(supervised[0].code).toBe(0);
      const argv = supervised[0].calls[0];
      expect(argv[0]).toBe('supervise-daemon');
      const at = (o: string) => (argv.includes(o) ? argv[argv.indexOf(o) + 1] : undefined);
      expect([at('--env'), at('--user'), at('--umask')]).toEqual([
        'HOME=/var/lib/seedd',
        'seed',
        given.length ? '0002' : undefined,
      ]);
      expect(argv.slice(argv.indexOf('--') - 1)).toEqual(['/usr/bin/seedd', '--', '--no-fork', '-p', '4000']);
    },
  );
});

/**
 * A directory of the test's own for a pid file the shell itself writes (a redirection), and
 * `here`, which points the script's assignment `from` into it (`to` gets the directory).
 */
function pidDir(from: string, to: (dir: string) => string) {
  const t = {
    dir: '',
    here: (script: string) => {
      const out = script.replace(from, to(t.dir));
      expect(out).not.toBe(script);
      return out;
    },
  };
  beforeAll(async () => {
    t.dir = await mkdtemp(path.join(os.tmpdir(), 'rcs-pgrep-'));
  });
  afterAll(async () => {
    await rm(t.dir, { recursive: true, force: true });
  });
  return t;
}

describe('start_post() writing the pid file from pgrep (generic/pgrep-pidfile)', () => {
  // The fixture's pid file is /run/portfwd.pid: the shell itself writes it (the redirection), so
  // the runs point it at a directory of their own. pgrep is a stand-in that prints a pid.
  const tmp = pidDir('pidfile="/run/${RC_SVCNAME}.pid"', (dir) => `pidfile="${dir}/\${RC_SVCNAME}.pid"`);
  const here = tmp.here;
  const pgrep = (code: number) => ({
    pgrep: `#!/bin/sh\n. "$RC_RECORD_BIN/.record"\nrecord_call pgrep "$@"\necho 4242\nexit ${code}\n`,
  });
  const pidfile = () => path.join(tmp.dir, 'portfwd.pid');
  const confd = fixture('pgrep-pidfile', 'conf.d.in');

  test('under start-stop-daemon the line runs as before; under supervise-daemon it does not, and start succeeds', async () => {
    const run = (initd: string) =>
      recordActions({ svc: 'portfwd', initd, confd, actions: ['start'], standIns: pgrep(0) });
    const migrated = here(fixture('pgrep-pidfile', 'init.d.out'));
    const before = await run(here(fixture('pgrep-pidfile', 'init.d.in')));
    expect(before[0].code).toBe(0);
    expect(calls(before[0])).toEqual([
      [
        'start-stop-daemon',
        '--background',
        '--exec /usr/bin/portfwd',
        '--make-pidfile',
        `--pidfile ${pidfile()}`,
        '--start',
        '--',
        '-l',
        'notice',
        '-t',
        '30',
      ],
      ['pgrep', '-n', 'portfwd'],
    ]);
    expect(readFileSync(pidfile(), 'utf8')).toBe('4242\n');
    await rm(pidfile());
    const after = await run(withoutSupervisor(migrated));
    expect(after[0].code).toBe(0);
    expect(calls(after[0])).toEqual(calls(before[0]));
    expect(readFileSync(pidfile(), 'utf8')).toBe('4242\n');
    await rm(pidfile());
    const supervised = await run(migrated);
    expect(supervised[0].code).toBe(0);
    expect(supervised[0].calls.map((c) => c[0])).toEqual(['supervise-daemon']);
    // The supervisor keeps its own pid file; the script's path is written by nobody.
    expect(supervised[0].calls[0]).toContain('/run/supervise-portfwd.pid');
    expect(existsSync(pidfile())).toBe(false);
  });

  test('pgrep failing fails start_post() under start-stop-daemon, as before; supervise-daemon does not run it', async () => {
    const run = (initd: string) =>
      recordActions({ svc: 'portfwd', initd, confd, actions: ['start'], standIns: pgrep(1) });
    const migrated = here(fixture('pgrep-pidfile', 'init.d.out'));
    const before = await run(here(fixture('pgrep-pidfile', 'init.d.in')));
    const after = await run(withoutSupervisor(migrated));
    const supervised = await run(migrated);
    expect(before[0].code).not.toBe(0);
    expect(after[0].code).toBe(before[0].code);
    expect(calls(after[0])).toEqual(calls(before[0]));
    expect(supervised[0].code).toBe(0);
    expect(supervised[0].calls.map((c) => c[0])).toEqual(['supervise-daemon']);
  });
});

describe('a converted start()/stop() beside start_post()’s pgrep line (generic/custom-start-pgrep-pidfile)', () => {
  const tmp = pidDir('FEEDD_PID="/run/feedd.pid"', (dir) => `FEEDD_PID="${dir}/feedd.pid"`);
  const here = tmp.here;
  const standIns = {
    pgrep: `#!/bin/sh\n. "$RC_RECORD_BIN/.record"\nrecord_call pgrep "$@"\necho 4242\n`,
  };
  const pidfile = () => path.join(tmp.dir, 'feedd.pid');

  test('start and stop: under start-stop-daemon the same calls, pgrep and rm -f included; under supervise-daemon pgrep does not run', async () => {
    const { before, after, supervised } = await both(
      'feedd',
      'custom-start-pgrep-pidfile',
      {
        confd: fixture('custom-start-pgrep-pidfile', 'conf.d.in'),
        actions: ['start', 'stop'],
        intercept: ['rm'],
        standIns,
      },
      here,
    );
    for (const r of [before, after, supervised]) expect(r.map((x) => x.code)).toEqual([0, 0]);
    expect(calls(before[0])).toEqual([
      [
        'start-stop-daemon',
        '--exec /usr/bin/feedd',
        '--make-pidfile',
        `--pidfile ${pidfile()}`,
        '--start',
        '--',
        '-v',
        '1',
        '-c',
        '/etc/feedd.conf',
      ],
      ['pgrep', '-n', 'feedd'],
    ]);
    // Without --background, start-stop-daemon's --make-pidfile wrote the first process's pid,
    // which pgrep overwrote once it had forked: the converted launch goes without it.
    expect(calls(after[0])).toEqual(calls(before[0], ['--make-pidfile']));
    expect(calls(before[1])).toEqual([
      ['start-stop-daemon', `--pidfile ${pidfile()}`, '--stop'],
      ['rm', '-f', pidfile()],
    ]);
    // OpenRC's own stop also names the program (--exec): it stops the same process, if it is feedd.
    expect(calls(after[1], ['--exec /usr/bin/feedd'])).toEqual(calls(before[1]));
    expect(supervised[0].calls.map((c) => c[0])).toEqual(['supervise-daemon']);
    expect(supervised[0].calls[0]).toContain('/run/supervise-feedd.pid');
    expect(supervised[1].calls).toEqual([
      ['supervise-daemon', 'feedd', '--stop', '--pidfile', '/run/supervise-feedd.pid'],
      ['rm', '-f', pidfile()],
    ]);
  });
});

describe('start() runs the daemon directly, and it forks by itself (generic/custom-start-direct-*)', () => {
  // The daemon's path is not on this machine: the script as written runs a recording stand-in
  // of that name found on PATH instead (the migrated one only names it to start-stop-daemon or
  // supervise-daemon, which record it). What forks by itself returns from a plain run as from
  // start-stop-daemon --start without --background: the same launch.
  const onPath = (t: string, bin: string) => {
    const out = t.split(`/usr/sbin/${bin} `).join(`${bin} `);
    expect(out).not.toBe(t);
    return out;
  };
  const runAll = async (svc: string, dir: string, initdIn: string, confd: string) => {
    const run = (initd: string) =>
      recordActions({ svc, initd, confd, actions: ['start', 'stop'], intercept: [svc, 'rm'] });
    const migrated = fixture(dir, 'init.d.out');
    return {
      before: await run(initdIn),
      after: await run(withoutSupervisor(migrated)),
      supervised: await run(migrated),
    };
  };

  test('by its own default pid file: start-stop-daemon runs the same launch and stops the same process', async () => {
    const dir = 'custom-start-direct-pidfile';
    const { before, after, supervised } = await runAll(
      'incrond',
      dir,
      onPath(fixture(dir, 'init.d.in'), 'incrond'),
      'INCROND_OPTS="-f /etc/incron.conf"\n',
    );
    for (const r of [...before, ...after, ...supervised]) expect(r.code).toBe(0);
    expect(calls(before[0])).toEqual([['incrond', '-f', '/etc/incron.conf']]);
    // The same program and words, handed to start-stop-daemon with nothing that backgrounds it.
    expect(calls(after[0])).toEqual([
      [
        'start-stop-daemon',
        '--exec /usr/sbin/incrond',
        '--pidfile /var/run/incrond.pid',
        '--start',
        '--',
        '-f',
        '/etc/incron.conf',
      ],
    ]);
    // The same stop (OpenRC's own also names the program: that only narrows the match), then the same clean-up.
    expect(calls(before[1])).toEqual([
      ['start-stop-daemon', '--pidfile /var/run/incrond.pid', '--stop'],
      ['rm', '-f', '/var/run/incrond.pid'],
    ]);
    expect(calls(after[1], ['--exec /usr/sbin/incrond'])).toEqual(calls(before[1]));
    // Under the supervisor: its own pid file, the no-fork word, and the clean-up after the stop.
    const sd = supervised[0].calls[0];
    expect(sd[0]).toBe('supervise-daemon');
    expect(sd.slice(sd.indexOf('--') + 1)).toEqual(['-f', '/etc/incron.conf', '--foreground']);
    expect(sd).toContain('--pidfile');
    expect(sd[sd.indexOf('--pidfile') + 1]).toBe('/run/supervise-incrond.pid');
    expect(supervised[1].calls.map((c) => c[0])).toEqual(['supervise-daemon', 'rm']);
  });

  test('by the same program and the pid file the launch names', async () => {
    const dir = 'custom-start-direct-exec';
    const initd = fixture(dir, 'init.d.in').replace('certmonger_bin=/usr/sbin/certmonger', 'certmonger_bin=certmonger');
    const { before, after, supervised } = await runAll('certmonger', dir, initd, 'CERTMONGER_OPTS="-d 2"\n');
    for (const r of [...before, ...after, ...supervised]) expect(r.code).toBe(0);
    expect(calls(before[0])).toEqual([['certmonger', '-S', '-p', '/run/certmonger.pid', '-d', '2']]);
    // The pid file flag now follows the script's own words (the flags step moves it to
    // command_args_background, which start-stop-daemon still passes): the same set of words.
    const a = calls(after[0])[0];
    expect(a.slice(0, a.indexOf('--'))).toEqual([
      'start-stop-daemon',
      '--exec /usr/sbin/certmonger',
      '--pidfile /run/certmonger.pid',
      '--start',
    ]);
    expect(a.slice(a.indexOf('--') + 1)).toEqual(['-S', '-d', '2', '-p', '/run/certmonger.pid']);
    expect(calls(before[1])).toEqual([
      ['start-stop-daemon', '--exec certmonger', '--pidfile /run/certmonger.pid', '--stop'],
    ]);
    expect(calls(after[1])).toEqual([
      ['start-stop-daemon', '--exec /usr/sbin/certmonger', '--pidfile /run/certmonger.pid', '--stop'],
    ]);
    const sd = supervised[0].calls[0];
    expect(sd[0]).toBe('supervise-daemon');
    expect(sd.slice(sd.indexOf('--') + 1)).toEqual(['-S', '-d', '2', '-n']);
  });
});

// OpenRC's start-stop-daemon starts when told neither --start, --stop nor --signal
// (docs/openrc.md §2): fem-overlay's acme-dns and gortr launch that way.
describe('start() runs start-stop-daemon with no --start (generic/custom-start-no-mode)', () => {
  test('the same launch, now built by OpenRC; stop and the supervised start work', async () => {
    const { before, after, supervised } = await both('rtrcache', 'custom-start-no-mode', {
      confd: 'RTRCACHE_OPTS="-refresh 600"\n',
      actions: ['start', 'stop'],
    });
    for (const r of [...before, ...after, ...supervised]) expect(r.code).toBe(0);
    // The words as written: short options and no mode word; the recording stand-in ran it.
    expect(before[0].calls).toEqual([
      [
        'start-stop-daemon',
        '-x',
        '/usr/bin/rtrcache',
        '-p',
        '/run/rtrcache.pid',
        '-b',
        '-m',
        '--',
        '-bind',
        ':8282',
        '-refresh',
        '600',
      ],
    ]);
    expect(calls(after[0])).toEqual([
      [
        'start-stop-daemon',
        '--background',
        '--exec /usr/bin/rtrcache',
        '--make-pidfile',
        '--pidfile /run/rtrcache.pid',
        '--start',
        '--',
        '-bind',
        ':8282',
        '-refresh',
        '600',
      ],
    ]);
    expect(calls(after[1])).toEqual([
      ['start-stop-daemon', '--exec /usr/bin/rtrcache', '--pidfile /run/rtrcache.pid', '--stop'],
    ]);
    const sd = supervised[0].calls[0];
    expect(sd.slice(0, 3)).toEqual(['supervise-daemon', 'rtrcache', '--start']);
    expect(sd.slice(sd.indexOf('--') - 1)).toEqual(['/usr/bin/rtrcache', '--', '-bind', ':8282', '-refresh', '600']);
  });
});

// sabnzbd, sldd, ufdb: start-stop-daemon --wait failed the start when the daemon died at once.
describe('start() waits with --wait (generic/custom-start-wait)', () => {
  test('start-stop-daemon still gets --wait 500; supervise-daemon does not (it would reject it)', async () => {
    const confd = fixture('custom-start-wait', 'conf.d.in');
    const { before, after, supervised } = await both('relayd', 'custom-start-wait', {
      confd,
      actions: ['start', 'stop'],
    });
    for (const r of [...before, ...after, ...supervised]) expect(r.code).toBe(0);
    expect(calls(after[0])).toEqual(calls(before[0]));
    expect(calls(before[0])[0]).toContain('--wait 500');
    // OpenRC's own stop: the pid file, and the program too.
    expect(calls(after[1])).toEqual([
      ['start-stop-daemon', '--exec /usr/bin/relayd', '--pidfile /run/relayd.pid', '--stop'],
    ]);
    const sd = supervised[0].calls[0];
    expect(sd.slice(0, 3)).toEqual(['supervise-daemon', 'relayd', '--start']);
    expect(sd).not.toContain('--wait');
    expect(sd.slice(sd.indexOf('--') - 1)).toEqual(['/usr/bin/relayd', '--', '--upstream', 'udp://239.0.0.1:5000']);
  });
});

// igmpproxy and hostapd: command_args ends in an operand, and OpenRC appends the no-fork word
// (or the moved flags) after command_args, where musl's getopt() stops reading options.
describe('the last word of command_args moved behind the words OpenRC appends (generic/operand-last-*)', () => {
  test('igmpproxy: -n before the configuration file under the supervisor; start-stop-daemon gets the same words', async () => {
    const confd = fixture('operand-last-command-args', 'conf.d.in');
    // The sandbox has no /etc/igmpproxy.conf: start_pre()'s test of it is taken out.
    const { before, after, supervised } = await both(
      'igmpproxy',
      'operand-last-command-args',
      { confd, actions: ['start'] },
      (t) => t.replace('[ ! -f "${config}" ]', 'false'),
    );
    for (const r of [...before, ...after, ...supervised]) expect(r.code).toBe(0);
    expect(calls(after[0])).toEqual(calls(before[0]));
    expect(before[0].calls[0].slice(-2)).toEqual(['--', '/etc/igmpproxy.conf']);
    const sd = supervised[0].calls[0];
    expect(sd.slice(sd.indexOf('--'))).toEqual(['--', '-n', '/etc/igmpproxy.conf']);
  });

  test('hostapd: -P and -B before the configuration files under start-stop-daemon, as before the migration', async () => {
    const confd = fixture('operand-last-moved-flags', 'conf.d.in').replace(
      'CONFIGS="/etc/hostapd/hostapd.conf"',
      'CONFIGS="/etc/hostapd/wlan0.conf /etc/hostapd/wlan1.conf"',
    );
    const { before, after, supervised } = await both('hostapd', 'operand-last-moved-flags', {
      confd,
      actions: ['start'],
    });
    const words = ['-P', '/run/hostapd.pid', '-B', '/etc/hostapd/wlan0.conf', '/etc/hostapd/wlan1.conf'];
    expect(calls(before[0])[0].slice(-6)).toEqual(['--', ...words]);
    expect(calls(after[0])).toEqual(calls(before[0]));
    const sd = supervised[0].calls[0];
    expect(sd.slice(sd.indexOf('--'))).toEqual(['--', '/etc/hostapd/wlan0.conf', '/etc/hostapd/wlan1.conf']);
  });
});

// watchdog's `--retry $(get_delay)`: supervise-daemon is given its stop schedule when it starts
// the daemon (supervise_start's --retry; supervise_stop passes none), start-stop-daemon when it
// stops it (ssd_stop's --retry), each read from the retry that start_pre()/stop_pre() set.
describe('a --retry computed by a function of the script (generic/custom-stop-computed-retry)', () => {
  test.each([
    ['conf.d sets the interval', 'TICKD_INTERVAL=7\n', '7'],
    ['the default', undefined, '10'],
  ])('%s: the same schedule under both backends', async (_what, confd, delay) => {
    const { before, after, supervised } = await both('tickd', 'custom-stop-computed-retry', {
      confd,
      actions: ['start', 'stop'],
    });
    expect(before.map((r) => r.code)).toEqual([0, 0]);
    expect(calls(before[1])).toEqual([
      ['start-stop-daemon', '--exec /usr/sbin/tickd', '--pidfile /run/tickd.pid', `--retry ${delay}`, '--stop'],
    ]);
    expect(after.map((r) => r.code)).toEqual([0, 0]);
    expect(calls(after[0])).toEqual(calls(before[0]));
    expect(calls(after[1])).toEqual(calls(before[1]));
    expect(supervised.map((r) => r.code)).toEqual([0, 0]);
    const start = supervised[0].calls.find((c) => c[0] === 'supervise-daemon')!;
    expect(start.slice(0, 3)).toEqual(['supervise-daemon', 'tickd', '--start']);
    expect(start[start.indexOf('--retry') + 1]).toBe(delay);
    expect(supervised[1].calls.map((c) => c.slice(0, 3))).toEqual([['supervise-daemon', 'tickd', '--stop']]);
  });
});

// logstash's stop(): `if [ "${KILL_ON_STOP_TIMEOUT}" = "1" ]; then … --retry=TERM/5/KILL/5; else …;
// fi`. The same test at the top of the script sets retry, which supervise-daemon reads at start
// and start-stop-daemon at stop.
describe('a stop schedule chosen by a setting (generic/custom-stop-retry-choice)', () => {
  test.each([
    ['the setting on', 'QUEUED_FORCE_STOP=1\n', ['--retry TERM/5/KILL/5']],
    ['the setting off', 'QUEUED_FORCE_STOP=0\n', []],
    ['no conf.d', undefined, []],
  ])('%s: the same stop under both backends', async (_what, confd, retry) => {
    const { before, after, supervised } = await both('queued', 'custom-stop-retry-choice', {
      confd,
      actions: ['start', 'stop'],
    });
    expect(before.map((r) => r.code)).toEqual([0, 0]);
    // The script writes --pidfile=FILE, OpenRC --pidfile FILE: the same option to start-stop-daemon.
    const split = (r: ActionRecord): ActionRecord => ({
      ...r,
      calls: r.calls.map((c) => c.flatMap((w) => (/^--(pidfile|retry)=/.test(w) ? w.split(/=(.*)/s, 2) : [w]))),
    });
    expect(calls(split(before[1]))).toEqual([['start-stop-daemon', '--pidfile /run/queued.pid', ...retry, '--stop']]);
    expect(after.map((r) => r.code)).toEqual([0, 0]);
    // OpenRC's own stop also names the program it started (--exec): that only narrows the match.
    expect(calls(after[1], ['--exec /usr/sbin/queued'])).toEqual(calls(split(before[1])));
    expect(supervised.map((r) => r.code)).toEqual([0, 0]);
    const start = supervised[0].calls.find((c) => c[0] === 'supervise-daemon')!;
    if (retry.length) expect(start[start.indexOf('--retry') + 1]).toBe('TERM/5/KILL/5');
    else expect(start).not.toContain('--retry');
  });
});

describe('start() and stop() under one condition with no else (generic/custom-start-guarded)', () => {
  test('the condition true: the same launch and stop, through the supervisor when it is set', async () => {
    const { before, after, supervised } = await both('mcstransd', 'custom-start-guarded', {
      actions: ['start', 'stop'],
    });
    expect(before.map((r) => r.code)).toEqual([0, 0]);
    expect(calls(before[0])).toEqual([['start-stop-daemon', '--exec /sbin/mcstransd', '--start']]);
    expect(after.map((r) => r.code)).toEqual([0, 0]);
    expect(calls(after[0])).toEqual(calls(before[0]));
    expect(supervised.map((r) => r.code)).toEqual([0, 0]);
    expect(supervised[0].calls.map((c) => c[0])).toEqual(['supervise-daemon']);
    expect(supervised[0].calls[0]).toEqual(expect.arrayContaining(['mcstransd', '--start', '/sbin/mcstransd', '-f']));
    expect(supervised[1].calls.map((c) => c[0])).toEqual(['supervise-daemon']);
    expect(supervised[1].calls[0]).toEqual(expect.arrayContaining(['mcstransd', '--stop']));
  });

  test('the condition false: start and stop succeed having run nothing, as before', async () => {
    const { before, after, supervised } = await both('mcstransd', 'custom-start-guarded', {
      confd: 'MCSTRANSD_ENABLE=no\n',
      actions: ['start', 'stop'],
    });
    for (const r of [before, after, supervised]) {
      expect(r.map((x) => x.code)).toEqual([0, 0]);
      expect(r.map((x) => x.calls)).toEqual([[], []]);
    }
  });
});
