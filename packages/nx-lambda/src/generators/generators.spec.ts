import { ARCHITECTURES, LAMBDA_RUNTIMES } from '@vectora/lambda-deploy';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const PLUGIN_ROOT = join(__dirname, '..', '..');
const readJson = (path: string) => JSON.parse(readFileSync(join(PLUGIN_ROOT, path), 'utf8'));
const generators: Record<string, { factory: string; schema: string; description: string }> = readJson('generators.json').generators;

describe('generators.json', () => {
  it('registers init, layer and function, each with a description, an implementation and a schema that exist', () => {
    expect(Object.keys(generators).sort()).toEqual(['function', 'init', 'layer']);
    expect(readJson('package.json').generators).toBe('./generators.json');
    for (const entry of Object.values(generators)) {
      expect(entry.description.length).toBeGreaterThan(20);
      // The registry names the compiled module; its source sits at the same path under src/.
      expect(existsSync(join(PLUGIN_ROOT, `${entry.factory.replace("./dist/", "./src/")}.ts`)), entry.factory).toBe(true);
      expect(existsSync(join(PLUGIN_ROOT, entry.schema)), entry.schema).toBe(true);
    }
  });

  it.each(['init', 'layer', 'function'])('%s: the implementation exports the generator as default', async (name) => {
    const module = await import(join(PLUGIN_ROOT, generators[name].factory));
    expect(typeof module.default).toBe('function');
  });
});

describe.each(['layer', 'function'])('the %s schema', (name) => {
  const schema = readJson(generators[name].schema);
  const properties: Record<string, Record<string, unknown>> = schema.properties;

  it('takes the name from the first argument, prompts for it, and requires it', () => {
    expect(properties.name).toMatchObject({ type: 'string', $default: { $source: 'argv', index: 0 }, 'x-prompt': expect.any(String) });
    expect(schema.required).toEqual(['name']);
    expect(schema.additionalProperties).toBe(false);
  });

  it('describes every option (that --help prints)', () => {
    for (const [key, property] of Object.entries(properties)) expect(String(property.description ?? ''), key).toMatch(/.{30,}/);
  });

  it('names exactly the runtimes and architectures the engine supports, defaulting to python3.12 on x86_64, with no enum (Nx would refuse another value with its own message before the tool\'s INVALID_RUNTIME)', () => {
    expect(properties.runtime).toMatchObject({ type: 'string', default: 'python3.12' });
    expect(properties.architecture).toMatchObject({ type: 'string', default: 'x86_64' });
    expect(properties.runtime.enum).toBeUndefined();
    expect(properties.architecture.enum).toBeUndefined();
    for (const runtime of LAMBDA_RUNTIMES) expect(properties.runtime.description).toContain(runtime);
    for (const architecture of ARCHITECTURES) expect(properties.architecture.description).toContain(architecture);
  });
});

describe('the init schema', () => {
  const schema = readJson(generators.init.schema);

  it('takes no name (it sets up the workspace), only an optional prefix, described for --help', () => {
    expect(Object.keys(schema.properties)).toEqual(['prefix']);
    expect(schema.required ?? []).toEqual([]);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.prefix.description).toMatch(/.{30,}/);
    expect(schema.description).toMatch(/nx\.json.*VERSION.*\.gitignore/s);
  });
});

describe('option defaults', () => {
  it('layer: sources, version 0.1.0; no option is named version (Nx keeps --version for itself)', () => {
    const { properties } = readJson(generators.layer.schema);
    expect(properties.requirements.default).toBe(false);
    expect(properties.layerVersion.default).toBe('0.1.0');
    expect(properties.version).toMatchObject({ type: 'boolean', visible: false });
  });

  it('function: handler.handler, 256 MB, 30 s, within the ranges the engine accepts', () => {
    const { properties } = readJson(generators.function.schema);
    // No schema default: it depends on the runtime (handler.handler for Python, src/handler.handler for Node.js).
    expect(properties.handler.default).toBeUndefined();
    expect(properties.memory).toMatchObject({ type: 'integer', minimum: 128, maximum: 10240, default: 256 });
    expect(properties.timeout).toMatchObject({ type: 'integer', minimum: 1, maximum: 900, default: 30 });
    expect(properties.layers.type).toBe('string');
  });
});
