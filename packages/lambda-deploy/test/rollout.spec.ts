import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { describe, expect, inject, it } from 'vitest';
import { localAwsClientConfig } from '../../local-aws/src/local-credentials';
import type { RolloutPolicy } from '../src/config/rollout-policy';
import { deployFunction } from '../src/deploy/deploy-function';
import { deployLayer } from '../src/deploy/deploy-layer';
import { finishRunRollouts, type RolloutTiming } from '../src/rollout/finish-run-rollout';
import { RolloutStore } from '../src/rollout/rollout-store';
import { offerUnitRollback, rollbackUnit } from '../src/rollout/rollback-unit';
import { renderRolloutStatus, unfinishedRollouts } from '../src/rollout/rollout-status';
import { contentWrites, makeWorkspace, packageAll, testContext, uniquePrefix, writeFile, type TestContext } from './harness';

const FUNCTIONS = ['fn-a', 'fn-b', 'fn-c'];
const files: Record<string, string> = {
  VERSION: 'core=1.0.0\n',
  'layers/core/layer.json': JSON.stringify({ sources: 'src' }),
  'layers/core/src/core.py': 'V = 1\n',
};
for (const fn of FUNCTIONS) {
  files[`lambdas/${fn}/function.json`] = JSON.stringify({ runtime: 'python3.12', handler: 'handler.handler', layers: ['core'], alias: 'live' });
  files[`lambdas/${fn}/handler.py`] = `def handler(e, c):\n    return "${fn}"\n`;
}

const cloudwatch = () => new CloudWatchClient({ ...localAwsClientConfig(inject('motoEndpoint')), region: 'us-east-1' });
const setAlarm = (name: string, state: 'OK' | 'ALARM') => cloudwatch().send(new SetAlarmStateCommand({ AlarmName: name, StateValue: state, StateReason: 'test' }));

