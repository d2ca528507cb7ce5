import { describe, expect, it } from 'vitest';
import { checkFunctionLimits, checkLayerLimits, needsS3Upload } from './limits';

describe('Lambda limits', () => {
  it('refuses a layer over 250 MB unzipped, naming its size', () => {
    expect(() => checkLayerLimits({ unzippedSize: 262_144_001 }, 'layers/big/layer.json')).toThrow("layers/big/layer.json: the layer is 250.0 MB unzipped, over Lambda's 250.0 MB limit");
    expect(() => checkLayerLimits({ unzippedSize: 262_144_000 }, 'x')).not.toThrow();
  });
  it('counts a function and all its layers together against the 250 MB, naming each part', () => {
    const mb = 1024 * 1024;
    expect(() => checkFunctionLimits('lambdas/ingest-v2/function.json', 10 * mb, [{ project: 'vectora-core', unzippedSize: 120 * mb }, { project: 'common-deps', unzippedSize: 121 * mb }])).toThrow(
      "lambdas/ingest-v2/function.json: code 10.0 MB + vectora-core 120.0 MB + common-deps 121.0 MB = 251.0 MB unzipped, over Lambda's 250.0 MB for a function and its layers",
    );
    expect(() => checkFunctionLimits('f', 10 * mb, [{ project: 'a', unzippedSize: 240 * mb }])).not.toThrow();
    // update-layers does not read the code: the layers alone still count.
    expect(() => checkFunctionLimits('f', undefined, [{ project: 'a', unzippedSize: 251 * mb }])).toThrow(/a 251\.0 MB = 251\.0 MB/);
  });

  it('sends zips over 50 MB through S3', () => {
    expect(needsS3Upload({ size: 52_428_801 })).toBe(true);
    expect(needsS3Upload({ size: 52_428_800 })).toBe(false);
  });
});
