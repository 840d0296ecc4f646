import type { Check } from '../check.js';

const check: Check = {
  meta: {
    id: 'not-executable',
    defaultSeverity: 'error',
    summary: 'init script in an etc/init.d tree is not executable',
    fixable: 'none',
    docs: {
      what: "A file in an `etc/init.d` directory whose mode has no execute bit. (Files in an ebuild repository's `files/` get their mode from newinitd and are not checked.)",
      why: 'OpenRC only treats regular executable files as services: the service does not exist for rc-service or rc-update.',
      example: {
        bad: '#!/sbin/openrc-run\ncommand=/usr/sbin/foo\n',
        good: '#!/sbin/openrc-run\ncommand=/usr/sbin/foo\n',
      },
      fix: 'None in the text: chmod 0755 the file.',
    },
  },
  run(ctx) {
    if (ctx.mode === undefined || (ctx.mode & 0o111) !== 0) return [];
    return [
      {
        start: 0,
        end: 0,
        message: `not executable (mode ${(ctx.mode & 0o777).toString(8).padStart(4, '0')}): OpenRC ignores it; chmod 0755`,
      },
    ];
  },
};
export default check;
