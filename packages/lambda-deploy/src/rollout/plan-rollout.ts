import type { RolloutPolicy, RolloutStrategy } from '../config/rollout-policy';

/** One function of a rollout unit: its alias moves from the version it served to the one this run published. */
export interface RolloutMember {
  project: string;
  functionName: string;
  alias: string;
  from: string;
  /** The version published by the run; `new` in a dry-run, where nothing is published. */
  to: string;
}

/** Shift traffic to `percent`, then watch the alarms for `bakeSeconds` (0 for the final step). */
export interface RolloutStep {
  percent: number;
  bakeSeconds: number;
}

/** Everything a rollout does, decided before its first write: kept in the bucket so a rerun can finish it. */
export interface RolloutPlan {
  runId: string;
  environment: string;
  strategy: RolloutStrategy;
  members: RolloutMember[];
  steps: RolloutStep[];
  /** Alarm names with the placeholders filled, each once. */
  alarms: string[];
  check?: string;
}

/** What an alias is set to at a step: the primary version and the extra version's share (0..1). */
export interface AliasRouting {
  version: string;
  weights: Record<string, number>;
}

/** Canary: percent, then 100. Linear: percent, 2 x percent, ... then 100. Only the last step has no bake. */
export function rolloutSteps(policy: Pick<RolloutPolicy, 'strategy' | 'percent' | 'intervalSeconds'>): RolloutStep[] {
  if (policy.strategy === 'all-at-once') return [{ percent: 100, bakeSeconds: 0 }];
  const weighted = policy.strategy === 'canary' ? [policy.percent] : Array.from({ length: Math.ceil(100 / policy.percent) - 1 }, (_, i) => (i + 1) * policy.percent);
  return [...weighted.map((percent) => ({ percent, bakeSeconds: policy.intervalSeconds })), { percent: 100, bakeSeconds: 0 }];
}

/** The alarm names the policy's templates give for these functions (`{function}` is the project name). */
export function alarmNames(templates: string[], env: { name: string; namePrefix: string }, projects: string[]): string[] {
  const names = new Set<string>();
  for (const template of templates) {
    const base = template.replaceAll('{prefix}', env.namePrefix).replaceAll('{env}', env.name);
    if (!base.includes('{function}')) names.add(base);
    else for (const project of projects) names.add(base.replaceAll('{function}', project));
  }
  return [...names];
}

/** `check` with `{prefix}` and `{env}` filled, as it is run. */
export function checkCommand(template: string | undefined, env: { name: string; namePrefix: string }): string | undefined {
  return template?.replaceAll('{prefix}', env.namePrefix).replaceAll('{env}', env.name);
}

export function planRollout(policy: RolloutPolicy, env: { name: string; namePrefix: string }, runId: string, members: RolloutMember[]): RolloutPlan {
  const sorted = [...members].sort((a, b) => a.project.localeCompare(b.project));
  return {
    runId,
    environment: env.name,
    strategy: policy.strategy,
    members: sorted,
    steps: rolloutSteps(policy),
    alarms: alarmNames(policy.alarms, env, sorted.map((m) => m.project)),
    check: checkCommand(policy.check, env),
  };
}

/** 0: all on the old version; 100: all on the new one; in between, the new one as a weighted extra version. */
export function routingAt(member: Pick<RolloutMember, 'from' | 'to'>, percent: number): AliasRouting {
  if (percent >= 100) return { version: member.to, weights: {} };
  if (percent <= 0) return { version: member.from, weights: {} };
  return { version: member.from, weights: { [member.to]: percent / 100 } };
}

/** Lower bound of the rollout's wall time: the bakes (the writes add members x steps / quota). */
export function bakeSeconds(plan: Pick<RolloutPlan, 'steps'>): number {
  return plan.steps.reduce((sum, step) => sum + step.bakeSeconds, 0);
}

/** The plan as a dry-run prints it: one line per function, per step, then the alarms and the check. */
export function describeRolloutPlan(plan: RolloutPlan): string[] {
  const steps = plan.steps.map((step) => (step.bakeSeconds > 0 ? `${step.percent}% for ${step.bakeSeconds}s` : `${step.percent}%`)).join(' -> ');
  return [
    `${plan.strategy} rollout of ${plan.members.length} function${plan.members.length === 1 ? '' : 's'} as one unit: ${steps} (at least ${bakeSeconds(plan)}s)`,
    ...plan.members.map((m) => `${m.project}: alias ${m.alias} version ${m.from} -> ${m.to === 'new' ? 'the version this run publishes' : m.to}`),
    `alarms: ${plan.alarms.join(', ') || '(none)'}`,
    ...(plan.check ? [`check after each step: ${plan.check}`] : []),
  ];
}
