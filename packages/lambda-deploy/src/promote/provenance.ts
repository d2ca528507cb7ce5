import { formatLayerDescription } from '../plan/layer-description';
import type { Provenance } from '../history/history-record';

/** Lambda refuses a layer version Description over 256 characters. */
export const MAX_LAYER_DESCRIPTION = 256;

/**
 * A promoted layer version's Description: the usual `<project> <semver> sha256:<hex>` (so deploys,
 * status and prune read it like any other), then where it came from. Provenance is dropped, commit
 * first, rather than ever cutting the part that identifies the content.
 */
export function promotedLayerDescription(project: string, semver: string, sha256: string, provenance: Pick<Provenance, 'from' | 'commit'>): string {
  const base = formatLayerDescription(project, semver, sha256);
  const candidates = [`${base} from=${provenance.from}${provenance.commit ? ` commit=${provenance.commit.slice(0, 12)}` : ''}`, `${base} from=${provenance.from}`, base];
  return candidates.find((text) => text.length <= MAX_LAYER_DESCRIPTION) ?? base;
}

/** `from=<env>` in a layer version Description: the environment it was promoted from, if it was. */
export function promotedFrom(description: string): string | undefined {
  return /(?:^|\s)from=(\S+)/.exec(description)?.[1];
}

/** Lambda's CodeSha256 (base64) as the `sha256:<hex>` provenance records. */
export function contentHashOf(codeSha256Base64: string): string {
  return `sha256:${Buffer.from(codeSha256Base64, 'base64').toString('hex')}`;
}
