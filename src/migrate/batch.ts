import { EXIT, RcError, toRcError, type ExitCode } from '../errors.js';
import { take, type WorkOrder } from '../pool/pool.js';
import { loadServiceSync, migrateLoaded, type ServiceResult } from './migrate.js';
import type { PlanOptions } from './plan.js';

/** One service of a batch: its result, or the error it failed with (plain data, to cross threads). */
export type BatchResult = { ok: ServiceResult } | { error: { message: string; exitCode: ExitCode; path?: string } };

export { toRcError };

/** Loads and plans one service in memory (nothing is written). */
export function migrateOne(root: string, name: string, options: PlanOptions): BatchResult {
  try {
    return { ok: migrateLoaded(loadServiceSync(root, name), options) };
  } catch (e) {
    const r = toRcError(e);
    return { error: { message: r.message, exitCode: r.exitCode, path: r.path } };
  }
}

/** Plans services taken from the shared queue until it is empty (pool/pool.ts). */
export function drainMigrate(
  order: Extract<WorkOrder, { kind: 'migrate' }>,
  queue: Int32Array,
): [number, BatchResult][] {
  const out: [number, BatchResult][] = [];
  for (const k of take(queue, order.names.length)) out.push([k, migrateOne(order.root, order.names[k], order.options)]);
  return out;
}

/** The error a BatchResult carries, as an RcError again. */
export function batchError(e: { message: string; exitCode: ExitCode; path?: string }): RcError {
  return new RcError(e.message, e.exitCode, e.path);
}
