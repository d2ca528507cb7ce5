import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { localAwsClientConfig } from '../../../packages/local-aws/src/local-credentials';
import { startAwsProxy } from '../../../packages/local-aws/src/proxy/aws-proxy';
import { createFaultInjector } from '../../../packages/local-aws/src/proxy/fault-injector';
import type { RecordedRequest } from '../../../packages/local-aws/src/proxy/aws-proxy';
import { DEFAULT_CONTROL_PLANE_RATE } from '../../../packages/lambda-deploy/src/aws/clients';
import { DEFAULT_CASCADE_CONCURRENCY } from '../../../packages/lambda-deploy/src/deploy/deploy-context';
import { deployFunction } from '../../../packages/lambda-deploy/src/deploy/deploy-function';
import { deployLayer } from '../../../packages/lambda-deploy/src/deploy/deploy-layer';
import { finishRunRollouts } from '../../../packages/lambda-deploy/src/rollout/finish-run-rollout';
import { bakeSeconds, rolloutSteps } from '../../../packages/lambda-deploy/src/rollout/plan-rollout';
import { mapSettled } from '../../../packages/lambda-deploy/src/util/map-limit';
import { emulatorContext, fleetFiles, makeWorkspace, packageAll, writeFile } from '../../../packages/lambda-deploy/test/emulator-workspace';
import type { BenchContext } from './benches';
import { LAMBDA_LIKE, seconds, startBenchEmulator } from './emulator';
import { printTable } from './print-table';

const ALIAS_WRITE = /^PUT \/2015-03-31\/functions\/[^/]+\/aliases\/[^/]+$/;

/**
 * Issue 17: a canary rollout of one layer change across N functions with an alias each, through a
 * proxy that holds every Lambda control-plane call (not only updates) to 15/s. Measures the
 * rollout's own wall time against its floor (the bakes, plus N x steps alias writes at the paced
 * rate), and the alias writes per sliding second, which must stay within the quota (no 429).
 */
