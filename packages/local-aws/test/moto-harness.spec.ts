import { CreateFunctionCommand, GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateBucketCommand, HeadBucketCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { writeDeterministicZip } from '../../../packages/lambda-deploy/src/artifact/zip-deterministic';
import { localAwsClientConfig } from '../src/local-credentials';
import { isMotoHealthy, resetMoto, startMotoServer } from '../src/moto-server';

const endpoint = inject('motoEndpoint');

describe('the moto harness', () => {
  it('serves S3, IAM and Lambda through the SDK: a created function reports the CodeSha256 of its zip', async () => {
    const config = localAwsClientConfig(endpoint);
    const s3 = new S3Client(config);
    const iam = new IAMClient(config);
    const lambda = new LambdaClient(config);
    await s3.send(new CreateBucketCommand({ Bucket: 'harness-bucket' }));
    await s3.send(new HeadBucketCommand({ Bucket: 'harness-bucket' }));
    const role = await iam.send(new CreateRoleCommand({ RoleName: 'harness-role', AssumeRolePolicyDocument: '{}' }));
    const dir = mkdtempSync(join(tmpdir(), 'harness-'));
    writeFileSync(join(dir, 'handler.py'), 'def handler(event, context):\n    return 1\n');
    const zip = join(dir, 'f.zip');
    await writeDeterministicZip([{ path: 'handler.py', absPath: join(dir, 'handler.py'), mode: 0o644, size: 42 }], zip);
    const bytes = readFileSync(zip);
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'harness-fn', Runtime: 'python3.12', Handler: 'handler.handler', Role: role.Role!.Arn!, Code: { ZipFile: bytes } }));
    const fn = await lambda.send(new GetFunctionCommand({ FunctionName: 'harness-fn' }));
    expect(fn.Configuration?.CodeSha256).toBe(createHash('sha256').update(bytes).digest('base64'));
  });

  it('reuses a healthy server on a given port instead of starting another', async () => {
    const port = Number(new URL(endpoint).port);
    const reused = await startMotoServer({ port });
    expect(reused).toMatchObject({ startedByUs: false, endpoint });
  });

  it('starts and stops a second server on a free port, and reset wipes its state', async () => {
    const server = await startMotoServer({});
    try {
      expect(server.startedByUs).toBe(true);
      const s3 = new S3Client(localAwsClientConfig(server.endpoint));
      await s3.send(new CreateBucketCommand({ Bucket: 'to-be-reset' }));
      await resetMoto(server.endpoint);
      expect((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
    } finally {
      await server.stop();
    }
    expect(await isMotoHealthy(server.endpoint)).toBe(false);
  });
});
