import type { Environment } from '../config/environment';

/** `aws`, or `aws-cn` / `aws-us-gov` for regions of those partitions: ARNs must name the right one. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export interface AccountRef {
  /** 12 digits, or `*` when the repo does not say. */
  id: string;
  source: 'accountId' | 'assumeRole' | 'functionRole' | 'unknown';
}

/**
 * The environment's account, without calling AWS: the `accountId` option, else the account of its
 * `functionRole` (Lambda only takes an execution role of the function's own account), else `*` in
 * the account field only, every other part of each ARN staying exact.
 */
export function accountOf(env: Environment): AccountRef {
  if (env.accountId) return { id: env.accountId, source: 'accountId' };
  // Every call of an environment with assumeRole lands in the role's account.
  const assumed = env.assumeRole?.split(':')[4];
  if (assumed && /^\d{12}$/.test(assumed)) return { id: assumed, source: 'assumeRole' };
  const roleAccount = env.functionRole?.split(':')[4];
  if (roleAccount && /^\d{12}$/.test(roleAccount)) return { id: roleAccount, source: 'functionRole' };
  return { id: '*', source: 'unknown' };
}

/** ARN builders for one environment's region and account. */
export function arnsFor(env: Environment, account: string) {
  const lambda = `arn:${partitionOf(env.region)}:lambda:${env.region}:${account}`;
  const s3 = `arn:${partitionOf(env.region)}:s3:::`;
  return {
    function: (name: string) => `${lambda}:function:${name}`,
    /** The layer itself: what ListLayerVersions and PublishLayerVersion are authorised on. */
    layer: (name: string) => `${lambda}:layer:${name}`,
    /** Every version of the layer: GetLayerVersion and DeleteLayerVersion. */
    layerVersions: (name: string) => `${lambda}:layer:${name}:*`,
    bucket: (bucket: string) => `${s3}${bucket}`,
    /** An SSM parameter: its ARN has no slash of its own between `parameter` and a name that starts with one. */
    parameter: (name: string) => `arn:${partitionOf(env.region)}:ssm:${env.region}:${account}:parameter/${name.replace(/^\//, '')}`,
    object: (bucket: string, key: string) => `${s3}${bucket}/${key}`,
  };
}
