import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeployError, DeployErrors, isDeployError, throwIfAny } from '../errors';
import { parseFunctionConfig, parseFunctionDefaults, type FunctionConfig } from './function-config';
import { layerFamilyOf, parseLayerConfig, type LayerConfig } from './layer-config';
import { runtimeFamilyOf } from './runtimes';
import { declaredLayersOf } from './declared-layers';
import { readJsonFile } from './read-json-file';
import { checkVersionsMatchLayers, readVersionLines, type VersionEntry } from './version-file';

export const LAYERS_DIR = 'layers';
export const FUNCTIONS_DIR = 'lambdas';
export const VERSION_FILE = 'VERSION';
/** Settings merged under every function.json (the function wins key by key). */
export const DEFAULTS_FILE = `${FUNCTIONS_DIR}/defaults.json`;

/** Everything the repo says about layers and functions, validated as a whole. */
export interface Workspace {
  root: string;
  layers: Map<string, LayerConfig>;
  functions: Map<string, FunctionConfig>;
  versions: Map<string, VersionEntry>;
  /** Projects whose file is invalid but outside the scope asked for: left out of `layers`/`functions`. */
  excluded: string[];
}

export interface LoadOptions {
  /**
   * The projects a run deploys. Without it every file must be valid (the safe default). With it, only
   * the files those projects depend on must be: each project of the scope, the layers its functions
   * stack, and every function a layer of the scope would repoint (with those functions' layers).
   * A run of everything (`run-many`) passes every project, so nothing is written before all of them
   * are valid; an unrelated project's broken file no longer stops a single project's deploy.
   */
  scope?: readonly string[];
}

/**
 * Reads and cross-checks VERSION, every layer.json and every function.json. Nothing is deployed
 * from a workspace that fails here, so every error is collected and thrown together.
 */
export function loadWorkspace(root: string, options: LoadOptions = {}): Workspace {
  const globalErrors: DeployError[] = [];
  const projectErrors = new Map<string, DeployError[]>();
  const collect = <T>(project: string, read: () => T): T | undefined => {
    const errors: DeployError[] = [];
    const value = collectInto(errors, read);
    addErrors(projectErrors, project, errors);
    return value;
  };

  // Cross-checks use the folder names, so a layer whose layer.json is invalid is not reported again as unknown.
  const layerNames = projectFolders(root, LAYERS_DIR, 'layer.json');
  const layers = new Map<string, LayerConfig>();
  for (const project of layerNames) {
    const where = { project, root: `${LAYERS_DIR}/${project}`, file: `${LAYERS_DIR}/${project}/layer.json` };
    const config = collect(project, () => parseLayerConfig(readJsonFile(join(root, where.file), where.file), where));
    if (config) layers.set(project, config);
  }
  const functionNames = projectFolders(root, FUNCTIONS_DIR, 'function.json');
  // A broken defaults file concerns every function (and only functions): reported once, when a run needs any.
  const defaultsErrors: DeployError[] = [];
  const defaults = existsSync(join(root, DEFAULTS_FILE)) ? collectInto(defaultsErrors, () => parseFunctionDefaults(readJsonFile(join(root, DEFAULTS_FILE), DEFAULTS_FILE), DEFAULTS_FILE)) : undefined;
  const functions = new Map<string, FunctionConfig>();
  for (const project of functionNames) {
    const where = { project, root: `${FUNCTIONS_DIR}/${project}`, file: `${FUNCTIONS_DIR}/${project}/function.json` };
    if (defaultsErrors.length > 0) {
      projectErrors.set(project, projectErrors.get(project) ?? []);
      continue;
    }
    const config = collect(project, () => parseFunctionConfig(readJsonFile(join(root, where.file), where.file), where, defaults));
    if (layerNames.includes(project)) {
      addErrors(projectErrors, project, [new DeployError('DUPLICATE_PROJECT', `${where.file}: the name "${project}" is also a layer (${LAYERS_DIR}/${project})`, 'rename one of the two folders: project names must be unique')]);
    }
    if (!config) continue;
    addErrors(projectErrors, project, unknownLayerErrors(config, layerNames));
    addErrors(projectErrors, project, runtimeMismatchErrors(config, layers));
    if (!projectErrors.has(project)) functions.set(project, config);
  }

  const versionPath = join(root, VERSION_FILE);
  const parsed = existsSync(versionPath) ? readVersionLines(readFileSync(versionPath, 'utf8'), VERSION_FILE) : { entries: new Map<string, VersionEntry>(), errors: [] };
  const versions = parsed.entries;
  globalErrors.push(...parsed.errors);
  if (!existsSync(versionPath) && layerNames.length > 0) {
    globalErrors.push(new DeployError('VERSION_MISSING', `${VERSION_FILE}: not found at the workspace root`, `create it with one line per layer, e.g. \`${layerNames[0]}=0.1.0\``));
  } else {
    globalErrors.push(...checkVersionsMatchLayers(versions, layerNames, VERSION_FILE, { fileHasBadLines: parsed.errors.length > 0 }));
  }

  const needed = options.scope ? projectsNeededBy(root, options.scope, layerNames, functionNames, functions) : new Set([...layerNames, ...functionNames]);
  if ([...needed].some((project) => functionNames.includes(project))) globalErrors.push(...defaultsErrors);
  throwIfAny([...globalErrors, ...[...projectErrors].filter(([project]) => needed.has(project)).flatMap(([, errors]) => errors)]);
  for (const project of projectErrors.keys()) layers.delete(project);
  return { root, layers, functions, versions, excluded: [...projectErrors.keys()].sort() };
}

