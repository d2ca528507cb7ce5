// @module-tag e2e
import { GetFunctionCommand, LambdaClient, ListLayerVersionsCommand, PublishLayerVersionCommand } from '@aws-sdk/client-lambda';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { localAwsClientConfig } from '../../packages/local-aws/src/local-credentials';
import { startAwsProxy, type AwsProxy } from '../../packages/local-aws/src/proxy/aws-proxy';
import { noFaults } from '../../packages/local-aws/src/proxy/faults';
import { NxWorkspace, SAMPLE_FUNCTIONS, SAMPLE_LAYERS as LAYERS } from './nx-workspace';

const REGIONS = ['us-east-1', 'eu-west-1'];
const EMPTY_ZIP = Buffer.from('UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==', 'base64');

let proxy: AwsProxy;
let ws: NxWorkspace;
const lambdaIn = new Map<string, LambdaClient>();
const name = (project: string) => ws.awsName(project, 'local2');

beforeAll(async () => {
  proxy = await startAwsProxy({ target: inject('motoEndpoint') });
  ws = new NxWorkspace(proxy.endpoint, `rg${process.pid % 10000}`);
  // A second emulator environment spanning two regions, with one bucket per region.
  const nxJson = JSON.parse(ws.read('nx.json'));
  nxJson.plugins[0].options.environments.local2 = { emulator: true, regions: REGIONS, artifactBucket: `${ws.prefix}-artifacts-{region}`, createMissingFunctions: true };
  ws.write('nx.json', `${JSON.stringify(nxJson, null, 2)}\n`);
  ws.commit('local2 spans two regions');
  for (const region of REGIONS) lambdaIn.set(region, new LambdaClient(localAwsClientConfig(inject('motoEndpoint'), region)));
});
afterAll(async () => proxy?.stop());

const versionsIn = async (region: string, layer: string) => (await lambdaIn.get(region)!.send(new ListLayerVersionsCommand({ LayerName: name(layer) }))).LayerVersions ?? [];
const layersOf = async (region: string, fn: string) => ((await lambdaIn.get(region)!.send(new GetFunctionCommand({ FunctionName: name(fn) }))).Configuration?.Layers ?? []).map((layer) => layer.Arn!);
const summaryRow = (output: string, row: string) => output.split('\n').find((line) => line.startsWith(`${row} `)) ?? `(no row "${row}")`;

