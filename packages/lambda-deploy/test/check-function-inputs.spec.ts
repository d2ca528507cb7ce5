import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { describe, expect, inject, it } from 'vitest';
import { localAwsClientConfig } from '../../local-aws/src/local-credentials';
import { checkFunctionInputs } from '../src/deploy/check-function-inputs';
import { deployFunction } from '../src/deploy/deploy-function';
import { DeployErrors } from '../src/errors';
import { makeWorkspace, packageAll, testContext, uniquePrefix, writeFile } from './harness';

const handler = 'def handler(e, c):\n    return 1\n';
const fn = (extra: object) => JSON.stringify({ runtime: 'python3.12', handler: 'handler.handler', ...extra });

describe('checkFunctionInputs: what a run\'s functions read from AWS, checked before its first write (against moto)', () => {
  it('reports every missing SSM parameter and external layer version at once, with reads only; once valid, the plans read nothing again', async () => {
    const prefix = uniquePrefix('inputs');
    const missingLayer = `arn:aws:lambda:{region}:123456789012:layer:${prefix}-nowhere:3`;
    const root = makeWorkspace({
      'lambdas/fn-a/function.json': fn({ environment: { TABLE: { ssm: '/{prefix}/{env}/table' } } }),
      'lambdas/fn-a/handler.py': handler,
      'lambdas/fn-b/function.json': fn({ layers: [missingLayer] }),
      'lambdas/fn-b/handler.py': handler,
    });
    await packageAll(root);
    const ctx = testContext(root, { prefix });
    const error = await checkFunctionInputs(ctx, ['fn-a', 'fn-b']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeployErrors);
    expect((error as DeployErrors).errors.map((e) => `${e.code} ${e.message}`)).toEqual([
      `SSM_PARAMETER_MISSING lambdas/fn-a/function.json: environment.TABLE: SSM parameter /${prefix}/test/table does not exist in us-east-1`,
      `EXTERNAL_LAYER_MISSING lambdas/fn-b/function.json: layers: ${missingLayer.replace('{region}', 'us-east-1')} does not exist in us-east-1`,
    ]);
    expect(ctx.session.recorder.writes()).toEqual([]);

    await new SSMClient(localAwsClientConfig(inject('motoEndpoint'))).send(new PutParameterCommand({ Name: `/${prefix}/test/table`, Value: 'cart', Type: 'String' }));
    writeFile(root, 'lambdas/fn-b/function.json', fn({}));
    const valid = testContext(root, { prefix });
    await checkFunctionInputs(valid, ['fn-a', 'fn-b']);
    await deployFunction(valid, 'fn-a', { layersOnly: false });
    expect(valid.session.recorder.calls.filter((c) => c.command === 'GetParameters')).toHaveLength(1);
    expect((await valid.session.lambda.getFunction(`${prefix}-fn-a-test`))!.environment).toEqual({ TABLE: 'cart' });
  });
});
