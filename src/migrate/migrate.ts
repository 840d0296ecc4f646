import { applyEdits, byFile, type Edit } from '../edit/edits.js';
import { EXIT, InternalError, RcError } from '../errors.js';
import path from 'node:path';
import { existsSync, programOnRoot, readScriptSync, symlinksTo, underRoot, type ReadResult } from '../io/files.js';
import { Service } from '../model/service.js';
import { initParser } from '../parse/parser.js';
import { ShellFile } from '../parse/shellfile.js';
import { unitsOnRoot, type UnitFacts } from '../knowledge/units.js';
import { initdOwners, type InstalledPackage } from '../knowledge/installed.js';
import { pidfileReadersOnRoot, type PidfileReader } from '../knowledge/logrotate.js';
import { resolveRule } from '../knowledge/rules.js';
import { findRule } from '../rules/registry.js';
import { daemonizingPrograms, directlyRun, launchedDaemon } from '../steps/custom-start.js';
import { dependOnlyTemplates, templateWord, type DependTemplates } from '../steps/route.js';
import { confirmSyntax, shellErrorSite } from '../parse/syntax-check.js';
import type { ServiceRule } from '../rules/types.js';
import { planMigration, type Plan, type PlanOptions, type RefusalCode } from './plan.js';
import { editsOnOriginal, ssdWrapperInlining } from './ssd-wrapper.js';
import { composeHoist, hoistLeadingArgs, type Hoist } from './prepare.js';

export const MAX_PASSES = 10;

export interface FileChange {
  /** Relative to the root, e.g. `etc/conf.d/sshd`. */
  path: string;
  before: string | null;
  after: string;
  /** What was read (mode/owner to keep); absent for a created file. */
  source?: ReadResult;
}

export interface ServiceResult {
  service: string;
  plan: Plan;
  rule?: ServiceRule;
  changes: FileChange[];
  /** Fix-loop passes it took (1 = converged at once). */
  passes: number;
}

export const OPENRC_SHEBANG = /^#!\s*\S*\/(openrc-run|runscript)(\s|$)/;

export function validServiceName(name: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9_.@+-]*$/.test(name) && !name.includes('..');
}

export interface LoadedService {
  name: string;
  initdPath: string;
  confdPath: string;
  initd: ReadResult;
  confd: ReadResult | null;
  /** systemd units on the root (evidence of how a daemon runs in the foreground). */
  units?: readonly UnitFacts[];
  /** Files on the root that may signal the daemon through its pid file (etc/logrotate.d). */
  pidfileReaders?: readonly PidfileReader[];
  /** The package that installed the init script (read only when a rule needs its version). */
  installed?: () => InstalledPackage | undefined;
  /** Where OpenRC's PATH finds a program on the root (a script that runs its daemon by name). */
  programs?: (name: string) => string | undefined;
  /** Why writing a file would change another one too (a symlink to it, a hard link), by path. */
  shared?: Record<string, string>;
}

/**
 * Reads ROOT/etc/init.d/<svc> and ROOT/etc/conf.d/<svc> with every input check. The reads
 * are synchronous (a batch of hundreds waited ~10% of its time on awaited lstat calls).
 */
export async function loadService(root: string, name: string): Promise<LoadedService> {
  return loadServiceSync(root, name);
}

export function loadServiceSync(root: string, name: string): LoadedService {
  if (!validServiceName(name)) throw new RcError(`${name}: not a valid service name`, EXIT.INPUT);
  const initdPath = `etc/init.d/${name}`;
  const confdPath = `etc/conf.d/${name}`;
  const initdAbs = underRoot(root, initdPath);
  if (!existsSync(initdAbs))
    throw new RcError(`${name}: no such service (looked for ${initdAbs})`, EXIT.INPUT, initdPath);
  const initd = readScriptSync(root, initdAbs, initdPath);
  const confdAbs = underRoot(root, confdPath);
  const confd = existsSync(confdAbs) ? readScriptSync(root, confdAbs, confdPath) : null;
  const shared: Record<string, string> = {};
  for (const [rel, r] of [
    [initdPath, initd],
    [confdPath, confd],
  ] as const) {
    if (!r) continue;
    // A linked init.d script is one script for several services by design (net.eth0 -> net.lo;
    // the target is migrated once); a linked conf.d shares one service's settings with another.
    const others = r === confd ? symlinksTo(path.dirname(r.realPath), r.realPath).filter((n) => n !== name) : [];
    if (others.length)
      shared[rel] =
        `${rel} is shared: ${others.map((n) => `${path.basename(path.dirname(rel))}/${n}`).join(', ')} ${others.length > 1 ? 'are symlinks' : 'is a symlink'} to it, and editing it would change ${others.length > 1 ? 'those services' : 'that service'} too`;
    else if ((r.nlink ?? 1) > 1)
      shared[rel] =
        `${rel} has ${(r.nlink ?? 1) - 1} other hard link(s): a rewrite would split them (or change another service)`;
  }
  const installed = () => initdOwners(root).get(name);
  return {
    name,
    initdPath,
    confdPath,
    initd,
    confd,
    shared,
    units: unitsOnRoot(root),
    pidfileReaders: pidfileReadersOnRoot(root),
    installed,
    programs: (program: string) => programOnRoot(root, program),
  };
}

