import { applyEdits } from '../src/edit/edits.js';
import { migrateLoaded } from '../src/migrate/migrate.js';
import { editsOnOriginal, ssdWrapperInlining } from '../src/migrate/ssd-wrapper.js';
import { initParser } from '../src/parse/parser.js';
import { loaded } from './helpers/loaded.js';
import { INITD, service, sh } from './steps/helpers.js';

beforeAll(() => initParser());

// Our own script, shaped like the older metalog script: a wrapper that puts fixed words before
// its caller's own, called for the start, the stop and two signals.
const WRAPPED = sh(
  '#!/sbin/openrc-run',
  'extra_started_commands="buffer"',
  'PIDFILE=/run/metalog.pid',
  '',
  'ssd() { start-stop-daemon --exec /usr/sbin/metalog --pidfile "${PIDFILE}" "$@" ; }',
  '',
  'start() {',
  '\tebegin "Starting metalog"',
  '\tssd --start -- --daemonize --pidfile="${PIDFILE}" ${METALOG_OPTS}',
  '\teend $?',
  '}',
  '',
  'stop() {',
  '\tssd --stop',
  '}',
  '',
  'buffer() {',
  '\tssd --signal USR2',
  '}',
);

const inlining = (text: string) => ssdWrapperInlining(service(text, null, 'metalog'), 'etc/init.d/metalog');

describe('a start-stop-daemon wrapper of the script', () => {
  test('each call is written out as the command the wrapper runs, and the wrapper goes', () => {
    const w = inlining(WRAPPED)!;
    expect(w.name).toBe('ssd');
    const out = applyEdits(WRAPPED, w.edits);
    expect(out).not.toMatch(/ssd/);
    expect(out).toContain(
      '\tstart-stop-daemon --exec /usr/sbin/metalog --pidfile "${PIDFILE}" --start -- --daemonize --pidfile="${PIDFILE}" ${METALOG_OPTS}\n',
    );
    expect(out).toContain('\tstart-stop-daemon --exec /usr/sbin/metalog --pidfile "${PIDFILE}" --signal USR2\n');
    // The definition's line and the blank line after it.
    expect(out).toContain('PIDFILE=/run/metalog.pid\n\nstart() {');
  });

  test.each([
    ['a word reads a positional parameter', 'ssd() { start-stop-daemon --exec "$1" "$@" ; }'],
    ['"$@" is not the last word', 'ssd() { start-stop-daemon "$@" --exec /usr/sbin/metalog ; }'],
    ['the body does more', 'ssd() { start-stop-daemon --exec /usr/sbin/metalog "$@" || return 1 ; }'],
    ['it drops its arguments (no "$@")', 'ssd() { start-stop-daemon --exec /usr/sbin/metalog ; }'],
    ['it runs in the background', 'ssd() { start-stop-daemon --exec /usr/sbin/metalog "$@" & }'],
    ['a second command', 'ssd() { einfo x; start-stop-daemon --exec /usr/sbin/metalog "$@" ; }'],
    ['a redirection', 'ssd() { start-stop-daemon --exec /usr/sbin/metalog "$@" >/dev/null ; }'],
    ['a local of its own', 'ssd() { local x=1; start-stop-daemon --exec /usr/sbin/metalog "$@" ; }'],
  ])('not a wrapper when %s', (_why, def) => {
    expect(inlining(WRAPPED.replace(/^ssd\(\) .*$/m, def))).toBeUndefined();
  });

  test('not when openrc-run runs it itself (an extra command)', () => {
    expect(
      inlining(
        WRAPPED.replace('extra_started_commands="buffer"', 'extra_commands="ssd"\nextra_started_commands="buffer"'),
      ),
    ).toBeUndefined();
  });

  test('not when the name is used otherwise than as a plain call', () => {
    expect(inlining(WRAPPED.replace('\tssd --stop', '\ttype ssd >/dev/null && ssd --stop'))).toBeUndefined();
    expect(inlining(WRAPPED.replace('\tssd --stop', '\teval "ssd --stop"'))).toBeUndefined();
    expect(inlining(WRAPPED.replace('\tssd --stop', '\tDEBUG=1 ssd --stop'))).toBeUndefined();
  });

  test('not when it is defined inside another function', () => {
    const nested = WRAPPED.replace(/^ssd\(\) .*$/m, '').replace(
      'start() {\n',
      'start() {\n\tssd() { start-stop-daemon --exec /usr/sbin/metalog "$@" ; }\n',
    );
    expect(inlining(nested)).toBeUndefined();
  });
});

