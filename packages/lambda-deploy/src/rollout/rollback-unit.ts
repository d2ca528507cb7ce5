import type { DeployContext, DeployOutcome } from '../deploy/deploy-context';
import { DeployError } from '../errors';
import { mapSettled } from '../util/map-limit';
import { routingAt, type RolloutPlan } from './plan-rollout';
import { RolloutStore } from './rollout-store';

/** The newest promoted rollout unit `project` was part of (reads every promoted rollout's plan: for a rollback, not a deploy). */
export async function lastPromotedUnit(ctx: DeployContext, project: string): Promise<{ plan: RolloutPlan; nextSeq: number } | undefined> {
  if (!ctx.env.artifactBucket) return undefined;
  const store = new RolloutStore(ctx.session.store, ctx.env.artifactBucket);
  let newest: { plan: RolloutPlan; nextSeq: number; at: string } | undefined;
  for (const runId of await store.promoted()) {
    const progress = await store.progress(runId);
    if (!progress || !progress.plan.members.some((m) => m.project === project)) continue;
    if (!newest || progress.last.at > newest.at) newest = { plan: progress.plan, nextSeq: progress.nextSeq, at: progress.last.at };
  }
  return newest;
}

/** A line for `rollback` of one function that moved with others: how to put the whole unit back. */
export async function offerUnitRollback(ctx: DeployContext, project: string): Promise<void> {
  const unit = await lastPromotedUnit(ctx, project);
  if (!unit || unit.plan.members.length < 2) return;
  const others = unit.plan.members.filter((m) => m.project !== project).map((m) => m.project);
  ctx.log.emit({ project, step: 'rollback', outcome: 'info', message: `${project} was promoted together with ${others.join(', ')} (rollout ${unit.plan.runId}); \`nx run ${project}:rollback --unit -c ${ctx.env.name}\` puts all ${unit.plan.members.length} aliases back on their previous versions` });
}

/**
 * Puts every alias of the newest promoted unit `project` was part of back on its previous version,
 * no weights. An alias that moved since (a later deploy) is left alone and named. Recorded as the
 * unit's rollback in the bucket.
 */
export async function rollbackUnit(ctx: DeployContext, project: string): Promise<DeployOutcome> {
  const unit = await lastPromotedUnit(ctx, project);
  if (!unit) throw new DeployError('ROLLOUT_UNIT_UNKNOWN', `${project}: no promoted rollout in ${ctx.env.name} includes it`, 'run rollback without --unit to restore this function from its deploy history');
  const { plan } = unit;
  const current = await Promise.all(plan.members.map(async (member) => ({ member, route: await ctx.session.aliases.read(member.functionName, member.alias) })));
  const movable = current.filter(({ member, route }) => route?.version === member.to && Object.keys(route.weights).length === 0).map(({ member }) => member);
  for (const { member, route } of current.filter(({ member }) => !movable.includes(member))) {
    ctx.log.emit({ project: member.project, step: 'rollback', outcome: 'warning', message: `alias ${member.alias} is on version ${route?.version ?? '(none)'}, not ${member.to}, since rollout ${plan.runId}: left alone` });
  }
  for (const member of movable) ctx.log.emit({ project: member.project, step: 'plan', outcome: 'planned', message: `plan rollback: alias ${member.alias} version ${member.to} -> ${member.from} (unit of rollout ${plan.runId})` });
  if (ctx.dryRun || movable.length === 0) return { plans: [], failures: [] };
  if (ctx.approve) await ctx.approve(movable.length);
  const results = await mapSettled(movable, ctx.concurrency, async (member) => {
    await ctx.session.aliases.route(member.functionName, member.alias, routingAt(member, 0));
    ctx.log.emit({ project: member.project, step: 'rollback', outcome: 'done', message: `alias ${member.alias} back on version ${member.from} (unit of rollout ${plan.runId})` });
  });
  const failures = results.flatMap((r, i) => (r.status === 'rejected' ? [{ project: movable[i].project, error: r.reason }] : []));
  if (failures.length === 0) {
    const store = new RolloutStore(ctx.session.store, ctx.env.artifactBucket!);
    await store.append(plan.runId, unit.nextSeq, { phase: 'rolled-back', at: new Date().toISOString(), step: plan.steps.length - 1, reason: `rollback --unit from ${project}` });
  }
  return { plans: [], failures };
}
