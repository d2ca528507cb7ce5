import type { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { SAMPLE_APP } from '../../../../lambda-deploy/test/fixtures/sample-app';

/** The tests' copy of the sample app (layers/, lambdas/, VERSION, nx.json), which seeds test trees. */
export { SAMPLE_APP };

/** An empty Nx workspace (createTreeWithEmptyWorkspace) holding the tests' sample app and its nx.json. */
export function sampleAppTree(): Tree {
  const tree = createTreeWithEmptyWorkspace();
  for (const part of ['layers', 'lambdas']) {
    for (const file of filesUnder(join(SAMPLE_APP, part))) tree.write(relative(SAMPLE_APP, file), readFileSync(file));
  }
  tree.write('VERSION', readFileSync(join(SAMPLE_APP, 'VERSION')));
  tree.write('nx.json', readFileSync(join(SAMPLE_APP, 'nx.json')));
  return tree;
}

/** Writes every file of the tree to a new temp folder, so engine code that reads the disk can check it. */
export function writeTreeToDisk(tree: Tree): string {
  const root = mkdtempSync(join(tmpdir(), 'nx-lambda-gen-'));
  const walk = (dir: string) => {
    for (const child of tree.children(dir)) {
      const path = dir ? `${dir}/${child}` : child;
      if (tree.isFile(path)) {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), tree.read(path)!);
      } else {
        walk(path);
      }
    }
  };
  walk('');
  return root;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === '__pycache__' || name === 'node_modules') return [];
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}
