import { initParser } from '../../src/parse/parser.js';
import { migrateLoaded } from '../../src/migrate/migrate.js';
import { chooseRoute, dependOnlyTemplates, routePrecheck, templateWord } from '../../src/steps/route.js';
import { loaded } from '../helpers/loaded.js';
import { ctx, draft, rule, service, sh } from './helpers.js';

beforeAll(() => initParser());

const plain = sh('#!/sbin/openrc-run', 'command=/usr/bin/foo', 'pidfile=/run/foo.pid');

describe('routePrecheck', () => {
  test("a rule's refusal is returned with its own reason and suggestion", () => {
    const refuse = { reason: 'foo forks in ways no flag stops', suggestion: 'leave foo as it is' };
    expect(routePrecheck(ctx(service(plain), { rule: rule({ refuse }) }))).toEqual({
      kind: 'refuse',
      code: 'rule',
      ...refuse,
    });
  });

  // clamfs, ekeyd, axhttpd: the refusal says "change the configuration, then migrate with
  // --foreground-args": the user's own word wins, and a script already supervised is not refused again.
  test("--foreground-args overrides a rule's refusal; an already supervised script is not refused", () => {
    const refuse = {
      reason: 'foo forks unless its configuration says otherwise',
      suggestion: 'configure it, then pass --foreground-args',
    };
    const r = rule({ refuse });
    expect(routePrecheck(ctx(service(plain), { rule: r, options: { foregroundArgs: '' } }))).toBeUndefined();
    const supervised = sh('#!/sbin/openrc-run', 'command=/usr/bin/foo', 'supervisor=supervise-daemon');
    expect(routePrecheck(ctx(service(supervised), { rule: r }))).toBe('already');
    expect(routePrecheck(ctx(service(supervised), { rule: r, options: { residual: true } }))).toMatchObject({
      code: 'rule',
    });
  });

  test('netifrc: by name, by a link to net.lo, by a script that loads netifrc', () => {
    const byName = routePrecheck(ctx(service(plain, null, 'net.eth0')));
    expect(byName).toMatchObject({ kind: 'refuse', code: 'netifrc' });
    expect(routePrecheck(ctx(service(plain, null, 'wan'), { initdIsLink: 'etc/init.d/net.lo' }))).toMatchObject({
      code: 'netifrc',
    });
    const lib = sh('#!/sbin/openrc-run', '. /lib/netifrc/sh/functions.sh', 'start() {', '\t:', '}');
    expect(routePrecheck(ctx(service(lib, null, 'lan')))).toMatchObject({ code: 'netifrc' });
    // A service merely named like a network one is not netifrc.
    expect(routePrecheck(ctx(service(plain, null, 'network-manager')))).toBeUndefined();
  });

  test('the rule refusal is checked before netifrc', () => {
    const refuse = { reason: 'r', suggestion: 's' };
    expect(routePrecheck(ctx(service(plain, null, 'net.eth0'), { rule: rule({ refuse }) }))).toMatchObject({
      code: 'rule',
    });
  });

  test("already supervised (init.d or conf.d) stops planning quietly, unless it is the fix loop's residual pass", () => {
    const own = sh('#!/sbin/openrc-run', 'supervisor="supervise-daemon"', 'command=/usr/bin/foo');
    expect(routePrecheck(ctx(service(own)))).toBe('already');
    expect(routePrecheck(ctx(service(plain, 'supervisor=supervise-daemon\n')))).toBe('already');
    expect(routePrecheck(ctx(service(own), { options: { residual: true } }))).toBeUndefined();
    expect(routePrecheck(ctx(service(plain)))).toBeUndefined();
  });

  test('a conf.d choice that init.d overrides is not "already"', () => {
    const over = sh('#!/sbin/openrc-run', 'supervisor=start-stop-daemon', 'command=/usr/bin/foo');
    expect(routePrecheck(ctx(service(over, 'supervisor=supervise-daemon\n')))).toBeUndefined();
  });
});

