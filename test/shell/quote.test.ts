/**
 * src/shell/quote.ts against real shells: whatever string we quote, dash and bash assign
 * exactly it (property tests, fast-check, a fixed seed), and whatever parseWords accepts,
 * `eval` splits into exactly the words it returned, running nothing. The cases of a
 * property run through one shell process per shell (a few thousand spawns would cost
 * minutes), each case's output NUL-separated.
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { assignment, dquote, evalSafePath, parseWords, quoteWords, squote } from '../../src/shell/quote.js';

const SHELLS = ['dash', 'bash'];
const seed = 15_11;

/** Runs `script` with `sh`; returns its stdout split at NUL (the last, empty, piece dropped). */
function runShell(sh: string, script: string): string[] {
  const r = spawnSync(sh, ['-c', script], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${sh} failed (${r.status}): ${r.stderr.slice(0, 500)}`);
  const parts = r.stdout.split('\0');
  parts.pop();
  return parts;
}

// Any string the shell can hold: no NUL. Full Unicode, control characters, quotes, $, `, \.
const shellString = fc
  .string({
    unit: fc.oneof(
      fc.constantFrom(...'\'"$`\\ \t\n!*?[]{}~#;&|<>()=%'),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
    ),
    maxLength: 40,
  })
  .map((s) => s.replace(/\0/g, ''));

describe.each(SHELLS)('%s', (sh) => {
  test('any string round-trips through dquote and squote (1,500 cases each)', () => {
    const cases = fc.sample(shellString, { seed, numRuns: 1500 });
    for (const q of [dquote, squote]) {
      const script = cases.map((s) => `var=${q(s)}; printf '%s\\0' "$var"`).join('\n');
      expect(runShell(sh, script)).toEqual(cases);
    }
  });

  test('assignment(name, value) assigns exactly value', () => {
    const cases = fc.sample(shellString, { seed: seed + 1, numRuns: 500 });
    const script = cases
      .map((s) => `${assignment('command_args_foreground', s)}\nprintf '%s\\0' "$command_args_foreground"`)
      .join('\n');
    expect(runShell(sh, script)).toEqual(cases);
  });

  test('parseWords: accepted strings give, under eval, exactly the parsed words and run nothing (2,000 cases)', () => {
    // Strings built from words and the characters that make injections.
    const piece = fc.oneof(
      fc.constantFrom(
        '--config',
        '-f',
        '"/etc/foo bar.conf"',
        "'a b'",
        'x\\ y',
        '"q\\"uote"',
        '$(touch P)',
        '`touch P`',
        '; touch P',
        '&& touch P',
        '| tee P',
        '> P',
        '$HOME',
        '"$HOME"',
        "'$HOME'",
        '*',
        '~',
        '#c',
        '{a,b}',
        '\\',
        '"',
        "'",
        '\n',
      ),
      fc.string({ unit: fc.constantFrom(...'ab-=/.:, '), maxLength: 6 }),
    );
    const inputs = fc.sample(
      fc.array(piece, { maxLength: 5 }).map((a) => a.join(' ')),
      { seed: seed + 2, numRuns: 2000 },
    );
    const accepted = inputs.map((s) => ({ s, r: parseWords(s) })).filter((x) => x.r.ok);
    expect(accepted.length).toBeGreaterThan(200);
    expect(inputs.length - accepted.length).toBeGreaterThan(200); // injections were generated, and refused
    // In a scratch directory: `touch P` or `> P` would leave a file P there.
    const dir = spawnSync('mktemp', ['-d'], { encoding: 'utf8' }).stdout.trim();
    const script =
      `cd '${dir}' || exit 9\n` +
      accepted.map(({ s }) => `v=${squote(s)}; eval "set -- $v"; printf '%s\\0' "$#" "$@"`).join('\n') +
      `\n[ -e P ] && exit 8\nexit 0`;
    const out = runShell(sh, script);
    spawnSync('rm', ['-rf', dir]);
    const want = accepted.flatMap(({ r }) => (r.ok ? [String(r.words.length), ...r.words] : []));
    expect(out).toEqual(want);
  });

  test('quoteWords: any words survive eval (1,000 cases)', () => {
    const cases = fc.sample(fc.array(shellString, { maxLength: 4 }), { seed: seed + 3, numRuns: 1000 });
    const script = cases
      .map((ws) => `v=${squote(quoteWords(ws))}; eval "set -- $v"; printf '%s\\0' "$#" "$@"`)
      .join('\n');
    expect(runShell(sh, script)).toEqual(cases.flatMap((ws) => [String(ws.length), ...ws]));
  });
});

test('parseWords refuses what the shell would run or expand, with the reason', () => {
  for (const s of [
    '"; touch /tmp/pwned #',
    '$(id)',
    '`id`',
    'a;b',
    'a|b',
    'a&b',
    'a>b',
    '"$HOME"',
    '*',
    '~/x',
    '#x',
    '{a,b}',
    '\\',
    '"open',
    "'open",
    'a\nb',
  ])
    expect(parseWords(s)).toMatchObject({ ok: false, reason: expect.any(String) });
  expect(parseWords('--config "/etc/foo bar.conf"')).toEqual({ ok: true, words: ['--config', '/etc/foo bar.conf'] });
  expect(parseWords("-o 'a b' c\\ d")).toEqual({ ok: true, words: ['-o', 'a b', 'c d'] });
});

test('evalSafePath: absolute, plain characters only', () => {
  expect(evalSafePath('/var/log/my-daemon')).toBeNull();
  for (const p of ['var/log', '/var/log dir', '/x$HOME', '/x`id`', '/x;y', '/x\ny', "/x'y", '/x"y', '/x*'])
    expect(evalSafePath(p)).toEqual(expect.any(String));
});
