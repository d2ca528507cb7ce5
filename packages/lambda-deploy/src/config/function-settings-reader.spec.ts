import { describe, expect, it } from 'vitest';
import { functionForEnvironment, parseFunctionConfig, parseFunctionDefaults } from './function-config';

const where = { project: 'cart', root: 'lambdas/cart', file: 'lambdas/cart/function.json' };
const base = { runtime: 'python3.12', handler: 'h.h' };

describe('role, tracing, reservedConcurrency, ephemeralStorage, tags, logging, vpc, deadLetter', () => {
  it('reads each only when set, per environment too, tags merged under the defaults', () => {
    const defaults = parseFunctionDefaults({ tracing: 'Active', tags: { team: 'shop', cost: 'c1' } }, 'lambdas/defaults.json');
    const config = parseFunctionConfig(
      {
        ...base,
        role: 'arn:aws:iam::{account}:role/shop-{env}-cart',
        reservedConcurrency: 5,
        ephemeralStorage: 1024,
        tags: { cost: 'c2' },
        logging: { format: 'JSON', applicationLogLevel: 'INFO', logGroup: '/aws/lambda/shop-{env}' },
        vpc: { subnetIds: ['subnet-0123456789abcdef0'], securityGroupIds: ['sg-0123456789abcdef0'] },
        deadLetter: 'arn:aws:sqs:{region}:{account}:shop-dlq',
        environments: { prod: { reservedConcurrency: 50, tags: { env: 'prod' } } },
      },
      where,
      defaults,
    );
    expect(config).toMatchObject({ tracing: 'Active', reservedConcurrency: 5, ephemeralStorage: 1024, tags: { team: 'shop', cost: 'c2' }, logging: { format: 'JSON', applicationLogLevel: 'INFO', logGroup: '/aws/lambda/shop-{env}' } });
    expect(functionForEnvironment(config, 'prod')).toMatchObject({ reservedConcurrency: 50, tags: { team: 'shop', cost: 'c2', env: 'prod' } });
    const bare = parseFunctionConfig(base, where);
    expect(['role', 'tracing', 'reservedConcurrency', 'ephemeralStorage', 'tags', 'logging', 'vpc', 'deadLetter'].filter((key) => key in bare)).toEqual([]);
  });

  it('refuses each bad value before any AWS call, naming the file and the key', () => {
    const bad = {
      ...base,
      role: 'shop-role',
      tracing: 'On',
      reservedConcurrency: -1,
      ephemeralStorage: 256,
      tags: { 'aws:cloudformation': 'x', 'lambda-deploy:managed-tags': 'y' },
      logging: { applicationLogLevel: 'INFO', level: 'x' },
      vpc: { subnetIds: ['subnet-0123456789abcdef0'], securityGroupIds: [] },
      deadLetter: 'arn:aws:s3:::bucket',
    };
    const message = (() => {
      try {
        parseFunctionConfig(bad, where);
      } catch (error) {
        return (error as Error).message;
      }
    })()!;
    expect(message.split('\n')).toEqual([
      'lambdas/cart/function.json: role: "shop-role" is not valid',
      'lambdas/cart/function.json: tracing: "On" not supported',
      'lambdas/cart/function.json: reservedConcurrency: must be a whole number of concurrent executions from 0 to 1000000, got -1',
      'lambdas/cart/function.json: ephemeralStorage: must be a whole number of MB from 512 to 10240, got 256',
      'lambdas/cart/function.json: deadLetter: "arn:aws:s3:::bucket" is not valid',
      'lambdas/cart/function.json: tags.aws:cloudformation: is not a tag key this tool can manage',
      'lambdas/cart/function.json: tags.lambda-deploy:managed-tags: is not a tag key this tool can manage',
      'lambdas/cart/function.json: logging.level: unknown key "level"',
      'lambdas/cart/function.json: logging: log levels need "format": "JSON"',
      'lambdas/cart/function.json: vpc: needs subnets and security groups together',
    ]);
  });
});
