import { describe, expect, it } from 'vitest';
import { resolveEnvironment, resolveEnvironments } from './environment';

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

  describe('regions', () => {
    const fleet = (env: Record<string, unknown>) => ({ namePrefix: 'p', environments: { fleet: env } });

    it('resolves one environment per region, each with its own bucket, in the order nx.json lists them', () => {
      const envs = resolveEnvironments(fleet({ regions: ['eu-west-1', 'us-east-1'], artifactBucket: 'artifacts-{region}' }), 'fleet', { AWS_REGION: 'ap-south-1' });
      expect(envs.map((env) => [env.region, env.artifactBucket, env.regions])).toEqual([
        ['eu-west-1', 'artifacts-eu-west-1', ['eu-west-1', 'us-east-1']],
        ['us-east-1', 'artifacts-us-east-1', ['eu-west-1', 'us-east-1']],
      ]);
      expect(resolveEnvironment(fleet({ regions: ['eu-west-1', 'us-east-1'] }), 'fleet', {}).region).toBe('eu-west-1');
    });

    it('keeps one environment for a single region, as before', () => {
      expect(resolveEnvironments(options, 'dev', {}).map((env) => [env.region, env.regions, env.artifactBucket])).toEqual([['eu-west-1', ['eu-west-1'], 'artifacts-dev']]);
    });

    it('refuses region and regions together, naming the file and the fix', () => {
      expect(() => resolveEnvironment(fleet({ region: 'eu-west-1', regions: ['us-east-1'] }), 'fleet', {})).toThrow('environments.fleet: regions: is set together with "region"');
    });

    it('refuses neither, an empty list and a bad region code', () => {
      expect(() => resolveEnvironment(fleet({}), 'fleet', {})).toThrow('environments.fleet: no region');
      expect(() => resolveEnvironment(fleet({ regions: [] }), 'fleet', {})).toThrow('regions: must not be empty');
      expect(() => resolveEnvironment(fleet({ regions: ['eu-west-1', 'Europe'] }), 'fleet', {})).toThrow('"Europe" is not an AWS region code');
      expect(() => resolveEnvironment(fleet({ regions: ['eu-west-1', 'eu-west-1'] }), 'fleet', {})).toThrow('more than once');
    });

    it('refuses one bucket name for several regions, and a name that is invalid once {region} is filled in', () => {
      expect(() => resolveEnvironment(fleet({ regions: ['eu-west-1', 'us-east-1'], artifactBucket: 'artifacts' }), 'fleet', {})).toThrow('names one bucket for 2 regions');
      expect(() => resolveEnvironment(fleet({ regions: ['eu-west-1'], artifactBucket: 'Artifacts-{region}' }), 'fleet', {})).toThrow('"Artifacts-eu-west-1" is not a valid S3 bucket name');
      expect(resolveEnvironment(fleet({ region: 'eu-west-1', artifactBucket: 'a-{region}' }), 'fleet', {}).artifactBucket).toBe('a-eu-west-1');
    });

    it('refuses a stepped rollout across several regions', () => {
      expect(() => resolveEnvironment(fleet({ regions: ['eu-west-1', 'us-east-1'], artifactBucket: 'a-{region}', rollout: { strategy: 'canary', percent: 10, intervalSeconds: 60 } }), 'fleet', {})).toThrow('not supported with several regions');
    });
  });

  it('fills {env} and {prefix} into exportParameterPrefix, and refuses a path SSM would not take', () => {
    expect(resolveEnvironment({ ...options, environments: { dev: { region: 'eu-west-1', exportParameterPrefix: '/{prefix}/{env}/layers' } } }, 'dev', {}).exportParameterPrefix).toBe('/vectora-inbox/dev/layers');
    expect(() => resolveEnvironment({ ...options, environments: { dev: { region: 'eu-west-1', exportParameterPrefix: 'vectora/layers/' } } }, 'dev', {})).toThrow('environments.dev: exportParameterPrefix');
  });
});
