import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { artifactPaths } from '../config/artifact-paths';

/** One layer version as other stacks consume it: the exact ARN, never a "latest" lookup. */
export interface ExportedLayerVersion {
  arn: string;
  version: number;
  semver: string;
  sha256: string;
}

/** dist/deploy/<env>/layers.json: `layers.<layer>.<region>`, every layer and region deployed so far. */
export interface LayerIndex {
  environment: string;
  layers: Record<string, Record<string, ExportedLayerVersion>>;
}

export function layerIndexPath(root: string, environment: string): string {
  return join(root, artifactPaths.deployDir(environment), 'layers.json');
}

/** Where each layer task records its region's version: one file per layer and region, so tasks never write the same file. */
export function layerRecordDir(root: string, environment: string): string {
  return join(root, artifactPaths.deployDir(environment), 'layers');
}

/** The index as the per-layer, per-region records make it now. */
export function readLayerRecords(root: string, environment: string): LayerIndex {
  const dir = layerRecordDir(root, environment);
  const layers: LayerIndex['layers'] = {};
  for (const layer of listDir(dir).sort()) {
    for (const file of listDir(join(dir, layer)).filter((name) => name.endsWith('.json')).sort()) {
      try {
        const { arn, version, semver, sha256 } = JSON.parse(readFileSync(join(dir, layer, file), 'utf8')) as ExportedLayerVersion;
        (layers[layer] ??= {})[file.slice(0, -'.json'.length)] = { arn, version, semver, sha256 };
      } catch {
        // Half-written files are never seen (records are renamed into place); anything else unreadable is not ours.
      }
    }
  }
  return { environment, layers };
}

/**
 * Rewrites layers.json from the records. Lock-free: several layer tasks (and several processes) may
 * rebuild it at once, each renaming a complete file into place; a writer whose file may have missed a
 * record written meanwhile sees it on the re-read after its rename and writes again, so the last
 * rename always holds every record.
 */
export function writeLayerIndex(root: string, environment: string): LayerIndex {
  const path = layerIndexPath(root, environment);
  mkdirSync(join(path, '..'), { recursive: true });
  for (;;) {
    const index = readLayerRecords(root, environment);
    const text = `${JSON.stringify(index, null, 2)}\n`;
    const temp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(temp, text);
    renameSync(temp, path);
    if (JSON.stringify(readLayerRecords(root, environment)) === JSON.stringify(index)) return index;
  }
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
