import { applyFunctionPlan, applyLayerPlan, type PublishedLayers } from '../apply/apply-plan';
import { layerArtifactKey, layerNeedsArtifactCheck, planLayer, type DesiredLayer } from '../plan/plan-layer';
import { mapLimit, mapSettled } from '../util/map-limit';
import { applyDeps } from './apply-deps';
import type { DeployContext, DeployOutcome } from './deploy-context';
import { desiredFunction, desiredLayer, managedLayerNames } from './desired-state';
import { presentPlan } from './emit-plan';
import { readAndPlanFunction } from './read-and-plan-function';
import { checkLayerStack } from './check-layer-stack';
import { recordLayerResolution } from './layer-resolution';
import { writeLayerIndex } from './export-layers';
import { exportLayerParameter } from './export-parameters';
import { previewLayerShare, shareLayerVersion } from './share-layer-version';

/**
 * Deploys one layer: gather (list versions; head the artifact only if a publish is needed), plan,
 * apply; then cascade the new version to `cascadeTo`, the dependent functions that are not deployed
 * by their own task in this run.
 */
export async function deployLayer(ctx: DeployContext, project: string, cascadeTo: string[]): Promise<DeployOutcome> {
  const desired = desiredLayer(ctx, project);
  const versions = await ctx.session.lambda.listLayerVersions(desired.layerName);
  let artifactExists: boolean | undefined;
  if (layerNeedsArtifactCheck(desired, { versions })) {
    // A real account's bucket must already exist: say so now, before the first write, not at PutObject.
    if (!ctx.beforeUpload) await ctx.session.store.checkBucket(desired.bucket!, ctx.env.region);
    artifactExists = await ctx.session.store.exists(desired.bucket!, layerArtifactKey(project, desired.sha256));
  }
  const { plan, target } = planLayer(desired, { versions, artifactExists });

  const managed = managedLayerNames(ctx);
  // GetFunction has its own quota (100/s), so the cascade's reads go in parallel, not one by one.
  const cascadePlans = await mapLimit(cascadeTo, ctx.concurrency, async (fn) => {
    const wanted = desiredFunction(ctx, fn, new Map([[project, target]]), { withCode: false });
    return readAndPlanFunction(ctx, wanted, { managedLayerNames: managed, createMissing: false, environment: ctx.env.name, scope: [project], layersOnly: true }, { checkStack: (external) => checkLayerStack(ctx, ctx.workspace.functions.get(fn)!, external) });
  });

  const plans = [plan, ...cascadePlans];
  if (ctx.dryRun) await previewLayerShare(ctx, project, desired.layerName, 'arn' in target ? target.version : undefined);
  if (!(await presentPlan(ctx, plans))) return { plans, failures: [] };

  const deps = applyDeps(ctx);
  const publishedNow = await applyLayerPlan(plan, deps);
  const resolved = publishedNow ?? ('arn' in target ? target : undefined);
  if (resolved) await settleLayerVersion(ctx, desired, resolved);
  const published: PublishedLayers = new Map(publishedNow ? [[project, publishedNow]] : []);
  const results = await mapSettled(cascadePlans, ctx.concurrency, (fnPlan) => applyFunctionPlan(fnPlan, deps, published));
  const failures = results.flatMap((result, index) => (result.status === 'rejected' ? [{ project: cascadePlans[index].project, error: result.reason }] : []));
  return { plans, failures };
}

/**
 * What follows a layer's deploy or promotion once its version is known: recorded for this run's
 * functions and layers.json, shared as layer.json says, its ARN exported to SSM.
 */
export async function settleLayerVersion(ctx: DeployContext, desired: Pick<DesiredLayer, 'project' | 'layerName' | 'semver' | 'sha256'>, resolved: { arn: string; version: number }): Promise<void> {
  recordLayerResolution(ctx, desired, resolved);
  writeLayerIndex(ctx.workspace.root, ctx.env.name);
  await shareLayerVersion(ctx, desired.project, desired.layerName, resolved.version);
  await exportLayerParameter(ctx, desired.project, resolved.arn);
}
