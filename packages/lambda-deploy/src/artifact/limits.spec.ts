import { describe, expect, it } from 'vitest';
import { checkLayerLimits, needsS3Upload } from './limits';

describe('Lambda limits', () => {
  it('refuses a layer over 250 MB unzipped, naming its size', () => {
    expect(() => checkLayerLimits({ unzippedSize: 262_144_001 }, 'layers/big/layer.json')).toThrow("layers/big/layer.json: the layer is 250.0 MB unzipped, over Lambda's 250.0 MB limit");
    expect(() => checkLayerLimits({ unzippedSize: 262_144_000 }, 'x')).not.toThrow();
  });
  it('sends zips over 50 MB through S3', () => {
    expect(needsS3Upload({ size: 52_428_801 })).toBe(true);
    expect(needsS3Upload({ size: 52_428_800 })).toBe(false);
  });
});
