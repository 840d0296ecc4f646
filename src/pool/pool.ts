import { existsSync } from 'node:fs';
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { workerThreads } from '../builtins.js';
import type { Version } from '../lint/check.js';
import type { LintTarget } from '../lint/discover.js';
import type { LintConfig } from '../lint/lint.js';
import type { PlanOptions } from '../migrate/plan.js';

/**
 * Batches (lint, migrate --all) in this thread plus worker threads, with a shared work queue.
 * Every thread takes CHUNK items at a time from one counter in shared memory (Atomics), so
 * nobody idles while another has a long tail, and the main thread starts at once instead of
 * waiting for workers to boot. Workers start as early as possible (one takes ~130 ms to boot:
 * bin/ starts them before the command line is parsed) and get the work by message; a worker
 * that has not begun by the time the queue is empty is called off, not waited for.
 *
 * This module loads nothing heavy, so that starting workers early costs nothing.
 * Shared memory (Int32): [0] next item index; [1 + w] state of worker w.
 */
export const CHUNK = 8;
export const BOOTING = 0;
export const WORKING = 1;
export const CALLED_OFF = 2;

/** What the workers get once the batch is known. */
export type WorkOrder =
  | {
      kind: 'lint';
      targets: LintTarget[];
      /** --openrc-version; unset: each config's openrcVersion, else the default. */
      target?: Version;
      /** The distinct configs, and for each target the index of its own (nearest) one. */
      configs: LintConfig[];
      configOf: number[];
      /** lint --cache: the run's fingerprint (lint/cache.ts); each result then carries its entry's key. */
      fingerprint?: string;
    }
  | { kind: 'migrate'; root: string; names: string[]; options: PlanOptions };

/** What a worker is started with. */
export interface WorkerInput {
  shared: SharedArrayBuffer;
  slot: number;
  /** The kind of order it will get: it loads only that code. */
  kind: WorkOrder['kind'];
}

/** Works on items taken from the queue until it is empty: [item index, result] pairs. */
export type Drain<O extends WorkOrder, R> = (order: O, queue: Int32Array) => [number, R][] | Promise<[number, R][]>;

let progress: ((taken: number, count: number) => void) | undefined;

/**
 * Called (in this thread) each time it takes a chunk, with how many items all threads have
 * taken so far: the main thread is busy planning, so a progress line can only be drawn from here.
 */
export function onProgress(fn: ((taken: number, count: number) => void) | undefined): void {
  progress = fn;
}

/** The indices this thread takes from the queue, CHUNK at a time, until it is empty. */
export function* take(queue: Int32Array, count: number): Generator<number> {
  for (;;) {
    const i = Atomics.add(queue, 0, CHUNK);
    if (i >= count) return;
    progress?.(i, count);
    const end = Math.min(i + CHUNK, count);
    for (let k = i; k < end; k++) yield k;
  }
}

/** Threads for a batch, this one included: RC_SUPERVISE_JOBS, else one per core. */
export function poolThreads(): number {
  const env = Number(process.env.RC_SUPERVISE_JOBS);
  return env >= 1 ? Math.floor(env) : (cores ??= os.availableParallelism());
}
/** Asked once: lint asks for every script discovery finds. */
let cores: number | undefined;

/**
 * Items a thread must have before another one is worth starting. A worker costs 100-170 ms of
 * CPU to boot (V8, our modules, the grammar) and a lint takes 1.2-1.8 ms per script, so on
 * an idle core a worker gains time only from about 100 scripts on, and on a busy machine
 * (measured on 2 shared cores under a load of 5-14) not even at 2,000: one thread was as
 * fast or faster there, with 12-27% less CPU. 150 per thread keeps the worker for the large
 * batches it was made for (`npm run bench`; docs/speed.md).
 */
export const MIN_ITEMS_PER_THREAD = 150;

