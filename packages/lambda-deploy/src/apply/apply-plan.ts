import { readFile } from 'node:fs/promises';
import type { ArtifactStore, CodeSource, FunctionState, LambdaPort } from '../aws/lambda-port';
import { waitForUpdate, type WaitOptions } from '../aws/wait-for-update';
import { DeployError } from '../errors';
import { describeLayerChanges } from '../plan/merge-layers';
import { codeArtifactKey, historyRecordId, sameSnapshot, snapshotOf, type HistoryRecord } from '../history/history-record';
import type { HistoryStore } from '../history/history-store';
import { isWrite, type ArtifactRef, type CopyArtifact, type CreateFunction, type LayerSlot, type ProjectPlan, type UpdateCode } from '../plan/types';
import type { EventLog } from '../report/events';
import type { ParameterReader } from '../aws/ssm-parameter-reader';
import type { SecretValues } from '../plan/planned-environment';
import { passiveEvent } from './describe-action';
import { revealEnvironment } from './reveal-environment';
import { publishOnce, type PublishResult } from './publish-once';
import { deleteDuplicates } from './delete-duplicates';
import { versionList } from '../plan/layer-description';
import { publishHeldVersion } from './hold-version';
import { contentHashOf } from '../promote/provenance';

export interface ApplyDeps {
  lambda: LambdaPort;
  store: ArtifactStore;
  log: EventLog;
  /** Where the SSM values a plan refers to are read (planning already read most into `secrets`). */
  parameters?: ParameterReader;
  secrets?: SecretValues;
  /** Execution role for functions this run creates; resolved only when a create happens. */
  functionRole?: () => Promise<string>;
  /** Called before the first upload, e.g. to create the emulator's bucket. */
  beforeUpload?: (bucket: string) => Promise<void>;
  wait?: WaitOptions;
  /** On a terminal: a callback that shows a long step's byte progress. */
  progress?: (project: string, label: string) => (done: number, total: number) => void;
  /** The environment's bucket keeps each function's code zips and the deploy history (for rollbacks). */
  artifacts?: { bucket: string; history: HistoryStore; runId?: string };
  /** A stepped rollout policy: publish versions, leave existing aliases for the run's rollout to move. */
  holdAliases?: boolean;
  /** Promotions: copies a zip from the source environment's bucket into this one's. */
  copyArtifact?: (action: CopyArtifact) => Promise<void>;
  /** Promotions: throws when the code Lambda now runs (`state.codeSha256`) is not the source's. */
  verifyCode?: (project: string, action: CreateFunction | UpdateCode, state: FunctionState) => void;
}

export interface LayerApplyResult {
  arn: string;
  version: number;
}

/** Layer versions published in this run, by layer project: fills the `pending` slots of function plans. */
export type PublishedLayers = Map<string, LayerApplyResult>;

/** Applies a layer plan; returns the version published, or undefined when the plan reused one. */
export async function applyLayerPlan(plan: ProjectPlan, deps: ApplyDeps): Promise<LayerApplyResult | undefined> {
  let published: LayerApplyResult | undefined;
  for (const action of plan.actions) {
    if (action.kind === 'copy-artifact') {
      await applyCopy(plan.project, action, deps);
    } else if (action.kind === 'upload-artifact') {
      await deps.log.step(plan.project, action.kind, async () => {
        await deps.beforeUpload?.(action.bucket);
        await deps.store.upload(action.bucket, action.key, action.file, deps.progress?.(plan.project, 'uploading'));
      }, () => ({ outcome: 'done', message: `uploaded s3://${action.bucket}/${action.key} (${megabytes(action.size)})` }));
    } else if (action.kind === 'publish-layer') {
      published = await deps.log.step(
        plan.project,
        action.kind,
        () => publishOnce(action, deps, () => codeSource(action.content)),
        (result) => ({ outcome: 'done', message: publishMessage(result), details: { arn: result.arn, version: result.version, ...(result.reusedFrom ? { reusedFrom: result.reusedFrom } : {}) } }),
      );
    } else if (action.kind === 'delete-layer-duplicates') {
      await deps.log.step(plan.project, action.kind, () => deleteDuplicates(deps.lambda, action.layerName, action), ({ oldest, deleted }) =>
        deleted.length > 0 ? { outcome: 'done', message: `deleted ${versionList(deleted)}, ${deleted.length === 1 ? 'a duplicate' : 'duplicates'} of version ${oldest!.version}` } : { outcome: 'unchanged', message: 'no duplicate left to delete: deleted meanwhile by another deploy' },
      );
    } else {
      deps.log.emit(passiveEvent(plan.project, action));
    }
  }
  return published && { arn: published.arn, version: published.version };
}

