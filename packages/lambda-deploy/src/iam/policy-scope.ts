import { dependentsOf, type Workspace } from '../config/workspace';
import { DeployError } from '../errors';

export interface PolicyScope {
  /** Layers deployed (published, listed, pruned): those selected and those of the selected functions. */
  layers: string[];
  /** Functions deployed themselves: code, configuration and layers. */
  functions: string[];
  /** Functions only repointed by a layer's cascade: GetFunction and UpdateFunctionConfiguration. */
  cascaded: string[];
  /**
   * Layers whose versions appear in a Layers list this deploy sends: Lambda checks GetLayerVersion
   * on every one, so a cascaded function's other layers count too, though they are not deployed.
   */
  attached: string[];
}

/**
 * What deploying `selection` touches, following the targets' edges: a function's deploy deploys its
 * layers first (`^deploy`), and a layer's deploy repoints every dependent function not deployed
 * itself. So the policy for a selection covers exactly what its deploy, status, update-layers and
 * prune targets can call, and nothing for projects outside it.
 */
export function policyScope(workspace: Workspace, selection: string[] = [...workspace.layers.keys(), ...workspace.functions.keys()]): PolicyScope {
  const unknown = selection.filter((p) => !workspace.layers.has(p) && !workspace.functions.has(p));
  if (unknown.length) {
    throw new DeployError('UNKNOWN_PROJECT', `iam-policy: ${unknown.join(', ')} is not a layer or function of this repo`, 'run iam-policy on layer and function projects only');
  }
  const functions = selection.filter((p) => workspace.functions.has(p));
  const layers = new Set(selection.filter((p) => workspace.layers.has(p)));
  for (const fn of functions) for (const layer of workspace.functions.get(fn)!.layers) layers.add(layer);
  const cascaded = new Set<string>();
  for (const layer of layers) for (const fn of dependentsOf(workspace, layer)) if (!functions.includes(fn.project)) cascaded.add(fn.project);
  const attached = new Set(layers);
  for (const fn of cascaded) for (const layer of workspace.functions.get(fn)!.layers) attached.add(layer);
  return { layers: [...layers].sort(), functions: [...functions].sort(), cascaded: [...cascaded].sort(), attached: [...attached].sort() };
}
