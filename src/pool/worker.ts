/** A worker thread of the development tree (pool.ts starts this file; see worker-main.ts). */
import { workerMain } from './worker-main.js';

await workerMain();
