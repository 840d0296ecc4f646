import type { Check } from '../check.js';

const check: Check = {
  meta: {
    id: 'bashism',
    defaultSeverity: 'warning',
    summary: 'bash-only syntax in a POSIX sh init script',
    fixable: 'none',
    docs: {
      what: "`[[ ]]`, arrays, the `function` keyword, `${x/a/b}`, `$'..'`, `<<<` or `&>` in an init script.",
      why: 'openrc-run runs init scripts with /bin/sh, which is dash or busybox on many systems: the script fails there at run time.',
      example: {
        bad: '#!/sbin/openrc-run\ncommand=/usr/sbin/foo\nstart_pre() {\n\tif [[ -z "$X" ]]; then return 1; fi\n}\n',
        good: '#!/sbin/openrc-run\ncommand=/usr/sbin/foo\nstart_pre() {\n\tif [ -z "$X" ]; then return 1; fi\n}\n',
      },
      fix: 'None: rewrite in POSIX sh.',
    },
  },
  run(ctx) {
    return ctx.initd.bashisms.map((b) => ({
      start: b.start,
      end: b.end,
      message: `${b.what} is bash-only; openrc-run uses /bin/sh`,
    }));
  },
};
export default check;
