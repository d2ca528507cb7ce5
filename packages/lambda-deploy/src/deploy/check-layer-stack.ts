import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PythonPackage } from '../artifact/python-packages';
import { artifactPaths } from '../config/artifact-paths';
import { functionForEnvironment, type FunctionConfig } from '../config/function-config';
import { DeployError } from '../errors';
import { findLayerConflicts, type StackLayer } from '../plan/layer-conflicts';
import type { DeclaredLayer } from '../plan/merge-layers';
import type { DeployContext } from './deploy-context';
import type { ExternalLayers } from './external-layers';

/** A managed layer's packages as its package step listed them; undefined when not listed (a Node layer, a package made before the list existed). */
function managedPackages(root: string, project: string): PythonPackage[] | undefined {
  try {
    return JSON.parse(readFileSync(join(root, artifactPaths.layerPackageDir(project), artifactPaths.pythonPackagesName), 'utf8')) as PythonPackage[];
  } catch {
    return undefined;
  }
}

/** The function's layers in stacking order, each with what is known of its content. */
export function stackOf(ctx: DeployContext, layers: DeclaredLayer[], external: ExternalLayers['packages']): StackLayer[] {
  return layers.map((declared) => {
    if (declared.external && 'arn' in declared.target) return { layer: declared.layerName, version: String(declared.target.version), packages: external.get(declared.target.arn) };
    return { layer: declared.project, version: ctx.workspace.versions.get(declared.project)?.semver ?? '?', packages: managedPackages(ctx.workspace.root, declared.project) };
  });
}

/**
 * The layer stack check, at plan time and before any write: each conflict is a warning on the
 * function's deploy, or with `"layerConflicts": "error"` one error listing them all.
 */
export function checkLayerStack(ctx: DeployContext, base: FunctionConfig, external: ExternalLayers): void {
  const config = functionForEnvironment(base, ctx.env.name);
  const conflicts = findLayerConflicts(stackOf(ctx, external.layers, external.packages), config.runtime);
  if (conflicts.length === 0) return;
  if (config.layerConflicts === 'error') {
    throw new DeployError(
      'LAYER_CONFLICT',
      `${config.file}: layers: ${conflicts.map((c) => c.message).join('; ')}`,
      'keep each package in one layer only (e.g. move the shared dependency to one layer and drop it from the other\'s requirements), and leave boto3/botocore to the runtime unless you pin them on purpose; "layerConflicts": "warn" (function.json or lambdas/defaults.json) makes these warnings',
    );
  }
  for (const conflict of conflicts) ctx.log.emit({ project: config.project, step: 'layers', outcome: 'warning', message: conflict.message });
}
