import type { FlagSpec, ServiceRule } from '../rules/types.js';
import { daemons } from './daemons.generated.js';
import type { DaemonEntry, KnowledgeFlag } from './types.js';
import { compareVersions, type InstalledPackage } from './installed.js';

function flag(f: KnowledgeFlag, why: FlagSpec['why']): FlagSpec {
  return {
    flag: f.flag,
    value: f.value,
    valueMatch: f.valueMatch ? new RegExp(f.valueMatch, f.ignoreCase ? 'i' : '') : undefined,
    ignoreCase: f.ignoreCase,
    why,
  };
}

function summary(e: DaemonEntry): string {
  if (e.refuse) return `refused: ${e.refuse.reason}`;
  if (e.foreground === undefined) return 'knows its flags, not how it stays in the foreground';
  const fg = e.foreground === '' ? 'stays in the foreground by itself' : `command_args_foreground="${e.foreground}"`;
  // snort's --create-pidfile: added where the script had the daemon write its pid file.
  const words = e.foregroundPidfile ? `${fg} (and ${e.foregroundPidfile} where it wrote its pid file)` : fg;
  // An old version gate: the words apply while the version is unknown (ASSUMED_NEWER_THAN).
  if (e.foregroundSince !== undefined && assumedNewer(e))
    return `${words} from version ${e.foregroundSince} (a version not known is taken to be newer)`;
  // Words that changed between versions (mrouted): both, each with its range.
  const earlier = e.foregroundEarlier;
  return earlier && e.foregroundSince !== undefined
    ? `${words} from version ${e.foregroundSince}; ${earlier.foreground === '' ? 'stays in the foreground by itself' : `command_args_foreground="${earlier.foreground}"`} from ${earlier.since} to before ${e.foregroundSince}`
    : words;
}

/** How a daemon stays in the foreground, for a sentence: `with -f`, or `by itself`. */
const how = (words: string): string => (words ? `with ${words}` : 'by itself');

/**
 * The version gate for a sentence: `with -f only from version 3.0`, or, where the words changed
 * between versions (foregroundEarlier: mrouted), `with -n from version 4.0 and with -f from
 * 3.9.1 to before 4.0`.
 */
function gateWords(words: string, since: string, earlier: { words: string; since: string } | undefined): string {
  return earlier
    ? `${how(words)} from version ${since} and ${how(earlier.words)} from ${earlier.since} to before ${since}`
    : `${how(words)} only from version ${since}`;
}

/**
 * What a version gate says, for a refusal: the words from that version (gateWords), or, where an
 * older version lacks no word but cannot run under the supervisor (foregroundSinceWhy), that.
 */
const gateSays = (
  bin: string,
  words: string,
  since: string,
  earlier: { words: string; since: string } | undefined,
  why: string | undefined,
): string =>
  why
    ? `${bin} runs under supervise-daemon only from version ${since} (${why})`
    : `${bin} stays in the foreground ${gateWords(words, since, earlier)}`;

/**
 * Foreground words released before this month are taken to exist where the installed version
 * is not known (an init script alone, lint, a root without a package database). This tool
 * writes for OpenRC 0.45 (2022) and newer, whose supervise-daemon such a system runs; a daemon
 * package older than 2016 beside it is unlikely, and where the version is known (an ebuild, a
 * package database) the gate still applies exactly. Words of a later release stay a refusal
 * while the version is unknown. (A review of a 2012 package tree found 20 entries whose words
 * an older version lacked, most of them added between 2009 and 2013: round 18.)
 */
export const ASSUMED_NEWER_THAN = '2016-01';

/**
 * The note of an old gate applied on an assumption: `what` says which version was assumed newer
 * (the installed version not known, or one that cannot be compared).
 */
export function gateNote(bin: string, words: string, since: string, released: string, what: string): string {
  return `${bin} stays in the foreground ${how(words)} only from version ${since} (released by ${released}); ${what}: an older ${bin} does not take these words (check its version)`;
}
export const UNKNOWN_NEWER = 'the installed version is not known and is taken to be newer';

/** The words of a version-gated entry apply while its version is unknown (see ASSUMED_NEWER_THAN). */
const assumedNewer = (e: DaemonEntry): boolean =>
  e.foregroundSinceReleased !== undefined && e.foregroundSinceReleased < ASSUMED_NEWER_THAN;

