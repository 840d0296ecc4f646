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
  return {
    id: e.id,
    origin: 'knowledge',
    services: e.services ?? [],
    daemons: e.binaries,
    summary: summary(e),
    route: 'init.d',
    foreground: e.foreground,
    backgroundFlags: [
      ...(e.daemonizeFlags ?? []).map((f) => flag(f, 'daemonize')),
      ...(e.pidfileFlags ?? []).map((f) => flag(f, 'pidfile')),
    ],
    ownPidfile: e.ownPidfile,
    signals: e.signals,
    refuse: e.refuse,
    notes: e.notes,
    sources: Object.entries(e.sources).flatMap(([fact, list]) => (list ?? []).map((s) => `${fact}: ${s}`)),
  };
}

/** Every knowledge-base entry (knowledge/daemons/*.json) as a rule. */
export const KNOWLEDGE_RULES: readonly ServiceRule[] = DAEMONS.map(entryToRule);
