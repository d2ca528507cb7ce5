import type { LayerVersionInfo } from '../aws/lambda-port';

/**
 * A layer version records what it holds in its Description: `<project> <semver> sha256:<hex>`.
 * Layer versions are immutable, so this is how a rerun finds the version it already published.
 */
export function formatLayerDescription(project: string, semver: string, sha256: string): string {
  return `${project} ${semver} sha256:${sha256}`;
}

const DESCRIPTION = /(?:^|\s)(\S+) (\S+) sha256:([0-9a-f]{64})(?:\s|$)/;

export function parseLayerDescription(description: string): { project: string; semver: string; sha256: string } | undefined {
  const match = DESCRIPTION.exec(description);
  return match ? { project: match[1], semver: match[2], sha256: match[3] } : undefined;
}

/**
 * The oldest version holding exactly this content and semver. Duplicates can exist (an older tool's
 * crash, a publish retried after a lost response); every reader and the duplicate cleanup after a
 * publish pick the same one, the oldest, so concurrent deploys agree on it.
 */
export function findMatchingVersion(versions: LayerVersionInfo[], semver: string, sha256: string): LayerVersionInfo | undefined {
  return matchingVersions(versions, semver, sha256)[0];
}

/** Every version holding exactly this content and semver, oldest first: the first is the one in use, the rest duplicates. */
export function matchingVersions(versions: LayerVersionInfo[], semver: string, sha256: string): LayerVersionInfo[] {
  return versions
    .filter((v) => {
      const parsed = parseLayerDescription(v.description);
      return parsed?.semver === semver && parsed.sha256 === sha256;
    })
    .sort((a, b) => a.version - b.version);
}

/** `version 2` or `versions 2, 3`. */
export function versionList(versions: number[]): string {
  return `version${versions.length === 1 ? '' : 's'} ${versions.join(', ')}`;
}

export function shortSha(sha256: string): string {
  return `sha256:${sha256.slice(0, 12)}..`;
}
