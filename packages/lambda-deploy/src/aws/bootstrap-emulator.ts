import type { IAMClient } from '@aws-sdk/client-iam';
import type { S3Client } from '@aws-sdk/client-s3';
import { s3Sdk } from '../util/lazy-modules';
import { awsErrorCode, httpStatusOf, toDeployError } from './aws-error';
import { iamSdk } from '../util/lazy-modules';
import { oncePerKey } from '../util/once';
import type { AwsSession } from './clients';
import { withRetry, type RetryStats } from './retry';

const ASSUME_ROLE_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

/**
 * The emulator starts empty: make the artifact bucket and the execution role that a real account
 * would already have. Only ever called for the emulator environment, and only when a write needs
 * them. Parallel tasks race here (and a retried create may find its own work done), so "already
 * exists" counts as success.
 */
export async function ensureEmulatorBucket(s3: S3Client, bucket: string, stats?: RetryStats): Promise<void> {
  try {
    await withRetry(`s3://${bucket}: HeadBucket`, () => s3.send(new (s3Sdk().HeadBucketCommand)({ Bucket: bucket })), undefined, stats);
    return;
  } catch (error) {
    if (httpStatusOf(error) !== 404) throw toDeployError(error, 's3:ListBucket (HeadBucket)', `s3://${bucket}`);
  }
  try {
    await withRetry(`s3://${bucket}: CreateBucket`, () => s3.send(new (s3Sdk().CreateBucketCommand)({ Bucket: bucket })), undefined, stats);
  } catch (error) {
    if (awsErrorCode(error) !== 'BucketAlreadyOwnedByYou') throw toDeployError(error, 's3:CreateBucket', `s3://${bucket}`);
  }
}

export async function ensureEmulatorRole(iam: IAMClient, roleName: string, stats?: RetryStats): Promise<string> {
  const get = async () => (await withRetry(`${roleName}: GetRole`, () => iam.send(new (iamSdk().GetRoleCommand)({ RoleName: roleName })), undefined, stats)).Role!.Arn!;
  try {
    return await get();
  } catch (error) {
    if (!awsErrorCode(error)?.startsWith('NoSuchEntity') && httpStatusOf(error) !== 404) throw toDeployError(error, 'iam:GetRole', roleName);
  }
  try {
    return (await withRetry(`${roleName}: CreateRole`, () => iam.send(new (iamSdk().CreateRoleCommand)({ RoleName: roleName, AssumeRolePolicyDocument: ASSUME_ROLE_POLICY })), undefined, stats)).Role!.Arn!;
  } catch (error) {
    if (awsErrorCode(error)?.startsWith('EntityAlreadyExists')) return get();
    throw toDeployError(error, 'iam:CreateRole', roleName);
  }
}

/** The emulator's role and artifact bucket for one session, each looked up (or made) once, on first need. */
export function emulatorBootstrap(session: Pick<AwsSession, 's3' | 'iam' | 'retryStats'>, roleName: string): { functionRole: () => Promise<string>; beforeUpload: (bucket: string) => Promise<void> } {
  const role = oncePerKey((name: string) => ensureEmulatorRole(session.iam, name, session.retryStats));
  const bucket = oncePerKey((name: string) => ensureEmulatorBucket(session.s3, name, session.retryStats));
  return { functionRole: () => role(roleName), beforeUpload: bucket };
}
