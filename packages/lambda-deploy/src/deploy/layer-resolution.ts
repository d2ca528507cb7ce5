import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DeployError } from '../errors';
import { findMatchingVersion } from '../plan/layer-description';
import type { LayerTarget } from '../plan/merge-layers';
import type { DesiredLayer } from '../plan/plan-layer';
import type { DeployContext } from './deploy-context';
import { desiredLayer } from './desired-state';
import { layerRecordDir } from './export-layers';

interface ResolutionRecord {
  /** Absent outside an `nx` run: the record then only feeds layers.json, no function deploy trusts it. */
  runId?: string;
  semver: string;
  sha256: string;
  arn: string;
  version: number;
}

/** One record per layer and region: an environment with several regions resolves each region's version separately. */
function recordPath(ctx: DeployContext, project: string): string {
  return join(layerRecordDir(ctx.workspace.root, ctx.env.name), project, `${ctx.env.region}.json`);
}

/**
 * A layer's deploy records the version it published or reused, for the function deploys of the same
 * `nx` run: they then need no ListLayerVersions of their own (a no-op deploy stays at one read per
 * layer and one per function). Records of another run are ignored, never trusted. The records are
 * also what dist/deploy/<env>/layers.json exports (export-layers.ts).
 */
export function recordLayerResolution(ctx: DeployContext, layer: Pick<DesiredLayer, 'project' | 'semver' | 'sha256'>, target: { arn: string; version: number }): void {
  const file = recordPath(ctx, layer.project);
  mkdirSync(dirname(file), { recursive: true });
  const record: ResolutionRecord = { runId: ctx.runId, semver: layer.semver, sha256: layer.sha256, ...target };
  writeFileSync(`${file}.tmp`, JSON.stringify(record, null, 2));
  renameSync(`${file}.tmp`, file);
}

function readRecord(ctx: DeployContext, layer: DesiredLayer): ResolutionRecord | undefined {
  if (!ctx.runId) return undefined;
  try {
    const record = JSON.parse(readFileSync(recordPath(ctx, layer.project), 'utf8')) as ResolutionRecord;
    return record.runId === ctx.runId && record.semver === layer.semver && record.sha256 === layer.sha256 ? record : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The version of each layer that holds the repo's content and semver: "the version the repo
 * describes", never blindly the latest. A missing one is an error naming the deploy to run, except in
 * a dry-run, where the layer's own deploy would publish it first.
 */
export async function resolveLayerTargets(ctx: DeployContext, projects: string[], requester: string): Promise<Map<string, LayerTarget>> {
  const targets = new Map<string, LayerTarget>();
  for (const project of projects) {
    const layer = desiredLayer(ctx, project);
    const record = readRecord(ctx, layer);
    const match = record ?? findMatchingVersion(await ctx.session.lambda.listLayerVersions(layer.layerName), layer.semver, layer.sha256);
    if (match) {
      targets.set(project, { arn: match.arn, version: match.version });
    } else if (ctx.dryRun) {
      targets.set(project, { pending: true });
    } else {
      throw new DeployError(
        'LAYER_NOT_PUBLISHED',
        `${requester}: layer ${project} ${layer.semver} (sha256:${layer.sha256.slice(0, 12)}..) has no published version in ${ctx.env.name}`,
        `run \`nx run ${project}:deploy -c ${ctx.env.name}\` first (or deploy the function with \`nx run ${requester}:deploy -c ${ctx.env.name}\`, which deploys its layers first)`,
      );
    }
  }
  return targets;
}
