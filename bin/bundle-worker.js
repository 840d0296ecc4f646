// A worker thread of the release package: release.mjs copies this file to lib/worker.js,
// where the pool (src/pool/pool.ts) looks for it beside the bundle.
import { createRequire } from 'node:module';

await createRequire(import.meta.url)('../bin/load-bundle.cjs')
  .load()
  .workerMain();
