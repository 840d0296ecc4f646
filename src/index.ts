/** rc-supervise as a library: the same engine the CLI uses. */
export { initParser } from './parse/parser.js';
export { ShellFile } from './parse/shellfile.js';
export { Service } from './model/service.js';
export { applyEdits, type Edit } from './edit/edits.js';
export { unifiedDiff } from './edit/diff.js';
export { planMigration, type Plan, type PlanOptions } from './migrate/plan.js';
export { loadService, migrateLoaded, migrateService, type ServiceResult, type FileChange } from './migrate/migrate.js';
export { RULES, findRule } from './rules/registry.js';
export type { ServiceRule, FlagSpec } from './rules/types.js';
export { EXIT, RcError } from './errors.js';
export { main } from './cli/main.js';