/** A knowledge-base entry in the shape the recipe steps read, with every source kept. */
export function entryToRule(e: DaemonEntry): ServiceRule {
  // Words that exist only from some version on: the installed version is unknown here, so the
  // entry cannot be evidence (ruleForInstalled decides once the version is read); the refusal
  // names the words for users of that version or newer. An old gate (ASSUMED_NEWER_THAN) is the
  // exception: its words apply, with a note.
  // iprdump: no words at all, but it stays in the foreground by itself only from 2.2.13 (before,
  // it always forked): the same gate, with nothing to name but the version.
  const versioned = e.foregroundSince !== undefined && e.foreground !== undefined;
  // An old gate: the unknown version is taken to be newer, and the migration says so.
  const assumed = versioned && assumedNewer(e);
  // Words that changed between versions (foregroundEarlier): the refusal names both.
  const earlier = e.foregroundEarlier;
  const refuse =
    versioned && !assumed
      ? {
          reason: `${gateSays(e.binaries[0], e.foreground!, e.foregroundSince!, earlier && { words: earlier.foreground, since: earlier.since }, e.foregroundSinceWhy)}, and the installed version is not known`,
          suggestion: earlier
            ? `if ${e.binaries[0]} is ${e.foregroundSince} or newer, pass --foreground-args="${e.foreground}"; if it is ${earlier.since} or newer but older than ${e.foregroundSince}, pass --foreground-args="${earlier.foreground}"`
            : `if ${e.binaries[0]} is ${e.foregroundSince} or newer, pass --foreground-args="${e.foreground}"`,
        }
      : e.refuse;
  return {
    id: e.id,
    origin: 'knowledge',
    services: e.services ?? [],
    daemons: e.binaries,
    summary: summary(e),
    route: 'init.d',
    foreground: versioned && !assumed ? undefined : e.foreground,
    ...(versioned
      ? {
          foregroundSince: e.foregroundSince,
          versionedForeground: e.foreground,
          ...(e.foregroundSinceWhy ? { foregroundSinceWhy: e.foregroundSinceWhy } : {}),
          ...(e.foregroundSinceBackports ? { foregroundBackports: e.foregroundSinceBackports } : {}),
          ...(earlier
            ? {
                earlierForeground: {
                  words: earlier.foreground,
                  since: earlier.since,
                  foregroundLogs: earlier.foregroundLogs,
                  logKeptBy: earlier.logKeptBy?.map((f) => flag(f, 'log')),
                },
              }
            : {}),
        }
      : {}),
    ...(assumed
      ? {
          versionNote: gateNote(
            e.binaries[0],
            e.foreground!,
            e.foregroundSince!,
            e.foregroundSinceReleased!,
            UNKNOWN_NEWER,
          ),
          foregroundSinceReleased: e.foregroundSinceReleased,
        }
      : {}),
    backgroundFlags: [
      ...(e.daemonizeFlags ?? []).map((f) => flag(f, 'daemonize')),
      // snort's --create-pidfile (foregroundPidfile): with those words the daemon writes its pid
      // file in the foreground too, where its pid file options say, so they stay in command_args.
      ...(e.foregroundPidfile ? [] : (e.pidfileFlags ?? [])).map((f) => flag(f, 'pidfile')),
    ],
    foregroundPidfile: e.foregroundPidfile,
    keptPidfileFlags: (e.foregroundPidfile
      ? [...(e.keptPidfileFlags ?? []), ...(e.pidfileFlags ?? [])]
      : e.keptPidfileFlags
    )?.map((f) => flag(f, 'pidfile')),
    foregroundAliases: e.foregroundAliases,
    ownPidfile: e.ownPidfile,
    packages: e.packages,
    ...(e.packages && e.otherImplementation
      ? { packageUnknown: 'apply' as const, otherImplementation: new RegExp(e.otherImplementation, 'i') }
      : {}),
    noOwnPidfile: e.noOwnPidfile,
    foregroundLogs: e.foregroundLogs,
    logKeptBy: e.logKeptBy?.map((f) => flag(f, 'log')),
    foregroundSkips: e.foregroundSkips,
    daemonOnlyFlags: e.daemonOnlyFlags?.map((f) => flag(f, 'daemon-only')),
    readyOnFork: e.readyOnFork,
    forksAtOnce: e.forksAtOnce,
    termDeferred: e.termDeferred,
    configForks: e.configForks,
    foregroundOverrides: e.foregroundOverrides,
    foregroundNeedsFlag: e.foregroundNeedsFlag,
    pidfileLock: e.pidfileLock,
    stopsAtOperand: e.stopsAtOperand,
    takeoverWords: e.takeoverWords,
    ignoredWhenSupervised: e.ignoredWhenSupervised,
    stopWords: e.stopWords,
    stopCommands: e.stopCommands,
    stopPreludes: e.stopPreludes,
    foregroundLogsNoFile: e.foregroundLogsNoFile,
    signals: e.signals,
    refuse,
    notes: e.notes,
    sources: Object.entries(e.sources).flatMap(([fact, list]) => (list ?? []).map((s) => `${fact}: ${s}`)),
  };
}

