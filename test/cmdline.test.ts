/**
 * The effective command lines of every migrated fixture, as OpenRC's own openrc-run.sh and
 * supervise-daemon.sh (Debian's 0.45.2, unpacked) build them, with recording stand-ins for
 * the supervise-daemon and start-stop-daemon binaries. Expectations come from each
 * fixture's expect.json (the wiki and the daemon's manual), not from the engine.
 */
import { migrateLoaded } from '../src/migrate/migrate.js';
import { initParser } from '../src/parse/parser.js';
import { recordActions, splitSuperviseArgv } from './helpers/openrc-cmdline.js';
import { describeWithTree } from './e2e/harness.js';
import { fixtureCases } from './helpers/fixtures.js';
import { loaded } from './helpers/loaded.js';

/** Options only start-stop-daemon knows (or reads differently): never in a supervise-daemon argv. */
const SSD_ONLY =
  /^(--wait|-w|--background|-b|--make-pidfile|-m|--exec|-x|--name|-n|--progress|-P|--interpreted|-i|--startas|-a|--test|-t|--oknodo|-o|--scheduler.*)(=.*)?$/;

/**
 * Hooks that run real programs (checkconfig → `sshd -t`, checkpath, ...) are neutralised for
 * the recording: this test is about the command lines OpenRC builds, not the hooks.
 */
const NEUTRAL =
  '\n# test only\nstart_pre() { :; }\nstop_pre() { :; }\nstart_post() { :; }\nstop_post() { :; }\ncheckconfig() { :; }\n';

const sig = (s: string) => s.replace(/^SIG/, '');

beforeAll(() => initParser());

describeWithTree('effective command lines under real OpenRC shell code', () => {
  const cases = fixtureCases().filter((c) => !c.expect.refused);
  test.each(cases.map((c) => [c.id, c] as const))('%s', async (_id, fx) => {
    const r = migrateLoaded(loaded(fx), { foregroundArgs: fx.expect.foreground_args });
    expect(['migrate', 'already']).toContain(r.plan.kind);
    const initd =
      (r.changes.find((c) => c.path.startsWith('etc/init.d/'))?.after ?? fx.initdIn) +
      (fx.expect.hooks_run ? '' : NEUTRAL);
    const confd = r.changes.find((c) => c.path.startsWith('etc/conf.d/'))?.after ?? fx.confdIn ?? undefined;
    const signals = Object.keys(fx.expect.signals ?? {});
    const recs = await recordActions({
      svc: fx.svc,
      initd,
      confd,
      actions: ['start', ...signals, 'stop'],
      intercept: ['kill', 'pkill'],
    });
    const start = recs[0];
    expect(start.code).toBe(0);
    expect(start.calls).toHaveLength(1);
    const argv = start.calls[0];
    expect(argv.slice(0, 3)).toEqual(['supervise-daemon', fx.svc, '--start']);
    const { options, args } = splitSuperviseArgv(argv);
    for (const o of options) expect(o).not.toMatch(SSD_ONLY);
    const joined = ` ${argv.join(' ')} `;
    for (const w of fx.expect.supervised_argv_contains ?? []) expect(joined).toContain(` ${w} `);
    for (const w of fx.expect.supervised_argv_excludes ?? []) expect(joined).not.toContain(` ${w} `);
    // The supervisor's pidfile is never a file the daemon is told to write.
    const pid = options.indexOf('--pidfile');
    if (pid >= 0) expect(args).not.toContain(options[pid + 1]);
    for (const [i, fn] of signals.entries()) {
      const rec = recs[1 + i];
      expect(rec.code).toBe(0);
      const want = sig(fx.expect.signals![fn]);
      expect(rec.calls.map((c) => [c[0], c[1], c[2], sig(c[3] ?? '')])).toEqual([
        ['supervise-daemon', fx.svc, '--signal', want],
      ]);
    }
    const stop = recs[recs.length - 1];
    expect(stop.calls).toEqual([
      ['supervise-daemon', fx.svc, '--stop', ...(pid >= 0 ? ['--pidfile', options[pid + 1]] : [])],
    ]);
  });
});
