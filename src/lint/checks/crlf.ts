import type { Check } from '../check.js';

const check: Check = {
  meta: {
    id: 'crlf',
    defaultSeverity: 'error',
    summary: 'CRLF (DOS) line endings',
    fixable: 'unsafe',
    docs: {
      what: 'Lines of the init script end in CR LF instead of LF.',
      why: 'The kernel reads the shebang as `/sbin/openrc-run\\r`, which does not exist, and /bin/sh takes the `\\r` as part of every last word: the service cannot run.',
      example: {
        bad: '#!/sbin/openrc-run\r\ncommand=/usr/sbin/foo\r\n',
        good: '#!/sbin/openrc-run\ncommand=/usr/sbin/foo\n',
      },
      fix: 'Unsafe (rewrites every line): CR LF becomes LF.',
    },
  },
  run(ctx) {
    const t = ctx.initd.text;
    const first = t.indexOf('\r\n');
    if (first < 0) return [];
    const edits = [...t.matchAll(/\r\n/g)].map((m) => ({
      file: ctx.initdPath,
      start: m.index!,
      end: m.index! + 1,
      text: '',
    }));
    return [
      {
        start: first,
        end: first + 1,
        message: 'CRLF line endings: the shebang and the last word of every line end in a carriage return',
        fix: { safety: 'unsafe', edits },
      },
    ];
  },
};
export default check;
