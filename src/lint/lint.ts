import { existsSync, statSync } from 'node:fs';
import { readSmallSync } from '../io/files.js';
import path from 'node:path';
import { applyEdits, type Edit } from '../edit/edits.js';
import { EXIT, RcError } from '../errors.js';
import { Service } from '../model/service.js';
import { ShellFile } from '../parse/shellfile.js';
import { shellCheckSyntax, startConfirmation, templateWords } from '../parse/syntax-check.js';
import { findRule } from '../rules/registry.js';
import { resolveRule } from '../knowledge/rules.js';
import { parseVersion, type Check, type LintContext, type RawFinding, type Version } from './check.js';
import { CHECKS } from './checks/index.js';
import type { CheckMeta, Finding, Severity } from './types.js';

import { DEFAULT_OPENRC_VERSION } from '../defaults.js';

export { DEFAULT_OPENRC_VERSION };

/** Reported for a suppression or config naming a rule that does not exist. */
export const UNKNOWN_RULE: CheckMeta = {
  id: 'unknown-rule-id',
  defaultSeverity: 'warning',
  summary: 'suppression or config names a rule that does not exist',
  fixable: 'none',
  docs: {
    what: 'A `# rc-supervise disable=ID` directive or a `.rc-supervise.json` entry naming an unknown rule id.',
    why: 'A misspelt id suppresses nothing, and the finding it was meant for is silently back (or never was).',
    example: {
      bad: '#!/sbin/openrc-run\n# rc-supervise disable=no-such-rule\ncommand=/usr/sbin/foo\n',
      good: '#!/sbin/openrc-run\n# rc-supervise disable=bashism\ncommand=/usr/sbin/foo\n',
    },
    fix: 'None: correct the id (`rc-supervise lint --list-rules`).',
  },
};

export const ALL_META: readonly CheckMeta[] = [...CHECKS.map((c) => c.meta), UNKNOWN_RULE];
const KNOWN = new Set(ALL_META.map((m) => m.id));

export interface LintConfig {
  disable?: string[];
  severity?: Record<string, Severity | 'off'>;
  openrcVersion?: string;
  /** Command line --select: only these checks run (unset: all). */
  select?: string[];
  /** Where it was read from (for messages). */
  source?: string;
}

type ConfigValidator = ((data: unknown) => boolean) & {
  errors?: { instancePath: string; keyword: string; message?: string; params: Record<string, unknown> }[] | null;
};
let validator: ConfigValidator | undefined;

/** The schema's complaints, one line each, naming the key's path (`severity.bashism`). */
function schemaErrors(v: ConfigValidator, data: unknown): string[] {
  const at = (ptr: string) =>
    ptr
      .split('/')
      .slice(1)
      .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((k, i) => (/^\d+$/.test(k) ? `[${k}]` : i ? `.${k}` : k))
      .join('') || '(top level)';
  const valueAt = (ptr: string): unknown =>
    ptr
      .split('/')
      .slice(1)
      .reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], data);
  return (v.errors ?? []).map((e) => {
    if (e.keyword === 'additionalProperties')
      return `${e.instancePath ? `${at(e.instancePath)}: ` : ''}unknown key '${String(e.params.additionalProperty)}' (known: openrcVersion, disable, severity)`;
    const got = JSON.stringify(valueAt(e.instancePath));
    if (e.keyword === 'enum')
      return `${at(e.instancePath)}: must be one of ${(e.params.allowedValues as string[]).join(', ')} (got ${got})`;
    if (e.keyword === 'pattern' && e.instancePath === '/openrcVersion')
      return `openrcVersion: must look like "0.44" or "0.44.10" (got ${got})`;
    if (e.keyword === 'type' && e.instancePath === '/openrcVersion')
      return `openrcVersion: must be a string, e.g. "0.44" (got ${got})`;
    return `${at(e.instancePath)}: ${e.message ?? e.keyword} (got ${got})`;
  });
}

/** Parses and validates one `.rc-supervise.json` against CONFIG_SCHEMA (ajv, loaded on first use). */
export async function readConfig(p: string, text: string): Promise<LintConfig> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new RcError(`${p}: not valid JSON (${(e as Error).message})`, EXIT.INPUT, p);
  }
  if (!validator) {
    const [mod, { CONFIG_SCHEMA }] = await Promise.all([import('ajv'), import('./config-schema.js')]);
    // ajv is CommonJS: its class arrives as `default` or `default.default` depending on the loader.
    type AjvLike = new (o: object) => { compile: (s: object) => ConfigValidator };
    const m = mod as unknown as { default: AjvLike & { default?: AjvLike } };
    const AjvClass = m.default.default ?? m.default;
    validator = new AjvClass({ allErrors: true, strict: false }).compile(CONFIG_SCHEMA);
  }
  if (!validator(data)) throw new RcError(`${p}: ${schemaErrors(validator, data).join('; ')}`, EXIT.INPUT, p);
  return { ...(data as LintConfig), source: p };
}

