import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The workspace root (the nearest folder holding nx.json) at or above `from`. Always the caller's
 * folder (Nx's context.root, the CLI's cwd), never this package's own: installed from npm or linked
 * into another checkout, the package's folder belongs to a different workspace. Real path, so the
 * same workspace reached through a symlink is named the same.
 */
export function findWorkspaceRoot(from: string): string {
  let dir = realpathSync(from);
  while (!existsSync(join(dir, 'nx.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`local AWS: no nx.json found at or above ${from}: run from inside an Nx workspace`);
    dir = parent;
  }
  return dir;
}

/** Where a workspace keeps its emulator's record, log and (by default) venv; git-ignored. */
export function localAwsDir(workspaceRoot: string): string {
  return join(workspaceRoot, '.local-aws');
}
