import type { LayerVersionInfo } from '../aws/lambda-port';
import type { Architecture } from '../config/runtimes';
import { DeployError } from '../errors';
import { MAX_INLINE_ZIP_BYTES } from '../artifact/limits';
import { findMatchingVersion, formatLayerDescription, matchingVersions, parseLayerDescription, shortSha, versionList } from './layer-description';
import type { LayerTarget } from './merge-layers';
import type { Action, ArtifactRef, ProjectPlan } from './types';

export interface DesiredLayer {
  project: string;
  layerName: string;
  semver: string;
  sha256: string;
  zipFile: string;
  zipSize: number;
  runtimes: string[];
  architectures: Architecture[];
  bucket?: string;
}

export interface ActualLayer {
  versions: LayerVersionInfo[];
  /** Whether the content-addressed zip is already in the bucket; only asked when a publish is needed. */
  artifactExists?: boolean;
}

/** `layers/<project>/<sha256>.zip`: the same content always lands on the same key, so uploads are idempotent. */
export function layerArtifactKey(project: string, sha256: string): string {
  return `layers/${project}/${sha256}.zip`;
}

/** True when planning needs to know whether the artifact is already uploaded (a publish from S3 is coming). */
export function layerNeedsArtifactCheck(desired: DesiredLayer, actual: Pick<ActualLayer, 'versions'>): boolean {
  return !findMatchingVersion(actual.versions, desired.semver, desired.sha256) && desired.bucket !== undefined;
}

/**
 * Reuse the oldest version holding this content and semver (deleting any newer copy of it), or upload
 * (if needed) and publish a new one.
 */
export function planLayer(desired: DesiredLayer, actual: ActualLayer): { plan: ProjectPlan; target: LayerTarget } {
  const plan: ProjectPlan = { project: desired.project, kind: 'layer', awsName: desired.layerName, actions: [] };
  const [match, ...duplicates] = matchingVersions(actual.versions, desired.semver, desired.sha256);
  if (match) {
    plan.actions.push({ kind: 'skip', project: desired.project, reason: `unchanged: version ${match.version} holds ${desired.semver} ${shortSha(desired.sha256)}` });
    // Only the run that published them deletes duplicates otherwise: one that failed before it could would leave them for good.
    if (duplicates.length > 0) plan.actions.push(deleteDuplicatesAction(desired, match.version, duplicates.map((d) => d.version)));
    return { plan, target: { arn: match.arn, version: match.version } };
  }

  const actions: Action[] = [];
  let content: ArtifactRef;
  if (desired.bucket) {
    const key = layerArtifactKey(desired.project, desired.sha256);
    content = { s3Bucket: desired.bucket, s3Key: key };
    if (!actual.artifactExists) {
      actions.push({ kind: 'upload-artifact', project: desired.project, reason: `s3://${desired.bucket}/${key} not uploaded yet`, bucket: desired.bucket, key, file: desired.zipFile, size: desired.zipSize });
    }
  } else if (desired.zipSize <= MAX_INLINE_ZIP_BYTES) {
    content = { file: desired.zipFile };
  } else {
    throw new DeployError(
      'LAYER_NEEDS_BUCKET',
      `${desired.project}: the zip is ${(desired.zipSize / 1048576).toFixed(1)} MB, over the 50 MB Lambda accepts inline, and the environment has no artifactBucket`,
      'set "artifactBucket" for this environment in nx.json so the zip goes through S3',
    );
  }
  actions.push({
    kind: 'publish-layer',
    project: desired.project,
    reason: publishReason(desired, actual.versions),
    layerName: desired.layerName,
    description: formatLayerDescription(desired.project, desired.semver, desired.sha256),
    content,
    runtimes: desired.runtimes,
    architectures: desired.architectures,
  });
  plan.actions.push(...actions);
  return { plan, target: { pending: true } };
}

function deleteDuplicatesAction(desired: DesiredLayer, kept: number, duplicates: number[]): Action {
  const one = duplicates.length === 1;
  return {
    kind: 'delete-layer-duplicates',
    project: desired.project,
    reason: `${versionList(duplicates)} ${one ? 'holds' : 'hold'} the same ${desired.semver} ${shortSha(desired.sha256)} as version ${kept}, which deploys use (left by a run that stopped before deleting ${one ? 'it' : 'them'})`,
    layerName: desired.layerName,
    semver: desired.semver,
    sha256: desired.sha256,
  };
}

function publishReason(desired: DesiredLayer, versions: LayerVersionInfo[]): string {
  const sameContent = versions.find((v) => parseLayerDescription(v.description)?.sha256 === desired.sha256);
  if (sameContent) return `${desired.semver} not published (content ${shortSha(desired.sha256)} is version ${sameContent.version}, a VERSION bump)`;
  const latest = versions[0] ? parseLayerDescription(versions[0].description) : undefined;
  const since = latest ? ` (latest is version ${versions[0].version}: ${latest.semver} ${shortSha(latest.sha256)})` : versions.length === 0 ? ' (no version published yet)' : '';
  return `content ${shortSha(desired.sha256)} not published${since}`;
}