describe('an environment with several regions, through the real nx CLI', () => {
  it('packages each layer once, publishes it in every region with the same content hash, and deploys every function in each region on that region\'s versions', async () => {
    const run = await ws.nx(['run-many', '-t', 'deploy', '-c', 'local2']);
    expect(run.status, run.output).toBe(0);
    // The package step's own line, once per zip made (Nx prints a task's header twice when it runs alone in a batch).
    for (const layer of LAYERS) expect(run.output.match(new RegExp(`^\\[${layer}\\] package sha256:`, 'gm')) ?? [], run.output).toHaveLength(1);
    for (const layer of LAYERS) {
      const [east, west] = await Promise.all(REGIONS.map((region) => versionsIn(region, layer)));
      expect(east).toHaveLength(1);
      expect(west).toHaveLength(1);
      expect(east[0].LayerVersionArn).toContain(':us-east-1:');
      expect(west[0].LayerVersionArn).toContain(':eu-west-1:');
      expect(east[0].Description).toMatch(/sha256:[0-9a-f]{12}/);
      expect(west[0].Description).toBe(east[0].Description);
    }
    for (const region of REGIONS) {
      for (const fn of SAMPLE_FUNCTIONS) {
        const arns = await layersOf(region, fn);
        expect(arns.length, `${fn} in ${region}`).toBeGreaterThan(0);
        expect(arns.every((arn) => arn.split(':')[3] === region), `${fn} in ${region}: ${arns.join(', ')}`).toBe(true);
      }
    }
    // One summary row per project and region.
    for (const project of [...LAYERS, ...SAMPLE_FUNCTIONS]) {
      for (const region of REGIONS) expect(summaryRow(run.output, `${project} (${region})`), run.output).toMatch(/ updated /);
    }
    // Each region's resolved versions are recorded apart, and exported together in layers.json.
    for (const region of REGIONS) expect(existsSync(join(ws.root, 'dist/deploy/local2/layers/vectora-core', `${region}.json`))).toBe(true);
    const exported = JSON.parse(ws.read('dist/deploy/local2/layers.json'));
    for (const layer of LAYERS) {
      for (const region of REGIONS) expect(exported.layers[layer][region].arn).toBe((await versionsIn(region, layer))[0].LayerVersionArn);
    }
  });

  it('a rerun writes nothing in either region, and status reports each region', async () => {
    const before = proxy.requests.length;
    const run = await ws.nx(['run-many', '-t', 'deploy', '-c', 'local2']);
    expect(run.status, run.output).toBe(0);
    expect(proxy.requests.slice(before).filter((r) => r.write && r.service === 'lambda'), run.output).toEqual([]);
    for (const region of REGIONS) expect(summaryRow(run.output, `ingest-v2 (${region})`)).toMatch(/ unchanged /);

    const status = await ws.nx(['run', 'ingest-v2:status', '-c', 'local2', '--json']);
    expect(status.status, status.output).toBe(0);
    const json = JSON.parse(status.output.split('\n').find((line) => line.startsWith('{'))!);
    expect(Object.keys(json).sort()).toEqual([...REGIONS].sort());
    for (const region of REGIONS) {
      expect(json[region], region).toMatchObject({ functionName: name('ingest-v2'), exists: true, code: 'in sync' });
      expect(json[region].layers.map((layer: { sync: string }) => layer.sync), region).toEqual(['in sync', 'in sync']);
    }
  });

  it('a region that fails does not stop the other: an external layer only us-east-1 has fails eu-west-1 before it writes, while us-east-1 publishes and its functions move on', async () => {
    const ext = await lambdaIn.get('us-east-1')!.send(new PublishLayerVersionCommand({ LayerName: `${ws.prefix}-ext`, Content: { ZipFile: EMPTY_ZIP }, CompatibleRuntimes: ['python3.12'] }));
    const account = ext.LayerVersionArn!.split(':')[4];
    const file = 'lambdas/ingest-v2/function.json';
    const fn = JSON.parse(ws.read(file));
    fn.layers = [...fn.layers, `arn:aws:lambda:{region}:${account}:layer:${ws.prefix}-ext:${ext.Version}`];
    ws.write(file, `${JSON.stringify(fn, null, 2)}\n`);
    ws.write('layers/vectora-core/src/vectora_core/scoring.py', `${ws.read('layers/vectora-core/src/vectora_core/scoring.py')}\n# regions e2e\n`);

    const run = await ws.nx(['run-many', '-t', 'deploy', '-c', 'local2']);
    expect(run.status, run.output).not.toBe(0);
    expect(summaryRow(run.output, 'vectora-core (eu-west-1)'), run.output).toMatch(/ failed +EXTERNAL_LAYER_MISSING/);
    expect(summaryRow(run.output, 'vectora-core (us-east-1)'), run.output).toMatch(/ updated /);
    expect(await versionsIn('us-east-1', 'vectora-core')).toHaveLength(2);
    expect(await versionsIn('eu-west-1', 'vectora-core')).toHaveLength(1);
    const report = JSON.parse(readFileSync(join(ws.root, 'dist/deploy/local2/runs', latestRun(), 'vectora-core.deploy.json'), 'utf8'));
    expect(report.outcomes).toMatchObject({ 'vectora-core (us-east-1)': 'updated', 'vectora-core (eu-west-1)': 'failed' });
    expect(report.failedRegions).toEqual(['eu-west-1']);
    // Every layer failed that check in eu-west-1, so every function skips eu-west-1 and deploys in us-east-1.
    const [v1, v2] = (await versionsIn('us-east-1', 'vectora-core')).map((v) => v.LayerVersionArn!).sort((a, b) => Number(a.split(':').at(-1)) - Number(b.split(':').at(-1)));
    expect(await layersOf('us-east-1', 'ingest-v2'), run.output).toContain(v2);
    expect(await layersOf('us-east-1', 'ingest-v2')).not.toContain(v1);
    expect(await layersOf('eu-west-1', 'ingest-v2')).toContain((await versionsIn('eu-west-1', 'vectora-core'))[0].LayerVersionArn);
    expect(summaryRow(run.output, 'ingest-v2 (us-east-1)'), run.output).toMatch(/ updated /);
    for (const fn of SAMPLE_FUNCTIONS) expect(summaryRow(run.output, `${fn} (eu-west-1)`), run.output).toMatch(/ not run +[a-z-]+ \(eu-west-1\) failed: not run here, left as it was/);
  });

  it('prune works per region: each region keeps the versions its own functions use', async () => {
    const run = await ws.nx(['run', 'vectora-core:prune', '-c', 'local2', '--keep=1']);
    expect(run.status, run.output).toBe(0);
    // us-east-1 has v1 (what its functions' last deploy moved them from: the rollback target) and v2 (the repo's, in use); eu-west-1 only v1.
    expect(run.output).toMatch(/\[vectora-core \(us-east-1\)\] .*2 version\(s\)/);
    expect(run.output).toMatch(/\[vectora-core \(eu-west-1\)\] .*1 version\(s\)/);
    expect((await versionsIn('us-east-1', 'vectora-core')).map((v) => v.Version).sort()).toEqual([1, 2]);
    expect(await versionsIn('eu-west-1', 'vectora-core')).toHaveLength(1);
  });

  it('a layer whose publish fails in one region: the other region\'s functions move to the new version, the failing region\'s are left as they were, and the run fails', async () => {
    // Back to layers every region has; a new vectora-core content, whose publish eu-west-1 refuses.
    const file = 'lambdas/ingest-v2/function.json';
    const fn = JSON.parse(ws.read(file));
    fn.layers = fn.layers.filter((layer: string) => !layer.startsWith('arn:'));
    ws.write(file, `${JSON.stringify(fn, null, 2)}\n`);
    ws.write('layers/vectora-core/src/vectora_core/scoring.py', `${ws.read('layers/vectora-core/src/vectora_core/scoring.py')}\n# publish refused in eu-west-1\n`);
    const onCore = SAMPLE_FUNCTIONS.filter((f) => JSON.parse(ws.read(`lambdas/${f}/function.json`)).layers.includes('vectora-core'));
    const westBefore = new Map(await Promise.all(SAMPLE_FUNCTIONS.map(async (f) => [f, await layersOf('eu-west-1', f)] as const)));
    const refused = { status: 403, name: 'AccessDeniedException', message: 'not allowed to publish in eu-west-1' };
    proxy.faults = {
      before: async (kind) => (kind.operation === 'PublishLayerVersion' && kind.region === 'eu-west-1' ? { respond: refused } : {}),
      after: () => undefined,
    };
    try {
      const run = await ws.nx(['run-many', '-t', 'deploy', '-c', 'local2']);
      expect(run.status, run.output).not.toBe(0);
      expect(summaryRow(run.output, 'vectora-core (eu-west-1)'), run.output).toMatch(/ failed +AWS_AccessDeniedException: /);
      const east = await versionsIn('us-east-1', 'vectora-core');
      const newest = east.reduce((a, b) => (b.Version! > a.Version! ? b : a));
      expect(east.map((v) => v.Version!).sort((a, b) => a - b)).toEqual([1, 2, newest.Version]);
      expect(summaryRow(run.output, 'vectora-core (us-east-1)'), run.output).toMatch(new RegExp(` updated +published version ${newest.Version} `));
      for (const f of onCore) {
        expect(await layersOf('us-east-1', f), f).toContain(newest.LayerVersionArn);
        expect(summaryRow(run.output, `${f} (us-east-1)`), run.output).toMatch(/ updated /);
        expect(summaryRow(run.output, `${f} (eu-west-1)`), run.output).toMatch(/ not run +vectora-core \(eu-west-1\) failed: not run here, left as it was/);
        // One line, with the cause and the fix.
        expect(run.output, run.output).toMatch(new RegExp(`\\[${f} \\(eu-west-1\\)\\] warning: vectora-core \\(eu-west-1\\) failed: not run here, left as it was \\(AWS_AccessDeniedException: [^)]*\\); fix vectora-core \\(eu-west-1\\) and rerun deploy`));
      }
      for (const f of SAMPLE_FUNCTIONS) expect(await layersOf('eu-west-1', f), f).toEqual(westBefore.get(f));
      expect(await versionsIn('eu-west-1', 'vectora-core')).toHaveLength(1);
    } finally {
      proxy.faults = noFaults;
    }
  });
});

function latestRun(): string {
  const dir = join(ws.root, 'dist/deploy/local2/runs');
  return readdirSync(dir)
    .map((run) => ({ run, at: statSync(join(dir, run)).mtimeMs }))
    .sort((a, b) => b.at - a.at)[0].run;
}
