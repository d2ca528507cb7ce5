import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { buildLayerTree } from '../artifact/build-layer';
import { compileLayerSources } from '../artifact/compile-layer-sources';
import { bundleFunction, type BundleLayer } from '../artifact/bundle-function';
import { checkInstallStamp, isNpmInstall, writeInstallStamp, type InstallKey, type PipInstallKey } from '../artifact/install-stamp';
import { layerPackageNames } from '../artifact/layer-packages';
import { npmInstallForLambda } from '../artifact/npm-install';
import { checkLayerLimits } from '../artifact/limits';
import { packageTree } from '../artifact/package-tree';
import { pipInstallForLambda } from '../artifact/pip-install';
import { pythonPackagesOfTree } from '../artifact/python-packages';
import type { ZipManifest } from '../artifact/zip-deterministic';
import { artifactPaths, manifestPathOf, zipPathOf } from '../config/artifact-paths';
import type { FunctionConfig } from '../config/function-config';
import { layerFamilyOf, type LayerConfig } from '../config/layer-config';
import { nodeMajorOf, pythonVersionOf, runtimeFamilyOf } from '../config/runtimes';
import { DeployError } from '../errors';

export type Log = (line: string) => void;

/** Folder of a function's install dir that pip writes to: kept apart from the stamp, which must not reach the zip. */
const FUNCTION_PACKAGES = 'packages';

/** What a layer's pip or npm install depends on, or nothing for a layer without requirements/dependencies. */
export function layerInstallKey(config: LayerConfig): InstallKey | undefined {
  // Installed for the oldest declared runtime: the layer must load on every runtime it lists.
  const oldest = [...config.runtimes].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))[0];
  if (config.dependencies) {
    const lockfile = config.dependencies.replace(/package\.json$/, 'package-lock.json');
    return { dependencies: config.dependencies, lockfile, nodeVersion: nodeMajorOf(oldest), architecture: config.architectures[0] };
  }
  if (!config.requirements) return undefined;
  return { requirements: config.requirements, pythonVersion: pythonVersionOf(oldest), architecture: config.architectures[0] };
}

/** pip-installs a layer's requirements for Lambda's platform into its own folder under dist/, apart from the sources. */
export async function installLayer(root: string, config: LayerConfig, log: Log, options: { showProgress?: boolean } = {}): Promise<{ outDir: string }> {
  const outDir = join(root, artifactPaths.layerInstallDir(config.project));
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const key = layerInstallKey(config);
  if (!key) {
    log(`nothing to install: the layer has no "${layerFamilyOf(config) === 'nodejs' ? 'dependencies' : 'requirements'}"`);
    return { outDir };
  }
  const layerDir = join(root, config.root);
  if (isNpmInstall(key)) {
    if (!existsSync(join(layerDir, key.lockfile))) {
      throw new DeployError('LOCKFILE_MISSING', `${config.file}: dependencies: ${config.root}/${key.lockfile} not found beside ${key.dependencies}`, `run \`npm install --package-lock-only\` in ${config.root} and commit the lockfile: the layer installs exactly what it pins`);
    }
    await npmInstallForLambda({ packageJson: join(layerDir, key.dependencies), lockfile: join(layerDir, key.lockfile), targetDir: join(outDir, 'nodejs'), architecture: key.architecture, log, label: `${config.root}/${key.dependencies}` });
  } else {
    await pipInstallForLambda({ requirementsFile: join(layerDir, key.requirements), targetDir: join(outDir, 'python'), pythonVersion: key.pythonVersion, architecture: key.architecture, log, label: `${config.root}/${key.requirements}`, showProgress: options.showProgress });
  }
  writeInstallStamp(outDir, key, layerDir);
  return { outDir };
}

/** What a Python function's own requirements install depends on: exactly the file, its runtime's Python and its architecture. */
export function functionInstallKey(config: FunctionConfig): PipInstallKey | undefined {
  if (!config.requirements) return undefined;
  return { requirements: config.requirements, pythonVersion: pythonVersionOf(config.runtime), architecture: config.architecture };
}