/**
 * Applies one function's plan in order. Lambda takes one update at a time per function, so each
 * write is followed by a wait for `LastUpdateStatus` before the next one.
 */
export async function applyFunctionPlan(plan: ProjectPlan, deps: ApplyDeps, published: PublishedLayers, kind: HistoryRecord['kind'] = 'deploy'): Promise<FunctionState | undefined> {
  let state: FunctionState | undefined;
  try {
    state = await applyFunctionActions(plan, deps, published);
    return state;
  } finally {
    // Also after a partial failure: whatever did change is in the history, so it can be rolled back.
    if (deps.artifacts) {
      const after = state ?? (plan.actions.some(isWrite) ? await deps.lambda.getFunction(plan.awsName).catch(() => undefined) : undefined);
      if (after) await recordHistory(plan, after, deps, kind);
    }
  }
}

async function applyFunctionActions(plan: ProjectPlan, deps: ApplyDeps, published: PublishedLayers): Promise<FunctionState | undefined> {
  let state: FunctionState | undefined;
  for (const action of plan.actions) {
    switch (action.kind) {
      case 'copy-artifact':
        await applyCopy(plan.project, action, deps);
        break;
      case 'create-function':
        state = await deps.log.step(plan.project, action.kind, async () => {
          const created = await deps.lambda.createFunction({
            name: action.functionName,
            role: action.settings.role ?? (await requireRole(deps, action.functionName)),
            code: await functionCode(plan.project, action, deps),
            architecture: action.architecture,
            settings: { ...action.settings, environment: await revealEnvironment(plan.project, action.settings.environment, deps) },
            layers: resolveSlots(action.layers, published, plan.project),
            tags: action.tags,
          });
          return verified(plan.project, action, await waitForUpdate(deps.lambda, action.functionName, created, deps.wait), deps);
        }, () => ({ outcome: 'done', message: `created ${action.functionName} with layers ${describeLayerChanges(resolveChanges(action.layerChanges, published)) || '(none)'}` }));
        break;
      case 'update-code':
        state = await deps.log.step(plan.project, action.kind, async () => {
          const updated = await deps.lambda.updateFunctionCode(action.functionName, await functionCode(plan.project, action, deps), action.architecture);
          return verified(plan.project, action, await waitForUpdate(deps.lambda, action.functionName, updated, deps.wait), deps);
        }, () => ({ outcome: 'done', message: `code updated (${action.reason})` }));
        break;
      case 'update-config':
      case 'update-layers':
        state = await deps.log.step(plan.project, action.kind, async () => {
          const layers = action.layers && resolveSlots(action.layers, published, plan.project);
          const environment = await revealEnvironment(plan.project, action.settings.environment, deps);
          const updated = await deps.lambda.updateFunctionConfiguration(action.functionName, { ...action.settings, environment, layers });
          return waitForUpdate(deps.lambda, action.functionName, updated, deps.wait);
        }, () => ({ outcome: 'done', message: configMessage(action.reason, action.layerChanges, published) }));
        break;
      case 'tag-function':
        await deps.log.step(plan.project, action.kind, async () => {
          if (Object.keys(action.set).length > 0) await deps.lambda.tagFunction(action.functionArn, action.set);
          if (action.remove.length > 0) await deps.lambda.untagFunction(action.functionArn, action.remove);
        }, () => ({ outcome: 'done', message: action.reason }));
        break;
      case 'put-concurrency':
        await deps.log.step(plan.project, action.kind, () => deps.lambda.putReservedConcurrency(action.functionName, action.reservedConcurrency), () => ({ outcome: 'done', message: action.reason }));
        break;
      case 'publish-version':
        if (deps.holdAliases && action.aliasExists) {
          await publishHeldVersion(plan.project, action, deps);
          break;
        }
        await deps.log.step(plan.project, action.kind, async () => {
          const version = await deps.lambda.publishVersion(action.functionName);
          await deps.lambda.pointAlias(action.functionName, action.alias, version.version!, action.aliasExists);
          return version;
        }, (version) => ({ outcome: 'done', message: `alias ${action.alias} -> version ${version.version}`, details: { version: version.version } }));
        break;
      default:
        deps.log.emit(passiveEvent(plan.project, action));
    }
  }
  return state;
}

function verified(project: string, action: CreateFunction | UpdateCode, state: FunctionState, deps: ApplyDeps): FunctionState {
  deps.verifyCode?.(project, action, state);
  return state;
}

