import { promises as fs } from 'node:fs';
import path from 'node:path';
import { EXIT, RcError, type ExitCode } from '../errors.js';
import { readManifest } from '../io/apply.js';
import { readValueOrUndefined, resolveRoot, underRoot } from '../io/files.js';
import { loadServiceSync, migrateLoaded } from '../migrate/migrate.js';
import { initParser } from '../parse/parser.js';
import { listServices } from './migrate.js';
import { errColors, type Out } from './output.js';

export type ServiceClass =
  'supervised' | 'convertible' | 'needs-foreground-args' | 'not-applicable' | 'refused' | 'broken';

export interface ServiceStatus {
  service: string;
  class: ServiceClass;
  /** supervised: where the supervisor is set; convertible: the route. */
  where?: string;
  /** Why (refused, not applicable, needs foreground args) or the error (broken). */
  detail?: string;
  rule?: string;
  /** From ROOT/run/openrc when present. */
  state?: string;
  startTime?: string;
  respawns?: number;
  /** rc-supervise migrated it (recorded in ROOT/var/lib/rc-supervise): `revert` can undo it. */
  revertable?: boolean;
  /**
   * Files a package manager left for the admin to merge (`._cfg0000_sshd`, `sshd.apk-new`,
   * `sshd.pacnew`, ...): merging one puts back the package's script or conf.d, undoing a migration.
   */
  pending?: string[];
}

/** A package manager's copy of `name` waiting to be merged, as each names it. */
function pendingFor(dirRel: string, names: string[], svc: string): string[] {
  return names
    .filter(
      (n) =>
        new RegExp(`^\\._cfg\\d{4}_${svc.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`).test(n) ||
        [
          `${svc}.apk-new`,
          `${svc}.pacnew`,
          `${svc}.rpmnew`,
          `${svc}.dpkg-new`,
          `${svc}.dpkg-dist`,
          `${svc}.ucf-dist`,
        ].includes(n),
    )
    .map((n) => `${dirRel}/${n}`);
}

const SHEBANG = /^(?:\uFEFF)?#!\s*\S*\/(openrc-run|runscript)(\s|$)/;

/** Whether any script in ROOT/etc/init.d is an OpenRC one (its first line). */
async function anyOpenRCScript(root: string, names: string[]): Promise<boolean> {
  for (const n of names) {
    let fh;
    try {
      fh = await fs.open(underRoot(root, `etc/init.d/${n}`), fs.constants?.O_RDONLY ?? 0);
      const buf = Buffer.alloc(128);
      const { bytesRead } = await fh.read(buf, 0, 128, 0);
      if (SHEBANG.test(buf.subarray(0, bytesRead).toString('utf8'))) return true;
    } catch {
      // unreadable: not evidence either way
    } finally {
      await fh?.close();
    }
  }
  return false;
}

async function readValue(root: string, svc: string, key: string): Promise<string | undefined> {
  // Resolved inside the root, regular files only, a few bytes: never /etc/shadow or /dev/zero.
  return readValueOrUndefined(root, `run/openrc/options/${svc}/${key}`)?.trim();
}

async function runtime(root: string, svc: string): Promise<Pick<ServiceStatus, 'state' | 'startTime' | 'respawns'>> {
  const out: Pick<ServiceStatus, 'state' | 'startTime' | 'respawns'> = {};
  for (const state of ['started', 'starting', 'stopping', 'inactive', 'failed']) {
    try {
      await fs.lstat(underRoot(root, `run/openrc/${state}/${svc}`));
      out.state = state;
      break;
    } catch {
      // not in this state
    }
  }
  out.startTime = await readValue(root, svc, 'start_time');
  const count = await readValue(root, svc, 'start_count');
  // supervise-daemon counts respawns in start_count (the first start is not counted).
  if (count !== undefined && /^\d+$/.test(count)) out.respawns = Number(count);
  return out;
}

