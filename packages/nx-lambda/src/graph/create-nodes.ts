import { createNodesFromFiles, type CreateNodes, type CreateNodesResult } from '@nx/devkit';
import { dirname, basename, join } from 'node:path';
import { existsSync } from 'node:fs';
import { declaredRuntimeOf, declaredSharedSourceOf, DEFAULTS_FILE, functionInstallKey, layerInstallKey, parseFunctionConfig, parseFunctionDefaults, parseLayerConfig, readJsonFile, type InstallKey } from '@vectora/lambda-deploy';
import { functionTargets, layerTargets } from './inferred-targets';
import { environmentNames, type NxLambdaPluginOptions } from './plugin-options';

export const PROJECT_FILES_GLOB = '{layers/*/layer.json,lambdas/*/function.json}';

/**
 * One project per `layers/<name>/layer.json` and `lambdas/<name>/function.json`; the folder name is
 * the project name. A typo in one file never hides the other projects from `nx show projects`: only
 * install keys are read here, and an unreadable layer.json or function.json just gets no pip or npm
 * `install` (a layer gets the empty one; its `build`, or the function's `package`, then fails with
 * the error, naming file and key).
 */
export function inferProject(configFile: string, options: NxLambdaPluginOptions | undefined, workspaceRoot: string): CreateNodesResult {
  const root = dirname(configFile);
  const name = basename(root);
  const environments = environmentNames(options);
  const isLayer = basename(configFile) === 'layer.json';
  return {
    projects: {
      [root]: {
        name,
        root,
        projectType: isLayer ? 'library' : 'application',
        tags: [isLayer ? 'layer' : 'function'],
        targets: isLayer
          ? layerTargets(name, environments, readInstallKey(workspaceRoot, configFile, name))
          : functionTargets(name, environments, declaredSharedSourceOf(workspaceRoot, configFile), declaredRuntimeOf(workspaceRoot, configFile, DEFAULTS_FILE), readFunctionInstallKey(workspaceRoot, configFile, name), root),
      },
    },
  };
}

function readInstallKey(workspaceRoot: string, configFile: string, project: string): InstallKey | undefined {
  try {
    return layerInstallKey(parseLayerConfig(readJsonFile(join(workspaceRoot, configFile), configFile), { project, root: dirname(configFile), file: configFile }));
  } catch {
    return undefined;
  }
}

/** A function's own requirements install key, or none when it has none or its files cannot be read (its tasks report why). */
function readFunctionInstallKey(workspaceRoot: string, configFile: string, project: string): InstallKey | undefined {
  try {
    const defaults = existsSync(join(workspaceRoot, DEFAULTS_FILE)) ? parseFunctionDefaults(readJsonFile(join(workspaceRoot, DEFAULTS_FILE), DEFAULTS_FILE), DEFAULTS_FILE) : undefined;
    return functionInstallKey(parseFunctionConfig(readJsonFile(join(workspaceRoot, configFile), configFile), { project, root: dirname(configFile), file: configFile }, defaults));
  } catch {
    return undefined;
  }
}

export const createNodes: CreateNodes<NxLambdaPluginOptions> = [
  PROJECT_FILES_GLOB,
  (configFiles, options, context) => createNodesFromFiles((file, opts, ctx) => inferProject(file, opts, ctx.workspaceRoot), configFiles, options ?? {}, context),
];