/** Entries made into rules so far, by index: each is made once, when first asked for. */
const made = new Map<number, ServiceRule>();
const ruleAt = (i: number): ServiceRule => {
  let r = made.get(i);
  if (!r) made.set(i, (r = entryToRule(daemons()[i])));
  return r;
};

/** Every knowledge-base entry (knowledge/daemons/*.json) as a rule. */
export function knowledgeRules(): readonly ServiceRule[] {
  return daemons().map((_, i) => ruleAt(i));
}

/** For each daemon binary, the index of the first entry that names it. */
let byBinary: Map<string, number> | undefined;

/**
 * The first knowledge-base rule for a daemon binary (knowledgeRules().find(...daemons
 * includes it)), without making the others into rules: a lint run asks about a few binaries.
 */
export function knowledgeRuleFor(daemon: string): ServiceRule | undefined {
  if (!byBinary) {
    byBinary = new Map();
    for (const [i, e] of daemons().entries()) for (const b of e.binaries) if (!byBinary.has(b)) byBinary.set(b, i);
  }
  const i = byBinary.get(daemon);
  return i === undefined ? undefined : ruleAt(i);
}

/**
 * Every knowledge-base rule for a daemon binary, in the order of the whole list. Several only
 * where different daemons share the name (atftp's and tftp-hpa's in.tftpd): each such entry is
 * kept to its packages (test/knowledge.test.ts), and ruleAmong picks one.
 */
export function knowledgeRulesFor(daemon: string): ServiceRule[] {
  const out: ServiceRule[] = [];
  for (const [i, e] of daemons().entries()) if (e.binaries.includes(daemon)) out.push(ruleAt(i));
  return out;
}

const ofPackage = (names: readonly string[], pkg: InstalledPackage): boolean => {
  const pn = pkg.name.slice(pkg.name.lastIndexOf('/') + 1);
  return names.some((n) => n === pkg.name || n === pn);
};

/**
 * Of the rules for one binary that several daemons share (knowledgeRulesFor), the one for the
 * package that installed the init script, as it is (ruleForInstalled and ruleForPackage then
 * apply to it as to any rule). Without a package, or with one none of them is for, a refusal
 * that names them all: which daemon the script runs is not known, and each takes other words.
 */
export function ruleAmong(
  rules: readonly ServiceRule[],
  pkg: InstalledPackage | undefined,
  launched?: string,
  /** The init script, to see whether it names another daemon of the name (otherImplementation). */
  scriptText?: string,
): ServiceRule {
  const hit = pkg && rules.find((r) => ofPackage(r.packages ?? [], pkg));
  if (hit) return hit;
  // No package known. A rule that applies then (packageUnknown: kept off only by a script that
  // names its other implementation) still answers when it is the only such one the script does
  // not keep off: MIT's kadmind beside Heimdal's, whose entry never applies unknown. And a script
  // that names the other implementation of such a rule (heimdal-kadmind names Heimdal) is taken
  // for the one other namesake, as if its package were known to be that one's.
  if (!pkg && scriptText !== undefined) {
    const named = (r: ServiceRule) => !!r.otherImplementation?.test(scriptText);
    const open = rules.filter((r) => r.packageUnknown === 'apply' && !named(r));
    if (open.length === 1) return open[0];
    const others = rules.filter((r) => !named(r));
    if (open.length === 0 && others.length === 1 && others.length < rules.length)
      return { ...others[0], packageUnknown: 'apply' };
  }
  const first = rules[0];
  const base = launched?.slice(launched.lastIndexOf('/') + 1);
  const bin = base && first.daemons.includes(base) ? base : (first.daemons[0] ?? first.id);
  const each = rules.map((r) => `${r.id} for ${(r.packages ?? []).join(', ')}`).join('; ');
  return {
    ...first,
    // Decided here: nothing after this may turn the refusal back into one rule's words.
    packages: undefined,
    foregroundSince: undefined,
    versionedForeground: undefined,
    earlierForeground: undefined,
    versionNote: undefined,
    foreground: undefined,
    refuse: {
      reason: pkg
        ? `several daemons are named ${bin} (rules ${each}), and ${pkg.where} says ${pkg.name} installed the init script`
        : `several daemons are named ${bin} (rules ${each}), and which package installed the init script is not known`,
      suggestion: `pass the no-fork words of the ${bin} you run with --foreground-args`,
    },
  };
}

