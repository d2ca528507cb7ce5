import type { HeldVersion } from '../apply/hold-version';
import { isProgressive } from '../config/rollout-policy';
import type { DeployContext } from '../deploy/deploy-context';
import type { StepEvent } from '../report/events';
import { isWrite, type ProjectPlan } from '../plan/types';
import { alarmCheck } from './alarm-gate';
import { describeRolloutPlan, planRollout, type RolloutMember } from './plan-rollout';
import { RolloutStore } from './rollout-store';
import { shellCheckRunner } from './run-check';
import { resumeRollout, startRollout, type RolloutDeps, type RolloutResult } from './run-rollout';

/** What the tasks of a run left for its rollout: their events (held publishes) and plans (for a dry-run). */
export interface RunRolloutInput {
  runId: string;
  events: StepEvent[];
  plans: ProjectPlan[];
  /** A task of the run failed: its held versions are not rolled out (the aliases stay put). */
  runFailed: boolean;
}

export type RolloutTiming = Partial<Pick<RolloutDeps, 'sleep' | 'now' | 'runCheck'>>;

/** The versions held by the run's tasks, one per function (the newest, should a function appear twice). */
export function heldMembers(events: StepEvent[]): RolloutMember[] {
  const members = new Map<string, RolloutMember>();
  for (const event of events) {
    const held = event.details?.held as HeldVersion | undefined;
    if (event.step === 'publish-version' && held) members.set(event.project, { project: event.project, ...held });
  }
  return [...members.values()];
}

/**
 * The end of a deploy run in an environment with a stepped rollout policy, run once per run (by its
 * last task): first finish any rollout an earlier run left unfinished, then roll this run's held
 * versions out as one unit. A dry-run prints the plan and writes nothing.
 */
export async function finishRunRollouts(ctx: DeployContext, input: RunRolloutInput, timing: RolloutTiming = {}): Promise<RolloutResult[]> {
  const policy = ctx.env.rollout;
  if (!isProgressive(policy) || !ctx.env.artifactBucket) return [];
  const store = new RolloutStore(ctx.session.store, ctx.env.artifactBucket);
  const deps: RolloutDeps = {
    aliases: ctx.session.aliases,
    alarms: ctx.session.alarms,
    store,
    log: ctx.log,
    runCheck: timing.runCheck ?? shellCheckRunner(ctx.workspace.root, ctx.env.name),
    sleep: timing.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    now: timing.now ?? Date.now,
    concurrency: ctx.concurrency,
  };
  const say = (outcome: StepEvent['outcome'], message: string) => ctx.log.emit({ project: 'rollout', step: 'rollout', outcome, message });

  warnAliasless(ctx, input.plans);
  if (ctx.dryRun) return dryRunPlan(ctx, input, store, say);

  const results: RolloutResult[] = [];
  for (const runId of await store.unfinished()) {
    const progress = await store.progress(runId);
    if (!progress) continue;
    const doing = progress.last.phase === 'rolling-back' ? 'completing its rollback' : `repeating step ${progress.last.phase === 'step' ? progress.last.step + 1 : 1} and going on`;
    say('warning', `rollout ${runId} was interrupted (${progress.last.phase}): ${doing}`);
    results.push(await resumeRollout(progress, deps));
  }

  let members = heldMembers(input.events);
  if (members.length === 0) return results;
  if (input.runFailed) {
    say('warning', `not rolled out, the run failed: ${members.map((m) => m.project).join(', ')} keep their alias on the old version; rerun once fixed`);
    return results;
  }
  // A resumed rollout may have moved these aliases meanwhile: start from where they are now.
  if (results.length > 0) members = await currentMembers(ctx, members);
  if (members.length === 0) return results;

  const plan = planRollout(policy, ctx.env, input.runId, members);
  for (const line of describeRolloutPlan(plan)) say('info', line);
  const { firing, missing } = await alarmCheck(ctx.session.alarms, plan.alarms);
  const unknownOrFiring = [...missing.map((name) => `${name} (no such alarm)`), ...(ctx.acceptAlarms ? [] : firing)];
  if (unknownOrFiring.length > 0) {
    const reason = `not started: alarm ${unknownOrFiring.join(', ')}${firing.length > 0 && !ctx.acceptAlarms ? ' in ALARM' : ''}; aliases left on their old versions`;
    say('failed', reason);
    return [...results, { runId: plan.runId, outcome: 'rolled-back', reason, step: 0, members }];
  }
  results.push(await startRollout(plan, { ...deps, ignoreAlarms: ctx.acceptAlarms ? firing : [] }));
  return results;
}

/** Changed functions without an alias take today's path (updated in place, at once): say so, once each. */
function warnAliasless(ctx: DeployContext, plans: ProjectPlan[]): void {
  const updated = plans.filter((plan) => plan.kind === 'function' && plan.actions.some((a) => isWrite(a) && a.kind !== 'tag-function' && a.kind !== 'put-concurrency') && !plan.actions.some((a) => a.kind === 'publish-version'));
  for (const project of new Set(updated.map((plan) => plan.project))) {
    ctx.log.emit({ project, step: 'rollout', outcome: 'warning', message: `no alias: ${ctx.dryRun ? 'would be' : 'was'} updated in place at once, outside the ${ctx.env.rollout!.strategy} rollout (declare "alias" in function.json to include it)` });
  }
}

async function currentMembers(ctx: DeployContext, members: RolloutMember[]): Promise<RolloutMember[]> {
  const now = await Promise.all(members.map(async (member) => ({ member, route: await ctx.session.aliases.read(member.functionName, member.alias) })));
  return now.filter(({ member, route }) => route && route.version !== member.to).map(({ member, route }) => ({ ...member, from: route!.version }));
}

async function dryRunPlan(ctx: DeployContext, input: RunRolloutInput, store: RolloutStore, say: (outcome: StepEvent['outcome'], message: string) => void): Promise<RolloutResult[]> {
  for (const runId of await store.unfinished()) say('warning', `rollout ${runId} is unfinished: a real run would finish it first`);
  const planned = input.plans.flatMap((plan) => plan.actions.flatMap((a) => (a.kind === 'publish-version' && a.aliasExists ? [{ project: plan.project, functionName: a.functionName, alias: a.alias }] : [])));
  if (planned.length === 0) return [];
  const members = await Promise.all(planned.map(async (m) => ({ ...m, from: (await ctx.session.aliases.read(m.functionName, m.alias))?.version ?? '?', to: 'new' })));
  const plan = planRollout(ctx.env.rollout!, ctx.env, input.runId, members);
  for (const line of describeRolloutPlan(plan)) say('planned', `would roll out: ${line}`);
  const { firing, missing } = await alarmCheck(ctx.session.alarms, plan.alarms);
  if (missing.length > 0) say('warning', `no such alarm: ${missing.join(', ')}: the real run stops before any write`);
  if (firing.length > 0) say('warning', `in ALARM now: ${firing.join(', ')}: the real run stops before any write unless --accept-alarms`);
  return [];
}
