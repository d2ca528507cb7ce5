import type { AlarmReader } from '../aws/alarm-reader';
import type { AliasRouter } from '../aws/alias-router';
import type { EventLog } from '../report/events';
import { mapSettled } from '../util/map-limit';
import { alarmCheck } from './alarm-gate';
import { routingAt, type RolloutMember, type RolloutPlan } from './plan-rollout';
import type { RolloutStore, RolloutProgress } from './rollout-store';
import type { CheckRunner } from './run-check';

export interface RolloutDeps {
  aliases: AliasRouter;
  alarms: AlarmReader;
  store: RolloutStore;
  log: EventLog;
  runCheck: CheckRunner;
  /** Injectable for tests; real time otherwise. */
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  /** Aliases set at once (each is one paced write). */
  concurrency: number;
  /** Alarms accepted as firing before the start (--accept-alarms): not watched. */
  ignoreAlarms?: string[];
}

export interface RolloutResult {
  runId: string;
  outcome: 'promoted' | 'rolled-back';
  /** For a rollback: the alarm or check that caused it, and the step (1-based) it happened at. */
  reason?: string;
  step?: number;
  members: RolloutMember[];
}

/** Starts a planned rollout: records its plan, then steps it. */
export async function startRollout(plan: RolloutPlan, deps: RolloutDeps): Promise<RolloutResult> {
  await deps.store.append(plan.runId, 0, { phase: 'started', at: new Date(deps.now()).toISOString(), plan });
  return driveRollout(plan, 0, 1, deps);
}

/**
 * Finishes a rollout a killed process left: one that was rolling back completes its rollback; one
 * that was stepping repeats its current step (weights set again, a full bake) and goes on from there,
 * so the alarms still decide.
 */
export async function resumeRollout(progress: RolloutProgress, deps: RolloutDeps): Promise<RolloutResult> {
  const { plan, last, nextSeq } = progress;
  if (last.phase === 'rolling-back') return rollBack(plan, last.step, last.reason, nextSeq, deps, false);
  return driveRollout(plan, last.phase === 'step' ? last.step : 0, nextSeq, deps);
}

async function driveRollout(plan: RolloutPlan, fromStep: number, firstSeq: number, deps: RolloutDeps): Promise<RolloutResult> {
  let seq = firstSeq;
  for (let index = fromStep; index < plan.steps.length; index++) {
    const step = plan.steps[index];
    await deps.store.append(plan.runId, seq++, { phase: 'step', at: new Date(deps.now()).toISOString(), step: index, percent: step.percent });
    const failed = await routeAll(plan, step.percent, index, deps);
    if (failed) return rollBack(plan, index, failed, seq, deps, true);
    if (step.percent >= 100) {
      await deps.store.append(plan.runId, seq, { phase: 'promoted', at: new Date(deps.now()).toISOString() });
      deps.log.emit({ project: 'rollout', step: 'rollout', outcome: 'done', message: `promoted: ${plan.members.length} function${plan.members.length === 1 ? '' : 's'} on their new versions, no weights left` });
      return { runId: plan.runId, outcome: 'promoted', members: plan.members };
    }
    const reason = (await bake(plan, index, deps)) ?? (await check(plan, index, deps));
    if (reason) return rollBack(plan, index, reason, seq, deps, true);
  }
  // A plan always ends at 100 %; a resume past its last step has nothing left to do but say so.
  await deps.store.append(plan.runId, seq, { phase: 'promoted', at: new Date(deps.now()).toISOString() });
  return { runId: plan.runId, outcome: 'promoted', members: plan.members };
}