describe('chooseRoute', () => {
  test('nothing needs init.d: conf.d takes it all', () => {
    expect(chooseRoute(ctx(service(plain)), draft())).toEqual({
      route: 'conf.d',
      why: 'the init script lets conf.d choose the supervisor (survives package updates)',
      dual: false,
    });
  });

  // chronograf: `: ${CHRONOGRAF_LOG:=...}` in init.d, and our output_log="${CHRONOGRAF_LOG}".
  test('lines that read a variable the init script sets go to init.d (conf.d is read before it)', () => {
    const script = sh('#!/sbin/openrc-run', 'command=/usr/bin/foo', ': ${FOO_LOG:=/var/log/foo.log}');
    expect(chooseRoute(ctx(service(script)), draft({ lines: ['output_log="${FOO_LOG}"'] }))).toEqual({
      route: 'init.d',
      why: 'the lines read ${FOO_LOG}, which the init script sets after conf.d is read',
      dual: false,
    });
    // A variable only conf.d (or nobody) sets, or one OpenRC sets: conf.d is fine.
    for (const line of ['output_log="${BAR_LOG}"', 'output_log="/var/log/${RC_SVCNAME}.log"'])
      expect(chooseRoute(ctx(service(script, 'BAR_LOG=/x\n')), draft({ lines: [line] })).route).toBe('conf.d');
  });

  test("a step's reason sends it to init.d, the first reason is the why", () => {
    const d = draft({ initdReasons: ['first reason', 'second reason'] });
    expect(chooseRoute(ctx(service(plain)), d)).toEqual({ route: 'init.d', why: 'first reason', dual: false });
  });

  test('init.d setting supervisor itself comes first among the reasons', () => {
    const own = sh('#!/sbin/openrc-run', 'supervisor=foo', 'command=/usr/bin/foo');
    const d = draft({ initdReasons: ['a step reason'] });
    expect(chooseRoute(ctx(service(own)), d)).toEqual({
      route: 'init.d',
      why: 'init.d sets supervisor itself, so conf.d cannot decide',
      dual: false,
    });
    // The reasons list of the draft is not changed by reading it.
    expect(d.initdReasons).toEqual(['a step reason']);
  });

  test('a ${supervisor:-...} default in init.d still lets conf.d decide', () => {
    const dflt = sh('#!/sbin/openrc-run', 'supervisor="${supervisor:-}"', 'command=/usr/bin/foo');
    expect(chooseRoute(ctx(service(dflt)), draft()).route).toBe('conf.d');
  });

  test('dual-mode script (it switches on $supervisor): conf.d chooses, and says so', () => {
    const dual = sh(
      '#!/sbin/openrc-run',
      'command=/usr/bin/foo',
      'if [ "${supervisor}" = supervise-daemon ]; then',
      '\tcommand_args_foreground="--foreground"',
      'fi',
    );
    expect(chooseRoute(ctx(service(dual)), draft())).toEqual({
      route: 'conf.d',
      why: 'the init script already switches on $supervisor: conf.d chooses it (survives package updates)',
      dual: true,
    });
    const caseDual = sh(
      '#!/sbin/openrc-run',
      'command=/usr/bin/foo',
      'reload() {',
      '\tcase "$supervisor" in',
      '\tsupervise-daemon) supervise-daemon "$RC_SVCNAME" --signal HUP ;;',
      '\t*) start-stop-daemon --signal HUP --pidfile "$pidfile" ;;',
      '\tesac',
      '}',
    );
    const r = chooseRoute(ctx(service(caseDual)), draft({ initdReasons: ['x'] }));
    // dual is about the script; the route still follows the reasons.
    expect(r).toEqual({ route: 'init.d', why: 'x', dual: true });
  });

  test('a dual-mode script that hard-codes supervisor is not dual', () => {
    const fixed = sh(
      '#!/sbin/openrc-run',
      'supervisor=foo',
      'if [ "$supervisor" = supervise-daemon ]; then command_args_foreground=-f; fi',
    );
    expect(chooseRoute(ctx(service(fixed)), draft()).dual).toBe(false);
  });
});

