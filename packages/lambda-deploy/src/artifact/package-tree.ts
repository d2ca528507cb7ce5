import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { collectFiles } from './collect-files';
import { writeManifest } from './manifest';
import { writeDeterministicZip, type ZipManifest } from './zip-deterministic';

/**
 * Zip of a built tree plus its manifest, written fresh (stale files from an earlier package never
 * linger). `check` sees the unzipped total first, so an oversized tree is refused before zipping it.
 */
export async function packageTree(opts: { treeDir: string; outZip: string; manifestFile: string; label: string; excludes?: string[]; check?: (unzipped: { unzippedSize: number }) => void }): Promise<ZipManifest> {
  await rm(dirname(opts.outZip), { recursive: true, force: true });
  const entries = await collectFiles(opts.treeDir, { excludes: opts.excludes, label: opts.label });
  opts.check?.({ unzippedSize: entries.reduce((sum, entry) => sum + entry.size, 0) });
  const manifest = await writeDeterministicZip(entries, opts.outZip);
  writeManifest(opts.manifestFile, manifest);
  return manifest;
}