/**
 * A rule kept to its packages (ServiceRule.packages): the rule as it is, or a refusal saying
 * which daemon of the same name the package database (or the script) points to.
 */
export function ruleForPackage(
  rule: ServiceRule,
  pkg: InstalledPackage | undefined,
  scriptText: string,
  /** The binary the script launches (bgpd under the zebra entry), for the message. */
  launched?: string,
): ServiceRule {
  const names = rule.packages;
  if (!names?.length) return rule;
  const base = launched?.slice(launched.lastIndexOf('/') + 1);
  const bin = base && rule.daemons.includes(base) ? base : (rule.daemons[0] ?? rule.id);
  const refuse = (reason: string, other = false, suggestion?: string): ServiceRule => ({
    ...rule,
    // Known to be another program of that name: the words the rule knows (daemonize flags,
    // kept pid file flags) say nothing about it (lint's command-args-pidfile reads them).
    ...(other ? { backgroundFlags: [], keptPidfileFlags: undefined } : {}),
    refuse: {
      reason,
      suggestion: suggestion ?? `if the daemon is ${names.join(' or ')}, pass its no-fork words with --foreground-args`,
    },
  });
  if (pkg) {
    if (ofPackage(names, pkg)) return rule;
    // The package database says which daemon it is: not one the rule is for (Cistron's radiusd
    // under the FreeRADIUS rule), so the hint speaks of that one.
    return refuse(
      `the rule ${rule.id} is for ${names.join(', ')}, but ${pkg.where} says ${pkg.name} installed the init script: another daemon named ${bin}`,
      true,
      `rc-supervise knows no no-fork words for the ${bin} of ${pkg.name}: if its manual names an option that keeps it in the foreground, pass it with --foreground-args (and check where it writes its pid file)`,
    );
  }
  const other = rule.otherImplementation?.exec(scriptText);
  if (other)
    return refuse(
      `the rule ${rule.id} is for ${names.join(', ')}, but the script names another ${bin} (${other[0]})`,
      true,
    );
  if (rule.packageUnknown === 'apply') return rule;
  return refuse(
    `several daemons are named ${bin}; the rule ${rule.id} is for ${names.join(', ')}, and which package installed the init script is not known`,
  );
}

/**
 * compareVersions for a gate: the numbers decide; with the same numbers, a pre-release of the
 * gate's version (3.1.12_rc1, 1.0_beta2, 2.6.0-rc1) is no version to compare (its options may not
 * be final), and a letter suffix counts after none (1.3a after 1.3, 2.1a15 before 2.1b).
 */
export function compareGate(version: string, since: string): number | undefined {
  const cmp = compareVersions(version, since);
  if (cmp !== 0) return cmp;
  const rest = (v: string) => v.replace(/^\d+(?:\.\d+)*/, '').replace(/-r\d+$/, '');
  const [a, b] = [rest(version), rest(since)];
  if (a === b) return 0;
  // 1.4a against 1.4.0: Gentoo compares the numbers first (1.4.0 has one more), then suffixes;
  // equal only after padding, with a suffix on one side: no answer given here.
  const count = (v: string) => (/^\d+(?:\.\d+)*/.exec(v)?.[0] ?? '').split('.').length;
  if (count(version) !== count(since)) return undefined;
  if (/^[-_.]?(alpha|beta|pre|rc)/i.test(a)) return undefined;
  // Gentoo's _p (a patch level of that release) comes after the release itself.
  if (/^_p\d*$/.test(a) && b === '') return 1;
  const letter = (x: string) => /^([a-z])(\d*)$/i.exec(x);
  const [la, lb] = [letter(a), letter(b)];
  if (a === '' && lb) return -1;
  if (la && b === '') return 1;
  if (la && lb) return la[1] !== lb[1] ? (la[1] < lb[1] ? -1 : 1) : Math.sign(Number(la[2] || 0) - Number(lb[2] || 0));
  return undefined;
}

