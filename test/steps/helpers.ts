/**
 * Small builders for the step tests: a Service from inline init.d/conf.d text, a StepContext
 * around it, a ServiceRule with only the fields a test cares about. Each step is then run
 * directly on a fresh Draft (src/steps/index.ts), not through planMigration.
 */
import { applyEdits, type Edit } from '../../src/edit/edits.js';
import type { UnitFacts } from '../../src/knowledge/units.js';
import { Service } from '../../src/model/service.js';
import { ShellFile } from '../../src/parse/shellfile.js';
import type { ServiceRule } from '../../src/rules/types.js';
import { emptyDraft, type Draft, type PlanOptions, type StepContext } from '../../src/steps/index.js';

export const INITD = 'etc/init.d/foo';
export const CONFD = 'etc/conf.d/foo';

/** Lines joined by '\n', with the final newline a file has. */
export const sh = (...lines: string[]): string => lines.join('\n') + '\n';

export function service(initd: string, confd: string | null = null, name = 'foo'): Service {
  return new Service(
    name,
    new ShellFile(`etc/init.d/${name}`, initd),
    confd === null ? null : new ShellFile(`etc/conf.d/${name}`, confd),
  );
}

export function rule(r: Partial<ServiceRule> & { id?: string } = {}): ServiceRule {
  return { id: 'foo', services: ['foo'], daemons: ['foo'], summary: 'test rule', route: 'conf.d', sources: [], ...r };
}

export function ctx(
  s: Service,
  more: {
    rule?: ServiceRule;
    units?: UnitFacts[];
    options?: PlanOptions;
    initdIsLink?: string;
    findProgram?: (name: string) => string | undefined;
  } = {},
): StepContext {
  return {
    service: s,
    rule: more.rule,
    units: more.units ?? [],
    findProgram: more.findProgram,
    initdPath: `etc/init.d/${s.name}`,
    confdPath: `etc/conf.d/${s.name}`,
    initdIsLink: more.initdIsLink,
    options: more.options ?? {},
  };
}

export function draft(over: Partial<Draft> = {}): Draft {
  return { ...emptyDraft(), ...over };
}

/** init.d as it reads after the given edits (all of them must be for init.d). */
export function applied(s: Service, edits: readonly Edit[]): string {
  for (const e of edits) expect(e.file).toBe(`etc/init.d/${s.name}`);
  return applyEdits(s.initd.text, edits);
}
