import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { DeployError } from '../errors';
import { excludeMatcher } from './glob';

export interface FileEntry {
  /** Posix path relative to the collected root: the path inside the zip. */
  path: string;
  absPath: string;
  mode: 0o644 | 0o755;
  size: number;
}

// Never part of a Lambda artifact: bytecode caches differ per machine and break determinism; tests and
// editor litter only cost size.
const ALWAYS_EXCLUDED = ['__pycache__', '*.pyc', '*.pyo', '.DS_Store', 'tests', 'test', 'test_*.py', '*_test.py', '.pytest_cache', '.git'];

/** Byte-wise order (not locale): the same on every machine, so the zip is too. */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Lists the files of an artifact, sorted, with normalised modes. A symlink is followed when its
 * target stays inside `root`; one pointing outside is refused, because the zip would silently carry
 * a file from elsewhere on the build machine.
 *
 * Synchronous calls on purpose: a layer has tens of thousands of small files, and one lstat through
 * the threadpool costs far more than the call itself (measured on a copy of a Python library, 24,695
 * files: 150 ms sync against 700 ms with every folder's entries examined in parallel, 1.3-2 s when
 * the machine is busy). Nothing else runs in the process meanwhile.
 */
export async function collectFiles(root: string, opts: { excludes?: string[]; label: string }): Promise<FileEntry[]> {
  const excluded = excludeMatcher([...ALWAYS_EXCLUDED, ...(opts.excludes ?? [])]);
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch (error) {
    throw new DeployError('SOURCE_MISSING', `${opts.label}: folder ${root} does not exist`, 'create it, or fix the path in the project file', error);
  }
  const entries: FileEntry[] = [];

  const visit = (absPath: string, path: string, name: string): void => {
    if (excluded(path, name)) return;
    let info = lstatSync(absPath);
    if (info.isSymbolicLink()) {
      let target: string | undefined;
      try {
        target = realpathSync(absPath);
      } catch {
        target = undefined;
      }
      if (!target || !(target === realRoot || target.startsWith(realRoot + sep))) {
        throw new DeployError(
          'SYMLINK_ESCAPES',
          `${opts.label}: ${path} is a symlink to ${target ?? '(a missing file)'}, outside ${root}`,
          'replace the link with a copy of the file, or move the target inside the project',
        );
      }
      info = statSync(absPath);
    }
    if (info.isDirectory()) walk(absPath, `${path}/`);
    else if (info.isFile()) entries.push({ path, absPath, mode: info.mode & 0o111 ? 0o755 : 0o644, size: info.size });
  };

  // Names in byte order, depth first: entries come out sorted, and of several errors the first by name is reported.
  const walk = (dir: string, prefix: string): void => {
    for (const name of readdirSync(dir).sort(comparePaths)) visit(join(dir, name), `${prefix}${name}`, name);
  };
  walk(root, '');
  return entries.sort((a, b) => comparePaths(a.path, b.path));
}
