import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { localAwsClientConfig } from '../../local-aws/src/local-credentials';
import { createAwsSession } from '../src/aws/clients';
import { resolveEnvironments } from '../src/config/environment';
import { deployLayer } from '../src/deploy/deploy-layer';
import { layerIndexPath, type LayerIndex } from '../src/deploy/export-layers';
import { EventLog } from '../src/report/events';
import { emulatorBootstrap } from '../src/aws/bootstrap-emulator';
import { loadWorkspace } from '../src/config/workspace';
import { makeWorkspace, packageAll, uniquePrefix, writeFile, type TestContext } from './harness';

const REGIONS = ['us-east-1', 'eu-west-1'];
const files = {
  VERSION: 'core=1.0.0\nextra=2.0.0\n',
  'layers/core/layer.json': JSON.stringify({ sources: 'src' }),
  'layers/core/src/core/__init__.py': 'VALUE = 1\n',
  'layers/extra/layer.json': JSON.stringify({ sources: 'src' }),
  'layers/extra/src/extra/__init__.py': 'VALUE = 1\n',
};

/** One DeployContext per region of a two-region emulator environment, as the plugin opens them. */
function regionContexts(root: string, prefix: string): TestContext[] {
  const endpoint = inject('motoEndpoint');
  const envs = resolveEnvironments(
    { namePrefix: prefix, environments: { test: { emulator: true, regions: REGIONS, artifactBucket: `${prefix}-artifacts-{region}`, exportParameterPrefix: '/{prefix}/{env}/layers' } } },
    'test',
    {},
  );
  return envs.map((env) => {
    const session = createAwsSession(env, { clientConfig: localAwsClientConfig(endpoint, env.region) });
    const log = new EventLog();
    const emulator = emulatorBootstrap(session, `${prefix}-role`);
    return { workspace: loadWorkspace(root), env, session, log, events: log.events, dryRun: false, concurrency: 4, functionRole: emulator.functionRole, beforeUpload: emulator.beforeUpload };
  });
}

const ssmIn = (region: string) => new SSMClient(localAwsClientConfig(inject('motoEndpoint'), region));
const parameter = async (region: string, name: string) => (await ssmIn(region).send(new GetParameterCommand({ Name: name }))).Parameter;
const readIndex = (root: string) => JSON.parse(readFileSync(layerIndexPath(root, 'test'), 'utf8')) as LayerIndex;

describe('exported layer versions (layers.json and SSM) against moto', () => {
  it('records each layer\'s version per region in layers.json and in SSM <prefix>/<layer>/<region>, and writes SSM only when the ARN changed', async () => {
    const root = makeWorkspace(files);
    const prefix = uniquePrefix('export');
    await packageAll(root);

    const first = regionContexts(root, prefix);
    await Promise.all(first.flatMap((ctx) => [deployLayer(ctx, 'core', []), deployLayer(ctx, 'extra', [])]));
    const index = readIndex(root);
    expect(Object.keys(index.layers).sort()).toEqual(['core', 'extra']);
    for (const layer of ['core', 'extra']) {
      expect(Object.keys(index.layers[layer]).sort()).toEqual([...REGIONS].sort());
      for (const region of REGIONS) {
        expect(index.layers[layer][region].arn).toMatch(new RegExp(`^arn:aws:lambda:${region}:\\d{12}:layer:${prefix}-${layer}-test:1$`));
        expect((await parameter(region, `/${prefix}/test/layers/${layer}/${region}`))?.Value).toBe(index.layers[layer][region].arn);
      }
      expect(index.layers[layer]['eu-west-1'].sha256).toBe(index.layers[layer]['us-east-1'].sha256);
    }

    // A rerun reads each parameter and writes nothing.
    const rerun = regionContexts(root, prefix);
    await Promise.all(rerun.map((ctx) => deployLayer(ctx, 'core', [])));
    for (const ctx of rerun) {
      expect(ctx.session.recorder.writes()).toEqual([]);
      expect(ctx.events.find((e) => e.step === 'export-parameter')).toMatchObject({ outcome: 'unchanged' });
    }

    // Someone overwrote one region's parameter: only that one is written back.
    await ssmIn('eu-west-1').send(new PutParameterCommand({ Name: `/${prefix}/test/layers/core/eu-west-1`, Value: 'stale', Type: 'String', Overwrite: true }));
    const repair = regionContexts(root, prefix);
    await Promise.all(repair.map((ctx) => deployLayer(ctx, 'core', [])));
    expect(repair.map((ctx) => ctx.session.recorder.writes().map((call) => call.command))).toEqual([[], ['PutParameter']]);
    expect((await parameter('eu-west-1', `/${prefix}/test/layers/core/eu-west-1`))?.Value).toBe(index.layers.core['eu-west-1'].arn);

    // A new version of one layer replaces its entry and keeps the other layer's.
    writeFile(root, 'layers/core/src/core/__init__.py', 'VALUE = 2\n');
    await packageAll(root);
    const changed = regionContexts(root, prefix);
    await deployLayer(changed[0], 'core', []);
    const after = readIndex(root);
    expect(after.layers.core['us-east-1'].arn).toMatch(/:2$/);
    expect(after.layers.core['eu-west-1'].arn).toMatch(/:1$/);
    expect(after.layers.extra).toEqual(index.layers.extra);
    expect((await parameter('us-east-1', `/${prefix}/test/layers/core/us-east-1`))?.Value).toBe(after.layers.core['us-east-1'].arn);
    expect(join(root, 'dist/deploy/test/layers.json')).toBe(layerIndexPath(root, 'test'));
  });
});
