import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeployError, DeployErrors, isDeployError, throwIfAny } from '../errors';
import { parseFunctionConfig, type FunctionConfig } from './function-config';
import { parseLayerConfig, type LayerConfig } from './layer-config';
import { readJsonFile } from './read-json-file';
import { checkVersionsMatchLayers, readVersionLines, type VersionEntry } from './version-file';

export const LAYERS_DIR = 'layers';
export const FUNCTIONS_DIR = 'lambdas';
export const VERSION_FILE = 'VERSION';

/** Everything the repo says about layers and functions, validated as a whole. */
export interface Workspace {
  root: string;
  layers: Map<string, LayerConfig>;
  functions: Map<string, FunctionConfig>;
  versions: Map<string, VersionEntry>;
}

/**
 * Reads and cross-checks VERSION, every layer.json and every function.json. Nothing is deployed
 * from a workspace that fails here, so every error is collected and thrown together.
 */
export function loadWorkspace(root: string): Workspace {
  const errors: DeployError[] = [];
  const collect = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch (error) {
      if (!isDeployError(error)) throw error;
      errors.push(...(error instanceof DeployErrors ? error.errors : [error]));
      return undefined;
    }
  };

  // Cross-checks use the folder names, so a layer whose layer.json is invalid is not reported again as unknown.
  const layerNames = projectFolders(root, LAYERS_DIR, 'layer.json');
  const layers = new Map<string, LayerConfig>();
  for (const project of layerNames) {
    const where = { project, root: `${LAYERS_DIR}/${project}`, file: `${LAYERS_DIR}/${project}/layer.json` };
    const config = collect(() => parseLayerConfig(readJsonFile(join(root, where.file), where.file), where));
    if (config) layers.set(project, config);
  }

  const functions = new Map<string, FunctionConfig>();
  for (const project of projectFolders(root, FUNCTIONS_DIR, 'function.json')) {
    const where = { project, root: `${FUNCTIONS_DIR}/${project}`, file: `${FUNCTIONS_DIR}/${project}/function.json` };
    const config = collect(() => parseFunctionConfig(readJsonFile(join(root, where.file), where.file), where));
    if (!config) continue;
    if (layerNames.includes(project)) {
      errors.push(new DeployError('DUPLICATE_PROJECT', `${where.file}: the name "${project}" is also a layer (${LAYERS_DIR}/${project})`, 'rename one of the two folders: project names must be unique'));
    }
    errors.push(...unknownLayerErrors(config, layerNames));
    functions.set(project, config);
  }

  const versionPath = join(root, VERSION_FILE);
  const parsed = existsSync(versionPath) ? readVersionLines(readFileSync(versionPath, 'utf8'), VERSION_FILE) : { entries: new Map<string, VersionEntry>(), errors: [] };
  const versions = parsed.entries;
  errors.push(...parsed.errors);
  if (!existsSync(versionPath) && layers.size > 0) {
    errors.push(new DeployError('VERSION_MISSING', `${VERSION_FILE}: not found at the workspace root`, `create it with one line per layer, e.g. \`${[...layers.keys()][0]}=0.1.0\``));
  } else {
    errors.push(...checkVersionsMatchLayers(versions, layerNames, VERSION_FILE, { fileHasBadLines: parsed.errors.length > 0 }));
  }

  throwIfAny(errors);
  return { root, layers, functions, versions };
}

/** A function naming a layer the repo does not have is a typo or a missing layer folder. */
export function unknownLayerErrors(config: Pick<FunctionConfig, 'file' | 'layers'>, layerNames: string[]): DeployError[] {
  return config.layers
    .filter((layer) => !layerNames.includes(layer))
    .map((layer) => new DeployError('UNKNOWN_LAYER', `${config.file}: layers: "${layer}" is not a layer of this repo`, `use one of: ${layerNames.join(', ') || '(none)'}, or create ${LAYERS_DIR}/${layer}/layer.json`));
}

/** Functions that declare the layer, in name order: the targets of a cascade. */
export function dependentsOf(workspace: Workspace, layer: string): FunctionConfig[] {
  return [...workspace.functions.values()].filter((fn) => fn.layers.includes(layer)).sort((a, b) => a.project.localeCompare(b.project));
}

function projectFolders(root: string, dir: string, marker: string): string[] {
  const base = join(root, dir);
  if (!existsSync(base)) return [];
  return readdirSync(base, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(base, entry.name, marker)))
    .map((entry) => entry.name)
    .sort();
}
