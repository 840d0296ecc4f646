import { parentPort, workerData } from 'node:worker_threads';
import { initParser } from '../parse/parser.js';
import { BOOTING, WORKING, type WorkerInput, type WorkOrder } from './pool.js';

/**
 * One worker thread: gets ready, then takes items from the shared queue until it is empty.
 * It loads only the code of the command it was started for (a lint worker needs none of
 * migrate's, and booting is what a worker costs). Started by src/pool/worker.ts (the
 * development tree) or the release bundle's lib/worker.js (bin/bundle-worker.js).
 */
export async function workerMain(): Promise<void> {
  const { shared, slot, kind } = workerData as WorkerInput;
  const queue = new Int32Array(shared);
  const [drain] = await Promise.all([
    kind === 'lint'
      ? import('../lint/run-targets.js').then((m) => m.drainLint as (o: WorkOrder, q: Int32Array) => unknown)
      : import('../migrate/batch.js').then((m) => m.drainMigrate as (o: WorkOrder, q: Int32Array) => unknown),
    initParser(),
  ]);
  parentPort!.once('message', async (order: WorkOrder) => {
    // The main thread may have emptied the queue and called this worker off meanwhile.
    if (Atomics.compareExchange(queue, slot, BOOTING, WORKING) !== BOOTING) return;
    if (order.kind !== kind) throw new Error(`internal: a ${kind} worker was sent a ${order.kind} order`);
    parentPort!.postMessage(await drain(order, queue));
  });
}
