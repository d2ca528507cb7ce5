import { CreateRoleCommand, GetRoleCommand, type IAMClient } from '@aws-sdk/client-iam';
import { CreateBucketCommand, HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { httpStatusOf } from './aws-error';

const ASSUME_ROLE_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

/**
 * The emulator starts empty: make the artifact bucket and the execution role that a real account
 * would already have. Only ever called for the emulator environment, and only when a write needs them.
 */
export async function ensureEmulatorBucket(s3: S3Client, bucket: string): Promise<void> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch (error) {
    if (httpStatusOf(error) !== 404) throw error;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  }
}

export async function ensureEmulatorRole(iam: IAMClient, roleName: string): Promise<string> {
  try {
    const found = await iam.send(new GetRoleCommand({ RoleName: roleName }));
    return found.Role!.Arn!;
  } catch (error) {
    if ((error as { name?: string }).name !== 'NoSuchEntity' && httpStatusOf(error) !== 404) throw error;
    const created = await iam.send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: ASSUME_ROLE_POLICY }));
    return created.Role!.Arn!;
  }
}
