import { applyLayerPlan } from '../apply/apply-plan';
import { awsNameOf } from '../config/naming';
import { applyDeps } from '../deploy/apply-deps';
import type { DeployContext, DeployOutcome } from '../deploy/deploy-context';
import { settleLayerVersion } from '../deploy/deploy-layer';
import { presentPlan } from '../deploy/emit-plan';
import { DeployError } from '../errors';
import { findMatchingVersion } from '../plan/layer-description';
import type { ProjectPlan } from '../plan/types';
import { mapLimit } from '../util/map-limit';
import { checkPromoteBuckets } from './check-target';
import { artifactCopier } from './copy-artifact';
import { driftError, type SourceFunction } from './detect-drift';
import { planLayerPromotion } from './plan-promotion';
import type { PromoteOptions } from './promote-options';
import { promotedLayerDescription } from './provenance';
import { inspectLayerPromotion } from './inspect-layer';
import { readSourceFunction, sourceContext, usersOfLayer } from './read-source';
import { targetArtifactExists } from './artifacts';
import { copiedZip, verifyPublishedLayer } from './verify-copy';

/**
 * Promotes one layer: the version the source environment's functions use (all of them must agree,
 * and none may have drifted) is published in the target from a copy of its zip, unless a version
 * there already holds that content. Functions are repointed by their own promote tasks, never by
 * cascade: a function's layers and code move together.
 */
export async function promoteLayer(ctx: DeployContext, project: string, options: PromoteOptions): Promise<DeployOutcome> {
  const config = ctx.workspace.layers.get(project);
  if (!config) throw new DeployError('UNKNOWN_LAYER', `${project}: not a layer of this repo`, 'check the project name');
  const from = options.from.env;
  checkPromoteBuckets(from, ctx.env);
  const sctx = sourceContext(ctx, options.from);
  const sourceName = awsNameOf(config, from);
  const sources = (await mapLimit(usersOfLayer(sctx, project), ctx.concurrency, (fn) => readSourceFunction(sctx, fn))).filter((s): s is SourceFunction => s !== undefined);
  const drift = driftError(sources, from.name);
  if (drift) throw drift;

  const inspected = await inspectLayerPromotion(sctx, project, sources);
  if (!inspected) {
    const plan: ProjectPlan = { project, kind: 'layer', awsName: awsNameOf(config, ctx.env), actions: [{ kind: 'warn', project, reason: `no function in ${from.name} uses ${sourceName}: nothing to promote` }] };
    await presentPlan(ctx, [plan]);
    return { plans: [plan], failures: [] };
  }
  const { layer, key } = inspected;
  const layerName = awsNameOf(config, ctx.env);
  const versions = await ctx.session.lambda.listLayerVersions(layerName);
  const exists = findMatchingVersion(versions, layer.semver, layer.sha256) ? true : await targetArtifactExists(ctx, key);
  const { plan, target } = planLayerPromotion({
    project,
    layerName,
    semver: layer.semver,
    sha256: layer.sha256,
    runtimes: config.runtimes,
    architectures: config.architectures,
    description: promotedLayerDescription(project, layer.semver, layer.sha256, { from: from.name, commit: options.commit }),
    source: { environment: from.name, version: layer.version },
    artifact: { from: { environment: from.name, bucket: from.artifactBucket!, key }, bucket: ctx.env.artifactBucket!, key, sha256: layer.sha256, exists },
  }, versions);
  if (!(await presentPlan(ctx, [plan]))) return { plans: [plan], failures: [] };

  const published = await applyLayerPlan(plan, { ...applyDeps(ctx), copyArtifact: artifactCopier(options.from, ctx) });
  if (published) await verifyPublishedLayer(ctx, layer, layerName, published.version, copiedZip(ctx, from, key));
  const resolved = published ?? ('arn' in target ? target : undefined);
  if (resolved) await settleLayerVersion(ctx, { project, layerName, semver: layer.semver, sha256: layer.sha256 }, resolved);
  return { plans: [plan], failures: [] };
}
