import { chmod, copyFile, mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { collectFiles } from './collect-files';
import { pipInstallForLambda } from './pip-install';

export interface BuildLayerInput {
  layerRoot: string;
  sourcesDir?: string;
  requirementsFile?: string;
  /** The requirements file as the user knows it (repo-relative), for logs and errors. */
  requirementsLabel?: string;
  /** Stream pip's progress lines (on a terminal). */
  showProgress?: boolean;
  excludes: string[];
  pythonVersion: string;
  architecture: 'x86_64' | 'arm64';
  outDir: string;
  label: string;
  log: (line: string) => void;
}

/** Lambda adds a layer's `python/` to sys.path: sources and installed packages both go there. */
export async function buildLayerTree(input: BuildLayerInput): Promise<{ files: number }> {
  await rm(input.outDir, { recursive: true, force: true });
  const pythonDir = join(input.outDir, 'python');
  await mkdir(pythonDir, { recursive: true });
  let copied = 0;
  if (input.sourcesDir) {
    for (const entry of await collectFiles(input.sourcesDir, { excludes: input.excludes, label: input.label })) {
      const target = join(pythonDir, entry.path);
      await mkdir(dirname(target), { recursive: true });
      await copyFile(entry.absPath, target);
      await chmod(target, entry.mode);
      copied++;
    }
  }
  if (input.requirementsFile) {
    await pipInstallForLambda({ requirementsFile: input.requirementsFile, targetDir: pythonDir, pythonVersion: input.pythonVersion, architecture: input.architecture, log: input.log, label: input.requirementsLabel, showProgress: input.showProgress });
  }
  // Count what will be zipped (pip may add files the excludes then drop).
  const files = (await collectFiles(input.outDir, { excludes: input.excludes, label: input.label })).length;
  return { files: Math.max(files, copied) };
}
