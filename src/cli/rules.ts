import { EXIT, type ExitCode } from '../errors.js';
import { ALL_META } from '../lint/lint.js';
import { RULES } from '../rules/registry.js';
import type { ServiceRule } from '../rules/types.js';
import type { Out } from './output.js';

function changes(r: ServiceRule): string {
  if (r.refuse) return `refused: ${r.refuse.reason}`;
  const parts: string[] = [];
  if (r.foreground) parts.push(`command_args_foreground="${r.foreground}"`);
  const moved = (r.backgroundFlags ?? []).map((f) => f.flag);
  if (moved.length) parts.push(`moves ${moved.join(' ')} to command_args_background`);
  const sig = Object.entries(r.signals ?? {}).map(([fn, s]) => `${fn}→${s}`);
  if (sig.length) parts.push(`signals via supervisor: ${sig.join(', ')}`);
  return parts.join('; ') || 'supervisor only';
}

/** The README's rule table: generated from the rule modules (a test checks it is current). */
export function rulesMarkdown(): string {
  const rows = [...RULES]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map(
      (r) =>
        `| ${r.id} | ${r.services.join(', ')} | ${r.refuse ? 'refused' : r.route} | ${changes(r).replace(/\|/g, '\\|')} | ${r.sources[0]?.replace(/\|/g, '\\|') ?? ''} |`,
    );
  return ['| rule | services | route | what it changes | source |', '|---|---|---|---|---|', ...rows].join('\n') + '\n';
}

export function runRules(opts: { json: boolean; markdown: boolean }, io: Out): ExitCode {
  if (opts.json) {
    io.out(
      JSON.stringify(
        RULES.map((r) => ({
          ...r,
          backgroundFlags: r.backgroundFlags?.map((f) => ({ ...f, valueMatch: f.valueMatch?.source })),
        })),
        null,
        2,
      ) + '\n',
    );
  } else if (opts.markdown) {
    io.out(rulesMarkdown());
  } else {
    for (const r of [...RULES].sort((a, b) => a.id.localeCompare(b.id))) {
      io.out(`${io.c.bold(r.id.padEnd(14))} ${(r.refuse ? 'refused' : r.route).padEnd(8)} ${changes(r)}\n`);
      for (const n of r.notes ?? []) io.out(`${' '.repeat(24)}${io.c.cyan('note:')} ${n}\n`);
    }
  }
  return EXIT.OK;
}

/** The README's check table, from each lint check's metadata. */
export function checksMarkdown(): string {
  const esc = (t: string) => t.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const rows = ALL_META.map(
    (m) => `| ${m.id} | ${m.defaultSeverity} | ${m.fixable} | ${esc(m.docs.what)} | ${esc(m.docs.why)} |`,
  );
  return (
    ['| check | severity | fix | what it finds | why it matters |', '|---|---|---|---|---|', ...rows].join('\n') + '\n'
  );
}
