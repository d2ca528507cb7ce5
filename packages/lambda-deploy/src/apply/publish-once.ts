import type { CodeSource, LambdaPort, LayerVersionInfo } from '../aws/lambda-port';
import { findMatchingVersion, parseLayerDescription } from '../plan/layer-description';
import { deleteDuplicates } from './delete-duplicates';
import type { PublishLayer } from '../plan/types';
import type { ApplyDeps } from './apply-plan';
import { DEFAULT_LOCK_TTL_MS, publishLockKey, withPublishLock } from './publish-lock';

export interface PublishResult extends LayerVersionInfo {
  /** Set when another deploy published the same content first and this run uses its version. */
  reusedFrom?: 'concurrent-deploy' | 'duplicate';
  /** Other versions of the same content deleted after the publish (besides ours when it was the duplicate). */
  alsoDeleted?: number[];
}

/**
 * Publishes a layer version at most once per content, whatever else runs: under the environment's
 * publish lock (when there is a bucket to hold it) the versions are listed again, since a concurrent
 * deploy may have published meanwhile; after the publish, every duplicate that slipped through (a retry
 * whose earlier answers were lost, a backend without conditional writes) is deleted in favour of the oldest.
 */
export async function publishOnce(action: PublishLayer, deps: ApplyDeps, content: () => Promise<CodeSource>): Promise<PublishResult> {
  const wanted = parseLayerDescription(action.description)!;
  const publish = async (): Promise<PublishResult> => {
    const existing = findMatchingVersion(await deps.lambda.listLayerVersions(action.layerName), wanted.semver, wanted.sha256);
    if (existing) return { ...existing, reusedFrom: 'concurrent-deploy' };
    const published = await deps.lambda.publishLayerVersion({ layerName: action.layerName, description: action.description, content: await content(), runtimes: action.runtimes, architectures: action.architectures });
    return keepOldest(deps.lambda, action.layerName, published, wanted);
  };
  if (!('s3Bucket' in action.content)) return publish();
  const bucket = action.content.s3Bucket;
  const lock = `s3://${bucket}/${publishLockKey(action.layerName)}`;
  const info = (message: string, outcome: 'info' | 'warning' = 'info') => deps.log.emit({ project: action.project, step: 'publish-layer', outcome, message });
  return withPublishLock(deps.store, bucket, action.layerName, publish, {
    onWait: (holder) => info(`waiting for another deploy (${holder.host} pid ${holder.pid}) publishing ${action.layerName}`),
    onBreak: (holder, why, withoutCondition) =>
      info(`removed a stale publish lock ${holder ? `left by ${holder.host} pid ${holder.pid}` : 'that could not be read'} (${why})${withoutCondition ? `, by reading it back unchanged then deleting it (${refusedDelete(withoutCondition)})` : ''}`),
    onTakenWithoutCondition: (answer) => info(`took the publish lock ${lock} by reading, writing and reading it back: the store refused a conditional write (PutObject If-None-Match: ${answer})`),
    onReleased: (result) =>
      info(
        result.done
          ? `released the publish lock by reading it back (still ours) then deleting it (${refusedDelete(result.withoutCondition!)})`
          : `left the publish lock ${lock} in place: another deploy replaced it meanwhile (ours expired, or the store ignores conditional writes)`,
      ),
    onReleaseFailed: (error) => info(`could not remove the publish lock ${lock} (${(error as Error).message}): it expires by itself within ${DEFAULT_LOCK_TTL_MS / 60_000} minutes`, 'warning'),
  });
}

function refusedDelete(answer: string): string {
  return `the store refused a conditional delete, DeleteObject If-Match: ${answer}`;
}

/**
 * Leaves only the oldest version of the content. Not only ours: each attempt of the publish whose answer
 * was lost wrote a version too, so a publish retried twice leaves two besides the oldest.
 */
async function keepOldest(lambda: LambdaPort, layerName: string, published: LayerVersionInfo, wanted: { semver: string; sha256: string }): Promise<PublishResult> {
  const { oldest, deleted } = await deleteDuplicates(lambda, layerName, wanted);
  const others = deleted.filter((version) => version !== published.version);
  const alsoDeleted = others.length > 0 ? { alsoDeleted: others } : {};
  if (!oldest || oldest.version >= published.version) return { ...published, ...alsoDeleted };
  return { ...oldest, reusedFrom: 'duplicate', ...alsoDeleted };
}
