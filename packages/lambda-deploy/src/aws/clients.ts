import type { IAMClient } from '@aws-sdk/client-iam';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Environment } from '../config/environment';
import { SdkAlarmReader, type AlarmReader } from './alarm-reader';
import { assumedRoleCredentials } from './assume-role';
import { SdkAliasRouter, type AliasRouter } from './alias-router';
import { CallRecorder, type AwsCall } from './call-recorder';
import type { ArtifactStore, LambdaPort } from './lambda-port';
import { Pacer } from './pacer';
import { newRetryStats, type RetryPolicy, type RetryStats } from './retry';
import { S3ArtifactStore } from './s3-artifact-store';
import { SdkLambdaPort } from './sdk-lambda-port';
import { SdkParameterReader, type ParameterReader } from './ssm-parameter-reader';
import { lazy } from '../util/lazy';
import { iamSdk, lambdaSdk, s3Sdk } from '../util/lazy-modules';
import { SecretValues } from '../plan/planned-environment';

/**
 * Lambda's control-plane quota is 15 requests/s per account and region. Pacing smoothly (no burst) at
 * 14/s, any one-second window holds at most 15 of our requests, so the tool never throttles itself;
 * other callers in the account can still cause 429s, which the retry policy absorbs.
 */
export const DEFAULT_CONTROL_PLANE_RATE = 14;

export interface AwsSession {
  lambda: LambdaPort;
  store: ArtifactStore;
  iam: IAMClient;
  s3: S3Client;
  /** SSM Parameter Store, for environment values declared as { "ssm": ... }. */
  parameters: ParameterReader;
  /** The SSM client itself, for the layer ARNs an environment exports (exportParameterPrefix). */
  ssm: SSMClient;
  /** Parameter values read by this session, by name and version: plans refer to them, apply sets them. */
  secrets: SecretValues;
  /** Alias routing (weights), for rollouts: paced like the other control-plane writes. */
  aliases: AliasRouter;
  /** CloudWatch alarm states, for rollouts: CloudWatch's own quota, not Lambda's. */
  alarms: AlarmReader;
  recorder: CallRecorder;
  retryStats: RetryStats;
}

export interface SessionOptions {
  /** Extra SDK client settings: the emulator's endpoint and dummy credentials, set only for that endpoint. */
  clientConfig?: { endpoint?: string; region?: string; forcePathStyle?: boolean; credentials?: { accessKeyId: string; secretAccessKey: string } };
  readOnly?: boolean;
  onCall?: (call: AwsCall) => void;
  controlPlaneRate?: number;
  /** The quota to draw on, when several sessions of one process share an account and region (a batch of tasks). */
  pacer?: Pacer;
  retry?: RetryPolicy;
}

/**
 * Builds the SDK clients for one environment. SDK retries are off (maxAttempts 1): our own policy in
 * retry.ts is the only one, so retries are counted and bounded in one place.
 */
export function createAwsSession(env: Environment, options: SessionOptions = {}): AwsSession {
  // On Node 20 the SDK's "Node 22 needed for releases after January 2027" notice would print in every
  // task of every deploy; the pinned SDK works there, and the README's Compatibility section says what
  // moving to 22 changes. Later Nodes never get the notice: nothing to silence, and a user's own
  // setting is never overridden.
  if (process.versions.node.startsWith('20.')) process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const base = {
    region: env.region,
    maxAttempts: 1,
    // Checksums only where S3 requires them: a streamed upload then needs no second pass over the file.
    requestChecksumCalculation: 'WHEN_REQUIRED' as const,
    ...(env.endpoint ? { endpoint: env.endpoint, forcePathStyle: true } : {}),
    ...options.clientConfig,
  };
  const recorder = new CallRecorder({ readOnly: options.readOnly, onCall: options.onCall });
  const retryStats = newRetryStats();
  // assumeRole: every client signs with the role's credentials, assumed once with the base ones.
  const config = env.assumeRole ? { ...base, credentials: assumedRoleCredentials(env.assumeRole, env.name, base, retryStats, (client) => recorder.attach(client, 'sts')) } : base;
  const lambdaClient = new (lambdaSdk().LambdaClient)(config);
  recorder.attach(lambdaClient, 'lambda');
  // Clients are made on first use, and IAM's module loaded then too: a no-op deploy reads Lambda only,
  // only the emulator's bootstrap ever needs IAM, and SSM only functions with { "ssm": ... } values.
  const s3 = lazy(() => {
    const client = new (s3Sdk().S3Client)(config);
    recorder.attach(client, 's3');
    return client;
  });
  const iam = lazy(() => {
    const client = new (iamSdk().IAMClient)(config);
    recorder.attach(client, 'iam');
    return client;
  });
  const ssm = lazy(() => {
    const client = new (require('@aws-sdk/client-ssm') as typeof import('@aws-sdk/client-ssm')).SSMClient(config);
    recorder.attach(client, 'ssm');
    return client;
  });
  const cloudwatch = lazy(() => {
    const client = new (require('@aws-sdk/client-cloudwatch') as typeof import('@aws-sdk/client-cloudwatch')).CloudWatchClient(config);
    recorder.attach(client, 'cloudwatch');
    return client;
  });
  const pacer = options.pacer ?? new Pacer(options.controlPlaneRate ?? DEFAULT_CONTROL_PLANE_RATE, 1);
  const store = lazy(() => new S3ArtifactStore(s3(), { retry: options.retry, retryStats }));
  return {
    lambda: new SdkLambdaPort(lambdaClient, { pacer, retry: options.retry, retryStats }),
    get store() {
      return store();
    },
    get iam() {
      return iam();
    },
    get s3() {
      return s3();
    },
    get ssm() {
      return ssm();
    },
    parameters: new SdkParameterReader(ssm, { retry: options.retry, retryStats }),
    aliases: new SdkAliasRouter(lambdaClient, { pacer, retry: options.retry, retryStats }),
    alarms: new SdkAlarmReader(cloudwatch, { retry: options.retry, retryStats }),
    secrets: new SecretValues(),
    recorder,
    retryStats,
  };
}
