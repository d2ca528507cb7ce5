import { createReadStream, statSync } from 'node:fs';
import { Transform } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { s3Sdk } from '../util/lazy-modules';
import { DeployError } from '../errors';
import { awsErrorCode, httpStatusOf, isNotSupported, toDeployError } from './aws-error';
import type { ArtifactStore, ConditionalResult } from './lambda-port';
import { DEFAULT_RETRY_POLICY, withRetry, type RetryPolicy, type RetryStats } from './retry';

/** Content-addressed artifacts in the environment's bucket: a key is written once and never changes. */
export class S3ArtifactStore implements ArtifactStore {
  /** S3 preconditions this store refused, with the answer that showed it: not sent again this session. */
  private readonly refused: { putIfNoneMatch?: string; deleteIfMatch?: string } = {};

  constructor(
    private readonly client: S3Client,
    private readonly options: { retry?: RetryPolicy; retryStats?: RetryStats } = {},
  ) {}

  async checkBucket(bucket: string, region: string): Promise<void> {
    let actual: string | undefined;
    try {
      actual = (await this.retried(`s3://${bucket}: HeadBucket`, () => this.client.send(new (s3Sdk().HeadBucketCommand)({ Bucket: bucket })))).BucketRegion;
    } catch (error) {
      const status = httpStatusOf(error);
      const actualRegion = (error as { $response?: { headers?: Record<string, string> } }).$response?.headers?.['x-amz-bucket-region'];
      if (status === 404) {
        throw new DeployError('BUCKET_MISSING', `s3://${bucket} does not exist (artifactBucket of this environment)`, `create it in ${region} (e.g. \`aws s3 mb s3://${bucket} --region ${region}\`), or fix "artifactBucket" in nx.json`, error);
      }
      if (status === 301 || (actualRegion && actualRegion !== region)) throw wrongRegion(bucket, actualRegion, region, error);
      throw toDeployError(error, 's3:ListBucket (HeadBucket)', `s3://${bucket}`);
    }
    // S3 may answer a HeadBucket from another region (an endpoint that forwards it) with 200: the header still tells.
    if (actual && actual !== region) throw wrongRegion(bucket, actual, region);
  }

  async exists(bucket: string, key: string): Promise<boolean> {
    try {
      await this.retried(`s3://${bucket}/${key}: HeadObject`, () => this.client.send(new (s3Sdk().HeadObjectCommand)({ Bucket: bucket, Key: key })));
      return true;
    } catch (error) {
      // HeadObject has no body, so a missing key shows only as a 404 status.
      if (httpStatusOf(error) === 404 || awsErrorCode(error) === 'NotFound') return false;
      throw toDeployError(error, 's3:GetObject (HeadObject)', `s3://${bucket}/${key}`);
    }
  }

  async upload(bucket: string, key: string, file: string, onProgress?: (done: number, total: number) => void): Promise<void> {
    const total = statSync(file).size;
    try {
      await this.retried(`s3://${bucket}/${key}: PutObject`, async () => {
        // A fresh stream per attempt: a retried PutObject must resend the whole body. Progress is
        // counted by a pass-through, so the file stream stays paused until the SDK reads it.
        let done = 0;
        const body = createReadStream(file).pipe(
          new Transform({
            transform(chunk: Buffer, _encoding, callback) {
              done += chunk.length;
              onProgress?.(done, total);
              callback(null, chunk);
            },
          }),
        );
        await this.client.send(new (s3Sdk().PutObjectCommand)({ Bucket: bucket, Key: key, Body: body, ContentLength: total, ContentType: 'application/zip' }));
      });
    } catch (error) {
      throw toDeployError(error, 's3:PutObject', `s3://${bucket}/${key}`);
    }
  }

  async createIfAbsent(bucket: string, key: string, body: string): Promise<ConditionalResult> {
    if (!this.refused.putIfNoneMatch) {
      try {
        const out = await this.retried(`s3://${bucket}/${key}: PutObject`, () => this.client.send(new (s3Sdk().PutObjectCommand)({ Bucket: bucket, Key: key, Body: body, IfNoneMatch: '*', ContentType: 'application/json' })));
        return { done: true, etag: out.ETag ?? '*' };
      } catch (error) {
        // 412: the key exists. 409: another conditional write to it is in flight; both mean "taken".
        if (httpStatusOf(error) === 412 || httpStatusOf(error) === 409) return { done: false };
        if (!isNotSupported(error)) throw toDeployError(error, 's3:PutObject', `s3://${bucket}/${key}`);
        this.refused.putIfNoneMatch = answerOf(error);
      }
    }
    return this.createByReadThenWrite(bucket, key, body, this.refused.putIfNoneMatch);
  }