/** An alarm per function ({function}) and one for the environment: every member's alarm is watched. */
async function makeAlarms(prefix: string): Promise<void> {
  for (const name of [`${prefix}-test-errors`, ...FUNCTIONS.map((fn) => `${prefix}-${fn}-5xx`)]) {
    await cloudwatch().send(new PutMetricAlarmCommand({ AlarmName: name, MetricName: 'Errors', Namespace: 'AWS/Lambda', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' }));
    await setAlarm(name, 'OK');
  }
}

const policy = (over: Partial<RolloutPolicy> = {}): RolloutPolicy => ({ strategy: 'canary', percent: 25, intervalSeconds: 1, alarms: ['{prefix}-{env}-errors', '{prefix}-{function}-5xx'], ...over });

/** Every function's alias as `version` plus its weights. */
async function routes(ctx: TestContext) {
  const out: Record<string, unknown> = {};
  for (const fn of FUNCTIONS) out[fn] = await ctx.session.aliases.read(`${ctx.env.namePrefix}-${fn}-test`, 'live');
  return out;
}
const everyAlias = (version: string, weights: Record<string, number> = {}) => Object.fromEntries(FUNCTIONS.map((fn) => [fn, { version, weights }]));

/** A workspace deployed once without a rollout policy (aliases on version 1), then a layer change packaged. */
async function deployedTwice(label: string) {
  const root = makeWorkspace(files);
  const prefix = uniquePrefix(label);
  await packageAll(root);
  const first = testContext(root, { prefix });
  await deployLayer(first, 'core', []);
  for (const fn of FUNCTIONS) await deployFunction(first, fn, { layersOnly: false });
  await makeAlarms(prefix);
  writeFile(root, 'layers/core/src/core.py', 'V = 2\n');
  await packageAll(root);
  return { root, prefix };
}

/** A run under the rollout policy: the layer's cascade publishes and holds, then the run's rollout. */
async function rolloutRun(root: string, prefix: string, runId: string, timing: RolloutTiming, over: Partial<RolloutPolicy> = {}, acceptAlarms = false) {
  const ctx = testContext(root, { prefix, runId });
  ctx.env.rollout = policy(over);
  ctx.acceptAlarms = acceptAlarms;
  await deployLayer(ctx, 'core', FUNCTIONS);
  const results = await finishRunRollouts(ctx, { runId, events: ctx.events, plans: [], runFailed: false }, timing);
  return { ctx, results };
}

/** Real time, plus a hook at each bake's first wait: what a test does "during a step". */
function duringBake(hook: (call: number) => Promise<void>): RolloutTiming {
  let calls = 0;
  return { sleep: async (ms) => {
    await hook(calls++);
    await new Promise((resolve) => setTimeout(resolve, ms));
  } };
}

describe('progressive rollout against moto', () => {
  it('holds the aliases while the run deploys, splits them during the bake, and promotes every function when the alarms stay OK', async () => {
    const { root, prefix } = await deployedTwice('promote');
    const seen: unknown[] = [];
    const probe = testContext(root, { prefix });
    const { ctx, results } = await rolloutRun(root, prefix, 'run-ok', duringBake(async (call) => {
      if (call === 0) seen.push(await routes(probe));
    }));
    // The deploy itself moved no alias: the cascade published version 2 of each and held it.
    expect(ctx.events.filter((e) => e.step === 'publish-version').map((e) => e.message)).toEqual(FUNCTIONS.map(() => "published version 2; alias live stays on version 1 until the run's rollout"));
    expect(seen).toEqual([everyAlias('1', { '2': 0.25 })]);
    expect(results).toMatchObject([{ runId: 'run-ok', outcome: 'promoted' }]);
    expect(await routes(ctx)).toEqual(everyAlias('2'));
    expect(await new RolloutStore(ctx.session.store, ctx.env.artifactBucket!).unfinished()).toEqual([]);
    // Two steps of three aliases each: six paced UpdateAlias calls, no more.
    expect(contentWrites(ctx).filter((c) => c.command === 'UpdateAlias')).toHaveLength(6);
  });

  it('rolls every function back when an alarm goes to ALARM during a step, and names the alarm and the step', async () => {
    const { root, prefix } = await deployedTwice('alarm');
    const { ctx, results } = await rolloutRun(root, prefix, 'run-alarm', duringBake(async (call) => {
      if (call === 0) await setAlarm(`${prefix}-fn-b-5xx`, 'ALARM');
    }), { strategy: 'linear', percent: 40 });
    expect(results).toMatchObject([{ outcome: 'rolled-back', step: 1, reason: `alarm ${prefix}-fn-b-5xx in ALARM at step 1 (40%)` }]);
    expect(await routes(ctx)).toEqual(everyAlias('1'));
    expect(ctx.events.filter((e) => e.step === 'rollout' && e.message.startsWith('rolled back')).map((e) => e.project).sort()).toEqual(FUNCTIONS);
  });

  it('rolls every function back when the check command fails after a step', async () => {
    const { root, prefix } = await deployedTwice('check');
    const { ctx, results } = await rolloutRun(root, prefix, 'run-check', {}, { check: 'echo "smoke {env} failed at $VECTORA_ROLLOUT_PERCENT%"; exit 3' });
    expect(results).toMatchObject([{ outcome: 'rolled-back', step: 1, reason: 'check "echo "smoke test failed at $VECTORA_ROLLOUT_PERCENT%"; exit 3" exited 3 at step 1 (25%): smoke test failed at 25%' }]);
    expect(await routes(ctx)).toEqual(everyAlias('1'));
  });

  it('after a kill mid-step, status shows the split aliases and the next run completes the rollout', async () => {
    const { root, prefix } = await deployedTwice('kill');
    const killed = new Error('killed');
    await expect(rolloutRun(root, prefix, 'run-killed', { sleep: async () => { throw killed; } })).rejects.toBe(killed);

    const status = testContext(root, { prefix });
    status.env.rollout = policy();
    const unfinished = await unfinishedRollouts(status);
    expect(unfinished.map((u) => [u.runId, u.phase, u.step])).toEqual([['run-killed', 'step', 1]]);
    expect(renderRolloutStatus(unfinished[0])).toEqual(FUNCTIONS.map((fn) => `[${fn}] mid-rollout (run run-killed, at step 1/2): alias live version 1 75% / version 2 25%; the next deploy finishes it`));

    // The next run changes nothing itself; it finds the interrupted unit, repeats its step and promotes it.
    const { ctx, results } = await rolloutRun(root, prefix, 'run-rerun', {});
    expect(ctx.events.find((e) => e.project === 'rollout')?.message).toBe('rollout run-killed was interrupted (step): repeating step 1 and going on');
    expect(results).toMatchObject([{ runId: 'run-killed', outcome: 'promoted' }]);
    expect(await routes(ctx)).toEqual(everyAlias('2'));
    expect(await unfinishedRollouts(status)).toEqual([]);
  });

  it('stops before any write when an alarm is already in ALARM, and goes on with --accept-alarms', async () => {
    const { root, prefix } = await deployedTwice('firing');
    await setAlarm(`${prefix}-test-errors`, 'ALARM');
    const stopped = testContext(root, { prefix, runId: 'run-stopped' });
    stopped.env.rollout = policy();
    await expect(deployLayer(stopped, 'core', FUNCTIONS)).rejects.toMatchObject({ code: 'ROLLOUT_ALARM_FIRING', message: expect.stringContaining(`${prefix}-test-errors`) });
    expect(contentWrites(stopped)).toEqual([]);

    const { ctx, results } = await rolloutRun(root, prefix, 'run-accepted', {}, {}, true);
    expect(results).toMatchObject([{ outcome: 'promoted' }]);
    expect(await routes(ctx)).toEqual(everyAlias('2'));
  });

  it('a function deployed by its own task joins the unit like a cascaded one', async () => {
    const { root, prefix } = await deployedTwice('own');
    writeFile(root, 'lambdas/fn-a/handler.py', 'def handler(e, c):\n    return "changed"\n');
    await packageAll(root);
    const ctx = testContext(root, { prefix, runId: 'run-own' });
    ctx.env.rollout = policy();
    await deployLayer(ctx, 'core', ['fn-b', 'fn-c']);
    await deployFunction(ctx, 'fn-a', { layersOnly: false });
    const results = await finishRunRollouts(ctx, { runId: 'run-own', events: ctx.events, plans: [], runFailed: false });
    expect(results).toMatchObject([{ outcome: 'promoted', members: FUNCTIONS.map((project) => ({ project, from: '1', to: '2' })) }]);
    expect(await routes(ctx)).toEqual(everyAlias('2'));
  });

  it('rollback of one member offers the unit, and --unit puts every alias of it back', async () => {
    const { root, prefix } = await deployedTwice('unit');
    await rolloutRun(root, prefix, 'run-unit', {});
    const ctx = testContext(root, { prefix });
    ctx.env.rollout = policy();
    await offerUnitRollback(ctx, 'fn-b');
    expect(ctx.events.map((e) => e.message)).toEqual(['fn-b was promoted together with fn-a, fn-c (rollout run-unit); `nx run fn-b:rollback --unit -c test` puts all 3 aliases back on their previous versions']);
    const outcome = await rollbackUnit(ctx, 'fn-b');
    expect(outcome.failures).toEqual([]);
    expect(await routes(ctx)).toEqual(everyAlias('1'));
    // Rolled back as a unit: no longer offered, and a second --unit finds nothing to undo.
    await expect(rollbackUnit(testContext(root, { prefix }), 'fn-b')).rejects.toMatchObject({ code: 'ROLLOUT_UNIT_UNKNOWN' });
  });
});
