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

/**
 * Lambda's 250 MB counts a function's code and all its layers together, so two layers that pass
 * alone can still make a function that cannot be updated. Checked before a function's first write.
 */
export function checkFunctionLimits(file: string, code: number | undefined, layers: { project: string; unzippedSize: number }[]): void {
  const total = (code ?? 0) + layers.reduce((sum, layer) => sum + layer.unzippedSize, 0);
  if (total <= MAX_UNZIPPED_BYTES) return;
  const parts = [...(code !== undefined ? [`code ${mb(code)}`] : []), ...layers.map((layer) => `${layer.project} ${mb(layer.unzippedSize)}`)];
  throw new DeployError(
    'FUNCTION_TOO_LARGE',
    `${file}: ${parts.join(' + ')} = ${mb(total)} unzipped, over Lambda's ${mb(MAX_UNZIPPED_BYTES)} for a function and its layers`,
    'trim the code or a layer ("excludes" for docs/tests/stubs), or declare fewer layers',
  );
}

export function needsS3Upload(manifest: { size: number }): boolean {
  return manifest.size > MAX_INLINE_ZIP_BYTES;
}
