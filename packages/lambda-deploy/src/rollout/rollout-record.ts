import type { RolloutPlan } from './plan-rollout';

export const FINAL_PHASES = ['promoted', 'rolled-back'] as const;

/**
 * One transition of a rollout, appended as its own object under `rollouts/<run>/` in the
 * environment's bucket (never overwritten): `started` holds the plan; `step` is written before a
 * step's weights are set; `rolling-back` before the aliases go back; the last is `promoted` or
 * `rolled-back`. The newest key says where a killed rollout stopped.
 */
export type RolloutRecord =
  | { phase: 'started'; at: string; plan: RolloutPlan }
  | { phase: 'step'; at: string; step: number; percent: number }
  | { phase: 'rolling-back'; at: string; step: number; reason: string }
  | { phase: 'rolled-back'; at: string; step: number; reason: string }
  | { phase: 'promoted'; at: string };

export type RolloutPhase = RolloutRecord['phase'];

export const ROLLOUTS_PREFIX = 'rollouts/';

export function rolloutRecordKey(runId: string, seq: number, phase: RolloutPhase): string {
  return `${ROLLOUTS_PREFIX}${safeRunId(runId)}/${String(seq).padStart(4, '0')}-${phase}.json`;
}

/** Run ids come from the process; keys keep only characters S3 and shells take as they are. */
export function safeRunId(runId: string): string {
  return runId.replace(/[^\w.-]/g, '_');
}

/** `rollouts/<run>/<seq>-<phase>.json` back into its parts; undefined for any other key. */
export function parseRolloutKey(key: string): { runId: string; seq: number; phase: RolloutPhase } | undefined {
  const match = /^rollouts\/([\w.-]+)\/(\d{4})-([a-z-]+)\.json$/.exec(key);
  return match ? { runId: match[1], seq: Number(match[2]), phase: match[3] as RolloutPhase } : undefined;
}

export function isFinal(phase: RolloutPhase): boolean {
  return (FINAL_PHASES as readonly string[]).includes(phase);
}
