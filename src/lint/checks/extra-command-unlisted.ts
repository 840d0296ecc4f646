import { atLeast, type Check } from '../check.js';
import { commandLists, OPENRC_OWN_COMMANDS } from '../../model/commands.js';

const check: Check = {
  meta: {
    id: 'extra-command-unlisted',
    defaultSeverity: 'warning',
    summary:
      'reload/rotate function not listed in extra_started_commands or extra_commands (opts counts only before OpenRC 0.39)',
    fixable: 'safe',
    docs: {
      what: 'A reload() or rotate() function whose name is in neither extra_started_commands nor extra_commands, or any function listed only in the old opts variable (OpenRC 0.39 and later).',
      why: 'openrc-run only runs functions it was told about: `rc-service foo reload` fails with "unknown function". It reads the old opts only while extra_commands is empty, and from 0.39 on it never is: supervise-daemon.sh, read before every service script, puts its healthcheck commands there.',
      example: {
        bad: '#!/sbin/openrc-run\ncommand=/usr/sbin/foo\nreload() {\n\t${supervisor} ${RC_SVCNAME} --signal HUP\n}\n',
        good: '#!/sbin/openrc-run\ncommand=/usr/sbin/foo\nextra_started_commands="reload"\nreload() {\n\t${supervisor} ${RC_SVCNAME} --signal HUP\n}\n',
      },
      fix: 'Safe: the name is added to extra_started_commands.',
    },
  },
  run(ctx) {
    const s = ctx.service;
    // From OpenRC 0.39 on opts is never read (commandLists): a command listed only there cannot run.
    const { names: listed } = commandLists(s, ctx.target);
    if (listed === null) return [];
    const inOpts = new Set(atLeast(ctx.target, [0, 39, 0]) ? (s.words('opts') ?? []) : []);
    const missing = ctx.initd.functions.filter(
      (f) =>
        !OPENRC_OWN_COMMANDS.has(f.name) &&
        (/^(reload|rotate|reopen|flush)$/.test(f.name) || inOpts.has(f.name)) &&
        !listed.has(f.name),
    );
    const esc = s
      .initdAssignments('extra_started_commands')
      .filter((a) => a.plain)
      .pop();
    return missing.map((f, i) => {
      let fix;
      if (esc && (esc.value.quote === 'double' || esc.value.quote === 'single'))
        fix = {
          safety: 'safe' as const,
          edits: [{ file: ctx.initdPath, start: esc.value.end - 1, end: esc.value.end - 1, text: ` ${f.name}` }],
        };
      else if (!esc && i === 0) {
        // One new assignment naming every missing function (two would override each other).
        const at = ctx.initd.lineStart(f.start);
        const names = missing.map((m) => m.name).join(' ');
        fix = {
          safety: 'safe' as const,
          edits: [
            {
              file: ctx.initdPath,
              start: at,
              end: at,
              text: `extra_started_commands="${names}"${ctx.initd.eol}${ctx.initd.eol}`,
            },
          ],
        };
      }
      return {
        start: f.start,
        end: f.start + f.name.length,
        message: inOpts.has(f.name)
          ? `${f.name}() is listed only in opts, which OpenRC ${ctx.target.join('.')} ignores (supervise-daemon.sh sets extra_commands first): rc-service ${s.name} ${f.name} cannot run it`
          : `${f.name}() is not listed in extra_started_commands: rc-service ${s.name} ${f.name} cannot run it`,
        fix,
      };
    });
  },
};
export default check;
