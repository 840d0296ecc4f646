/** The recording stand-in lives in src/eval/ so that `npm run eval` uses the same code as the tests. */
export * from '../../src/eval/openrc-record.js';
