import { GetParametersCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { inject, describe, expect, it } from 'vitest';
import { localAwsClientConfig } from '../../local-aws/src/local-credentials';
import { deployFunction } from '../src/deploy/deploy-function';
import { functionStatus, renderFunctionStatus } from '../src/status/function-status';
import { makeWorkspace, packageAll, testContext, uniquePrefix } from './harness';

const ssm = () => new SSMClient(localAwsClientConfig(inject('motoEndpoint')));
const put = (name: string, value: string, type: 'String' | 'SecureString' = 'SecureString') => ssm().send(new PutParameterCommand({ Name: name, Value: value, Type: type, Overwrite: true }));
const handler = 'def handler(e, c):\n    return 1\n';

/** Everything a run leaves for people to read: events (logs) and plans (the JSON report). */
const readable = (ctx: { events: unknown[] }, plans: unknown) => JSON.stringify({ events: ctx.events, plans });

describe('environment values from SSM Parameter Store (against moto)', () => {
  it('reads String and SecureString values at deploy, never shows them, and redeploys only when a parameter changes', async () => {
    const prefix = uniquePrefix('ssm');
    await put(`/${prefix}/test/table`, 'cart-table-v1', 'String');
    await put(`/${prefix}/test/token`, 's3cr3t-token-1');
    const root = makeWorkspace({
      'lambdas/defaults.json': JSON.stringify({ runtime: 'python3.12', handler: 'handler.handler', environment: { TABLE: { ssm: '/{prefix}/{env}/table' } } }),
      'lambdas/fn-a/function.json': JSON.stringify({ environment: { PLAIN: 'p-{env}' }, environments: { test: { environment: { TOKEN: { ssm: '/{prefix}/{env}/token' } } } } }),
      'lambdas/fn-a/handler.py': handler,
    });
    await packageAll(root);
    const ctx = testContext(root, { prefix });
    const created = await deployFunction(ctx, 'fn-a', { layersOnly: false });
    const fn = `${prefix}-fn-a-test`;
    expect((await ctx.session.lambda.getFunction(fn))!.environment).toEqual({ TABLE: 'cart-table-v1', TOKEN: 's3cr3t-token-1', PLAIN: 'p-test' });
    // Both parameters in one GetParameters; the plan holds each as parameter and version.
    expect(ctx.session.recorder.calls.filter((c) => c.command === 'GetParameters')).toHaveLength(1);
    expect(created.plans[0].actions[0]).toMatchObject({ kind: 'create-function', settings: { environment: { TABLE: { ssm: `/${prefix}/test/table`, version: 1 }, TOKEN: { ssm: `/${prefix}/test/token`, version: 1 }, PLAIN: 'p-test' } } });
    expect(readable(ctx, created.plans)).not.toMatch(/s3cr3t|cart-table/);

    const rerun = testContext(root, { prefix });
    await deployFunction(rerun, 'fn-a', { layersOnly: false });
    expect(rerun.session.recorder.writes()).toEqual([]);
    // Functions deployed with one session share what was read: no second GetParameters for the same names.
    await deployFunction(rerun, 'fn-a', { layersOnly: false });
    expect(rerun.session.recorder.calls.filter((c) => c.command === 'GetParameters')).toHaveLength(1);

    await put(`/${prefix}/test/token`, 's3cr3t-token-2');
    const dry = testContext(root, { prefix, dryRun: true });
    const planned = await deployFunction(dry, 'fn-a', { layersOnly: false });
    expect(planned.plans[0].actions[0]).toMatchObject({ kind: 'update-config', reason: `environment ~TOKEN(ssm:/${prefix}/test/token)`, settings: { environment: { TOKEN: { ssm: `/${prefix}/test/token`, version: 2 } } } });
    expect(readable(dry, planned.plans)).not.toMatch(/s3cr3t|cart-table/);
    expect((await functionStatus(dry, 'fn-a')).settings).toEqual([`environment ~TOKEN(ssm:/${prefix}/test/token)`]);
    expect(renderFunctionStatus(await functionStatus(dry, 'fn-a')).join('\n')).not.toMatch(/s3cr3t/);

    const changed = testContext(root, { prefix });
    const applied = await deployFunction(changed, 'fn-a', { layersOnly: false });
    expect(changed.session.recorder.writes().map((c) => c.command)).toEqual(['UpdateFunctionConfiguration']);
    expect((await changed.session.lambda.getFunction(fn))!.environment.TOKEN).toBe('s3cr3t-token-2');
    // The values read while planning are reused at apply: one GetParameters in the whole run.
    expect(changed.session.recorder.calls.filter((c) => c.command === 'GetParameters')).toHaveLength(1);
    expect(readable(changed, applied.plans)).not.toMatch(/s3cr3t|cart-table/);
    expect((await functionStatus(testContext(root, { prefix, dryRun: true }), 'fn-a')).settings).toEqual([]);
  });

  it('a missing parameter fails before any write, naming the file, the variable and the parameter', async () => {
    const prefix = uniquePrefix('ssm-missing');
    await put(`/${prefix}/present`, 'x');
    const root = makeWorkspace({
      'lambdas/fn-a/function.json': JSON.stringify({ runtime: 'python3.12', handler: 'handler.handler', environment: { OK: { ssm: `/${prefix}/present` } }, environments: { test: { environment: { GONE: { ssm: '/{prefix}/nowhere' } } } } }),
      'lambdas/fn-a/handler.py': handler,
    });
    await packageAll(root);
    const ctx = testContext(root, { prefix });
    await expect(deployFunction(ctx, 'fn-a', { layersOnly: false })).rejects.toMatchObject({
      code: 'SSM_PARAMETER_MISSING',
      message: `lambdas/fn-a/function.json: environments.test: environment.GONE: SSM parameter /${prefix}/nowhere does not exist in us-east-1`,
    });
    // (The emulator's execution role, made to learn the account for a function to be created, is not a deploy write.)
    expect(ctx.session.recorder.writes().filter((c) => c.service !== 'iam')).toEqual([]);
  });

  it('reads more than ten parameters in batches of ten (GetParameters\' limit), and a planned version exactly at apply', async () => {
    const prefix = uniquePrefix('ssm-many');
    const environment = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`V${i}`, { ssm: `/${prefix}/v${i}` }]));
    for (let i = 0; i < 12; i++) await put(`/${prefix}/v${i}`, `value-${i}`, 'String');
    const root = makeWorkspace({ 'lambdas/fn-a/function.json': JSON.stringify({ runtime: 'python3.12', handler: 'handler.handler', environment }), 'lambdas/fn-a/handler.py': handler });
    await packageAll(root);
    const ctx = testContext(root, { prefix });
    await deployFunction(ctx, 'fn-a', { layersOnly: false });
    expect(ctx.session.recorder.calls.filter((c) => c.command === 'GetParameters')).toHaveLength(2);
    expect((await ctx.session.lambda.getFunction(`${prefix}-fn-a-test`))!.environment.V11).toBe('value-11');

    // What apply reads when planning's values are not at hand (another process): the planned version, not the latest.
    await put(`/${prefix}/v0`, 'value-0-new', 'String');
    const { found } = await ctx.session.parameters.read([`/${prefix}/v0:1`]);
    expect(found).toEqual([{ name: `/${prefix}/v0`, version: 1, value: 'value-0' }]);
    const latest = await ssm().send(new GetParametersCommand({ Names: [`/${prefix}/v0`] }));
    expect(latest.Parameters![0].Version).toBe(2);
  });
});
