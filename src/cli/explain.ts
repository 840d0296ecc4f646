import path from 'node:path';
import { EXIT, RcError, type ExitCode } from '../errors.js';
import { ssdStart, stopArgv, superviseStart, signalCalls, type Argv } from '../explain/cmdline.js';
import { exists, readScript, readSmallSync, readValueOrUndefined, resolveRoot, underRoot } from '../io/files.js';
import { parseVersion, type Version } from '../lint/check.js';
import { DEFAULT_OPENRC_VERSION } from '../defaults.js';
import { loadService, migrateLoaded, parseService } from '../migrate/migrate.js';
import { samePath } from '../steps/emit.js';
import { Service } from '../model/service.js';
import { initParser } from '../parse/parser.js';
import { ShellFile } from '../parse/shellfile.js';
import { findRule } from '../rules/registry.js';
import type { Out } from './output.js';

const SSD_ONLY =
  /^(--wait|-w|--background|-b|--make-pidfile|-m|--exec|-x|--name|-n|--progress|-P|--startas|-a|--test|-t|--oknodo|-o|--interpreted|-i)(=|$)/;

/** OpenRC's version as recorded under ROOT (lib/rc/version), else the documented default. */
export function rootVersion(root: string): { version: Version; from: string } {
  for (const rel of ['usr/lib/rc/version', 'lib/rc/version']) {
    // A FIFO or a device here must not hang or flood the run (also with --dry-run): refused.
    const text = readSmallSync(root, underRoot(root, rel), rel);
    const v = text === undefined ? undefined : parseVersion(text);
    if (v) return { version: v, from: rel };
  }
  return { version: parseVersion(DEFAULT_OPENRC_VERSION)!, from: 'default' };
}

export interface Explained {
  service: string;
  openrcVersion: string;
  before: Side;
  after: Side | null;
  differences: string[];
}

interface Side {
  supervisor: string;
  start: Argv;
  stop: Argv;
  signals: Record<string, Argv[]>;
}

function side(s: Service, v: Version): Side {
  const fns = [
    'reload',
    'rotate',
    ...(s.words('extra_started_commands') ?? []).concat(s.words('extra_commands') ?? []),
  ];
  const signals: Record<string, Argv[]> = {};
  for (const fn of new Set(fns)) {
    if (!s.defines(fn)) continue;
    const calls = signalCalls(s, fn);
    if (calls.length) signals[fn] = calls;
  }
  return {
    supervisor: s.supervised ? 'supervise-daemon' : 'start-stop-daemon',
    start: s.defines('start')
      ? { dynamic: 'a custom start() runs instead of either supervisor' }
      : s.supervised
        ? superviseStart(s, v)
        : ssdStart(s),
    // A custom stop() (in.tftpd's: start-stop-daemon --stop --exec /usr/sbin/in.tftpd) runs
    // instead of the default one, which would be shown here with an empty --exec.
    stop: s.defines('stop') ? { dynamic: 'a custom stop() runs instead of either supervisor' } : stopArgv(s),
    signals,
  };
}

/** Static: reads files, never runs the script. */
export async function explain(root: string, name: string, version?: string): Promise<Explained> {
  await initParser();
  const v = version ? parseVersion(version) : rootVersion(root).version;
  if (!v) throw new RcError(`--openrc-version ${version}: expected X.Y or X.Y.Z`, EXIT.USAGE);
  const l = await loadService(root, name);
  // What openrc-run sources before the service's own conf.d: rc.conf, conf.d/<prefix> of net.eth0.
  const pre: ShellFile[] = [];
  for (const rel of ['etc/rc.conf', ...(name.includes('.') ? [`etc/conf.d/${name.split('.')[0]}`] : [])]) {
    const abs = underRoot(root, rel);
    if (await exists(abs)) pre.push(new ShellFile(rel, (await readScript(root, abs, rel)).text));
  }
  let runlevel = 'default';
  try {
    runlevel = readValueOrUndefined(root, 'run/openrc/softlevel')?.trim() || runlevel;
  } catch {
    // not booted: the default runlevel
  }
  const rlConfd = `etc/conf.d/${name}.${runlevel}`;
  if (await exists(underRoot(root, rlConfd))) {
    l.confdPath = rlConfd;
    l.confd = await readScript(root, underRoot(root, rlConfd), rlConfd);
  }
  const base = parseService(l);
  const before = new Service(name, base.initd, base.confd, pre);
  const r = migrateLoaded(l);
  let after: Service | null = null;
  if (r.plan.kind === 'migrate') {
    const text = (p: string, d: string | null) => r.changes.find((c) => c.path === p)?.after ?? d;
    const initd = text(l.initdPath, l.initd.text)!;
    const confd = text(l.confdPath, l.confd?.text ?? null);
    after = new Service(
      name,
      new ShellFile(l.initdPath, initd),
      confd === null ? null : new ShellFile(l.confdPath, confd),
      pre,
    );
  }
  const b = side(before, v);
  const a = after ? side(after, v) : null;
  const differences = compare(before, b, after, a);
  if (r.plan.kind === 'refuse') differences.unshift(`not migrated: ${r.plan.reason}`);
  if (r.plan.kind === 'already') differences.unshift('already supervised: no "after"');
  return { service: name, openrcVersion: v.join('.'), before: b, after: a, differences };
}

