import { describe, expect, it } from 'vitest';
import { deployFunction } from '../src/deploy/deploy-function';
import { deployLayer } from '../src/deploy/deploy-layer';
import { functionStatus, renderFunctionStatus } from '../src/status/function-status';
import { layerStatus, renderLayerStatus } from '../src/status/layer-status';
import { ONE_LAYER_TWO_FUNCTIONS, makeWorkspace, packageAll, testContext, uniquePrefix, writeFile } from './harness';

const files = ONE_LAYER_TWO_FUNCTIONS;

describe('status against moto', () => {
  it('reports behind, in sync, code drift and unmanaged layers, and per-version usage, with reads only', async () => {
    const root = makeWorkspace(files);
    const prefix = uniquePrefix('status');
    await packageAll(root);
    const setup = testContext(root, { prefix });
    await deployLayer(setup, 'core', []);
    await deployFunction(setup, 'fn-a', { layersOnly: false });
    await deployFunction(setup, 'fn-b', { layersOnly: false });
    // A new core version reaches fn-b only; fn-a's handler changes locally without a deploy.
    writeFile(root, 'layers/core/src/core.py', 'V = 2\n');
    writeFile(root, 'lambdas/fn-a/handler.py', 'def handler(e, c):\n    return 11\n');
    await packageAll(root);
    await deployLayer(testContext(root, { prefix }), 'core', ['fn-b']);

    const ctx = testContext(root, { prefix, dryRun: true });
    const a = await functionStatus(ctx, 'fn-a');
    expect(a).toMatchObject({ exists: true, code: 'drift', layers: [{ layer: 'core', attached: 1, expected: 2, sync: 'behind' }], unmanaged: [] });
    expect(renderFunctionStatus(a)).toEqual([`[fn-a] ${prefix}-fn-a-test: code drift; layers core 1 (behind, repo: 2)`, '[fn-a] settings in sync']);
    expect(await functionStatus(ctx, 'fn-b')).toMatchObject({ code: 'in sync', layers: [{ attached: 2, expected: 2, sync: 'in sync' }] });

    const layer = await layerStatus(ctx, 'core');
    expect(layer.versions.map((v) => [v.version, v.matchesRepo, v.usedBy])).toEqual([
      [2, true, ['fn-b']],
      [1, false, ['fn-a']],
    ]);
    expect(renderLayerStatus(layer)[1]).toMatch(/^\[core\]   v2 1\.0\.0 sha256:\w{12}\.\. <- repo used by fn-b$/);
    expect(ctx.session.recorder.writes()).toEqual([]);
  });

  it('reports every managed setting that drifted in AWS (variable names only) and the alias with the version it serves', async () => {
    const root = makeWorkspace({ ...files, 'lambdas/fn-a/function.json': JSON.stringify({ runtime: 'python3.12', handler: 'handler.handler', memory: 256, layers: ['core'], alias: 'live', environment: { TABLE: '{prefix}-t-{env}', SECRET: 'hunter2' } }) });
    const prefix = uniquePrefix('drift');
    await packageAll(root);
    const setup = testContext(root, { prefix });
    await deployLayer(setup, 'core', []);
    await deployFunction(setup, 'fn-a', { layersOnly: false });
    const inSync = await functionStatus(testContext(root, { prefix, dryRun: true }), 'fn-a');
    expect({ settings: inSync.settings, alias: inSync.alias }).toEqual({ settings: [], alias: { name: 'live', version: '1' } });

    // Someone changes memory and a variable by hand, outside the tool.
    await setup.session.lambda.updateFunctionConfiguration(`${prefix}-fn-a-test`, { memory: 512, environment: { TABLE: `${prefix}-t-test`, SECRET: 'changed-by-hand' } });
    const ctx = testContext(root, { prefix, dryRun: true });
    const drifted = await functionStatus(ctx, 'fn-a');
    expect(drifted.settings).toEqual(['memory 512 -> 256', 'environment ~SECRET']);
    expect(renderFunctionStatus(drifted)[1]).toBe('[fn-a] settings drift: memory 512 -> 256, environment ~SECRET; alias live -> 1');
    expect(JSON.stringify(drifted)).not.toMatch(/hunter2|changed-by-hand/);
    expect(ctx.session.recorder.writes()).toEqual([]);
  });

  it('says so when a function does not exist', async () => {
    const root = makeWorkspace(files);
    const prefix = uniquePrefix('status-missing');
    await packageAll(root);
    const status = await functionStatus(testContext(root, { prefix, dryRun: true }), 'fn-a');
    expect(renderFunctionStatus(status)).toEqual([`[fn-a] ${prefix}-fn-a-test: not found`]);
  });
});
