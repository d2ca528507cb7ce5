import { deployFunction } from '../../../packages/lambda-deploy/src/deploy/deploy-function';
import { deployLayer } from '../../../packages/lambda-deploy/src/deploy/deploy-layer';
import { waitForUpdate } from '../../../packages/lambda-deploy/src/aws/wait-for-update';
import { DEFAULT_CONTROL_PLANE_RATE } from '../../../packages/lambda-deploy/src/aws/clients';
import { DEFAULT_CASCADE_CONCURRENCY } from '../../../packages/lambda-deploy/src/deploy/deploy-context';
import { mapSettled } from '../../../packages/lambda-deploy/src/util/map-limit';
import { emulatorContext, fleetFiles, makeWorkspace, packageAll, writeFile } from '../../../packages/lambda-deploy/test/emulator-workspace';
import type { BenchContext } from './benches';
import { LAMBDA_LIKE, seconds, startBenchEmulator } from './emulator';
import { printTable } from './print-table';

/**
 * Target 2: one layer shared by N functions, behind a proxy with Lambda's control-plane limits.
 * Our cascade vs the bound `N / rate + one InProgress wait`, and vs the old sequential way
 * (update one function, wait for it, next).
 */
export async function cascadeBench(ctx: BenchContext): Promise<void> {
  const n = ctx.size === 'full' ? 100 : 10;
  const emulator = await startBenchEmulator();
  try {
    const root = makeWorkspace(fleetFiles(['core'], n));
    const functions = Array.from({ length: n }, (_, i) => `fn-${i}`);
    const prefix = `bench-cascade-${process.pid}`;
    await packageAll(root);
    const setup = emulatorContext(root, { prefix, endpoint: emulator.moto.endpoint });
    await deployLayer(setup, 'core', []);
    await mapSettled(functions, 8, (fn) => deployFunction(setup, fn, { layersOnly: false }));

    let revision = 0;
    const changeLayer = async () => {
      writeFile(root, 'layers/core/src/core.py', `REVISION = ${++revision}\n`);
      await packageAll(root);
    };
    const bound = (n / LAMBDA_LIKE.updatesPerSecond) * 1000 + LAMBDA_LIKE.inProgressMs;
    const rows: string[][] = [];

    const ours = async (label: string, rate: number) => {
      await changeLayer();
      const { proxy, faults } = await emulator.lambdaLike();
      const run = emulatorContext(root, { prefix, endpoint: proxy.endpoint, session: { controlPlaneRate: rate }, concurrency: DEFAULT_CASCADE_CONCURRENCY, wait: {} });
      const started = performance.now();
      const outcome = await deployLayer(run, 'core', functions);
      const elapsed = performance.now() - started;
      if (outcome.failures.length > 0) throw new Error(`${label}: ${outcome.failures.length} functions failed`);
      rows.push([label, seconds(elapsed), (elapsed / bound).toFixed(2), String(proxy.requests.filter((r) => r.operation === 'UpdateFunctionConfiguration' && !r.injected).length), String(faults.stats.throttled), String(run.session.retryStats.retries)]);
      return elapsed;
    };

    // The old script's way: one function at a time, each waited for before the next.
    const sequential = async () => {
      await changeLayer();
      const publish = emulatorContext(root, { prefix, endpoint: emulator.moto.endpoint });
      await deployLayer(publish, 'core', []);
      const arn = (await publish.session.lambda.listLayerVersions(`${prefix}-core-test`))[0].arn;
      const { proxy, faults } = await emulator.lambdaLike();
      const run = emulatorContext(root, { prefix, endpoint: proxy.endpoint, wait: {} });
      const started = performance.now();
      for (const fn of functions) {
        const name = `${prefix}-${fn}-test`;
        await waitForUpdate(run.session.lambda, name, await run.session.lambda.updateFunctionConfiguration(name, { layers: [arn] }), {});
      }
      const elapsed = performance.now() - started;
      rows.push(['sequential: update, wait, next', seconds(elapsed), (elapsed / bound).toFixed(2), String(n), String(faults.stats.throttled), String(run.session.retryStats.retries)]);
      return elapsed;
    };

    const paced = await ours(`ours, paced at ${DEFAULT_CONTROL_PLANE_RATE}/s (default)`, DEFAULT_CONTROL_PLANE_RATE);
    const matched = await ours(`ours, paced at ${LAMBDA_LIKE.updatesPerSecond}/s (the quota)`, LAMBDA_LIKE.updatesPerSecond);
    const old = await sequential();

    process.stdout.write(`\nCascade: 1 layer -> ${n} functions; proxy: ${LAMBDA_LIKE.updatesPerSecond} updates/s, ${LAMBDA_LIKE.inProgressMs} ms InProgress, ${LAMBDA_LIKE.latencyMs} ms latency; bound = ${n}/${LAMBDA_LIKE.updatesPerSecond} + ${LAMBDA_LIKE.inProgressMs / 1000} s = ${seconds(bound)} s\n`);
    printTable(
      [{ header: 'approach' }, { header: 'seconds', align: 'right' }, { header: 'vs bound', align: 'right' }, { header: 'updates', align: 'right' }, { header: '429s', align: 'right' }, { header: 'retries', align: 'right' }],
      rows,
    );
    process.stdout.write(`target: ours <= 1.30 x bound: ${(paced / bound).toFixed(2)} (default pacing), ${(matched / bound).toFixed(2)} (paced at the quota) -> ${Math.max(paced, matched) / bound <= 1.3 ? 'met' : 'NOT met'}\n`);
    process.stdout.write(`speed-up over sequential: ${(old / paced).toFixed(1)}x (default pacing), ${(old / matched).toFixed(1)}x (paced at the quota)\n`);
  } finally {
    await emulator.stop();
  }
}
