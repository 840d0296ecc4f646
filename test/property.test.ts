import fc from 'fast-check';
import { EXIT, RcError } from '../src/errors.js';
import { migrateLoaded, type LoadedService } from '../src/migrate/migrate.js';
import { initParser } from '../src/parse/parser.js';
import { confirmSyntax } from '../src/parse/syntax-check.js';
import { ShellFile } from '../src/parse/shellfile.js';
import { fixFile, lintFile } from '../src/lint/lint.js';
import { run } from './helpers/cli.js';
import { fixtureCases, makeRoot } from './helpers/fixtures.js';

/**
 * Property tests over our fixtures with random mutations. Seeded and reproducible:
 * FC_SEED=<n> reruns a failure (fast-check prints the seed and the shrunk case).
 */
const seed = Number(process.env.FC_SEED ?? 20261123);
const DOCUMENTED = new Set<number>(Object.values(EXIT));

beforeAll(() => initParser());

const bases = fixtureCases().map((c) => ({ svc: c.svc, initd: c.initdIn, confd: c.confdIn }));

type Mutation = (lines: string[]) => string[];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map((i) => (l: string[]) => l.filter((_, k) => k !== i % Math.max(1, l.length))),
  fc.nat().map((i) => (l: string[]) => {
    const k = i % Math.max(1, l.length);
    return [...l.slice(0, k + 1), l[k] ?? '', ...l.slice(k + 1)];
  }),
  fc
    .tuple(fc.nat(), fc.nat(), fc.constantFrom('"', "'", '\\', '`', '$(', '}', '{', ';;', '#', '\t', ' ', '\r'))
    .map(([i, j, s]) => (l: string[]) => {
      const k = i % Math.max(1, l.length);
      const line = l[k] ?? '';
      const at = j % (line.length + 1);
      return [...l.slice(0, k), line.slice(0, at) + s + line.slice(at), ...l.slice(k + 1)];
    }),
  fc.tuple(fc.nat(), fc.string({ unit: 'binary', maxLength: 8 })).map(([i, s]) => (l: string[]) => {
    const k = i % Math.max(1, l.length);
    return [...l.slice(0, k), s, ...l.slice(k)];
  }),
  fc
    .tuple(fc.nat(), fc.constantFrom('# note', '', '   ', '\t# x "quoted" $(y)', ': ${X:=${Y:-$(cmd "a b")}}'))
    .map(([i, s]) => (l: string[]) => {
      const k = i % Math.max(1, l.length);
      return [...l.slice(0, k), s, ...l.slice(k)];
    }),
);

const mutated = fc
  .tuple(fc.constantFrom(...bases), fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.boolean())
  .map(([b, ms, crlf]) => {
    let lines = b.initd.split('\n');
    for (const m of ms) lines = m(lines);
    const initd = lines.join(crlf ? '\r\n' : '\n');
    return { svc: b.svc, initd, confd: b.confd };
  });

const meta = { realPath: '', mode: 0o755, uid: 0, gid: 0, mtimeMs: 0 };
const loaded = (svc: string, initd: string, confd: string | null): LoadedService => ({
  name: svc,
  initdPath: `etc/init.d/${svc}`,
  confdPath: `etc/conf.d/${svc}`,
  initd: { ...meta, text: initd },
  confd: confd === null ? null : { ...meta, text: confd },
});

test('parse never throws; migrate gives a plan or a documented error; output re-parses and is a fixed point', () => {
  fc.assert(
    fc.property(mutated, ({ svc, initd, confd }) => {
      expect(() => new ShellFile('p', initd)).not.toThrow();
      let r;
      try {
        r = migrateLoaded(loaded(svc, initd, confd));
      } catch (e) {
        if (!(e instanceof RcError)) throw e;
        expect(DOCUMENTED.has(e.exitCode)).toBe(true);
        expect(e.exitCode).not.toBe(EXIT.INTERNAL);
        expect(e.message.length).toBeGreaterThan(0);
        return;
      }
      if (r.plan.kind !== 'migrate') return;
      const out = (p: string, d: string | null) => r.changes.find((c) => c.path === p)?.after ?? d;
      const initd2 = out(`etc/init.d/${svc}`, initd)!;
      const confd2 = out(`etc/conf.d/${svc}`, confd);
      // Output re-parses: no grammar error, or (where the grammar misread the input and the
      // shell accepted it) no more than the input had, and the shell still accepts it.
      for (const [before, after] of [
        [initd, initd2],
        [confd, confd2],
      ] as const) {
        if (after === null) continue;
        const errs = new ShellFile('o', after).errors.length;
        if (errs === 0) continue;
        expect(errs).toBeLessThanOrEqual(before === null ? 0 : new ShellFile('i', before).errors.length);
        expect(confirmSyntax(after, new ShellFile('o', after).shebang).verdict).not.toBe('error');
      }
      const again = migrateLoaded(loaded(svc, initd2, confd2));
      expect(again.plan.kind).toBe('already');
      expect(again.changes).toEqual([]);
    }),
    { seed, numRuns: 2000 },
  );
});

test('the CLI exits with a documented code and a message on mutated scripts', async () => {
  await fc.assert(
    fc.asyncProperty(mutated, async ({ svc, initd, confd }) => {
      const root = await makeRoot([{ svc, initd, confd }]);
      const r = await run('migrate', svc, '--root', root, '--dry-run');
      expect(DOCUMENTED.has(r.code)).toBe(true);
      expect(r.code).not.toBe(EXIT.INTERNAL);
      if (r.code !== 0) expect(r.stderr.length).toBeGreaterThan(0);
    }),
    { seed: seed + 1, numRuns: 150 },
  );
});

test('lint and lint --fix never fail on mutated scripts; fixes re-parse', () => {
  fc.assert(
    fc.property(mutated, fc.boolean(), ({ svc, initd, confd }, unsafe) => {
      const input = { initdPath: `${svc}.initd`, initdText: initd, confdPath: `${svc}.confd`, confdText: confd };
      const findings = lintFile(input);
      for (const f of findings) expect(f.line).toBeGreaterThanOrEqual(1);
      const r = fixFile(input, { unsafe });
      const out = r.texts.get(`${svc}.initd`)!;
      if (new ShellFile('in', initd).errors.length === 0) expect(new ShellFile('out', out).errors).toEqual([]);
      expect(r.findings.filter((f) => f.fix && (unsafe || f.fix.safety === 'safe'))).toEqual([]);
    }),
    { seed: seed + 2, numRuns: 500 },
  );
});
