import { collectFiles } from '@vectora/lambda-deploy';
import { writeDeterministicZip } from '@vectora/lambda-deploy';

/** Child process of the packaging bench: `zip-with-writer.ts <root> <out.zip>`, prints {"seconds"}. */
async function main([root, outFile]: string[]): Promise<void> {
  const started = performance.now();
  await writeDeterministicZip(await collectFiles(root, { label: 'bench' }), outFile);
  process.stdout.write(JSON.stringify({ seconds: (performance.now() - started) / 1000 }));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
