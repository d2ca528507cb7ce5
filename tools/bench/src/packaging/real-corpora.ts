import { execFileSync } from 'node:child_process';
import { copyFileSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface Corpus {
  name: string;
  /** Where its files come from, for the report. */
  origin: string;
  files: number;
  bytes: number;
}

// What a layer build leaves out anyway (the engine's always-excluded names): a copy without them is the built tree.
const SKIPPED_DIRS = new Set(['__pycache__', 'test', 'tests', '.git']);
const SKIPPED_FILE = /\.py[co]$|^test_.*\.py$|_test\.py$|^\.DS_Store$/;

/** The standard library folder of the Python on this machine (with its site-packages): real modules, real data, real native libraries. */
export function pythonLibDir(): string {
  return execFileSync('python3', ['-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])']).toString().trim();
}

/**
 * Copies the files of `from` in byte-wise path order into `to`, those `keep` accepts and that still fit
 * in `maxBytes`: the same subset of the same installation on every run. Symlinks are skipped (a layer
 * refuses escaping ones).
 */
export function copyTreePrefix(from: string, to: string, maxBytes: number, keep: (size: number) => boolean): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  const visit = (dir: string, rel: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const abs = join(dir, name);
      const info = lstatSync(abs);
      if (info.isDirectory()) {
        if (!SKIPPED_DIRS.has(name)) visit(abs, join(rel, name));
      } else if (info.isFile() && !SKIPPED_FILE.test(name) && keep(info.size) && bytes + info.size <= maxBytes) {
        mkdirSync(join(to, rel), { recursive: true });
        copyFileSync(abs, join(to, rel, name));
        files += 1;
        bytes += info.size;
      }
    }
  };
  visit(from, '');
  return { files, bytes };
}

/** The real tree: the Python library as it lies, mostly small modules, up to `maxBytes` (a layer holds 250 MB at most). */
export function writeRealTree(to: string, maxBytes: number): Corpus {
  const lib = pythonLibDir();
  return { name: 'real tree (Python lib)', origin: lib, ...copyTreePrefix(lib, to, maxBytes, () => true) };
}

/** Large files only, from the same installation: native libraries, bundled data. */
export function writeLargeFileTree(to: string, maxBytes: number, minFileBytes: number): Corpus {
  const lib = pythonLibDir();
  mkdirSync(dirname(to), { recursive: true });
  return { name: `large files (>= ${minFileBytes >> 20} MiB)`, origin: lib, ...copyTreePrefix(lib, to, maxBytes, (size) => size >= minFileBytes) };
}