function daemonArgs(x: Argv): string[] | null {
  if (!('argv' in x)) return null;
  const i = x.argv.indexOf('--');
  return i < 0 ? [] : x.argv.slice(i + 1);
}

function compare(bs: Service, b: Side, as: Service | null, a: Side | null): string[] {
  const out: string[] = [];
  const now = a ?? b;
  const s = as ?? bs;
  if ('argv' in now.start && now.supervisor === 'supervise-daemon') {
    const i = now.start.argv.indexOf('--');
    const opts = now.start.argv.slice(3, i < 0 ? undefined : i - 1);
    for (const o of opts)
      if (SSD_ONLY.test(o))
        out.push(`supervise-daemon would get the start-stop-daemon option ${o} and refuse to start`);
  }
  if (a) {
    const before = daemonArgs(b.start);
    const after = daemonArgs(a.start);
    const moved = new Set(as?.words('command_args_background') ?? []);
    if (before && after)
      for (const w of before) if (!after.includes(w) && !moved.has(w)) out.push(`the daemon no longer gets ${w}`);
  }
  for (const [fn, calls] of Object.entries(now.signals))
    for (const c of calls)
      if (
        'argv' in c &&
        now.supervisor === 'supervise-daemon' &&
        c.argv[0] !== 'supervise-daemon' &&
        !/supervisor/.test(c.argv[0])
      )
        out.push(
          `${fn}() sends its signal with ${c.argv[0]} through the pidfile: it would reach the supervisor, not the daemon`,
        );
  const rule = findRule(s.name, s.daemon);
  const pidfile = s.value('pidfile');
  if (
    now.supervisor === 'supervise-daemon' &&
    rule?.ownPidfile &&
    pidfile &&
    !samePath(pidfile, `/run/supervise-${s.name}.pid`) &&
    (rule.ownPidfile === '*' || samePath(pidfile, rule.ownPidfile))
  ) {
    const fg = daemonArgs(now.start)?.join(' ') ?? '';
    if (!/pid/i.test(fg))
      out.push(
        `${s.daemon} writes ${rule.ownPidfile === '*' ? 'a pid file' : rule.ownPidfile} itself: daemon and supervisor may share the pidfile`,
      );
  }
  return out;
}

function show(x: Argv): string {
  return 'argv' in x
    ? x.argv.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ')
    : `(unknown: ${x.dynamic})`;
}

export async function runExplain(
  args: { root: string; service: string; openrcVersion?: string; json: boolean },
  io: Out,
): Promise<ExitCode> {
  const e = await explain(resolveRoot(args.root), args.service, args.openrcVersion);
  if (args.json) {
    io.out(JSON.stringify(e, null, 2) + '\n');
    return EXIT.OK;
  }
  const { c } = io;
  const print = (title: string, s: Side) => {
    io.out(`${c.bold(title)} (${s.supervisor})\n  start: ${show(s.start)}\n  stop:  ${show(s.stop)}\n`);
    for (const [fn, calls] of Object.entries(s.signals)) for (const x of calls) io.out(`  ${fn}: ${show(x)}\n`);
  };
  io.out(`${c.bold(e.service)}, as OpenRC ${e.openrcVersion} would run it (static: nothing was executed)\n`);
  print('before', e.before);
  if (e.after) print('after', e.after);
  if (e.differences.length) {
    io.out(c.bold('what matters\n'));
    for (const d of e.differences) io.out(`  - ${d}\n`);
  }
  return EXIT.OK;
}
