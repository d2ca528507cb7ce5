import { applyFunctionPlan } from '../apply/apply-plan';
import { planAlias } from '../plan/plan-alias';
import { planFunction } from '../plan/plan-function';
import { readAliasState } from './alias-state';
import type { DeployContext } from './deploy-context';
import { applyDeps, type DeployOutcome } from './deploy-layer';
import { checkFunctionSize, desiredFunction, managedLayerNames } from './desired-state';
import { emitDryRunOutcome, emitPlan } from './emit-plan';
import { resolveLayerTargets } from './layer-resolution';

/**
 * Deploys one function (`layersOnly`: update-layers): resolve its declared layers to the versions the
 * repo describes, read the function (one GetFunction), plan, apply. Code, then configuration and
 * layers in one call, each followed by a wait.
 */
export async function deployFunction(ctx: DeployContext, project: string, options: { layersOnly: boolean }): Promise<DeployOutcome> {
  const config = ctx.workspace.functions.get(project)!;
  checkFunctionSize(ctx, config, { withCode: !options.layersOnly });
  const targets = await resolveLayerTargets(ctx, config.layers, project);
  const desired = desiredFunction(ctx, project, targets, { withCode: !options.layersOnly });
  const actual = await ctx.session.lambda.getFunction(desired.functionName);
  const plan = planFunction(desired, actual, {
    managedLayerNames: managedLayerNames(ctx),
    createMissing: ctx.env.createMissingFunctions,
    environment: ctx.env.name,
    scope: 'all',
    layersOnly: options.layersOnly,
  });
  planAlias(plan, desired.alias, actual && { codeSha256: actual.codeSha256, layers: actual.layers }, await readAliasState(ctx.session.lambda, actual, desired.alias));
  const writes = emitPlan(ctx, [plan]);
  if (ctx.dryRun) {
    emitDryRunOutcome(ctx, [plan], writes);
    return { plans: [plan], failures: [] };
  }
  if (writes > 0) await ctx.approve?.(writes);
  await applyFunctionPlan(plan, applyDeps(ctx), new Map());
  return { plans: [plan], failures: [] };
}