  /** For a store without `If-None-Match`: write only if nothing is there, then read back who won (the last writer). */
  private async createByReadThenWrite(bucket: string, key: string, body: string, withoutCondition: string): Promise<ConditionalResult> {
    if (await this.read(bucket, key)) return { done: false, withoutCondition };
    try {
      await this.retried(`s3://${bucket}/${key}: PutObject`, () => this.client.send(new (s3Sdk().PutObjectCommand)({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' })));
    } catch (error) {
      throw toDeployError(error, 's3:PutObject', `s3://${bucket}/${key}`);
    }
    const back = await this.read(bucket, key);
    return back?.body === body ? { done: true, etag: back.etag, withoutCondition } : { done: false, withoutCondition };
  }

  async read(bucket: string, key: string): Promise<{ body: string; etag: string } | undefined> {
    try {
      const out = await this.retried(`s3://${bucket}/${key}: GetObject`, () => this.client.send(new (s3Sdk().GetObjectCommand)({ Bucket: bucket, Key: key })));
      return { body: (await out.Body?.transformToString('utf8')) ?? '', etag: out.ETag ?? '' };
    } catch (error) {
      if (httpStatusOf(error) === 404 || awsErrorCode(error) === 'NoSuchKey') return undefined;
      throw toDeployError(error, 's3:GetObject', `s3://${bucket}/${key}`);
    }
  }

  async list(bucket: string, prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await this.retried(`s3://${bucket}/${prefix}: ListObjectsV2`, () => this.client.send(new (s3Sdk().ListObjectsV2Command)({ Bucket: bucket, Prefix: prefix, ContinuationToken: token })));
        keys.push(...(page.Contents ?? []).map((object) => object.Key!));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    } catch (error) {
      throw toDeployError(error, 's3:ListBucket', `s3://${bucket}/${prefix}`);
    }
    return keys;
  }

  async deleteIfUnchanged(bucket: string, key: string, etag: string): Promise<ConditionalResult> {
    if (!this.refused.deleteIfMatch) {
      try {
        await this.retried(`s3://${bucket}/${key}: DeleteObject`, () => this.client.send(new (s3Sdk().DeleteObjectCommand)({ Bucket: bucket, Key: key, IfMatch: etag })));
        return { done: true };
      } catch (error) {
        // Replaced or gone meanwhile (412, 404), or a concurrent write to it in flight (409): not ours to delete.
        if ([404, 409, 412].includes(httpStatusOf(error) ?? 0)) return { done: false };
        if (!isNotSupported(error)) throw toDeployError(error, 's3:DeleteObject', `s3://${bucket}/${key}`);
        this.refused.deleteIfMatch = answerOf(error);
      }
    }
    return this.deleteByReadThenDelete(bucket, key, etag, this.refused.deleteIfMatch);
  }

  /** For a store without `If-Match` on deletes: delete only if the object still has this ETag when read. */
  private async deleteByReadThenDelete(bucket: string, key: string, etag: string, withoutCondition: string): Promise<ConditionalResult> {
    const current = await this.etagOf(bucket, key);
    // `*` (a store that gave no ETag on the write) matches whatever is there, as `If-Match: *` would.
    if (current === undefined || (etag !== '*' && unquoted(current) !== unquoted(etag))) return { done: false, withoutCondition };
    try {
      await this.retried(`s3://${bucket}/${key}: DeleteObject`, () => this.client.send(new (s3Sdk().DeleteObjectCommand)({ Bucket: bucket, Key: key })));
    } catch (error) {
      throw toDeployError(error, 's3:DeleteObject', `s3://${bucket}/${key}`);
    }
    return { done: true, withoutCondition };
  }

  private async etagOf(bucket: string, key: string): Promise<string | undefined> {
    try {
      return (await this.retried(`s3://${bucket}/${key}: HeadObject`, () => this.client.send(new (s3Sdk().HeadObjectCommand)({ Bucket: bucket, Key: key })))).ETag ?? '';
    } catch (error) {
      if (httpStatusOf(error) === 404 || awsErrorCode(error) === 'NotFound') return undefined;
      throw toDeployError(error, 's3:GetObject (HeadObject)', `s3://${bucket}/${key}`);
    }
  }

  private retried<T>(label: string, operation: () => Promise<T>): Promise<T> {
    return withRetry(label, operation, this.options.retry ?? DEFAULT_RETRY_POLICY, this.options.retryStats);
  }
}

/** How a store refused a request, for the log: `501 NotImplemented`. */
function answerOf(error: unknown): string {
  return [httpStatusOf(error), awsErrorCode(error)].filter((part) => part !== undefined).join(' ') || String((error as Error)?.message ?? error);
}

// Stores differ on whether an ETag comes quoted.
function unquoted(etag: string): string {
  return etag.replace(/"/g, '');
}

function wrongRegion(bucket: string, actual: string | undefined, region: string, cause?: unknown): DeployError {
  return new DeployError('BUCKET_WRONG_REGION', `s3://${bucket} is in ${actual ?? 'another region'}, the environment deploys to ${region}`, 'Lambda reads layer zips from a bucket in its own region: use a bucket in that region, or fix "region" in nx.json', cause);
}