/** A pre-release of the gate's own version (3.1.12_rc1 against 3.1.12): older than it, by definition. */
function preRelease(version: string, since: string): boolean {
  return (
    compareVersions(version, since) === 0 && /^[\d.]*[-_.]?(alpha|beta|pre|rc)/i.test(version.replace(/-r\d+$/, ''))
  );
}

/** A live branch version (3.0.9999) whose line is older than the gate's version (3.1.12). */
function olderLine(live: string, since: string): boolean {
  const branch = live.replace(/(^|\.)9999.*$/, '');
  return branch !== '' && compareVersions(branch, since) === -1 && !since.startsWith(`${branch}.`);
}

/** Two versions of one release line: the same first two numbers (0.8.14 and 0.8.15, not 0.9.0). */
function sameLine(a: string, b: string): boolean {
  const line = (v: string) => /^\d+\.\d+/.exec(v)?.[0];
  return line(a) !== undefined && line(a) === line(b);
}

/**
 * A rule whose foreground words depend on the version, decided by the package that installed
 * the init script (the daemon comes with it): at or above the version (or a backport's) the
 * words are evidence and the source says where the version was read; below it the rule refuses
 * with what was found. Without a package the rule is returned as it is: it refuses (the
 * installed version is not known), or, for an old gate (versionNote), it applies its words with
 * the note. A live or a pre-release version is no version to compare: refused, or for an old
 * gate taken as unknown, unless its release line is older than the gate's (at-3.0.9999).
 */
export function ruleForInstalled(rule: ServiceRule, pkg: InstalledPackage | undefined): ServiceRule {
  if (!rule.foregroundSince || rule.versionedForeground === undefined || !pkg) return rule;
  const bin = rule.daemons[0];
  const words = rule.versionedForeground;
  const since = rule.foregroundSince;
  // A live ebuild (9999, 2.1.9999) is built from the project's repository at whatever commit
  // was current then: it says nothing about when (munin-2.1.9999 before or after --foreground).
  const live = /(^|\.)9999(\D|$)/.test(pkg.version);
  const cmp = live ? undefined : compareGate(pkg.version, since);
  const found = `${pkg.where} says ${pkg.name} ${pkg.version} installed the init script`;
  // An old gate (versionNote): a version that cannot be compared, or a live one, is as good as
  // unknown (the assumption that made the gate old holds for them as for an unknown version),
  // unless a live branch is of an older line than the gate's (at-3.0.9999 against 3.1.12).
  if (
    rule.versionNote &&
    cmp === undefined &&
    !preRelease(pkg.version, since) &&
    !(live && olderLine(pkg.version, since))
  )
    return {
      ...rule,
      versionNote: gateNote(
        bin,
        words,
        since,
        rule.foregroundSinceReleased ?? '?',
        `${found}, a version rc-supervise cannot compare; it is taken to be newer`,
      ),
    };
  // An older release line that got the words in a later point release (nslcd's --nofork: 0.9.1,
  // and 0.8.14 in the 0.8 line): a version of that line from that release on has them.
  const backport =
    cmp === -1
      ? rule.foregroundBackports?.find((b) => sameLine(pkg.version, b) && (compareGate(pkg.version, b) ?? -1) >= 0)
      : undefined;
  // Words that changed between versions (mrouted: -f from 3.9.1, -n from 4.0): a version of
  // the earlier range gets that range's words, and its own facts about the foreground log.
  const earlier = rule.earlierForeground;
  if (!backport && cmp === -1 && earlier && (compareGate(pkg.version, earlier.since) ?? -1) >= 0) {
    const shown = earlier.words ? `command_args_foreground="${earlier.words}"` : 'stays in the foreground by itself';
    return {
      ...rule,
      foreground: earlier.words,
      foregroundLogs: earlier.foregroundLogs,
      logKeptBy: earlier.logKeptBy,
      refuse: undefined,
      versionNote: undefined,
      summary: `${shown} (${pkg.name} ${pkg.version} is ${earlier.since} or newer, older than ${since})`,
      // The evidence cites the range's own sources as the foreground fact (the later words' are
      // no evidence for these).
      sources: [
        ...rule.sources
          .filter((x) => x.startsWith('foregroundEarlier: '))
          .map((x) => `foreground: ${x.slice('foregroundEarlier: '.length)}`),
        ...rule.sources.filter((x) => !x.startsWith('foreground: ') && !x.startsWith('foregroundEarlier: ')),
        `installed version: ${found}`,
      ],
    };
  }
  const gate = gateSays(bin, words, since, earlier, rule.foregroundSinceWhy);
  if (!backport && (cmp === undefined || cmp < 0))
    return {
      ...rule,
      foreground: undefined,
      versionNote: undefined,
      refuse: {
        reason: live
          ? `${gate}, and ${found}: a live version, built from the project's repository at a commit rc-supervise cannot know`
          : cmp === undefined
            ? `${gate}, and ${found}, a version rc-supervise cannot compare`
            : `${gate}, and ${found}`,
        suggestion: rule.foregroundSinceWhy
          ? `upgrade ${pkg.name} to ${since} or newer (no words make an older ${bin} run under the supervisor), or keep this service on start-stop-daemon`
          : `pass --foreground-args with the words ${pkg.name} ${pkg.version} has, or upgrade it`,
      },
    };
  const shown = words ? `command_args_foreground="${words}"` : 'stays in the foreground by itself';
  return {
    ...rule,
    foreground: words,
    refuse: undefined,
    versionNote: undefined,
    summary: backport
      ? `${shown} (${pkg.name} ${pkg.version} is ${backport} or newer in the line that has them from ${backport})`
      : `${shown} (${pkg.name} ${pkg.version} is ${since} or newer)`,
    sources: [...rule.sources, `installed version: ${found}`],
  };
}

