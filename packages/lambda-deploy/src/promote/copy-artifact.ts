import { createHash } from 'node:crypto';
import { s3Sdk } from '../util/lazy-modules';
import type { AwsSession } from '../aws/clients';
import { toDeployError } from '../aws/aws-error';
import { DEFAULT_RETRY_POLICY, withRetry } from '../aws/retry';
import type { Environment } from '../config/environment';
import { DeployError } from '../errors';
import type { CopyArtifact } from '../plan/types';

/** One environment's side of a promotion: its settings and the clients signed for it. */
export interface EnvironmentSession {
  env: Environment;
  session: AwsSession;
}

/**
 * Copies zips from the source environment's bucket into the target's. With the same credentials
 * (no assumeRole, or the same role, on the same endpoint) S3 copies server-side (CopyObject, any
 * region); across accounts the target's credentials may not read the source bucket, so the zip is
 * read with the source's, checked against its sha256, and written with the target's.
 */
export function artifactCopier(source: EnvironmentSession, target: EnvironmentSession): (action: CopyArtifact) => Promise<void> {
  const sameCredentials = source.env.assumeRole === target.env.assumeRole && source.env.endpoint === target.env.endpoint && source.env.emulator === target.env.emulator;
  return (action) => (sameCredentials ? copyObject(target.session, action) : downloadAndUpload(source.session, target.session, action));
}

async function copyObject(session: AwsSession, action: CopyArtifact): Promise<void> {
  const copySource = `${action.from.bucket}/${action.from.key.split('/').map(encodeURIComponent).join('/')}`;
  try {
    await withRetry(`s3://${action.bucket}/${action.key}: CopyObject`, () => session.s3.send(new (s3Sdk().CopyObjectCommand)({ Bucket: action.bucket, Key: action.key, CopySource: copySource })), DEFAULT_RETRY_POLICY, session.retryStats);
  } catch (error) {
    throw toDeployError(error, 's3:GetObject on the source bucket and s3:PutObject (CopyObject)', `s3://${action.from.bucket}/${action.from.key} -> s3://${action.bucket}/${action.key}`);
  }
}

async function downloadAndUpload(source: AwsSession, target: AwsSession, action: CopyArtifact): Promise<void> {
  let body: Uint8Array;
  try {
    body = await withRetry(`s3://${action.from.bucket}/${action.from.key}: GetObject`, async () => {
      const out = await source.s3.send(new (s3Sdk().GetObjectCommand)({ Bucket: action.from.bucket, Key: action.from.key }));
      return out.Body!.transformToByteArray();
    }, DEFAULT_RETRY_POLICY, source.retryStats);
  } catch (error) {
    throw toDeployError(error, 's3:GetObject (source environment)', `s3://${action.from.bucket}/${action.from.key}`);
  }
  const actual = createHash('sha256').update(body).digest('hex');
  if (actual !== action.sha256) {
    throw new DeployError('PROMOTE_ARTIFACT_CORRUPT', `s3://${action.from.bucket}/${action.from.key} holds sha256:${actual.slice(0, 12)}.., not the sha256:${action.sha256.slice(0, 12)}.. its key names`, `the ${action.from.environment} bucket's copy was changed outside this tool: redeploy ${action.from.environment}, then promote again`);
  }
  try {
    await withRetry(`s3://${action.bucket}/${action.key}: PutObject`, () => target.s3.send(new (s3Sdk().PutObjectCommand)({ Bucket: action.bucket, Key: action.key, Body: body, ContentLength: body.length, ContentType: 'application/zip' })), DEFAULT_RETRY_POLICY, target.retryStats);
  } catch (error) {
    throw toDeployError(error, 's3:PutObject', `s3://${action.bucket}/${action.key}`);
  }
}
