#!/usr/bin/env node
// Kept to syntax and APIs any Node since 14 runs, so that an unsupported Node gets this
// message instead of a SyntaxError from deep inside a dependency.
import { existsSync } from 'node:fs';
import { nodeTooOld } from './node-check.js';

const tooOld = nodeTooOld(process.versions.node);
if (tooOld) {
  process.stderr.write('rc-supervise: ' + tooOld + '\n');
  process.exit(2);
}
// The release package has the bundle in lib/; a development checkout the tsc output in dist/.
const bundle = new URL('../lib/rc-supervise.js', import.meta.url);
await import(existsSync(bundle) ? bundle.href : '../dist/src/cli/run.js');
