import { getProjects, readNxJson, type Tree } from '@nx/devkit';
import { awsNameOf, FUNCTIONS_DIR, LAYERS_DIR, parseJson, parseLayerConfig, type Environment, type LayerConfig } from '@vectora/lambda-deploy';
import { PLUGIN_NAME, type NxLambdaPluginOptions } from '../../graph/plugin-options';
import type { GeneratorProblems } from './generator-errors';

export type ProjectKind = 'layer' | 'function';

/**
 * Lowercase words joined by single dashes, starting with a letter: valid in VERSION (layers), in an
 * AWS name, as an Nx project name, and (dashes to underscores) as a Python package name.
 */
const PROJECT_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export const projectRootOf = (kind: ProjectKind, name: string) => `${kind === 'layer' ? LAYERS_DIR : FUNCTIONS_DIR}/${name}`;
export const configFileOf = (kind: ProjectKind, name: string) => `${projectRootOf(kind, name)}/${kind === 'layer' ? 'layer.json' : 'function.json'}`;

/** The plugin's options in nx.json (namePrefix, environments), or {} when the plugin is not registered. */
export function pluginOptions(tree: Tree): NxLambdaPluginOptions {
  const entry = readNxJson(tree)?.plugins?.find((p) => (typeof p === 'string' ? p : p.plugin) === PLUGIN_NAME);
  return (typeof entry === 'object' ? (entry.options as NxLambdaPluginOptions | undefined) : undefined) ?? {};
}

/**
 * The name must be well-formed and, once the engine turns it into `<prefix>-<name>-<env>` for each
 * environment in nx.json, fit Lambda's name length (64 for functions, 140 for layers).
 */
export function checkProjectName(tree: Tree, problems: GeneratorProblems, kind: ProjectKind, name: string): boolean {
  if (!PROJECT_NAME.test(name)) {
    problems.add('INVALID_NAME', `"${name}" is not a valid ${kind} name`, `use lowercase letters, digits and single dashes, starting with a letter (e.g. ${kind === 'layer' ? 'billing-core' : 'send-digest'})`);
    return false;
  }
  const file = configFileOf(kind, name);
  const tooLong = (awsName: string) =>
    problems.add('NAME_TOO_LONG', `the ${kind} name "${name}" gives the AWS ${kind} name "${awsName}" (${awsName.length} characters), over Lambda's limit`, `choose a shorter name (or, after generating, set "awsName" in ${file})`);
  // The name alone must fit whatever the prefix; awsName is used verbatim by the engine.
  if (!fits(() => awsNameOf({ project: name, awsName: name, file, kind }, namingEnvironment('', '')))) {
    tooLong(name);
    return false;
  }
  const options = pluginOptions(tree);
  for (const [env, settings] of Object.entries(options.environments ?? {})) {
    const prefix = typeof settings?.namePrefix === 'string' ? settings.namePrefix : options.namePrefix;
    if (!prefix) continue;
    const environment = namingEnvironment(env, prefix);
    if (!fits(() => awsNameOf({ project: name, file, kind }, environment))) {
      tooLong(`${prefix}-${name}-${env}`);
      return false;
    }
  }
  return true;
}

/** Only the name and prefix matter to awsNameOf; the rest of an Environment is irrelevant here. */
function namingEnvironment(name: string, namePrefix: string): Environment {
  return { name, namePrefix, region: '', regions: [], createMissingFunctions: false, emulator: false, requireApproval: false };
}

function fits(name: () => string): boolean {
  try {
    name();
    return true;
  } catch {
    return false;
  }
}

/** Project names are unique across layers, functions and every other Nx project of the workspace. */
export function checkNewProject(tree: Tree, problems: GeneratorProblems, kind: ProjectKind, name: string): void {
  const root = projectRootOf(kind, name);
  const layerFolder = projectRootOf('layer', name);
  const functionFolder = projectRootOf('function', name);
  if (tree.exists(root)) {
    problems.add('PROJECT_EXISTS', `${root} already exists`, `choose another name, or delete ${root} first if it is a leftover`);
  } else if (tree.exists(configFileOf('layer', name)) || tree.exists(configFileOf('function', name))) {
    const other = tree.exists(configFileOf('layer', name)) ? layerFolder : functionFolder;
    problems.add('PROJECT_EXISTS', `the project "${name}" already exists (${other})`, 'choose another name: layers and functions share one namespace of Nx project names');
  } else if (getProjects(tree).has(name)) {
    problems.add('PROJECT_EXISTS', `the Nx project "${name}" already exists (${getProjects(tree).get(name)!.root})`, 'choose another name: Nx project names must be unique');
  }
}

/** Layer projects in the tree: folders under layers/ holding a layer.json, sorted. */
export function knownLayers(tree: Tree): string[] {
  if (!tree.exists(LAYERS_DIR)) return [];
  return tree
    .children(LAYERS_DIR)
    .filter((name) => tree.isFile(configFileOf('layer', name)))
    .sort();
}

/** A layer's layer.json as the engine validates it (errors collected), read from the tree. */
export function readLayerConfig(tree: Tree, problems: GeneratorProblems, name: string): LayerConfig | undefined {
  const file = configFileOf('layer', name);
  const text = tree.read(file, 'utf-8');
  if (text === null) return undefined;
  return problems.collect(() => parseLayerConfig(parseJson(text, file), { project: name, root: projectRootOf('layer', name), file }));
}
