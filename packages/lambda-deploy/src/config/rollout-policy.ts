import type { DeployError } from '../errors';
import { FieldReader } from './field-reader';

export const ROLLOUT_STRATEGIES = ['all-at-once', 'canary', 'linear'] as const;
export type RolloutStrategy = (typeof ROLLOUT_STRATEGIES)[number];

/**
 * An environment's `rollout` option: how the functions with an alias that a run changed move onto
 * their new versions, together. `all-at-once` is the plain deploy (alias moved right after publish).
 */
export interface RolloutPolicy {
  strategy: RolloutStrategy;
  /** Traffic share of the new versions at the first step (canary) or added per step (linear). */
  percent: number;
  /** How long each weighted step bakes while the alarms are watched. */
  intervalSeconds: number;
  /** CloudWatch alarm names; `{prefix}`, `{env}` and `{function}` are filled per function. */
  alarms: string[];
  /** Shell command run after each step's bake; a non-zero exit counts as an alarm. */
  check?: string;
}

const KEYS = ['strategy', 'percent', 'intervalSeconds', 'alarms', 'check'] as const;
const PLACEHOLDER = /\{(\w+)\}/g;
const ALARM_PLACEHOLDERS = ['prefix', 'env', 'function'];

/** Reads `rollout` of one environment; errors go to `errors` (named by file and key), nothing is thrown. */
export function readRolloutPolicy(value: unknown, where: string, errors: DeployError[]): RolloutPolicy | undefined {
  if (value === undefined) return undefined;
  const r = new FieldReader(value, where, KEYS);
  const strategyText = r.string('strategy');
  if (strategyText !== undefined && !(ROLLOUT_STRATEGIES as readonly string[]).includes(strategyText)) {
    r.fail('strategy', `"${strategyText}" is not a strategy`, `use one of: ${ROLLOUT_STRATEGIES.join(', ')}`);
  }
  const strategy = (strategyText ?? 'all-at-once') as RolloutStrategy;
  const percent = r.integer('percent', 1, 99, 'percent');
  const intervalSeconds = r.integer('intervalSeconds', 1, 3600, 'seconds');
  const alarms = r.stringArray('alarms') ?? [];
  for (const alarm of alarms) {
    const unknown = [...alarm.matchAll(PLACEHOLDER)].map((m) => m[1]).filter((name) => !ALARM_PLACEHOLDERS.includes(name));
    if (unknown.length > 0) r.fail('alarms', `"${alarm}" uses {${unknown.join('}, {')}}`, `only ${ALARM_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')} are filled in alarm names`);
  }
  const check = r.string('check');
  if (strategy !== 'all-at-once') {
    if (percent === undefined && !r.has('percent')) r.fail('percent', `is required for strategy "${strategy}"`, `add "percent": 10 (the share of traffic the new versions get ${strategy === 'canary' ? 'first' : 'per step'})`);
    if (intervalSeconds === undefined && !r.has('intervalSeconds')) r.fail('intervalSeconds', `is required for strategy "${strategy}"`, 'add "intervalSeconds": 300 (how long each step bakes while the alarms are watched)');
  }
  errors.push(...r.errors);
  if (r.errors.length > 0) return undefined;
  return { strategy, percent: percent ?? 100, intervalSeconds: intervalSeconds ?? 0, alarms, check };
}

/** True when the policy moves aliases in steps (and so holds them back while a run deploys). */
export function isProgressive(policy: RolloutPolicy | undefined): policy is RolloutPolicy {
  return policy !== undefined && policy.strategy !== 'all-at-once';
}
