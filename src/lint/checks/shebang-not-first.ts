import type { Check } from '../check.js';

/** The first OpenRC shebang line of the file, wherever it is (null: none). */
const LATE_SHEBANG = /^[ \t]*#![ \t]*\S*\/(?:openrc-run|runscript)(?:[ \t]|$)/m;

const check: Check = {
  meta: {
    id: 'shebang-not-first',
    defaultSeverity: 'error',
    summary: 'the #!/sbin/openrc-run line is not the first bytes of the file',
    fixable: 'safe',
    docs: {
      what: 'Something (blank lines, spaces, a byte-order mark, a comment) comes before the `#!/sbin/openrc-run` line.',
      why: 'The kernel only runs a script whose first two bytes are `#!`: OpenRC cannot execute the service at all.',
      example: {
        bad: '\n#!/sbin/openrc-run\ncommand=/usr/sbin/foo\n',
        good: '#!/sbin/openrc-run\ncommand=/usr/sbin/foo\n',
      },
      fix: 'Safe when only blank space or a byte-order mark comes first: it is removed. Otherwise none: move the line yourself.',
    },
  },
  run(ctx) {
    const t = ctx.initd.text;
    if (t.startsWith('#!')) return [];
    const m = LATE_SHEBANG.exec(t);
    if (!m) return [];
    const hashAt = m.index + m[0].indexOf('#');
    const before = t.slice(0, hashAt);
    const blank = /^[\uFEFF\s]*$/.test(before);
    const what =
      /^\uFEFF/.test(before) && before.length === 1 ? 'a byte-order mark' : blank ? 'blank space' : 'other text';
    return [
      {
        start: hashAt,
        end: hashAt + m[0].trim().length,
        message: `${what} before the #! line: the kernel cannot execute the script, so OpenRC cannot run the service`,
        fix: blank ? { safety: 'safe', edits: [{ file: ctx.initdPath, start: 0, end: hashAt, text: '' }] } : undefined,
      },
    ];
  },
};
export default check;
