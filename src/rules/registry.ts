import { RULES } from '../../rules/index.js';
import { knowledgeRuleFor, knowledgeRules } from '../knowledge/rules.js';
import type { ServiceRule } from './types.js';

export { RULES, knowledgeRules };

/** Curated rules (rules/*.ts) first, then the knowledge base (knowledge/daemons/*.json). */
export function allRules(): readonly ServiceRule[] {
  return [...RULES, ...knowledgeRules()];
}

/**
 * The rule for a service: a curated rule by the service's name, then by the daemon binary it
 * runs; then a knowledge-base entry by the daemon binary only (a service name alone says
 * nothing certain about which program a third-party script runs).
 */
export function findRule(service: string, daemon?: string): ServiceRule | undefined {
  return (
    RULES.find((r) => r.services.includes(service)) ??
    (daemon ? RULES.find((r) => r.daemons.includes(daemon)) : undefined) ??
    (daemon ? knowledgeRuleFor(daemon) : undefined)
  );
}