const configCache = new Map<string, Promise<LintConfig>>();

/** Forgets the configs read so far: each lint run reads them afresh (a process may lint twice, as tests do). */
export function forgetConfigs(): void {
  configCache.clear();
}

/**
 * The `.rc-supervise.json` that applies to `start` (a file or directory): the nearest one in
 * its directory or above, as ESLint's and Ruff's nearest-config rule; {} when there is none.
 * Cached per directory, so a repository's thousands of files cost one look per directory.
 */
export function findConfig(start: string): Promise<LintConfig> {
  let dir = path.resolve(start);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) dir = path.dirname(dir);
  return configIn(dir);
}

function configIn(dir: string): Promise<LintConfig> {
  let r = configCache.get(dir);
  if (!r) {
    const p = path.join(dir, '.rc-supervise.json');
    const up = path.dirname(dir);
    r = existsSync(p)
      ? (async () => {
          let text: string;
          try {
            // A FIFO named .rc-supervise.json must not hang lint: regular files only, size-capped.
            text = readSmallSync(null, p, p, 1024 * 1024) ?? '{}';
          } catch (e) {
            if (e instanceof RcError) throw e;
            throw new RcError(`${p}: cannot read (${(e as Error).message})`, EXIT.INPUT, p);
          }
          return readConfig(p, text);
        })()
      : up === dir
        ? Promise.resolve({})
        : configIn(up);
    configCache.set(dir, r);
  }
  return r;
}

export interface LintFileInput {
  initdPath: string;
  initdText: string;
  confdPath?: string | null;
  confdText?: string | null;
  /** Mode, when the file is in an etc/init.d tree. */
  mode?: number;
  /** Installed service name, when known (an ebuild's newinitd); else derived from the file name. */
  name?: string;
}

export interface LintOptions {
  target?: Version;
  config?: LintConfig;
}

interface Directive {
  line: number;
  ids: string[];
  fileWide: boolean;
  offset: number;
}

const DIRECTIVE = /#\s*rc-supervise\s+disable=([\w,-]+)/;

function directives(f: ShellFile): Directive[] {
  const firstStatement = Math.min(
    ...[...f.assignments, ...f.commands, ...f.functions].map((x) => x.start),
    f.text.length,
  );
  return f.comments.flatMap((c) => {
    const m = DIRECTIVE.exec(f.text.slice(c.start, c.end));
    if (!m) return [];
    return [
      {
        line: f.lineCol(c.start).line,
        ids: m[1].split(',').filter(Boolean),
        fileWide: c.start < firstStatement,
        offset: c.start,
      },
    ];
  });
}

function toFinding(check: CheckMeta, raw: RawFinding, ctx: LintContext, sev: Severity): Finding {
  const f = raw.in === 'confd' && ctx.confd ? ctx.confd : ctx.initd;
  const file = raw.in === 'confd' && ctx.confdPath ? ctx.confdPath : ctx.initdPath;
  const s = f.lineCol(raw.start);
  const e = raw.end !== undefined && raw.end > raw.start ? f.lineCol(raw.end) : undefined;
  const from = f.text.lastIndexOf('\n', raw.start - 1) + 1;
  const to = f.text.indexOf('\n', raw.start);
  const source = f.text.slice(from, Math.min(to < 0 ? f.text.length : to, from + SOURCE_MAX)).replace(/\r$/, '');
  return {
    ruleId: check.id,
    severity: sev,
    message: raw.message,
    file,
    line: s.line,
    col: s.col,
    endLine: e?.line,
    endCol: e?.col,
    fix: raw.fix,
    source,
  };
}

/** Longest source line kept in a finding (a minified one-liner must not bloat the output). */
const SOURCE_MAX = 240;

/** `foo.initd`, `foo-r1.initd`, `foo.initd-r2`, `foo.rc`, `etc/init.d/foo` → `foo`. */
export function serviceName(file: string): string {
  return path
    .basename(file)
    .replace(/(\.initd(-r\d+)?|\.init|\.rc|-initd)$/, '')
    .replace(/-r\d+$/, '');
}

/** An input's files, parsed. */
export interface ParsedInput {
  initd: ShellFile;
  confd: ShellFile | null;
}

export function parseInput(input: LintFileInput): ParsedInput {
  return {
    initd: new ShellFile(input.initdPath, input.initdText),
    confd: input.confdText != null && input.confdPath ? new ShellFile(input.confdPath, input.confdText) : null,
  };
}

