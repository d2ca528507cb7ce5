import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDependencies } from './create-dependencies';
import { createNodes } from './create-nodes';

let root: string;
const write = (file: string, content: unknown) => {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), typeof content === 'string' ? content : JSON.stringify(content));
};
const options = { namePrefix: 'vi', environments: { local: {}, dev: {} } };
const context = () => ({ nxJsonConfiguration: {}, workspaceRoot: root });

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'nx-lambda-graph-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('createNodes', () => {
  it('infers a tagged project per layer.json and function.json, with env configurations', async () => {
    write('layers/core/layer.json', { sources: 'src' });
    write('lambdas/ingest/function.json', { runtime: 'python3.12', handler: 'handler.handler', layers: ['core'] });
    const results = await createNodes[1](['layers/core/layer.json', 'lambdas/ingest/function.json'], options, context());
    const projects = Object.fromEntries(results.map(([file, result]) => [file, Object.values(result.projects!)[0]]));
    const layer = projects['layers/core/layer.json'];
    const fn = projects['lambdas/ingest/function.json'];
    expect({ name: layer.name, tags: layer.tags, targets: Object.keys(layer.targets!) }).toEqual({ name: 'core', tags: ['layer'], targets: ['build', 'package', 'deploy', 'status', 'prune', 'iam-policy'] });
    expect({ name: fn.name, tags: fn.tags, targets: Object.keys(fn.targets!) }).toEqual({ name: 'ingest', tags: ['function'], targets: ['package', 'deploy', 'update-layers', 'status', 'rollback', 'iam-policy'] });
    expect(layer.targets!.package).toMatchInlineSnapshot(`
      {
        "cache": true,
        "dependsOn": [
          "build",
        ],
        "executor": "@vectora/nx-lambda:package",
        "inputs": [
          {
            "dependentTasksOutputFiles": "**/*",
          },
          "{workspaceRoot}/VERSION",
          "{workspaceRoot}/packages/nx-lambda/package.json",
        ],
        "metadata": {
          "description": "Deterministic zip of the layer tree plus manifest.json (sha256, sizes, file count)",
        },
        "outputs": [
          "{workspaceRoot}/dist/layers/core/package",
        ],
      }
    `);
    expect(layer.targets!.prune).toEqual({
      executor: '@vectora/nx-lambda:prune',
      dependsOn: ['package'],
      cache: false,
      options: {},
      configurations: { local: { environment: 'local' }, dev: { environment: 'dev' } },
      metadata: { description: expect.stringContaining('Delete old layer versions no function uses') },
    });
    for (const project of [layer, fn]) {
      expect(project.targets!['iam-policy']).toEqual({
        executor: '@vectora/nx-lambda:iam-policy',
        dependsOn: [],
        cache: false,
        options: {},
        configurations: { local: { environment: 'local' }, dev: { environment: 'dev' } },
        metadata: { description: expect.stringContaining('least-privilege IAM policy') },
      });
    }
    expect(fn.targets!.deploy).toMatchObject({ executor: '@vectora/nx-lambda:deploy-function', cache: false, dependsOn: ['package', '^deploy'], configurations: { local: { environment: 'local' }, dev: { environment: 'dev' } } });
  });
});

describe('createDependencies', () => {
  const projects = {
    'layers/core': { name: 'core', root: 'layers/core', tags: ['layer'] },
    'layers/deps': { name: 'deps', root: 'layers/deps', tags: ['layer'] },
    'lambdas/ingest': { name: 'ingest', root: 'lambdas/ingest', tags: ['function'] },
  };
  const depContext = () => ({ externalNodes: {}, projects, nxJsonConfiguration: {}, workspaceRoot: root, fileMap: { projectFileMap: {}, nonProjectFiles: [] }, filesToProcess: { projectFileMap: {}, nonProjectFiles: [] } });

  it('adds a static edge from the function to each layer it names, sourced from function.json', async () => {
    write('lambdas/ingest/function.json', { runtime: 'python3.12', handler: 'handler.handler', layers: ['core', 'deps'] });
    expect(await createDependencies(options, depContext() as never)).toEqual([
      { source: 'ingest', target: 'core', type: 'static', sourceFile: 'lambdas/ingest/function.json' },
      { source: 'ingest', target: 'deps', type: 'static', sourceFile: 'lambdas/ingest/function.json' },
    ]);
  });

  it('fails with the file and the unknown layer name', async () => {
    write('lambdas/ingest/function.json', { runtime: 'python3.12', handler: 'handler.handler', layers: ['core', 'vectora-kore'] });
    await expect(async () => createDependencies(options, depContext() as never)).rejects.toThrow('lambdas/ingest/function.json: layers: "vectora-kore" is not a layer of this repo');
  });

  it('fails with the line of a JSON syntax error', async () => {
    write('lambdas/ingest/function.json', '{\n  "runtime": "python3.12",,\n}');
    await expect(async () => createDependencies(options, depContext() as never)).rejects.toThrow(/lambdas\/ingest\/function\.json:2:\d+: invalid JSON/);
  });
});
