import { describe, expect, it } from 'vitest';
import { alarmNames, describeRolloutPlan, planRollout, routingAt, rolloutSteps } from './plan-rollout';

describe('rolloutSteps', () => {
  it('canary: the percent for the interval, then everything', () => {
    expect(rolloutSteps({ strategy: 'canary', percent: 10, intervalSeconds: 300 })).toEqual([{ percent: 10, bakeSeconds: 300 }, { percent: 100, bakeSeconds: 0 }]);
  });
  it('linear: steps of percent until 100, the last one shorter when percent does not divide 100', () => {
    expect(rolloutSteps({ strategy: 'linear', percent: 30, intervalSeconds: 5 }).map((s) => s.percent)).toEqual([30, 60, 90, 100]);
    expect(rolloutSteps({ strategy: 'linear', percent: 25, intervalSeconds: 5 }).map((s) => [s.percent, s.bakeSeconds])).toEqual([[25, 5], [50, 5], [75, 5], [100, 0]]);
  });
  it('all-at-once: one step', () => {
    expect(rolloutSteps({ strategy: 'all-at-once', percent: 100, intervalSeconds: 0 })).toEqual([{ percent: 100, bakeSeconds: 0 }]);
  });
});

describe('alarmNames', () => {
  it('fills {prefix} and {env}, expands {function} per project, lists each name once', () => {
    expect(alarmNames(['{prefix}-{env}-errors', '{prefix}-{function}-{env}-5xx'], { name: 'prod', namePrefix: 'shop' }, ['a', 'b'])).toEqual(['shop-prod-errors', 'shop-a-prod-5xx', 'shop-b-prod-5xx']);
  });
});

describe('routingAt', () => {
  it('keeps the old version primary with the new one weighted, and no weights at 0 or 100', () => {
    const member = { from: '3', to: '4' };
    expect(routingAt(member, 10)).toEqual({ version: '3', weights: { '4': 0.1 } });
    expect(routingAt(member, 0)).toEqual({ version: '3', weights: {} });
    expect(routingAt(member, 100)).toEqual({ version: '4', weights: {} });
  });
});

describe('planRollout', () => {
  it('describes functions, versions, steps with timing, alarms and the check', () => {
    const plan = planRollout({ strategy: 'canary', percent: 10, intervalSeconds: 300, alarms: ['{prefix}-{env}-errors'], check: 'npm run smoke -- {env}' }, { name: 'prod', namePrefix: 'shop' }, 'r1', [
      { project: 'b', functionName: 'shop-b-prod', alias: 'live', from: '7', to: 'new' },
      { project: 'a', functionName: 'shop-a-prod', alias: 'live', from: '3', to: '4' },
    ]);
    expect(describeRolloutPlan(plan)).toEqual([
      'canary rollout of 2 functions as one unit: 10% for 300s -> 100% (at least 300s)',
      'a: alias live version 3 -> 4',
      'b: alias live version 7 -> the version this run publishes',
      'alarms: shop-prod-errors',
      'check after each step: npm run smoke -- prod',
    ]);
  });
});
