import { DeployError } from '../errors';
import { parseLayerArn } from './layer-arn';
import { findMatchingVersion } from './layer-description';

/** A layer version attached to a function: the version's ARN and who uses it (a name to print). */
export interface LayerUse {
  arn: string;
  by: string;
}

export interface PruneInput {
  layerName: string;
  versions: { version: number; arn: string; description: string }[];
  /** Every layer ARN attached to any function of the account and region, this layer's or not. */
  uses: LayerUse[];
  /** How many of the newest versions to keep whatever else holds. */
  keep: number;
  /** What the repo describes now: the version holding it is never deleted. */
  current: { semver: string; sha256: string };
}

export interface PruneDecision {
  version: number;
  arn: string;
  action: 'keep' | 'delete';
  /** Why, as printed: `in use by fn-a`, `unused, older than the 3 newest`... */
  reason: string;
  usedBy: string[];
}

export const DEFAULT_KEEP = 3;

/**
 * Decides, for each published version of one layer, whether prune keeps or deletes it. A version is
 * kept when any function uses it, when it is the one the repo describes (a deploy would attach it),
 * or when it is among the `keep` newest (a rollback needs something to go back to); everything else
 * is deleted. Uses are matched by layer name and version, not by the whole ARN, so an ARN spelled
 * differently can only make prune keep more, never delete something in use.
 */
export function planPrune(input: PruneInput): PruneDecision[] {
  checkKeep(input.keep);
  const usedBy = new Map<number, string[]>();
  for (const use of input.uses) {
    const parsed = parseLayerArn(use.arn);
    if (parsed?.layerName !== input.layerName) continue;
    const users = usedBy.get(parsed.version) ?? [];
    if (!users.includes(use.by)) users.push(use.by);
    usedBy.set(parsed.version, users);
  }
  const current = findMatchingVersion(input.versions, input.current.semver, input.current.sha256)?.version;
  const newestFirst = [...input.versions].sort((a, b) => b.version - a.version);
  return newestFirst.map((v, index) => {
    const users = (usedBy.get(v.version) ?? []).sort();
    const reasons: string[] = [];
    if (users.length) reasons.push(`in use by ${listNames(users)}`);
    if (v.version === current) reasons.push(`what the repo describes: ${input.current.semver}`);
    if (index < input.keep) reasons.push(input.keep === 1 ? 'the newest' : `one of the ${input.keep} newest`);
    if (reasons.length) return { version: v.version, arn: v.arn, action: 'keep', reason: reasons.join('; '), usedBy: users };
    return { version: v.version, arn: v.arn, action: 'delete', reason: input.keep === 1 ? 'unused, older than the newest' : `unused, older than the ${input.keep} newest`, usedBy: [] };
  });
}

/** `--keep` below 1 would let prune delete the only version a rollback (or the next deploy) can use. */
export function checkKeep(keep: unknown): asserts keep is number {
  if (typeof keep !== 'number' || !Number.isInteger(keep) || keep < 1) {
    throw new DeployError('INVALID_OPTION', `prune: --keep must be a whole number of at least 1, got ${JSON.stringify(keep)}`, `rerun with --keep=${DEFAULT_KEEP} (the default) or another number >= 1`);
  }
}

/** `v7 (in use by fn-a)`: the plan line of one decision. */
export function describePruneDecision(decision: PruneDecision): string {
  return `${decision.action} v${decision.version} (${decision.reason})`;
}

function listNames(names: string[]): string {
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}
