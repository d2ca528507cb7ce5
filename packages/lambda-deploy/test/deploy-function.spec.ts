import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { manifestPathOf } from '../src/config/artifact-paths';
import { deployFunction } from '../src/deploy/deploy-function';
import { deployLayer } from '../src/deploy/deploy-layer';
import { contentWrites, makeWorkspace, packageAll, testContext, uniquePrefix, writeFile, type TestContext } from './harness';

const files = {
  VERSION: 'core=1.0.0\ndeps=2.0.0\n',
  'layers/core/layer.json': JSON.stringify({ sources: 'src' }),
  'layers/core/src/core/__init__.py': 'VALUE = 1\n',
  'layers/deps/layer.json': JSON.stringify({ sources: 'src' }),
  'layers/deps/src/deps.py': 'X = 1\n',
  'lambdas/fn-a/function.json': JSON.stringify({ runtime: 'python3.12', handler: 'handler.handler', memory: 256, layers: ['core', 'deps'] }),
  'lambdas/fn-a/handler.py': 'def handler(e, c):\n    return "a"\n',
  'lambdas/fn-b/function.json': JSON.stringify({ runtime: 'python3.12', handler: 'handler.handler', layers: ['core', 'deps'] }),
  'lambdas/fn-b/handler.py': 'def handler(e, c):\n    return "b"\n',
};

async function deployAll(root: string, prefix: string, opts: { createMissing?: boolean; runId?: string } = {}): Promise<TestContext> {
  const ctx = testContext(root, { prefix, ...opts });
  await deployLayer(ctx, 'core', []);
  await deployLayer(ctx, 'deps', []);
  await deployFunction(ctx, 'fn-a', { layersOnly: false });
  await deployFunction(ctx, 'fn-b', { layersOnly: false });
  return ctx;
}

const layerVersions = async (ctx: TestContext, fn: string) => (await ctx.session.lambda.getFunction(`${ctx.env.namePrefix}-${fn}-test`))!.layers.map((arn) => arn.split(':').slice(-2).join(':'));

