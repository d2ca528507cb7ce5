import type { FunctionSnapshot, Provenance } from '../history/history-record';
import type { Architecture } from '../config/runtimes';
import type { FunctionSettings } from '../aws/lambda-port';
import type { PlannedEnvironment } from './planned-environment';

export type ActionKind = 'upload-artifact' | 'copy-artifact' | 'publish-layer' | 'delete-layer-duplicates' | 'create-function' | 'update-code' | 'update-config' | 'update-layers' | 'tag-function' | 'put-concurrency' | 'publish-version' | 'skip' | 'warn';

/** Where the code of a publish/create/update comes from: an S3 object or the zip sent inline. */
export type ArtifactRef = { s3Bucket: string; s3Key: string } | { file: string };

/** A layer entry of a function's future Layers list: a version ARN, or the version a publish in this run will produce. */
export type LayerSlot = string | { pending: string; layerName: string };

export interface LayerChange {
  layer: string;
  from?: number;
  to: number | 'new' | 'removed';
}

/** Settings as a plan holds them: SSM values as references (parameter and version), resolved at apply. */
export type PlannedSettings = Omit<FunctionSettings, 'environment'> & { environment?: PlannedEnvironment };

interface ActionBase {
  project: string;
  reason: string;
}

export interface UploadArtifact extends ActionBase {
  kind: 'upload-artifact';
  bucket: string;
  key: string;
  file: string;
  size: number;
}

/** A promotion's copy of a content-addressed zip from another environment's bucket (and maybe account) into this one's. */
export interface CopyArtifact extends ActionBase {
  kind: 'copy-artifact';
  from: { environment: string; bucket: string; key: string };
  bucket: string;
  key: string;
  /** Hex sha256 of the zip: a copy made by download and upload is checked against it before the upload. */
  sha256: string;
}

export interface PublishLayer extends ActionBase {
  kind: 'publish-layer';
  layerName: string;
  description: string;
  content: ArtifactRef;
  runtimes: string[];
  architectures: Architecture[];
}

/**
 * Newer versions holding the content of the one a deploy reuses: left by a run that stopped between
 * a publish and the deletion of its duplicates. Apply lists again and deletes whatever duplicates are there then.
 */
export interface DeleteLayerDuplicates extends ActionBase {
  kind: 'delete-layer-duplicates';
  layerName: string;
  semver: string;
  sha256: string;
}

export interface CreateFunction extends ActionBase {
  kind: 'create-function';
  functionName: string;
  code: ArtifactRef;
  /** Base64 sha256 of the zip (Lambda's CodeSha256): names the copy kept for rollbacks. */
  codeSha256?: string;
  architecture: Architecture;
  settings: PlannedSettings;
  layers: LayerSlot[];
  layerChanges: LayerChange[];
  tags?: Record<string, string>;
}

export interface UpdateCode extends ActionBase {
  kind: 'update-code';
  functionName: string;
  code: ArtifactRef;
  codeSha256?: string;
  architecture: Architecture;
}

/** One UpdateFunctionConfiguration call: settings and layers together, as Lambda allows one update at a time. */
export interface UpdateConfiguration extends ActionBase {
  kind: 'update-config' | 'update-layers';
  functionName: string;
  settings: Partial<PlannedSettings>;
  layers?: LayerSlot[];
  layerChanges: LayerChange[];
}

/** TagResource and/or UntagResource on the keys the repo manages. */
export interface TagFunction extends ActionBase {
  kind: 'tag-function';
  functionArn: string;
  set: Record<string, string>;
  remove: string[];
}

/** PutFunctionConcurrency: not part of the configuration, and not a version setting. */
export interface PutConcurrency extends ActionBase {
  kind: 'put-concurrency';
  functionName: string;
  reservedConcurrency: number;
}

/** PublishVersion, then CreateAlias/UpdateAlias: callers of the alias get what $LATEST now holds. */
export interface PublishVersion extends ActionBase {
  kind: 'publish-version';
  functionName: string;
  alias: string;
  aliasExists: boolean;
  /** The version the alias served when planned: where a held rollout starts from (saves a read at apply). */
  aliasVersion?: string;
}

export interface Skip extends ActionBase {
  kind: 'skip';
}

export interface Warn extends ActionBase {
  kind: 'warn';
}

export type Action = UploadArtifact | CopyArtifact | PublishLayer | DeleteLayerDuplicates | CreateFunction | UpdateCode | UpdateConfiguration | TagFunction | PutConcurrency | PublishVersion | Skip | Warn;

/** The actions of one project, applied in order; projects of one plan are independent of each other except through pending layers. */
export interface ProjectPlan {
  project: string;
  kind: 'layer' | 'function';
  /** AWS name of the layer or function. */
  awsName: string;
  actions: Action[];
  /** A function as it was before this plan (absent when it does not exist yet): the history records it. */
  before?: FunctionSnapshot;
  /** A promotion: where the code came from, recorded in the history entry. */
  provenance?: Provenance;
}

export function isWrite(action: Action): boolean {
  return action.kind !== 'skip' && action.kind !== 'warn';
}
