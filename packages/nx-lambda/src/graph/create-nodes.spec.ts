import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNodes } from './create-nodes';
import { PLUGIN_VERSION as pluginVersion } from './plugin-version';

let root: string;
const write = (file: string, content: unknown) => {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), typeof content === 'string' ? content : JSON.stringify(content));
};
const options = { namePrefix: 'vi', environments: { local: {}, dev: {} } };
const context = () => ({ nxJsonConfiguration: {}, workspaceRoot: root });
// The version changes with each release: a placeholder in the snapshots, checked to be the package's own below.
expect.addSnapshotSerializer({
  test: (value) => value === pluginVersion,
  serialize: () => '"<plugin version>"',
});

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
    expect({ name: layer.name, tags: layer.tags, targets: Object.keys(layer.targets!) }).toEqual({ name: 'core', tags: ['layer'], targets: ['install', 'build', 'package', 'deploy', 'status', 'prune', 'promote', 'iam-policy'] });
    expect({ name: fn.name, tags: fn.tags, targets: Object.keys(fn.targets!) }).toEqual({ name: 'ingest', tags: ['function'], targets: ['package', 'deploy', 'update-layers', 'status', 'rollback', 'promote', 'iam-policy'] });
    expect(layer.targets!.package).toMatchInlineSnapshot(`
      {
        "cache": true,
        "dependsOn": [
          "build",
        ],
        "executor": "@vectora/nx-lambda:package",
        "inputs": [
          "{projectRoot}/**/*",
          {
            "dependentTasksOutputFiles": "**/*",
          },
          "{workspaceRoot}/VERSION",
        ],
        "metadata": {
          "description": "Deterministic zip of the layer tree plus manifest.json (sha256, sizes, file count)",
        },
        "options": {
          "pluginVersion": "<plugin version>",
        },
        "outputs": [
          "{workspaceRoot}/dist/layers/core/package",
        ],
      }
    `);
    expect(layer.targets!.build).toMatchInlineSnapshot(`
      {
        "cache": true,
        "dependsOn": [
          "install",
        ],
        "executor": "@vectora/nx-lambda:build-layer",
        "inputs": [
          "{projectRoot}/**/*",
        ],
        "metadata": {
          "description": "Assemble the layer tree (python/...): the installed requirements, then the sources",
        },
        "options": {
          "pluginVersion": "<plugin version>",
        },
        "outputs": [
          "{workspaceRoot}/dist/layers/core/build",
        ],
      }
    `);
    expect(layer.targets!.package.options).toEqual({ pluginVersion });
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
    expect(fn.targets!.deploy).toMatchObject({ executor: '@vectora/nx-lambda:deploy', cache: false, dependsOn: ['package', '^deploy'], configurations: { local: { environment: 'local' }, dev: { environment: 'dev' } } });
  });
});

describe('createNodes: a function whose source is a shared folder', () => {
  it('makes the shared folder an input of its package (Nx then maps a change there to exactly these functions); its own folder or a broken file adds nothing', async () => {
    write('lambdas/cart-get/function.json', { runtime: 'python3.12', handler: 'cart_get.handler', source: '../../services/cart' });
    write('lambdas/own/function.json', { runtime: 'python3.12', handler: 'handler.handler', source: 'src' });
    write('lambdas/outside/function.json', { runtime: 'python3.12', handler: 'h.h', source: '../../../elsewhere' });
    write('lambdas/broken/function.json', '{ "source": ');
    const files = ['lambdas/cart-get/function.json', 'lambdas/own/function.json', 'lambdas/outside/function.json', 'lambdas/broken/function.json'];
    const results = await createNodes[1](files, options, context());
    const inputs = Object.fromEntries(results.map(([file, result]) => [file, Object.values(result.projects!)[0].targets!.package.inputs]));
    expect(inputs).toEqual({
      'lambdas/cart-get/function.json': ['{projectRoot}/**/*', '{workspaceRoot}/services/cart/**/*'],
      'lambdas/own/function.json': ['{projectRoot}/**/*'],
      'lambdas/outside/function.json': ['{projectRoot}/**/*'],
      'lambdas/broken/function.json': ['{projectRoot}/**/*'],
    });
  });
});