/** Parses and checks both files; throws RcError for anything that is not a clean OpenRC script. */
export function parseService(l: LoadedService): Service {
  if (l.initd.text.length === 0)
    throw new RcError(`${l.initdPath}: empty file, not an OpenRC script`, EXIT.INPUT, l.initdPath);
  const initd = new ShellFile(l.initdPath, l.initd.text);
  if (!OPENRC_SHEBANG.test(l.initd.text.replace(/^\uFEFF/, '')))
    throw new RcError(
      `${l.initdPath}: not an OpenRC script (first line is not #!/sbin/openrc-run)`,
      EXIT.INPUT,
      l.initdPath,
    );
  syntaxCheck(initd);
  const confd = l.confd ? new ShellFile(l.confdPath, l.confd.text) : null;
  if (confd) syntaxCheck(confd);
  return new Service(l.name, initd, confd);
}

/**
 * The service with start_pre()'s leading command_args line moved to the top (hoistLeadingArgs),
 * when the script has that form: the text the migration then starts from, and the note saying so.
 */
function prepareService(l: LoadedService, s: Service): { service: Service; hoist: Hoist } | undefined {
  const h = hoistLeadingArgs(s, l.initdPath);
  if (!h) return undefined;
  const initd = new ShellFile(l.initdPath, applyEdits(s.initd.text, h.edits));
  if (initd.errors.length > s.initd.errors.length) return undefined;
  return { service: new Service(l.name, initd, s.confd, s.rcconf), hoist: h };
}

/**
 * An edit landing inside a here-document body would change data, not code (or break the
 * terminator): refused with the place, never applied.
 */
export function heredocEdit(
  s: Service,
  edits: readonly Edit[],
): ((name: string, rule: ServiceRule | undefined) => ServiceResult) | undefined {
  for (const e of edits) {
    const f = e.file === s.initd.path ? s.initd : e.file === s.confd?.path ? s.confd : null;
    const h = f?.inHeredoc(e.start, e.end);
    if (!f || !h) continue;
    const reason = `${f.path}:${f.lineCol(h.start).line}: the change would land inside a here-document, which is data, not code`;
    return (name, rule) =>
      refused(
        name,
        rule,
        'dynamic',
        reason,
        'move the here-document (or the assignment before it on the same line) to its own lines, then migrate again',
      );
  }
  return undefined;
}

/**
 * A grammar error is a syntax error only when a real shell agrees (tree-sitter-bash misreads
 * a few valid constructs: `*" $i "*);;`, `"${X:+ (${X})}"`). When the shell accepts the file,
 * planning goes on, and no edit may land in a region the grammar could not parse.
 */
function syntaxCheck(f: ShellFile): void {
  const e = f.errors[0];
  if (!e) return;
  const v = confirmSyntax(f.text, f.shebang);
  if (v.verdict === 'ok' || v.verdict === 'bash-only') return;
  if (v.verdict === 'unconfirmed')
    throw new RcError(`${f.path}:${e.line}:${e.col}: ${e.message}; not changed`, EXIT.SYNTAX, f.path);
  throw inputSyntaxError(f, v);
}

/**
 * The input's syntax error where the shell says, in its words, as lint says it (the grammar's
 * first error can be lines away: an unclosed `${` makes it give up at the top of the file).
 */
