// @module-tag e2e
import { PublishLayerVersionCommand, UpdateFunctionConfigurationCommand, DeleteFunctionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAwsClientConfig } from '../../packages/local-aws/src/local-credentials';
import type { MotoServer } from '../../packages/local-aws/src/moto-server';
import type { AwsProxy } from '../../packages/local-aws/src/proxy/aws-proxy';
import { EmulatorLambda, NODE_FUNCTION, NODE_LAYER, NxWorkspace, PYTHON_FUNCTIONS as FUNCTIONS, SAMPLE_PROJECTS, planLines, startOwnAws, stopOwnAws } from './nx-workspace';

const EMPTY_ZIP = Buffer.from('UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==', 'base64');

let moto: MotoServer;
let proxy: AwsProxy;
let ws: NxWorkspace;
let aws: EmulatorLambda;
let lambda: LambdaClient;

const name = (project: string) => ws.awsName(project);
const layerVersionsOf = async (fn: string) => (await aws.layersOf(name(fn))).map((arn) => arn.split(':').slice(-2).join(':'));
const publishedVersions = async (layer: string) => (await aws.versionsOf(name(layer))).map((v) => v.Version!);
const writesDuring = async (run: () => Promise<void>) => {
  const before = proxy.requests.length;
  await run();
  return proxy.requests.slice(before).filter((r) => r.write);
};

beforeAll(async () => {
  ({ moto, proxy } = await startOwnAws());
  ws = new NxWorkspace(proxy.endpoint);
  aws = new EmulatorLambda(moto.endpoint);
  lambda = aws.client;
});
afterAll(() => stopOwnAws({ moto, proxy }));

