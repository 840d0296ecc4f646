import { existsSync } from 'node:fs';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Version } from './check.js';
import type { LintTarget } from './discover.js';
import type { LintConfig } from './lint.js';
import type { TargetResult } from './run-targets.js';

/**
 * Parallel lint with a shared work queue. The main thread and the workers take CHUNK targets
 * at a time from one counter in shared memory (Atomics), so nobody idles while another has a
 * long tail, and the main thread starts at once instead of waiting for workers to boot.
 * Workers start as early as possible (a worker takes ~130 ms to boot: bin/ starts them for
 * `lint` before the command line is parsed) and get the targets by message; a worker that
 * has not begun by the time the queue is empty is called off, not waited for.
 *
 * This module loads nothing heavy, so that starting workers early costs nothing.
 * Shared memory (Int32): [0] next target index; [1 + w] state of worker w.
 */
export const CHUNK = 8;
export const BOOTING = 0;
export const WORKING = 1;
export const CALLED_OFF = 2;

/** What a worker gets once the targets are known. */
export interface WorkOrder {
  targets: LintTarget[];
  target: Version;
  config: LintConfig;
}

/** What a worker is started with. */
export interface WorkerInput {
  shared: SharedArrayBuffer;
  slot: number;
}

/** Lints what it takes from the queue until it is empty: [target index, result] pairs. */
export type Drain = (order: WorkOrder, queue: Int32Array) => [number, TargetResult][];

/** Threads for a lint run, this one included: RC_SUPERVISE_JOBS, else one per core. */
export function lintThreads(): number {
  const env = Number(process.env.RC_SUPERVISE_JOBS);
  return env >= 1 ? Math.floor(env) : os.availableParallelism();
}

interface Started {
  worker: Worker;
  slot: number;
  done: Promise<[number, TargetResult][]>;
}

export class LintPool {
  /** Targets linted by each thread in the last run: [0] this thread, then each worker (0: called off). */
  readonly shares: number[] = [];
  private readonly shared: SharedArrayBuffer;
  private readonly queue: Int32Array;
  private readonly started: Started[];

  /** Starts `threads - 1` workers now (none under ts-jest, where there is no compiled worker). */
  constructor(readonly threads: number) {
    const workerUrl = new URL('./worker.js', import.meta.url);
    const workers = threads > 1 && existsSync(workerUrl) ? threads - 1 : 0;
    this.shared = new SharedArrayBuffer(4 * (1 + workers));
    this.queue = new Int32Array(this.shared);
    this.started = Array.from({ length: workers }, (_, w) => {
      const input: WorkerInput = { shared: this.shared, slot: 1 + w };
      const worker = new Worker(workerUrl, { workerData: input });
      const done = new Promise<[number, TargetResult][]>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`internal: lint worker exited with code ${code}`)));
      });
      // A called-off worker is terminated: its promise must not count as unhandled.
      done.catch(() => {});
      return { worker, done, slot: 1 + w };
    });
  }

  /**
   * Lints the targets in this thread (`drain`, once `ready` resolves) and in the workers.
   * Results come back in target order, as one thread gives them.
   */
  async run(order: WorkOrder, drain: Drain, ready: Promise<unknown>): Promise<TargetResult[]> {
    try {
      for (const s of this.started) s.worker.postMessage(order);
      await ready;
      const results = new Array<TargetResult>(order.targets.length).fill(null);
      const own = drain(order, this.queue);
      for (const [k, r] of own) results[k] = r;
      this.shares.push(own.length);
      for (const s of this.started) {
        if (Atomics.compareExchange(this.queue, s.slot, BOOTING, CALLED_OFF) === BOOTING) {
          this.shares.push(0);
          continue;
        }
        const theirs = await s.done;
        for (const [k, r] of theirs) results[k] = r;
        this.shares.push(theirs.length);
      }
      return results;
    } finally {
      this.close();
    }
  }

  /** Stops the workers (a run that ends without linting, or after it). */
  close(): void {
    for (const s of this.started) {
      Atomics.compareExchange(this.queue, s.slot, BOOTING, CALLED_OFF);
      void s.worker.terminate();
    }
  }
}

let early: LintPool | undefined;

/** Starts lint workers before the command line is parsed (bin/ does, for `lint`). */
export function startEarly(): void {
  early ??= new LintPool(lintThreads());
}

/** The workers started early when there are as many as wanted, else new ones. */
export function lintPool(threads: number): LintPool {
  const p = early;
  early = undefined;
  if (p && p.threads === threads) return p;
  p?.close();
  return new LintPool(threads);
}