function inputSyntaxError(f: ShellFile, v: ReturnType<typeof confirmSyntax>): RcError {
  const site = shellErrorSite(f, v);
  const { line, col } = f.lineCol(site.offset);
  return new RcError(`${f.path}:${line}:${col}: ${site.message}; not changed`, EXIT.SYNTAX, f.path);
}

/** The regions of a file the grammar could not parse, whole lines. */
function unparsedRegions(f: ShellFile | null): { start: number; end: number }[] {
  return (f?.errors ?? []).map((e) => ({
    start: f!.lineStart(e.offset),
    end: f!.lineEnd(Math.max(e.offset, e.end - 1)),
  }));
}

/**
 * Plans and applies a migration in memory: the fix loop re-parses after each pass until
 * nothing is left to do. The result must re-parse cleanly and be a fixed point (a second
 * run changes nothing), or this throws and nothing may be written.
 */
export function migrateLoaded(l: LoadedService, options: PlanOptions = {}): ServiceResult {
  const template = OPENRC_SHEBANG.test(l.initd.text) ? templateWord(l.initd.text) : null;
  const inDepend = template ? dependOnlyTemplates(l.initdPath, l.initd.text) : null;
  if (inDepend)
    return templatesBack(l, inDepend, migrateLoaded({ ...l, initd: { ...l.initd, text: inDepend.text } }, options));
  if (template)
    return refused(
      l.name,
      undefined,
      'template',
      `template: the ebuild fills in ${template} when it installs the script`,
      'run rc-supervise on the installed file',
    );
  const asRead = parseService(l);
  // metalog's ssd(): a function that only runs start-stop-daemon with fixed words before its
  // caller's own. Every step reads the script with its calls written out (and the function
  // gone); the changes are still against the file as read.
  const wrapper = ssdWrapperInlining(asRead, l.initdPath);
  const service = wrapper
    ? new Service(
        l.name,
        new ShellFile(l.initdPath, applyEdits(l.initd.text, wrapper.edits)),
        asRead.confd,
        asRead.rcconf,
      )
    : asRead;
  // A program start() runs directly while stop() stops a daemon: a candidate only when it is the
  // one such program a rule knows (convertCustomStart then checks that stop() stops it).
  const direct = directlyRun(service).filter((n) => findRule('', n));
  const daemonName =
    service.daemon ??
    launchedDaemon(service) ??
    daemonizingPrograms(service).find((n) => findRule('', n)) ??
    (direct.length === 1 ? direct[0] : undefined);
  // Namesakes kept to their packages, version-dependent words, a binary several daemons share:
  // the package that installed the init script says (knowledge/rules.ts resolveRule).
  const rule = resolveRule(
    findRule(l.name, daemonName),
    daemonName,
    l.installed,
    l.initd.text + '\n' + (l.confd?.text ?? ''),
  );
  const base = {
    rule,
    units: l.units ?? [],
    pidfileReaders: l.pidfileReaders ?? [],
    findProgram: l.programs,
    initdPath: l.initdPath,
    confdPath: l.confdPath,
    initdIsLink: l.initd.linkTarget,
  };
  // start_pre()'s first line setting command_args moved to the top (hoistLeadingArgs), when the
  // migration then goes through; otherwise the script is planned as it is. Its edits are then
  // said on the original text, the moved line among them. Not beside a start-stop-daemon
  // wrapper written out above: each maps its edits onto the file as read on its own.
  const prepared = wrapper ? undefined : prepareService(l, service);
  const first = prepared ? planMigration({ ...base, service: prepared.service, options }) : undefined;
  const composed =
    prepared && first?.kind === 'migrate' && first.edits.length > 0
      ? composeHoist(prepared.hoist, l.initd.text, l.initdPath, first.edits)
      : undefined;
  const unwrapped: Plan =
    composed && first?.kind === 'migrate'
      ? { ...first, edits: composed, notes: [prepared!.hoist.note, ...first.notes] }
      : planMigration({ ...base, service, options });
  const plan: Plan = !wrapper
    ? unwrapped
    : unwrapped.kind === 'migrate'
      ? {
          ...unwrapped,
          edits: editsOnOriginal(wrapper, service.initd.text, unwrapped.edits),
          notes: [wrapper.note, ...unwrapped.notes],
        }
      : unwrapped.kind === 'refuse'
        ? {
            ...unwrapped,
            reason: `${unwrapped.reason} (read with the calls of ${wrapper.name}() written out as the start-stop-daemon command it runs)`,
          }
        : unwrapped;
  const planned = composed ? prepared!.service : service;
  if (plan.kind === 'refuse') return { service: l.name, plan, rule, changes: [], passes: 0 };
  // Whatever decides the command lines and cannot be read with certainty: refused, never guessed.
  // ser2net's config_check() builds command_args when the service starts, and the plan leaves it
  // there (custom-start's commandArgsBuiltAtStart): that value is not needed here.
  const unknown = [...planned.unknown].filter(([n]) => !(plan.kind === 'migrate' && plan.builtAtStart?.includes(n)))[0];
  if (unknown && plan.kind === 'migrate')
    return refused(
      l.name,
      rule,
      'dynamic',
      `${unknown[0]}: ${unknown[1]}${unknown[0] === 'command_args' && plan.atStartWhyNot ? `, and ${plan.atStartWhyNot}` : ''}`,
      `set ${unknown[0]} with a plain top-level assignment, or migrate by hand`,
    );
  if (plan.kind !== 'migrate') return { service: l.name, plan, rule, changes: [], passes: 0 };
  const unparsed = [
    ...unparsedRegions(asRead.initd).map((r) => ({ ...r, file: l.initdPath })),
    ...unparsedRegions(asRead.confd).map((r) => ({ ...r, file: l.confdPath })),
  ];
  const blind = plan.edits.find((e) => unparsed.some((r) => r.file === e.file && e.start < r.end && r.start <= e.end));
  if (blind)
    return refused(
      l.name,
      rule,
      'dynamic',
      `${blind.file}: the change would touch lines the shell grammar rc-supervise uses cannot read (the shell itself accepts them); nothing written`,
      'migrate this service by hand (rc-supervise explain shows the command lines)',
    );
  const inDoc = heredocEdit(asRead, plan.edits);
  if (inDoc) return inDoc(l.name, rule);
  // Writing through a symlink would change another service's script (net.eth0 -> net.lo).
  const link = [l.initd, l.confd].find((f) => f?.linkTarget);
  if (link) {
    const which = link === l.initd ? l.initdPath : l.confdPath;
    return refused(
      l.name,
      rule,
      'symlink',
      `${which} is a symlink (-> ${link.linkTarget}): editing it would change the file it points to`,
      'migrate the service the link points to, or replace the link by a copy first',
    );
  }

  const texts = new Map<string, string | null>([
    [l.initdPath, l.initd.text],
    [l.confdPath, l.confd?.text ?? null],
  ]);
  let edits: Edit[] = plan.edits;
  let current = asRead;
  let passes = 0;
  while (edits.length > 0) {
    if (++passes > MAX_PASSES) return notConverging(l.name, rule, `no fixed point after ${MAX_PASSES} passes`);
    for (const [file, list] of byFile(edits)) texts.set(file, applyEdits(texts.get(file) ?? '', list));
    // Re-parse only what this pass changed (a conf.d-only migration leaves init.d alone).
    const parse = (p: string, prev: ShellFile | null): ShellFile | null => {
      const t = texts.get(p);
      if (t === null || t === undefined) return null;
      return prev && prev.text === t ? prev : new ShellFile(p, t);
    };
    const initd = parse(l.initdPath, current.initd)!;
    const confd = parse(l.confdPath, current.confd);
    current = new Service(l.name, initd, confd);
    for (const f of [initd, confd]) {
      // The original's own misread regions may stay; anything new must be a real error.
      const before = f === initd ? asRead.initd.errors.length : (asRead.confd?.errors.length ?? 0);
      const e = f?.errors[f.errors.length - 1];
      const verdict = f && e ? confirmSyntax(f.text, f.shebang).verdict : 'ok';
      if (f && e && (verdict === 'error' || (verdict === 'unconfirmed' && f.errors.length > before))) {
        // The grammar can miss an error of the original (`;;` on a line a `\` continues, outside
        // any case): when a real shell rejects the original too, the input is at fault, said as
        // syntaxCheck says it (exit 3), not as a bug of ours.
        const original = f === initd ? asRead.initd : asRead.confd;
        const was = original && verdict === 'error' ? confirmSyntax(original.text, original.shebang) : undefined;
        if (original && was?.verdict === 'error') throw inputSyntaxError(original, was);
        // The shell reads the original, but the grammar misread part of it already (a `}` with a
        // carriage return after it, which dash takes for a command named `}\r`): the edits were
        // planned on that misreading. A known limit of the parser, said as a refusal, not a crash.
        const misread = original?.errors[0];
        if (misread)
          return notConverging(
            l.name,
            rule,
            `its parser misreads ${original!.path}:${misread.line}:${misread.col} (${misread.message}), which the shell accepts, and the edits planned on that reading do not parse (${f.path}:${e.line}:${e.col})`,
          );
        throw new InternalError(`${f.path}:${e.line}:${e.col}: the migration produced a syntax error; reverted`);
      }
    }
    const again = planMigration({
      ...base,
      service: current,
      options: { ...options, residual: true },
    });
    if (again.kind !== 'migrate')
      return notConverging(
        l.name,
        rule,
        `after the edits the script would be refused (${again.kind === 'refuse' ? again.reason : again.kind})`,
      );
    edits = again.edits;
    const later = heredocEdit(current, edits);
    if (later) return later(l.name, rule);
  }

  const changes: FileChange[] = [];
  const sources = new Map([
    [l.initdPath, l.initd],
    [l.confdPath, l.confd ?? undefined],
  ]);
  for (const [file, after] of texts) {
    const src = sources.get(file);
    const before = src?.text ?? null;
    if (after === null || after === before) continue;
    changes.push({ path: file, before, after, source: src });
  }
  const shared = changes.map((ch) => l.shared?.[ch.path]).find((w) => w);
  if (shared)
    return refused(
      l.name,
      rule,
      'symlink',
      shared,
      'replace the link by a copy first (cp --remove-destination), then migrate each service',
    );
  return { service: l.name, plan, rule, changes, passes };
}

