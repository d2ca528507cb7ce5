import { LambdaClient, PublishLayerVersionCommand } from '@aws-sdk/client-lambda';
import { inject, describe, expect, it } from 'vitest';
import { localAwsClientConfig } from '../../local-aws/src/local-credentials';
import { deployFunction } from '../src/deploy/deploy-function';
import { deployLayer } from '../src/deploy/deploy-layer';
import { checkFunctionSize } from '../src/deploy/desired-state';
import { functionStatus } from '../src/status/function-status';
import { contentWrites, layersOf, makeWorkspace, packageAll, testContext, uniquePrefix, writeFile } from './harness';

const lambda = () => new LambdaClient(localAwsClientConfig(inject('motoEndpoint')));
// Another team's layer: published straight to the emulator, not built by the repo. A tiny zip (one stored file).
const ZIP = Buffer.from('UEsDBAoAAAAAAAAAIQAAAAAAAAAAAAAAAAAEAAAAYS5weVBLAQIUAAoAAAAAAAAAIQAAAAAAAAAAAAAAAAAEAAAAAAAAAAAAAAAAAAAAAABhLnB5UEsFBgAAAAABAAEAMgAAACIAAAAAAA==', 'base64');
const publishVendor = async (name: string) => (await lambda().send(new PublishLayerVersionCommand({ LayerName: name, Content: { ZipFile: ZIP }, CompatibleRuntimes: ['python3.12'] }))).Version!;

const fnJson = (layers: string[]) => JSON.stringify({ runtime: 'python3.12', handler: 'handler.handler', layers });
const files = (layers: string[]) => ({
  VERSION: 'core=1.0.0\n',
  'layers/core/layer.json': JSON.stringify({ sources: 'src' }),
  'layers/core/src/core.py': 'V = 1\n',
  'lambdas/fn-a/function.json': fnJson(layers),
  'lambdas/fn-a/handler.py': 'def handler(e, c):\n    return 1\n',
});

describe('external layers: layer version ARNs in `layers` (against moto)', () => {
  it('attaches them at their declared position with {region}/{account} filled, repoints them in place, and a cascade leaves them alone', async () => {
    const prefix = uniquePrefix('ext');
    const vendor = `${prefix}-vendor`;
    await publishVendor(vendor);
    await publishVendor(vendor);
    const external = (version: number) => `arn:aws:lambda:{region}:{account}:layer:${vendor}:${version}`;
    const root = makeWorkspace(files([external(1), 'core']));
    await packageAll(root);
    const ctx = testContext(root, { prefix });
    await deployLayer(ctx, 'core', []);
    await deployFunction(ctx, 'fn-a', { layersOnly: false });
    expect(await layersOf(ctx, 'fn-a')).toEqual([`${vendor}:1`, `${prefix}-core-test:1`]);
    expect((await ctx.session.lambda.getFunction(`${prefix}-fn-a-test`))!.layers[0]).toMatch(/^arn:aws:lambda:us-east-1:\d{12}:layer:/);

    const rerun = testContext(root, { prefix });
    await deployFunction(rerun, 'fn-a', { layersOnly: false });
    expect(rerun.session.recorder.writes()).toEqual([]);
    // The existence check is one read per external layer.
    expect(rerun.session.recorder.calls.filter((c) => c.command === 'GetLayerVersion')).toHaveLength(1);
    // A version is immutable: another function deployed with the same session declaring it reads nothing more.
    await deployFunction(rerun, 'fn-a', { layersOnly: false });
    expect(rerun.session.recorder.calls.filter((c) => c.command === 'GetLayerVersion')).toHaveLength(1);

    // Version 2 declared after core: the external entry moves there and to its new version, in one call.
    writeFile(root, 'lambdas/fn-a/function.json', fnJson(['core', external(2)]));
    const moved = testContext(root, { prefix });
    await deployFunction(moved, 'fn-a', { layersOnly: false });
    expect(contentWrites(moved).map((c) => c.command)).toEqual(['UpdateFunctionConfiguration']);
    expect(moved.events.find((e) => e.step === 'update-layers')?.message).toBe(`layers core 1 (unchanged), ${vendor} 1 -> 2`);
    expect(await layersOf(moved, 'fn-a')).toEqual([`${prefix}-core-test:1`, `${vendor}:2`]);

    // A new core version cascades: the external layer keeps its version and position.
    writeFile(root, 'layers/core/src/core.py', 'V = 2\n');
    await packageAll(root);
    const cascade = testContext(root, { prefix });
    await deployLayer(cascade, 'core', ['fn-a']);
    expect(await layersOf(cascade, 'fn-a')).toEqual([`${prefix}-core-test:2`, `${vendor}:2`]);
    expect(cascade.session.recorder.calls.filter((c) => c.command === 'GetLayerVersion')).toHaveLength(0);

    const status = await functionStatus(testContext(root, { prefix, dryRun: true }), 'fn-a');
    expect(status.layers).toEqual([{ layer: 'core', attached: 2, expected: 2, sync: 'in sync' }, { layer: vendor, attached: 2, expected: 2, sync: 'in sync', external: true }]);
    expect(status.unmanaged).toEqual([]);
  });

  it('a version that does not exist fails before any write, naming the file and the ARN', async () => {
    const prefix = uniquePrefix('ext-missing');
    const vendor = `${prefix}-vendor`;
    await publishVendor(vendor);
    const missing = `arn:aws:lambda:us-east-1:123456789012:layer:${vendor}:7`;
    const root = makeWorkspace(files(['core', missing]));
    await packageAll(root);
    const ctx = testContext(root, { prefix });
    await deployLayer(ctx, 'core', []);
    const before = ctx.session.recorder.writes().filter((c) => c.service === 'lambda').length;
    await expect(deployFunction(ctx, 'fn-a', { layersOnly: false })).rejects.toMatchObject({ code: 'EXTERNAL_LAYER_MISSING', message: `lambdas/fn-a/function.json: layers: ${missing} does not exist in us-east-1` });
    // (The emulator's execution role, made to learn the account of a function to be created, is not a deploy write.)
    expect(ctx.session.recorder.writes().filter((c) => c.service === 'lambda').length).toBe(before);
  });

  it('counts toward 250 MB by the size GetLayerVersion gives', () => {
    const root = makeWorkspace(files(['core']));
    return packageAll(root).then(() => {
      const ctx = testContext(root, { prefix: uniquePrefix('ext-size') });
      const config = ctx.workspace.functions.get('fn-a')!;
      expect(() => checkFunctionSize(ctx, config, { withCode: true }, [{ project: 'AWSLambdaPowertoolsPythonV3', unzippedSize: 251 * 1048576 }])).toThrow(/AWSLambdaPowertoolsPythonV3 251\.0 MB = .* over Lambda's 250\.0 MB/);
      expect(() => checkFunctionSize(ctx, config, { withCode: true }, [{ project: 'small', unzippedSize: 1048576 }])).not.toThrow();
    });
  });
});
