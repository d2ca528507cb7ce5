import { describe, expect, it } from 'vitest';
import { resolveEnvironment } from './environment';

const options = {
  namePrefix: 'vectora-inbox',
  environments: {
    local: { emulator: true, region: 'us-east-1', artifactBucket: 'artifacts-local', createMissingFunctions: true },
    dev: { region: 'eu-west-1', artifactBucket: 'artifacts-dev' },
    bare: {},
  },
};

describe('resolveEnvironment', () => {
  it('resolves a defined environment', () => {
    expect(resolveEnvironment(options, 'dev', {})).toMatchObject({ name: 'dev', region: 'eu-west-1', artifactBucket: 'artifacts-dev', namePrefix: 'vectora-inbox', createMissingFunctions: false, emulator: false });
  });

  it('asks for -c when no environment is given, listing the choices', () => {
    expect(() => resolveEnvironment(options, undefined, {})).toThrow('no environment given');
    try {
      resolveEnvironment(options, undefined, {});
    } catch (error) {
      expect((error as { hint: string }).hint).toBe('run with -c <environment>, one of: local, dev, bare');
    }
  });

  it('refuses an unknown environment', () => {
    expect(() => resolveEnvironment(options, 'qa', {})).toThrow('environment "qa" is not defined');
  });

  it('keeps the nx.json region over AWS_REGION, and uses AWS_REGION only as a fallback', () => {
    expect(resolveEnvironment(options, 'dev', { AWS_REGION: 'us-west-2' }).region).toBe('eu-west-1');
    expect(resolveEnvironment(options, 'bare', { AWS_REGION: 'us-west-2' }).region).toBe('us-west-2');
    expect(() => resolveEnvironment(options, 'bare', {})).toThrow('environments.bare: no region');
  });

  it('takes AWS_ENDPOINT_URL as the endpoint of any environment', () => {
    expect(resolveEnvironment(options, 'dev', { AWS_ENDPOINT_URL: 'http://127.0.0.1:4000' }).endpoint).toBe('http://127.0.0.1:4000');
  });

  it('takes an optional 12-digit accountId as a string, naming the key and the fix otherwise', () => {
    const withAccount = (accountId: unknown, extra: Record<string, unknown> = {}) => resolveEnvironment({ namePrefix: 'vi', environments: { dev: { region: 'eu-west-1', accountId, ...extra } } }, 'dev', {});
    expect(withAccount('123456789012').accountId).toBe('123456789012');
    expect(resolveEnvironment(options, 'dev', {}).accountId).toBeUndefined();
    expect(() => withAccount('12345')).toThrow('environments.dev: accountId: "12345" is not valid');
    expect(() => withAccount(123456789012)).toThrow('accountId: must be a non-empty string, got 123456789012');
    try {
      withAccount('1234-5678-9012');
    } catch (error) {
      expect((error as { hint: string }).hint).toContain('12-digit account id');
    }
  });

  it('refuses a functionRole from another account than accountId', () => {
    const env = { region: 'eu-west-1', accountId: '123456789012', functionRole: 'arn:aws:iam::210987654321:role/fn' };
    expect(() => resolveEnvironment({ namePrefix: 'vi', environments: { dev: env } }, 'dev', {})).toThrow('functionRole: is in account 210987654321, but accountId is 123456789012');
  });
});
