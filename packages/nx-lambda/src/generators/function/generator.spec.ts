import type { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { loadWorkspace, parseFunctionConfig } from '@vectora/lambda-deploy';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { layerGenerator } from '../layer/generator';
import { SAMPLE_APP, sampleAppTree, writeTreeToDisk } from '../shared/test-tree';
import { functionGenerator } from './generator';

let tree: Tree;
const read = (path: string) => tree.read(path, 'utf-8');
const functionConfig = (name: string) => parseFunctionConfig(JSON.parse(read(`lambdas/${name}/function.json`)!), { project: name, root: `lambdas/${name}`, file: `lambdas/${name}/function.json` });
const snapshot = (t: Tree) => t.listChanges().map((c) => `${c.type} ${c.path} ${c.content?.toString('base64')}`);

/** Runs `python3 -m unittest` in the generated function folder, as a developer would (unittest reports on stderr). */
function runPythonTests(name: string): { status: number | null; output: string } {
  const root = writeTreeToDisk(tree);
  try {
    const result = spawnSync('python3', ['-m', 'unittest', '-v'], { cwd: join(root, 'lambdas', name), encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

beforeEach(() => {
  tree = sampleAppTree();
});

describe('function generator: what it writes', () => {
  it('function.json on the given layers, shaped like the sample functions and accepted by the engine', async () => {
    await functionGenerator(tree, { name: 'send-digest', layers: 'vectora-core,common-deps' });
    // The sample ingest-v2 with the same settings, minus its environment line: same bytes.
    const sample = readFileSync(join(SAMPLE_APP, 'lambdas/ingest-v2/function.json'), 'utf8').replace(/\n {2}"environment": .*\n/, '\n');
    expect(read('lambdas/send-digest/function.json')).toBe(sample);
    expect(functionConfig('send-digest')).toMatchObject({ runtime: 'python3.12', handler: 'handler.handler', architecture: 'x86_64', memory: 256, timeout: 30, layers: ['vectora-core', 'common-deps'] });
  });

  it('a handler.py that imports only the standard library, and a test_handler.py that passes with python3 -m unittest', async () => {
    await functionGenerator(tree, { name: 'send-digest', layers: 'vectora-core,common-deps' });
    const handler = read('lambdas/send-digest/handler.py')!;
    expect(handler.split('\n').filter((line) => /^(import|from) /.test(line))).toEqual(['import json']);
    expect(handler).toContain('Layers: vectora-core, common-deps');
    expect(handler).toContain('def handler(event, context):');
    expect(read('lambdas/send-digest/test_handler.py')).toContain('from handler import handler');
    const run = runPythonTests('send-digest');
    expect(run.status, run.output).toBe(0);
    expect(run.output).toMatch(/Ran 2 tests in .*\n\nOK\n$/);
  });

  it('passes runtime, architecture, memory, timeout and description through to function.json', async () => {
    await layerGenerator(tree, { name: 'arm-core', runtime: 'python3.13', architecture: 'arm64' });
    await functionGenerator(tree, { name: 'thumbnails', layers: ['arm-core'], runtime: 'python3.13', architecture: 'arm64', memory: 1024, timeout: 120, description: 'Makes thumbnails' });
    expect(functionConfig('thumbnails')).toMatchObject({ runtime: 'python3.13', architecture: 'arm64', memory: 1024, timeout: 120, description: 'Makes thumbnails', layers: ['arm-core'] });
    expect(read('lambdas/thumbnails/handler.py')).toMatch(/^"""Makes thumbnails\."""\n/);
  });

  it('no layers: an empty list, and a handler without the layers comment', async () => {
    await functionGenerator(tree, { name: 'ping' });
    expect(functionConfig('ping').layers).toEqual([]);
    expect(read('lambdas/ping/function.json')).toContain('"layers": []');
    expect(read('lambdas/ping/handler.py')).toBe(
      [
        '"""The ping Lambda function."""',
        'import json',
        '',
        '',
        'def handler(event, context):',
        '    """Lambda entry point: `event` is the invocation payload, `context` the runtime information."""',
        '    name = event.get("name", "world") if isinstance(event, dict) else "world"',
        '    return {"statusCode": 200, "body": json.dumps({"message": f"Hello, {name}, from ping"})}',
        '',
      ].join('\n'),
    );
  });

  it('--handler names the module and function it writes, and the test imports them', async () => {
    await functionGenerator(tree, { name: 'api', handler: 'app.main' });
    expect(tree.exists('lambdas/api/handler.py')).toBe(false);
    expect(read('lambdas/api/app.py')).toContain('def main(event, context):');
    expect(read('lambdas/api/test_handler.py')).toContain('from app import main');
    expect(functionConfig('api').handler).toBe('app.main');
    expect(runPythonTests('api')).toMatchObject({ status: 0, output: expect.stringMatching(/Ran 2 tests/) });

    await functionGenerator(tree, { name: 'nested', handler: 'service.entry.run' });
    expect(read('lambdas/nested/service/entry.py')).toContain('def run(event, context):');
    expect(read('lambdas/nested/test_handler.py')).toContain('from service.entry import run');
    expect(runPythonTests('nested')).toMatchObject({ status: 0, output: expect.stringMatching(/Ran 2 tests/) });
  });

  it('accepts --layers with spaces and a trailing comma, as typed on a command line', async () => {
    await functionGenerator(tree, { name: 'send-digest', layers: ' common-deps , vectora-core,' });
    expect(functionConfig('send-digest').layers).toEqual(['common-deps', 'vectora-core']);
  });

  it('leaves a workspace the engine loads whole, with the function on its layers', async () => {
    await layerGenerator(tree, { name: 'billing-core' });
    await functionGenerator(tree, { name: 'send-bill', layers: 'billing-core,common-deps' });
    const root = writeTreeToDisk(tree);
    try {
      const workspace = loadWorkspace(root);
      expect(workspace.functions.get('send-bill')).toMatchObject({ layers: ['billing-core', 'common-deps'], source: '.' });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('function generator: the settings real functions set at creation', () => {
  it('--requirements, --role, --tracing, --alias and an external layer ARN reach function.json as the engine reads them; requirements.txt is written', async () => {
    const powertools = 'arn:aws:lambda:{region}:017000801446:layer:AWSLambdaPowertoolsPythonV3:7';
    await functionGenerator(tree, { name: 'cart-get', layers: `${powertools},vectora-core`, requirements: true, role: 'arn:aws:iam::{account}:role/shop-{env}', tracing: 'Active', alias: 'live' });
    const config = functionConfig('cart-get');
    expect(config).toMatchObject({ layerStack: [powertools, 'vectora-core'], layers: ['vectora-core'], requirements: 'requirements.txt', role: 'arn:aws:iam::{account}:role/shop-{env}', tracing: 'Active', alias: 'live' });
    expect(read('lambdas/cart-get/requirements.txt')).toMatch(/^# Packages only this function needs/);
    // Without them, none of those keys is written: the tool then leaves those settings as AWS has them.
    await functionGenerator(tree, { name: 'plain' });
    expect(Object.keys(JSON.parse(read('lambdas/plain/function.json')!))).toEqual(['runtime', 'handler', 'architecture', 'memory', 'timeout', 'layers']);
    expect(tree.exists('lambdas/plain/requirements.txt')).toBe(false);
  });

  it('--source: function.json on a shared code folder, the handler module written there only when missing, and no sample test', async () => {
    tree.write('services/cart/cart_get.py', 'def handler(event, context):\n    return "mine"\n');
    await functionGenerator(tree, { name: 'cart-get', source: '../../services/cart', handler: 'cart_get.handler' });
    await functionGenerator(tree, { name: 'cart-put', source: '../../services/cart/', handler: 'cart_put.handler' });
    expect(functionConfig('cart-get')).toMatchObject({ source: '../../services/cart', handler: 'cart_get.handler' });
    expect(read('services/cart/cart_get.py')).toBe('def handler(event, context):\n    return "mine"\n');
    expect(read('services/cart/cart_put.py')).toContain('def handler(event, context):');
    expect(tree.children('lambdas/cart-put')).toEqual(['function.json']);
    expect(tree.exists('services/cart/test_handler.py')).toBe(false);
    const root = writeTreeToDisk(tree);
    try {
      expect(loadWorkspace(root).functions.get('cart-put')).toMatchObject({ source: '../../services/cart' });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('test_handler.py says plainly it is a sample of the stub, to rewrite or delete with the handler', async () => {
    await functionGenerator(tree, { name: 'send-digest' });
    expect(read('lambdas/send-digest/test_handler.py')!.split('\n')[0]).toBe('"""SAMPLE test of the generated stub handler: rewrite or delete it when you replace the handler.');
  });
});

describe('function generator: refusals (nothing written, every problem reported, each with its fix)', () => {
  const refused = async (options: Parameters<typeof functionGenerator>[1]) => {
    const before = snapshot(tree);
    const error = await functionGenerator(tree, options).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error, 'the generator should have refused').toBeInstanceOf(Error);
    expect(snapshot(tree), 'nothing written').toEqual(before);
    return error!.message;
  };

  it('an unknown layer, listing the layers the repo has', async () => {
    const message = await refused({ name: 'send-digest', layers: 'vectora-core,vectora-kore' });
    expect(message).toBe('error UNKNOWN_LAYER: --layers: "vectora-kore" is not a layer of this repo (no layers/vectora-kore/layer.json)\n  fix: use one of: common-deps, vectora-core');
  });

  it('an unknown layer in a repo without layers says how to create one', async () => {
    tree = createTreeWithEmptyWorkspace();
    expect(await refused({ name: 'send-digest', layers: 'core' })).toContain('fix: use one of: (none: create one with nx g @vectora/nx-lambda:layer <name>)');
  });

  it('more than 5 layers', async () => {
    for (const name of ['l1', 'l2', 'l3', 'l4', 'l5']) await layerGenerator(tree, { name });
    const message = await refused({ name: 'send-digest', layers: 'l1,l2,l3,l4,l5,vectora-core' });
    expect(message).toBe('error TOO_MANY_LAYERS: --layers lists 6 layers, Lambda allows at most 5 per function\n  fix: merge layers or drop some');
    await functionGenerator(tree, { name: 'send-digest', layers: 'l1,l2,l3,l4,l5' });
  });

  it('the same layer twice', async () => {
    expect(await refused({ name: 'send-digest', layers: 'common-deps,common-deps' })).toContain('error DUPLICATE_LAYER: --layers lists "common-deps" more than once');
  });

  it('a layer built for another runtime or architecture', async () => {
    const message = await refused({ name: 'send-digest', layers: 'vectora-core', runtime: 'python3.13', architecture: 'arm64' });
    expect(message).toContain('error LAYER_INCOMPATIBLE: layer "vectora-core" is built for python3.12, not python3.13\n  fix: use --runtime=python3.12, or add "python3.13" to "runtimes" in layers/vectora-core/layer.json');
    expect(message).toContain('error LAYER_INCOMPATIBLE: layer "vectora-core" is built for x86_64, not arm64');
  });

  it('an existing function project', async () => {
    expect(await refused({ name: 'ingest-v2' })).toContain('error PROJECT_EXISTS: lambdas/ingest-v2 already exists\n  fix: choose another name');
  });

  it('a name a layer project already has', async () => {
    expect(await refused({ name: 'common-deps' })).toContain('error PROJECT_EXISTS: the project "common-deps" already exists (layers/common-deps)');
  });

  it.each(['SendDigest', 'send_digest', 'send--digest', 'send-', '1send', ''])('an invalid name: %j', async (name) => {
    expect(await refused({ name })).toContain(`error INVALID_NAME: "${name}" is not a valid function name`);
  });

  it('a name whose AWS function name would be over 64 characters in some environment', async () => {
    const name = 'a'.repeat(43); // vectora-inbox-<43>-local = 63 characters; -staging makes it 65
    expect(await refused({ name })).toContain(`error NAME_TOO_LONG: the function name "${name}" gives the AWS function name "vectora-inbox-${name}-staging" (65 characters)`);
    await functionGenerator(tree, { name: 'a'.repeat(42) });
  });

  it.each(['handler', 'handler.', '.handler', 'handler.handler()', 'my-module.handler', 'handler.class', 'src/handler.handler'])('an invalid --handler: %j', async (handler) => {
    expect(await refused({ name: 'send-digest', handler })).toContain(`error INVALID_HANDLER: --handler "${handler}" is not module.function`);
  });

  it('a --handler that would clash with the generated test', async () => {
    expect(await refused({ name: 'send-digest', handler: 'test_handler.run' })).toContain('collides with the generated test_handler.py');
    expect(await refused({ name: 'send-digest', handler: 'handler.json' })).toContain('collides with the generated test_handler.py');
  });

  it('memory and timeout outside what the engine accepts (the CLI schema refuses them first)', async () => {
    const message = await refused({ name: 'send-digest', memory: 64, timeout: 901 });
    // The engine's rule, told as the option typed rather than the file not yet written.
    expect(message).toContain('error CONFIG_INVALID: --memory: must be a whole number of MB from 128 to 10240, got 64');
    expect(message).toContain('timeout: must be a whole number of seconds from 1 to 900, got 901');
  });

  it('a runtime the tool does not support gets its own code, as the CLI no longer refuses it first (no schema enum)', async () => {
    const message = await refused({ name: 'send-digest', runtime: 'python3.8', architecture: 'arm' });
    expect(message).toContain('error INVALID_RUNTIME: --runtime "python3.8" is not supported\n  fix: use one of: python3.9, python3.10, python3.11, python3.12, python3.13, nodejs20.x');
    expect(message).toContain('error INVALID_ARCHITECTURE: --architecture "arm" is not supported');
  });

  it('--tracing, --alias, --role and an ARN in --layers the engine would refuse, named as options with the engine\'s fix', async () => {
    const message = await refused({ name: 'send-digest', tracing: 'On', alias: '42', role: 'shop-role', layers: 'arn:aws:lambda:us-east-1:017000801446:layer:Powertools' });
    expect(message).toContain('error CONFIG_INVALID: --tracing: "On" not supported');
    expect(message).toContain('--alias: ');
    expect(message).toContain('--role: ');
    expect(message).toContain('--layers: "arn:aws:lambda:us-east-1:017000801446:layer:Powertools" is not a layer version ARN');
    expect(message).not.toContain('function.json');
  });

  it('--source outside the workspace, or on a Node.js function', async () => {
    expect(await refused({ name: 'send-digest', source: '../../../elsewhere' })).toContain('error CONFIG_INVALID: --source: "../../../elsewhere" leaves the workspace');
    expect(await refused({ name: 'send-digest', source: '../../services/cart', runtime: 'nodejs22.x' })).toContain('error INVALID_OPTION: --source is for Python functions here');
  });

  it('--requirements on a Node.js function', async () => {
    expect(await refused({ name: 'send-digest', runtime: 'nodejs22.x', requirements: true })).toContain('error CONFIG_INVALID: --requirements: is for Python functions, this one runs nodejs22.x');
  });

  it('reports every problem at once', async () => {
    const message = await refused({ name: 'Bad', layers: 'nope,vectora-core,vectora-core', handler: 'x' });
    expect(message.match(/^error /gm)).toHaveLength(4);
  });
});
