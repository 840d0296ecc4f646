import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A maker of temporary directories for one test file: each call gives a new directory named
 * `<prefix>-<label>-XXXXXX` under the system's temporary directory, and all of them are
 * removed after the file's tests (call it at the top level of a test file).
 */
export function tempDirs(prefix: string): (label: string) => string {
  const made: string[] = [];
  afterAll(() => {
    for (const d of made) rmSync(d, { recursive: true, force: true });
  });
  return (label) => {
    const d = mkdtempSync(path.join(os.tmpdir(), `${prefix}-${label}-`));
    made.push(d);
    return d;
  };
}
