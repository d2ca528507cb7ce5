import { DeployError } from '../errors';

/** From AWS's Lambda quota page: unzipped function + layers, and the largest zip accepted inline. */
export const MAX_UNZIPPED_BYTES = 250 * 1024 * 1024;
export const MAX_INLINE_ZIP_BYTES = 50 * 1024 * 1024;

const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;

/** Refused at package time: a layer over 250 MB unzipped can never be attached to a function. */
export function checkLayerLimits(manifest: { unzippedSize: number }, label: string): void {
  if (manifest.unzippedSize > MAX_UNZIPPED_BYTES) {
    throw new DeployError(
      'LAYER_TOO_LARGE',
      `${label}: the layer is ${mb(manifest.unzippedSize)} unzipped, over Lambda's ${mb(MAX_UNZIPPED_BYTES)} limit`,
      'drop unneeded requirements, add "excludes" for docs/tests/stubs, or split the layer in two',
    );
  }
}

export function needsS3Upload(manifest: { size: number }): boolean {
  return manifest.size > MAX_INLINE_ZIP_BYTES;
}
