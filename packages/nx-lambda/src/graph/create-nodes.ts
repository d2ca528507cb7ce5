import { createNodesFromFiles, type CreateNodes, type CreateNodesResult } from '@nx/devkit';
import { dirname, basename } from 'node:path';
import { functionTargets, layerTargets } from './inferred-targets';
import { environmentNames, type NxLambdaPluginOptions } from './plugin-options';

export const PROJECT_FILES_GLOB = '{layers/*/layer.json,lambdas/*/function.json}';

/**
 * One project per `layers/<name>/layer.json` and `lambdas/<name>/function.json`; the folder name is
 * the project name. File contents are not read here (createDependencies does), so a typo in one
 * file never hides the other projects from `nx show projects`.
 */
export function inferProject(configFile: string, options: NxLambdaPluginOptions | undefined): CreateNodesResult {
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
        targets: isLayer ? layerTargets(name, environments) : functionTargets(name, environments),
      },
    },
  };
}

export const createNodes: CreateNodes<NxLambdaPluginOptions> = [
  PROJECT_FILES_GLOB,
  (configFiles, options, context) => createNodesFromFiles((file, opts) => inferProject(file, opts), configFiles, options ?? {}, context),
];