/** pip-installs a function's own requirements for Lambda's platform under dist/, apart from its source (see packageFunction). */
export async function installFunction(root: string, config: FunctionConfig, log: Log, options: { showProgress?: boolean } = {}): Promise<{ outDir: string }> {
  const outDir = join(root, artifactPaths.functionInstallDir(config.project));
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const key = functionInstallKey(config);
  if (!key) {
    log('nothing to install: the function has no "requirements"');
    return { outDir };
  }
  const functionDir = join(root, config.root);
  if (!existsSync(join(functionDir, key.requirements))) {
    throw new DeployError('REQUIREMENTS_MISSING', `${config.file}: requirements: ${config.root}/${key.requirements} not found`, 'create the file, or fix "requirements" (a path relative to the function folder)');
  }
  await pipInstallForLambda({ requirementsFile: join(functionDir, key.requirements), targetDir: join(outDir, FUNCTION_PACKAGES), pythonVersion: key.pythonVersion, architecture: key.architecture, log, label: `${config.root}/${key.requirements}`, showProgress: options.showProgress });
  writeInstallStamp(outDir, key, functionDir);
  return { outDir };
}

/** The package name a Node layer's sources folder declares in its package.json: its folder under nodejs/node_modules. */
function sourcesPackageName(root: string, config: LayerConfig, sourcesDir: string): string {
  const manifest = join(sourcesDir, 'package.json');
  let name: unknown;
  try {
    name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name;
  } catch (error) {
    throw new DeployError('LAYER_SOURCES_INVALID', `${config.file}: sources: ${relative(root, manifest)} cannot be read`, 'a Node layer\'s "sources" is a package folder: give it a package.json with a "name"', error);
  }
  if (typeof name !== 'string' || !/^(@[a-z0-9._~-]+\/)?[a-z0-9._~-]+$/.test(name)) {
    throw new DeployError('LAYER_SOURCES_INVALID', `${config.file}: sources: ${relative(root, manifest)} has no valid "name" (got ${JSON.stringify(name)})`, 'set "name" to the package name functions import, e.g. "@acme/core"');
  }
  return name;
}

/** Assembles a layer under dist/: `python/...` or `nodejs/node_modules/...`, the installed tree (see installLayer) plus the sources. */
export async function buildLayer(root: string, config: LayerConfig): Promise<{ files: number; outDir: string }> {
  const outDir = join(root, artifactPaths.layerBuildDir(config.project));
  const key = layerInstallKey(config);
  const top = layerFamilyOf(config) === 'nodejs' ? 'nodejs' : 'python';
  let installedDir: string | undefined;
  if (key) {
    const installDir = join(root, artifactPaths.layerInstallDir(config.project));
    checkInstallStamp(installDir, key, join(root, config.root), config);
    installedDir = join(installDir, top);
    // pip writes nothing for a requirements file without packages.
    if (!existsSync(installedDir)) installedDir = undefined;
  }
  const sourcesDir = config.sources ? join(root, config.root, config.sources) : undefined;
  const sourcesTarget = top === 'nodejs' && sourcesDir ? `nodejs/node_modules/${sourcesPackageName(root, config, sourcesDir)}` : top;
  const result = await buildLayerTree({
    sourcesDir,
    installedDir,
    excludes: config.excludes,
    outDir,
    label: config.file,
    installedTarget: top,
    sourcesTarget,
  });
  if (top === 'nodejs' && sourcesDir) await compileLayerSources(join(outDir, sourcesTarget), config.file);
  return { files: result.files, outDir };
}

/**
 * Zips a layer's built tree deterministically and refuses it here, before any deploy, when over
 * Lambda's limits. A Python layer's top-level packages are listed beside the manifest: the deploy of
 * each function stacking it checks them against its other layers without the built tree.
 */
