import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import archiver from 'archiver';
import { collectFiles } from '@vectora/lambda-deploy';

// Fixed like our writer's, so archiver's output can be compared run to run.
const FIXED_DATE = new Date(1980, 0, 1);

/**
 * Child process of the packaging bench: `zip-with-archiver.ts <root> <out.zip>`, prints {"seconds"}.
 * Same file list as the writer gets, so the two differ only in how they zip.
 */
async function main([root, outFile]: string[]): Promise<void> {
  const started = performance.now();
  const entries = await collectFiles(root, { label: 'bench' });
  // archiver stats 4 files at a time and adds each as its stat returns: one at a time keeps the
  // given order, without which its output differs run to run.
  const archive = archiver('zip', { zlib: { level: 6 }, statConcurrency: 1 });
  const output = createWriteStream(outFile);
  archive.pipe(output);
  for (const entry of entries) archive.file(entry.absPath, { name: entry.path, date: FIXED_DATE, mode: entry.mode });
  await archive.finalize();
  await finished(output);
  process.stdout.write(JSON.stringify({ seconds: (performance.now() - started) / 1000 }));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
