import type { Edit } from '../edit/edits.js';
import type { UnitFacts } from '../knowledge/units.js';
import type { PidfileReader } from '../knowledge/logrotate.js';
import type { Service } from '../model/service.js';
import type { ServiceRule } from '../rules/types.js';
import { blockPosition, deferRefs, HEADER, insertBlock, placeRelocation } from '../steps/emit.js';
import { STEPS, emptyDraft, type Evidence, type PlanOptions, type Refusal, type StepContext } from '../steps/index.js';
import { routePrecheck, chooseRoute } from '../steps/route.js';
import { operandLines, operandSupervisedLine } from '../steps/foreground.js';
import { assignment } from '../shell/quote.js';
import { parseOptions } from '../model/options.js';
import type { Assignment } from '../parse/shellfile.js';
import { splitValue, unquoted } from '../parse/words.js';

export type { PlanOptions, RefusalCode, Evidence } from '../steps/index.js';

export type Plan =
  | {
      kind: 'migrate';
      route: 'conf.d' | 'init.d';
      why: string;
      edits: Edit[];
      /** Paths (relative to root) of files the plan creates. */
      creates: string[];
      notes: string[];
      warnings: string[];
      /** What the foreground decision rests on (and any other step's evidence). */
      evidence: Evidence[];
      /** The stop schedule has no KILL step (Draft.stopsWithoutKill). */
      stopsWithoutKill?: boolean;
      /** Variables a function builds when the service starts, left to it (Converted.argsAtStart). */
      builtAtStart?: string[];
      /** Why command_args, set only when the service starts, cannot be left there (foreground.ts). */
      atStartWhyNot?: string;
    }
  | { kind: 'already'; where: 'init.d' | 'conf.d' | 'default'; notes: string[] }
  | Refusal;

export interface PlanInput {
  service: Service;
  rule?: ServiceRule;
  units?: readonly UnitFacts[];
  /** Files on the root that may signal the daemon through its pid file (etc/logrotate.d). */
  pidfileReaders?: readonly PidfileReader[];
  /** Where OpenRC's PATH finds a program the script runs by name, on the root. */
  findProgram?: (name: string) => string | undefined;
  /** Paths relative to root. */
  initdPath: string;
  confdPath: string;
  /** True when init.d is a symlink to another script (netifrc's net.* -> net.lo). */
  initdIsLink?: string;
  options?: PlanOptions;
}

/**
 * The recipe: the steps of src/steps/ in order, then the edits where the route says. Returns
 * edits against the original texts; nothing here touches the file system.
 */
