import type { CodeSource, LambdaPort, LayerVersionInfo } from '../aws/lambda-port';
import { findMatchingVersion, parseLayerDescription } from '../plan/layer-description';
import type { PublishLayer } from '../plan/types';
import type { ApplyDeps } from './apply-plan';
import { publishLockKey, withPublishLock } from './publish-lock';

export interface PublishResult extends LayerVersionInfo {
  /** Set when another deploy published the same content first and this run uses its version. */
  reusedFrom?: 'concurrent-deploy' | 'duplicate';
}

/**
 * Publishes a layer version at most once per content, whatever else runs: under the environment's
 * publish lock (when there is a bucket to hold it) the versions are listed again, since a concurrent
 * deploy may have published meanwhile; after the publish, a duplicate that slipped through (a retry
 * whose first answer was lost, a backend without conditional writes) is deleted in favour of the oldest.
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
  return withPublishLock(deps.store, bucket, action.layerName, publish, {
    onWait: (holder) => deps.log.emit({ project: action.project, step: 'publish-layer', outcome: 'info', message: `waiting for another deploy (${holder.host} pid ${holder.pid}) publishing ${action.layerName}` }),
    onBreak: (holder) => deps.log.emit({ project: action.project, step: 'publish-layer', outcome: 'info', message: `removed a stale publish lock left by ${holder.host} pid ${holder.pid}` }),
    onReleaseFailed: (error) => deps.log.emit({ project: action.project, step: 'publish-layer', outcome: 'warning', message: `could not remove the publish lock s3://${bucket}/${publishLockKey(action.layerName)} (${(error as Error).message}): it expires by itself within 5 minutes` }),
  });
}

async function keepOldest(lambda: LambdaPort, layerName: string, published: LayerVersionInfo, wanted: { semver: string; sha256: string }): Promise<PublishResult> {
  const oldest = findMatchingVersion(await lambda.listLayerVersions(layerName), wanted.semver, wanted.sha256);
  if (!oldest || oldest.version >= published.version) return published;
  await lambda.deleteLayerVersion(layerName, published.version);
  return { ...oldest, reusedFrom: 'duplicate' };
}
