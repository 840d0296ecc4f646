#!/usr/bin/env node
// Kept to syntax and APIs any Node since 14 runs, so that an unsupported Node gets this
// message instead of a SyntaxError from deep inside a dependency.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { nodeTooOld } from './node-check.js';

const tooOld = nodeTooOld(process.versions.node);
if (tooOld) {
  process.stderr.write('rc-supervise: ' + tooOld + '\n');
  process.exit(2);
}
// The release package has the bundle in lib/ (loaded with its code cache by
// load-bundle.cjs); a development checkout the tsc output in dist/.
if (existsSync(new URL('../lib/rc-supervise.cjs', import.meta.url)))
  await createRequire(import.meta.url)('./load-bundle.cjs').load().start(process.argv.slice(2));
else await import('../dist/src/cli/run.js');
