import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchContext } from './benches';
import { runMeasured } from './packaging/measure-process';
import { printTable } from './print-table';
import { LAYER_FIXTURE, LAYER_PACKAGES, NodeBenchWorkspace, type NxStepRun } from './node/node-workspace';
import { median } from './median';

// Issue 19, item 7: bundling through the CLI at most 1.2x esbuild's own CLI on the same entry.
const MAX_BUNDLE_RATIO = 1.2;

interface Row {
  step: string;
  contender: string;
  nx: NxStepRun[];
  plain: number[];
  note: string;
}

/**
 * Node functions and layers through the nx CLI against the tools they wrap, on the same input, rounds
 * interleaved so machine drift hits both alike:
 * - `nx run digest:package` (esbuild via the engine, then the deterministic zip) against esbuild's own
 *   CLI (node_modules/.bin/esbuild) with the same options and externals, on a CommonJS handler inlining
 *   generated modules and archiver's package tree;
 * - `nx run node-deps:install` (npm ci for Lambda's platform) against plain `npm ci --omit=dev` on the
 *   same package.json and lockfile, both with the same (warm) npm cache.
 * Each nx figure is a whole process (Nx start-up, graph, executor); the executor's own logged time is
 * shown beside it, to tell Nx's fixed cost from the step's.
 */
export async function nodeBench(ctx: BenchContext): Promise<void> {
  const rounds = ctx.size === 'full' ? 3 : 1;
  const modules = ctx.size === 'full' ? 600 : 60;
  const ws = new NodeBenchWorkspace(modules);
  const scratch = mkdtempSync(join(tmpdir(), 'bench-node-plain-'));
  try {
    process.stdout.write(`machine: ${availableParallelism()} CPUs (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}\n`);
    process.stdout.write(`function: CommonJS handler, ${modules} generated modules + archiver inlined, layer packages (${LAYER_PACKAGES.join(', ')}) and @aws-sdk/* external; ${rounds} round(s)\n`);
    await ws.buildLayer();
    const esbuild = join(ws.root, 'node_modules', '.bin', 'esbuild');
    const esbuildOut = join(scratch, 'esbuild', 'handler.js');
    const esbuildArgs = ['src/handler.ts', '--bundle', '--platform=node', '--target=node22', '--format=cjs', `--outfile=${esbuildOut}`, '--external:@aws-sdk/*', ...LAYER_PACKAGES.map((name) => `--external:${name}`), '--log-level=warning'];
    const npmDir = join(scratch, 'npm');
    const bundle: Row = { step: 'bundle a function', contender: 'esbuild CLI', nx: [], plain: [], note: '' };
    const install: Row = { step: 'install a Node layer', contender: 'npm ci --omit=dev', nx: [], plain: [], note: '' };
    for (let round = 0; round < rounds; round++) {
      bundle.plain.push((await runMeasured(esbuild, esbuildArgs, ws.functionDir)).wallSeconds);
      bundle.nx.push(await ws.packageFunction());
      rmSync(npmDir, { recursive: true, force: true });
      mkdirSync(npmDir, { recursive: true });
      for (const file of ['package.json', 'package-lock.json']) cpSync(join(LAYER_FIXTURE, file), join(npmDir, file));
      install.plain.push((await runMeasured('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--loglevel=error'], npmDir)).wallSeconds);
      install.nx.push(await ws.install());
      process.stdout.write(
        `  round ${round + 1}: esbuild ${bundle.plain[round].toFixed(2)} s, nx package ${bundle.nx[round].seconds.toFixed(2)} s; npm ci ${install.plain[round].toFixed(2)} s, nx install ${install.nx[round].seconds.toFixed(2)} s\n`,
      );
    }
    const engineBundle = join(ws.root, 'dist', 'lambdas', 'digest');
    bundle.note = `bundle ${kb(statSync(esbuildOut).size)} KB (esbuild CLI) vs ${kb(bundleSize(engineBundle))} KB (engine)`;
    install.note = 'same lockfile, warm npm cache';

    process.stdout.write('\n');
    printTable(
      [
        { header: 'step' },
        { header: 'against' },
        { header: 'plain s', align: 'right' },
        { header: 'nx s', align: 'right' },
        { header: 'executor s', align: 'right' },
        { header: 'nx/plain', align: 'right' },
        { header: 'executor/plain', align: 'right' },
        { header: 'note' },
      ],
      [bundle, install].map((row) => {
        const plain = median(row.plain);
        const nx = median(row.nx.map((run) => run.seconds));
        const executor = median(row.nx.map((run) => run.engineSeconds));
        return [row.step, row.contender, plain.toFixed(2), nx.toFixed(2), executor.toFixed(2), (nx / plain).toFixed(2), (executor / plain).toFixed(2), row.note];
      }),
    );
    const ratio = median(bundle.nx.map((run) => run.seconds)) / median(bundle.plain);
    process.stdout.write(`\nverdict: nx package <= ${MAX_BUNDLE_RATIO.toFixed(1)}x esbuild CLI: ${ratio <= MAX_BUNDLE_RATIO ? 'met' : 'MISSED'} (${ratio.toFixed(2)}x)\n`);
    if (ratio > MAX_BUNDLE_RATIO) process.exitCode = 1;
  } finally {
    ws.remove();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The engine's bundled handler (the .js file under the function's dist folder, not the zip). */
function bundleSize(dir: string): number {
  const file = readdirSync(dir, { withFileTypes: true, recursive: true }).find((entry) => entry.isFile() && entry.name === 'handler.js');
  return file ? statSync(join(file.parentPath, file.name)).size : 0;
}

function kb(bytes: number): string {
  return (bytes / 1024).toFixed(0);
}

