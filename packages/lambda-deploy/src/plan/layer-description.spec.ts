import { describe, expect, it } from 'vitest';
import { findMatchingVersion, formatLayerDescription, parseLayerDescription } from './layer-description';

const sha = (c: string) => c.repeat(64);
const version = (n: number, description: string) => ({ arn: `arn:aws:lambda:us-east-1:1:layer:x:${n}`, version: n, description });

describe('layer descriptions', () => {
  it('round-trips project, semver and hash', () => {
    expect(parseLayerDescription(formatLayerDescription('vectora-core', '1.4.2', sha('a')))).toEqual({ project: 'vectora-core', semver: '1.4.2', sha256: sha('a') });
  });

  it('ignores descriptions written by other tools', () => {
    expect(parseLayerDescription('published by deploy.py v49')).toBeUndefined();
  });

  it('matches only a version with the same content and semver; of duplicates, the oldest', () => {
    const versions = [version(3, formatLayerDescription('c', '1.0.1', sha('a'))), version(2, formatLayerDescription('c', '1.0.0', sha('a'))), version(1, formatLayerDescription('c', '1.0.0', sha('b')))];
    expect(findMatchingVersion(versions, '1.0.0', sha('a'))?.version).toBe(2);
    expect(findMatchingVersion(versions, '1.0.2', sha('a'))).toBeUndefined();
    expect(findMatchingVersion([...versions, version(4, formatLayerDescription('c', '1.0.0', sha('a')))], '1.0.0', sha('a'))?.version).toBe(2);
  });
});
