import { awsNameOf } from '../config/naming';
import { dependentsOf } from '../config/workspace';
import { HistoryStore } from '../history/history-store';
import type { DeployContext } from '../deploy/deploy-context';
import type { DeployOutcome } from '../deploy/deploy-context';
import { desiredLayer } from '../deploy/desired-state';
import { shareLayerVersion } from '../deploy/share-layer-version';
import { checkKeep, describePruneDecision, planPrune, type LayerUse, type PruneDecision } from '../plan/plan-prune';
import { mapLimit } from '../util/map-limit';
import { formatBytes, layerUsesOf } from './layer-uses';

export interface PruneOutcome extends DeployOutcome {
  decisions: PruneDecision[];
  /** Versions deleted (or, in a dry-run, that would be), with their size when GetLayerVersion gave one. */
  deleted: { version: number; codeSize?: number }[];
  freedBytes: number;
}

/**
 * Deletes the old versions of one layer that nothing uses. Gathers the layer's versions, every
 * function of the account and region (all pages, published function versions included, whoever owns
 * them) and what a rollback of each dependent function would restore, plans with planPrune, prints one line per version, asks for approval where the environment
 * requires it, then deletes. Sizes come from one GetLayerVersion per version to delete, the only
 * call that returns them; kept versions cost nothing extra.
 *
 * A deploy racing a prune can only attach the version the repo describes (kept) or one published
 * after the scan (not in the list), so the scan-then-delete window cannot remove what it attaches.
 * Functions that already use a deleted version keep working; only new attachments of it would fail.
 */
export async function pruneLayer(ctx: DeployContext, project: string, options: { keep: number }): Promise<PruneOutcome> {
  const outcome = await pruneVersions(ctx, project, options);
  // Every version the tool keeps carries what layer.json shares, old ones included (Lambda keeps a
  // version's policy with it, and `share` may have changed since it was published).
  if (!ctx.dryRun) {
    const layerName = desiredLayer(ctx, project).layerName;
    for (const d of outcome.decisions.filter((d) => d.action === 'keep')) await shareLayerVersion(ctx, project, layerName, d.version);
  }
  return outcome;
}

async function pruneVersions(ctx: DeployContext, project: string, options: { keep: number }): Promise<PruneOutcome> {
  checkKeep(options.keep);
  const desired = desiredLayer(ctx, project);
  const lambda = ctx.session.lambda;
  const emit = (step: string, outcome: 'info' | 'planned' | 'done' | 'unchanged', message: string, details?: Record<string, unknown>) => ctx.log.emit({ project, step, outcome, message, details });

  const versions = await lambda.listLayerVersions(desired.layerName);
  if (versions.length <= options.keep) {
    // Nothing can go: skip the account-wide function scan.
    emit('prune', 'unchanged', `nothing to prune: ${desired.layerName} has ${versions.length} version(s), --keep is ${options.keep}`);
    return { plans: [], failures: [], decisions: versions.map((v) => ({ version: v.version, arn: v.arn, action: 'keep', reason: `one of the ${options.keep} newest`, usedBy: [] })), deleted: [], freedBytes: 0 };
  }

  const functions = await lambda.listFunctions({ allVersions: true });
  const repoFunctions = new Map([...ctx.workspace.functions.values()].map((fn) => [awsNameOf(fn, ctx.env), fn.project]));
  const uses = [...layerUsesOf(functions, repoFunctions), ...(await rollbackTargets(ctx, project))];
  const decisions = planPrune({ layerName: desired.layerName, versions, uses, keep: options.keep, current: { semver: desired.semver, sha256: desired.sha256 } });
  const toDelete = decisions.filter((d) => d.action === 'delete');
  // Undefined: deleted by someone else since the list, so nothing left to do for it.
  const sized = await mapLimit(toDelete, 4, async (d) => ({ decision: d, info: await lambda.getLayerVersion(desired.layerName, d.version) }));
  const gone = new Set(sized.filter((s) => !s.info).map((s) => s.decision.version));
  const sizeOf = new Map(sized.map((s) => [s.decision.version, s.info?.codeSize]));

  emit('prune', 'info', `${desired.layerName}: ${versions.length} version(s); keeping the ${options.keep} newest, the one the repo describes and any in use (${functions.length} function version(s) scanned)`);
  for (const d of decisions) {
    if (d.action === 'keep') emit('plan', 'info', describePruneDecision(d), { version: d.version, action: 'keep', usedBy: d.usedBy });
    else if (gone.has(d.version)) emit('plan', 'info', `skip v${d.version} (already deleted)`, { version: d.version, action: 'gone' });
    else emit('plan', 'planned', `${describePruneDecision(d)}${sizeSuffix(sizeOf.get(d.version))}`, { version: d.version, action: 'delete', codeSize: sizeOf.get(d.version) });
  }

  const deleting = toDelete.filter((d) => !gone.has(d.version));
  const deleted = deleting.map((d) => ({ version: d.version, codeSize: sizeOf.get(d.version) }));
  const freedBytes = deleted.reduce((sum, d) => sum + (d.codeSize ?? 0), 0);
  const outcome: PruneOutcome = { plans: [], failures: [], decisions, deleted, freedBytes };
  if (deleting.length === 0) {
    emit('prune', 'unchanged', `nothing to prune: all ${versions.length} version(s) kept`);
    return outcome;
  }
  const which = `${deleting.length} version(s) (${deleting.map((d) => `v${d.version}`).join(', ')})`;
  if (ctx.dryRun) {
    emit('prune', 'planned', `dry-run: would delete ${which}, freeing ${formatBytes(freedBytes)}; nothing deleted`, { deleted, freedBytes });
    return outcome;
  }
  await ctx.approve?.(deleting.length);
  for (const d of deleting) {
    await ctx.log.step(
      project,
      'delete-layer-version',
      () => lambda.deleteLayerVersion(desired.layerName, d.version),
      () => ({ outcome: 'done', message: `deleted v${d.version}${sizeSuffix(sizeOf.get(d.version))}`, details: { version: d.version, codeSize: sizeOf.get(d.version) } }),
    );
  }
  emit('prune', 'done', `deleted ${which}, freed ${formatBytes(freedBytes)}; kept ${versions.length - deleting.length - gone.size}`, { deleted, freedBytes });
  return outcome;
}

/**
 * The layers each dependent function had before its latest deploy: what `rollback` restores. Counted
 * as uses, so a prune right after a deploy does not delete the version a rollback would need.
 */
async function rollbackTargets(ctx: DeployContext, layer: string): Promise<LayerUse[]> {
  const bucket = ctx.env.artifactBucket;
  if (!bucket) return [];
  const history = new HistoryStore(ctx.session.store, bucket);
  const latest = await mapLimit(dependentsOf(ctx.workspace, layer), 8, async (fn) => ({ fn, record: await history.latest(awsNameOf(fn, ctx.env)) }));
  return latest.flatMap(({ fn, record }) => (record?.before?.layers ?? []).map((arn) => ({ arn, by: `${fn.project} (rollback target)` })));
}

function sizeSuffix(bytes: number | undefined): string {
  return bytes === undefined ? '' : `, ${formatBytes(bytes)}`;
}
