/**
 * Issue 14: lint precise on real scripts. Our own minimal scripts, modelled on what real
 * overlays showed: what must not fire, what must fire at which severity, and what `--fix`
 * may and may not do. Fixes are checked with OpenRC's own shell code (openrc-run.sh 0.45.2
 * with recording stand-ins): start-stop-daemon's argv is unchanged, supervise-daemon gets no
 * start-stop-daemon-only option.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseVersion } from '../../src/lint/check.js';
import { unclosedOpener } from '../../src/lint/checks/syntax-error.js';
import { discover } from '../../src/lint/discover.js';
import { fixFile, lintFile } from '../../src/lint/lint.js';
import { initParser } from '../../src/parse/parser.js';
import { confirmSyntax, shellCheckSyntax, templateWords } from '../../src/parse/syntax-check.js';
import { describeWithTree } from '../e2e/harness.js';
import { run } from '../helpers/cli.js';
import { REPO } from '../helpers/fixtures.js';
import { recordActions } from '../helpers/openrc-cmdline.js';

beforeAll(() => initParser());

const lint = (initd: string, confd?: string) =>
  lintFile({ initdPath: 'foo.initd', initdText: initd, confdPath: confd ? 'foo.confd' : null, confdText: confd });
const ids = (initd: string, confd?: string) => lint(initd, confd).map((f) => `${f.ruleId}:${f.severity}`);

describe('syntax: a real shell decides (src/parse/syntax-check.ts)', () => {
  // Each of these is valid sh that tree-sitter-bash 0.25.1 (the newest on npm) cannot parse.
  const misparsed = [
    'case " $L " in\n\t*" $i "*) ;;\n\t*) L="$L $i" ;;\nesac\n',
    'description="Foo${X:+ (${X})}"\n',
    '[ "$a" \\< "$b" ] && echo x\n',
  ];
  test.each(misparsed)('grammar error, dash accepts: no syntax-error (%#)', (body) => {
    const text = `#!/sbin/openrc-run\n${body}`;
    expect(confirmSyntax(text, '/sbin/openrc-run').verdict).toBe('ok');
    expect(ids(text).filter((i) => i.startsWith('syntax-error'))).toEqual([]);
  });

  test('a real error is an error, where the shell says', () => {
    const f = lint('#!/sbin/openrc-run\nstart_pre() {\n\tif true; then\n\t\t:\n}\n');
    expect(f.map((x) => `${x.ruleId}:${x.severity}:${x.line}`)).toEqual(['syntax-error:error:5']);
    expect(f[0].message).toMatch(/^dash -n: Syntax error/);
  });

  test('dash rejects, bash accepts: bash-only, not an error', () => {
    // (tree-sitter-bash parses these, so lint reports them as bashisms; confirmSyntax is what
    // a grammar error is checked with.)
    const text = '#!/sbin/openrc-run\nstart_pre() {\n\tlocal a=(1 2)\n\tfor ((i = 0; i < 2; i++)); do :; done\n}\n';
    expect(confirmSyntax(text, '/sbin/openrc-run').verdict).toBe('bash-only');
    expect(confirmSyntax('#!/sbin/openrc-run\nif true; then\n', '/sbin/openrc-run').verdict).toBe('error');
    expect(shellCheckSyntax(text, 'dash')?.ok).toBe(false);
    expect(shellCheckSyntax(text, 'bash')?.ok).toBe(true);
  });

  test('a parse error does not switch off the other checks (outside the broken region)', () => {
    const text =
      '#!/sbin/openrc-run\nsupervisor=supervise-daemon\ncommand=/usr/sbin/foo\ncommand_args_foreground=-f\n' +
      'start_stop_daemon_args="--wait 1000"\ndescription="Foo${X:+ (${X})}"\n';
    expect(ids(text)).toContain('ssd-args-fallback:error');
    // ... but no fix is offered for a file the grammar did not fully understand.
    expect(lint(text).every((f) => !f.fix)).toBe(true);
  });

  // freshclam's entry keeps -p (it writes that file in the foreground too). A migration keeps a
  // `-p ${pidfile}` expanded above its own supervisor pid file line; a script that conf.d
  // switches to supervise-daemon has no such line, so there it names the supervisor's file.
  test('command-args-pidfile: a kept pid file option naming ${pidfile} is still reported', () => {
    const text =
      '#!/sbin/openrc-run\ncommand=/usr/bin/freshclam\npidfile="/run/freshclam.pid"\ncommand_args="-p ${pidfile}"\n';
    const f = lint(text).find((x) => x.ruleId === 'command-args-pidfile');
    expect(f?.message).toMatch(/^command_args holds -p \$\{pidfile\}: if conf\.d chooses supervise-daemon,/);
    // rc-supervise's own migration of it (the supervisor's pid file set below): nothing to report.
    const migrated = text.replace(
      'command_args="-p ${pidfile}"\n',
      'command_args="-p ${pidfile}"\ncommand_args_foreground="--daemon --foreground"\nsupervisor="supervise-daemon"\nif [ "${supervisor}" = supervise-daemon ]; then pidfile="/run/supervise-${RC_SVCNAME}.pid"; fi\n',
    );
    expect(ids(migrated).filter((i) => i.startsWith('command-args-pidfile'))).toEqual([]);
  });

  test('ssd-args-fallback: an error under supervise-daemon, advice (info) where only conf.d could choose it', () => {
    // As ssd-signal and command-args-pidfile: the start fails only once someone chooses it.
    const base =
      '#!/sbin/openrc-run\ncommand=/usr/sbin/foo\ncommand_args_foreground=-f\nstart_stop_daemon_args="--wait 1000"\n';
    const latent = lint(base).find((f) => f.ruleId === 'ssd-args-fallback');
    expect(latent?.severity).toBe('info');
    expect(latent?.message).toMatch(/^if conf\.d chooses supervise-daemon: start_stop_daemon_args \(--wait 1000\)/);
    const now = lint(base.replace('command=', 'supervisor=supervise-daemon\ncommand=')).find(
      (f) => f.ruleId === 'ssd-args-fallback',
    );
    expect(now?.severity).toBe('error');
    expect(now?.message).toMatch(/^start_stop_daemon_args \(--wait 1000\)/);
  });

  test('@WORD@ templates: one info finding, other checks still run, no fix, not in comments', () => {
    const text =
      '#!/sbin/openrc-run\n# @NOT_THIS@ in a comment\ncommand=/usr/bin/foo\npidfile="@rundir@/foo.pid"\n' +
      'depend() {\n\tuse net # @slapd@\n\t@neededservices@\n}\nreload() {\n\t:\n}\n';
    // Text alone skips comment lines; the parsed comment spans also drop `# @slapd@` after code.
    expect(templateWords(text).map((w) => w.text)).toEqual(['@rundir@', '@slapd@', '@neededservices@']);
    const f = lint(text);
    expect(f.map((x) => `${x.ruleId}:${x.severity}`)).toEqual(['syntax-error:info', 'extra-command-unlisted:warning']);
    expect(f[0].message).toBe(
      'template: the ebuild fills in @rundir@, @neededservices@; lint the installed file for a full answer',
    );
    expect(f[1].fix).toBeUndefined();
  });
});

describe('bashisms ShellCheck reports in sh scripts', () => {
  const cases: [string, string][] = [
    ['source /etc/foo.conf', 'source (use .)'],
    ['[ "$a" == b ]', '== in [ ]'],
    ['test "$a" == b', '== in test'],
    ['X+=" more"', '+= appending'],
    ['X=$(</etc/foo)', '$(<file)'],
    ['let i=i+1', 'let (use $((...)))'],
    ['(( i++ ))', '((...)) arithmetic'],
    ['echo ${!name}', '${!var} indirection'],
    ['echo ${x:0:3}', '${var:offset:length} substring'],
    ['echo /etc/{a,b}', '{a,b} brace expansion'],
    ['echo {1..3}', '{a..b} brace expansion'],
  ];
  test.each(cases)('%s', (line, what) => {
    const f = lint(`#!/sbin/openrc-run\nstart_pre() {\n\t${line}\n}\n`);
    expect(f.map((x) => `${x.ruleId}:${x.message}`)).toEqual([
      `bashism:in POSIX sh ${what} is undefined (dash rejects or misreads it); openrc-run runs the script with /bin/sh`,
    ]);
  });
  test.each([
    'echo $((1 + 2))',
    'echo ${x:-y} ${x:=y} ${x:+z} ${#x}',
    'find . -exec rm {} \\;',
    '. /etc/foo.conf',
    'local x=1',
  ])('POSIX: %s', (line) => {
    expect(ids(`#!/sbin/openrc-run\nstart_pre() {\n\t${line}\n}\n`)).toEqual([]);
  });
});

describe('checks that must not fire (false positives seen on real overlays)', () => {
  test('no-foreground: the no-fork flag already in command_args, or a daemon we know nothing about', () => {
    const acpid = '#!/sbin/openrc-run\nsupervisor=supervise-daemon\ncommand=/usr/sbin/acpid\n';
    // A rule says acpid forks without --foreground: under supervise-daemon that certainly breaks.
    expect(ids(acpid)).toEqual(['no-foreground:error']);
    expect(ids(acpid.replace('acpid\n', 'acpid\ncommand_args="--foreground"\n'))).toEqual([]);
    expect(ids('#!/sbin/openrc-run\nsupervisor=supervise-daemon\ncommand=/usr/bin/some-go-server\n')).toEqual([]);
  });

  // atd's -f exists from at 3.1.12 (2009): lint cannot read the installed version, so the finding
  // is likely, not certain (a warning), names the version, and its fix needs --unsafe (round 18).
  test('no-foreground: words that exist only from a version on are a warning with an unsafe fix', () => {
    const atd = '#!/sbin/openrc-run\nsupervisor=supervise-daemon\ncommand=/usr/sbin/atd\n';
    const [f] = lint(atd);
    expect([f.ruleId, f.severity, f.fix?.safety]).toEqual(['no-foreground', 'warning', 'unsafe']);
    expect(f.message).toBe(
      'atd forks unless told not to: set command_args_foreground="-f" (knowledge base atd; the words exist from version 3.1.12 on: check the installed version)',
    );
    // nslcd's --nofork: 0.9.1, and 0.8.14 in the 0.8 line.
    const [nslcd] = lint('#!/sbin/openrc-run\nsupervisor=supervise-daemon\ncommand=/usr/sbin/nslcd\n');
    expect(nslcd.message).toBe(
      'nslcd forks unless told not to: set command_args_foreground="--nofork" (knowledge base nslcd; the words exist from version 0.9.1 (0.8.14 in an older line) on: check the installed version)',
    );
    const [acpid] = lint('#!/sbin/openrc-run\nsupervisor=supervise-daemon\ncommand=/usr/sbin/acpid\n');
    expect([acpid.severity, acpid.fix?.safety]).toEqual(['error', 'safe']);
  });

  // Alpine's nzbget: --server is -s, its console (foreground) mode (holdout-11 review, round 18).
  test("no-foreground: a long spelling of the rule's word (nzbget --server for -s)", () => {
    const nz =
      '#!/sbin/openrc-run\nsupervisor=supervise-daemon\ncommand=/usr/bin/nzbget\ncommand_args="--server --configfile /var/lib/nzbget/nzbget.conf"\n';
    expect(ids(nz)).toEqual([]);
    expect(ids(nz.replace('--server ', ''))).toEqual(['no-foreground:error']);
  });

  test('supervisor-hardcoded: the assignment that overrides conf.d is flagged and fixed, so --fix converges', () => {
    // A plain value, then a line that already defaults: the first is the one that decides.
    const text = (first: string, second: string) =>
      `#!/sbin/openrc-run\nsupervisor=${first}\nsupervisor=${second}\ncommand=/usr/bin/x\ncommand_args_foreground=-f\n`;
    const both = text('"supervise-daemon"', '${supervisor:-supervise-daemon}');
    expect(lint(both).map((f) => `${f.ruleId}:${f.line}`)).toEqual(['supervisor-hardcoded:2']);
    for (const t of [both, text('"supervise-daemon"', '"supervise-daemon"')]) {
      const r = fixFile({ initdPath: 'foo.initd', initdText: t }, { unsafe: true });
      expect(r.texts.get('foo.initd')).toBe(text('${supervisor:-supervise-daemon}', '${supervisor:-supervise-daemon}'));
      expect(r.findings.filter((f) => f.ruleId === 'supervisor-hardcoded')).toEqual([]);
    }
  });

  test('supervisor-hardcoded: not where the script only works under supervise-daemon', () => {
    expect(ids('#!/sbin/openrc-run\nsupervisor=supervise-daemon\ncommand=/usr/bin/x\ncommand_args="-F"\n')).toEqual([]);
  });

  test('ssd-signal: custom start(), and a signal by --exec without --pidfile', () => {
    const custom =
      '#!/sbin/openrc-run\nsupervisor=supervise-daemon\nextra_started_commands=reload\npidfile=/run/x.pid\n' +
      'start() {\n\tstart-stop-daemon --start --exec /usr/bin/x --pidfile /run/x.pid\n}\n' +
      'reload() {\n\tstart-stop-daemon --signal HUP --pidfile "${pidfile}"\n}\n';
    expect(ids(custom).filter((i) => i.startsWith('ssd-signal'))).toEqual([]);
    const byExec =
      '#!/sbin/openrc-run\nsupervisor=supervise-daemon\ncommand=/usr/bin/x\ncommand_args_foreground=-f\nextra_started_commands=reload\n' +
      'reload() {\n\tstart-stop-daemon --exec /usr/bin/x --signal HUP\n}\n';
    expect(ids(byExec).filter((i) => i.startsWith('ssd-signal'))).toEqual([]);
  });

  test('custom-start: once per script; not for a default_start wrapper, nor a one-shot service', () => {
    const both =
      '#!/sbin/openrc-run\ncommand=/usr/bin/x\nstart() {\n\tstart-stop-daemon --start --exec /usr/bin/x\n}\nstop() {\n\tstart-stop-daemon --stop --exec /usr/bin/x\n}\n';
    expect(ids(both)).toEqual(['custom-start:info']);
    expect(ids(both.replace('command=/usr/bin/x\n', 'supervisor=supervise-daemon\ncommand=/usr/bin/x\n'))).toContain(
      'custom-start:warning',
    );
    expect(
      ids('#!/sbin/openrc-run\ncommand=/usr/bin/x\nstart() {\n\tebegin "x"\n\tdefault_start\n\teend $?\n}\n'),
    ).toEqual([]);
    // Steps around default_start (code-server's checkconfig) do not bypass the supervisor.
    expect(
      ids(
        '#!/sbin/openrc-run\ncommand=/usr/bin/x\nstart() {\n\tcheckconfig || return 1\n\teval home="~x"\n\tdefault_start\n}\n',
      ),
    ).toEqual([]);
    expect(
      ids(
        '#!/sbin/openrc-run\ncommand=/usr/bin/x\nstart() {\n\tstart-stop-daemon --start --exec /usr/bin/y\n\tdefault_start\n}\n',
      ),
    ).toEqual(['custom-start:info']);
    expect(ids('#!/sbin/openrc-run\nstart() {\n\tloadkeys -q /etc/k\n}\n')).toEqual([]);
    // A control script (`neo4j start`) is not a daemon supervise-daemon could run.
    expect(
      ids(
        '#!/sbin/openrc-run\nstart() {\n\tstart-stop-daemon --start --pidfile /run/n.pid --exec /usr/bin/neo4j -- start\n}\n',
      ),
    ).toEqual([]);
  });

  // openrc-run.sh reads ${extra_commands:-$opts}; from 0.39 on supervise-daemon.sh sets
  // extra_commands (healthcheck unhealthy) before every script, so opts is never read.
  test('extra-command-unlisted: opts= counts only before OpenRC 0.39 (while extra_commands is empty)', () => {
    const t =
      '#!/sbin/openrc-run\nopts="reload checkconfig"\ncommand=/usr/bin/x\nreload() {\n\t:\n}\ncheckconfig() {\n\t:\n}\n';
    const at = (v: string, text = t) =>
      lintFile({ initdPath: 'etc/init.d/x', initdText: text }, { target: parseVersion(v)!, config: {} })
        .filter((f) => f.ruleId === 'extra-command-unlisted')
        .map((f) => f.message);
    expect(at('0.38')).toEqual([]);
    expect(
      at('0.38', t.replace('opts="reload checkconfig"', 'opts="reload checkconfig"\nextra_commands="other"')),
    ).toEqual(['reload() is not listed in extra_started_commands: rc-service x reload cannot run it']);
    expect(at('0.45')).toEqual([
      'reload() is listed only in opts, which OpenRC 0.45.0 ignores (supervise-daemon.sh sets extra_commands first): rc-service x reload cannot run it',
      'checkconfig() is listed only in opts, which OpenRC 0.45.0 ignores (supervise-daemon.sh sets extra_commands first): rc-service x checkconfig cannot run it',
    ]);
  });

  test('shebang-not-first: a blank line before #! is an error, fixed by removing it', () => {
    const f = lint('\n\n#!/sbin/openrc-run\ncommand=/usr/bin/x\n');
    expect(f.map((x) => `${x.ruleId}:${x.severity}:${x.line}`)).toEqual(['shebang-not-first:error:3']);
    const r = fixFile({ initdPath: 'foo.initd', initdText: '\n\n#!/sbin/openrc-run\ncommand=/usr/bin/x\n' });
    expect(r.texts.get('foo.initd')).toBe('#!/sbin/openrc-run\ncommand=/usr/bin/x\n');
  });

  test('retry-no-kill: a supervised service with a conf.d and no KILL step; not with one, nor unknown', () => {
    const base =
      '#!/sbin/openrc-run\nsupervisor=${supervisor:-supervise-daemon}\ncommand=/usr/bin/x\ncommand_args_foreground=-f\n';
    expect(ids(`${base}retry="TERM/30"\n`)).toEqual(['retry-no-kill:info']);
    expect(ids(`${base}retry=30\n`)).toEqual(['retry-no-kill:info']);
    expect(ids(`${base}retry="TERM/30/KILL/5"\n`)).toEqual([]);
    expect(ids(`${base}retry="\${X_RETRY}"\n`)).toEqual([]);
    // Unset, and no conf.d given: the admin may set it there.
    expect(ids(base)).toEqual([]);
    expect(ids(base, '# nothing set\n')).toEqual(['retry-no-kill:info']);
  });
});

describe('--fix never writes what it cannot know', () => {
  const fixed = (initd: string, confd?: string) =>
    fixFile({
      initdPath: 'foo.initd',
      initdText: initd,
      confdPath: confd ? 'foo.confd' : null,
      confdText: confd,
    }).texts.get('foo.initd');
  const head = '#!/sbin/openrc-run\ncommand=/usr/bin/x\npidfile=/run/x.pid\n';

  test('a script dash cannot parse (bash-only syntax) is not fixed', () => {
    const t = '#!/sbin/runscript\nstart_pre() {\n\tfor ((i = 0; i < 2; i++)); do :; done\n}\n';
    expect(fixed(t)).toBe(t);
    expect(fixed(t.replace(/\tfor.*\n/, '\t:\n'))).toBe('#!/sbin/openrc-run\nstart_pre() {\n\t:\n}\n');
  });
  test('command_args_background is not added next to command_background', () => {
    const t = `${head}command_background=yes\ncommand_args="--nodaemon --pidfile \${pidfile}"\n`;
    expect(fixed(t)).toBe(t);
  });
  test('no move when a custom function passes command_args itself', () => {
    const t = `${head}command_args="-c /etc/x -p \${pidfile}"\nstart_pre() {\n\t/usr/bin/x -t \${command_args}\n}\n`;
    expect(fixed(t)).toBe(t);
  });
  test('moved words keep their order (only a tail of command_args moves, before any existing command_args_background)', () => {
    const inOrder = `${head}command_args="-c /etc/x -p \${pidfile}"\ncommand_args_background="--syslog"\n`;
    expect(fixed(inOrder)).toBe(`${head}command_args="-c /etc/x"\ncommand_args_background="-p \${pidfile} --syslog"\n`);
    const notTail = `${head}command_args="-p \${pidfile} /etc/x.conf"\n`;
    expect(fixed(notTail)).toBe(notTail);
  });
  test('words naming an unknown variable do not move', () => {
    const t = `${head}command_args="\${X_OPTS:=-p \${pidfile}}"\n`;
    expect(fixed(t)).toBe(t);
  });
  test('an unknown variable is not empty: no fix, and no value that looks like an option', () => {
    const user = `${head}command_background=yes\nstart_stop_daemon_args="--user \${X_USER} --wait 1500"\n`;
    expect(fixed(user)).toBe(user);
    expect(lint(user).find((f) => f.ruleId === 'ssd-args-fallback')?.message).toBe(
      'if conf.d chooses supervise-daemon: start_stop_daemon_args holds --wait, which supervise-daemon rejects, and supervise_daemon_args is unset: set supervise_daemon_args (no automatic fix: X_USER unknown here)',
    );
    const dir = `${head}command_background=yes\nX_DIR=""\nstart_stop_daemon_args="--chdir \${X_DIR} --user sks --wait 1000"\n`;
    expect(fixed(dir)).toBe(dir);
  });
  test('a conf.d value is never frozen into init.d', () => {
    const t = `${head}command_background=yes\nstart_stop_daemon_args="--nicelevel \${X_NICE} --wait 1000"\n`;
    expect(fixed(t, 'X_NICE=5\n')).toBe(t);
  });
  test("ssd-args-fallback's fix writes options, not declarative variables (start-stop-daemon's line stays)", () => {
    const t = `${head}command_background=yes\nstart_stop_daemon_args="--user x --chdir /var/lib/x --wait 1000"\n`;
    // The block goes after `command=` (src/migrate/plan.ts blockPosition).
    expect(fixed(t)).toBe(
      t.replace('command=/usr/bin/x\n', 'command=/usr/bin/x\nsupervise_daemon_args="--user x --chdir /var/lib/x"\n'),
    );
  });
});

describe('discovery', () => {
  test('an ebuild repository is read through its ebuilds; a plain tree is walked', async () => {
    const repo = await discover(['fixtures/overlay']);
    expect(repo.find((t) => t.initd.endsWith('pairing.initd.2'))).toMatchObject({
      confd: 'fixtures/overlay/app-misc/pairing/files/pairing.conf.d-r1',
      name: 'pairing',
      inInitdTree: false,
    });
    // The same tree without its repository markers: walked, .rc/.init still need a shebang.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rc-lint-plain-'));
    try {
      cpSync(path.join(REPO, 'fixtures/overlay/net-analyzer'), path.join(dir, 'net-analyzer'), { recursive: true });
      const plain = (await discover([dir])).map((t) => path.relative(dir, t.initd)).sort();
      expect(plain).toEqual(['net-analyzer/zabbix/files/zabbix-agentd.init']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Options only start-stop-daemon knows (or reads differently): never in a supervise-daemon argv. */