/** Sets every member's alias for `percent`; the first failure's message, or undefined when all took it. */
async function routeAll(plan: RolloutPlan, percent: number, index: number, deps: RolloutDeps): Promise<string | undefined> {
  const results = await mapSettled(plan.members, deps.concurrency, async (member) => {
    const route = routingAt(member, percent);
    await deps.aliases.route(member.functionName, member.alias, route);
    deps.log.emit({ project: member.project, step: 'rollout', outcome: 'info', message: `step ${index + 1}/${plan.steps.length}: alias ${member.alias} ${describeSplit(member, percent)}`, details: { step: index + 1, percent, version: route.version, weights: route.weights } });
  });
  const failure = results.findIndex((r) => r.status === 'rejected');
  if (failure < 0) return undefined;
  const error = (results[failure] as PromiseRejectedResult).reason as Error;
  return `${plan.members[failure].project}: alias not set at step ${index + 1} (${percent}%): ${error.message.split('\n')[0]}`;
}

/**
 * Watches the alarms for the step's bake time. Polls often enough to notice an alarm within a tenth
 * of the interval (bounded to 0.2..10 s), and once more when the time is up.
 */
async function bake(plan: RolloutPlan, index: number, deps: RolloutDeps): Promise<string | undefined> {
  const step = plan.steps[index];
  const watched = plan.alarms.filter((name) => !deps.ignoreAlarms?.includes(name));
  const deadline = deps.now() + step.bakeSeconds * 1000;
  const poll = Math.min(10_000, Math.max(200, (step.bakeSeconds * 1000) / 10));
  deps.log.emit({ project: 'rollout', step: 'rollout', outcome: 'info', message: `step ${index + 1}/${plan.steps.length} (${step.percent}%): baking ${step.bakeSeconds}s, watching ${watched.length} alarm${watched.length === 1 ? '' : 's'}` });
  for (;;) {
    const { firing } = await alarmCheck(deps.alarms, watched);
    if (firing.length > 0) return `alarm ${firing.join(', ')} in ALARM at step ${index + 1} (${step.percent}%)`;
    const left = deadline - deps.now();
    if (left <= 0) return undefined;
    await deps.sleep(Math.min(poll, left));
  }
}

async function check(plan: RolloutPlan, index: number, deps: RolloutDeps): Promise<string | undefined> {
  if (!plan.check) return undefined;
  const step = plan.steps[index];
  const result = await deps.runCheck(plan.check, { index, percent: step.percent });
  if (result.exitCode === 0) {
    deps.log.emit({ project: 'rollout', step: 'check', outcome: 'info', message: `step ${index + 1} (${step.percent}%): check passed (${plan.check})` });
    return undefined;
  }
  return `check "${plan.check}" exited ${result.exitCode} at step ${index + 1} (${step.percent}%)${result.lastLine ? `: ${result.lastLine}` : ''}`;
}

/** Every alias of the unit back on its old version, no weights; recorded before and after, so a kill in between is finished by a rerun. */
async function rollBack(plan: RolloutPlan, index: number, reason: string, seq: number, deps: RolloutDeps, record: boolean): Promise<RolloutResult> {
  deps.log.emit({ project: 'rollout', step: 'rollout', outcome: 'failed', message: `rolling back ${plan.members.length} function${plan.members.length === 1 ? '' : 's'}: ${reason}` });
  if (record) await deps.store.append(plan.runId, seq++, { phase: 'rolling-back', at: new Date(deps.now()).toISOString(), step: index, reason });
  const results = await mapSettled(plan.members, deps.concurrency, async (member) => {
    await deps.aliases.route(member.functionName, member.alias, routingAt(member, 0));
    deps.log.emit({ project: member.project, step: 'rollout', outcome: 'failed', message: `rolled back: alias ${member.alias} on version ${member.from} (${reason})` });
  });
  const failed = results.find((r) => r.status === 'rejected');
  // Left as rolling-back: the next run in this environment completes it.
  if (failed) throw (failed as PromiseRejectedResult).reason;
  await deps.store.append(plan.runId, seq, { phase: 'rolled-back', at: new Date(deps.now()).toISOString(), step: index, reason });
  return { runId: plan.runId, outcome: 'rolled-back', reason, step: index + 1, members: plan.members };
}

function describeSplit(member: RolloutMember, percent: number): string {
  if (percent >= 100) return `-> version ${member.to} (100%)`;
  return `version ${member.from} ${100 - percent}% / version ${member.to} ${percent}%`;
}
