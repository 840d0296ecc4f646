import type { Check } from '../check.js';

const check: Check = {
  meta: {
    id: 'runscript-shebang',
    defaultSeverity: 'warning',
    summary: 'deprecated #!/sbin/runscript shebang',
    fixable: 'safe',
    docs: {
      what: 'The first line is `#!/sbin/runscript` (or another path to runscript).',
      why: "runscript is the name of OpenRC's interpreter before 0.16; current systems ship openrc-run and keep runscript only as a compatibility link, which some distributions have dropped.",
      example: {
        bad: '#!/sbin/runscript\ncommand=/usr/sbin/foo\n',
        good: '#!/sbin/openrc-run\ncommand=/usr/sbin/foo\n',
      },
      fix: 'Safe: the shebang becomes #!/sbin/openrc-run.',
    },
  },
  run(ctx) {
    const m = /^(\uFEFF?#!\s*)(\S*runscript)\b/.exec(ctx.initd.text);
    if (!m) return [];
    const start = m[1].length;
    return [
      {
        start,
        end: start + m[2].length,
        message: 'runscript is deprecated: use #!/sbin/openrc-run',
        fix: {
          safety: 'safe',
          edits: [{ file: ctx.initdPath, start, end: start + m[2].length, text: '/sbin/openrc-run' }],
        },
      },
    ];
  },
};
export default check;
