/**
 * The program in the development tree: bin/rc-supervise.js imports this (from dist/) after
 * checking the Node version. The release package runs the same start() from its bundle.
 */
import { start } from './start.js';

await start(process.argv.slice(2));
