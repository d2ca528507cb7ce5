import { awsNameOf } from '../config/naming';
import type { DeployContext } from '../deploy/deploy-context';
import { DeployError } from '../errors';
import { parseLayerArn } from '../plan/layer-arn';
import { layerArtifactKey } from '../plan/plan-layer';
import { requireSourceArtifact } from './artifacts';
import type { SourceLayer } from './check-target';
import type { SourceFunction } from './detect-drift';
import { readSourceLayer } from './read-source';

/** The source layer version a promotion copies, and its zip's key. */
export interface LayerSource {
  layer: SourceLayer;
  key: string;
}

/**
 * The read-only part of a layer's promotion, after its users' drift check: the one version the
 * source's functions (`users`, as read there) agree on, identified by its Description, with its zip
 * in the source's bucket. Undefined when no function there uses the layer (nothing to promote).
 */
export async function inspectLayerPromotion(sctx: DeployContext, project: string, users: SourceFunction[]): Promise<LayerSource | undefined> {
  const sourceName = awsNameOf(sctx.workspace.layers.get(project)!, sctx.env);
  const byVersion = new Map<number, string[]>();
  for (const source of users) {
    const version = source.actual.layers.map(parseLayerArn).find((parsed) => parsed?.layerName === sourceName)?.version;
    if (version !== undefined) byVersion.set(version, [...(byVersion.get(version) ?? []), source.project]);
  }
  if (byVersion.size === 0) return undefined;
  if (byVersion.size > 1) {
    const which = [...byVersion].map(([version, fns]) => `version ${version} (${fns.join(', ')})`).join(', ');
    throw new DeployError('PROMOTE_AMBIGUOUS', `${project}: functions in ${sctx.env.name} use different versions of ${sourceName}: ${which}, so which one to promote is unclear`, `deploy ${sctx.env.name} so they agree (\`nx run-many -t deploy -c ${sctx.env.name}\`), then promote`);
  }
  const layer = await readSourceLayer(sctx, project, [...byVersion.keys()][0]);
  const key = layerArtifactKey(project, layer.sha256);
  await requireSourceArtifact(sctx, key, `${sourceName}:${layer.version}`);
  return { layer, key };
}
