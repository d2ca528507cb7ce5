import { describe, expect, it } from 'vitest';
import { deployFunction } from '../src/deploy/deploy-function';
import { contentWrites, makeWorkspace, packageAll, testContext, uniquePrefix, writeFile } from './harness';

const handler = 'def handler(e, c):\n    return 1\n';
const files = (fnA: object) => ({
  'lambdas/defaults.json': JSON.stringify({
    runtime: 'python3.12',
    handler: 'handler.handler',
    memory: 256,
    environment: { STAGE: '{env}', TABLE: '{prefix}-cart-{env}', TABLE_ARN: 'arn:aws:dynamodb:{region}:{account}:table/cart', SHARED: 'defaults' },
    environments: { test: { memory: 512, environment: { LOG_LEVEL: 'debug' } }, prod: { memory: 2048 } },
  }),
  'lambdas/fn-a/function.json': JSON.stringify(fnA),
  'lambdas/fn-a/handler.py': handler,
  'lambdas/fn-b/function.json': JSON.stringify({ timeout: 30 }),
  'lambdas/fn-b/handler.py': handler,
});

describe('function settings: lambdas/defaults.json, environments.<env>, placeholders (against moto)', () => {
  it('merges defaults under each function and the environment block over both, substitutes placeholders, and a rerun writes nothing', async () => {
    const root = makeWorkspace(files({ environment: { SHARED: 'own', OWN: 'a' }, environments: { test: { timeout: 20, environment: { STAGE: 'testing' } } } }));
    const prefix = uniquePrefix('settings');
    await packageAll(root);
    const ctx = testContext(root, { prefix });
    await deployFunction(ctx, 'fn-a', { layersOnly: false });
    await deployFunction(ctx, 'fn-b', { layersOnly: false });
    const a = (await ctx.session.lambda.getFunction(`${prefix}-fn-a-test`))!;
    const account = a.arn.split(':')[4];
    expect(account).toMatch(/^\d{12}$/);
    expect({ memory: a.memory, timeout: a.timeout, runtime: a.runtime, environment: a.environment }).toEqual({
      memory: 512,
      timeout: 20,
      runtime: 'python3.12',
      environment: { STAGE: 'testing', TABLE: `${prefix}-cart-test`, TABLE_ARN: `arn:aws:dynamodb:us-east-1:${account}:table/cart`, SHARED: 'own', OWN: 'a', LOG_LEVEL: 'debug' },
    });
    const b = (await ctx.session.lambda.getFunction(`${prefix}-fn-b-test`))!;
    expect({ memory: b.memory, timeout: b.timeout, stage: b.environment.STAGE, shared: b.environment.SHARED }).toEqual({ memory: 512, timeout: 30, stage: 'test', shared: 'defaults' });

    const rerun = testContext(root, { prefix });
    await deployFunction(rerun, 'fn-a', { layersOnly: false });
    await deployFunction(rerun, 'fn-b', { layersOnly: false });
    expect(rerun.session.recorder.writes()).toEqual([]);

    // A default changed in one place reaches every function that does not set it, and only its variable is named.
    const defaults = JSON.parse(files({})['lambdas/defaults.json']);
    writeFile(root, 'lambdas/defaults.json', JSON.stringify({ ...defaults, environment: { ...defaults.environment, SHARED: 'defaults-2' } }));
    const changed = testContext(root, { prefix });
    await deployFunction(changed, 'fn-a', { layersOnly: false });
    await deployFunction(changed, 'fn-b', { layersOnly: false });
    expect(contentWrites(changed).map((c) => `${c.command} ${c.target}`)).toEqual([`UpdateFunctionConfiguration ${prefix}-fn-b-test`]);
    expect(changed.events.find((e) => e.step === 'update-config')?.message).toBe('environment ~SHARED');
  });
});
