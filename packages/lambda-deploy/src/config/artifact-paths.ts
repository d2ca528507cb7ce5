import { join } from 'node:path';

/**
 * Where build and package outputs live, relative to the workspace root. One place, because the Nx
 * plugin declares them as cache outputs and the engine reads and writes them.
 */
export const artifactPaths = {
  /** pip's output for a layer's requirements: its own cached step, so a source edit never reruns pip. */
  layerInstallDir: (project: string) => `dist/layers/${project}/install`,
  layerBuildDir: (project: string) => `dist/layers/${project}/build`,
  layerPackageDir: (project: string) => `dist/layers/${project}/package`,
  functionPackageDir: (project: string) => `dist/lambdas/${project}/package`,
  /** esbuild's output for a Node function: the tree its zip is made of. */
  functionBundleDir: (project: string) => `dist/lambdas/${project}/bundle`,
  /** pip's output for a Python function's own requirements: cached apart, so a handler edit never reruns pip. */
  functionInstallDir: (project: string) => `dist/lambdas/${project}/install`,
  /** A Python function with requirements: the installed packages with its source on top, the tree its zip is made of. */
  functionBuildDir: (project: string) => `dist/lambdas/${project}/build`,
  zipName: { layer: 'layer.zip', function: 'function.zip' } as const,
  manifestName: 'manifest.json',
  /** Beside a Python layer's manifest: the top-level packages it ships and their versions, for the layer stack check of its functions. */
  pythonPackagesName: 'python-packages.json',
  deployDir: (environment: string) => `dist/deploy/${environment}`,
};

export function packageDirOf(kind: 'layer' | 'function', project: string): string {
  return kind === 'layer' ? artifactPaths.layerPackageDir(project) : artifactPaths.functionPackageDir(project);
}

export function zipPathOf(root: string, kind: 'layer' | 'function', project: string): string {
  return join(root, packageDirOf(kind, project), artifactPaths.zipName[kind]);
}

export function manifestPathOf(root: string, kind: 'layer' | 'function', project: string): string {
  return join(root, packageDirOf(kind, project), artifactPaths.manifestName);
}