export async function migrateService(root: string, name: string, options: PlanOptions = {}): Promise<ServiceResult> {
  await initParser();
  return migrateLoaded(await loadService(root, name), options);
}

/**
 * The migration of a script whose template words are all in depend() (cupsd's
 * `@neededservices@`), run on it with stand-ins for them: the stand-ins are put back, the
 * change is against the file as read, and a note says why the placeholders do not matter.
 * Refused as a template if an edit touched a stand-in (no step edits depend()).
 */
function templatesBack(l: LoadedService, t: DependTemplates, r: ServiceResult): ServiceResult {
  const count = (text: string) => [...t.standIns.keys()].map((k) => text.split(k).length - 1).join();
  const changes: FileChange[] = [];
  for (const ch of r.changes) {
    if (ch.path !== l.initdPath) {
      changes.push(ch);
      continue;
    }
    if (count(ch.after) !== count(t.text))
      return refused(
        l.name,
        r.rule,
        'template',
        `template: the ebuild fills in ${t.words.join(', ')} when it installs the script`,
        'run rc-supervise on the installed file',
      );
    let after = ch.after;
    for (const [standIn, word] of t.standIns) after = after.split(standIn).join(word);
    changes.push({ ...ch, before: l.initd.text, after, source: l.initd });
  }
  const note = `depend() holds ${t.words.join(', ')}, which the ebuild fills in when it installs the script: the migration neither reads nor changes depend(), so it is the same whatever is filled in there`;
  const plan: Plan = r.plan.kind === 'migrate' ? { ...r.plan, notes: [...r.plan.notes, note] } : r.plan;
  return { ...r, plan, changes };
}

/**
 * A plan whose own result would be planned differently is a refusal, not a crash: the script
 * has something the steps cannot settle (e.g. a restart() that still calls start-stop-daemon).
 */
function notConverging(service: string, rule: ServiceRule | undefined, why: string): ServiceResult {
  return {
    service,
    rule,
    changes: [],
    passes: 0,
    plan: {
      kind: 'refuse',
      code: 'not-converging',
      reason: `rc-supervise cannot finish this migration: ${why}; nothing written`,
      suggestion: 'migrate this service by hand (rc-supervise explain shows the command lines)',
    },
  };
}

/** A service not migrated, with the reason and what the user can do. */
function refused(
  service: string,
  rule: ServiceRule | undefined,
  code: RefusalCode,
  reason: string,
  suggestion: string,
): ServiceResult {
  return { service, rule, changes: [], passes: 0, plan: { kind: 'refuse', code, reason, suggestion } };
}
