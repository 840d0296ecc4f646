import { initParser } from '../../src/parse/parser.js';
import { retryStep } from '../../src/steps/retry.js';
import type { Draft } from '../../src/steps/index.js';
import { applied, ctx, draft, service, sh } from './helpers.js';

beforeAll(() => initParser());

const head = ['#!/sbin/openrc-run', 'command=/usr/bin/foo'];

function run(initd: string, confd: string | null = null) {
  const s = service(initd, confd);
  const d = draft();
  retryStep(ctx(s), d);
  return { s, d };
}

const noKill = (v: string) =>
  `retry="${v}" has no KILL step: under supervise-daemon a stop that outlasts it reports success and leaves the daemon running without its supervisor, where start-stop-daemon's stop failed and said so; end retry with /KILL/5 if the daemon may take longer (docs/openrc.md §8)`;

// bitcoind's conf.d retry=60 (holdout 8's review; dmeventd and lvmlockd on holdout 9 ignore TERM
// at times): a stop schedule without KILL. A schedule the script chose is said per service; an
// unset one (TERM/5) is only counted, for migrate's summary.
test('a stop schedule without KILL: said when the script sets it, counted either way', () => {
  const conf = run(sh(...head), 'retry=60\n');
  expect(conf.d.notes).toEqual([noKill('60')]);
  expect(conf.d.stopsWithoutKill).toBe(true);
  expect(run(sh(...head, 'retry="TERM/30"')).d.notes).toEqual([noKill('TERM/30')]);
  for (const killing of ['TERM/30/KILL/5', 'SIGTERM/20/SIGKILL/5', 'INT/10/-9', 'TERM/5/-KILL/5', '-SIGKILL/1']) {
    const r = run(sh(...head, `retry="${killing}"`));
    expect(r.d.notes).toEqual([]);
    expect(r.d.stopsWithoutKill).toBe(false);
  }
  // OpenRC reads an item starting with a digit as a timeout: INT, 10 s, 9 s, no KILL.
  expect(run(sh(...head, 'retry="INT/10/9"')).d.stopsWithoutKill).toBe(true);
  // Unset: no note, counted.
  const unset = run(sh(...head));
  expect(unset.d.notes).toEqual([]);
  expect(unset.d.stopsWithoutKill).toBe(true);
  // Computed where it is not known: neither.
  const unknown = run(sh(...head, 'retry="$(get_delay)"'));
  expect(unknown.d.notes).toEqual([]);
  expect(unknown.d.stopsWithoutKill).toBeUndefined();
  // stopsig without retry writes retry="SIGINT/5": its own note says so, and it is counted.
  const sig = run(sh(...head, 'stopsig=INT'));
  expect(sig.d.notes).toEqual(['stopsig=INT is ignored by supervise-daemon: retry="SIGINT/5" sends it instead']);
  expect(sig.d.stopsWithoutKill).toBe(true);
});

test('stopsig without retry: retry="SIG<name>/5" (what master maps it to), in the block', () => {
  const { d } = run(sh(...head, 'stopsig=INT'));
  expect(d.lines).toEqual(['retry="SIGINT/5"']);
  expect(d.notes).toEqual(['stopsig=INT is ignored by supervise-daemon: retry="SIGINT/5" sends it instead']);
  expect(d.extraEdits).toEqual([]);
  expect(d.initdReasons).toEqual([]);
});

test('stopsig spelt SIGQUIT or lower case', () => {
  expect(run(sh(...head, 'stopsig=SIGQUIT')).d.lines).toEqual(['retry="SIGQUIT/5"']);
  expect(run(sh(...head, 'stopsig=usr1')).d.lines).toEqual(['retry="SIGUSR1/5"']);
});

test('stopsig from conf.d is read', () => {
  expect(run(sh(...head), 'stopsig=INT\n').d.lines).toEqual(['retry="SIGINT/5"']);
});

test('stopsig folded into a plain timeout retry in init.d: "SIG/<timeout>" (s-s-d sent stopsig, then waited)', () => {
  const { s, d } = run(sh(...head, 'stopsig=QUIT', 'retry="30"'));
  expect(applied(s, d.extraEdits)).toBe(sh(...head, 'stopsig=QUIT', 'retry="SIGQUIT/30"'));
  expect(d.notes).toEqual([
    'stopsig=QUIT is ignored by supervise-daemon: retry now starts with SIGQUIT',
    noKill('SIGQUIT/30'),
  ]);
  expect(d.initdReasons).toEqual(['stopsig must become part of retry in init.d']);
  expect(d.lines).toEqual([]);
  // Unquoted value: quoted in the edit.
  const bare = run(sh(...head, 'stopsig=QUIT', 'retry=30'));
  expect(applied(bare.s, bare.d.extraEdits)).toBe(sh(...head, 'stopsig=QUIT', 'retry="SIGQUIT/30"'));
});

test('nothing to fold: TERM, no stopsig, a full schedule, a dynamic stopsig', () => {
  for (const lines of [
    ['stopsig=TERM'],
    ['stopsig=SIGTERM'],
    [],
    ['stopsig=INT', 'retry="TERM/30/KILL/5"'],
    ['stopsig="${FOO_SIG:-INT} x"'],
  ]) {
    const { d } = run(sh(...head, ...lines));
    expect(d.lines).toEqual([]);
    expect(d.extraEdits).toEqual([]);
    expect(d.notes).toEqual([]);
  }
});

test('a single-quoted retry is not rewritten (no edit that could change its meaning)', () => {
  const { d } = run(sh(...head, 'stopsig=INT', "retry='30'"));
  expect(d.extraEdits).toEqual([]);
  expect(d.lines).toEqual([]);
});

