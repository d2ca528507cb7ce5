import { DependencyType, type CreateDependencies, type RawProjectGraphDependency } from '@nx/devkit';
import { join } from 'node:path';
import { parseFunctionConfig } from '@vectora/lambda-deploy';
import { readJsonFile } from '@vectora/lambda-deploy';
import { unknownLayerErrors } from '@vectora/lambda-deploy';
import { renderError, throwIfAny, type DeployError } from '@vectora/lambda-deploy';
import type { NxLambdaPluginOptions } from './plugin-options';

/**
 * A function depends on each layer its function.json names: a static edge from function.json, so
 * `nx affected` follows a layer change to its functions and `^deploy` orders layers first. An unknown
 * layer name fails the graph with the file and the name, since deploying it could only fail later.
 */
export const createDependencies: CreateDependencies<NxLambdaPluginOptions> = (_options, context) => {
  const projects = Object.values(context.projects);
  const layerNames = projects.filter((p) => p.tags?.includes('layer')).map((p) => p.name!);
  const dependencies: RawProjectGraphDependency[] = [];
  const errors: DeployError[] = [];
  for (const project of projects.filter((p) => p.tags?.includes('function'))) {
    const file = `${project.root}/function.json`;
    try {
      const config = parseFunctionConfig(readJsonFile(join(context.workspaceRoot, file), file), { project: project.name!, root: project.root, file });
      errors.push(...unknownLayerErrors(config, layerNames));
      for (const layer of config.layers.filter((name) => layerNames.includes(name))) {
        dependencies.push({ source: project.name!, target: layer, type: DependencyType.static, sourceFile: file });
      }
    } catch (error) {
      errors.push(error as DeployError);
    }
  }
  try {
    throwIfAny(errors);
  } catch (error) {
    // Nx prints only the message: put the fix in it too.
    throw new Error(renderError(error));
  }
  return dependencies;
};
