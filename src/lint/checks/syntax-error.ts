import { confirmSyntax, lineOffset, shellErrorSite, templateWords } from '../../parse/syntax-check.js';
import type { ShellFile } from '../../parse/shellfile.js';
import type { Check, RawFinding } from '../check.js';

/**
 * Grammar errors confirmed by a real shell (src/parse/syntax-check.ts): one finding per file,
 * where the shell says. A file the shell accepts has no syntax error, whatever the grammar says.
 */
function confirmed(f: ShellFile, which: 'initd' | 'confd'): RawFinding[] {
  if (!f.errors.length) return [];
  const c = confirmSyntax(f.text, which === 'initd' ? f.shebang : null);
  const at = (line?: number) => (line ? lineOffset(f.text, line) : f.errors[0].offset);
  switch (c.verdict) {
    case 'ok':
      return [];
    case 'unconfirmed':
      // No shell here to ask: say what the grammar saw, without claiming the shell fails.
      return [
        {
          in: which,
          start: f.errors[0].offset,
          severity: 'info',
          message: 'the shell grammar cannot parse this, and no dash/bash was found to confirm it',
        },
      ];
    case 'bash-only':
      return [
        {
          in: which,
          start: at(c.dash?.line),
          severity: 'warning',
          message: `dash cannot parse this (${c.dash?.message ?? 'syntax error'}), bash can: the script only works where /bin/sh is bash`,
        },
      ];
    case 'error': {
      const site = shellErrorSite(f, c);
      return [{ in: which, start: site.offset, message: site.message }];
    }
  }
}

const check: Check = {
  meta: {
    id: 'syntax-error',
    defaultSeverity: 'error',
    summary: 'shell syntax error (confirmed by dash/bash), or an unfilled @TEMPLATE@',
    fixable: 'none',
    docs: {
      what: 'A script the shell cannot parse: the grammar found an error and `dash -n` (and `bash -n`) agree (an error; a warning when only bash accepts it). A file with `@WORD@` placeholders that an ebuild fills in is reported once, at info, as a template.',
      why: 'openrc-run fails on the script, so the service cannot start or stop. A template is not the installed script: lint the installed file for a full answer.',
      example: { bad: '#!/sbin/openrc-run\nif true; then\n', good: '#!/sbin/openrc-run\nif true; then\n\t:\nfi\n' },
      fix: 'None.',
    },
  },
  run(ctx) {
    const out = [...confirmed(ctx.initd, 'initd'), ...(ctx.confd ? confirmed(ctx.confd, 'confd') : [])];
    const t = templateWords(ctx.initd.text, ctx.initd.comments);
    // In a template a placeholder may stand for code (gitlab's `{@MAILROOM_STOP@`): the shell's
    // verdict on the uninstalled file is not certain for the installed one.
    if (t.length)
      for (const f of out)
        if (f.in === 'initd' && f.severity !== 'info') {
          f.severity = 'info';
          f.message += ' (in a template: the installed script, with its placeholders filled in, may parse)';
        }
    if (t.length) {
      const names = [...new Set(t.map((w) => w.text))];
      out.push({
        start: t[0].start,
        end: t[0].end,
        severity: 'info',
        message: `template: the ebuild fills in ${names.slice(0, 4).join(', ')}${names.length > 4 ? ', ...' : ''}; lint the installed file for a full answer`,
      });
    }
    return out;
  },
};
export default check;

// Kept here for the tests that import it from lint.
export { unclosedOpener } from '../../parse/syntax-check.js';
