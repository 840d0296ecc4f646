import { FORMAT_NAMES, FORMATTERS } from '../../src/report/index.js';
import { ctx, FINDINGS } from './fixture.js';

test('every format name has a formatter that returns text', () => {
  expect(Object.keys(FORMATTERS).sort()).toEqual([...FORMAT_NAMES].sort());
  for (const name of FORMAT_NAMES) expect(typeof FORMATTERS[name](FINDINGS, ctx())).toBe('string');
});
