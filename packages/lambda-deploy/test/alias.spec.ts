import { describe, expect, it } from 'vitest';
import { deployFunction } from '../src/deploy/deploy-function';
import { deployLayer } from '../src/deploy/deploy-layer';
import { contentWrites, makeWorkspace, packageAll, testContext, uniquePrefix, writeFile, type TestContext } from './harness';

const fnJson = (alias?: string) => JSON.stringify({ runtime: 'python3.12', handler: 'handler.handler', layers: ['core'], ...(alias ? { alias } : {}) });
const files = {
  VERSION: 'core=1.0.0\n',
  'layers/core/layer.json': JSON.stringify({ sources: 'src' }),
  'layers/core/src/core.py': 'VALUE = 1\n',
  'lambdas/fn/function.json': fnJson('live'),
  'lambdas/fn/handler.py': 'def handler(e, c):\n    return 1\n',
};

const aliasLayers = async (ctx: TestContext) => (await ctx.session.lambda.getFunction(`${ctx.env.namePrefix}-fn-test`, 'live'))!.layers.map((arn) => arn.split(':').slice(-2).join(':'));
const aliasVersion = async (ctx: TestContext) => (await ctx.session.lambda.getAlias(`${ctx.env.namePrefix}-fn-test`, 'live'))?.functionVersion;

describe('function aliases against moto', () => {
  it('publishes a version and moves the alias after each change, and makes no write when nothing changed', async () => {
    const root = makeWorkspace(files);
    const prefix = uniquePrefix('alias');
    await packageAll(root);
    const first = testContext(root, { prefix });
    await deployLayer(first, 'core', []);
    await deployFunction(first, 'fn', { layersOnly: false });
    expect(first.events.find((e) => e.step === 'publish-version')?.message).toBe('alias live -> version 1');
    expect(await aliasLayers(first)).toEqual([`${prefix}-core-test:1`]);

    const rerun = testContext(root, { prefix });
    await deployFunction(rerun, 'fn', { layersOnly: false });
    expect(rerun.session.recorder.writes()).toEqual([]);

    // A layer change reaches the alias's callers through the cascade.
    writeFile(root, 'layers/core/src/core.py', 'VALUE = 2\n');
    await packageAll(root);
    const cascade = testContext(root, { prefix });
    await deployLayer(cascade, 'core', ['fn']);
    expect(contentWrites(cascade).map((c) => c.command).filter((c) => c !== 'PutObject')).toEqual(['PublishLayerVersion', 'UpdateFunctionConfiguration', 'PublishVersion', 'UpdateAlias']);
    expect(await aliasVersion(cascade)).toBe('2');
    expect(await aliasLayers(cascade)).toEqual([`${prefix}-core-test:2`]);
  });

  it('moves an alias left behind $LATEST by an earlier run, with nothing else to update', async () => {
    const root = makeWorkspace(files);
    const prefix = uniquePrefix('behind');
    await packageAll(root);
    const first = testContext(root, { prefix });
    await deployLayer(first, 'core', []);
    await deployFunction(first, 'fn', { layersOnly: false });

    // $LATEST moves on without the alias (as if a run died between the update and the publish).
    writeFile(root, 'lambdas/fn/function.json', fnJson());
    writeFile(root, 'lambdas/fn/handler.py', 'def handler(e, c):\n    return 2\n');
    await packageAll(root);
    await deployFunction(testContext(root, { prefix }), 'fn', { layersOnly: false });
    expect(await aliasVersion(first)).toBe('1');

    writeFile(root, 'lambdas/fn/function.json', fnJson('live'));
    const heal = testContext(root, { prefix });
    await deployFunction(heal, 'fn', { layersOnly: false });
    expect(heal.events.filter((e) => e.step === 'plan').map((e) => e.message)).toEqual(['plan publish-version: alias live is on version 1, which differs from $LATEST']);
    expect(await aliasVersion(heal)).toBe('2');
  });
});
