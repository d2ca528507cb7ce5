import { awsNameOf } from '../config/naming';
import { dependentsOf } from '../config/workspace';
import type { DeployContext } from '../deploy/deploy-context';
import { desiredLayer } from '../deploy/desired-state';
import { parseLayerArn } from '../plan/layer-arn';
import { parseLayerDescription } from '../plan/layer-description';

export interface LayerStatus {
  project: string;
  layerName: string;
  repo: { semver: string; sha256: string };
  versions: { version: number; semver?: string; sha256?: string; matchesRepo: boolean; usedBy: string[] }[];
  dependents: { project: string; functionName: string; version?: number; exists: boolean }[];
}

/** Published versions of a layer and which of the repo's functions use each. Reads only. */
export async function layerStatus(ctx: DeployContext, project: string): Promise<LayerStatus> {
  const desired = desiredLayer(ctx, project);
  const published = await ctx.session.lambda.listLayerVersions(desired.layerName);
  const dependents: LayerStatus['dependents'] = [];
  for (const fn of dependentsOf(ctx.workspace, project)) {
    const functionName = awsNameOf(fn, ctx.env);
    const state = await ctx.session.lambda.getFunction(functionName);
    const version = state?.layers.map(parseLayerArn).find((p) => p?.layerName === desired.layerName)?.version;
    dependents.push({ project: fn.project, functionName, version, exists: state !== undefined });
  }
  return {
    project,
    layerName: desired.layerName,
    repo: { semver: desired.semver, sha256: desired.sha256 },
    versions: published.map((v) => {
      const parsed = parseLayerDescription(v.description);
      return {
        version: v.version,
        semver: parsed?.semver,
        sha256: parsed?.sha256,
        matchesRepo: parsed?.semver === desired.semver && parsed?.sha256 === desired.sha256,
        usedBy: dependents.filter((d) => d.version === v.version).map((d) => d.project),
      };
    }),
    dependents,
  };
}

export function renderLayerStatus(status: LayerStatus): string[] {
  const lines = [`[${status.project}] ${status.layerName}: repo ${status.repo.semver} sha256:${status.repo.sha256.slice(0, 12)}.., ${status.versions.length} published version(s)`];
  for (const v of status.versions.slice(0, 10)) {
    const mark = v.matchesRepo ? ' <- repo' : '';
    lines.push(`[${status.project}]   v${v.version} ${v.semver ?? '?'} ${v.sha256 ? `sha256:${v.sha256.slice(0, 12)}..` : '(not ours)'}${mark}${v.usedBy.length ? ` used by ${v.usedBy.join(', ')}` : ''}`);
  }
  const missing = status.dependents.filter((d) => !d.exists).map((d) => d.project);
  if (missing.length) lines.push(`[${status.project}]   functions not found: ${missing.join(', ')}`);
  return lines;
}
