import { startAwsProxy } from '../../../packages/local-aws/src/proxy/aws-proxy';
import { createFaultInjector } from '../../../packages/local-aws/src/proxy/fault-injector';
import { PYTHON_FUNCTIONS, SAMPLE_FUNCTIONS, SAMPLE_LAYERS, type NxWorkspace } from '../../../tests/e2e/nx-workspace';
import type { BenchContext } from './benches';
import { LAMBDA_LIKE, seconds, startBenchEmulator } from './emulator';
import { fleetWorkspace } from './fleet.bench';
import { printTable } from './print-table';
import { median } from './median';

const EDITED_LAYER_FILE = 'layers/vectora-core/src/vectora_core/scoring.py';
const ENVIRONMENTS = { one: ['us-east-1'], three: ['us-east-1', 'eu-west-1', 'ap-southeast-2'] };

/**
 * Issue-18 target: the same deploy to 3 regions against 1 region, through the real `nx` CLI, wall
 * time ratio (target at most 1.3x). Two environments of one workspace differ only by their regions;
 * every request gets Lambda-like latency. The proxy cannot tell regions apart, so it does not rate-limit
 * (its limit would be one quota for all three): each region is held to 14/s by its own pacer in the
 * tool. A first deploy (creates everything), then edit-to-deployed (a vectora-core edit repointing
 * every function but the sample's TypeScript one), the two environments run alternately, one after the other, on the same edit.
 */
export async function regionsBench(ctx: BenchContext): Promise<void> {
  const functions = ctx.size === 'full' ? 30 : 6;
  const rounds = ctx.size === 'full' ? 3 : 1;
  const emulator = await startBenchEmulator();
  const proxy = await startAwsProxy({ target: emulator.moto.endpoint, faults: createFaultInjector({ latencyMs: LAMBDA_LIKE.latencyMs }) });
  try {
    const ws = fleetWorkspace(`bench-rg-${process.pid}`, proxy.endpoint, functions);
    const nxJson = JSON.parse(ws.read('nx.json'));
    for (const [name, regions] of Object.entries(ENVIRONMENTS)) {
      nxJson.plugins[0].options.environments[name] = { emulator: true, regions, artifactBucket: `${ws.prefix}-artifacts-${name}-{region}`, createMissingFunctions: true };
    }
    ws.write('nx.json', `${JSON.stringify(nxJson, null, 2)}\n`);
    ws.commit('one and three regions');
    await run(ws, ['run-many', '-t', 'package']);

    const rows: string[][] = [];
    const first = { one: await run(ws, ['run-many', '-t', 'deploy', '-c', 'one']), three: await run(ws, ['run-many', '-t', 'deploy', '-c', 'three']) };
    rows.push(['first deploy (creates everything)', seconds(first.one), seconds(first.three), (first.three / first.one).toFixed(2)]);
    const edits = { one: [] as number[], three: [] as number[] };
    for (let round = 0; round < rounds; round++) {
      ws.write(EDITED_LAYER_FILE, `${ws.read(EDITED_LAYER_FILE)}\n# regions bench ${round}\n`);
      await run(ws, ['run-many', '-t', 'package']);
      // Alternate which environment goes first, so neither always meets a warmer machine.
      const order = round % 2 === 0 ? (['one', 'three'] as const) : (['three', 'one'] as const);
      for (const env of order) edits[env].push(await run(ws, ['run-many', '-t', 'deploy', '-c', env]));
    }
    const one = median(edits.one);
    const repointed = functions - (SAMPLE_FUNCTIONS.length - PYTHON_FUNCTIONS.length);
    const three = median(edits.three);
    rows.push([`edit-to-deployed (${repointed} functions repointed per region), median of ${rounds}`, seconds(one), seconds(three), (three / one).toFixed(2)]);

    process.stdout.write(`\nRegions: real nx CLI, sample app + ${functions - SAMPLE_FUNCTIONS.length} copies of ingest-v2 (${functions + SAMPLE_LAYERS.length} projects), moto behind a proxy adding ${LAMBDA_LIKE.latencyMs} ms per request; each region paced to 14/s by the tool\n`);
    printTable([{ header: 'run' }, { header: '1 region s', align: 'right' }, { header: '3 regions s', align: 'right' }, { header: '3 / 1', align: 'right' }], rows);
  } finally {
    await proxy.stop();
    await emulator.stop();
  }
}

async function run(ws: NxWorkspace, args: string[]): Promise<number> {
  const started = performance.now();
  const result = await ws.nx(args);
  if (result.status !== 0) throw new Error(`nx ${args.join(' ')} failed:\n${result.output}`);
  return performance.now() - started;
}

