/**
 * The recipe as steps. `migrate` applies their edits (src/migrate/plan.ts composes them);
 * `lint` reports what the same steps find. Each step reads the Service model, the rule and
 * what earlier steps wrote into the Draft, and either adds to the Draft or refuses with the
 * reason and what the user can pass.
 *
 * Adding a case: change the one step it belongs to (and its tests in test/steps/), or add a
 * knowledge entry (knowledge/daemons/<id>.json). Adding a step: a file here exporting
 * `(ctx, draft) => Refusal | void`, listed below in the order it must run.
 */
import { customStartStep } from './custom-start.js';
import { flagsStep } from './flags.js';
import { foregroundStep } from './foreground.js';
import { pidfileStep } from './pidfile.js';
import { policyStep } from './policy.js';
import { readinessStep } from './readiness.js';
import { retryStep } from './retry.js';
import { signalsStep } from './signals.js';
import { ssdArgsStep } from './ssd-args.js';
import type { Draft, Step } from './types.js';

/** In order: each may read what the ones before it decided. */
export const STEPS: readonly { id: string; run: Step }[] = [
  { id: 'custom-start', run: customStartStep },
  { id: 'flags', run: flagsStep },
  { id: 'foreground', run: foregroundStep },
  { id: 'readiness', run: readinessStep },
  { id: 'signals', run: signalsStep },
  { id: 'ssd-args', run: ssdArgsStep },
  { id: 'pidfile', run: pidfileStep },
  { id: 'retry', run: retryStep },
  { id: 'policy', run: policyStep },
];

export function emptyDraft(): Draft {
  return {
    converted: null,
    convertedTake: new Set(),
    movedText: '',
    moveEdits: [],
    signalEdits: [],
    pidWriteGuards: [],
    lines: [],
    lateLines: [],
    extraEdits: [],
    initdReasons: [],
    notes: [],
    warnings: [],
    evidence: [],
  };
}

export * from './types.js';
