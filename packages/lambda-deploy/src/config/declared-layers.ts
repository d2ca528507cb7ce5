import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';

/**
 * The layer names a function.json declares, read leniently: whatever else is wrong in the file, a
 * readable `layers` list still gives the graph its edges and tells a run which layers the function
 * stacks. undefined when the file cannot tell (unreadable, not JSON, no list): callers then assume
 * the worst. The defaults file's list applies when the function has none.
 */
export function declaredLayersOf(root: string, file: string, defaultsFile?: string): string[] | undefined {
  const own = layersIn(readLoose(join(root, file)));
  if (own !== null) return own;
  if (!defaultsFile || !existsSync(join(root, defaultsFile))) return [];
  const inherited = layersIn(readLoose(join(root, defaultsFile)));
  return inherited === null ? [] : inherited;
}

/** null: the object has no `layers` key; undefined: the file or the key cannot be read. */
function layersIn(raw: unknown): string[] | null | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const layers = (raw as Record<string, unknown>).layers;
  if (layers === undefined) return null;
  if (!Array.isArray(layers)) return undefined;
  // External layers (ARNs) are not projects: no edge, nothing to validate in the repo.
  return layers.filter((item): item is string => typeof item === 'string' && item !== '' && !item.startsWith('arn:'));
}

function readLoose(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * The shared code folder a function.json's `source` names (workspace-relative), read leniently for the
 * graph: undefined when the file has none, cannot be read, or names a folder inside the function's
 * own (the usual case) or outside the workspace (its tasks then fail with the error).
 */
export function declaredSharedSourceOf(root: string, file: string): string | undefined {
  const raw = readLoose(join(root, file));
  const source = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>).source : undefined;
  if (typeof source !== 'string' || source === '' || source.startsWith('/') || source.includes('\\')) return undefined;
  const projectRoot = posix.dirname(file);
  const folder = posix.normalize(posix.join(projectRoot, source)).replace(/\/$/, '');
  if (folder.startsWith('..') || folder === '.' || folder === projectRoot || folder.startsWith(`${projectRoot}/`)) return undefined;
  return folder;
}
