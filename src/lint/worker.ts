import { parentPort, workerData } from 'node:worker_threads';
import { initParser } from '../parse/parser.js';
import { BOOTING, WORKING, type WorkerInput, type WorkOrder } from './pool.js';
import { drain } from './run-targets.js';

/** One lint worker: gets ready, then takes targets from the shared queue until it is empty. */
const { shared, slot } = workerData as WorkerInput;
const queue = new Int32Array(shared);
await initParser();
parentPort!.once('message', (order: WorkOrder) => {
  // The main thread may have emptied the queue and called this worker off meanwhile.
  if (Atomics.compareExchange(queue, slot, BOOTING, WORKING) === BOOTING) parentPort!.postMessage(drain(order, queue));
});