describe('the cascade, through the real nx CLI', () => {
  it('(a) a first full deploy creates every layer and every function on them', { tags: ['node-matrix'] }, async () => {
    const run = await ws.nx(['run-many', '-t', 'deploy', '-c', 'local']);
    expect(run.status, run.output).toBe(0);
    expect(run.output).toMatch(new RegExp(`Deploy summary \\(local\\): ${SAMPLE_PROJECTS.length} updated`));
  });

  it('(a) ...and every Python function is on version 1 of both Python layers, the TypeScript one on version 1 of the Node layer', { tags: ['node-matrix'] }, async () => {
    for (const fn of FUNCTIONS) expect(await layerVersionsOf(fn)).toEqual([`${name('vectora-core')}:1`, `${name('common-deps')}:1`]);
    expect(await layerVersionsOf(NODE_FUNCTION)).toEqual([`${name(NODE_LAYER)}:1`]);
  });

  it('(b) after the old script left functions on an old version plus an unmanaged layer, nx affected repoints all three and keeps the unmanaged one in place', async () => {
    // What the old script left behind: an extra vectora-core version (v2) the repo does not describe,
    // every function pinned to it, and another team's layer in the middle of ingest-v2's list.
    const legacy = await lambda.send(new PublishLayerVersionCommand({ LayerName: name('vectora-core'), Description: 'published by deploy.py', Content: { ZipFile: EMPTY_ZIP } }));
    const other = await lambda.send(new PublishLayerVersionCommand({ LayerName: `${ws.prefix}-observability-ext`, Description: 'other team', Content: { ZipFile: EMPTY_ZIP } }));
    for (const fn of FUNCTIONS) {
      const deps = `arn:aws:lambda:us-east-1:123456789012:layer:${name('common-deps')}:1`;
      const layers = fn === 'ingest-v2' ? [legacy.LayerVersionArn!, other.LayerVersionArn!, deps] : [legacy.LayerVersionArn!, deps];
      await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name(fn), Layers: layers }));
    }

    ws.write('layers/vectora-core/src/vectora_core/scoring.py', `${ws.read('layers/vectora-core/src/vectora_core/scoring.py')}\n# tuned weights\n`);
    ws.commit('tune vectora-core');
    const affected = await ws.nx(['show', 'projects', '--affected', '--base=HEAD~1']);
    expect(affected.output.split('\n').filter((l) => /^[a-z]/.test(l)).sort()).toEqual(['ingest-v2', 'newsletter-v2', 'normalize-score-v2', 'vectora-core']);

    const run = await ws.nx(['affected', '-t', 'deploy', '-c', 'local', '--base=HEAD~1']);
    expect(run.status, run.output).toBe(0);
    process.stdout.write(`\n----- log of run (b) -----\n${run.output}\n-----\n`);
    expect(await publishedVersions('vectora-core')).toEqual([3, 2, 1]);
    expect(await publishedVersions('common-deps')).toEqual([1]);
    expect(await layerVersionsOf('ingest-v2')).toEqual([`${name('vectora-core')}:3`, `${ws.prefix}-observability-ext:1`, `${name('common-deps')}:1`]);
    expect(await layerVersionsOf('normalize-score-v2')).toEqual([`${name('vectora-core')}:3`, `${name('common-deps')}:1`]);
    expect(await layerVersionsOf('newsletter-v2')).toEqual([`${name('vectora-core')}:3`, `${name('common-deps')}:1`]);
    expect(run.output).toContain('[ingest-v2] layers vectora-core 2 -> 3, common-deps 1 (unchanged)');
  });

  it('(d) a rerun with no change makes no write call', { tags: ['node-matrix'] }, async () => {
    const writes = await writesDuring(async () => {
      const run = await ws.nx(['run-many', '-t', 'deploy', '-c', 'local']);
      expect(run.status, run.output).toBe(0);
      // One read per project.
      expect(run.output).toMatch(new RegExp(`Deploy summary \\(local\\): ${SAMPLE_PROJECTS.length} unchanged; ${SAMPLE_PROJECTS.length} AWS calls, 0 writes`));
    });
    expect(writes).toEqual([]);
  });

  it('a dry-run after a layer change writes nothing and prints the plan the real run then carries out', async () => {
    ws.write('VERSION', ws.read('VERSION').replace('vectora-core=1.4.2', 'vectora-core=1.5.0'));
    let dry = { status: -1, output: '' };
    const dryWrites = await writesDuring(async () => {
      dry = await ws.nx(['run-many', '-t', 'deploy', '-c', 'local', '--dry-run']);
    });
    expect(dry.status, dry.output).toBe(0);
    expect(dryWrites).toEqual([]);
    expect(dry.output).toContain('[ingest-v2] plan update-layers: layers vectora-core 3 -> (new version), common-deps 1 (unchanged)');

    const real = await ws.nx(['run-many', '-t', 'deploy', '-c', 'local']);
    expect(real.status, real.output).toBe(0);
    // The dry-run cannot know the number the publish will get; the real run's plan names it.
    expect(planLines(dry.output).map((line) => line.replace('(new version)', '4'))).toEqual(planLines(real.output));
    expect(planLines(real.output)).toEqual([
      expect.stringMatching(/^\[ingest-v2\] plan update-layers: layers vectora-core 3 -> 4, common-deps 1 \(unchanged\)$/),
      expect.stringMatching(/^\[newsletter-v2\] plan update-layers: /),
      expect.stringMatching(/^\[normalize-score-v2\] plan update-layers: /),
      // Same content as version 3, new semver: publish again, but the zip is already uploaded.
      expect.stringMatching(/^\[vectora-core\] plan publish-layer: 1\.5\.0 not published \(content sha256:\w+\.\. is version 3, a VERSION bump\)$/),
    ]);
  });

  it('a dry-run through NX_DRY_RUN=true is just as read-only', async () => {
    ws.write('VERSION', ws.read('VERSION').replace('common-deps=1.1.0', 'common-deps=1.1.1'));
    const writes = await writesDuring(async () => {
      const run = await ws.nx(['run', 'common-deps:deploy', '-c', 'local'], { NX_DRY_RUN: 'true' });
      expect(run.status, run.output).toBe(0);
      expect(run.output).toContain('[common-deps] plan publish-layer: 1.1.1 not published');
    });
    expect(writes).toEqual([]);
    ws.write('VERSION', ws.read('VERSION').replace('common-deps=1.1.1', 'common-deps=1.1.0'));
  });

  it('(c) in an environment that does not create functions, a deleted function is a warning; the others are updated; exit 0', async () => {
    // dev starts as a real account would: functions exist (deployed here through local's names is not
    // possible), so copy the local state by deploying local->dev names with creation on, then delete one.
    const nxJson = JSON.parse(ws.read('nx.json'));
    nxJson.plugins[0].options.environments.dev = { region: 'us-east-1', artifactBucket: `${ws.prefix}-artifacts-dev`, createMissingFunctions: true, functionRole: 'arn:aws:iam::123456789012:role/e2e-dev' };
    ws.write('nx.json', JSON.stringify(nxJson));
    // A fresh account has no artifact bucket: refused by a read, before any write.
    let noBucket = { status: 0, output: '' };
    const writes = await writesDuring(async () => {
      noBucket = await ws.nx(['run-many', '-t', 'deploy', '-c', 'dev']);
    });
    expect(noBucket.status, noBucket.output).not.toBe(0);
    expect(noBucket.output).toContain(`[vectora-core] error BUCKET_MISSING: s3://${ws.prefix}-artifacts-dev does not exist`);
    expect(writes).toEqual([]);
    const { S3Client, CreateBucketCommand } = await import('@aws-sdk/client-s3');
    await new S3Client(localAwsClientConfig(moto.endpoint)).send(new CreateBucketCommand({ Bucket: `${ws.prefix}-artifacts-dev` }));
    const { IAMClient, CreateRoleCommand } = await import('@aws-sdk/client-iam');
    await new IAMClient(localAwsClientConfig(moto.endpoint)).send(new CreateRoleCommand({ RoleName: 'e2e-dev', AssumeRolePolicyDocument: '{}' }));
    expect((await ws.nx(['run-many', '-t', 'deploy', '-c', 'dev'])).status).toBe(0);

    nxJson.plugins[0].options.environments.dev = { region: 'us-east-1', artifactBucket: `${ws.prefix}-artifacts-dev` };
    ws.write('nx.json', JSON.stringify(nxJson));
    await lambda.send(new DeleteFunctionCommand({ FunctionName: ws.awsName('newsletter-v2', 'dev') }));
    ws.write('layers/vectora-core/src/vectora_core/normalize.py', `${ws.read('layers/vectora-core/src/vectora_core/normalize.py')}\n# dev change\n`);

    const run = await ws.nx(['run-many', '-t', 'deploy', '-c', 'dev']);
    expect(run.status, run.output).toBe(0);
    expect(run.output).toContain(`[newsletter-v2] warning: function ${ws.prefix}-newsletter-v2-dev not found, skipped`);
    expect(run.output).toMatch(/newsletter-v2\s+warning/);
    for (const fn of ['ingest-v2', 'normalize-score-v2']) {
      const layers = (await aws.layersOf(ws.awsName(fn, 'dev'))).map((arn) => arn.split(':').pop());
      expect(layers).toEqual(['2', '1']);
    }
  });

  it('nx affected is exact: a handler change affects one function, a layer change that layer and its functions (Python or Node), VERSION the layers and their functions', async () => {
    const affected = async (file: string) => (await ws.nx(['show', 'projects', '--affected', `--files=${file}`])).output.split('\n').filter((l) => /^[a-z]/.test(l)).sort();
    expect(await affected('lambdas/ingest-v2/handler.py')).toEqual(['ingest-v2']);
    expect(await affected('layers/common-deps/requirements.txt')).toEqual(['common-deps', 'ingest-v2', 'newsletter-v2', 'normalize-score-v2']);
    expect(await affected('layers/vectora-core/src/vectora_core/scoring.py')).toEqual(['ingest-v2', 'newsletter-v2', 'normalize-score-v2', 'vectora-core']);
    expect(await affected(`lambdas/${NODE_FUNCTION}/src/handler.ts`)).toEqual([NODE_FUNCTION]);
    expect(await affected(`layers/${NODE_LAYER}/package-lock.json`)).toEqual([NODE_FUNCTION, NODE_LAYER].sort());
    // Nx maps a file, not a line, to projects: a VERSION edit affects every layer, so every project.
    expect(await affected('VERSION')).toEqual([...SAMPLE_PROJECTS].sort());
  });

  it('nx run <layer>:deploy alone cascades to every function that uses the layer', async () => {
    ws.write('layers/vectora-core/src/vectora_core/normalize.py', `${ws.read('layers/vectora-core/src/vectora_core/normalize.py')}\n# single-layer deploy\n`);
    const run = await ws.nx(['run', 'vectora-core:deploy', '-c', 'local']);
    expect(run.status, run.output).toBe(0);
    const newest = Math.max(...(await publishedVersions('vectora-core')));
    for (const fn of FUNCTIONS) expect((await layerVersionsOf(fn))[0], fn).toBe(`${name('vectora-core')}:${newest}`);
    expect(run.output).toMatch(/Deploy summary \(local\): 4 updated/);
    ws.commit('single-layer deploy');
  });
});
