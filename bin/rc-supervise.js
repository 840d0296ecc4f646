#!/usr/bin/env node
import { main } from '../dist/src/cli/main.js';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  // Exit as soon as our output is flushed: V8 keeps optimising the WebAssembly grammar in
  // the background, and waiting for that would add most of a second to every short run.
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
});