/** Classifies every service in ROOT/etc/init.d without writing anything. */
export async function collectStatus(root: string): Promise<ServiceStatus[]> {
  const names = await listServices(root);
  if (names.length && !(await anyOpenRCScript(root, names)))
    throw new RcError(
      `${underRoot(root, 'etc/init.d')}: no OpenRC init script (none starts with #!/sbin/openrc-run): this is not an OpenRC system, nothing to classify`,
      EXIT.INPUT,
    );
  await initParser();
  const migrated = new Set((await readManifest(root)).entries.map((e) => e.service));
  const listing = async (d: string) => fs.readdir(underRoot(root, d)).catch(() => [] as string[]);
  const [initdNames, confdNames] = await Promise.all([listing('etc/init.d'), listing('etc/conf.d')]);
  const out: ServiceStatus[] = [];
  for (const name of names) {
    let st: ServiceStatus;
    try {
      const r = migrateLoaded(loadServiceSync(root, name));
      const p = r.plan;
      const rule = r.rule?.id;
      if (p.kind === 'already') st = { service: name, class: 'supervised', where: p.where, rule };
      else if (p.kind === 'migrate') st = { service: name, class: 'convertible', where: p.route, detail: p.why, rule };
      else if (p.code === 'needs-foreground')
        st = { service: name, class: 'needs-foreground-args', detail: p.reason, rule };
      else if (p.code === 'oneshot') st = { service: name, class: 'not-applicable', detail: p.reason, rule };
      else st = { service: name, class: 'refused', where: p.code, detail: p.reason, rule };
    } catch (e) {
      if (!(e instanceof RcError)) throw e;
      st = { service: name, class: 'broken', detail: e.message };
    }
    if (await exists(underRoot(root, 'run/openrc'))) Object.assign(st, await runtime(root, name));
    if (migrated.has(name)) st.revertable = true;
    const pending = [...pendingFor('etc/init.d', initdNames, name), ...pendingFor('etc/conf.d', confdNames, name)];
    if (pending.length) st.pending = pending;
    out.push(st);
  }
  return out;
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.stat(p);
    return true;
  } catch {
    return false;
  }
}

export async function runStatus(args: { root: string; json: boolean }, io: Out): Promise<ExitCode> {
  const root = resolveRoot(args.root);
  const rows = await collectStatus(root);
  const counts = new Map<ServiceClass, number>();
  for (const r of rows) counts.set(r.class, (counts.get(r.class) ?? 0) + 1);
  const summary = (
    ['supervised', 'convertible', 'needs-foreground-args', 'not-applicable', 'refused', 'broken'] as const
  )
    .map((k) => `${counts.get(k) ?? 0} ${k}`)
    .join(', ');
  if (args.json) {
    io.out(JSON.stringify({ root, services: rows, summary: Object.fromEntries(counts) }, null, 2) + '\n');
    return EXIT.OK;
  }
  const { c } = io;
  const paint: Record<ServiceClass, (s: string) => string> = {
    supervised: c.green,
    convertible: c.cyan,
    'needs-foreground-args': c.yellow,
    'not-applicable': c.dim,
    refused: c.magenta,
    broken: c.red,
  };
  const w = Math.max(7, ...rows.map((r) => r.service.length));
  io.out(`${c.bold('SERVICE'.padEnd(w))}  ${c.bold('CLASS'.padEnd(21))}  ${c.bold('DETAIL')}\n`);
  for (const r of rows) {
    const detail =
      r.class === 'supervised'
        ? `set in ${r.where}${r.state ? `; ${r.state}${r.startTime ? ` ${r.startTime}` : ''}${r.respawns !== undefined ? ` (${r.respawns} respawns)` : ''}` : ''}`
        : r.class === 'convertible'
          ? `via ${r.where}${r.rule ? ` (rule ${r.rule})` : ''}`
          : (r.detail ?? '');
    const marks = r.revertable ? `; migrated by rc-supervise (rc-supervise revert ${r.service} undoes it)` : '';
    io.out(`${r.service.padEnd(w)}  ${paint[r.class](r.class.padEnd(21))}  ${detail}${marks}\n`);
    for (const p of r.pending ?? [])
      io.out(
        `${''.padEnd(w)}  ${c.yellow('pending'.padEnd(21))}  ${p}: a package update waiting to be merged; merging it ${r.revertable || r.class === 'supervised' ? 'undoes the migration (migrate again after merging)' : 'replaces this file'}\n`,
      );
  }
  io.out(`${rows.length} services: ${summary}\n`);
  const pendingCount = rows.filter((r) => r.pending?.length && (r.revertable || r.class === 'supervised')).length;
  if (pendingCount)
    io.err(
      `${errColors(io).yellow('warning:')} ${pendingCount} migrated service(s) have a package update waiting to be merged (etc-update, dispatch-conf, apk, pacman): merging undoes the migration; run rc-supervise migrate again afterwards\n`,
    );
  return EXIT.OK;
}
