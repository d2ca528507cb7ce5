import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { DeployError } from '../errors';
import { globToRegExp, matchesAny } from './glob';

export interface FileEntry {
  /** Posix path relative to the collected root: the path inside the zip. */
  path: string;
  absPath: string;
  mode: 0o644 | 0o755;
  size: number;
}

// Never part of a Lambda artifact: bytecode caches differ per machine and break determinism; tests and
// editor litter only cost size.
const ALWAYS_EXCLUDED = ['__pycache__', '*.pyc', '*.pyo', '.DS_Store', 'tests', 'test', 'test_*.py', '*_test.py', '.pytest_cache', '.git'].map(globToRegExp);

/** Byte-wise order (not locale): the same on every machine, so the zip is too. */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Lists the files of an artifact, sorted, with normalised modes. A symlink is followed when its
 * target stays inside `root`; one pointing outside is refused, because the zip would silently carry
 * a file from elsewhere on the build machine.
 */
export async function collectFiles(root: string, opts: { excludes?: string[]; label: string }): Promise<FileEntry[]> {
  const excludes = [...ALWAYS_EXCLUDED, ...(opts.excludes ?? []).map(globToRegExp)];
  const realRoot = await realpath(root).catch((error) => {
    throw new DeployError('SOURCE_MISSING', `${opts.label}: folder ${root} does not exist`, 'create it, or fix the path in the project file', error);
  });
  const entries: FileEntry[] = [];

  const visit = async (absPath: string): Promise<void> => {
    const path = relative(root, absPath).split(sep).join('/');
    if (matchesAny(path, excludes)) return;
    let info = await lstat(absPath);
    if (info.isSymbolicLink()) {
      const target = await realpath(absPath).catch(() => undefined);
      if (!target || !(target === realRoot || target.startsWith(realRoot + sep))) {
        throw new DeployError(
          'SYMLINK_ESCAPES',
          `${opts.label}: ${path} is a symlink to ${target ?? '(a missing file)'}, outside ${root}`,
          'replace the link with a copy of the file, or move the target inside the project',
        );
      }
      info = await stat(absPath);
    }
    if (info.isDirectory()) await walk(absPath);
    else if (info.isFile()) entries.push({ path, absPath, mode: info.mode & 0o111 ? 0o755 : 0o644, size: info.size });
  };

  // The entries of a folder are examined in parallel (a layer has thousands of small files, one
  // lstat each); the list is sorted at the end, and of several errors the first by name is reported.
  const walk = async (dir: string): Promise<void> => {
    const names = (await readdir(dir)).sort(comparePaths);
    const results = await Promise.allSettled(names.map((name) => visit(join(dir, name))));
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
  };
  await walk(root);
  return entries.sort((a, b) => comparePaths(a.path, b.path));
}
