import type { SSMClient } from '@aws-sdk/client-ssm';
import { toDeployError } from './aws-error';
import { DEFAULT_RETRY_POLICY, withRetry, type RetryPolicy, type RetryStats } from './retry';

export interface ParameterValue {
  name: string;
  version: number;
  value: string;
}

/** Reads SSM parameters with their values decrypted; the values go back to the caller only, never to a log. */
export interface ParameterReader {
  /**
   * Each of `names` (`/a/b`, or `/a/b:3` for one version), in batches of ten (GetParameters' limit).
   * `missing` lists the names SSM does not know; other failures throw.
   */
  read(names: string[]): Promise<{ found: ParameterValue[]; missing: string[] }>;
}

const BATCH = 10;

/**
 * ParameterReader over the SDK. Not paced by the Lambda control-plane pacer: SSM has its own quota
 * (GetParameters, 40/s by default), which a deploy's few reads stay far below; throttling is still retried.
 */
export class SdkParameterReader implements ParameterReader {
  constructor(
    private readonly client: () => SSMClient,
    private readonly options: { retry?: RetryPolicy; retryStats?: RetryStats } = {},
  ) {}

  async read(names: string[]): Promise<{ found: ParameterValue[]; missing: string[] }> {
    const { GetParametersCommand } = require('@aws-sdk/client-ssm') as typeof import('@aws-sdk/client-ssm');
    const unique = [...new Set(names)];
    const found: ParameterValue[] = [];
    const missing: string[] = [];
    for (let start = 0; start < unique.length; start += BATCH) {
      const batch = unique.slice(start, start + BATCH);
      const subject = batch.length === 1 ? batch[0] : `${batch.length} parameters`;
      try {
        const out = await withRetry(`${subject}: ssm:GetParameters`, () => this.client().send(new GetParametersCommand({ Names: batch, WithDecryption: true })), this.options.retry ?? DEFAULT_RETRY_POLICY, this.options.retryStats);
        for (const p of out.Parameters ?? []) found.push({ name: p.Name!, version: p.Version!, value: p.Value ?? '' });
        missing.push(...(out.InvalidParameters ?? []));
      } catch (error) {
        throw toDeployError(error, 'ssm:GetParameters', subject);
      }
    }
    return { found, missing };
  }
}
