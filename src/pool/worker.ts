import { parentPort, workerData } from 'node:worker_threads';
import { drainLint } from '../lint/run-targets.js';
import { drainMigrate } from '../migrate/batch.js';
import { initParser } from '../parse/parser.js';
import { BOOTING, WORKING, type WorkerInput, type WorkOrder } from './pool.js';

/** One worker thread: gets ready, then takes items from the shared queue until it is empty. */
const { shared, slot } = workerData as WorkerInput;
const queue = new Int32Array(shared);
await initParser();
parentPort!.once('message', (order: WorkOrder) => {
  // The main thread may have emptied the queue and called this worker off meanwhile.
  if (Atomics.compareExchange(queue, slot, BOOTING, WORKING) !== BOOTING) return;
  parentPort!.postMessage(order.kind === 'lint' ? drainLint(order, queue) : drainMigrate(order, queue));
});