/**
 * The scope, the layers of its functions, and the functions a layer of the scope repoints (plus
 * their layers). A function whose layers cannot be read at all might use any layer, so it counts
 * as a dependent of every layer: a cascade never skips a function it cannot rule out.
 */
function projectsNeededBy(root: string, scope: readonly string[], layerNames: string[], functionNames: string[], valid: Map<string, FunctionConfig>): Set<string> {
  const layersOf = new Map(functionNames.map((fn) => [fn, valid.get(fn)?.layers ?? declaredLayersOf(root, `${FUNCTIONS_DIR}/${fn}/function.json`, DEFAULTS_FILE)]));
  const needed = new Set(scope);
  const functions = new Set(scope.filter((p) => functionNames.includes(p)));
  for (const layer of scope.filter((p) => layerNames.includes(p))) {
    for (const [fn, declared] of layersOf) if (!declared || declared.includes(layer)) functions.add(fn);
  }
  for (const fn of functions) {
    needed.add(fn);
    for (const layer of layersOf.get(fn) ?? []) needed.add(layer);
  }
  return needed;
}

function collectInto<T>(errors: DeployError[], read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if (!isDeployError(error)) throw error;
    errors.push(...(error instanceof DeployErrors ? error.errors : [error]));
    return undefined;
  }
}

function addErrors(map: Map<string, DeployError[]>, project: string, errors: DeployError[]): void {
  if (errors.length > 0) map.set(project, [...(map.get(project) ?? []), ...errors]);
}

/** A function naming a layer the repo does not have is a typo or a missing layer folder. */
export function unknownLayerErrors(config: Pick<FunctionConfig, 'file' | 'layers'>, layerNames: string[]): DeployError[] {
  return config.layers
    .filter((layer) => !layerNames.includes(layer))
    .map((layer) => new DeployError('UNKNOWN_LAYER', `${config.file}: layers: "${layer}" is not a layer of this repo`, `use one of: ${layerNames.join(', ') || '(none)'}, or create ${LAYERS_DIR}/${layer}/layer.json`));
}

/**
 * A Python layer on a Node function (or the reverse) would attach but never load: its files sit in a
 * folder the function's runtime does not search. Checked when both files are valid.
 */
export function runtimeMismatchErrors(config: Pick<FunctionConfig, 'file' | 'layers' | 'runtime'>, layers: Map<string, LayerConfig>): DeployError[] {
  const family = runtimeFamilyOf(config.runtime);
  return config.layers
    .filter((name) => layers.has(name) && layerFamilyOf(layers.get(name)!) !== family)
    .map((name) => new DeployError('LAYER_RUNTIME_MISMATCH', `${config.file}: layers: "${name}" is a ${layerFamilyOf(layers.get(name)!)} layer (${layers.get(name)!.file}: runtimes) and the function runs ${config.runtime}`, `use a layer built for ${family}, or change "runtime"`));
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
