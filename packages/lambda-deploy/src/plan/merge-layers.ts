import { parseLayerArn } from './layer-arn';
import type { LayerChange, LayerSlot } from './types';

export type LayerTarget = { arn: string; version: number } | { pending: true };

export interface DeclaredLayer {
  /** The layer project; for an external layer, its ARN without the version (what identifies it across versions). */
  project: string;
  /** AWS layer name in this environment. */
  layerName: string;
  target: LayerTarget;
  /** A layer version ARN from `layers` that the repo does not build: attached as declared, at its declared position. */
  external?: boolean;
}

export interface MergedLayers {
  slots: LayerSlot[];
  changes: LayerChange[];
  changed: boolean;
}

/**
 * Computes a function's next Layers list from its current one.
 *
 * - Layers the repo does not manage (extensions, other teams' layers) stay at their index.
 * - The slots held by in-scope managed layers are refilled with the declared layers in declared
 *   order; extra declared layers go at the end, and a managed layer no longer declared is dropped.
 * - Out-of-scope managed layers are left alone: a cascade from one layer repoints only that layer.
 */
export function mergeLayers(current: string[], declared: DeclaredLayer[], managedLayerNames: Map<string, string>, scope: 'all' | string[]): MergedLayers {
  const inScope = (project: string) => scope === 'all' || scope.includes(project);
  const wanted = declared.filter((layer) => inScope(layer.project));
  const declaredProjects = new Set(declared.map((layer) => layer.project));
  const currentVersion = new Map<string, number>();
  const changes: LayerChange[] = [];

  const kept: (LayerSlot | 'slot')[] = [];
  for (const arn of current) {
    const parsed = parseLayerArn(arn);
    const project = parsed ? managedLayerNames.get(parsed.layerName) : undefined;
    if (!parsed || project === undefined || !inScope(project)) {
      kept.push(arn);
    } else if (declaredProjects.has(project) && !currentVersion.has(project)) {
      currentVersion.set(project, parsed.version);
      kept.push('slot');
    } else if (scope === 'all' || declaredProjects.has(project)) {
      // A managed layer the function no longer declares, or a second copy of a declared one.
      changes.push({ layer: project, from: parsed.version, to: 'removed' });
    } else {
      kept.push(arn);
    }
  }

  const queue = [...wanted];
  const slots: LayerSlot[] = [];
  for (const entry of kept) {
    if (entry !== 'slot') slots.push(entry);
    else if (queue.length > 0) slots.push(toSlot(queue.shift()!));
  }
  slots.push(...queue.map(toSlot));

  for (const layer of wanted) {
    changes.push({ layer: layer.project, from: currentVersion.get(layer.project), to: 'pending' in layer.target ? 'new' : layer.target.version });
  }
  const changed = slots.length !== current.length || slots.some((slot, index) => typeof slot !== 'string' || slot !== current[index]);
  return { slots, changes, changed };
}

function toSlot(layer: DeclaredLayer): LayerSlot {
  return 'pending' in layer.target ? { pending: layer.project, layerName: layer.layerName } : layer.target.arn;
}

/** A layer as users read it: the project, or an external layer's name. */
export function layerLabel(project: string): string {
  return project.startsWith('arn:') ? project.slice(project.indexOf(':layer:') + ':layer:'.length) : project;
}

/** `vectora-core 43 -> 49, common-deps 11 (unchanged)`: the line users read to see what moved. */
export function describeLayerChanges(changes: LayerChange[]): string {
  return changes
    .map((change) => ({ ...change, layer: layerLabel(change.layer) }))
    .map((change) => {
      const to = change.to === 'new' ? '(new version)' : change.to === 'removed' ? '(removed)' : String(change.to);
      if (change.from === undefined) return `${change.layer} ${change.to === 'removed' ? to : `+${to}`}`;
      if (change.from === change.to) return `${change.layer} ${change.from} (unchanged)`;
      return `${change.layer} ${change.from} -> ${to}`;
    })
    .join(', ');
}
