import { applyFunctionPlan } from '../apply/apply-plan';
import { awsNameOf } from '../config/naming';
import { applyDeps } from '../deploy/apply-deps';
import type { DeployContext, DeployOutcome } from '../deploy/deploy-context';
import { desiredFunction, managedLayerNames } from '../deploy/desired-state';
import { presentPlan } from '../deploy/emit-plan';
import { readAndPlanFunction } from '../deploy/read-and-plan-function';
import { DeployError } from '../errors';
import { findMatchingVersion, shortSha } from '../plan/layer-description';
import type { LayerTarget } from '../plan/merge-layers';
import { targetArtifactExists } from './artifacts';
import { checkPromoteBuckets, type SourceLayer } from './check-target';
import { artifactCopier } from './copy-artifact';
import { driftError } from './detect-drift';
import { promoteFunctionPlan } from './plan-promotion';
import type { PromoteOptions } from './promote-options';
import { contentHashOf } from './provenance';
import { inspectFunctionPromotion } from './inspect-function';
import { readSourceFunction, sourceContext } from './read-source';
import { codeVerifier, copiedZip } from './verify-copy';

/**
 * Promotes one function: refuse if the source's function drifted from what the tool deployed there
 * or the repo's target configuration cannot run it; else deploy to the target the source's exact
 * code (copied between buckets) on the target versions holding the source's layer contents, with the
 * repo's target settings, and record the promotion's provenance in the target's history.
 */
export async function promoteFunction(ctx: DeployContext, project: string, options: PromoteOptions): Promise<DeployOutcome> {
  const config = ctx.workspace.functions.get(project);
  if (!config) throw new DeployError('UNKNOWN_FUNCTION', `${project}: not a function of this repo`, 'check the project name');
  const from = options.from.env;
  checkPromoteBuckets(from, ctx.env);
  const sctx = sourceContext(ctx, options.from);
  const read = await readSourceFunction(sctx, project);
  const drift = read && driftError([read], from.name);
  if (drift) throw drift;
  const { source, sourceLayers, key } = await inspectFunctionPromotion(ctx, sctx, project, read);
  const desired = desiredFunction(ctx, project, await targetLayers(ctx, sourceLayers, project, from.name), { withCode: false });
  const planned = await readAndPlanFunction(ctx, { ...desired, code: { sha256Base64: source.actual.codeSha256, zipFile: '' } }, {
    managedLayerNames: managedLayerNames(ctx),
    createMissing: ctx.env.createMissingFunctions,
    environment: ctx.env.name,
    scope: 'all',
    layersOnly: false,
  });
  const needsCode = planned.actions.some((action) => action.kind === 'update-code' || action.kind === 'create-function');
  const contentHash = contentHashOf(source.actual.codeSha256);
  const plan = promoteFunctionPlan(
    planned,
    { from: { environment: from.name, bucket: from.artifactBucket!, key }, bucket: ctx.env.artifactBucket!, key, sha256: contentHash.slice('sha256:'.length), exists: !needsCode || (await targetArtifactExists(ctx, key)) },
    { from: from.name, contentHash, ...(options.commit ? { commit: options.commit } : {}) },
  );

  const layers = sourceLayers.map((layer) => `${layer.project} ${layer.semver} ${shortSha(layer.sha256)}`).join(', ') || 'no managed layers';
  ctx.log.emit({ project, step: 'promote', outcome: 'info', message: `from ${from.name} (${source.functionName}): code ${contentHash.slice(0, 19)}.., ${layers}` });
  const verifyCode = codeVerifier(ctx, copiedZip(ctx, from, key), source.actual.codeSha256);
  if (await presentPlan(ctx, [plan])) await applyFunctionPlan(plan, { ...applyDeps(ctx), copyArtifact: artifactCopier(options.from, ctx), verifyCode }, new Map(), 'promote');
  return { plans: [plan], failures: [] };
}

/**
 * The target's version of each layer holding the content the source function runs. Missing there,
 * the layer's own promote has not run (in a dry-run it would publish it first: pending).
 */
async function targetLayers(ctx: DeployContext, sourceLayers: SourceLayer[], requester: string, from: string): Promise<Map<string, LayerTarget>> {
  const targets = new Map<string, LayerTarget>();
  for (const layer of sourceLayers) {
    const layerName = awsNameOf(ctx.workspace.layers.get(layer.project)!, ctx.env);
    const match = findMatchingVersion(await ctx.session.lambda.listLayerVersions(layerName), layer.semver, layer.sha256);
    if (match) targets.set(layer.project, { arn: match.arn, version: match.version });
    else if (ctx.dryRun) targets.set(layer.project, { pending: true });
    else {
      throw new DeployError(
        'LAYER_NOT_PROMOTED',
        `${requester}: layer ${layer.project} ${layer.semver} (${shortSha(layer.sha256)}), which it runs in ${from}, has no version in ${ctx.env.name}`,
        `promote the layer first: \`nx run ${layer.project}:promote -c ${ctx.env.name} --from=${from}\` (\`nx run ${requester}:promote\` does it through ^promote)`,
      );
    }
  }
  return targets;
}
