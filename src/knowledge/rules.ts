import type { FlagSpec, ServiceRule } from '../rules/types.js';
import { DAEMONS } from './daemons.generated.js';
import type { DaemonEntry, KnowledgeFlag } from './types.js';

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
  return e.foreground === '' ? 'stays in the foreground by itself' : `command_args_foreground="${e.foreground}"`;
}

/** A knowledge-base entry in the shape the recipe steps read, with every source kept. */
export function entryToRule(e: DaemonEntry): ServiceRule {
  // Words that exist only from some version on: the installed version is unknown, so the
  // entry cannot be evidence; the refusal names the words for users of that version or newer.
  const versioned = e.foregroundSince !== undefined && !!e.foreground;
  const refuse = versioned
    ? {
        reason: `${e.binaries[0]} stays in the foreground with ${e.foreground} only from version ${e.foregroundSince}, and the installed version is not known`,
        suggestion: `if ${e.binaries[0]} is ${e.foregroundSince} or newer, pass --foreground-args="${e.foreground}"`,
      }
    : e.refuse;
  return {
    id: e.id,
    origin: 'knowledge',
    services: e.services ?? [],
    daemons: e.binaries,
    summary: summary(e),
    route: 'init.d',
    foreground: versioned ? undefined : e.foreground,
    backgroundFlags: [
      ...(e.daemonizeFlags ?? []).map((f) => flag(f, 'daemonize')),
      ...(e.pidfileFlags ?? []).map((f) => flag(f, 'pidfile')),
    ],
    ownPidfile: e.ownPidfile,
    signals: e.signals,
    refuse,
    notes: e.notes,
    sources: Object.entries(e.sources).flatMap(([fact, list]) => (list ?? []).map((s) => `${fact}: ${s}`)),
  };
}

/** Every knowledge-base entry (knowledge/daemons/*.json) as a rule. */
export const KNOWLEDGE_RULES: readonly ServiceRule[] = DAEMONS.map(entryToRule);
