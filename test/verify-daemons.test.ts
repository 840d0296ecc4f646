/**
 * The pure parts of scripts/verify-daemons: reading entries, apt-file / apt-cache output,
 * the verdict drawn from an observation, the report and the options. The real run (root,
 * network, minutes) is `npm run verify-daemons`, kept out of the normal suite.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fromRule, loadKnowledge, mergeEntries, olderThanEntry } from '../scripts/verify-daemons/entries.js';
import { choosePackage, parseAptFile, parseDepends, parseStanzas } from '../scripts/verify-daemons/packages.js';
import {
  excuse,
  parseArgs,
  renderJson,
  renderMarkdown,
  summary,
  verdict,
  type DaemonResult,
  type Observation,
} from '../scripts/verify-daemons/report.js';
import { RECIPES, recipeFor } from '../scripts/verify-daemons/recipes.js';
import { initScript, squeezeRepeats } from '../scripts/verify-daemons/run.js';
import { REPO_ROOT } from './helpers/openrc-cmdline.js';

const SCHEMA = path.join(REPO_ROOT, 'knowledge', 'schema.json');

describe('apt-file output', () => {
  const text = [
    'exim4-daemon-heavy: /usr/sbin/exim4',
    'exim4-daemon-light: /usr/sbin/exim4',
    'chrony: /usr/sbin/chronyd',
    'chrony: /usr/sbin/chronyd',
    'foo: /usr/bin/twice',
    'bar: /usr/sbin/twice',
    'iwd: /usr/libexec/iwd',
    'garbage line',
  ].join('\n');
  const m = parseAptFile(text);

  test('groups by basename, drops duplicates and noise', () => {
    expect(m.get('chronyd')).toEqual([{ pkg: 'chrony', file: '/usr/sbin/chronyd' }]);
    expect(m.get('exim4')).toHaveLength(2);
    expect([...m.keys()].sort()).toEqual(['chronyd', 'exim4', 'iwd', 'twice']);
  });

  test('the preference table settles a binary several packages ship', () => {
    expect(choosePackage('exim4', m.get('exim4')).pkg?.pkg).toBe('exim4-daemon-light');
  });

  test('one package: that one; none: why', () => {
    expect(choosePackage('chronyd', m.get('chronyd')).pkg).toEqual({ pkg: 'chrony', file: '/usr/sbin/chronyd' });
    expect(choosePackage('nope', undefined)).toEqual({ why: expect.stringContaining('no Debian package ships nope') });
  });

  test('two unrelated packages stay ambiguous', () => {
    expect(choosePackage('twice', m.get('twice'))).toEqual({ why: 'ambiguous: bar, foo ship twice' });
  });

  test('a namesake that is another program is not taken', () => {
    const r = choosePackage('diamond', [{ pkg: 'diamond-aligner', file: '/usr/bin/diamond' }]);
    expect(r.pkg).toBeUndefined();
    expect(r.why).toContain('aligner');
  });
});

describe('apt-cache fields', () => {
  test('Depends: alternatives, versions, architecture qualifiers', () => {
    expect(parseDepends('libc6 (>= 2.34), libfoo1 | libbar2 (<< 3), python3:any, perl:any (>= 5)')).toEqual([
      ['libc6'],
      ['libfoo1', 'libbar2'],
      ['python3'],
      ['perl'],
    ]);
    expect(parseDepends('')).toEqual([]);
    expect(parseDepends(undefined)).toEqual([]);
  });

  test('stanzas with continuation lines', () => {
    const st = parseStanzas(
      'Package: a\nVersion: 1.0-1\nDepends: x,\n y\nDescription: d\n more\n\nPackage: b\nVersion: 2\n',
    );
    expect(st.map((s) => [s.Package, s.Version])).toEqual([
      ['a', '1.0-1'],
      ['b', '2'],
    ]);
    expect(parseDepends(st[0].Depends)).toEqual([['x'], ['y']]);
  });
});

describe('entries', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'rcs-vd-kb-'));
    writeFileSync(
      path.join(dir, 'chronyd.json'),
      JSON.stringify({
        id: 'chronyd',
        binaries: ['chronyd'],
        foreground: '-n',
        ownPidfile: '/run/chrony/chronyd.pid',
        sources: { foreground: ['chronyd(8): -n, do not detach'] },
      }),
    );
    writeFileSync(path.join(dir, 'nosrc.json'), JSON.stringify({ id: 'nosrc', binaries: ['x'], sources: {} }));
    writeFileSync(
      path.join(dir, 'other.json'),
      JSON.stringify({ id: 'x', binaries: ['x'], sources: { foreground: ['man x(8) ...'] } }),
    );
    writeFileSync(path.join(dir, 'broken.json'), '{');
    writeFileSync(path.join(dir, 'README.md'), 'not an entry');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('valid entries are read; the rest are reported with why', () => {
    const r = loadKnowledge(dir, SCHEMA);
    expect(r.entries).toEqual([
      {
        id: 'chronyd',
        origin: 'kb:chronyd.json',
        binaries: ['chronyd'],
        services: [],
        foreground: '-n',
        ownPidfile: '/run/chrony/chronyd.pid',
        refuse: undefined,
      },
    ]);
    const why = Object.fromEntries(r.invalid.map((i) => [path.basename(i.file), i.why]));
    expect(Object.keys(why).sort()).toEqual(['broken.json', 'nosrc.json', 'other.json']);
    expect(why['broken.json']).toMatch(/^not JSON/);
    expect(why['nosrc.json']).toContain('must NOT have fewer than 1 properties');
    expect(why['other.json']).toBe('id "x" is not the file name');
  });

  test('a rule and a KB entry with the same id are both kept; a second KB copy is not', () => {
    const rule = fromRule({
      id: 'sshd',
      services: ['sshd'],
      daemons: ['sshd'],
      summary: '',
      route: 'init.d',
      foreground: '-D',
      sources: [],
    });
    const kb = { id: 'sshd', origin: 'kb:sshd.json', binaries: ['sshd'], services: [] };
    const out = mergeEntries([rule], [kb, { ...kb, origin: 'kb:sshd.json (b3)' }]);
    expect(out.map((e) => e.origin)).toEqual(['rule:sshd', 'kb:sshd.json']);
  });
});

function obs(over: Partial<Observation>): Observation {
  return {
    startCode: 0,
    startOutput: '',
    child: 101,
    supervisor: 100,
    stayed: true,
    childPids: [101],
    escaped: [],
    respawned: true,
    supervisorPidfile: '/run/x.pid',
    pidfileContent: '100\n',
    pidfilesWritten: [],
    leftAfterStop: [],
    stderrTail: '',
    stdoutTail: '',
    ...over,
  };
}

// vde2 2.3.2 (Debian 12) has no --nostdin, which the entry gives from 2.3.3 on: the run could
// only show what the entry already refuses, so it is counted as refused, not as died.
test("a Debian package older than the entry's foregroundSince is refused by the entry, not run", () => {
  const e = {
    id: 'vde_switch',
    origin: 'kb:vde_switch.json',
    binaries: ['vde_switch'],
    services: [],
    foreground: '--nostdin',
    foregroundSince: '2.3.3',
  };
  expect(olderThanEntry(e, '2.3.2+r586-7')).toBe(
    "Debian's 2.3.2+r586-7 is older than 2.3.3, from which vde_switch stays in the foreground with --nostdin: the entry refuses that version",
  );
  expect(olderThanEntry(e, '2.3.3-1')).toBeNull();
  expect(olderThanEntry(e, '1:2.4')).toBeNull();
  expect(olderThanEntry(e, '1:2.3.1')).toMatch(/^Debian's 1:2.3.1 is older than 2.3.3/);
  expect(olderThanEntry({ ...e, foreground: '' }, '2.0')).toMatch(/stays in the foreground by itself/);
  expect(olderThanEntry({ ...e, foregroundSince: undefined }, '2.0')).toBeNull();
  expect(olderThanEntry(e, undefined)).toBeNull();
});

describe('verdict', () => {
  test('stayed, respawned, pidfile intact: ok', () => {
    expect(verdict(obs({}), undefined)).toEqual({ status: 'ok', why: '' });
  });

  test('no child at all: not-started, with the start status', () => {
    const v = verdict(obs({ child: undefined, startCode: 1, stderrTail: 'bad config' }), undefined);
    expect(v.status).toBe('not-started');
    expect(v.why).toBe('no child under supervise-daemon (start exit 1); stderr: bad config');
  });

  test('no child seen but the daemon runs outside the supervisor: forked', () => {
    const v = verdict(obs({ child: undefined, stayed: false, escaped: ['7 "cron -n"'] }), undefined);
    expect(v).toEqual({ status: 'forked', why: 'no child stayed under the supervisor; 7 "cron -n" runs outside it' });
  });

  test('child gone and a process outside the supervisor: forked', () => {
    const v = verdict(obs({ stayed: false, escaped: ['205 "mydaemon -x"'], childPids: [101, 102] }), undefined);
    expect(v).toEqual({
      status: 'forked',
      why: 'the supervisor\'s child exited and left 205 "mydaemon -x" running outside the supervisor',
    });
  });

  test('child gone, nothing left: died, with stderr and the direct run', () => {
    const v = verdict(
      obs({
        stayed: false,
        childPids: [101, 102, 103],
        stderrTail: 'cannot bind',
        direct: { code: 1, output: 'cannot bind' },
      }),
      undefined,
    );
    expect(v.status).toBe('died');
    expect(v.why).toBe(
      'exited within the wait (children seen: 101, 102, 103); stderr: cannot bind; run directly: exit 1: cannot bind',
    );
  });

  test("died because it read the supervisor's pid from the pidfile: pidfile", () => {
    const v = verdict(
      obs({
        stayed: false,
        childPids: [101, 102],
        stderrTail: 'FATAL: Squid is already running: Found fresh instance PID file (/run/x.pid) with PID 100',
      }),
      undefined,
    );
    expect(v.status).toBe('pidfile');
    expect(v.why).toMatch(
      /^exited: it takes the supervisor's pidfile \/run\/x\.pid \(holding the supervisor, pid 100\)/,
    );
    // a usage text naming the default pid file is not it, nor a pid that contains the digits
    expect(verdict(obs({ stayed: false, stderrTail: 'usage: x [-p pidfile (/run/x.pid)]' }), undefined).status).toBe(
      'died',
    );
    expect(verdict(obs({ stayed: false, stderrTail: 'worker 1000 exited' }), undefined).status).toBe('died');
    expect(verdict(obs({ stayed: false, stderrTail: '2026/11/25 100: no config' }), undefined).status).toBe('died');
    expect(verdict(obs({ stayed: false, stderrTail: 'another instance is running at 100.' }), undefined).status).toBe(
      'pidfile',
    );
  });

  test("the supervisor's pidfile rewritten: pidfile", () => {
    const v = verdict(obs({ pidfileContent: '101\n' }), undefined);
    expect(v.status).toBe('pidfile');
    expect(v.why).toBe('the supervisor\'s pidfile /run/x.pid holds "101", not the supervisor (100)');
  });

  test('an own pid file is fine when declared (also via /var/run, or "*"), a failure when not', () => {
    const w = obs({ pidfilesWritten: [{ path: '/run/chrony/chronyd.pid', content: '101' }] });
    expect(verdict(w, '/var/run/chrony/chronyd.pid').status).toBe('ok');
    expect(verdict(w, '*').status).toBe('ok');
    expect(verdict(w, undefined)).toEqual({
      status: 'undeclared-pidfile',
      why: 'stayed in the foreground but wrote a pid file the entry does not declare (ownPidfile): /run/chrony/chronyd.pid',
    });
    expect(verdict(w, '/run/other.pid').status).toBe('undeclared-pidfile');
  });

  test('a daemon that died for want of hardware named by its recipe is not held against the entry', () => {
    const died = verdict(obs({ stayed: false, stderrTail: 'no /dev/softsynth' }), undefined);
    expect(excuse(died, 'the speakup soft synthesizer')).toEqual({
      status: 'cannot-run-here',
      why: 'needs the speakup soft synthesizer; exited within the wait (children seen: 101); stderr: no /dev/softsynth',
    });
    // a daemon that forked is still a failure, needs or not
    const forked = verdict(obs({ stayed: false, escaped: ['9 "x"'] }), undefined);
    expect(excuse(forked, 'a device').status).toBe('forked');
    expect(excuse(died, undefined).status).toBe('died');
  });

  test('no respawn after SIGKILL', () => {
    expect(verdict(obs({ respawned: false }), undefined).status).toBe('no-respawn');
  });
});

describe('report', () => {
  const results: DaemonResult[] = [
    { id: 'a', origin: 'rule:a', package: 'pa', version: '1.0', foreground: '-f', status: 'ok', why: '', obs: obs({}) },
    {
      id: 'b',
      origin: 'kb:b.json',
      package: 'pb',
      version: '2.0',
      foreground: '',
      command: '/usr/sbin/b -c x',
      status: 'died',
      why: 'exited within the wait; stderr: no config | at all',
      obs: obs({ stayed: false, respawned: undefined }),
    },
    { id: 'c', origin: 'kb:c.json', binary: 'c', status: 'not-in-debian', why: 'no Debian package ships c' },
  ];
  const rep = { date: '2026-01-01 00:00 UTC', debian: '12.11', openrc: '0.45.2', kbDirs: ['kb'], results, invalid: [] };

  test('summary counts', () => {
    expect(summary(results)).toEqual({ total: 3, ran: 2, ok: 1, died: 1, 'not-in-debian': 1 });
  });

  test('markdown: one row per daemon run, failures with their output, the rest listed', () => {
    const md = renderMarkdown(rep);
    expect(md).toContain('on 2026-01-01 00:00 UTC (Debian 12.11, OpenRC 0.45.2)');
    expect(md).toContain('| a (rule) | pa 1.0 | `-f` | yes | yes | yes | yes | – | ok |');
    expect(md).toContain('| b (kb) | pb 2.0 | `` | yes | no | – | yes | – | died |');
    expect(md).toContain('### b (kb:b.json): died');
    expect(md).toContain('- exited within the wait; stderr: no config \\| at all');
    expect(md).toContain('| c (kb) | c | not-in-debian: no Debian package ships c |');
    expect(md).toContain('**3 entries; 2 run under supervise-daemon: 1 ok, 0 forked, 1 died,');
  });

  test('a daemon that lacked hardware is listed apart, not among the failures', () => {
    const lacking: DaemonResult = {
      id: 'd',
      origin: 'kb:d.json',
      command: '/usr/sbin/d -f',
      status: 'cannot-run-here',
      why: 'needs a TPM; exited',
      obs: obs({ stayed: false }),
    };
    const md = renderMarkdown({ ...rep, results: [...results, lacking] });
    const failures = md.slice(md.indexOf('## Failures'), md.indexOf('## Exited for want'));
    expect(failures).toContain('### b (kb:b.json): died');
    expect(failures).not.toContain('### d');
    expect(md).toContain('- **d** (kb:d.json): `/usr/sbin/d -f`: needs a TPM; exited');
  });

  test('json carries the results and the summary', () => {
    const j = JSON.parse(renderJson(rep));
    expect(j.summary.ok).toBe(1);
    expect(j.results[1].obs.stayed).toBe(false);
  });
});

describe('options', () => {
  test('defaults', () => {
    expect(parseArgs([])).toEqual({
      kb: ['knowledge/daemons'],
      out: 'docs/verified-daemons',
      waitMs: 3000,
      noRules: false,
    });
  });
  test('--kb repeats, --only splits, = forms', () => {
    expect(
      parseArgs([
        '--kb',
        'a',
        '--kb=b',
        '--only',
        'x,y',
        '--wait=2000',
        '--no-rules',
        '--reuse',
        'r.json',
        '--fresh=a,b',
      ]),
    ).toEqual({
      kb: ['a', 'b'],
      only: ['x', 'y'],
      out: 'docs/verified-daemons',
      waitMs: 2000,
      noRules: true,
      reuse: 'r.json',
      fresh: ['a', 'b'],
    });
  });
  test('bad input is an error', () => {
    expect(() => parseArgs(['--wait', '50'])).toThrow('--wait takes milliseconds');
    expect(() => parseArgs(['--kb'])).toThrow('--kb needs a value');
    expect(() => parseArgs(['--frob'])).toThrow('unknown argument: --frob');
  });
});

describe('init script', () => {
  test('the supervisor runs command, args and foreground words; shell characters stay literal', () => {
    const t = initScript({
      svc: 'ngx',
      command: '/usr/sbin/nginx',
      args: '-c /tmp/x/nginx.conf',
      foreground: "-g 'daemon off;' $HOME",
      supervisorPidfile: '/run/ngx.pid',
      setup: '',
      tmp: '/tmp/x',
      layers: [],
      waitMs: 3000,
    });
    expect(t.split('\n')).toEqual([
      '#!/sbin/openrc-run',
      'description="verify-daemons: ngx"',
      'supervisor=supervise-daemon',
      'command="/usr/sbin/nginx"',
      'command_args="-c /tmp/x/nginx.conf"',
      'command_args_foreground="-g \'daemon off;\' \\$HOME"',
      'pidfile="/run/ngx.pid"',
      'output_log="/tmp/x/stdout.log"',
      'error_log="/tmp/x/stderr.log"',
      '',
    ]);
  });
});

describe('daemon output', () => {
  test('a respawned daemon repeating its error: each line once, with its count', () => {
    expect(squeezeRepeats('bind: in use\nretrying\nbind: in use\nretrying\n\nbind: in use\nfatal\n')).toBe(
      'bind: in use (x3)\nretrying (x2)\nfatal',
    );
  });
});

describe('recipes', () => {
  test('a recipe for one kind of entry (rule:cupsd) wins over the plain id', () => {
    expect(recipeFor('cupsd', 'rule')?.args).toContain('-f ');
    expect(recipeFor('cupsd', 'kb')?.args).not.toContain('-f ');
    expect(recipeFor('nginx', 'kb')).toBe(recipeFor('nginx'));
    expect(recipeFor('toString')).toBeUndefined();
  });

  // A recipe gives configuration, users and listen words; whether the daemon forks must come
  // from the entry's foreground words alone, or the run would verify words it did not test.
  test('no recipe passes a word its knowledge entry names as one that makes the daemon fork', () => {
    const dir = path.join(REPO_ROOT, 'knowledge', 'daemons');
    const byId = new Map<string, { daemonizeFlags?: { flag: string }[] }>(
      readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .map((f) => [f.slice(0, -'.json'.length), JSON.parse(readFileSync(path.join(dir, f), 'utf8'))]),
    );
    const seen: string[] = [];
    const clashes: string[] = [];
    for (const [key, r] of Object.entries(RECIPES)) {
      const e = byId.get(key.replace(/^(kb|rule):/, ''));
      if (!e || !r.args) continue;
      seen.push(key);
      const words = r.args.split(/\s+/);
      for (const { flag } of e.daemonizeFlags ?? [])
        if (words.some((w) => w === flag || w.startsWith(`${flag}=`))) clashes.push(`${key}: ${flag}`);
    }
    expect(seen.length).toBeGreaterThan(50);
    expect(clashes).toEqual([]);
  });
});
