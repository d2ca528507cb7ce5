import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deployFunction } from '../src/deploy/deploy-function';
import { deployLayer } from '../src/deploy/deploy-layer';
import { contentWrites, layersOf, makeWorkspace, packageAll, testContext, uniquePrefix, writeFile } from './harness';

const FIXTURE = join(__dirname, 'fixtures/node-layer');

/** One Node layer (npm dependencies and a compiled sources package) under one bundled TypeScript function. */
function nodeWorkspace(): string {
  return makeWorkspace({
    VERSION: 'node-deps=1.0.0\n',
    'layers/node-deps/layer.json': JSON.stringify({ runtimes: ['nodejs22.x'], dependencies: 'package.json', sources: 'lib' }),
    'layers/node-deps/package.json': readFileSync(join(FIXTURE, 'package.json'), 'utf8'),
    'layers/node-deps/package-lock.json': readFileSync(join(FIXTURE, 'package-lock.json'), 'utf8'),
    'layers/node-deps/lib/package.json': JSON.stringify({ name: '@demo/greet', main: 'index.ts' }),
    'layers/node-deps/lib/index.ts': 'export const greet = (name: string): string => `hello ${name}`;\n',
    'lambdas/digest/function.json': JSON.stringify({ runtime: 'nodejs22.x', handler: 'src/handler.handler', layers: ['node-deps'] }),
    'lambdas/digest/src/handler.ts': "import ms from 'ms';\nimport { greet } from '@demo/greet';\nexport const handler = async (event: { name: string }) => ({ took: ms(1000), greeting: greet(event.name) });\n",
  });
}

describe('Node layer and TypeScript function against moto', () => {
  it('publishes the layer for nodejs22.x, creates the function on it, writes nothing on a rerun, and a layer change cascades without new function code', async () => {
    const root = nodeWorkspace();
    const prefix = uniquePrefix('node');
    await packageAll(root);

    const first = testContext(root, { prefix });
    await deployLayer(first, 'node-deps', []);
    await deployFunction(first, 'digest', { layersOnly: false });
    const layer = (await first.session.lambda.listLayerVersions(`${prefix}-node-deps-test`))[0];
    expect(layer.version).toBe(1);
    const fn = (await first.session.lambda.getFunction(`${prefix}-digest-test`))!;
    expect({ runtime: fn.runtime, handler: fn.handler }).toEqual({ runtime: 'nodejs22.x', handler: 'src/handler.handler' });
    expect(await layersOf(first, 'digest')).toEqual([`${prefix}-node-deps-test:1`]);

    const rerun = testContext(root, { prefix });
    await deployLayer(rerun, 'node-deps', []);
    await deployFunction(rerun, 'digest', { layersOnly: false });
    expect(contentWrites(rerun)).toEqual([]);

    // The function's bundle leaves the layer's packages out, so a change inside the layer is a repoint only.
    writeFile(root, 'layers/node-deps/lib/index.ts', 'export const greet = (name: string): string => `hi ${name}`;\n');
    await packageAll(root);
    const changed = testContext(root, { prefix });
    await deployLayer(changed, 'node-deps', ['digest']);
    expect(await layersOf(changed, 'digest')).toEqual([`${prefix}-node-deps-test:2`]);
    expect(contentWrites(changed).map((call) => call.command).filter((command) => command !== 'PutObject')).toEqual(['PublishLayerVersion', 'UpdateFunctionConfiguration']);
  });

  it('refuses a Python layer on a Node function before any AWS call, naming both files', async () => {
    const root = makeWorkspace({
      VERSION: 'core=1.0.0\n',
      'layers/core/layer.json': JSON.stringify({ sources: 'src' }),
      'layers/core/src/core.py': 'V = 1\n',
      'lambdas/digest/function.json': JSON.stringify({ runtime: 'nodejs22.x', handler: 'src/handler.handler', layers: ['core'] }),
      'lambdas/digest/src/handler.ts': 'export const handler = async () => 1;\n',
    });
    expect(() => testContext(root, { prefix: uniquePrefix('mismatch') }).workspace).toThrow(/lambdas\/digest\/function.json: layers: "core" is a python layer \(layers\/core\/layer.json: runtimes\) and the function runs nodejs22.x/);
  });
});