export async function rolloutBench(ctx: BenchContext): Promise<void> {
  const functions = ctx.size === 'full' ? 45 : 10;
  const policy = { strategy: 'canary' as const, percent: 10, intervalSeconds: ctx.size === 'full' ? 5 : 1, alarms: ['{prefix}-{env}-errors'] };
  const emulator = await startBenchEmulator();
  const faults = createFaultInjector({ rateLimit: { perSecond: LAMBDA_LIKE.updatesPerSecond }, inProgressAfterUpdateMs: LAMBDA_LIKE.inProgressMs, latencyMs: LAMBDA_LIKE.latencyMs });
  const proxy = await startAwsProxy({ target: emulator.moto.endpoint, faults });
  try {
    const root = makeWorkspace(fleetFiles(['shared'], functions));
    for (let i = 0; i < functions; i++) writeFile(root, `lambdas/fn-${i}/function.json`, JSON.stringify({ runtime: 'python3.12', handler: 'handler.handler', layers: ['shared'], alias: 'live' }));
    const prefix = `bench-rollout-${process.pid}`;
    await packageAll(root);
    const setup = emulatorContext(root, { prefix, endpoint: emulator.moto.endpoint });
    await deployLayer(setup, 'shared', []);
    await mapSettled(Array.from({ length: functions }, (_, i) => `fn-${i}`), 8, (fn) => deployFunction(setup, fn, { layersOnly: false }));
    const cloudwatch = new CloudWatchClient({ ...localAwsClientConfig(emulator.moto.endpoint), region: 'us-east-1' });
    await cloudwatch.send(new PutMetricAlarmCommand({ AlarmName: `${prefix}-test-errors`, MetricName: 'Errors', Namespace: 'AWS/Lambda', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' }));
    await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: `${prefix}-test-errors`, StateValue: 'OK', StateReason: 'bench' }));

    writeFile(root, 'layers/shared/src/shared.py', 'REVISION = 1\n');
    await packageAll(root);
    const run = emulatorContext(root, { prefix, endpoint: proxy.endpoint, runId: 'bench-rollout', concurrency: DEFAULT_CASCADE_CONCURRENCY, wait: {} });
    run.env.rollout = policy;
    const started = performance.now();
    const cascade = await deployLayer(run, 'shared', Array.from({ length: functions }, (_, i) => `fn-${i}`));
    const deployed = performance.now();
    const before = proxy.requests.length;
    const results = await finishRunRollouts(run, { runId: 'bench-rollout', events: run.events, plans: [], runFailed: false });
    const ended = performance.now();
    if (cascade.failures.length > 0 || results[0]?.outcome !== 'promoted' || results[0].members.length !== functions) throw new Error(`rollout did not promote ${functions} functions: ${JSON.stringify(results.map((r) => [r.outcome, r.reason]))}`);

    const rolloutRequests = proxy.requests.slice(before);
    const aliasWrites = rolloutRequests.filter((r) => ALIAS_WRITE.test(r.operation));
    const steps = rolloutSteps(policy).length;
    const floorMs = bakeSeconds({ steps: rolloutSteps(policy) }) * 1000 + ((functions * steps) / DEFAULT_CONTROL_PLANE_RATE) * 1000;
    const rolloutMs = ended - deployed;
    process.stdout.write(`\nRollout: canary ${policy.percent}% for ${policy.intervalSeconds}s then 100%, one layer change across ${functions} functions; proxy holds every Lambda control-plane call to ${LAMBDA_LIKE.updatesPerSecond}/s, ${LAMBDA_LIKE.inProgressMs} ms InProgress, ${LAMBDA_LIKE.latencyMs} ms latency\n`);
    printTable(
      [{ header: 'phase' }, { header: 'seconds', align: 'right' }, { header: 'requests', align: 'right' }, { header: 'writes', align: 'right' }, { header: '429s', align: 'right' }],
      [
        ['deploy (publish, cascade, held versions)', seconds(deployed - started), String(before), String(proxy.requests.slice(0, before).filter((r) => r.write).length), String(throttled(proxy.requests.slice(0, before)))],
        ['rollout (steps, bakes, alarms)', seconds(rolloutMs), String(rolloutRequests.length), String(rolloutRequests.filter((r) => r.write).length), String(throttled(rolloutRequests))],
      ],
    );
    // CloudWatch's query API is a POST, which the proxy (knowing Lambda and S3 routes only) files as an 'other' write.
    const alarmReads = rolloutRequests.filter((r) => r.service === 'other').length;
    const stateWrites = rolloutRequests.filter((r) => r.service === 's3' && r.write).length;
    process.stdout.write(`rollout requests: ${aliasWrites.length} UpdateAlias, ${stateWrites} state records (S3 PutObject), ${alarmReads} DescribeAlarms (CloudWatch, counted as writes in the table above), ${rolloutRequests.length - aliasWrites.length - stateWrites - alarmReads} other reads\n`);
    process.stdout.write(`rollout: ${aliasWrites.length} UpdateAlias (${functions} x ${steps} steps), at most ${maxPerSecond(aliasWrites)} in any 1 s window; wall ${seconds(rolloutMs)} s against the floor ${seconds(floorMs)} s (bakes ${bakeSeconds({ steps: rolloutSteps(policy) })} s + ${functions * steps} writes / ${DEFAULT_CONTROL_PLANE_RATE} per s): ${(rolloutMs / floorMs).toFixed(2)}x\n`);
  } finally {
    await proxy.stop();
    await emulator.stop();
  }
}

function throttled(requests: RecordedRequest[]): number {
  return requests.filter((r) => r.status === 429).length;
}

/** The most requests whose start falls in any one-second window. */
function maxPerSecond(requests: RecordedRequest[]): number {
  const times = requests.map((r) => r.at).sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= 1000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}