describe('the plan of the written-out script, as edits of the file as read', () => {
  const w = () => inlining(WRAPPED)!;
  const t1 = () => applyEdits(WRAPPED, w().edits);

  test('an edit replacing a whole written-out call, an insertion where the wrapper was, an untouched call', () => {
    const t = t1();
    const call = 'start-stop-daemon --exec /usr/sbin/metalog --pidfile "${PIDFILE}" --signal USR2';
    const at = t.indexOf(call);
    const gone = t.indexOf('start() {');
    const plan = [
      { file: INITD.replace('foo', 'metalog'), start: at, end: at + call.length, text: 'kill -USR2 1' },
      { file: INITD.replace('foo', 'metalog'), start: gone, end: gone, text: '# here\n' },
      { file: 'etc/conf.d/metalog', start: 0, end: 0, text: 'X=1\n' },
    ];
    const mapped = editsOnOriginal(w(), t, plan);
    expect(mapped.find((e) => e.file === 'etc/conf.d/metalog')).toEqual(plan[2]);
    const initd = mapped.filter((e) => e.file !== 'etc/conf.d/metalog');
    expect(applyEdits(WRAPPED, initd)).toBe(applyEdits(t, plan.slice(0, 2)));
  });

  test('an edit that starts inside a written-out call takes the whole call in', () => {
    const t = t1();
    // From the wrapper's own words (written out) to the call's own.
    const from = '/usr/sbin/metalog --pidfile "${PIDFILE}" --signal USR2';
    const at = t.indexOf(from, t.indexOf('buffer() {'));
    const plan = [
      { file: 'etc/init.d/metalog', start: at, end: at + from.length, text: '/usr/sbin/other --signal USR1' },
    ];
    const mapped = editsOnOriginal(w(), t, plan);
    expect(applyEdits(WRAPPED, mapped)).toBe(applyEdits(t, plan));
    // One edit for that call (the one that grew), none left over for it.
    expect(mapped.filter((e) => e.text.includes('--signal')).length).toBe(1);
  });
});

test('migrate: metalog through its wrapper gets the wiki recipe, in one pass, and a second run changes nothing', () => {
  const fx = { svc: 'metalog', initdIn: WRAPPED, confdIn: 'METALOG_OPTS=""\n' };
  const r = migrateLoaded(loaded(fx));
  expect(r.plan.kind).toBe('migrate');
  if (r.plan.kind !== 'migrate') return;
  expect(r.plan.notes[0]).toBe(
    'ssd() only runs start-stop-daemon with fixed words before its caller\'s own ("$@"): each of its 3 calls is read as that start-stop-daemon command, written out, and the function, then unused, is removed',
  );
  const after = r.changes.find((c) => c.path === 'etc/init.d/metalog')!.after;
  // The plan's edits are against the file as read.
  expect(applyEdits(WRAPPED, r.plan.edits)).toBe(after);
  expect(r.passes).toBe(1);
  expect(after).not.toMatch(/ssd/);
  expect(after).toContain('command=/usr/sbin/metalog\n');
  expect(after).toContain('command_args_foreground="--pidfile /run/metametalog.pid"\n');
  expect(after).toContain('${supervisor} ${RC_SVCNAME} --signal USR2');
  const again = migrateLoaded(loaded(fx, after));
  expect(again.plan.kind).toBe('already');
});

test('migrate: a refusal of the written-out script says it was read so', () => {
  // Two launches: refused as before, with the reading named.
  const two = WRAPPED.replace('\teend $?\n', '\tssd --start -- --daemonize\n\teend $?\n');
  const r = migrateLoaded(loaded({ svc: 'metalog', initdIn: two, confdIn: null }));
  expect(r.plan.kind).toBe('refuse');
  expect(r.plan.kind === 'refuse' && r.plan.reason).toMatch(
    / \(read with the calls of ssd\(\) written out as the start-stop-daemon command it runs\)$/,
  );
});