/** A check runs under this config (not disabled, not turned off, selected if there is a selection). */
function enabled(cfg: LintConfig, id: string): boolean {
  return (
    !(cfg.disable ?? []).includes(id) &&
    cfg.severity?.[id] !== 'off' &&
    !(cfg.select?.length && !cfg.select.includes(id))
  );
}

/**
 * The shells' verdicts lintParsed will ask for (src/parse/syntax-check.ts), started in the
 * background: the syntax-error check asks about each file the grammar could not parse.
 * Resolves when they are in (at once when there is none to ask about).
 */
export function startShellVerdicts(parsed: ParsedInput, cfg: LintConfig = {}): Promise<void> | null {
  if (!enabled(cfg, 'syntax-error')) return null;
  const asks = [
    ...(parsed.initd.errors.length ? [startConfirmation(parsed.initd.text, parsed.initd.shebang)] : []),
    ...(parsed.confd?.errors.length ? [startConfirmation(parsed.confd.text, null)] : []),
  ];
  return asks.length ? Promise.all(asks).then(() => undefined) : null;
}

/** Lints one init script (and its conf.d). Pure: no file-system access. */
export function lintFile(input: LintFileInput, opts: LintOptions = {}): Finding[] {
  return lintParsed(input, parseInput(input), opts);
}

/** lintFile, with the input's files parsed already (parseInput). */
export function lintParsed(input: LintFileInput, parsed: ParsedInput, opts: LintOptions = {}): Finding[] {
  const cfg = opts.config ?? {};
  const target = opts.target ?? parseVersion(cfg.openrcVersion ?? DEFAULT_OPENRC_VERSION)!;
  const { initd, confd } = parsed;
  const svcName = input.name ?? serviceName(input.initdPath);
  const service = new Service(svcName, initd, confd);
  // As migrate resolves it, with no package database: a rule kept to packages (ntpd: ntp.org's
  // and ntpsec's, not OpenNTPD's) refuses rather than speak of another program of that name.
  const rule = resolveRule(
    findRule(svcName, service.daemon),
    service.daemon ?? undefined,
    undefined,
    initd.text + '\n' + (confd?.text ?? ''),
  );
  const ctx: LintContext = {
    initdPath: input.initdPath,
    confdPath: input.confdPath ?? null,
    initd,
    confd,
    service,
    rule,
    mode: input.mode,
    target,
  };
  const dirs = [...directives(initd), ...(confd ? directives(confd).map((d) => ({ ...d, inConfd: true })) : [])];
  const out: Finding[] = [];
  // A region the grammar could not parse: the other checks still run on what parsed, but say
  // nothing inside it, and no fix is offered for a file the grammar did not fully understand
  // (nor for a template, whose @WORD@s the ebuild replaces).
  const broken = (raw: RawFinding) => {
    const f = raw.in === 'confd' ? confd : initd;
    return !!f?.errors.some((e) => e.end > e.offset && raw.start >= e.offset && raw.start < e.end);
  };
  const noFixes =
    initd.errors.length > 0 || !!confd?.errors.length || templateWords(initd.text, initd.comments).length > 0;
  const run = (check: Check) => {
    const sevCfg = cfg.severity?.[check.meta.id];
    if (!enabled(cfg, check.meta.id) || sevCfg === 'off') return;
    for (const r of check.run(ctx)) {
      if (check.meta.id !== 'syntax-error' && broken(r)) continue;
      const raw = noFixes && check.meta.id !== 'syntax-error' ? { ...r, fix: undefined } : r;
      const finding = toFinding(check.meta, raw, ctx, sevCfg ?? raw.severity ?? check.meta.defaultSeverity);
      const inFile = raw.in === 'confd' ? 'confd' : 'initd';
      const suppressed = dirs.some(
        (d) =>
          ('inConfd' in d ? 'confd' : 'initd') === inFile &&
          d.ids.includes(check.meta.id) &&
          (d.fileWide || d.line + 1 === finding.line || d.line === finding.line),
      );
      if (!suppressed) out.push(finding);
    }
  };
  for (const check of CHECKS) run(check);
  for (const d of dirs)
    for (const id of d.ids)
      if (!KNOWN.has(id)) {
        const f = 'inConfd' in d ? confd! : initd;
        const { line, col } = f.lineCol(d.offset);
        const from = f.text.lastIndexOf('\n', d.offset - 1) + 1;
        const to = f.text.indexOf('\n', d.offset);
        out.push({
          source: f.text.slice(from, Math.min(to < 0 ? f.text.length : to, from + SOURCE_MAX)).replace(/\r$/, ''),
          ruleId: UNKNOWN_RULE.id,
          severity: 'warning',
          message: `unknown rule id '${id}' in a disable directive`,
          file: f.path,
          line,
          col,
        });
      }
  // By code point, not localeCompare: the order must not depend on the machine's locale (LANG).
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.col - b.col);
}