/**
 * A curated rule kept to its packages (rules/ntpd.ts: ISC ntpd and ntpsec) answers for the
 * binary only for them: where the package that installed the init script is another one and a
 * knowledge-base entry for the same binary is kept to that package (OpenNTPD's ntpd), the entry.
 * Nothing else changes: without a package, or with one no entry is for, the curated rule decides
 * as before (ruleForPackage: applied, or refused as another daemon of the name).
 */
function curatedNamesake(
  first: ServiceRule | undefined,
  daemonName: string | undefined,
  pkg: InstalledPackage | undefined,
): ServiceRule | undefined {
  if (!first || first.origin === 'knowledge' || !first.packages?.length || !daemonName || !pkg) return undefined;
  if (ofPackage(first.packages, pkg)) return undefined;
  return knowledgeRulesFor(daemonName).find((r) => r.packages?.length && ofPackage(r.packages, pkg));
}

/**
 * The rule that answers for a service, from the one its name or daemon finds first: among
 * namesakes kept to their packages (atftp's and tftp-hpa's in.tftpd, the two lldpd) the
 * installed package's; with version-dependent words, the installed version's; a rule kept to
 * packages (ntpd, crond), only for them. What installed the script unknown (lint, a root
 * without a package database): the refusing forms, so that nothing is said with certainty of
 * a daemon that may be another program of the same name (an old version gate excepted: its
 * words, with a note that says what was assumed). migrate and lint both ask here.
 */
export function resolveRule(
  first: ServiceRule | undefined,
  daemonName: string | undefined,
  installed: (() => InstalledPackage | undefined) | undefined,
  scriptText: string,
): ServiceRule | undefined {
  const namesakes = first?.origin === 'knowledge' && first.packages && daemonName ? knowledgeRulesFor(daemonName) : [];
  const found =
    namesakes.length > 1
      ? ruleAmong(namesakes, installed?.(), daemonName, scriptText)
      : (curatedNamesake(first, daemonName, installed?.()) ?? first);
  const versioned = found?.foregroundSince ? ruleForInstalled(found, installed?.()) : found;
  return versioned?.packages ? ruleForPackage(versioned, installed?.(), scriptText, daemonName) : versioned;
}
