import type { Check } from '../check.js';

function describe(m: string): string {
  return m === 'syntax error' ? 'the shell cannot parse this' : m;
}

/** `@SBINDIR@`-style words left by a build that did not run its substitutions (outside comments). */
function templates(text: string): { start: number; end: number; text: string }[] {
  const out = [];
  for (const m of text.matchAll(/@[A-Z][A-Z0-9_]*@/g)) {
    const lineStart = text.lastIndexOf('\n', m.index!) + 1;
    if (/^\s*#/.test(text.slice(lineStart, m.index!))) continue;
    out.push({ start: m.index!, end: m.index! + m[0].length, text: m[0] });
  }
  return out;
}

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
      ...ctx.initd.errors.map((e) => ({ start: e.offset, message: describe(e.message) })),
      ...(ctx.confd?.errors ?? []).map((e) => ({
        in: 'confd' as const,
        start: e.offset,
        message: describe(e.message),
      })),
      ...templates(ctx.initd.text).map((t) => ({
        start: t.start,
        end: t.end,
        message: `unsubstituted template word ${t.text}: the build did not fill it in`,
      })),
    ];
  },
};
export default check;
