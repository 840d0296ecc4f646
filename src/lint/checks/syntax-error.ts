import type { Check } from '../check.js';

const check: Check = {
  meta: {
    id: 'syntax-error',
    defaultSeverity: 'error',
    summary: 'shell syntax error',
    fixable: 'none',
    docs: {
      what: 'A part of the script the shell grammar cannot parse (unterminated if/quote, stray `;;`, unsubstituted `@TEMPLATE@` words).',
      why: 'openrc-run fails on the script, so the service cannot start or stop; other checks only see what parsed.',
      example: { bad: '#!/sbin/openrc-run\nif true; then\n', good: '#!/sbin/openrc-run\nif true; then\n\t:\nfi\n' },
      fix: 'None.',
    },
  },
  run(ctx) {
    return [
      ...ctx.initd.errors.map((e) => ({ start: e.offset, message: `syntax error: ${e.message}` })),
      ...(ctx.confd?.errors ?? []).map((e) => ({
        in: 'confd' as const,
        start: e.offset,
        message: `syntax error: ${e.message}`,
      })),
    ];
  },
};
export default check;