describe('createNodes: a layer with requirements', () => {
  const inferLayer = async () => {
    const [[, result]] = await createNodes[1](['layers/deps/layer.json'], options, context());
    return Object.values(result.projects!)[0];
  };

  it('infers install, keyed on the requirements file, Python version and architecture only; build depends on it', async () => {
    write('layers/deps/layer.json', { runtimes: ['python3.12', 'python3.11'], architectures: ['arm64'], sources: 'src', requirements: 'reqs/prod.txt', description: 'deps' });
    const layer = await inferLayer();
    expect(Object.keys(layer.targets!)).toEqual(['install', 'build', 'package', 'deploy', 'status', 'prune', 'promote', 'iam-policy']);
    expect(layer.targets!.install).toMatchInlineSnapshot(`
      {
        "cache": true,
        "executor": "@vectora/nx-lambda:install",
        "inputs": [
          "{projectRoot}/reqs/prod.txt",
        ],
        "metadata": {
          "description": "pip-install the requirements for the Lambda platform (cached on the requirements file, Python version and architecture only)",
        },
        "options": {
          "architecture": "arm64",
          "pluginVersion": "<plugin version>",
          "pythonVersion": "3.11",
          "requirements": "reqs/prod.txt",
        },
        "outputs": [
          "{workspaceRoot}/dist/layers/deps/install",
        ],
      }
    `)
    expect(layer.targets!.build.dependsOn).toEqual(['install']);
    expect(layer.targets!.install.options.pluginVersion).toBe(pluginVersion);
  });

  // Every layer's package is then as many steps from the start: Nx replays a no-op run's cached
  // tasks in rounds by depth, and deploys ready in the same round share one batch process.
  it('has an empty cached install step (nx:noop, no process, no output) without requirements, and when layer.json cannot be read (build then reports the error)', async () => {
    write('layers/deps/layer.json', { sources: 'src' });
    const sourcesOnly = await inferLayer();
    expect(sourcesOnly.targets!.install).toMatchInlineSnapshot(`
      {
        "cache": true,
        "executor": "nx:noop",
        "inputs": [],
        "metadata": {
          "description": "Nothing to install (no requirements or dependencies): an empty step, so every layer is built after the same steps",
        },
      }
    `);
    expect(sourcesOnly.targets!.build.dependsOn).toEqual(['install']);
    write('layers/deps/layer.json', '{ "requirements": "requirements.txt",, }');
    const broken = await inferLayer();
    expect(broken.targets!.install.executor).toBe('nx:noop');
    expect(broken.targets!.build.dependsOn).toEqual(['install']);
  });
});

describe('createNodes: a Python function with its own requirements', () => {
  const inferFunction = async () => {
    const [[, result]] = await createNodes[1](['lambdas/cart/function.json'], options, context());
    return Object.values(result.projects!)[0];
  };

  it('infers install keyed on the requirements file, the runtime\'s Python and the architecture (defaults.json counted); package depends on it and hashes its output', async () => {
    write('lambdas/defaults.json', { runtime: 'python3.11', architecture: 'arm64' });
    write('lambdas/cart/function.json', { handler: 'app.handler', requirements: 'deps/requirements.txt', memory: 256 });
    const fn = await inferFunction();
    expect(Object.keys(fn.targets!)).toEqual(['install', 'package', 'deploy', 'update-layers', 'status', 'rollback', 'promote', 'iam-policy']);
    expect(fn.targets!.install.inputs).toEqual(['{projectRoot}/deps/requirements.txt']);
    expect(fn.targets!.install.options).toEqual({ requirements: 'deps/requirements.txt', pythonVersion: '3.11', architecture: 'arm64', pluginVersion });
    expect(fn.targets!.install.outputs).toEqual(['{workspaceRoot}/dist/lambdas/cart/install']);
    expect(fn.targets!.package.dependsOn).toEqual(['install']);
    expect(fn.targets!.package.inputs).toEqual(['{projectRoot}/**/*', { dependentTasksOutputFiles: '**/*' }]);
  });

  it('names a requirements file beside a shared code folder from the workspace root', async () => {
    write('lambdas/cart/function.json', { runtime: 'python3.12', handler: 'app.handler', source: '../../services/cart', requirements: '../../services/cart/requirements.txt' });
    expect((await inferFunction()).targets!.install.inputs).toEqual(['{workspaceRoot}/services/cart/requirements.txt']);
  });

  it('has no install target without requirements, nor when function.json is invalid (package then reports the error)', async () => {
    write('lambdas/cart/function.json', { runtime: 'python3.12', handler: 'app.handler' });
    const plain = await inferFunction();
    expect(Object.keys(plain.targets!)).not.toContain('install');
    expect(plain.targets!.package.dependsOn).toBeUndefined();
    write('lambdas/cart/function.json', { runtime: 'python3.12', handler: 'app.handler', requirements: 'requirements.txt', memory: 'big' });
    const broken = await inferFunction();
    expect(Object.keys(broken.targets!)).not.toContain('install');
  });
});
