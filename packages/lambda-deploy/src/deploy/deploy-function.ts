import { applyFunctionPlan } from '../apply/apply-plan';
import type { DeployContext, DeployOutcome } from './deploy-context';
import { applyDeps } from './apply-deps';
import { checkLayerStack } from './check-layer-stack';
import { checkFunctionSize, desiredFunction, managedLayerNames } from './desired-state';
import { presentPlan } from './emit-plan';
import { readAndPlanFunction } from './read-and-plan-function';
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
  const plan = await readAndPlanFunction(ctx, desired, {
    managedLayerNames: managedLayerNames(ctx),
    createMissing: ctx.env.createMissingFunctions,
    environment: ctx.env.name,
    scope: 'all',
    layersOnly: options.layersOnly,
  }, {
    checkSize: (external) => external.length > 0 && checkFunctionSize(ctx, config, { withCode: !options.layersOnly }, external),
    checkStack: (external) => checkLayerStack(ctx, config, external),
  });
  if (await presentPlan(ctx, [plan])) await applyFunctionPlan(plan, applyDeps(ctx), new Map());
  return { plans: [plan], failures: [] };
}
