import { LambdaClient, PutFunctionConcurrencyCommand, TagResourceCommand } from '@aws-sdk/client-lambda';
import { inject, describe, expect, it } from 'vitest';
import { localAwsClientConfig } from '../../local-aws/src/local-credentials';
import { ensureEmulatorRole } from '../src/aws/bootstrap-emulator';
import { SdkLambdaPort } from '../src/aws/sdk-lambda-port';
import { MANAGED_TAGS_KEY } from '../src/config/function-settings-reader';
import { deployFunction } from '../src/deploy/deploy-function';
import { functionStatus } from '../src/status/function-status';
import { contentWrites, makeWorkspace, packageAll, testContext, uniquePrefix, writeFile } from './harness';

const handler = 'def handler(e, c):\n    return 1\n';
const subnet = (n: number) => `subnet-0000000000000000${n}`;
const fnJson = (extra: object) => JSON.stringify({ runtime: 'python3.12', handler: 'handler.handler', ...extra });

describe('role, tracing, reservedConcurrency, ephemeralStorage, tags, vpc (against moto)', () => {
  it('creates with each setting, rerun writes nothing, a change makes only its own calls, and tags set by others stay', async () => {
    const prefix = uniquePrefix('extra');
    const setup = testContext(makeWorkspace({}), { prefix });
    const roleA = await ensureEmulatorRole(setup.session.iam, `${prefix}-cart-a`);
    const roleB = await ensureEmulatorRole(setup.session.iam, `${prefix}-cart-b`);
    const settings = {
      role: roleA.replace(/::\d{12}:/, '::{account}:'),
      tracing: 'Active',
      ephemeralStorage: 1024,
      reservedConcurrency: 5,
      tags: { team: 'shop', cost: 'c1', old: 'x' },
      vpc: { subnetIds: [subnet(1), subnet(2)], securityGroupIds: ['sg-00000000000000001'] },
    };
    const root = makeWorkspace({ 'lambdas/cart/function.json': fnJson(settings), 'lambdas/cart/handler.py': handler });
    await packageAll(root);
    const ctx = testContext(root, { prefix });
    await deployFunction(ctx, 'cart', { layersOnly: false });
    const name = `${prefix}-cart-test`;
    const created = (await ctx.session.lambda.getFunction(name))!;
    expect({ role: created.role, tracing: created.tracing, storage: created.ephemeralStorage, concurrency: created.reservedConcurrency, tags: created.tags, vpc: created.vpc }).toEqual({
      role: roleA,
      tracing: 'Active',
      storage: 1024,
      concurrency: 5,
      tags: { team: 'shop', cost: 'c1', old: 'x', [MANAGED_TAGS_KEY]: 'cost old team' },
      vpc: settings.vpc,
    });

    const rerun = testContext(root, { prefix });
    await deployFunction(rerun, 'cart', { layersOnly: false });
    expect(contentWrites(rerun)).toEqual([]);

    // Someone else tags the function; the repo drops "old", changes "cost", moves role, VPC and concurrency.
    const lambda = new LambdaClient(localAwsClientConfig(inject('motoEndpoint')));
    await lambda.send(new TagResourceCommand({ Resource: created.arn, Tags: { owner: 'ops' } }));
    writeFile(root, 'lambdas/cart/function.json', fnJson({ ...settings, role: roleB, reservedConcurrency: 7, tags: { team: 'shop', cost: 'c2' }, vpc: { ...settings.vpc, subnetIds: [subnet(3)] } }));
    const dry = testContext(root, { prefix, dryRun: true });
    expect((await functionStatus(dry, 'cart')).settings).toEqual([`role ${prefix}-cart-a -> ${prefix}-cart-b`, 'vpc 2 subnets/1 security groups -> 1 subnets/1 security groups', 'tags ~cost -old', 'reservedConcurrency 5 -> 7']);
    const changed = testContext(root, { prefix });
    await deployFunction(changed, 'cart', { layersOnly: false });
    expect(contentWrites(changed).map((c) => c.command)).toEqual(['UpdateFunctionConfiguration', 'TagResource', 'UntagResource', 'PutFunctionConcurrency']);
    const after = (await changed.session.lambda.getFunction(name))!;
    expect({ role: after.role, concurrency: after.reservedConcurrency, tags: after.tags, subnets: after.vpc.subnetIds }).toEqual({
      role: roleB,
      concurrency: 7,
      tags: { team: 'shop', cost: 'c2', owner: 'ops', [MANAGED_TAGS_KEY]: 'cost team' },
      subnets: [subnet(3)],
    });

    // Changed by hand outside the tool: status names it, the next deploy puts it back with one call.
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: 9 }));
    expect((await functionStatus(testContext(root, { prefix, dryRun: true }), 'cart')).settings).toEqual(['reservedConcurrency 9 -> 7']);
    const back = testContext(root, { prefix });
    await deployFunction(back, 'cart', { layersOnly: false });
    expect(contentWrites(back).map((c) => c.command)).toEqual(['PutFunctionConcurrency']);
  });

  it('sends tracing, ephemeral storage, logging and dead letter in the one UpdateFunctionConfiguration, in the shape Lambda takes', async () => {
    // moto 5.2.5 stores these four on create only (and logging/dead letter not at all), so what is
    // checked here is the request the port sends and moto accepts, read off the SDK's own middleware.
    const prefix = uniquePrefix('extra-shape');
    const root = makeWorkspace({ 'lambdas/cart/function.json': fnJson({}), 'lambdas/cart/handler.py': handler });
    await packageAll(root);
    await deployFunction(testContext(root, { prefix }), 'cart', { layersOnly: false });
    const client = new LambdaClient(localAwsClientConfig(inject('motoEndpoint')));
    const sent: unknown[] = [];
    client.middlewareStack.add((next) => async (args) => {
      sent.push((args as { input: unknown }).input);
      return next(args);
    }, { step: 'initialize' });
    const port = new SdkLambdaPort(client);
    await port.updateFunctionConfiguration(`${prefix}-cart-test`, {
      tracing: 'Active',
      ephemeralStorage: 2048,
      logging: { format: 'JSON', applicationLogLevel: 'WARN', systemLogLevel: 'INFO', logGroup: '/aws/lambda/shop' },
      deadLetter: 'arn:aws:sqs:us-east-1:123456789012:dlq',
    });
    expect(sent).toEqual([
      {
        FunctionName: `${prefix}-cart-test`,
        TracingConfig: { Mode: 'Active' },
        EphemeralStorage: { Size: 2048 },
        LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'WARN', SystemLogLevel: 'INFO', LogGroup: '/aws/lambda/shop' },
        DeadLetterConfig: { TargetArn: 'arn:aws:sqs:us-east-1:123456789012:dlq' },
      },
    ]);
  });
});
