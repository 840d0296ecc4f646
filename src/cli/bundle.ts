/**
 * The release bundle's entry (scripts/release.mjs): one CommonJS file that its loader
 * (bin/load-bundle.cjs) compiles with V8's code cache. The program, and a worker thread's
 * start (lib/worker.js), loaded only in a worker.
 */
export { start } from './start.js';

export const workerMain = async (): Promise<void> => (await import('../pool/worker-main.js')).workerMain();