async function applyCopy(project: string, action: CopyArtifact, deps: ApplyDeps): Promise<void> {
  if (!deps.copyArtifact) throw new DeployError('COPY_UNSUPPORTED', `${project}: a copy-artifact action outside a promotion`, 'report this: only promote plans copy artifacts');
  await deps.log.step(project, action.kind, async () => {
    await deps.beforeUpload?.(action.bucket);
    await deps.copyArtifact!(action);
  }, () => ({ outcome: 'done', message: `copied s3://${action.from.bucket}/${action.from.key} (${action.from.environment}) to s3://${action.bucket}/${action.key}` }));
}

/** With an artifact bucket, code goes through it (kept by hash, so a rollback can restore it); else inline. */
async function functionCode(project: string, action: CreateFunction | UpdateCode, deps: ApplyDeps): Promise<CodeSource> {
  if (!deps.artifacts || !action.codeSha256 || !('file' in action.code)) return codeSource(action.code);
  const { bucket } = deps.artifacts;
  const key = codeArtifactKey(project, action.codeSha256);
  if (!(await deps.store.exists(bucket, key))) {
    await deps.beforeUpload?.(bucket);
    await deps.store.upload(bucket, key, action.code.file, deps.progress?.(project, 'uploading'));
  }
  return { s3Bucket: bucket, s3Key: key };
}

async function recordHistory(plan: ProjectPlan, after: FunctionState, deps: ApplyDeps, kind: HistoryRecord['kind']): Promise<void> {
  const snapshot = snapshotOf(after);
  if (plan.before && sameSnapshot(plan.before, snapshot)) return;
  const at = new Date();
  // A promotion whose code is not the source's (a failed verifyCode) records no provenance: it did not ship that content.
  const provenance = plan.provenance && contentHashOf(after.codeSha256) === plan.provenance.contentHash ? { provenance: plan.provenance } : {};
  const record: HistoryRecord = { id: historyRecordId(at, deps.artifacts!.runId), at: at.toISOString(), kind, project: plan.project, functionName: plan.awsName, runId: deps.artifacts!.runId, before: plan.before, after: snapshot, ...provenance };
  try {
    await deps.beforeUpload?.(deps.artifacts!.bucket);
    await deps.artifacts!.history.append(record);
  } catch (error) {
    // The deploy itself succeeded: say the history is incomplete rather than fail it.
    deps.log.emit({ project: plan.project, step: 'history', outcome: 'warning', message: `deploy history not recorded (${(error as Error).message}): a rollback to this state will not be offered` });
  }
}

function publishMessage(result: PublishResult): string {
  const others = result.alsoDeleted ? `; also deleted ${versionList(result.alsoDeleted)}, ${result.alsoDeleted.length === 1 ? 'another copy' : 'other copies'} of the same content` : '';
  if (result.reusedFrom === 'concurrent-deploy') return `version ${result.version} was published meanwhile by another deploy: reused (${result.arn})`;
  if (result.reusedFrom === 'duplicate') return `published a duplicate of version ${result.version}, deleted it: reused ${result.arn}${others}`;
  return `published version ${result.version} (${result.arn})${others}`;
}

function configMessage(reason: string, changes: Parameters<typeof resolveChanges>[0], published: PublishedLayers): string {
  const layerText = describeLayerChanges(resolveChanges(changes, published));
  // The plan said "(new version)"; now the number is known, so say it.
  return reason.replace(/layers .*$/, `layers ${layerText}`);
}

function resolveChanges(changes: { layer: string; from?: number; to: number | 'new' | 'removed' }[], published: PublishedLayers) {
  return changes.map((change) => (change.to === 'new' && published.has(change.layer) ? { ...change, to: published.get(change.layer)!.version } : change));
}

function resolveSlots(slots: LayerSlot[], published: PublishedLayers, project: string): string[] {
  return slots.map((slot) => {
    if (typeof slot === 'string') return slot;
    const layer = published.get(slot.pending);
    if (!layer) throw new DeployError('LAYER_NOT_PUBLISHED', `${project}: layer ${slot.pending} was to be published in this run but was not`, `run \`nx run ${slot.pending}:deploy\` for this environment, then rerun`);
    return layer.arn;
  });
}

async function requireRole(deps: ApplyDeps, functionName: string): Promise<string> {
  if (!deps.functionRole) throw new DeployError('ROLE_MISSING', `${functionName}: cannot be created without an execution role`, 'set "functionRole" for this environment in nx.json');
  return deps.functionRole();
}

async function codeSource(ref: ArtifactRef): Promise<CodeSource> {
  return 'file' in ref ? { zipFile: await readFile(ref.file) } : ref;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MB`;
}
