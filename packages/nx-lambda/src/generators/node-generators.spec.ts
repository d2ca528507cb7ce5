import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { bundleFunction, installLayer, buildLayer, loadWorkspace } from '@vectora/lambda-deploy';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { functionGenerator } from './function/generator';
import { layerGenerator } from './layer/generator';
import { writeTreeToDisk } from './shared/test-tree';

describe('generators with --runtime=nodejs22.x', () => {
  it('make a Node layer and a TypeScript function the engine accepts, whose handler bundles and whose generated vitest test passes', async () => {
    const tree = createTreeWithEmptyWorkspace();
    await layerGenerator(tree, { name: 'node-deps', runtime: 'nodejs22.x', requirements: true });
    await functionGenerator(tree, { name: 'digest', runtime: 'nodejs22.x', layers: 'node-deps' });
    expect(JSON.parse(tree.read('layers/node-deps/layer.json', 'utf-8')!)).toMatchObject({ runtimes: ['nodejs22.x'], dependencies: 'package.json' });
    expect(JSON.parse(tree.read('lambdas/digest/function.json', 'utf-8')!)).toMatchObject({ runtime: 'nodejs22.x', handler: 'src/handler.handler', layers: ['node-deps'] });
    const root = writeTreeToDisk(tree);
    try {
      const workspace = loadWorkspace(root);
      await installLayer(root, workspace.layers.get('node-deps')!, () => {});
      await buildLayer(root, workspace.layers.get('node-deps')!);
      const fn = workspace.functions.get('digest')!;
      const bundled = await bundleFunction({ sourceDir: join(root, fn.root), handler: fn.handler, runtime: fn.runtime, layers: [], outDir: join(root, 'out'), file: fn.file });
      expect(bundled.format).toBe('cjs');
      // The generated test, run by vitest itself in the generated workspace.
      const output = execFileSync(process.execPath, [join(dirname(require.resolve('vitest')), 'vitest.mjs'), 'run', '--root', join(root, 'lambdas/digest')], { encoding: 'utf8', env: { ...process.env, CI: '1' } });
      expect(output).toMatch(/2 passed/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('refuses an unsupported runtime with its own error code', async () => {
    const tree = createTreeWithEmptyWorkspace();
    await expect(functionGenerator(tree, { name: 'digest', runtime: 'nodejs18.x' })).rejects.toMatchObject({ message: expect.stringContaining('INVALID_RUNTIME') });
  });
});
