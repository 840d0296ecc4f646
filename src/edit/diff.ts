import { createTwoFilesPatch } from 'diff';

/**
 * A unified diff with `a/` `b/` headers relative to the root, so that
 * `patch -p1 -d ROOT` (or `git apply --directory`) applies it. A created (or removed)
 * file is diffed against /dev/null.
 */
export function unifiedDiff(rel: string, before: string | null, after: string | null): string {
  const patch = createTwoFilesPatch(
    before === null ? '/dev/null' : `a/${rel}`,
    after === null ? '/dev/null' : `b/${rel}`,
    before ?? '',
    after ?? '',
    undefined,
    undefined,
    {
      context: 3,
    },
  );
  // Drop the `====` banner the library prints first: patch ignores it, people do not need it.
  const body = patch.replace(/^=+\n/, '');
  return body.endsWith('\n') ? body : body + '\n';
}
