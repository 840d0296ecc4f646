import type { Check } from '../check.js';

const check: Check = {
  meta: {
    id: 'bashism',
    defaultSeverity: 'warning',
    summary: 'syntax POSIX sh does not define (bash-only) in an init script',
    fixable: 'none',
    docs: {
      what: "`[[ ]]`, arrays, the `function` keyword, `${x/a/b}`, `$'..'`, `<<<` or `&>` in an init script.",
      why: 'openrc-run runs init scripts with /bin/sh. Where that is dash (Debian-like systems, and Gentoo systems that pick it) the script fails or misreads these at run time; busybox ash (Alpine) and bash accept some of them.',
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
      // POSIX.1-2024 added $'...'; dash 0.5.12 (Debian 12's /bin/sh) still reads it as `$` and a
      // quoted string (busybox ash reads it only when built with its bash compatibility).
      message: b.what.startsWith("$'")
        ? `${b.what} is new in POSIX.1-2024, and dash (0.5.12) reads it as a literal $ before a quoted string; openrc-run runs the script with /bin/sh`
        : `in POSIX sh ${b.what} is undefined (dash rejects or misreads it); openrc-run runs the script with /bin/sh`,
    }));
  },
};
export default check;
