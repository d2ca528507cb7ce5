import { describe, expect, it } from 'vitest';
import { parseFunctionConfig } from './function-config';
import { parseLayerConfig } from './layer-config';
import { parseJson } from './read-json-file';

const where = { project: 'ingest-v2', root: 'lambdas/ingest-v2', file: 'lambdas/ingest-v2/function.json' };

describe('parseFunctionConfig', () => {
  it('accepts the sample function and fills defaults', () => {
    const config = parseFunctionConfig({ runtime: 'python3.12', handler: 'handler.handler', memory: 256, layers: ['vectora-core', 'common-deps'] }, where);
    expect(config).toMatchObject({ architecture: 'x86_64', source: '.', layers: ['vectora-core', 'common-deps'], memory: 256 });
  });

  it('reports every bad key with the file, the key and the value', () => {
    expect(() => parseFunctionConfig({ runtime: 'nodejs20.x', handler: 'handler', memory: 64, layer: ['x'], environment: { PORT: 8080 } }, where)).toThrow(
      [
        'lambdas/ingest-v2/function.json: layer: unknown key "layer"',
        'lambdas/ingest-v2/function.json: runtime: "nodejs20.x" not supported',
        'lambdas/ingest-v2/function.json: environment: must be an object of string values, got {"PORT":8080}',
        'lambdas/ingest-v2/function.json: handler: "handler" is not valid',
        'lambdas/ingest-v2/function.json: memory: must be a whole number of MB from 128 to 10240, got 64',
      ].join('\n'),
    );
  });

  it('refuses more than 5 layers', () => {
    expect(() => parseFunctionConfig({ runtime: 'python3.12', handler: 'h.h', layers: ['a', 'b', 'c', 'd', 'e', 'f'] }, where)).toThrow('layers: lists 6 layers, Lambda allows at most 5 per function');
  });

  it('refuses variables Lambda reserves', () => {
    expect(() => parseFunctionConfig({ runtime: 'python3.12', handler: 'h.h', environment: { AWS_REGION: 'x' } }, where)).toThrow('environment.AWS_REGION: is reserved by Lambda');
  });
});

describe('parseLayerConfig', () => {
  const layer = { project: 'common-deps', root: 'layers/common-deps', file: 'layers/common-deps/layer.json' };
  it('needs sources or requirements', () => {
    expect(() => parseLayerConfig({ runtimes: ['python3.12'] }, layer)).toThrow('a layer needs "sources", "requirements" or both');
  });
  it('refuses requirements built for two architectures and paths leaving the layer', () => {
    expect(() => parseLayerConfig({ requirements: 'requirements.txt', architectures: ['x86_64', 'arm64'] }, layer)).toThrow('is built for one architecture');
    expect(() => parseLayerConfig({ sources: '../elsewhere' }, layer)).toThrow('sources: "../elsewhere" is not valid');
  });
});

describe('parseJson', () => {
  it('names the file, line and column of a syntax error', () => {
    expect(() => parseJson('{\n  "runtime": "python3.12",\n}\n', 'lambdas/x/function.json')).toThrow(/^lambdas\/x\/function\.json:3:1: invalid JSON/);
  });
});