test('templateWord finds an ebuild template word outside comments', () => {
  expect(templateWord(sh('#!/sbin/openrc-run', '# @comment@ is fine', 'need @neededservices@'))).toBe(
    '@neededservices@',
  );
  expect(templateWord(sh('#!/sbin/openrc-run', '# @only@ in a comment', 'user=a@b'))).toBeNull();
});

// Modelled on cupsd's script: the ebuild fills in `@neededservices@` (`need avahi-daemon dbus`,
// or nothing) inside depend(), which no step reads or edits.
describe('template words only inside depend()', () => {
  const script = (dep: string, top = '') =>
    sh(
      '#!/sbin/openrc-run',
      'command="/usr/sbin/foo"',
      'command_args="-f"',
      'pidfile="/run/foo.pid"',
      'start_stop_daemon_args="-b -m --pidfile ${pidfile}"',
      ...(top ? [top] : []),
      'depend() {',
      '\tuse net',
      `\t${dep}`,
      '}',
    );
  const words = (text: string) => dependOnlyTemplates('etc/init.d/foo', text)?.words ?? null;

  test('dependOnlyTemplates names them when every one is in depend(), and reads the script with stand-ins', () => {
    expect(words(script('@neededservices@'))).toEqual(['@neededservices@']);
    expect(words(script('need @a@ @b@'))).toEqual(['@a@', '@b@']);
    expect(words(script('@x@', 'FOO_DIR=@rundir@'))).toBeNull();
    expect(words(script('need net'))).toBeNull();
    // A stand-in that the script already holds could not be told apart when put back.
    expect(words(script('@neededservices@', '# xneededservicesx'))).toBeNull();
    const t = dependOnlyTemplates('etc/init.d/foo', script('@neededservices@'))!;
    expect(t.text).toBe(script('xneededservicesx'));
    expect(t.text.length).toBe(script('@neededservices@').length);
  });

  test('the service migrates, depend() untouched, and a note says why the placeholder does not matter', () => {
    const r = migrateLoaded(loaded({ svc: 'foo', initdIn: script('@neededservices@'), confdIn: null }), {
      foregroundArgs: '-f',
    });
    expect(r.plan.kind).toBe('migrate');
    if (r.plan.kind !== 'migrate') return;
    expect(r.plan.notes.join('\n')).toMatch(
      /depend\(\) holds @neededservices@, which the ebuild fills in when it installs the script: the migration neither reads nor changes depend\(\)/,
    );
    for (const c of r.changes) {
      if (c.path !== 'etc/init.d/foo') continue;
      expect(c.before).toBe(script('@neededservices@'));
      expect(c.after).toMatch(/depend\(\) \{\n\tuse net\n\t@neededservices@\n\}/);
      expect(c.after).not.toMatch(/xneededservicesx/);
    }
  });

  test('a start() converted in init.d: the change is against the file as read, the placeholder put back', () => {
    const text = sh(
      '#!/sbin/openrc-run',
      'depend() {',
      '\t@neededservices@',
      '}',
      'start() {',
      '\tstart-stop-daemon --start --background --make-pidfile --pidfile /run/foo.pid --exec /usr/sbin/foo -- -f',
      '}',
    );
    const r = migrateLoaded(loaded({ svc: 'foo', initdIn: text, confdIn: null }));
    expect(r.plan.kind).toBe('migrate');
    const ch = r.changes.find((c) => c.path === 'etc/init.d/foo')!;
    expect(ch.before).toBe(text);
    expect(ch.after).toMatch(/^command=\/usr\/sbin\/foo$/m);
    expect(ch.after).toMatch(/depend\(\) \{\n\t@neededservices@\n\}/);
    expect(ch.after).not.toMatch(/start\(\)|xneededservicesx/);
  });

  test('one elsewhere still refuses, as a template', () => {
    const r = migrateLoaded(
      loaded({ svc: 'foo', initdIn: script('@neededservices@', 'FOO_DIR=@rundir@'), confdIn: null }),
      { foregroundArgs: '-f' },
    );
    expect(r.plan).toMatchObject({ kind: 'refuse', code: 'template' });
  });
});
