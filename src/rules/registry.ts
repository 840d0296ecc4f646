import { RULES } from '../../rules/index.js';
import type { ServiceRule } from './types.js';

export { RULES };

/** The rule for a service: by its name first, then by the daemon binary it runs. */
export function findRule(service: string, daemon?: string): ServiceRule | undefined {
  return (
    RULES.find((r) => r.services.includes(service)) ??
    (daemon ? RULES.find((r) => r.daemons.includes(daemon)) : undefined)
  );
}
