import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The packages a built Node layer puts on the function's path: the top-level names of its
 * `nodejs/node_modules` (scoped ones as `@scope/name`). These are what a function importing them must
 * leave out of its bundle; undefined when the layer has no `nodejs/node_modules` (a Python layer).
 */
export function layerPackageNames(nodeModulesDir: string): string[] | undefined {
  if (!existsSync(nodeModulesDir)) return undefined;
  const names: string[] = [];
  for (const entry of readdirSync(nodeModulesDir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    if (entry.name.startsWith('@') && entry.isDirectory()) {
      for (const inner of readdirSync(join(nodeModulesDir, entry.name))) names.push(`${entry.name}/${inner}`);
    } else {
      names.push(entry.name);
    }
  }
  return names.sort();
}