/** Config entries naming unknown rules, reported once per run against the config file. */
function displayPath(p: string): string {
  const r = path.relative(process.cwd(), p);
  return r && !r.startsWith('..') ? r : p;
}

export function configFindings(cfg: LintConfig): Finding[] {
  if (!cfg.source) return [];
  const ids = [...(cfg.disable ?? []), ...Object.keys(cfg.severity ?? {})];
  return ids
    .filter((id) => !KNOWN.has(id))
    .map((id) => ({
      ruleId: UNKNOWN_RULE.id,
      severity: 'warning' as const,
      message: `unknown rule id '${id}' in the config`,
      file: displayPath(cfg.source ?? '.rc-supervise.json'),
      line: 1,
      col: 1,
    }));
}

export interface FixResult {
  texts: Map<string, string>;
  /** Findings left after fixing. */
  findings: Finding[];
  fixed: number;
  passes: number;
}

/**
 * `--fix`: applies fixes of the allowed safety, non-overlapping ones per pass, re-lints,
 * and repeats until no fixable finding is left (ESLint's loop, at most 10 passes). A pass
 * that would introduce a syntax error is dropped and reported as a bug.
 */
export function fixFile(input: LintFileInput, opts: LintOptions & { unsafe?: boolean } = {}): FixResult {
  const texts = new Map<string, string>([[input.initdPath, input.initdText]]);
  if (input.confdPath && input.confdText != null) texts.set(input.confdPath, input.confdText);
  let fixed = 0;
  let passes = 0;
  const current = (): LintFileInput => ({
    ...input,
    initdText: texts.get(input.initdPath)!,
    confdText: input.confdPath ? (texts.get(input.confdPath) ?? input.confdText) : input.confdText,
  });
  let findings = lintFile(current(), opts);
  // A script /bin/sh (dash) cannot parse as it is (bash-only syntax the grammar took) is left
  // alone: no fix can be checked against what the shell would run.
  let shellChecked = false;
  for (; passes < 10; passes++) {
    const fixable = findings.filter((f) => f.fix && (f.fix.safety === 'safe' || opts.unsafe));
    if (!fixable.length) break;
    if (!shellChecked) {
      shellChecked = true;
      // (CR LF is what the crlf fix removes: judge the text without it.)
      if (shellCheckSyntax(input.initdText.replace(/\r\n/g, '\n'), 'dash')?.ok === false) {
        findings = findings.map((f) => ({ ...f, fix: undefined }));
        break;
      }
    }
    const chosen: Edit[] = [];
    let count = 0;
    const parsed = new Map<string, ShellFile>();
    const shell = (file: string) => {
      let sf = parsed.get(file);
      if (!sf) parsed.set(file, (sf = new ShellFile(file, texts.get(file) ?? '')));
      return sf;
    };
    for (const f of fixable) {
      const edits = f.fix!.edits;
      // A fix landing inside a here-document would change its data: never applied (the finding stays).
      if (edits.some((e) => texts.has(e.file) && shell(e.file).inHeredoc(e.start, e.end))) continue;
      const clash = edits.some((e) =>
        chosen.some(
          (c) =>
            c.file === e.file &&
            e.start < c.end + (c.start === c.end ? 1 : 0) &&
            c.start < e.end + (e.start === e.end ? 1 : 0),
        ),
      );
      if (clash) continue;
      chosen.push(...edits);
      count++;
    }
    if (!chosen.length) break;
    const next = new Map(texts);
    for (const file of new Set(chosen.map((e) => e.file)))
      next.set(
        file,
        applyEdits(
          texts.get(file)!,
          chosen.filter((e) => e.file === file),
        ),
      );
    const broken = [...next].find(([, t]) => new ShellFile('check', t).errors.length > 0);
    if (broken && !new ShellFile('orig', texts.get(broken[0])!).errors.length)
      throw new RcError(`internal error: a fix introduced a syntax error in ${broken[0]}; reverted`, EXIT.INTERNAL);
    for (const [k, v] of next) texts.set(k, v);
    fixed += count;
    findings = lintFile(current(), opts);
  }
  if (passes >= 10 && findings.some((f) => f.fix && (f.fix.safety === 'safe' || opts.unsafe)))
    throw new RcError(`internal error: fixes for ${input.initdPath} did not converge in 10 passes`, EXIT.INTERNAL);
  return { texts, findings, fixed, passes };
}
