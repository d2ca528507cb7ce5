import type { FunctionState } from '../aws/lambda-port';
import { DeployError } from '../errors';
import { snapshotOf, type FunctionSnapshot, type HistoryRecord } from '../history/history-record';
import { parseLayerArn } from './layer-arn';
import { describeLayerChanges } from './merge-layers';
import type { Action, LayerChange, ProjectPlan } from './types';

export interface RollbackTarget {
  snapshot: FunctionSnapshot;
  /** What the user is told the function goes back to. */
  description: string;
}

/**
 * Which history entry a rollback reads: by default the latest (to undo it), with `to` that one. Only
 * ids are needed to choose, so a long history costs one listing, not a read per entry. Pure.
 */
export function rollbackEntry(ids: string[], functionName: string, to: string | undefined): string {
  if (ids.length === 0) {
    throw new DeployError('NO_HISTORY', `${functionName}: no deploy history in this environment`, 'rollbacks restore states recorded by deploys of this tool to an environment with an artifactBucket; deploy once first');
  }
  if (to && !ids.includes(to)) throw new DeployError('ROLLBACK_TARGET_UNKNOWN', `${functionName}: no history entry "${to}"`, `use one of the latest: ${latestIds(ids)}`);
  return to ?? ids[ids.length - 1];
}

/** The state a rollback restores from that entry: right after it with `to`, else right before it (undo). */
export function rollbackTarget(record: HistoryRecord, ids: string[], to: string | undefined): RollbackTarget {
  if (to) return { snapshot: record.after, description: `the state after ${record.kind} ${record.id}` };
  if (!record.before) {
    throw new DeployError('ROLLBACK_TARGET_UNKNOWN', `${record.functionName}: the latest entry (${record.id}) created the function: there is no earlier state`, `pass --to=<entry> to go to a later state, one of: ${latestIds(ids)}`);
  }
  return { snapshot: record.before, description: `the state before ${record.kind} ${record.id}` };
}

function latestIds(ids: string[]): string {
  return ids.slice(-10).reverse().join(', ');
}

/**
 * The actions that put `current` back to `target`: code from the copy kept in the bucket (when the
 * tool deployed that code, it is there; otherwise a warning and the code is left), layers as recorded.
 */
export function planRollback(project: string, current: FunctionState, target: RollbackTarget, code: { bucket: string; key: string; available: boolean }): ProjectPlan {
  const plan: ProjectPlan = { project, kind: 'function', awsName: current.name, actions: [], before: snapshotOf(current) };
  const actions: Action[] = [];
  if (current.codeSha256 !== target.snapshot.codeSha256) {
    if (code.available) {
      actions.push({ kind: 'update-code', project, reason: `code ${current.codeSha256.slice(0, 10)}.. -> ${target.snapshot.codeSha256.slice(0, 10)}.. (${target.description})`, functionName: current.name, code: { s3Bucket: code.bucket, s3Key: code.key }, codeSha256: target.snapshot.codeSha256, architecture: current.architecture });
    } else {
      actions.push({ kind: 'warn', project, reason: `code ${target.snapshot.codeSha256.slice(0, 10)}.. is not in s3://${code.bucket}/${code.key} (not deployed by this tool): code left as it is` });
    }
  }
  const changes = layerChanges(current.layers, target.snapshot.layers);
  if (current.layers.join() !== target.snapshot.layers.join()) {
    actions.push({ kind: 'update-layers', project, reason: `layers ${describeLayerChanges(changes)}`, functionName: current.name, settings: {}, layers: target.snapshot.layers, layerChanges: changes });
  }
  plan.actions.push(...(actions.length > 0 ? actions : [{ kind: 'skip' as const, project, reason: `already at ${target.description}` }]));
  return plan;
}

function layerChanges(from: string[], to: string[]): LayerChange[] {
  const parse = (arns: string[]) => new Map(arns.map((arn) => [parseLayerArn(arn)?.layerName ?? arn, parseLayerArn(arn)?.version]));
  const before = parse(from);
  const after = parse(to);
  const changes: LayerChange[] = [...after].map(([layer, version]) => ({ layer, from: before.get(layer), to: version ?? 'new' }));
  for (const [layer, version] of before) if (!after.has(layer)) changes.push({ layer, from: version, to: 'removed' });
  return changes;
}
