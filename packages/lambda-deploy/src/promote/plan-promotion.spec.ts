import { describe, expect, it } from 'vitest';
import type { FunctionState } from '../aws/lambda-port';
import type { Environment } from '../config/environment';
import { configFingerprint, type HistoryRecord } from '../history/history-record';
import type { ProjectPlan } from '../plan/types';
import { checkPromotable, checkPromoteBuckets, checkPromoteFrom, sourceRegionFor } from './check-target';
import { driftError, driftOf, type SourceFunction } from './detect-drift';
import { planLayerPromotion, promoteFunctionPlan, type ArtifactCopy } from './plan-promotion';
import { MAX_LAYER_DESCRIPTION, promotedFrom, promotedLayerDescription } from './provenance';

const SHA = 'a'.repeat(64);
const LAYER = 'arn:aws:lambda:us-east-1:123456789012:layer:app-core-dev:3';

function fn(overrides: Partial<FunctionState> = {}): FunctionState {
  return {
    name: 'app-fn-dev', arn: 'arn:aws:lambda:us-east-1:123456789012:function:app-fn-dev', runtime: 'python3.12', handler: 'handler.handler', memory: 128, timeout: 3,
    environment: {}, description: '', architecture: 'x86_64', codeSha256: 'CODE1', layers: [LAYER], role: 'arn:aws:iam::123456789012:role/r', tracing: 'PassThrough',
    ephemeralStorage: 512, logging: {}, vpc: { subnetIds: [], securityGroupIds: [] }, ...overrides,
  } as FunctionState;
}

function source(actual: FunctionState, recorded: FunctionState | undefined, settingsDiffs: string[] = []): SourceFunction {
  const latest: HistoryRecord | undefined = recorded && { id: '20260101T000000000Z-1', at: '', kind: 'deploy', project: 'fn', functionName: actual.name, after: { codeSha256: recorded.codeSha256, layers: recorded.layers, config: configFingerprint(recorded) } };
  return { project: 'fn', functionName: actual.name, actual, latest, settingsDiffs };
}

const artifact = (exists: boolean): ArtifactCopy => ({ from: { environment: 'dev', bucket: 'dev-b', key: 'k.zip' }, bucket: 'stg-b', key: 'k.zip', sha256: SHA, exists });
const env = (name: string, region: string, bucket?: string) => ({ name, region, regions: [region], artifactBucket: bucket }) as Environment;

describe('drift of the source function', () => {
  it('is none when code, layers and configuration are what the last deploy recorded', () => {
    expect(driftOf(source(fn(), fn()))).toEqual([]);
    expect(driftError([source(fn(), fn())], 'dev')).toBeUndefined();
  });

  it('names each difference: code, layers, a hand-changed setting, settings the repo declares otherwise, no history', () => {
    const drifted = source(fn({ codeSha256: 'HANDMADE12345', layers: [], memory: 512 }), fn(), ['timeout 3 -> 10']);
    expect(driftOf(drifted)).toEqual([
      'code HANDMADE12.. is not the CODE1.. of deploy 20260101T000000000Z-1',
      'layers (none) are not the app-core-dev:3 of deploy 20260101T000000000Z-1',
      'configuration changed since deploy 20260101T000000000Z-1 (runtime, handler, memory, timeout, role, variables or another setting)',
      "settings differ from the repo's (timeout 3 -> 10)",
    ]);
    expect(driftOf(source(fn(), undefined))).toEqual(['no deploy history: the tool never deployed it there']);
    const error = driftError([source(fn(), fn()), drifted], 'dev')!;
    expect(error.code).toBe('PROMOTE_DRIFT');
    expect(error.message).toMatch(/^dev is not what this tool deployed there.*\n {2}app-fn-dev \(fn\): code HANDMADE/s);
    expect(error.hint).toContain('nx run-many -t deploy -p fn -c dev');
  });

  it('ignores the configuration of entries written before it was recorded', () => {
    const old = source(fn({ memory: 1024 }), fn());
    delete old.latest!.after.config;
    expect(driftOf(old)).toEqual([]);
  });
});

