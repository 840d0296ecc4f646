import { promises as fs } from 'node:fs';
import path from 'node:path';
import { EXIT, RcError, type ExitCode } from '../errors.js';
import { readValueOrUndefined, resolveRoot, underRoot } from '../io/files.js';
import { loadServiceSync, migrateLoaded } from '../migrate/migrate.js';
import { initParser } from '../parse/parser.js';
import { listServices } from './migrate.js';
import type { Out } from './output.js';

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
  await initParser();
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
    io.out(`${r.service.padEnd(w)}  ${paint[r.class](r.class.padEnd(21))}  ${detail}\n`);
  }
  io.out(`${rows.length} services: ${summary}\n`);
  return EXIT.OK;
}
