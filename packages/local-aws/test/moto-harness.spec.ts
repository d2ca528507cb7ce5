import { CreateFunctionCommand, GetFunctionCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateBucketCommand, HeadBucketCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { writeDeterministicZip } from '../../../packages/lambda-deploy/src/artifact/zip-deterministic';
import { localAwsClientConfig } from '../src/local-credentials';
import { isMotoHealthy, motoIdentityAt, resetMoto, startMotoServer } from '../src/moto-server';
import { motoVenvDir } from '../src/venv';
import { REPO_ROOT } from './global-setup';

const endpoint = inject('motoEndpoint');
const venvDir = motoVenvDir(REPO_ROOT);

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

  it('refuses a port where a moto already answers instead of reusing it', async () => {
    const port = Number(new URL(endpoint).port);
    await expect(startMotoServer({ venvDir, port })).rejects.toThrow(`local AWS: port ${port} is already in use by another moto server: choose another port, or none to get a free one`);
  });

  it('starts and stops a second server on a free port, and reset wipes its state', async () => {
    const server = await startMotoServer({ venvDir, workspace: '/some/workspace' });
    try {
      expect(server.endpoint).not.toBe(endpoint);
      // The server itself proves which start it came from: the token chosen here, its pid, its workspace.
      expect(await motoIdentityAt(server.endpoint)).toEqual({ token: server.token, workspace: '/some/workspace', pid: server.pid });
      expect(await motoIdentityAt(endpoint)).not.toMatchObject({ token: server.token });
      const s3 = new S3Client(localAwsClientConfig(server.endpoint));
      await s3.send(new CreateBucketCommand({ Bucket: 'to-be-reset' }));
      await resetMoto(server.endpoint);
      expect((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
    } finally {
      await server.stop();
    }
    expect(await isMotoHealthy(server.endpoint)).toBe(false);
  });

  it("serves requests whatever AWS profile the starting shell names: the caller's AWS_* settings stay out of the emulator", async () => {
    const saved = process.env.AWS_PROFILE;
    process.env.AWS_PROFILE = 'a-profile-this-machine-does-not-have';
    const server = await startMotoServer({ venvDir }).finally(() => {
      if (saved === undefined) delete process.env.AWS_PROFILE;
      else process.env.AWS_PROFILE = saved;
    });
    try {
      const lambda = new LambdaClient(localAwsClientConfig(server.endpoint));
      expect((await lambda.send(new ListFunctionsCommand({}))).Functions).toEqual([]);
    } finally {
      await server.stop();
    }
  });
});
