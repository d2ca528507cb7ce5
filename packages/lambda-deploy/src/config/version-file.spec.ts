import { describe, expect, it } from 'vitest';
import { DeployErrors } from '../errors';
import { checkVersionsMatchLayers, parseVersionFile } from './version-file';

describe('parseVersionFile', () => {
  it('reads name=semver lines, skipping comments and blank lines', () => {
    const versions = parseVersionFile('# layers\n\nvectora-core=1.4.2  # ours\ncommon-deps = 1.1.0-rc.1\n', 'VERSION');
    expect([...versions]).toEqual([
      ['vectora-core', { semver: '1.4.2', line: 3 }],
      ['common-deps', { semver: '1.1.0-rc.1', line: 4 }],
    ]);
  });

  it('names the line of a malformed entry', () => {
    expect(() => parseVersionFile('vectora-core=1.4.2\ncommon-deps 1.1.0\n', 'VERSION')).toThrow('VERSION:2: "common-deps 1.1.0" is not of the form layer-name=semver');
  });

  it('rejects a non-semver version and a duplicate, all in one error', () => {
    try {
      parseVersionFile('a=v1.0\nb=1.0.0\nb=1.0.1\n', 'VERSION');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DeployErrors);
      expect((error as DeployErrors).errors.map((e) => e.message)).toEqual(['VERSION:1: "v1.0" is not a semver version for a', 'VERSION:3: b is already set on line 2']);
    }
  });

  it('cross-checks layers and versions both ways', () => {
    const errors = checkVersionsMatchLayers(parseVersionFile('vectora-core=1.0.0\nold-layer=2.0.0\n', 'VERSION'), ['vectora-core', 'common-deps'], 'VERSION');
    expect(errors.map((e) => e.message)).toEqual(['VERSION: no version for layer common-deps', 'VERSION:2: old-layer is not a layer (no layers/old-layer/layer.json)']);
  });
});
