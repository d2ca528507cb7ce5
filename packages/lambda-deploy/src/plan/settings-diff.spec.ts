import { describe, expect, it } from 'vitest';
import type { FunctionState } from '../aws/lambda-port';
import { inspect } from 'node:util';
import { SecretValues } from './planned-environment';
import { diffSettings } from './settings-diff';

const actual: FunctionState = {
  name: 'f', arn: 'arn', runtime: 'python3.12', handler: 'handler.handler', memory: 256, timeout: 30,
  environment: { LOG_LEVEL: 'INFO', API_TOKEN: 's3cr3t-value' }, description: '', architecture: 'x86_64', codeSha256: 'x', layers: [], role: 'r', tracing: 'PassThrough', ephemeralStorage: 512, logging: { format: 'Text', logGroup: '/aws/lambda/f' }, vpc: { subnetIds: [], securityGroupIds: [] },
};

describe('diffSettings', () => {
  it('finds nothing when the repo matches', () => {
    expect(diffSettings({ runtime: 'python3.12', handler: 'handler.handler', memory: 256, environment: { LOG_LEVEL: 'INFO', API_TOKEN: 's3cr3t-value' } }, actual).diffs).toEqual([]);
  });

  it('leaves settings the repo does not declare alone', () => {
    expect(diffSettings({ runtime: 'python3.12', handler: 'handler.handler' }, actual).change).toEqual({});
  });

  it('names changed environment variables without their values', () => {
    const diff = diffSettings({ runtime: 'python3.12', handler: 'handler.handler', memory: 512, environment: { LOG_LEVEL: 'DEBUG', API_TOKEN: 'n3w-s3cr3t', NEW: '1' } }, actual);
    expect(diff.diffs).toEqual(['memory 256 -> 512', 'environment ~API_TOKEN ~LOG_LEVEL +NEW']);
    expect(diff.diffs.join(' ')).not.toMatch(/s3cr3t/);
    expect(diff.change).toEqual({ memory: 512, environment: { LOG_LEVEL: 'DEBUG', API_TOKEN: 'n3w-s3cr3t', NEW: '1' } });
  });

  it('compares an SSM value by the value read for the plan, and names it by its parameter only', () => {
    const secrets = new SecretValues();
    const token = { ssm: '/app/dev/token', version: 3 };
    secrets.set(token, 's3cr3t-value');
    const want = { runtime: 'python3.12', handler: 'handler.handler', environment: { LOG_LEVEL: 'INFO', API_TOKEN: token } };
    expect(diffSettings(want, actual, secrets).diffs).toEqual([]);
    secrets.set({ ...token, version: 4 }, 'n3w-s3cr3t');
    const diff = diffSettings({ ...want, environment: { ...want.environment, API_TOKEN: { ...token, version: 4 } } }, actual, secrets);
    expect(diff.diffs).toEqual(['environment ~API_TOKEN(ssm:/app/dev/token)']);
    expect(JSON.stringify({ diff, secrets })).not.toMatch(/s3cr3t/);
    expect(inspect(secrets)).toBe('SecretValues(2 redacted)');
  });

  it('diffs role, tracing, ephemeralStorage, deadLetter, the logging fields set, and VPC lists as sets', () => {
    const want = {
      runtime: 'python3.12',
      handler: 'handler.handler',
      role: 'arn:aws:iam::123456789012:role/cart',
      tracing: 'Active',
      ephemeralStorage: 1024,
      deadLetter: 'arn:aws:sqs:us-east-1:123456789012:dlq',
      logging: { format: 'JSON' as const, applicationLogLevel: 'WARN' as const },
      vpc: { subnetIds: ['subnet-b', 'subnet-a'], securityGroupIds: ['sg-1'] },
    };
    const diff = diffSettings(want, actual);
    expect(diff.diffs).toEqual(['role r -> cart', 'tracing PassThrough -> Active', 'ephemeralStorage 512 -> 1024', 'deadLetter (none) -> arn:aws:sqs:us-east-1:123456789012:dlq', 'logging format Text -> JSON, applicationLogLevel (default) -> WARN', 'vpc (none) -> 2 subnets/1 security groups']);
    // Lambda replaces LoggingConfig whole: the log group the repo does not set is sent as it is.
    expect(diff.change.logging).toEqual({ format: 'JSON', applicationLogLevel: 'WARN', logGroup: '/aws/lambda/f' });
    const applied = { ...actual, role: want.role, tracing: 'Active', ephemeralStorage: 1024, deadLetter: want.deadLetter, logging: { ...actual.logging, format: 'JSON' as const, applicationLogLevel: 'WARN' as const }, vpc: { subnetIds: ['subnet-a', 'subnet-b'], securityGroupIds: ['sg-1'] } };
    expect(diffSettings(want, applied)).toEqual({ change: {}, diffs: [] });
  });
});