export async function packageLayer(root: string, config: LayerConfig): Promise<ZipManifest> {
  const treeDir = join(root, artifactPaths.layerBuildDir(config.project));
  const manifest = await packageTree({
    treeDir,
    outZip: zipPathOf(root, 'layer', config.project),
    manifestFile: manifestPathOf(root, 'layer', config.project),
    label: config.project,
    check: (tree) => checkLayerLimits(tree, config.file),
  });
  if (layerFamilyOf(config) !== 'nodejs') {
    writeFileSync(join(root, artifactPaths.layerPackageDir(config.project), artifactPaths.pythonPackagesName), `${JSON.stringify(pythonPackagesOfTree(treeDir), null, 2)}\n`);
  }
  return manifest;
}

/**
 * Zips a function's code deterministically: a Python function's source folder (function.json and
 * tests left out) as it is, or over its installed requirements; a Node function's handler bundled by
 * esbuild, its layers' packages left out.
 */
export async function packageFunction(root: string, config: FunctionConfig): Promise<ZipManifest> {
  let treeDir = join(root, config.root, config.source);
  let excludes = ['function.json', ...config.excludes];
  if (runtimeFamilyOf(config.runtime) === 'nodejs') {
    treeDir = join(root, artifactPaths.functionBundleDir(config.project));
    excludes = [];
    await bundleFunction({ sourceDir: join(root, config.root, config.source), handler: config.handler, runtime: config.runtime, layers: builtNodeLayers(root, config), outDir: treeDir, file: config.file });
  } else if (config.requirements) {
    treeDir = await assembleWithRequirements(root, config, excludes);
    excludes = [];
  }
  return packageTree({
    treeDir,
    outZip: zipPathOf(root, 'function', config.project),
    manifestFile: manifestPathOf(root, 'function', config.project),
    label: config.file,
    excludes,
  });
}

/**
 * A Python function with requirements: its installed packages, then its source on top (a source file
 * wins over an installed one of the same path, as in a layer), the function's excludes applied to both.
 */
async function assembleWithRequirements(root: string, config: FunctionConfig, excludes: string[]): Promise<string> {
  const key = functionInstallKey(config)!;
  const installDir = join(root, artifactPaths.functionInstallDir(config.project));
  checkInstallStamp(installDir, key, join(root, config.root), config);
  const installedDir = join(installDir, FUNCTION_PACKAGES);
  const outDir = join(root, artifactPaths.functionBuildDir(config.project));
  await buildLayerTree({
    sourcesDir: join(root, config.root, config.source),
    // pip writes nothing for a requirements file without packages.
    installedDir: existsSync(installedDir) ? installedDir : undefined,
    excludes,
    outDir,
    label: config.file,
    installedTarget: '.',
    sourcesTarget: '.',
  });
  return outDir;
}

/** The function's layers as built under dist/ (their packages are what the bundle leaves out); a layer not built yet is an error, not a silent inline. */
function builtNodeLayers(root: string, config: FunctionConfig): BundleLayer[] {
  return config.layers.map((name) => {
    const buildDir = join(root, artifactPaths.layerBuildDir(name));
    if (!existsSync(buildDir)) {
      throw new DeployError('LAYER_NOT_BUILT', `${config.file}: layers: "${name}" is not built (no ${artifactPaths.layerBuildDir(name)}): its packages must be known to leave them out of the bundle`, `run \`nx run ${config.project}:package\` (it builds its layers first) or \`nx run ${name}:build\``);
    }
    const nodejsDir = join(buildDir, 'nodejs');
    return { name, nodejsDir, packages: layerPackageNames(join(nodejsDir, 'node_modules')) ?? [] };
  });
}

export function describePackage(manifest: { sha256: string; size: number; files: number }): string {
  return `package sha256:${manifest.sha256.slice(0, 12)}.. ${(manifest.size / 1048576).toFixed(1)} MB, ${manifest.files} files`;
}
