import { chmod, copyFile, link, mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { collectFiles, type FileEntry } from './collect-files';

export interface BuildLayerInput {
  sourcesDir?: string;
  /** The tree pip installed the requirements into (the `install` step's output). */
  installedDir?: string;
  excludes: string[];
  outDir: string;
  label: string;
}

/**
 * Lambda adds a layer's `python/` to sys.path: installed packages and sources both go there. The
 * installed tree goes in first and sources after, so a source file wins over an installed one of
 * the same path. Excludes apply to both, since both end up in the zip.
 */
export async function buildLayerTree(input: BuildLayerInput): Promise<{ files: number }> {
  await rm(input.outDir, { recursive: true, force: true });
  const pythonDir = join(input.outDir, 'python');
  await mkdir(pythonDir, { recursive: true });
  const placed = new Set<string>();
  if (input.installedDir) {
    const installed = await collectFiles(input.installedDir, { excludes: input.excludes, label: input.label });
    await placeFiles(installed, pythonDir, placed, { link: true });
  }
  if (input.sourcesDir) {
    const sources = await collectFiles(input.sourcesDir, { excludes: input.excludes, label: input.label });
    await placeFiles(sources, pythonDir, placed, { link: false });
  }
  return { files: placed.size };
}

/**
 * Installed files are hard-linked (a large requirements tree is then assembled without copying its
 * bytes; nothing writes to either side afterwards); sources are copied, since a user edits them in place.
 */
async function placeFiles(entries: FileEntry[], targetDir: string, placed: Set<string>, opts: { link: boolean }): Promise<void> {
  const made = new Set<string>();
  for (const entry of entries) {
    const target = join(targetDir, entry.path);
    const dir = dirname(target);
    if (!made.has(dir)) {
      await mkdir(dir, { recursive: true });
      made.add(dir);
    }
    if (placed.has(entry.path)) await rm(target, { force: true });
    if (!opts.link || !(await tryLink(entry.absPath, target))) {
      await copyFile(entry.absPath, target);
      await chmod(target, entry.mode);
    }
    placed.add(entry.path);
  }
}

/** False where a link cannot be made (another filesystem, or one without hard links): the caller copies. */
async function tryLink(from: string, to: string): Promise<boolean> {
  try {
    await link(from, to);
    return true;
  } catch {
    return false;
  }
}
