import { DependencyType, type CreateDependencies, type RawProjectGraphDependency } from '@nx/devkit';
import { declaredLayersOf, declaredRuntimeOf, DEFAULTS_FILE, FUNCTIONS_DIR } from '@vectora/lambda-deploy';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importedPackages } from './imported-packages';
import type { NxLambdaPluginOptions } from './plugin-options';

const MODULE = /\.[mc]?[jt]sx?$/;
const TEST_MODULE = /\.(spec|test)\.[mc]?[jt]sx?$/;

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
  dependencies.push(...workspaceLibraryEdges(context));
  return dependencies;
};

/**
 * A Node function's bundle inlines the workspace libraries it imports by package name (a folder with
 * its own package.json that Nx made a project, e.g. an npm workspace): a static edge from each
 * importing file, so `nx affected` after a library edit lists the functions built from it (and their
 * package target hashes the library's files, '^{projectRoot}'). Nx itself makes no such edge when
 * the workspace's node_modules does not link the library. Test files are left out: they are not in
 * the bundle. Unreadable files make no edge, never a graph failure.
 */
function workspaceLibraryEdges(context: Parameters<CreateDependencies>[1]): RawProjectGraphDependency[] {
  const projectOfPackage = new Map<string, string>();
  for (const project of Object.values(context.projects)) {
    const packageName = project.metadata?.js?.packageName;
    if (packageName && project.name) projectOfPackage.set(packageName, project.name);
  }
  if (projectOfPackage.size === 0) return [];
  const edges: RawProjectGraphDependency[] = [];
  for (const project of Object.values(context.projects).filter((p) => p.tags?.includes('function') && p.name)) {
    if (!declaredRuntimeOf(context.workspaceRoot, `${project.root}/function.json`, DEFAULTS_FILE)?.startsWith('nodejs')) continue;
    const files = (context.fileMap.projectFileMap[project.name!] ?? []).map((f) => f.file).filter((file) => MODULE.test(file) && !TEST_MODULE.test(file) && !file.includes('/node_modules/'));
    for (const file of files) {
      let source: string;
      try {
        source = readFileSync(join(context.workspaceRoot, file), 'utf8');
      } catch {
        continue;
      }
      for (const target of new Set(importedPackages(source).map((name) => projectOfPackage.get(name)))) {
        if (target && target !== project.name) edges.push({ source: project.name!, target, type: DependencyType.static, sourceFile: file });
      }
    }
  }
  return edges;
}