describe('what the target can take', () => {
  const base = { file: 'lambdas/fn/function.json', project: 'fn', from: 'dev', to: 'staging', source: fn(), sourceLayers: [{ project: 'core' }] };

  it('accepts the same runtime, architecture and managed layers; refuses each mismatch at once', () => {
    expect(() => checkPromotable({ ...base, target: { runtime: 'python3.12', architecture: 'x86_64', layers: ['core'] } })).not.toThrow();
    expect(() => checkPromotable({ ...base, target: { runtime: 'python3.13', architecture: 'arm64', layers: ['core', 'deps'] } })).toThrow(
      /python3.12 in dev, the repo says python3.13 for staging(.|\n)*on x86_64 in dev, the repo says arm64(.|\n)*layers \[core\] in dev, the repo declares \[core, deps\]/,
    );
  });

  it('needs --from: given, another environment, defined in nx.json', () => {
    const defined = ['local', 'dev', 'staging'];
    expect(checkPromoteFrom('dev', 'staging', defined)).toBe('dev');
    expect(() => checkPromoteFrom(undefined, 'staging', defined)).toThrow(expect.objectContaining({ code: 'PROMOTE_FROM_MISSING', hint: expect.stringContaining('--from=<one of local, dev>') }));
    expect(() => checkPromoteFrom('staging', 'staging', defined)).toThrow(expect.objectContaining({ code: 'PROMOTE_FROM_SELF' }));
    expect(() => checkPromoteFrom('qa', 'staging', defined)).toThrow('--from=qa: environment "qa" is not defined in nx.json plugins[@vectora/nx-lambda].options.environments');
  });

  it('needs both buckets, naming the nx.json key', () => {
    expect(() => checkPromoteBuckets(env('dev', 'us-east-1', 'd'), env('staging', 'us-east-1'))).toThrow('nx.json plugins[@vectora/nx-lambda].options.environments.staging has no artifactBucket');
  });

  it('promotes each target region from the same source region, or from the source\'s only one', () => {
    const dev = env('dev', 'eu-west-1');
    expect(sourceRegionFor([dev], env('staging', 'us-east-1'))).toBe(dev);
    const both = [env('dev', 'eu-west-1'), env('dev', 'us-east-1')];
    expect(sourceRegionFor(both, env('staging', 'us-east-1'))).toBe(both[1]);
    expect(() => sourceRegionFor(both, env('staging', 'ap-south-1'))).toThrow(/PROMOTE|ambiguous/);
  });
});

describe('promotion plans', () => {
  const layer = { project: 'core', layerName: 'app-core-staging', semver: '1.0.0', sha256: SHA, runtimes: ['python3.12'], architectures: ['x86_64' as const], description: `core 1.0.0 sha256:${SHA} from=dev`, source: { environment: 'dev', version: 3 } };

  it('reuses a target version with the same content and semver, else copies (when missing) and publishes', () => {
    const existing = [{ arn: 'arn:x:7', version: 7, description: `core 1.0.0 sha256:${SHA}` }];
    expect(planLayerPromotion({ ...layer, artifact: artifact(false) }, existing).plan.actions.map((a) => [a.kind, a.reason])).toEqual([['skip', `unchanged: version 7 holds 1.0.0 sha256:aaaaaaaaaaaa.. (dev version 3)`]]);
    expect(planLayerPromotion({ ...layer, artifact: artifact(false) }, []).plan.actions.map((a) => a.kind)).toEqual(['copy-artifact', 'publish-layer']);
    const { plan } = planLayerPromotion({ ...layer, artifact: artifact(true) }, []);
    expect(plan.actions).toMatchObject([{ kind: 'publish-layer', description: layer.description, content: { s3Bucket: 'stg-b', s3Key: 'k.zip' } }]);
  });

  it('points a function plan\'s code at the copy, copying first, and carries provenance', () => {
    const planned: ProjectPlan = { project: 'fn', kind: 'function', awsName: 'app-fn-staging', actions: [
      { kind: 'update-code', project: 'fn', reason: 'code A.. -> B..', functionName: 'app-fn-staging', code: { file: '' }, codeSha256: 'B', architecture: 'x86_64' },
      { kind: 'update-layers', project: 'fn', reason: 'layers x', functionName: 'app-fn-staging', settings: {}, layerChanges: [] },
    ] };
    const plan = promoteFunctionPlan(planned, artifact(false), { from: 'dev', contentHash: `sha256:${SHA}` });
    expect(plan.actions.map((a) => a.kind)).toEqual(['copy-artifact', 'update-code', 'update-layers']);
    expect(plan.actions[1]).toMatchObject({ code: { s3Bucket: 'stg-b', s3Key: 'k.zip' }, reason: "code A.. -> B.. (dev's code)" });
    expect(plan.provenance).toEqual({ from: 'dev', contentHash: `sha256:${SHA}` });
    expect(promoteFunctionPlan(planned, artifact(true), { from: 'dev', contentHash: '' }).actions.map((a) => a.kind)).toEqual(['update-code', 'update-layers']);
  });
});

describe('provenance in a layer Description', () => {
  it('follows the content part, shortened to stay within Lambda\'s 256 characters', () => {
    expect(promotedLayerDescription('core', '1.0.0', SHA, { from: 'dev', commit: '0123456789abcdef' })).toBe(`core 1.0.0 sha256:${SHA} from=dev commit=0123456789ab`);
    expect(promotedFrom(`core 1.0.0 sha256:${SHA} from=dev commit=0123456789ab`)).toBe('dev');
    const long = 'p'.repeat(165);
    const text = promotedLayerDescription(long, '1.0.0', SHA, { from: 'dev', commit: '0123456789abcdef' });
    expect(text.length).toBeLessThanOrEqual(MAX_LAYER_DESCRIPTION);
    expect(text).toBe(`${long} 1.0.0 sha256:${SHA} from=dev`);
  });
});
