import type { LambdaPort, LayerVersionInfo } from '../aws/lambda-port';
import { matchingVersions } from '../plan/layer-description';

export interface Deduplicated {
  /** The version kept: the oldest holding the content, which every reader picks. */
  oldest?: LayerVersionInfo;
  deleted: number[];
}

/**
 * Lists the layer's versions and deletes every one holding this content and semver but the oldest.
 * Safe while other deploys run: none of them uses a version other than the oldest, and a newer
 * version of the same content can appear, an older one cannot.
 */
export async function deleteDuplicates(lambda: LambdaPort, layerName: string, wanted: { semver: string; sha256: string }): Promise<Deduplicated> {
  const [oldest, ...duplicates] = matchingVersions(await lambda.listLayerVersions(layerName), wanted.semver, wanted.sha256);
  for (const duplicate of duplicates) await lambda.deleteLayerVersion(layerName, duplicate.version);
  return { oldest, deleted: duplicates.map((d) => d.version) };
}
