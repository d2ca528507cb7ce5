import { readJson, type Tree } from '@nx/devkit';
import { basename } from 'node:path';

/** Valid in an AWS function/layer name and, with `-artifacts-local`, in an S3 bucket name. */
export const PREFIX_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** Leaves room for `-<project>-<env>` within Lambda's 64-character function names. */
export const MAX_PREFIX_LENGTH = 32;

/**
 * The default namePrefix: the workspace's package.json name, else its folder's name, made into a
 * valid prefix. `@acme/platform` gives `acme-platform`; `@acme/source` (what create-nx-workspace
 * names the root package) gives `acme`. Undefined when nothing usable is left.
 */
export function defaultPrefix(tree: Tree): string | undefined {
  const packageName = tree.exists('package.json') ? readJson<{ name?: unknown }>(tree, 'package.json').name : undefined;
  for (const candidate of [typeof packageName === 'string' ? packageName : '', basename(tree.root)]) {
    const words = candidate
      .replace(/^@/, '')
      .split('/')
      .filter((word) => word !== 'source');
    const prefix = toPrefix(words.join('-'));
    if (prefix) return prefix;
  }
  return undefined;
}

function toPrefix(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, MAX_PREFIX_LENGTH)
    .replace(/-+$/, '');
}
