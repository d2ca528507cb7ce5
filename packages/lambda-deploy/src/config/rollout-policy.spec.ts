import { describe, expect, it } from 'vitest';
import { resolveEnvironment } from './environment';

const withRollout = (rollout: unknown, extra: Record<string, unknown> = { artifactBucket: 'artifacts-prod' }) =>
  resolveEnvironment({ namePrefix: 'shop', environments: { prod: { region: 'eu-west-1', ...extra, rollout } } }, 'prod', {});

describe('rollout policy in nx.json', () => {
  it('reads a canary policy and defaults the strategy to all-at-once', () => {
    expect(withRollout({ strategy: 'canary', percent: 10, intervalSeconds: 300, alarms: ['{prefix}-{env}-errors'], check: 'npm run smoke -- {env}' }).rollout).toEqual({ strategy: 'canary', percent: 10, intervalSeconds: 300, alarms: ['{prefix}-{env}-errors'], check: 'npm run smoke -- {env}' });
    expect(withRollout({ alarms: [] }).rollout).toMatchObject({ strategy: 'all-at-once' });
  });

  it('names the file, key and fix for each mistake, all at once', () => {
    expect(() => withRollout({ strategy: 'blue-green', percent: 0, alarms: ['{region}-x'], wait: 3 })).toThrow(
      [
        'nx.json plugins[@vectora/nx-lambda].options.environments.prod.rollout: wait: unknown key "wait"',
        'nx.json plugins[@vectora/nx-lambda].options.environments.prod.rollout: strategy: "blue-green" is not a strategy',
        'nx.json plugins[@vectora/nx-lambda].options.environments.prod.rollout: percent: must be a whole number of percent from 1 to 99, got 0',
        'nx.json plugins[@vectora/nx-lambda].options.environments.prod.rollout: alarms: "{region}-x" uses {region}',
      ].join('\n'),
    );
  });

  it('asks for percent and intervalSeconds of a stepped strategy, and for a bucket to keep its state', () => {
    expect(() => withRollout({ strategy: 'linear' })).toThrow(/percent: is required for strategy "linear"\n.*intervalSeconds: is required/);
    expect(() => withRollout({ strategy: 'canary', percent: 10, intervalSeconds: 60 }, {})).toThrow('rollout: strategy "canary" needs an artifactBucket');
  });
});
