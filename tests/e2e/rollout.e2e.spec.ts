// @module-tag e2e
import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { GetAliasCommand } from '@aws-sdk/client-lambda';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { localAwsClientConfig } from '../../packages/local-aws/src/local-credentials';
import { EmulatorLambda, NxWorkspace, PYTHON_FUNCTIONS as FUNCTIONS } from './nx-workspace';

let ws: NxWorkspace;
let aws: EmulatorLambda;

const aliasOf = async (fn: string) => {
  const alias = await aws.client.send(new GetAliasCommand({ FunctionName: ws.awsName(fn), Name: 'live' }));
  return { version: alias.FunctionVersion, weights: alias.RoutingConfig?.AdditionalVersionWeights ?? {} };
};

beforeAll(async () => {
  ws = new NxWorkspace(inject('motoEndpoint'), `ro${process.pid % 10000}`);
  aws = new EmulatorLambda(inject('motoEndpoint'));
  for (const fn of FUNCTIONS) ws.write(`lambdas/${fn}/function.json`, JSON.stringify({ ...JSON.parse(ws.read(`lambdas/${fn}/function.json`)), alias: 'live' }, null, 2));
  const nxJson = JSON.parse(ws.read('nx.json'));
  nxJson.plugins[0].options.environments.local.rollout = { strategy: 'canary', percent: 34, intervalSeconds: 1, alarms: ['{prefix}-{env}-errors'] };
  ws.write('nx.json', JSON.stringify(nxJson, null, 2));
  ws.commit('aliases and a canary rollout for local');
  const cloudwatch = new CloudWatchClient({ ...localAwsClientConfig(inject('motoEndpoint')), region: 'us-east-1' });
  const alarm = `${ws.prefix}-local-errors`;
  await cloudwatch.send(new PutMetricAlarmCommand({ AlarmName: alarm, MetricName: 'Errors', Namespace: 'AWS/Lambda', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' }));
  await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: alarm, StateValue: 'OK', StateReason: 'e2e' }));
});

describe('progressive rollout, through the real nx CLI', () => {
  it('a first deploy creates the aliases directly: nothing to roll out from', async () => {
    const run = await ws.nx(['run-many', '-t', 'deploy', '-c', 'local']);
    expect(run.status, run.output).toBe(0);
    for (const fn of FUNCTIONS) expect(await aliasOf(fn)).toEqual({ version: '1', weights: {} });
  });

  it('a dry-run of a layer change prints the rollout plan', async () => {
    ws.write('layers/vectora-core/src/vectora_core/scoring.py', `${ws.read('layers/vectora-core/src/vectora_core/scoring.py')}\n# canary me\n`);
    ws.commit('change vectora-core');
    const run = await ws.nx(['run-many', '-t', 'deploy', '-c', 'local', '--dry-run']);
    expect(run.status, run.output).toBe(0);
    expect(run.output).toContain('[rollout] would roll out: canary rollout of 3 functions as one unit: 34% for 1s -> 100% (at least 1s)');
    expect(run.output).toContain(`[rollout] would roll out: alarms: ${ws.prefix}-local-errors`);
    for (const fn of FUNCTIONS) expect(run.output).toContain(`[rollout] would roll out: ${fn}: alias live version 1 -> the version this run publishes`);
    for (const fn of FUNCTIONS) expect(await aliasOf(fn)).toEqual({ version: '1', weights: {} });
  });

  it('the layer change goes to all three aliases as one canary unit and, the alarm staying OK, is promoted', async () => {
    const run = await ws.nx(['run-many', '-t', 'deploy', '-c', 'local']);
    expect(run.status, run.output).toBe(0);
    for (const fn of FUNCTIONS) {
      expect(run.output).toContain(`[${fn}] step 1/2: alias live version 1 66% / version 2 34%`);
      expect(await aliasOf(fn)).toEqual({ version: '2', weights: {} });
    }
    expect(run.output).toMatch(/\nrollout\s+updated\s+promoted: 3 functions on their new versions, no weights left/);
  });

  it('a run killed mid-bake leaves the aliases split, status says so, and the next run finishes the rollout', async () => {
    // A bake long enough that the kill lands inside it: the kill waits for the step record, not for a time.
    const nxJson = JSON.parse(ws.read('nx.json'));
    nxJson.plugins[0].options.environments.local.rollout.intervalSeconds = 20;
    ws.write('nx.json', JSON.stringify(nxJson, null, 2));
    ws.write('layers/vectora-core/src/vectora_core/scoring.py', `${ws.read('layers/vectora-core/src/vectora_core/scoring.py')}\n# and again\n`);
    ws.commit('longer bake, another vectora-core change');
    const s3 = new S3Client({ ...localAwsClientConfig(inject('motoEndpoint')), region: 'us-east-1', forcePathStyle: true });
    const stateKeys = async () => ((await s3.send(new ListObjectsV2Command({ Bucket: `${ws.prefix}-artifacts-local`, Prefix: 'rollouts/' }))).Contents ?? []).map((o) => o.Key!);
    const before = new Set(await stateKeys());

    const child = ws.spawnNx(['run-many', '-t', 'deploy', '-c', 'local']);
    let exited = false;
    void child.finally(() => (exited = true));
    // The step record is written before the weights are set: wait for both, the record and all three splits.
    const split = async () => (await Promise.all(FUNCTIONS.map(aliasOf))).every((alias) => alias.weights['3'] === 0.34);
    let stepKey: string | undefined;
    while (!exited && !(stepKey && (await split()))) {
      stepKey ??= (await stateKeys()).find((key) => !before.has(key) && key.endsWith('0001-step.json'));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(exited, 'the run ended before its rollout split the aliases').toBe(false);
    process.kill(-child.pid!, 'SIGKILL');
    await child;
    for (const fn of FUNCTIONS) expect(await aliasOf(fn)).toEqual({ version: '2', weights: { '3': 0.34 } });

    const status = await ws.nx(['run', 'ingest-v2:status', '-c', 'local']);
    expect(status.output).toMatch(/\[ingest-v2\] mid-rollout \(run [\w.-]+, at step 1\/2\): alias live version 2 66% \/ version 3 34%; the next deploy finishes it/);

    const rerun = await ws.nx(['run-many', '-t', 'deploy', '-c', 'local']);
    expect(rerun.status, rerun.output).toBe(0);
    expect(rerun.output).toMatch(/\[rollout\] warning: rollout [\w.-]+ was interrupted \(step\): repeating step 1 and going on/);
    for (const fn of FUNCTIONS) expect(await aliasOf(fn)).toEqual({ version: '3', weights: {} });
  });
});
