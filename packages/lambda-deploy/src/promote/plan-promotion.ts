import type { LayerVersionInfo } from '../aws/lambda-port';
import type { Architecture } from '../config/runtimes';
import type { Provenance } from '../history/history-record';
import { findMatchingVersion, shortSha } from '../plan/layer-description';
import type { LayerTarget } from '../plan/merge-layers';
import type { Action, CopyArtifact, ProjectPlan } from '../plan/types';

/** A content-addressed zip in the source environment's bucket, and where its copy goes in the target's. */
export interface ArtifactCopy {
  from: { environment: string; bucket: string; key: string };
  bucket: string;
  key: string;
  /** Hex sha256 of the zip (the key names it too): the copy is checked against it. */
  sha256: string;
  /** Whether the target bucket already holds it (then nothing is copied). */
  exists: boolean;
}

export interface LayerPromotion {
  project: string;
  layerName: string;
  semver: string;
  sha256: string;
  runtimes: string[];
  architectures: Architecture[];
  /** The Description the published version gets: content plus provenance. */
  description: string;
  /** The source version it copies. */
  source: { environment: string; version: number };
  artifact: ArtifactCopy;
}

/**
 * The target reuses any version holding the same content and semver (promoted or deployed: the bytes
 * are the same), else gets the source's zip copied and published from it. Pure.
 */
export function planLayerPromotion(promotion: LayerPromotion, versions: LayerVersionInfo[]): { plan: ProjectPlan; target: LayerTarget } {
  const plan: ProjectPlan = { project: promotion.project, kind: 'layer', awsName: promotion.layerName, actions: [] };
  const what = `${promotion.semver} ${shortSha(promotion.sha256)} (${promotion.source.environment} version ${promotion.source.version})`;
  const match = findMatchingVersion(versions, promotion.semver, promotion.sha256);
  if (match) {
    plan.actions.push({ kind: 'skip', project: promotion.project, reason: `unchanged: version ${match.version} holds ${what}` });
    return { plan, target: { arn: match.arn, version: match.version } };
  }
  plan.actions.push(...copyActions(promotion.project, promotion.artifact), {
    kind: 'publish-layer',
    project: promotion.project,
    reason: `promote ${what}`,
    layerName: promotion.layerName,
    description: promotion.description,
    content: { s3Bucket: promotion.artifact.bucket, s3Key: promotion.artifact.key },
    runtimes: promotion.runtimes,
    architectures: promotion.architectures,
  });
  return { plan, target: { pending: true } };
}

/**
 * Turns a function plan made against the source's code into a promotion: its code comes from the
 * copy in the target's bucket (copied first when missing there), and the history records provenance. Pure.
 */
export function promoteFunctionPlan(plan: ProjectPlan, artifact: ArtifactCopy, provenance: Provenance): ProjectPlan {
  const ref = { s3Bucket: artifact.bucket, s3Key: artifact.key };
  const actions: Action[] = [];
  for (const action of plan.actions) {
    if (action.kind === 'update-code' || action.kind === 'create-function') {
      if (!actions.some((a) => a.kind === 'copy-artifact')) actions.push(...copyActions(plan.project, artifact));
      const reason = action.kind === 'update-code' ? `${action.reason} (${provenance.from}'s code)` : action.reason;
      actions.push({ ...action, code: ref, reason });
    } else {
      actions.push(action);
    }
  }
  return { ...plan, actions, provenance };
}

function copyActions(project: string, artifact: ArtifactCopy): CopyArtifact[] {
  if (artifact.exists) return [];
  return [{ kind: 'copy-artifact', project, reason: `s3://${artifact.bucket}/${artifact.key} from ${artifact.from.environment} (s3://${artifact.from.bucket}/${artifact.from.key})`, from: artifact.from, bucket: artifact.bucket, key: artifact.key, sha256: artifact.sha256 }];
}
