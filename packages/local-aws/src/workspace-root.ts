import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The workspace root (the folder holding nx.json) above `from`: where `.local-aws/` lives. */
export function findRepoRoot(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'nx.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no nx.json found above ${from}: run from inside the workspace`);
    dir = parent;
  }
  return dir;
}

export function localAwsDir(root: string = findRepoRoot()): string {
  return join(root, '.local-aws');
}
