import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext } from '../benches';
import { printTable } from '../print-table';
import { PackagingWorkspace, type CliPackageRun } from './cli-workspace';
import { writeLayerFixture } from './layer-fixture';
import { runMeasured } from './measure-process';
import { copyTreePrefix, pythonLibDir, writeLargeFileTree, writeRealTree, type Corpus } from './real-corpora';
import { median } from '../median';

// Issue 13, target 2: packaging through the CLI at most Info-ZIP's time, on every kind of tree.
const MAX_CLI_RATIO = 1.0;

interface CorpusResult {
  corpus: Corpus;
  zipSeconds: number[];
  cli: CliPackageRun[];
  identical: boolean;
}

/** Is Info-ZIP's `zip` on this machine? The bench says so plainly rather than failing half-way. */
function hasInfoZip(): boolean {
  try {
    execFileSync('zip', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * `nx run <layer>:package` through the real CLI against `zip -X -r -6` on the same built tree, for
 * three trees: the Python library on this machine (many small files), the generated layer, and that
 * library's large files only; and a tiny tree, which shows Nx's own cost per run (not judged). Rounds
 * interleave the two so machine drift hits both alike.
 */
export async function packagingThroughCli(ctx: BenchContext): Promise<void> {
  const maxBytes = ctx.size === 'full' ? 200 << 20 : 20 << 20;
  const rounds = ctx.size === 'full' ? 3 : 1;
  const withZip = hasInfoZip();
  if (!withZip) process.stdout.write('Info-ZIP `zip` is not installed (Debian: apt-get install zip): ratios against it are skipped\n');
  const layers = ['real-tree', 'generated', 'large-files', 'tiny'];
  const ws = new PackagingWorkspace(layers);
  try {
    const pythonDir = (layer: string) => join(ws.buildDir(layer), 'python');
    const fixture = writeLayerFixture(ctx.size === 'full' ? 1 : 0.1);
    mkdirSync(ws.buildDir('generated'), { recursive: true });
    renameSync(join(fixture.root, 'python'), pythonDir('generated'));
    rmSync(fixture.root, { recursive: true, force: true });
    const corpora: Record<string, Corpus> = {
      'real-tree': writeRealTree(pythonDir('real-tree'), maxBytes),
      generated: { name: 'generated layer (tools/bench fixture)', origin: 'layer-fixture.ts', files: fixture.files, bytes: fixture.bytes },
      'large-files': writeLargeFileTree(pythonDir('large-files'), maxBytes, 1 << 20),
      // Next to nothing to zip: what is left of `nx s` is what Nx and the task's process cost on any tree.
      tiny: { name: "a few files (Nx's own cost)", origin: pythonLibDir(), ...copyTreePrefix(pythonLibDir(), pythonDir('tiny'), 32 << 10, (size) => size >= 4096) },
    };
    for (const layer of layers) process.stdout.write(`corpus ${layer}: ${corpora[layer].files} files, ${mb(corpora[layer].bytes)} MB, from ${corpora[layer].origin}\n`);
    process.stdout.write(`${rounds} round(s); both timed as whole processes (nx: start-up, graph and executor included)\n`);

    const results: CorpusResult[] = [];
    for (const layer of layers) {
      const result: CorpusResult = { corpus: corpora[layer], zipSeconds: [], cli: [], identical: true };
      const hashes = new Set<string>();
      for (let round = 0; round < rounds; round++) {
        if (withZip) {
          const zipOut = join(ws.root, `${layer}-infozip.zip`);
          result.zipSeconds.push((await runMeasured('zip', ['-X', '-r', '-6', '-q', zipOut, '.'], ws.buildDir(layer))).wallSeconds);
          rmSync(zipOut);
        }
        const run = await ws.package(layer);
        result.cli.push(run);
        hashes.add(createHash('sha256').update(readFileSync(ws.zipFile(layer))).digest('hex'));
        process.stdout.write(`  ${layer} round ${round + 1}: zip ${withZip ? `${result.zipSeconds[round].toFixed(2)} s` : '-'}, nx ${run.seconds.toFixed(2)} s (engine ${run.engineSeconds.toFixed(1)} s)\n`);
      }
      result.identical = hashes.size === 1;
      results.push(result);
    }

    process.stdout.write('\n');
    printTable(
      [
        { header: 'tree' },
        { header: 'files', align: 'right' },
        { header: 'MB', align: 'right' },
        { header: 'zip s', align: 'right' },
        { header: 'nx s', align: 'right' },
        { header: 'engine s', align: 'right' },
        { header: 'nx/zip', align: 'right' },
        { header: 'engine/zip', align: 'right' },
        { header: 'nx MB/s', align: 'right' },
        { header: 'nx files/s', align: 'right' },
        { header: 'zip MB/s', align: 'right' },
        { header: 'zip files/s', align: 'right' },
        { header: 'same bytes', align: 'right' },
      ],
      results.map((r) => {
        const zip = withZip ? median(r.zipSeconds) : NaN;
        const cli = median(r.cli.map((run) => run.seconds));
        const engine = median(r.cli.map((run) => run.engineSeconds));
        const mbs = (seconds: number) => (r.corpus.bytes / 2 ** 20 / seconds).toFixed(1);
        const fps = (seconds: number) => (r.corpus.files / seconds).toFixed(0);
        return [
          r.corpus.name,
          String(r.corpus.files),
          mb(r.corpus.bytes),
          withZip ? zip.toFixed(2) : '-',
          cli.toFixed(2),
          engine.toFixed(1),
          withZip ? (cli / zip).toFixed(2) : '-',
          withZip ? (engine / zip).toFixed(2) : '-',
          mbs(cli),
          fps(cli),
          withZip ? mbs(zip) : '-',
          withZip ? fps(zip) : '-',
          r.identical ? `yes (${r.cli.length})` : 'NO',
        ];
      }),
    );
    const missed = results.filter((r) => r.corpus !== corpora.tiny).filter((r) => !r.identical || (withZip && median(r.cli.map((run) => run.seconds)) / median(r.zipSeconds) > MAX_CLI_RATIO));
    process.stdout.write(`\nverdict: nx package <= ${MAX_CLI_RATIO.toFixed(1)}x zip with identical bytes: ${missed.length === 0 ? 'met' : `MISSED on ${missed.map((r) => r.corpus.name).join(', ')}`}${withZip ? '' : ' (bytes only: no zip to compare with)'}\n`);
    if (missed.length > 0) process.exitCode = 1;
  } finally {
    ws.remove();
  }
}

function mb(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}

