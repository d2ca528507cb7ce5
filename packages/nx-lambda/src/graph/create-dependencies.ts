import { DependencyType, type CreateDependencies, type RawProjectGraphDependency } from '@nx/devkit';
import { declaredLayersOf, FUNCTIONS_DIR } from '@vectora/lambda-deploy';
import type { NxLambdaPluginOptions } from './plugin-options';

/**
 * A function depends on each layer its function.json names: a static edge from function.json, so
 * `nx affected` follows a layer change to its functions and `^deploy` orders layers first. The file is
 * read leniently and never fails the graph: one broken function.json must not hide every project from
 * `nx show projects` or stop unrelated deploys. Its own tasks report the error (file, key, fix) when
 * they validate it; an unknown layer name simply makes no edge.
 */
export const createDependencies: CreateDependencies<NxLambdaPluginOptions> = (_options, context) => {
  const projects = Object.values(context.projects);
  const layerNames = new Set(projects.filter((p) => p.tags?.includes('layer')).map((p) => p.name!));
  const dependencies: RawProjectGraphDependency[] = [];
  for (const project of projects.filter((p) => p.tags?.includes('function'))) {
    const file = `${project.root}/function.json`;
    const layers = declaredLayersOf(context.workspaceRoot, file, `${FUNCTIONS_DIR}/defaults.json`) ?? [];
    for (const layer of layers.filter((name, i) => layerNames.has(name) && layers.indexOf(name) === i)) {
      dependencies.push({ source: project.name!, target: layer, type: DependencyType.static, sourceFile: file });
    }
  }
  return dependencies;
};