export function planMigration(input: PlanInput): Plan {
  const s = input.service;
  const ctx: StepContext = {
    service: s,
    rule: input.rule,
    units: input.units ?? [],
    pidfileReaders: input.pidfileReaders ?? [],
    findProgram: input.findProgram,
    initdPath: input.initdPath,
    confdPath: input.confdPath,
    initdIsLink: input.initdIsLink,
    options: input.options ?? {},
  };
  const pre = routePrecheck(ctx);
  if (pre === 'already') return { kind: 'already', where: s.supervisor.where, notes: [] };
  if (pre) return pre;
  if (!s.defines('start') && !s.defines('stop') && (s.command === undefined || s.command === ''))
    return {
      kind: 'refuse',
      code: 'oneshot',
      reason: 'no `command` to run: nothing for a supervisor to keep alive',
      suggestion: 'nothing to do: only long-running daemons benefit from supervise-daemon',
    };
  const d = emptyDraft();
  for (const step of STEPS) {
    const r = step.run(ctx, d);
    if (r) return r;
  }
  const { route, why, dual } = chooseRoute(ctx, d);
  const supervisorLine = 'supervisor="supervise-daemon"';

  if (route === 'init.d') {
    const edits: Edit[] = [...(d.operandTail?.edits ?? d.moveEdits), ...d.signalEdits, ...d.pidWriteGuards];
    const lines: string[] = [];
    const c = d.converted;
    if (c) {
      edits.push(...c.edits);
      lines.push(...c.hoist);
      if (c.command) lines.push(`command=${c.command}`);
      // (under supervise-daemon only: all of them here, the line below takes the trailing ones out)
      const rest = c.args
        .filter((_, i) => !d.convertedTake.has(i) && (d.operandSupervisedOnly || !d.operandLast?.includes(i)))
        .map((t) => t.text);
      const selfOnly = rest.length === 1 && /^["']?\$\{?command_args\}?["']?$/.test(rest[0]);
      // ser2net's config_check() sets command_args itself when the service starts: a line
      // written here would be replaced by it, and the launch's other words lost.
      if (c.argsAtStart && rest.length && !selfOnly)
        return {
          kind: 'refuse',
          code: 'custom-start',
          reason: `the launch passes \${command_args}, which ${c.argsAtStart.map((f) => `${f}()`).join(', ')} builds when the service starts, and other words (${rest.filter((w) => !/^["']?\$\{?command_args\}?["']?$/.test(w)).join(' ')}) that must stay on the command line: OpenRC's start reads command_args only, which that function sets, so there is no line for them`,
          suggestion:
            'add those words to command_args inside that function (or set command_args at the top of the script), then migrate again',
        };
      if (rest.length && !selfOnly)
        lines.push(`command_args="${deferRefs(rest.join(' ').replace(/(["\\])/g, '\\$1'), c.deferred)}"`);
      lines.push(...c.lines.filter((l) => !s.isSet(l.slice(0, l.indexOf('=')))));
    }
    // The trailing operand after the words OpenRC appends (foreground.ts): a converted launch's
    // plain literal, or command_args's last word as written in its double quotes (`${config}`).
    // A converted launch's words are escaped and deferred as its command_args are (above).
    const escaped = (words: string[]) => deferRefs(words.join(' ').replace(/(["\\])/g, '\\$1'), c?.deferred ?? []);
    const supervisedOnly =
      d.operandSupervisedOnly && d.operandLast && c
        ? operandSupervisedLine(
            d,
            escaped(c.args.filter((_, i) => !d.convertedTake.has(i) && !d.operandLast!.includes(i)).map((t) => t.text)),
            escaped(d.operandLast.map((i) => c.args[i].text)),
            s.initd.eol,
          )
        : undefined;
    const tail = supervisedOnly
      ? ''
      : d.operandLast !== undefined && c
        ? escaped(d.operandLast.map((i) => c.args[i].text))
        : (d.operandTail?.text ?? '');
    if (tail) lines.push(...operandLines(d, tail));
    else if (d.movedText) {
      const bg = s
        .initdAssignments('command_args_background')
        .filter((a) => a.plain)
        .pop();
      if (bg && (bg.value.quote === 'double' || bg.value.quote === 'single'))
        edits.push({ file: input.initdPath, start: bg.value.end - 1, end: bg.value.end - 1, text: ` ${d.movedText}` });
      // The moved words are source text from a double-quoted command_args: already escaped for it.
      else lines.push(`command_args_background="${d.movedText}"`);
    }
    if (!tail && !supervisedOnly && d.foreground) lines.push(assignment('command_args_foreground', d.foreground));
    const own = s.supervisor.initdAssignment;
    const confdEdits: Edit[] = [];
    let creates: string[] = [];
    if (s.supervised) {
      // nothing: already set (residual pass)
    } else if (own && own.plain && own.form === 'assign' && !s.supervisor.confdCanDecide)
      edits.push({ file: input.initdPath, start: own.value.start, end: own.value.end, text: '"supervise-daemon"' });
    else if (dual) {
      // The script chooses by $supervisor: say the choice in conf.d, never hard-code it.
      const ce = confdAppend(s, input.confdPath, [supervisorLine]);
      confdEdits.push(...ce.edits);
      creates = ce.creates;
    } else lines.push(supervisorLine);
    if (supervisedOnly) lines.push(supervisedOnly);
    lines.push(...d.lines, ...d.lateLines);
    if (d.relocation) {
      const placed = placeRelocation(s, input.initdPath, d.relocation, lines);
      lines.push(...placed.lines);
      if (placed.edit) edits.push(placed.edit);
      const at = placed.edit ? placed.edit.start : blockPosition(s, lines).at;
      const late = ssdPidfileOverride(s, lines, at);
      if (late)
        return {
          kind: 'refuse',
          code: 'dynamic',
          reason: `the supervisor needs a pid file of its own, but start_stop_daemon_args (${late}) names another, and OpenRC hands it to supervise-daemon after its own --pidfile, which it overrides: the supervisor would write the daemon's file`,
          suggestion:
            'set supervise_daemon_args without the --pidfile option (or " " when nothing else is needed), then migrate again',
        };
    }
    if (lines.length) edits.push(insertBlock(s, input.initdPath, lines));
    edits.push(...d.extraEdits, ...confdEdits);
    return {
      kind: 'migrate',
      route,
      why,
      edits,
      creates,
      notes: d.notes,
      warnings: d.warnings,
      evidence: d.evidence,
      stopsWithoutKill: d.stopsWithoutKill,
      ...((c?.argsAtStart || d.argsAtStart || d.pidfileSetAtStart) && {
        builtAtStart: [
          ...(c?.argsAtStart || d.argsAtStart ? ['command_args'] : []),
          ...(d.pidfileSetAtStart ? ['pidfile'] : []),
        ],
      }),
      ...(d.argsAtStartWhyNot && { atStartWhyNot: d.argsAtStartWhyNot }),
    };
  }

  const confdLines = s.supervised ? [] : [supervisorLine];
  if (d.foreground) confdLines.push(assignment('command_args_foreground', d.foreground));
  confdLines.push(...d.lines);
  const existing = s.confd
    ? s
        .confdAssignments('supervisor')
        .filter((a) => a.plain)
        .pop()
    : undefined;
  const edits: Edit[] = [];
  if (existing && !s.supervised) {
    edits.push({
      file: input.confdPath,
      start: existing.value.start,
      end: existing.value.end,
      text: '"supervise-daemon"',
    });
    confdLines.shift();
  }
  const ce = confdAppend(s, input.confdPath, confdLines);
  edits.push(...ce.edits);
  return {
    kind: 'migrate',
    route,
    why,
    edits,
    creates: s.confd ? [] : [input.confdPath],
    notes: d.notes,
    warnings: d.warnings,
    evidence: d.evidence,
    stopsWithoutKill: d.stopsWithoutKill,
    ...(d.argsAtStart && { builtAtStart: ['command_args'] }),
    ...(d.argsAtStartWhyNot && { atStartWhyNot: d.argsAtStartWhyNot }),
  };
}

/** Our block at the end of conf.d (created when missing), one blank line before it. */
function confdAppend(s: Service, file: string, lines: string[]): { edits: Edit[]; creates: string[] } {
  if (lines.length === 0) return { edits: [], creates: [] };
  const text = s.confd?.text ?? '';
  const eol = s.confd?.eol ?? s.initd.eol;
  const sep = text === '' || text.endsWith('\n') ? '' : eol;
  const blank = text === '' || /(^|\n)[ \t]*\r?\n$/.test(text) ? '' : eol;
  return {
    edits: [{ file, start: text.length, end: text.length, text: sep + blank + [HEADER, ...lines].join(eol) + eol }],
    creates: s.confd ? [] : [file],
  };
}

/**
 * supervise-daemon.sh passes `${supervise_daemon_args-${start_stop_daemon_args}}` after its own
 * `--pidfile $pidfile`, and the later option wins. When the supervisor is given a pid file of its
 * own at `at` (the relocation line), a --pidfile in start_stop_daemon_args must expand to that
 * same file: `${pidfile}` read below the line does (atd's start_stop_daemon_args="--pidfile
 * ${pidfile}" under our block), as does one single-quoted anywhere (OpenRC's eval expands it at
 * start); a literal path, a double-quoted one in conf.d (read before init.d) or above the line,
 * and one that names another path do not. Returns the offending value.
 */
function ssdPidfileOverride(s: Service, lines: readonly string[], at: number): string | null {
  if (s.isSet('supervise_daemon_args') || lines.some((l) => l.startsWith('supervise_daemon_args='))) return null;
  // The --pidfile start-stop-daemon's option parser finds there (`-p`, `--pidf=`), as the
  // ssd-args step reads these words; a value that cannot be split is taken to name one.
  const pidfileOption = (a: Assignment): string | null | undefined => {
    const tokens = splitValue(a.value.text, a.value.start, a.value.quote);
    if (!tokens) return null;
    const words = tokens.map((t) => unquoted(t.text));
    const o = parseOptions(words, undefined, { abbreviations: true }).options.filter((x) => x.spec.long === 'pidfile');
    return o.length ? (o[o.length - 1].value ?? '') : undefined;
  };
  const readsPidfile = (v: string | null) => v !== null && /^\$\{?pidfile\}?$/.test(v);
  // Fine only when it is ${pidfile} read once the whole script has run: single-quoted anywhere
  // (OpenRC's eval expands it at start), or in init.d below the line or in a function (conf.d
  // is read before init.d).
  const overrides = (a: Assignment, below: boolean) => {
    const value = pidfileOption(a);
    return value !== undefined && !((below || a.value.quote === 'single') && readsPidfile(value));
  };
  for (const a of s.confdAssignments('start_stop_daemon_args')) if (overrides(a, false)) return a.value.text;
  for (const a of s.initdAssignments('start_stop_daemon_args'))
    if (overrides(a, a.fn !== null || a.start >= at)) return a.value.text;
  return null;
}
