// @module-tag e2e
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { NX_RUN_HANG_MS, NX_TEST_ENV, NxWorkspace, SAMPLE_LAYERS, type NxResult } from './nx-workspace';

// No AWS call happens here: an endpoint nothing listens on makes any accidental one fail fast.
const NO_AWS = 'http://127.0.0.1:9';

let ws: NxWorkspace;

/**
 * `nx g ...` as a user types it. Not NxWorkspace.nx: that appends --output-style=static, which
 * `nx generate` would pass to the generator as an unknown option ("'outputStyle' is not found in schema").
 */
async function generate(args: string[]): Promise<NxResult> {
  const result = await execa(join(ws.root, 'node_modules', '.bin', 'nx'), ['g', ...args], {
    cwd: ws.root,
    reject: false,
    all: true,
    timeout: NX_RUN_HANG_MS,
    env: { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', ...NX_TEST_ENV },
  });
  // Nx colours its output when CI is set, terminal or not: compare the text only.
  return { status: result.exitCode ?? -1, output: stripVTControlCharacters(result.all ?? '') };
}

async function run(file: string, args: string[], cwd = ws.root): Promise<NxResult> {
  const result = await execa(file, args, { cwd, reject: false, all: true, env: { PYTHONDONTWRITEBYTECODE: '1' } });
  return { status: result.exitCode ?? -1, output: result.all ?? '' };
}

const zipEntries = async (zip: string) => (await run('python3', ['-c', 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', join(ws.root, zip)])).output.split('\n').filter(Boolean);

beforeAll(() => {
  ws = new NxWorkspace(NO_AWS, `gen${process.pid % 10000}`);
});

describe('the layer and function generators, through the real nx CLI', () => {
  it('nx g @vectora/nx-lambda:layer creates a sources layer and its VERSION line', async () => {
    const versionBefore = ws.read('VERSION');
    const result = await generate(['@vectora/nx-lambda:layer', 'billing-core', '--layerVersion=1.0.0', '--description=Billing helpers', '--no-interactive']);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain('CREATE layers/billing-core/layer.json');
    expect(result.output).toContain('CREATE layers/billing-core/src/billing_core/__init__.py');
    expect(result.output).toContain('UPDATE VERSION');
    expect(ws.read('VERSION')).toBe(`${versionBefore}billing-core=1.0.0\n`);
  });

  it('...and a requirements layer', async () => {
    const result = await generate(['@vectora/nx-lambda:layer', 'pdf-deps', '--requirements', '--no-interactive']);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain('CREATE layers/pdf-deps/requirements.txt');
    expect(ws.read('VERSION')).toMatch(/\nbilling-core=1\.0\.0\npdf-deps=0\.1\.0\n$/);
  });

  it('nx g @vectora/nx-lambda:function creates a function on those layers, whose unittest test passes', async () => {
    const result = await generate(['@vectora/nx-lambda:function', 'send-bill', '--layers=billing-core,common-deps,pdf-deps', '--memory=512', '--no-interactive']);
    expect(result.status, result.output).toBe(0);
    for (const file of ['function.json', 'handler.py', 'test_handler.py']) expect(result.output).toContain(`CREATE lambdas/send-bill/${file}`);
    expect(JSON.parse(ws.read('lambdas/send-bill/function.json'))).toEqual({ runtime: 'python3.12', handler: 'handler.handler', architecture: 'x86_64', memory: 512, timeout: 30, layers: ['billing-core', 'common-deps', 'pdf-deps'] });
    const tests = await run('python3', ['-m', 'unittest'], join(ws.root, 'lambdas', 'send-bill'));
    expect(tests.status, tests.output).toBe(0);
    expect(tests.output).toMatch(/Ran 2 tests/);
  });

  it('nx show projects lists the new projects, tagged by kind', async () => {
    const shown = await ws.nx(['show', 'projects', '--json']);
    expect(shown.status, shown.output).toBe(0);
    const projects: string[] = JSON.parse(shown.output.slice(shown.output.indexOf('[')));
    expect(projects).toEqual(expect.arrayContaining(['billing-core', 'pdf-deps', 'send-bill', 'vectora-core', 'ingest-v2']));
    const layers = await ws.nx(['show', 'projects', '--projects=tag:layer', '--json']);
    expect(JSON.parse(layers.output.slice(layers.output.indexOf('['))).sort()).toEqual(['billing-core', 'pdf-deps', ...SAMPLE_LAYERS].sort());
  });

  it('nx graph has the edges from the new function to each of its layers', async () => {
    const graph = await ws.nx(['graph', '--file=graph.json']);
    expect(graph.status, graph.output).toBe(0);
    const { dependencies } = JSON.parse(ws.read('graph.json')).graph as { dependencies: Record<string, { target: string; type: string }[]> };
    expect(dependencies['send-bill'].map((d) => `${d.target}:${d.type}`).sort()).toEqual(['billing-core:static', 'common-deps:static', 'pdf-deps:static']);
    expect(dependencies['billing-core']).toEqual([]);
  });

  it('nx run <layer>:package builds and zips the new layers (python/<package>/...), no AWS involved', async () => {
    for (const layer of ['billing-core', 'pdf-deps']) {
      const result = await ws.nx(['run', `${layer}:package`]);
      expect(result.status, result.output).toBe(0);
      expect(existsSync(join(ws.root, `dist/layers/${layer}/package/layer.zip`))).toBe(true);
    }
    expect(await zipEntries('dist/layers/billing-core/package/layer.zip')).toEqual(['python/billing_core/__init__.py']);
  });

  it('nx run <function>:package zips the handler and leaves the test out', async () => {
    const result = await ws.nx(['run', 'send-bill:package']);
    expect(result.status, result.output).toBe(0);
    expect(await zipEntries('dist/lambdas/send-bill/package/function.zip')).toEqual(['handler.py']);
  });

  it('refusals reach the terminal with their fix and a failing exit code', async () => {
    const unknown = await generate(['@vectora/nx-lambda:function', 'send-more', '--layers=billing-kore', '--no-interactive']);
    expect(unknown.status).not.toBe(0);
    expect(unknown.output).toContain('error UNKNOWN_LAYER: --layers: "billing-kore" is not a layer of this repo');
    expect(unknown.output).toContain(`fix: use one of: ${['billing-core', 'pdf-deps', ...SAMPLE_LAYERS].sort().join(', ')}`);

    const again = await generate(['@vectora/nx-lambda:layer', 'billing-core', '--no-interactive']);
    expect(again.status).not.toBe(0);
    expect(again.output).toContain('error PROJECT_EXISTS: layers/billing-core already exists');

    // Nx parses --version itself; the generator names the option to use instead.
    const version = await generate(['@vectora/nx-lambda:layer', 'tax-core', '--version=1.2.0', '--no-interactive']);
    expect(version.status).not.toBe(0);
    expect(version.output).toContain('fix: pass the layer\'s version as --layerVersion=1.2.0');
    expect(existsSync(join(ws.root, 'layers/tax-core'))).toBe(false);
    expect(existsSync(join(ws.root, 'lambdas/send-more'))).toBe(false);
  });

  it('an unsupported runtime gets the tool\'s own error code through the CLI, not Nx\'s schema message', async () => {
    for (const generator of ['function', 'layer']) {
      const result = await generate([`@vectora/nx-lambda:${generator}`, 'old-py', '--runtime=python3.8', '--no-interactive']);
      expect(result.status, result.output).not.toBe(0);
      expect(result.output).toContain('error INVALID_RUNTIME: --runtime "python3.8" is not supported');
      expect(result.output).toContain('fix: use one of: python3.9, python3.10, python3.11, python3.12, python3.13');
    }
    expect(existsSync(join(ws.root, 'lambdas/old-py'))).toBe(false);
  });

  it('creation-time settings through the CLI: --requirements, --tracing, --alias and an external layer ARN', async () => {
    const powertools = 'arn:aws:lambda:{region}:017000801446:layer:AWSLambdaPowertoolsPythonV3:7';
    const result = await generate(['@vectora/nx-lambda:function', 'cart-get', `--layers=${powertools},billing-core`, '--requirements', '--tracing=Active', '--alias=live', '--no-interactive']);
    expect(result.status, result.output).toBe(0);
    expect(JSON.parse(ws.read('lambdas/cart-get/function.json'))).toMatchObject({ layers: [powertools, 'billing-core'], requirements: 'requirements.txt', tracing: 'Active', alias: 'live' });
    expect(result.output).toContain('CREATE lambdas/cart-get/requirements.txt');
    const layer = await generate(['@vectora/nx-lambda:layer', 'shop-core', '--requirements', '--sources', '--no-interactive']);
    expect(layer.status, layer.output).toBe(0);
    expect(JSON.parse(ws.read('layers/shop-core/layer.json'))).toMatchObject({ sources: 'src', requirements: 'requirements.txt' });
  });

  it('--dry-run lists the files and writes none', async () => {
    const before = ws.git('status', '--porcelain');
    const result = await generate(['@vectora/nx-lambda:layer', 'tax-core', '--dry-run', '--no-interactive']);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain('CREATE layers/tax-core/layer.json');
    expect(ws.git('status', '--porcelain')).toBe(before);
  });

  it('--help shows each generator\'s options with their defaults', async () => {
    const help = await generate(['@vectora/nx-lambda:function', '--help']);
    expect(help.status, help.output).toBe(0);
    for (const option of ['--layers', '--runtime', '--memory', '--timeout', '--handler', '--requirements', '--role', '--tracing', '--alias']) expect(help.output).toContain(option);
    // Columns are wrapped to the terminal width: look for the values, not whole lines.
    // The handler's default depends on the runtime, so --help states both instead of one schema default.
    expect(help.output.replace(/\s+/g, ' ')).toMatch(/default handler\.handler for Python, src\/handler\.handler for Node\.js/);
    expect(help.output).toContain('"python3.12"');
  });
});