/** Threads for a batch of `count` items: RC_SUPERVISE_JOBS when set, else one per MIN_ITEMS_PER_THREAD, at most one per core. */
export function threadsFor(count: number): number {
  if (Number(process.env.RC_SUPERVISE_JOBS) >= 1) return poolThreads();
  return Math.max(1, Math.min(poolThreads(), Math.floor(count / MIN_ITEMS_PER_THREAD)));
}

interface Started {
  worker: Worker;
  slot: number;
  done: Promise<[number, unknown][]>;
}

export class Pool {
  /** Items done by each thread in the last run: [0] this thread, then each worker (0: called off). */
  readonly shares: number[] = [];
  private readonly shared: SharedArrayBuffer;
  private readonly queue: Int32Array;
  private readonly started: Started[];

  /** Starts `threads - 1` workers now (none under ts-jest, where there is no compiled worker). */
  constructor(
    readonly threads: number,
    readonly kind: WorkOrder['kind'],
  ) {
    const workerUrl = new URL('./worker.js', import.meta.url);
    const workers = threads > 1 && existsSync(workerUrl) ? threads - 1 : 0;
    this.shared = new SharedArrayBuffer(4 * (1 + workers));
    this.queue = new Int32Array(this.shared);
    this.started = Array.from({ length: workers }, (_, w) => {
      const input: WorkerInput = { shared: this.shared, slot: 1 + w, kind };
      const worker = new (workerThreads().Worker)(workerUrl, { workerData: input });
      const done = new Promise<[number, unknown][]>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`internal: worker thread exited with code ${code}`)));
      });
      // A called-off worker is terminated: its promise must not count as unhandled.
      done.catch(() => {});
      return { worker, done, slot: 1 + w };
    });
  }

  /**
   * Runs the batch in this thread (`drain`, once `ready` resolves) and in the workers (the
   * same drain, chosen by the order's kind in worker.ts). Results come back in item order,
   * as one thread gives them; `count` is the number of items.
   */
  async run<O extends WorkOrder, R>(
    order: O,
    count: number,
    drain: Drain<O, R>,
    ready: Promise<unknown>,
  ): Promise<(R | undefined)[]> {
    try {
      for (const s of this.started) s.worker.postMessage(order);
      await ready;
      const results = new Array<R | undefined>(count);
      const own = await drain(order, this.queue);
      for (const [k, r] of own) results[k] = r;
      this.shares.push(own.length);
      for (const s of this.started) {
        if (Atomics.compareExchange(this.queue, s.slot, BOOTING, CALLED_OFF) === BOOTING) {
          this.shares.push(0);
          continue;
        }
        const theirs = (await s.done) as [number, R][];
        for (const [k, r] of theirs) results[k] = r;
        this.shares.push(theirs.length);
      }
      return results;
    } finally {
      this.close();
    }
  }

  /** How the last run was shared, for RC_SUPERVISE_TIMING: `2 thread(s) (main 510, worker 1 490)`. */
  describe(): string {
    const parts = this.shares.map((n, i) => (i ? `worker ${i} ${n}` : `main ${n}`));
    return `${Math.max(1, this.shares.length)} thread(s) (${parts.join(', ') || 'main'})`;
  }

  /** Stops the workers (a run that ends without using them, or after it). */
  close(): void {
    for (const s of this.started) {
      Atomics.compareExchange(this.queue, s.slot, BOOTING, CALLED_OFF);
      void s.worker.terminate();
    }
  }
}

let early: Pool | undefined;

/** Starts workers before the command line is parsed (bin/ does, for `migrate --all`). */
export function startEarly(kind: WorkOrder['kind']): void {
  early ??= new Pool(poolThreads(), kind);
}

/** The workers started early when there are as many as wanted, else new ones. */
export function takePool(threads: number, kind: WorkOrder['kind']): Pool {
  const p = early;
  early = undefined;
  if (p && p.threads === threads && p.kind === kind) return p;
  p?.close();
  return new Pool(threads, kind);
}
