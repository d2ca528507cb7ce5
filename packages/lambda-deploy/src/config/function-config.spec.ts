import { describe, expect, it } from 'vitest';
import { fillAccount, functionForEnvironment, sourceFolderOf, parseFunctionConfig, parseFunctionDefaults, substitutePlaceholders } from './function-config';
import { parseLayerConfig } from './layer-config';
import { parseJson } from './read-json-file';

const where = { project: 'ingest-v2', root: 'lambdas/ingest-v2', file: 'lambdas/ingest-v2/function.json' };

describe('parseFunctionConfig', () => {
  it('accepts the sample function and fills defaults', () => {
    const config = parseFunctionConfig({ runtime: 'python3.12', handler: 'handler.handler', memory: 256, layers: ['vectora-core', 'common-deps'] }, where);
    expect(config).toMatchObject({ architecture: 'x86_64', source: '.', layers: ['vectora-core', 'common-deps'], memory: 256 });
  });

  it('reports every bad key with the file, the key and the value', () => {
    expect(() => parseFunctionConfig({ runtime: 'ruby3.3', handler: 'handler', memory: 64, layer: ['x'], environment: { PORT: 8080 } }, where)).toThrow(
      [
        'lambdas/ingest-v2/function.json: layer: unknown key "layer"',
        'lambdas/ingest-v2/function.json: runtime: "ruby3.3" not supported',
        'lambdas/ingest-v2/function.json: environment.PORT: must be a string or { "ssm": "<parameter name>" }, got 8080',
        'lambdas/ingest-v2/function.json: handler: "handler" is not valid',
        'lambdas/ingest-v2/function.json: memory: must be a whole number of MB from 128 to 10240, got 64',
      ].join('\n'),
    );
  });

  it('keeps external layer version ARNs in the declared order, apart from the layer projects, and counts them toward 5', () => {
    const powertools = 'arn:aws:lambda:{region}:017000801446:layer:AWSLambdaPowertoolsPythonV3:7';
    const config = parseFunctionConfig({ runtime: 'python3.12', handler: 'h.h', layers: ['vectora-core', powertools, 'common-deps'] }, where);
    expect({ layers: config.layers, layerStack: config.layerStack }).toEqual({ layers: ['vectora-core', 'common-deps'], layerStack: ['vectora-core', powertools, 'common-deps'] });
    expect(() => parseFunctionConfig({ runtime: 'python3.12', handler: 'h.h', layers: ['a', 'b', 'c', 'd', 'e', powertools] }, where)).toThrow('layers: lists 6 layers, Lambda allows at most 5');
    expect(() => parseFunctionConfig({ runtime: 'python3.12', handler: 'h.h', layers: ['arn:aws:lambda:eu-west-1:017000801446:layer:AWSLambdaPowertoolsPythonV3'] }, where)).toThrow(
      'lambdas/ingest-v2/function.json: layers: "arn:aws:lambda:eu-west-1:017000801446:layer:AWSLambdaPowertoolsPythonV3" is not a layer version ARN',
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

describe('function.json over lambdas/defaults.json, then environments.<env>', () => {
  const defaults = parseFunctionDefaults({ runtime: 'python3.12', handler: 'app.handler', memory: 256, environment: { STAGE: '{env}', A: 'defaults' }, environments: { prod: { memory: 1024, environment: { LOG: 'warn' } } } }, 'lambdas/defaults.json');

  it('takes every key the function leaves out from the defaults, and merges the environment maps', () => {
    const config = parseFunctionConfig({ handler: 'other.handler', environment: { A: 'own' }, environments: { prod: { environment: { LOG: 'error' } } } }, where, defaults);
    expect(config).toMatchObject({ runtime: 'python3.12', handler: 'other.handler', memory: 256, environment: { STAGE: '{env}', A: 'own' } });
    expect(functionForEnvironment(config, 'prod')).toMatchObject({ memory: 1024, environment: { STAGE: '{env}', A: 'own', LOG: 'error' } });
    expect(functionForEnvironment(config, 'dev')).toMatchObject({ memory: 256, environment: { STAGE: '{env}', A: 'own' } });
  });

  it('still requires runtime and handler somewhere, saying where they may come from', () => {
    expect(() => parseFunctionConfig({}, where, parseFunctionDefaults({ memory: 256 }, 'lambdas/defaults.json'))).toThrow('lambdas/ingest-v2/function.json: runtime: is required (in this file or lambdas/defaults.json)');
  });

  it('refuses in an environment block what one package or the graph must share, naming file, environment and key', () => {
    expect(() => parseFunctionConfig({ runtime: 'python3.12', handler: 'h.h', environments: { prod: { layers: ['x'], memory: 64 } } }, where)).toThrow(
      ['lambdas/ingest-v2/function.json: environments.prod: layers: unknown key "layers"', 'lambdas/ingest-v2/function.json: environments.prod: memory: must be a whole number of MB from 128 to 10240, got 64'].join('\n'),
    );
    expect(() => parseFunctionDefaults({ source: '../shared' }, 'lambdas/defaults.json')).toThrow('lambdas/defaults.json: source: unknown key "source"');
  });

  it('substitutes {env}, {region}, {prefix} and {account}, and refuses {account} when nothing tells it', () => {
    const values = { env: 'dev', region: 'eu-west-1', prefix: 'shop' };
    const env = substitutePlaceholders({ T: '{prefix}-{env}-table', Q: 'arn:aws:sqs:{region}:{account}:q', JSON: '{"a": 1}' }, values);
    expect(env).toEqual({ T: 'shop-dev-table', Q: 'arn:aws:sqs:eu-west-1:{account}:q', JSON: '{"a": 1}' });
    expect(fillAccount(env, '123456789012', where.file)).toEqual({ T: 'shop-dev-table', Q: 'arn:aws:sqs:eu-west-1:123456789012:q', JSON: '{"a": 1}' });
    expect(() => fillAccount(env, undefined, where.file)).toThrow('lambdas/ingest-v2/function.json: environment.Q: uses {account}, but the account is not known');
    expect(fillAccount(env, undefined, where.file, { strict: false })).toBe(env);
  });

  it('reads { "ssm": name } values, keeping where each was declared, and substitutes placeholders in the name only', () => {
    const defaults = parseFunctionDefaults({ environment: { TABLE: { ssm: '/shop/{env}/table' } } }, 'lambdas/defaults.json');
    const config = parseFunctionConfig({ runtime: 'python3.12', handler: 'h.h', environments: { prod: { environment: { KEY: { ssm: 'key-{account}' } } } } }, where, defaults);
    expect(config.environment).toEqual({ TABLE: { ssm: '/shop/{env}/table', declaredIn: 'lambdas/defaults.json' } });
    expect(functionForEnvironment(config, 'prod').environment).toEqual({ TABLE: { ssm: '/shop/{env}/table', declaredIn: 'lambdas/defaults.json' }, KEY: { ssm: 'key-{account}', declaredIn: 'lambdas/ingest-v2/function.json: environments.prod' } });
    const env = substitutePlaceholders(functionForEnvironment(config, 'prod').environment, { env: 'prod', region: 'eu-west-1', prefix: 'shop' });
    expect(env).toMatchObject({ TABLE: { ssm: '/shop/prod/table' }, KEY: { ssm: 'key-{account}' } });
    expect(() => fillAccount(env, undefined, where.file)).toThrow('environment.KEY: uses {account}');
    expect(fillAccount(env, '123456789012', where.file)).toMatchObject({ KEY: { ssm: 'key-123456789012' } });
  });

  it('refuses a malformed value or parameter name, naming the file and variable', () => {
    expect(() => parseFunctionConfig({ runtime: 'python3.12', handler: 'h.h', environment: { A: { ssm: 'bad name!' }, B: { ssm: '/x', type: 'y' }, C: 3 } }, where)).toThrow(
      [
        'lambdas/ingest-v2/function.json: environment.A: "bad name!" is not a valid SSM parameter name',
        'lambdas/ingest-v2/function.json: environment.B: must be a string or { "ssm": "<parameter name>" }, got {"ssm":"/x","type":"y"}',
        'lambdas/ingest-v2/function.json: environment.C: must be a string or { "ssm": "<parameter name>" }, got 3',
      ].join('\n'),
    );
  });

  it('takes a source folder outside the function folder as long as it stays in the workspace', () => {
    const shared = parseFunctionConfig({ runtime: 'python3.12', handler: 'cart_get.handler', source: '../../services/cart/' }, where);
    expect(sourceFolderOf(shared)).toBe('services/cart');
    const own = parseFunctionConfig({ runtime: 'python3.12', handler: 'h.h', source: 'src' }, where);
    expect(sourceFolderOf(own)).toBe('lambdas/ingest-v2/src');
    expect(() => parseFunctionConfig({ runtime: 'python3.12', handler: 'h.h', source: '../../../elsewhere' }, where)).toThrow('lambdas/ingest-v2/function.json: source: "../../../elsewhere" leaves the workspace');
    expect(() => parseFunctionConfig({ runtime: 'python3.12', handler: 'h.h', source: '/srv/cart' }, where)).toThrow('lambdas/ingest-v2/function.json: source: "/srv/cart" is not valid');
  });
});