describe('deployFunction against moto', () => {
  it('creates missing functions with their layers where allowed, and a rerun makes no write at all', async () => {
    const root = makeWorkspace(files);
    const prefix = uniquePrefix('fn');
    await packageAll(root);
    const first = await deployAll(root, prefix);
    expect(await layerVersions(first, 'fn-a')).toEqual([`${prefix}-core-test:1`, `${prefix}-deps-test:1`]);
    const fn = await first.session.lambda.getFunction(`${prefix}-fn-a-test`);
    expect(fn).toMatchObject({ memory: 256, handler: 'handler.handler', runtime: 'python3.12' });

    const rerun = await deployAll(root, prefix);
    expect(rerun.session.recorder.writes()).toEqual([]);
    // Outside an nx run, each function lists its two layers itself.
    expect(rerun.session.recorder.counts()).toEqual({ ListLayerVersions: 6, GetFunction: 2 });

    // Within one run, the functions reuse what the layer deploys resolved: one read per layer and per function.
    const sameRun = await deployAll(root, prefix, { runId: `run-${prefix}` });
    expect(sameRun.session.recorder.counts()).toEqual({ ListLayerVersions: 2, GetFunction: 2 });
  });

  it('warns and writes nothing for a missing function where creation is off', async () => {
    const root = makeWorkspace(files);
    const prefix = uniquePrefix('warn');
    await packageAll(root);
    const ctx = await deployAll(root, prefix, { createMissing: false });
    expect(ctx.events.filter((e) => e.outcome === 'warning').map((e) => e.message)).toEqual([`function ${prefix}-fn-a-test not found, skipped`, `function ${prefix}-fn-b-test not found, skipped`]);
    expect(contentWrites(ctx).map((c) => c.command)).toEqual(['CreateBucket', 'PutObject', 'PublishLayerVersion', 'PutObject', 'PublishLayerVersion']);
  });

  it('updates code only when CodeSha256 differs, and configuration with it when memory changes', async () => {
    const root = makeWorkspace(files);
    const prefix = uniquePrefix('code');
    await packageAll(root);
    await deployAll(root, prefix);
    writeFile(root, 'lambdas/fn-a/handler.py', 'def handler(e, c):\n    return "a2"\n');
    writeFile(root, 'lambdas/fn-a/function.json', JSON.stringify({ runtime: 'python3.12', handler: 'handler.handler', memory: 512, layers: ['core', 'deps'] }));
    await packageAll(root);
    const ctx = testContext(root, { prefix });
    await deployFunction(ctx, 'fn-a', { layersOnly: false });
    await deployFunction(ctx, 'fn-b', { layersOnly: false });
    // The zip goes to the bucket first (kept by hash for rollbacks), then one code and one configuration update.
    expect(contentWrites(ctx).map((c) => `${c.command} ${c.target?.replace(/[0-9a-f]{64}/, '<sha>')}`)).toEqual(['PutObject functions/fn-a/<sha>.zip', `UpdateFunctionCode ${prefix}-fn-a-test`, `UpdateFunctionConfiguration ${prefix}-fn-a-test`]);
    expect(ctx.events.find((e) => e.step === 'update-config')?.message).toBe('memory 256 -> 512');
  });

  it('cascades a new layer version in place, keeps an unmanaged layer, and leaves the other layer alone', async () => {
    const root = makeWorkspace(files);
    const prefix = uniquePrefix('cascade');
    await packageAll(root);
    const setup = await deployAll(root, prefix);
    // Another team's layer, added by hand between ours, must survive every repoint.
    const other = await setup.session.lambda.publishLayerVersion({ layerName: `${prefix}-other-team`, description: 'not ours', content: { zipFile: Buffer.from('UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==', 'base64') }, runtimes: ['python3.12'], architectures: ['x86_64'] });
    const before = (await setup.session.lambda.getFunction(`${prefix}-fn-a-test`))!.layers;
    await setup.session.lambda.updateFunctionConfiguration(`${prefix}-fn-a-test`, { layers: [before[0], other.arn, before[1]] });

    writeFile(root, 'layers/core/src/core/__init__.py', 'VALUE = 2\n');
    await packageAll(root);
    const ctx = testContext(root, { prefix });
    const outcome = await deployLayer(ctx, 'core', ['fn-a', 'fn-b']);
    expect(outcome.failures).toEqual([]);
    expect(await layerVersions(ctx, 'fn-a')).toEqual([`${prefix}-core-test:2`, `${prefix}-other-team:1`, `${prefix}-deps-test:1`]);
    expect(await layerVersions(ctx, 'fn-b')).toEqual([`${prefix}-core-test:2`, `${prefix}-deps-test:1`]);
    expect(ctx.events.filter((e) => e.step === 'update-layers').map((e) => `${e.project}: ${e.message}`).sort()).toEqual(['fn-a: layers core 1 -> 2', 'fn-b: layers core 1 -> 2']);
    expect(contentWrites(ctx).map((c) => c.command).sort()).toEqual(['PublishLayerVersion', 'PutObject', 'UpdateFunctionConfiguration', 'UpdateFunctionConfiguration']);
  });

  it('update-layers moves a function left on old versions (the v43 problem) to the repo versions only', async () => {
    const root = makeWorkspace(files);
    const prefix = uniquePrefix('stale');
    await packageAll(root);
    await deployAll(root, prefix);
    writeFile(root, 'layers/core/src/core/__init__.py', 'VALUE = 3\n');
    await packageAll(root);
    // What the old script did: publish the layer, touch no function.
    await deployLayer(testContext(root, { prefix }), 'core', []);
    const ctx = testContext(root, { prefix });
    await deployFunction(ctx, 'fn-b', { layersOnly: true });
    expect(await layerVersions(ctx, 'fn-b')).toEqual([`${prefix}-core-test:2`, `${prefix}-deps-test:1`]);
    expect(ctx.events.find((e) => e.step === 'update-layers')?.message).toBe('layers core 1 -> 2, deps 1 (unchanged)');
  });

  it('refuses, before any AWS call, a function whose code and layers exceed 250 MB together', async () => {
    const root = makeWorkspace(files);
    const prefix = uniquePrefix('toolarge');
    await packageAll(root);
    const path = manifestPathOf(root, 'layer', 'core');
    writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), unzippedSize: 251 * 1024 * 1024 }));
    const ctx = testContext(root, { prefix });
    await expect(deployFunction(ctx, 'fn-a', { layersOnly: false })).rejects.toMatchObject({ code: 'FUNCTION_TOO_LARGE', message: expect.stringContaining('lambdas/fn-a/function.json: code ') });
    expect(ctx.session.recorder.calls).toEqual([]);
  });

  it('names the layer deploy to run when the repo version of a layer is not published', async () => {
    const root = makeWorkspace(files);
    const prefix = uniquePrefix('unpublished');
    await packageAll(root);
    const ctx = testContext(root, { prefix });
    await expect(deployFunction(ctx, 'fn-a', { layersOnly: true })).rejects.toMatchObject({ code: 'LAYER_NOT_PUBLISHED', hint: expect.stringContaining('nx run core:deploy -c test') });
    expect(ctx.session.recorder.writes()).toEqual([]);
  });
});
