import { atLeast, type Check } from '../check.js';

const check: Check = {
  meta: {
    id: 'runscript-shebang',
    defaultSeverity: 'warning',
    summary: 'deprecated #!/sbin/runscript shebang',
    fixable: 'safe',
    docs: {
      what: 'The first line is `#!/sbin/runscript` (or another path to runscript).',
      why: 'runscript is the name of OpenRC\'s interpreter before 0.16. OpenRC kept it as a deprecated link until 0.52, which no longer installs it (OpenRC commit 88e5d98d, "drop the deprecated runscript binary"): from 0.52 on the script runs only where the distribution adds the link itself. The message says so when the target version (`--openrc-version`) is 0.52 or later.',
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
        message: atLeast(ctx.target, [0, 52, 0])
          ? `OpenRC ${ctx.target.join('.')} installs no runscript (dropped in 0.52): the script runs only where the distribution keeps a /sbin/runscript link; use #!/sbin/openrc-run`
          : 'runscript is deprecated: use #!/sbin/openrc-run',
        fix: {
          safety: 'safe',
          edits: [{ file: ctx.initdPath, start, end: start + m[2].length, text: '/sbin/openrc-run' }],
        },
      },
    ];
  },
};
export default check;
