// @module-tag e2e
import { GetFunctionCommand, GetLayerVersionCommand, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startAwsProxy, type AwsProxy } from '../../packages/local-aws/src/proxy/aws-proxy';
import { EmulatorLambda, NxWorkspace, SAMPLE_FUNCTIONS, SAMPLE_PROJECTS } from './nx-workspace';

let proxy: AwsProxy;
let ws: NxWorkspace;
let lambda: EmulatorLambda;

beforeAll(async () => {
  proxy = await startAwsProxy({ target: inject('motoEndpoint') });
  ws = new NxWorkspace(proxy.endpoint, `pr${process.pid % 10000}`);
  lambda = new EmulatorLambda(inject('motoEndpoint'));
  // A second emulator environment to promote into, with its own bucket.
  const nxJson = JSON.parse(ws.read('nx.json'));
  nxJson.plugins[0].options.environments.stage = { emulator: true, region: 'us-east-1', artifactBucket: `${ws.prefix}-artifacts-stage`, createMissingFunctions: true };
  ws.write('nx.json', `${JSON.stringify(nxJson, null, 2)}\n`);
  // A function with no managed layer: its promote task has no ^promote dependency, so Nx starts it at once.
  ws.write('lambdas/solo-v2/function.json', `${JSON.stringify({ runtime: 'python3.12', handler: 'handler.handler', layers: [] })}\n`);
  ws.write('lambdas/solo-v2/handler.py', 'def handler(event, context):\n    return 1\n');
  ws.commit('a stage environment, a layerless function');
});
afterAll(async () => proxy?.stop());

/** What a function runs in an environment: its CodeSha256, and each layer's Description. */
async function runs(fn: string, environment: string) {
  const config = (await lambda.client.send(new GetFunctionCommand({ FunctionName: ws.awsName(fn, environment) }))).Configuration!;
  const layers = await Promise.all((config.Layers ?? []).map(async (layer) => {
    const [name, version] = layer.Arn!.split(':').slice(-2);
    return (await lambda.client.send(new GetLayerVersionCommand({ LayerName: name, VersionNumber: Number(version) }))).Description!;
  }));
  return { code: config.CodeSha256, layers };
}

const contentOf = (description: string) => description.split(' from=')[0];

describe('promote through the real nx CLI', () => {
  it('deploys to stage exactly what local runs, building nothing, with provenance; refused with no write after a hand change in local', async () => {
    const deploy = await ws.nx(['run-many', '-t', 'deploy', '-c', 'local']);
    expect(deploy.status, deploy.output).toBe(0);
    // The repo moves on after the deploy: promotion must ship what local runs, not this.
    ws.write('lambdas/ingest-v2/handler.py', `${ws.read('lambdas/ingest-v2/handler.py')}\n# changed after the deploy\n`);

    const promote = await ws.nx(['run-many', '-t', 'promote', '-c', 'stage', '--from=local']);
    expect(promote.status, promote.output).toBe(0);
    for (const project of SAMPLE_PROJECTS) {
      expect(promote.output, `${project} was built or packaged`).not.toMatch(new RegExp(`nx run ${project}:(install|build|package)`));
    }
    const commit = ws.git('rev-parse', 'HEAD').trim().slice(0, 12);
    for (const fn of [...SAMPLE_FUNCTIONS, 'solo-v2']) {
      const [local, stage] = [await runs(fn, 'local'), await runs(fn, 'stage')];
      expect(stage.code, fn).toBe(local.code);
      expect(stage.layers.map(contentOf), fn).toEqual(local.layers);
      for (const description of stage.layers) expect(description, fn).toMatch(new RegExp(` from=local commit=${commit}$`));
    }

    // A new layer version and new code of the layerless function in local (so the promotion has
    // writes to make, solo-v2's in a task that waits on no layer), then a hand change there.
    ws.write('layers/vectora-core/src/vectora_core/__init__.py', `${ws.read('layers/vectora-core/src/vectora_core/__init__.py')}\n# another change, deployed to local\n`);
    ws.write('lambdas/solo-v2/handler.py', 'def handler(event, context):\n    return 2\n');
    const redeploy = await ws.nx(['run-many', '-t', 'deploy', '-p', 'vectora-core', 'solo-v2', '-c', 'local']);
    expect(redeploy.status, redeploy.output).toBe(0);
    await lambda.client.send(new UpdateFunctionConfigurationCommand({ FunctionName: ws.awsName('normalize-score-v2', 'local'), Timeout: 42 }));
    const before = proxy.requests.length;
    const refused = await ws.nx(['run-many', '-t', 'promote', '-c', 'stage', '--from=local']);
    expect(refused.status, refused.output).not.toBe(0);
    expect(refused.output).toMatch(new RegExp(`error PROMOTE_DRIFT: local is not what this tool deployed there`));
    expect(refused.output).toContain(`${ws.awsName('normalize-score-v2', 'local')} (normalize-score-v2): configuration changed since deploy`);
    expect(proxy.requests.slice(before).filter((r) => r.write), refused.output).toEqual([]);
    // One batch (every promote task is ready at once) checks the run once: each local function read once, not once per task.
    const sources = new Set([...SAMPLE_FUNCTIONS, 'solo-v2'].map((fn) => ws.awsName(fn, 'local')));
    expect(proxy.requests.slice(before).filter((r) => r.operation === 'GetFunction' && sources.has(r.functionName ?? '')), refused.output).toHaveLength(sources.size);
  });

  it('with several regions, a region the source cannot feed refuses the promotion in every region before any writes', async () => {
    const nxJson = JSON.parse(ws.read('nx.json'));
    const environments = nxJson.plugins[0].options.environments;
    environments.multi = { emulator: true, regions: ['us-east-1', 'us-west-2'], artifactBucket: `${ws.prefix}-artifacts-multi-{region}`, createMissingFunctions: true };
    environments.fleet = { emulator: true, regions: ['us-east-1', 'eu-west-1'], artifactBucket: `${ws.prefix}-artifacts-fleet-{region}`, createMissingFunctions: true };
    ws.write('nx.json', `${JSON.stringify(nxJson, null, 2)}\n`);
    ws.commit('two multi-region environments');
    const deploy = await ws.nx(['run', 'solo-v2:deploy', '-c', 'multi']);
    expect(deploy.status, deploy.output).toBe(0);

    // us-east-1 has its source region; eu-west-1 could be fed by either of multi's two: ambiguous.
    const before = proxy.requests.length;
    const refused = await ws.nx(['run', 'solo-v2:promote', '-c', 'fleet', '--from=multi']);
    expect(refused.status, refused.output).not.toBe(0);
    expect(refused.output).toContain('error PROMOTE_REGIONS: fleet deploys to eu-west-1');
    expect(refused.output).toContain('error REGION_CHECKS_FAILED: not run in us-east-1: the checks before the first write failed in eu-west-1');
    expect(proxy.requests.slice(before).filter((r) => r.write), refused.output).toEqual([]);
  });
});