const SSD_ONLY =
  /^(--wait|-w|--background|-b|--make-pidfile|-m|--exec|-x|--name|-n|--progress|-P|--interpreted|-i|--startas|-a|--test|-t|--oknodo|-o)(=.*)?$/;
const NEUTRAL = '\n# test only\nstart_pre() { :; }\ncheckconfig() { :; }\n';

describeWithTree('--fix on the overlay, checked with OpenRC shell code', () => {
  test("every changed file passes dash -n; start-stop-daemon's argv is unchanged; supervise-daemon's has no start-stop-daemon-only option", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rc-lint-fixcmd-'));
    try {
      const copy = path.join(dir, 'overlay');
      cpSync(path.join(REPO, 'fixtures/overlay'), copy, { recursive: true });
      await run('lint', copy, '--fix', '--format', 'json');
      const targets = await discover([path.join(REPO, 'fixtures/overlay')]);
      let checked = 0;
      for (const t of targets) {
        const rel = path.relative(path.join(REPO, 'fixtures/overlay'), path.resolve(REPO, t.initd));
        const before = readFileSync(path.resolve(REPO, t.initd), 'utf8');
        const after = readFileSync(path.join(copy, rel), 'utf8');
        if (before === after) continue;
        checked++;
        expect({ rel, dash: spawnSync('dash', ['-n'], { input: after }).status }).toEqual({ rel, dash: 0 });
        const confd = t.confd ? readFileSync(path.resolve(REPO, t.confd), 'utf8') : undefined;
        const svc = t.name ?? 'svc';
        const argv = async (initd: string, rcconf: string) => {
          const [r] = await recordActions({ svc, initd: initd + NEUTRAL, confd, actions: ['start'], rcconf });
          return r.calls.filter((c) => c[0] === 'start-stop-daemon');
        };
        const sup = async (initd: string) => {
          const [r] = await recordActions({
            svc,
            initd: initd + NEUTRAL,
            confd,
            actions: ['start'],
            rcconf: 'rc_sys="prefix"\nsupervisor=supervise-daemon\n',
          });
          return r.calls;
        };
        const ssd = 'rc_sys="prefix"\nsupervisor=start-stop-daemon\n';
        // A script that hard-codes supervise-daemon has no start-stop-daemon line to keep.
        expect({ rel, calls: await argv(after, ssd) }).toEqual({ rel, calls: await argv(before, ssd) });
        for (const c of await sup(after))
          if (c[0] === 'supervise-daemon') {
            const dd = c.indexOf('--');
            expect({ rel, bad: c.slice(2, dd < 0 ? undefined : dd).filter((w) => SSD_ONLY.test(w)) }).toEqual({
              rel,
              bad: [],
            });
          }
      }
      expect(checked).toBeGreaterThanOrEqual(5);
      expect(readdirSync(copy).length).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

// Alpine's seatd and addrwatch scripts run under start-stop-daemon and set output_logger,
// which start-stop-daemon.sh passes since OpenRC 0.37; supervise-daemon reads it from 0.51.
describe('openrc-version: output_logger/error_logger by backend', () => {
  const findings = (initd: string, target: string) =>
    lintFile({ initdPath: 'etc/init.d/foo', initdText: initd }, { target: parseVersion(target)!, config: {} }).filter(
      (f) => f.ruleId === 'openrc-version',
    );
  const ssd =
    '#!/sbin/openrc-run\ncommand=/usr/bin/foo\ncommand_background=yes\npidfile=/run/foo.pid\noutput_logger="logger -t foo"\n';
  test('under start-stop-daemon: only below 0.37', () => {
    expect(findings(ssd, '0.45')).toEqual([]);
    expect(findings(ssd, '0.36').map((f) => f.message)).toEqual([
      'output_logger needs OpenRC 0.37.0+ (under start-stop-daemon); the target is 0.36.0, which ignores it',
    ]);
  });
  test('under supervise-daemon: below 0.51', () => {
    const sd = ssd.replace('command_background=yes\n', 'supervisor=supervise-daemon\n');
    expect(findings(sd, '0.45').map((f) => f.message)).toEqual([
      'output_logger needs OpenRC 0.51.0+ under supervise-daemon; the target is 0.45.0, which ignores it',
    ]);
    expect(findings(sd, '0.51')).toEqual([]);
  });
});

// Alpine's coredns and consul-template scripts: `"${ARGS:-... /Corefile"` lacks its `}`. dash
// says "Unterminated quoted string" at the end of the file; the finding points where it opens.
describe('syntax-error: an unterminated string is reported where it opens', () => {
  test('unclosedOpener: the outermost opener still open at the end, or none', () => {
    const at = (t: string) => {
      const i = unclosedOpener(t);
      return i === undefined ? undefined : t.slice(i, i + 6);
    };
    expect(at('a="${X:-/etc/foo" \nb=1\n')).toBe('"${X:-');
    expect(at('a="x"\nb=\'it"s\'\n# a " in a comment\nc=$(echo "(")\n')).toBeUndefined();
    expect(at('a=$(echo x\n')).toBe('$(echo');
    expect(at('a=`date\n')).toBe('`date\n');
    expect(at('a="b\\"c"\n')).toBeUndefined();
  });

  test('the finding is at the opening quote, and says where dash reports it', () => {
    const text =
      '#!/bin/sh\ncommand=/usr/bin/foo\ncommand_args="${ARGS:--c /etc/foo.conf"\n\ndepend() {\n\tneed net\n}\n';
    const f = lintFile({ initdPath: 'etc/init.d/foo', initdText: text }, { config: {} }).find(
      (x) => x.ruleId === 'syntax-error',
    );
    // Only where dash is there to confirm it (Debian's CI has it).
    if (!f || f.severity === 'info') return;
    expect({ line: f.line, col: f.col }).toEqual({ line: 3, col: 14 });
    expect(f.message).toBe(
      'dash -n: Syntax error: Unterminated quoted string: it opens here (dash reports it at line 8)',
    );
  });
});

// An overlay's gitlab script: `{@MAILROOM_STOP@` is a placeholder the ebuild fills in with code,
// so dash's "}" unexpected on the uninstalled file is not certain for the installed one.
test('syntax-error in a template (@WORD@ placeholders) is a note, not an error', () => {
  const text =
    '#!/sbin/openrc-run\ncommand=@PREFIX@/bin/foo\nstop() {@EXTRA_STOP@\n\tstart-stop-daemon --stop --exec @PREFIX@/bin/foo\n}\n';
  const f = lintFile({ initdPath: 'etc/init.d/foo', initdText: text }, { config: {} }).filter(
    (x) => x.ruleId === 'syntax-error',
  );
  expect(f.every((x) => x.severity === 'info')).toBe(true);
  const shell = f.find((x) => /-n:/.test(x.message));
  // Only where dash is there to confirm the error (Debian's CI has it).
  if (shell)
    expect(shell.message).toMatch(
      /\(in a template: the installed script, with its placeholders filled in, may parse\)$/,
    );
});

describe('runscript-shebang: what the target OpenRC installs', () => {
  const msg = (target: string) =>
    lintFile(
      { initdPath: 'etc/init.d/foo', initdText: '#!/sbin/runscript\ncommand=/usr/sbin/foo\n' },
      { target: parseVersion(target)!, config: {} },
    ).find((f) => f.ruleId === 'runscript-shebang')?.message;
  test('before 0.52 a deprecated link; from 0.52 (OpenRC 88e5d98d) not installed at all', () => {
    expect(msg('0.45.2')).toBe('runscript is deprecated: use #!/sbin/openrc-run');
    expect(msg('0.51.9')).toBe('runscript is deprecated: use #!/sbin/openrc-run');
    expect(msg('0.52.0')).toBe(
      'OpenRC 0.52.0 installs no runscript (dropped in 0.52): the script runs only where the distribution keeps a /sbin/runscript link; use #!/sbin/openrc-run',
    );
  });
});

test("bashism: $'...' is POSIX.1-2024, and dash still misreads it (the message says which)", () => {
  const f = lint("#!/sbin/openrc-run\nIFS=$' \\t\\n'\n").find((x) => x.ruleId === 'bashism');
  expect(f?.message).toBe(
    "$'...' quoting is new in POSIX.1-2024, and dash (0.5.12) reads it as a literal $ before a quoted string; openrc-run runs the script with /bin/sh",
  );
  // What the message claims of dash, checked on dash itself.
  const r = spawnSync('dash', ['-c', 'x=$\'a\'; printf %s "$x"'], { encoding: 'utf8' });
  expect(r.stdout).toBe('$a');
});

test('ssd-signal: with a pid file, --exec (or --name) does not narrow it: the supervisor is signalled', () => {
  // OpenRC's do_stop() (src/shared/schedules.c, 0.45.2 to master) calls
  // rc_find_pids(NULL, NULL, 0, pid) when the pid file gave a pid: --exec is not matched.
  const f = lint(
    '#!/sbin/openrc-run\ncommand=/usr/sbin/i2pd\npidfile=/run/i2pd.pid\nextra_started_commands=reload\nreload() {\n\tstart-stop-daemon -s HUP -x ${command} -p ${pidfile}\n}\n',
  ).find((x) => x.ruleId === 'ssd-signal');
  expect(f?.message).toContain('it reaches the supervisor, not the daemon');
});

describe('no-foreground on real supervised scripts (Artix): errors only where certain', () => {
  const sup = (body: string) => `#!/usr/bin/openrc-run\nsupervisor=supervise-daemon\n${body}`;
  const errors = (text: string) => lint(text).filter((f) => f.ruleId === 'no-foreground');
  test("another spelling of the rule's words (dnsmasq -k, connmand -n) is the same word", () => {
    // (no variables: a value the check cannot see may hold the word, and then it says nothing)
    expect(errors(sup('command="/usr/bin/dnsmasq"\ncommand_args="--conf-file=/etc/dnsmasq.conf -k"\n'))).toEqual([]);
    expect(errors(sup('command=/usr/bin/connmand\ncommand_args="-n"\n'))).toEqual([]);
    // Without it: still an error (the rule is certain that dnsmasq forks by default).
    expect(
      errors(sup('command="/usr/bin/dnsmasq"\ncommand_args="--conf-file=/etc/dnsmasq.conf"\n')).map((f) => f.severity),
    ).toEqual(['error']);
  });
  test("a rule kept to other packages (ntp.org's ntpd) says nothing of OpenNTPD's ntpd", () => {
    expect(errors(sup('name="OpenNTPD"\ncommand="/usr/bin/ntpd"\ncommand_args="-d"\n'))).toEqual([]);
    // ntp.org's: the rule applies (its package unknown, packageUnknown 'apply'), -n is missing.
    expect(errors(sup('command="/usr/sbin/ntpd"\ncommand_args="-g"\n')).map((f) => f.severity)).toEqual(['error']);
  });
});

test("no-foreground: a rule whose words only name a pid file (the wiki's metalog) says nothing of forking", () => {
  const sup = '#!/usr/bin/openrc-run\nsupervisor=supervise-daemon\ncommand="metalog"\n';
  expect(lint(sup).filter((f) => f.ruleId === 'no-foreground')).toEqual([]);
});

// pmaports' l5-brcm-bt-enable (holdout 7): supervised hciattach without -n, its arguments ending in
// the device, type and speed. `command_args_foreground="-n"` alone lands after them, where musl's
// getopt() (postmarketOS) never reads it: the fix moves them behind it, as migrate does.
test('no-foreground: arguments ending in operands are moved behind the no-fork word by the fix', () => {
  const text =
    '#!/sbin/openrc-run\nsupervisor=supervise-daemon\ncommand="/usr/bin/hciattach"\ncommand_args="-s 115200 /dev/ttymxc3 bcm43xx 1500000"\n';
  const f = lint(text).filter((x) => x.ruleId === 'no-foreground');
  expect(f.map((x) => x.severity)).toEqual(['error']);
  expect(f[0].message).toContain('and command_args ends in /dev/ttymxc3 bcm43xx 1500000');
  const r = fixFile({ initdPath: 'foo.initd', initdText: text });
  expect(r.texts.get('foo.initd')).toBe(
    '#!/sbin/openrc-run\nsupervisor=supervise-daemon\ncommand="/usr/bin/hciattach"\ncommand_args="-s 115200"\n' +
      'command_args_background="/dev/ttymxc3 bcm43xx 1500000"\ncommand_args_foreground="-n /dev/ttymxc3 bcm43xx 1500000"\n',
  );
  // Fixed: nothing left to say.
  expect(lint(r.texts.get('foo.initd')!).filter((x) => x.ruleId === 'no-foreground')).toEqual([]);
});
