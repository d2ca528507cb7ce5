/** `arn:aws:lambda:<region>:<account>:layer:<name>:<version>` -> name and version; undefined for anything else. */
export function parseLayerArn(arn: string): { layerName: string; version: number } | undefined {
  const match = /^arn:aws[a-z-]*:lambda:[^:]*:[^:]*:layer:([^:]+):(\d+)$/.exec(arn);
  return match ? { layerName: match[1], version: Number(match[2]) } : undefined;
}
