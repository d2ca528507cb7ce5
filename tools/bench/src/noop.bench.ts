import { startAwsProxy } from '../../../packages/local-aws/src/proxy/aws-proxy';
import { countBy } from '../../../packages/lambda-deploy/src/util/count-by';
import { NxWorkspace, SAMPLE_FUNCTIONS, SAMPLE_LAYERS } from '../../../tests/e2e/nx-workspace';
import type { BenchContext } from './benches';
import { seconds, startBenchEmulator } from './emulator';
import { printTable } from './print-table';
import { median } from './median';

const LAYERS = SAMPLE_LAYERS.length;
const FUNCTIONS = SAMPLE_FUNCTIONS.length;

/**
 * Target 3: `nx run-many -t deploy -c local` on the deployed sample app, unchanged (no write, at most
 * one read per project, every package from cache) vs. the same command after one layer changed,
 * alternated so both see the same machine load.
 */
export async function noopBench(ctx: BenchContext): Promise<void> {
  const rounds = ctx.size === 'full' ? 3 : 1;
  const emulator = await startBenchEmulator();
  const proxy = await startAwsProxy({ target: emulator.moto.endpoint });
  try {
    const ws = new NxWorkspace(proxy.endpoint, `bench-noop-${process.pid}`);
    const deploy = async () => {
      const before = proxy.requests.length;
      const started = performance.now();
      const run = await ws.nx(['run-many', '-t', 'deploy', '-c', 'local']);
      const elapsed = performance.now() - started;
      if (run.status !== 0) throw new Error(`deploy failed:\n${run.output}`);
      const requests = proxy.requests.slice(before);
      const cache = /Nx read the output from the cache instead of running the command for (\d+) out of (\d+) tasks/.exec(run.output);
      return { elapsed, requests, cached: cache ? `${cache[1]}/${cache[2]}` : '0', cacheHits: Number(cache?.[1] ?? 0), tasks: Number(cache?.[2] ?? 0) };
    };
    await deploy();

    const rows: string[][] = [];
    const noops: number[] = [];
    const changed: number[] = [];
    let verdict = true;
    for (let round = 0; round < rounds; round++) {
      const noop = await deploy();
      const reads = noop.requests.filter((r) => !r.write);
      const byOperation = callsBy(reads.map((r) => r.operation));
      // Every task but the deploys (install, build, package) is cacheable: all of them from cache.
      verdict &&= noop.requests.length === reads.length && reads.length <= LAYERS + FUNCTIONS && noop.cacheHits === noop.tasks - (LAYERS + FUNCTIONS);
      rows.push([`no-op #${round + 1}`, seconds(noop.elapsed), String(reads.length), String(noop.requests.length - reads.length), byOperation, noop.cached]);
      noops.push(noop.elapsed);

      ws.write('layers/vectora-core/src/vectora_core/scoring.py', `${ws.read('layers/vectora-core/src/vectora_core/scoring.py')}\n# bench round ${round}\n`);
      const change = await deploy();
      const changeReads = change.requests.filter((r) => !r.write);
      rows.push([`one layer changed #${round + 1}`, seconds(change.elapsed), String(changeReads.length), String(change.requests.length - changeReads.length), callsBy(change.requests.filter((r) => r.write).map((r) => r.operation)), change.cached]);
      changed.push(change.elapsed);
    }

    process.stdout.write(`\nNo-op deploy: sample app (${LAYERS} layers, ${FUNCTIONS} functions), real nx CLI (daemon off, as in CI), moto behind a recording proxy\n`);
    printTable(
      [{ header: 'run' }, { header: 'seconds', align: 'right' }, { header: 'reads', align: 'right' }, { header: 'writes', align: 'right' }, { header: 'calls (reads for no-op, writes otherwise)' }, { header: 'cache hits', align: 'right' }],
      rows,
    );
    process.stdout.write(`no-op median ${seconds(median(noops))} s vs one layer changed ${seconds(median(changed))} s (ratio ${(median(noops) / median(changed)).toFixed(2)})\n`);
    process.stdout.write(`target: 0 writes, <= ${LAYERS + FUNCTIONS} reads (one per project), packages from cache -> ${verdict ? 'met' : 'NOT met'}\n`);
  } finally {
    await proxy.stop();
    await emulator.stop();
  }
}

function callsBy(values: string[]): string {
  return Object.entries(countBy(values, (value) => value))
    .map(([value, n]) => `${value} x${n}`)
    .join(', ');
}
