import { describe, expect, it } from 'vitest';
import type { FunctionState } from '../aws/lambda-port';
import { planFunction, type DesiredFunction, type FunctionPlanContext } from './plan-function';

const arn = (name: string, version: number) => `arn:aws:lambda:us-east-1:123456789012:layer:${name}:${version}`;
const desired: DesiredFunction = {
  project: 'ingest-v2',
  file: 'lambdas/ingest-v2/function.json',
  functionName: 'vi-ingest-v2-dev',
  code: { sha256Base64: 'NEWSHA=', zipFile: '/tmp/f.zip' },
  architecture: 'x86_64',
  settings: { runtime: 'python3.12', handler: 'handler.handler', memory: 256 },
  layers: [
    { project: 'vectora-core', layerName: 'core', target: { arn: arn('core', 49), version: 49 } },
    { project: 'common-deps', layerName: 'deps', target: { arn: arn('deps', 11), version: 11 } },
  ],
};
const actual: FunctionState = {
  name: 'vi-ingest-v2-dev', arn: 'x', runtime: 'python3.12', handler: 'handler.handler', memory: 256, timeout: 30, environment: {}, description: '',
  architecture: 'x86_64', codeSha256: 'NEWSHA=', layers: [arn('core', 43), arn('deps', 11)], role: 'r', tracing: 'PassThrough', ephemeralStorage: 512, logging: { format: 'Text', logGroup: '/aws/lambda/f' }, vpc: { subnetIds: [], securityGroupIds: [] }, lastUpdateStatus: 'Successful',
};
const ctx: FunctionPlanContext = { managedLayerNames: new Map([['core', 'vectora-core'], ['deps', 'common-deps']]), createMissing: false, environment: 'dev', scope: 'all', layersOnly: false };

describe('planFunction', () => {
  it('repoints layers in one configuration call when only layers differ', () => {
    const plan = planFunction(desired, actual, ctx);
    expect(plan.actions).toHaveLength(1);
    expect(plan.actions[0]).toMatchObject({ kind: 'update-layers', layers: [arn('core', 49), arn('deps', 11)], reason: 'layers vectora-core 43 -> 49, common-deps 11 (unchanged)' });
  });

  it('makes no call when nothing differs', () => {
    const plan = planFunction(desired, { ...actual, layers: [arn('core', 49), arn('deps', 11)] }, ctx);
    expect(plan.actions.map((a) => a.kind)).toEqual(['skip']);
  });

  it('updates code only when CodeSha256 differs, and merges settings with layers into one call', () => {
    const plan = planFunction({ ...desired, settings: { ...desired.settings, memory: 512 } }, { ...actual, codeSha256: 'OLD=' }, ctx);
    expect(plan.actions.map((a) => a.kind)).toEqual(['update-code', 'update-config']);
    expect(plan.actions[1]).toMatchObject({ settings: { memory: 512 }, reason: 'memory 256 -> 512; layers vectora-core 43 -> 49, common-deps 11 (unchanged)' });
  });

  it('warns and skips a missing function where creation is off', () => {
    const plan = planFunction(desired, undefined, ctx);
    expect(plan.actions).toEqual([{ kind: 'warn', project: 'ingest-v2', reason: 'function vi-ingest-v2-dev not found, skipped' }]);
  });

  it('creates a missing function where the environment allows it', () => {
    const plan = planFunction(desired, undefined, { ...ctx, createMissing: true });
    expect(plan.actions[0]).toMatchObject({ kind: 'create-function', layers: [arn('core', 49), arn('deps', 11)] });
  });

  it('touches neither code nor settings for update-layers', () => {
    const plan = planFunction({ ...desired, settings: { ...desired.settings, memory: 1024 } }, { ...actual, codeSha256: 'OLD=' }, { ...ctx, layersOnly: true });
    expect(plan.actions.map((a) => a.kind)).toEqual(['update-layers']);
  });

  it('needs no function package for update-layers, so a cascade works on a fresh checkout', () => {
    const plan = planFunction({ ...desired, code: undefined }, { ...actual, codeSha256: 'OLD=' }, { ...ctx, layersOnly: true });
    expect(plan.actions.map((a) => a.kind)).toEqual(['update-layers']);
    expect(() => planFunction({ ...desired, code: undefined }, actual, ctx)).toThrow(/package was not read/);
  });

  it('refuses a result over 5 layers before any write, naming the unmanaged ones', () => {
    const crowded = { ...actual, layers: [arn('core', 43), arn('deps', 11), arn('a', 1), arn('b', 1), arn('c', 1), arn('d', 1)] };
    expect(() => planFunction(desired, crowded, ctx)).toThrow(/would have 6 layers .*not managed here: .*:a:1/);
  });
});
