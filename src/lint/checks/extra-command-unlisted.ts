import type { Check } from '../check.js';

const STANDARD = new Set([
  'start',
  'stop',
  'status',
  'depend',
  'start_pre',
  'start_post',
  'stop_pre',
  'stop_post',
  'healthcheck',
  'unhealthy',
]);

const check: Check = {
  meta: {
    id: 'extra-command-unlisted',
    defaultSeverity: 'warning',
    summary: 'reload/rotate function not listed in extra_started_commands, extra_commands or opts',
    fixable: 'safe',
    docs: {
      what: 'A reload() or rotate() function whose name is in neither extra_started_commands nor extra_commands.',
      why: 'openrc-run only runs functions it was told about: `rc-service foo reload` fails with "unknown function".',
      example: {
        bad: '#!/sbin/openrc-run\ncommand=/usr/sbin/foo\nreload() {\n\t${supervisor} ${RC_SVCNAME} --signal HUP\n}\n',
        good: '#!/sbin/openrc-run\ncommand=/usr/sbin/foo\nextra_started_commands="reload"\nreload() {\n\t${supervisor} ${RC_SVCNAME} --signal HUP\n}\n',
      },
      fix: 'Safe: the name is added to extra_started_commands.',
    },
  },
  run(ctx) {
    const s = ctx.service;
    // openrc-run.sh reads `${extra_commands:-$opts}`: the old `opts` counts while extra_commands is empty.
    const extra = s.words('extra_commands');
    const plain = extra && extra.length === 0 ? s.words('opts') : extra;
    const listed = new Set(
      [s.words('extra_started_commands'), s.words('extra_stopped_commands'), plain].flatMap((w) => w ?? ['*']),
    );
    if (listed.has('*')) return [];
    const missing = ctx.initd.functions.filter(
      (f) => !STANDARD.has(f.name) && /^(reload|rotate|reopen|flush)$/.test(f.name) && !listed.has(f.name),
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
        message: `${f.name}() is not listed in extra_started_commands: rc-service ${s.name} ${f.name} cannot run it`,
        fix,
      };
    });
  },
};
export default check;