// BUG (retry.ts): a numeric stopsig is written as a number (`retry="2/5"`); in OpenRC's
// parse_schedule an item starting with a digit is a TIMEOUT, so "2/5" sends no signal at all.
// custom-start.ts maps numbers to names for the same reason (SIGNAL_NAMES); retry.ts does not.
test('a numeric stopsig becomes a signal in retry (SIGINT or -2), not a timeout', () => {
  const { d } = run(sh(...head, 'stopsig=2'));
  expect(d.lines).toHaveLength(1);
  expect(d.lines[0]).toMatch(/^retry="(SIGINT|-2)\/5"$/);
});

// BUG (retry.ts): retry set to a bare timeout in conf.d only (`retry=30`) and stopsig=INT: under
// start-stop-daemon that meant INT then 30 s; under supervise-daemon it is TERM. The step
// returns null here and says nothing, so the stop signal is lost silently.
test('stopsig with a timeout-only retry from conf.d is not lost silently', () => {
  const { d } = run(sh(...head, 'stopsig=INT'), 'retry=30\n');
  const said = [...d.notes, ...d.warnings].some((n) => n.includes('stopsig'));
  const kept = [...d.lines, ...d.extraEdits.map((e) => e.text)].some((l) => l.includes('SIGINT'));
  expect(said || kept).toBe(true);
});

// i2p: supervise-daemon.sh passes `--retry $retry` unquoted at start, so a second word takes
// the program's place (seen under real supervise-daemon 0.45: "(null) does not exist"). Set by
// one plain line of the script, it is written as the one schedule its words spell; elsewhere
// (conf.d, a value rc-supervise does not edit) it is refused, with that spelling.
test('a retry of several words in the script becomes one schedule; in conf.d it is refused', () => {
  const s = service(sh(...head, "retry='SIGTERM/20 SIGKILL/20'"));
  const d = draft();
  expect(retryStep(ctx(s), d)).toBeUndefined();
  expect(applied(s, d.extraEdits)).toBe(sh(...head, 'retry="SIGTERM/20/SIGKILL/20"'));
  expect(d.initdReasons).toEqual(['retry must be one schedule in init.d']);
  expect(d.notes).toEqual([
    'retry="SIGTERM/20 SIGKILL/20" is now written as one schedule, "SIGTERM/20/SIGKILL/20": OpenRC passes retry unquoted, so as two words supervise-daemon would have taken SIGKILL/20 for the program; as one, both supervisors stop the daemon by that schedule',
  ]);
  // The joined schedule has a KILL step: no no-KILL note.
  expect(d.stopsWithoutKill).toBe(false);
  for (const [initd, confd] of [
    [sh(...head), 'retry="TERM/20 KILL/5"\n'],
    // a word that is not a signal/timeout pair, or a signal OpenRC does not know;
    [sh(...head, 'retry="TERM/20 5"'), null],
    [sh(...head, 'retry="TERM/20 SIGFOO/5"'), null],
    // set again inside a function (the line rc-supervise would edit may not be the one in force).
    [sh(...head, 'retry="TERM/20 KILL/5"', 'start_pre() {', '\tretry="TERM/5"', '}'), null],
  ] as const) {
    const r = retryStep(ctx(service(initd, confd)), draft());
    expect(r).toMatchObject({ kind: 'refuse', code: 'dynamic' });
    expect(r && r.reason).toMatch(/^retry holds several words \(.+\): OpenRC gives them to supervise-daemon unquoted/);
  }
  // Set inside a condition: its value when the service runs is not known, and it is left alone.
  const left = draft();
  expect(retryStep(ctx(service(sh(...head, '[ -n "$X" ] && retry="TERM/20 KILL/5"'))), left)).toBeUndefined();
  expect(left.extraEdits).toEqual([]);
  const r = retryStep(ctx(service(sh(...head), 'retry="TERM/20 KILL/5"\n')), draft());
  expect(r && r.suggestion).toBe('write retry as one schedule (TERM/20/KILL/5), then migrate again');
  // One schedule, or a plain timeout, is fine.
  for (const v of ['SIGTERM/20/SIGKILL/20', '30', ' TERM/5 '])
    expect(retryStep(ctx(service(sh(...head, `retry="${v}"`))), draft())).toBeUndefined();
});

// adchpp-lan (judged sample of round 20): its custom stop() ran `start-stop-daemon --stop -R
// SIGINT/5`, which the conversion writes as retry=SIGINT/5; that schedule has no KILL step
// either, and was not said.
test("a converted stop()'s schedule (the retry= line the conversion writes) is asked the same question", () => {
  const conv = (line: string) => {
    const s = service(sh(...head));
    const d = draft({ converted: { lines: ['command_background="yes"', line] } as Draft['converted'] });
    retryStep(ctx(s), d);
    return d;
  };
  const plain = conv('retry=SIGINT/5');
  expect(plain.notes).toEqual([noKill('SIGINT/5')]);
  expect(plain.stopsWithoutKill).toBe(true);
  const killing = conv("retry='SIGTERM/20/SIGKILL/5'");
  expect(killing.notes).toEqual([]);
  expect(killing.stopsWithoutKill).toBe(false);
  // From a variable: not known, so neither said nor counted.
  const unknown = conv('retry="${STOP_SCHEDULE}"');
  expect(unknown.notes).toEqual([]);
  expect(unknown.stopsWithoutKill).toBeUndefined();
  // The script's own retry= wins over the line (the conversion writes none then).
  const own = service(sh(...head, 'retry="TERM/30/KILL/5"'));
  const d = draft({ converted: { lines: ['retry=SIGINT/5'] } as Draft['converted'] });
  retryStep(ctx(own), d);
  expect(d.notes).toEqual([]);
});
