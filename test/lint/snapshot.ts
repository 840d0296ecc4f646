import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SNAPSHOT_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '__snapshots__');

/**
 * A checked-in text snapshot: with UPDATE_SNAPSHOTS=1 the file is (re)written, otherwise
 * `actual` must equal it. Compared line by line so that a failure names the lines that
 * differ. A regenerated snapshot must be read line by line before it is committed.
 */
export function matchTextSnapshot(name: string, actual: string): void {
  const file = path.join(SNAPSHOT_DIR, name);
  if (process.env.UPDATE_SNAPSHOTS === '1') {
    mkdirSync(SNAPSHOT_DIR, { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file))
    throw new Error(`${file} does not exist: run the test with UPDATE_SNAPSHOTS=1, then review the file`);
  const expected = readFileSync(file, 'utf8');
  expect(actual.split('\n')).toEqual(expected.split('\n'));
}
