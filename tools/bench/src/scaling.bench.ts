import { deployFunction } from '../../../packages/lambda-deploy/src/deploy/deploy-function';
import { deployLayer } from '../../../packages/lambda-deploy/src/deploy/deploy-layer';
import { DEFAULT_CASCADE_CONCURRENCY } from '../../../packages/lambda-deploy/src/deploy/deploy-context';
import { mapSettled } from '../../../packages/lambda-deploy/src/util/map-limit';
import { emulatorContext, makeWorkspace, packageAll, writeFile } from '../../../packages/lambda-deploy/test/emulator-workspace';
import type { BenchContext } from './benches';
import { seconds, startBenchEmulator } from './emulator';
import { printTable } from './print-table';

const SMALL_GROUP = 10;

/**
 * Target 4: time and AWS calls for a layer change as the repo grows. `shared` is on every function,
 * `small` on the first ten only, any further layers spread over the functions. Changing `shared`
 * must cost in proportion to N; changing `small` must cost the same whatever N is.
 */
export async function scalingBench(ctx: BenchContext): Promise<void> {
  const sizes = ctx.size === 'full' ? [10, 50, 200] : [10, 20];
  const layerCounts = ctx.size === 'full' ? [2, 5] : [2];
  const emulator = await startBenchEmulator();
  const rows: string[][] = [];
  const shared: { affected: number; ms: number; calls: number }[] = [];
  const flat: number[] = [];
  try {
    for (const layers of layerCounts) {
      for (const n of sizes) {
        const root = makeWorkspace(scaledRepo(n, layers));
        const prefix = `bench-scale-${process.pid}-${layers}-${n}`;
        await packageAll(root);
        const setup = emulatorContext(root, { prefix, endpoint: emulator.moto.endpoint });
        for (const layer of layerNames(layers)) await deployLayer(setup, layer, []);
        await mapSettled(Array.from({ length: n }, (_, i) => `fn-${i}`), 8, (fn) => deployFunction(setup, fn, { layersOnly: false }));

        for (const [changed, affected] of [['shared', n], ['small', Math.min(SMALL_GROUP, n)]] as const) {
          writeFile(root, `layers/${changed}/src/${changed}.py`, `REVISION = ${Date.now()}\n`);
          await packageAll(root);
          const { proxy } = await emulator.lambdaLike();
          const run = emulatorContext(root, { prefix, endpoint: proxy.endpoint, concurrency: DEFAULT_CASCADE_CONCURRENCY, wait: {} });
          const dependents = Array.from({ length: affected }, (_, i) => `fn-${i}`);
          const started = performance.now();
          const outcome = await deployLayer(run, changed, dependents);
          const elapsed = performance.now() - started;
          if (outcome.failures.length > 0) throw new Error(`${changed} x${n}: ${outcome.failures.length} failures`);
          const writes = proxy.requests.filter((r) => r.write).length;
          rows.push([String(layers), String(n), changed, String(affected), seconds(elapsed), String(proxy.requests.length), String(writes), (elapsed / affected).toFixed(0)]);
          if (changed === 'shared') shared.push({ affected, ms: elapsed, calls: proxy.requests.length });
          if (changed === 'small') flat.push(elapsed);
        }
      }
    }
    process.stdout.write('\nScaling: one layer change, cascade through the Lambda-like proxy (15 updates/s, 1 s InProgress, 50 ms latency)\n');
    printTable(
      [{ header: 'layers', align: 'right' }, { header: 'functions', align: 'right' }, { header: 'changed' }, { header: 'affected', align: 'right' }, { header: 'seconds', align: 'right' }, { header: 'AWS calls', align: 'right' }, { header: 'writes', align: 'right' }, { header: 'ms/affected', align: 'right' }],
      rows,
    );
    const spread = (values: number[]) => Math.max(...values) / Math.min(...values);
    const time = fitLine(shared.map((r) => [r.affected, r.ms]));
    const calls = fitLine(shared.map((r) => [r.affected, r.calls]));
    process.stdout.write(`linear in affected ('shared' rows, least squares): time = ${seconds(time.intercept)} s + ${time.slope.toFixed(1)} ms x affected (worst residual ${(time.worstResidual * 100).toFixed(1)}%); calls = ${calls.intercept.toFixed(1)} + ${calls.slope.toFixed(2)} x affected (worst residual ${(calls.worstResidual * 100).toFixed(1)}%)\n`);
    process.stdout.write(`flat in unaffected: the 'small' change (10 affected) takes ${seconds(Math.min(...flat))}-${seconds(Math.max(...flat))} s whatever the repo size (spread ${spread(flat).toFixed(2)}x)\n`);
  } finally {
    await emulator.stop();
  }
}

function layerNames(count: number): string[] {
  return ['shared', 'small', ...Array.from({ length: count - 2 }, (_, i) => `extra-${i}`)];
}

/** A repo of `n` functions on `layers` layers, as described above. */
function scaledRepo(n: number, layers: number): Record<string, string> {
  const names = layerNames(layers);
  const files: Record<string, string> = { VERSION: names.map((l) => `${l}=1.0.0\n`).join('') };
  for (const layer of names) {
    files[`layers/${layer}/layer.json`] = JSON.stringify({ sources: 'src' });
    files[`layers/${layer}/src/${layer.replace(/-/g, '_')}.py`] = 'REVISION = 0\n';
  }
  const extras = names.slice(2);
  for (let i = 0; i < n; i++) {
    const own = ['shared', ...(i < SMALL_GROUP ? ['small'] : []), ...(extras.length > 0 ? [extras[i % extras.length]] : [])];
    files[`lambdas/fn-${i}/function.json`] = JSON.stringify({ runtime: 'python3.12', handler: 'handler.handler', layers: own });
    files[`lambdas/fn-${i}/handler.py`] = `def handler(event, context):\n    return ${i}\n`;
  }
  return files;
}

/** Least-squares line through the points, and the worst relative distance of a point from it. */
function fitLine(points: number[][]): { intercept: number; slope: number; worstResidual: number } {
  const n = points.length;
  const mx = points.reduce((sum, [x]) => sum + x, 0) / n;
  const my = points.reduce((sum, [, y]) => sum + y, 0) / n;
  const sxx = points.reduce((sum, [x]) => sum + (x - mx) ** 2, 0);
  const slope = sxx === 0 ? 0 : points.reduce((sum, [x, y]) => sum + (x - mx) * (y - my), 0) / sxx;
  const intercept = my - slope * mx;
  const worstResidual = Math.max(...points.map(([x, y]) => Math.abs(y - (intercept + slope * x)) / y));
  return { intercept, slope, worstResidual };
}
