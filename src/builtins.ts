/**
 * Node's built-in modules that many runs never use, loaded on first use instead of at start:
 * importing crypto, child_process (with net and dgram) and worker_threads compiled some 30 of
 * Node's internal modules on every start, for a plain lint of clean scripts none of them.
 * (Node 20 has no process.getBuiltinModule; a require of our own does the same.)
 */
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

export const childProcess = (): typeof import('node:child_process') => load('node:child_process');
export const crypto = (): typeof import('node:crypto') => load('node:crypto');
export const workerThreads = (): typeof import('node:worker_threads') => load('node:worker_threads');
