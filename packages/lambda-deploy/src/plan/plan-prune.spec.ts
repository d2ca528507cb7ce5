import { describe, expect, it } from 'vitest';
import { formatLayerDescription } from './layer-description';
import { describePruneDecision, planPrune, type PruneInput } from './plan-prune';

const sha = (n: number) => n.toString(16).padStart(2, '0').repeat(32);
const arn = (version: number, layer = 'vi-core-dev') => `arn:aws:lambda:eu-west-1:123456789012:layer:${layer}:${version}`;
/** Versions 1..n, version k holding content k at semver 1.0.k. */
const versions = (n: number) => Array.from({ length: n }, (_, i) => ({ version: i + 1, arn: arn(i + 1), description: formatLayerDescription('core', `1.0.${i + 1}`, sha(i + 1)) }));
const input = (over: Partial<PruneInput> = {}): PruneInput => ({ layerName: 'vi-core-dev', versions: versions(6), uses: [], keep: 3, current: { semver: '1.0.6', sha256: sha(6) }, ...over });
const lines = (over: Partial<PruneInput> = {}) => planPrune(input(over)).map(describePruneDecision);

describe('planPrune', () => {
  it('keeps the N newest and deletes the unused older ones, newest first', () => {
    expect(lines()).toEqual([
      'keep v6 (what the repo describes: 1.0.6; one of the 3 newest)',
      'keep v5 (one of the 3 newest)',
      'keep v4 (one of the 3 newest)',
      'delete v3 (unused, older than the 3 newest)',
      'delete v2 (unused, older than the 3 newest)',
      'delete v1 (unused, older than the 3 newest)',
    ]);
  });

  it('never deletes a version in use, naming every user, whoever they are', () => {
    const decisions = planPrune(input({ uses: [{ arn: arn(2), by: 'ingest' }, { arn: arn(2), by: 'billing-prod (not in this repo)' }, { arn: arn(2), by: 'ingest' }, { arn: arn(1, 'other-layer'), by: 'x' }] }));
    expect(decisions.map(describePruneDecision).slice(3)).toEqual(['delete v3 (unused, older than the 3 newest)', 'keep v2 (in use by billing-prod (not in this repo), ingest)', 'delete v1 (unused, older than the 3 newest)']);
    expect(decisions[4].usedBy).toEqual(['billing-prod (not in this repo)', 'ingest']);
  });

  it('matches uses by layer name and version, whatever the rest of the ARN says', () => {
    const uses = [{ arn: 'arn:aws:lambda:eu-west-1:999999999999:layer:vi-core-dev:1', by: 'fn' }];
    expect(lines({ uses }).at(-1)).toBe('keep v1 (in use by fn)');
  });

  it('never deletes the version the repo describes, even an old one (a rollback of VERSION and content)', () => {
    expect(lines({ current: { semver: '1.0.2', sha256: sha(2) } })[4]).toBe('keep v2 (what the repo describes: 1.0.2)');
  });

  it('protects the oldest of duplicate versions of the repo content, the one deploys attach', () => {
    const dup = [...versions(4), { version: 5, arn: arn(5), description: versions(4)[0].description }];
    const decisions = planPrune(input({ versions: dup, keep: 1, current: { semver: '1.0.1', sha256: sha(1) } }));
    expect(decisions.map(describePruneDecision)).toEqual([
      'keep v5 (the newest)',
      'delete v4 (unused, older than the newest)',
      'delete v3 (unused, older than the newest)',
      'delete v2 (unused, older than the newest)',
      'keep v1 (what the repo describes: 1.0.1)',
    ]);
  });

  it('keeps everything when there are no more versions than --keep, and handles none', () => {
    expect(planPrune(input({ versions: versions(2) })).every((d) => d.action === 'keep')).toBe(true);
    expect(planPrune(input({ versions: [] }))).toEqual([]);
  });

  it('shortens a long list of users', () => {
    const uses = ['a', 'b', 'c', 'd', 'e'].map((by) => ({ arn: arn(1), by }));
    expect(lines({ uses }).at(-1)).toBe('keep v1 (in use by a, b, c and 2 more)');
  });

  it('refuses --keep below 1 or not a whole number, naming the option and the fix', () => {
    for (const keep of [0, -1, 1.5, Number.NaN]) {
      expect(() => planPrune(input({ keep }))).toThrow('prune: --keep must be a whole number of at least 1');
    }
    try {
      planPrune(input({ keep: 0 }));
    } catch (error) {
      expect((error as { code: string; hint: string }).code).toBe('INVALID_OPTION');
      expect((error as { hint: string }).hint).toContain('--keep=3');
    }
  });
});
