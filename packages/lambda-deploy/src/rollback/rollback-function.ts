import { applyFunctionPlan } from '../apply/apply-plan';
import type { DeployContext, DeployOutcome } from '../deploy/deploy-context';
import { applyDeps } from '../deploy/apply-deps';
import { presentPlan } from '../deploy/emit-plan';
import { awsNameOf } from '../config/naming';
import { DeployError } from '../errors';
import { codeArtifactKey } from '../history/history-record';
import { HistoryStore } from '../history/history-store';
import { planRollback, rollbackEntry, rollbackTarget } from '../plan/plan-rollback';

/**
 * Puts a function back to a state from the environment's deploy history: read the history and the
 * function, plan (code from the bucket's copy, layers by ARN), print, then apply like any deploy. The
 * rollback is itself recorded, so rolling back again undoes it.
 */
export async function rollbackFunction(ctx: DeployContext, project: string, options: { to?: string }): Promise<DeployOutcome> {
  const config = ctx.workspace.functions.get(project);
  if (!config) throw new DeployError('UNKNOWN_FUNCTION', `${project}: not a function of this repo`, 'rollback applies to function projects');
  const bucket = ctx.env.artifactBucket;
  if (!bucket) throw new DeployError('NO_HISTORY', `${project}: environment ${ctx.env.name} has no artifactBucket, so no deploy history`, 'set "artifactBucket" for the environment in nx.json; deploys then record history');
  const functionName = awsNameOf(config, ctx.env);
  const history = new HistoryStore(ctx.session.store, bucket);
  const ids = await history.ids(functionName);
  const id = rollbackEntry(ids, functionName, options.to);
  const record = await history.get(functionName, id);
  if (!record) throw new DeployError('ROLLBACK_TARGET_UNKNOWN', `${functionName}: history entry ${id} was deleted while being read`, 'rerun the rollback');
  const target = rollbackTarget(record, ids, options.to);
  const current = await ctx.session.lambda.getFunction(functionName);
  if (!current) throw new DeployError('FUNCTION_VANISHED', `${functionName}: not found in ${ctx.env.name}`, 'nothing to roll back: deploy it instead');
  const key = codeArtifactKey(project, target.snapshot.codeSha256);
  const available = current.codeSha256 !== target.snapshot.codeSha256 && (await ctx.session.store.exists(bucket, key));
  const plan = planRollback(project, current, target, { bucket, key, available });

  ctx.log.emit({ project, step: 'rollback', outcome: 'info', message: `rolling back to ${target.description}` });
  if (await presentPlan(ctx, [plan])) await applyFunctionPlan(plan, applyDeps(ctx), new Map(), 'rollback');
  return { plans: [plan], failures: [] };
}
