import { migrateLoaded } from '../src/migrate/migrate.js';
import { confirmSyntax } from '../src/parse/syntax-check.js';
import { loaded } from './helpers/loaded.js';
import { initParser } from '../src/parse/parser.js';
import { ShellFile } from '../src/parse/shellfile.js';
import { fixtureCases } from './helpers/fixtures.js';

beforeAll(() => initParser());

const cases = fixtureCases();

test('fixtures exist', () => {
  expect(cases.length).toBeGreaterThan(0);
});

describe.each(cases.map((c) => [c.id, c] as const))('%s', (_id, fx) => {
  const opts = { foregroundArgs: fx.expect.foreground_args };
  const result = () => migrateLoaded(loaded(fx), opts);
  const after = (p: string) => result().changes.find((c) => c.path === p)?.after;

  if (fx.expect.refused) {
    test('is refused with the reason, and nothing changes', () => {
      const r = result();
      expect(r.plan.kind).toBe('refuse');
      if (r.plan.kind === 'refuse' && fx.expect.reason_contains)
        expect(r.plan.reason).toContain(fx.expect.reason_contains);
      expect(r.changes).toEqual([]);
    });
    return;
  }
  if (fx.expect.already_supervised) {
    test('is already supervised: nothing changes', () => {
      const r = result();
      expect(r.plan.kind).toBe('already');
      expect(r.changes).toEqual([]);
    });
    return;
  }

  test('output is the expected init.d and conf.d (no .out: byte-identical)', () => {
    const r = result();
    expect(r.plan.kind).toBe('migrate');
    expect(after(`etc/init.d/${fx.svc}`) ?? fx.initdIn).toBe(fx.initdOut ?? fx.initdIn);
    expect(after(`etc/conf.d/${fx.svc}`) ?? fx.confdIn).toBe(fx.confdOut ?? fx.confdIn);
    if (fx.expect.route && r.plan.kind === 'migrate') expect(r.plan.route).toBe(fx.expect.route);
    if (fx.expect.initd_unchanged) expect(after(`etc/init.d/${fx.svc}`)).toBeUndefined();
    for (const w of fx.expect.warnings ?? [])
      expect(r.plan.kind === 'migrate' ? r.plan.warnings.join('\n') : '').toContain(w);
    for (const n of fx.expect.notes ?? [])
      expect(r.plan.kind === 'migrate' ? r.plan.notes.join('\n') : '').toContain(n);
  });

  test('every byte outside the edited spans is unchanged', () => {
    const r = result();
    if (r.plan.kind !== 'migrate') throw new Error('not migrated');
    for (const ch of r.changes) {
      if (ch.before === null) continue;
      const spans = r.plan.edits.filter((e) => e.file === ch.path);
      // Independent of applyEdits: walk the original between edits and find each untouched
      // segment, byte for byte, at the offset it must have in the output.
      expect(r.passes).toBe(1);
      // The order applyEdits documents: by start, an insertion before a replacement at the same offset.
      const sorted = [...spans].sort((x, y) => x.start - y.start || x.end - y.end);
      let inPos = 0;
      let outPos = 0;
      for (const e of [...sorted, { start: ch.before.length, end: ch.before.length, text: '' }]) {
        const seg = ch.before.slice(inPos, e.start);
        expect(ch.after.slice(outPos, outPos + seg.length)).toBe(seg);
        outPos += seg.length + e.text.length;
        inPos = e.end;
      }
      expect(outPos).toBe(ch.after.length);
    }
  });

  test('output re-parses cleanly and a second migration changes nothing', () => {
    const r = result();
    const initd = after(`etc/init.d/${fx.svc}`) ?? fx.initdIn;
    const confd = after(`etc/conf.d/${fx.svc}`) ?? fx.confdIn;
    // No grammar error, or only those of the input where the shell accepts it (grammar-misparse).
    for (const [before, out] of [
      [fx.initdIn, initd],
      [fx.confdIn, confd],
    ] as const) {
      if (out === null) continue;
      const errs = new ShellFile('x', out).errors.length;
      if (errs === 0) continue;
      expect(errs).toBeLessThanOrEqual(before === null ? 0 : new ShellFile('i', before).errors.length);
      expect(confirmSyntax(out, new ShellFile('x', out).shebang).verdict).toBe('ok');
    }
    const again = migrateLoaded(loaded(fx, initd, confd), opts);
    expect(again.plan.kind).toBe('already');
    expect(again.changes).toEqual([]);
    expect(r.passes).toBeGreaterThanOrEqual(1);
  });
});
