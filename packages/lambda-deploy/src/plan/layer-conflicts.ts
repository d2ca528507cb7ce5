import type { PythonPackage } from '../artifact/python-packages';

/** One layer of a function's stack as far as its content is known: `packages` undefined when it is not (an external layer whose zip could not be read). */
export interface StackLayer {
  /** The layer project, or an external layer's name. */
  layer: string;
  /** What identifies the layer's version to a reader: a managed layer's semver, an external one's version number. */
  version: string;
  packages?: PythonPackage[];
}

export interface LayerConflict {
  kind: 'duplicate' | 'shadows-runtime';
  package: string;
  message: string;
}

// What every Python runtime of Lambda provides itself: a layer shipping one of these replaces the runtime's copy.
const RUNTIME_SDK = ['boto3', 'botocore', 's3transfer'];

const shipped = (layer: StackLayer, pkg: PythonPackage) => `${layer.layer} ${layer.version} (${pkg.name}${pkg.version ? ` ${pkg.version}` : ', version unknown'})`;

/**
 * Layers are unpacked into /opt in stacking order, a later layer's file replacing an earlier one's of
 * the same path: two layers shipping one top-level package give the function a file-by-file mix of
 * both. And /opt/python comes before the runtime's own path, so a layer's boto3/botocore replaces the
 * runtime's. Both are reported per package, naming the layers and versions; layers of unknown content
 * are left out (nothing can be said about them).
 */
export function findLayerConflicts(stack: StackLayer[], runtime: string): LayerConflict[] {
  const byPackage = new Map<string, { layer: StackLayer; pkg: PythonPackage }[]>();
  for (const layer of stack) {
    for (const pkg of layer.packages ?? []) byPackage.set(pkg.name, [...(byPackage.get(pkg.name) ?? []), { layer, pkg }]);
  }
  const conflicts: LayerConflict[] = [];
  for (const [name, holders] of [...byPackage].sort(([a], [b]) => a.localeCompare(b))) {
    if (holders.length > 1) {
      const list = holders.map(({ layer, pkg }) => shipped(layer, pkg)).join(', ');
      conflicts.push({ kind: 'duplicate', package: name, message: `package ${name} is shipped by ${holders.length} layers: ${list}; the function gets a file-by-file mix, the last layer's files winning` });
    }
  }
  for (const name of RUNTIME_SDK) {
    for (const { layer, pkg } of byPackage.get(name) ?? []) {
      conflicts.push({ kind: 'shadows-runtime', package: name, message: `layer ${shipped(layer, pkg)} shadows the ${name} that ${runtime} provides` });
    }
  }
  return conflicts;
}
