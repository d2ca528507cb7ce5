import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deployFunction } from '../src/deploy/deploy-function';
import { deployLayer } from '../src/deploy/deploy-layer';
import { contentWrites, makeWorkspace, packageAll, testContext, uniquePrefix, writeFile } from './harness';

// Two layers shipping their own botocore, as pip would leave it (a package plus its dist-info RECORD).
const botocore = (version: string) => ({ 'botocore/__init__.py': `__version__ = "${version}"\n`, [`botocore-${version}.dist-info/RECORD`]: 'botocore/__init__.py,,\n' });
const layerFiles = (name: string, files: Record<string, string>) => ({
  [`layers/${name}/layer.json`]: JSON.stringify({ sources: 'src' }),
  ...Object.fromEntries(Object.entries(files).map(([path, content]) => [`layers/${name}/src/${path}`, content])),
});
const fnJson = (extra: Record<string, unknown> = {}) => JSON.stringify({ runtime: 'python3.12', handler: 'handler.handler', layers: ['new-deps', 'old-deps'], ...extra });

describe('layer stack check at plan time (against moto)', () => {
  it('warns, naming the package, layers and versions, for a package in two layers and for a layer shadowing the runtime\'s botocore; "layerConflicts": "error" fails before any write', async () => {
    const root = makeWorkspace({
      VERSION: 'new-deps=1.2.0\nold-deps=0.9.0\n',
      ...layerFiles('new-deps', { ...botocore('1.43.107'), 'shop.py': 'X = 1\n' }),
      ...layerFiles('old-deps', { ...botocore('1.13.50'), 'legacy.py': 'Y = 1\n' }),
      'lambdas/fn-a/function.json': fnJson(),
      'lambdas/fn-a/handler.py': 'def handler(e, c):\n    return 1\n',
    });
    const prefix = uniquePrefix('conflicts');
    await packageAll(root);
    const ctx = testContext(root, { prefix });
    await deployLayer(ctx, 'new-deps', []);
    await deployLayer(ctx, 'old-deps', []);
    await deployFunction(ctx, 'fn-a', { layersOnly: false });
    expect(ctx.events.filter((e) => e.project === 'fn-a' && e.outcome === 'warning').map((e) => e.message)).toEqual([
      'package botocore is shipped by 2 layers: new-deps 1.2.0 (botocore 1.43.107), old-deps 0.9.0 (botocore 1.13.50); the function gets a file-by-file mix, the last layer\'s files winning',
      'layer new-deps 1.2.0 (botocore 1.43.107) shadows the botocore that python3.12 provides',
      'layer old-deps 0.9.0 (botocore 1.13.50) shadows the botocore that python3.12 provides',
    ]);
    expect(await ctx.session.lambda.getFunction(`${prefix}-fn-a-test`)).toBeDefined();

    // The project turns them into errors (here from defaults.json): the memory change is never written.
    writeFile(root, 'lambdas/defaults.json', JSON.stringify({ layerConflicts: 'error' }));
    writeFile(root, 'lambdas/fn-a/function.json', fnJson({ memory: 512 }));
    const strict = testContext(root, { prefix });
    await expect(deployFunction(strict, 'fn-a', { layersOnly: false })).rejects.toMatchObject({ code: 'LAYER_CONFLICT', message: expect.stringMatching(/^lambdas\/fn-a\/function\.json: layers: package botocore is shipped by 2 layers: new-deps 1\.2\.0 .*shadows the botocore/) });
    expect(contentWrites(strict)).toEqual([]);

    // One layer drops its botocore: no duplicate left, and the one shadowing botocore still fails the strict project.
    rmSync(`${root}/layers/old-deps/src/botocore`, { recursive: true });
    rmSync(`${root}/layers/old-deps/src/botocore-1.13.50.dist-info`, { recursive: true });
    await packageAll(root);
    const after = testContext(root, { prefix });
    await deployLayer(after, 'old-deps', []);
    await expect(deployFunction(after, 'fn-a', { layersOnly: false })).rejects.toMatchObject({ code: 'LAYER_CONFLICT', message: 'lambdas/fn-a/function.json: layers: layer new-deps 1.2.0 (botocore 1.43.107) shadows the botocore that python3.12 provides' });
  });

  it('a layer whose new version would bring a conflict into a function it cascades to warns on that function, or fails before publishing when the function says "error"', async () => {
    const root = makeWorkspace({
      VERSION: 'new-deps=1.2.0\nold-deps=0.9.0\n',
      ...layerFiles('new-deps', { ...botocore('1.43.107') }),
      ...layerFiles('old-deps', { 'legacy.py': 'Y = 1\n' }),
      'lambdas/fn-a/function.json': fnJson(),
      'lambdas/fn-a/handler.py': 'def handler(e, c):\n    return 1\n',
    });
    const prefix = uniquePrefix('cascade-conflicts');
    await packageAll(root);
    const ctx = testContext(root, { prefix });
    await deployLayer(ctx, 'new-deps', []);
    await deployLayer(ctx, 'old-deps', []);
    await deployFunction(ctx, 'fn-a', { layersOnly: false });

    // old-deps now ships botocore too: its cascade to fn-a is where the duplicate appears.
    writeFile(root, 'layers/old-deps/src/botocore/__init__.py', '');
    writeFile(root, 'lambdas/fn-a/function.json', fnJson({ layerConflicts: 'error' }));
    await packageAll(root);
    const strict = testContext(root, { prefix });
    await expect(deployLayer(strict, 'old-deps', ['fn-a'])).rejects.toMatchObject({ code: 'LAYER_CONFLICT', message: expect.stringContaining('package botocore is shipped by 2 layers: new-deps 1.2.0 (botocore 1.43.107), old-deps 0.9.0 (botocore, version unknown)') });
    expect(contentWrites(strict)).toEqual([]);

    writeFile(root, 'lambdas/fn-a/function.json', fnJson());
    const lenient = testContext(root, { prefix });
    await deployLayer(lenient, 'old-deps', ['fn-a']);
    expect(lenient.events.filter((e) => e.project === 'fn-a' && e.outcome === 'warning').map((e) => e.message)).toEqual([
      'package botocore is shipped by 2 layers: new-deps 1.2.0 (botocore 1.43.107), old-deps 0.9.0 (botocore, version unknown); the function gets a file-by-file mix, the last layer\'s files winning',
      'layer new-deps 1.2.0 (botocore 1.43.107) shadows the botocore that python3.12 provides',
      'layer old-deps 0.9.0 (botocore, version unknown) shadows the botocore that python3.12 provides',
    ]);
  });
});
