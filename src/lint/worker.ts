import { parentPort, workerData } from 'node:worker_threads';
import { initParser } from '../parse/parser.js';
import type { Version } from './check.js';
import type { LintTarget } from './discover.js';
import type { LintConfig } from './lint.js';
import { lintTargets } from './run-targets.js';

/** One lint worker: its share of the targets in, findings out (plain data). */
const { targets, target, config, files } = workerData as {
  targets: LintTarget[];
  target: Version;
  config: LintConfig;
  files: number;
};
await initParser({ files });
parentPort!.postMessage(lintTargets(targets, target, config));
