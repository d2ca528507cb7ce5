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
  /** Where the installed tree goes in the layer: `python` (sys.path) or `nodejs` (its node_modules). Default `python`. */
  installedTarget?: string;
  /** Where the sources go in the layer: `python`, or `nodejs/node_modules/<name>` for a Node package. Default `python`. */
  sourcesTarget?: string;
}

/**
 * Lambda adds a layer's `python/` to sys.path (and `nodejs/node_modules` to NODE_PATH): installed packages and sources both go there. The
 * installed tree goes in first and sources after, so a source file wins over an installed one of
 * the same path. Excludes apply to both, since both end up in the zip.
 */
export async function buildLayerTree(input: BuildLayerInput): Promise<{ files: number }> {
  await rm(input.outDir, { recursive: true, force: true });
  await mkdir(join(input.outDir, input.installedTarget ?? 'python'), { recursive: true });
  const placed = new Set<string>();
  if (input.installedDir) {
    const installed = await collectFiles(input.installedDir, { excludes: input.excludes, label: input.label });
    await placeFiles(installed, input.outDir, input.installedTarget ?? 'python', placed, { link: true });
  }
  if (input.sourcesDir) {
    const sources = await collectFiles(input.sourcesDir, { excludes: input.excludes, label: input.label });
    await placeFiles(sources, input.outDir, input.sourcesTarget ?? 'python', placed, { link: false });
  }
  return { files: placed.size };
}

/**
 * Installed files are hard-linked (a large requirements tree is then assembled without copying its
 * bytes; nothing writes to either side afterwards); sources are copied, since a user edits them in place.
 */
async function placeFiles(entries: FileEntry[], outDir: string, prefix: string, placed: Set<string>, opts: { link: boolean }): Promise<void> {
  const made = new Set<string>();
  for (const entry of entries) {
    const path = `${prefix}/${entry.path}`;
    const target = join(outDir, path);
    const dir = dirname(target);
    if (!made.has(dir)) {
      await mkdir(dir, { recursive: true });
      made.add(dir);
    }
    if (placed.has(path)) await rm(target, { force: true });
    if (!opts.link || !(await tryLink(entry.absPath, target))) {
      await copyFile(entry.absPath, target);
      await chmod(target, entry.mode);
    }
    placed.add(path);
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
