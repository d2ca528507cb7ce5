import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { buildLayerTree } from '../artifact/build-layer';
import { checkInstallStamp, writeInstallStamp, type InstallKey } from '../artifact/install-stamp';
import { checkLayerLimits } from '../artifact/limits';
import { packageTree } from '../artifact/package-tree';
import { pipInstallForLambda } from '../artifact/pip-install';
import type { ZipManifest } from '../artifact/zip-deterministic';
import { artifactPaths, manifestPathOf, zipPathOf } from '../config/artifact-paths';
import type { FunctionConfig } from '../config/function-config';
import type { LayerConfig } from '../config/layer-config';
import { pythonVersionOf } from '../config/runtimes';

export type Log = (line: string) => void;

/** What a layer's pip install depends on, or nothing for a layer without requirements. */
export function layerInstallKey(config: LayerConfig): InstallKey | undefined {
  if (!config.requirements) return undefined;
  // Wheels are picked for the oldest declared runtime: the layer must import on every runtime it lists.
  return { requirements: config.requirements, pythonVersion: pythonVersionOf([...config.runtimes].sort()[0]), architecture: config.architectures[0] };
}

/** pip-installs a layer's requirements for Lambda's platform into its own folder under dist/, apart from the sources. */
export async function installLayer(root: string, config: LayerConfig, log: Log, options: { showProgress?: boolean } = {}): Promise<{ outDir: string }> {
  const outDir = join(root, artifactPaths.layerInstallDir(config.project));
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const key = layerInstallKey(config);
  if (!key) {
    log('nothing to install: the layer has no "requirements"');
    return { outDir };
  }
  const requirementsFile = join(root, config.root, key.requirements);
  await pipInstallForLambda({ requirementsFile, targetDir: join(outDir, 'python'), pythonVersion: key.pythonVersion, architecture: key.architecture, log, label: `${config.root}/${key.requirements}`, showProgress: options.showProgress });
  writeInstallStamp(outDir, key, requirementsFile);
  return { outDir };
}

/** Assembles `python/...` for a layer under dist/: the installed requirements (see installLayer) plus the sources. */
export async function buildLayer(root: string, config: LayerConfig): Promise<{ files: number; outDir: string }> {
  const outDir = join(root, artifactPaths.layerBuildDir(config.project));
  const key = layerInstallKey(config);
  let installedDir: string | undefined;
  if (key) {
    const installDir = join(root, artifactPaths.layerInstallDir(config.project));
    checkInstallStamp(installDir, key, join(root, config.root, key.requirements), config);
    installedDir = join(installDir, 'python');
    // pip writes nothing for a requirements file without packages.
    if (!existsSync(installedDir)) installedDir = undefined;
  }
  const result = await buildLayerTree({
    sourcesDir: config.sources ? join(root, config.root, config.sources) : undefined,
    installedDir,
    excludes: config.excludes,
    outDir,
    label: config.file,
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
