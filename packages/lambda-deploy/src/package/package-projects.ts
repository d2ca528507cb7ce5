import { join } from 'node:path';
import { buildLayerTree } from '../artifact/build-layer';
import { checkLayerLimits } from '../artifact/limits';
import { packageTree } from '../artifact/package-tree';
import type { ZipManifest } from '../artifact/zip-deterministic';
import { artifactPaths, manifestPathOf, zipPathOf } from '../config/artifact-paths';
import type { FunctionConfig } from '../config/function-config';
import type { LayerConfig } from '../config/layer-config';
import { pythonVersionOf } from '../config/runtimes';

export type Log = (line: string) => void;

/** Assembles `python/...` for a layer under dist/: sources copied, requirements pip-installed for Lambda's platform. */
export async function buildLayer(root: string, config: LayerConfig, log: Log, options: { showProgress?: boolean } = {}): Promise<{ files: number; outDir: string }> {
  const outDir = join(root, artifactPaths.layerBuildDir(config.project));
  const result = await buildLayerTree({
    layerRoot: join(root, config.root),
    sourcesDir: config.sources ? join(root, config.root, config.sources) : undefined,
    requirementsFile: config.requirements ? join(root, config.root, config.requirements) : undefined,
    requirementsLabel: config.requirements ? `${config.root}/${config.requirements}` : undefined,
    excludes: config.excludes,
    // Wheels are picked for the oldest declared runtime: the layer must import on every runtime it lists.
    pythonVersion: pythonVersionOf([...config.runtimes].sort()[0]),
    architecture: config.architectures[0],
    outDir,
    label: config.file,
    log,
    showProgress: options.showProgress,
  });
  return { files: result.files, outDir };
}

/** Zips a layer's built tree deterministically and refuses it here, before any deploy, when over Lambda's limits. */
export async function packageLayer(root: string, config: LayerConfig): Promise<ZipManifest> {
  const manifest = await packageTree({
    treeDir: join(root, artifactPaths.layerBuildDir(config.project)),
    outZip: zipPathOf(root, 'layer', config.project),
    manifestFile: manifestPathOf(root, 'layer', config.project),
    label: config.project,
    check: (tree) => checkLayerLimits(tree, config.file),
  });
  return manifest;
}

/** Zips a function's source folder (function.json and tests left out) deterministically. */
export async function packageFunction(root: string, config: FunctionConfig): Promise<ZipManifest> {
  return packageTree({
    treeDir: join(root, config.root, config.source),
    outZip: zipPathOf(root, 'function', config.project),
    manifestFile: manifestPathOf(root, 'function', config.project),
    label: config.file,
    excludes: ['function.json', ...config.excludes],
  });
}

export function describePackage(manifest: { sha256: string; size: number; files: number }): string {
  return `package sha256:${manifest.sha256.slice(0, 12)}.. ${(manifest.size / 1048576).toFixed(1)} MB, ${manifest.files} files`;
}
