import { PutObjectCommand } from '@aws-sdk/client-s3';
import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { startAwsProxy, type AwsProxy } from '../../local-aws/src/proxy/aws-proxy';
import { createFaultInjector } from '../../local-aws/src/proxy/fault-injector';
import type { FaultInjector } from '../../local-aws/src/proxy/faults';
import { publishLockKey } from '../src/apply/publish-lock';
import { ensureEmulatorBucket } from '../src/aws/bootstrap-emulator';
import { deployLayer } from '../src/deploy/deploy-layer';
import { makeWorkspace, packageAll, testContext, uniquePrefix } from './harness';

const files = {
  VERSION: 'core=1.0.0\n',
  'layers/core/layer.json': JSON.stringify({ sources: 'src' }),
  'layers/core/src/core/__init__.py': 'VALUE = 1\n',
};

let proxy: AwsProxy | undefined;
afterEach(async () => {
  await proxy?.stop();
  proxy = undefined;
});

const publishes = (...ctxs: ReturnType<typeof testContext>[]) => ctxs.flatMap((ctx) => ctx.session.recorder.calls.filter((c) => c.command === 'PublishLayerVersion'));
const publishStep = (ctx: ReturnType<typeof testContext>) => ctx.events.find((e) => e.step === 'publish-layer' && e.outcome === 'done');
const publishedArn = (ctx: ReturnType<typeof testContext>) => publishStep(ctx)?.details?.arn;

describe('a layer version is published once per content', () => {
  it('two deploys at once with a bucket: the publish lock lets one publish, the other reuses its version', async () => {
    const root = makeWorkspace(files);
    const prefix = uniquePrefix('concurrent');
    await packageAll(root);
    const [a, b] = [testContext(root, { prefix }), testContext(root, { prefix })];
    await ensureEmulatorBucket(a.session.s3, `${prefix}-artifacts`);
    await Promise.all([deployLayer(a, 'core', []), deployLayer(b, 'core', [])]);

    expect(publishes(a, b)).toHaveLength(1);
    expect(publishedArn(a)).toBe(publishedArn(b));
    expect(await a.session.lambda.listLayerVersions(`${prefix}-core-test`)).toHaveLength(1);
    const loser = publishes(a).length === 1 ? b : a;
    expect(publishStep(loser)?.message).toMatch(/published meanwhile by another deploy: reused/);
  });

  it('two deploys at once without a bucket (no lock possible): the later duplicate is deleted and both use the oldest', async () => {
    const root = makeWorkspace(files);
    const prefix = uniquePrefix('inline');
    await packageAll(root);
    const [a, b] = [testContext(root, { prefix, bucket: null }), testContext(root, { prefix, bucket: null })];
    await Promise.all([deployLayer(a, 'core', []), deployLayer(b, 'core', [])]);

    const versions = await a.session.lambda.listLayerVersions(`${prefix}-core-test`);
    expect(versions).toHaveLength(1);
    expect(publishedArn(a)).toBe(versions[0].arn);
    expect(publishedArn(b)).toBe(versions[0].arn);
  });

  it('a publish retried after its answer was lost leaves one version, not two', async () => {
    const root = makeWorkspace(files);
    const prefix = uniquePrefix('lost');
    await packageAll(root);
    let lost = 0;
    const loseFirstPublish: FaultInjector = {
      before: async (kind) => (kind.operation === 'PublishLayerVersion' && lost++ === 0 ? { loseResponse: { status: 500, name: 'ServiceException', message: 'lost' } } : {}),
      after: () => undefined,
    };
    proxy = await startAwsProxy({ target: inject('motoEndpoint'), faults: loseFirstPublish });
    const ctx = testContext(root, { prefix, endpoint: proxy.endpoint });
    await deployLayer(ctx, 'core', []);

    expect(proxy.requests.filter((r) => r.operation === 'PublishLayerVersion')).toHaveLength(2);
    const versions = await ctx.session.lambda.listLayerVersions(`${prefix}-core-test`);
    expect(versions.map((v) => v.version)).toEqual([1]);
    expect(publishedArn(ctx)).toBe(versions[0].arn);
    expect(publishStep(ctx)?.message).toMatch(/published a duplicate of version 1, deleted it/);
  });

  it('a lock that cannot be released does not fail the publish: a warning says it expires by itself', async () => {
    const root = makeWorkspace(files);
    const prefix = uniquePrefix('norelease');
    await packageAll(root);
    proxy = await startAwsProxy({ target: inject('motoEndpoint'), faults: createFaultInjector({ deny: [{ operation: 'DeleteObject', error: { status: 403, name: 'AccessDenied', message: 'no s3:DeleteObject' } }] }) });
    const ctx = testContext(root, { prefix, endpoint: proxy.endpoint });
    await deployLayer(ctx, 'core', []);
    expect(publishStep(ctx)?.message).toMatch(/^published version 1 /);
    expect(ctx.events.find((e) => e.outcome === 'warning')?.message).toMatch(/could not remove the publish lock s3:\/\/.*\/locks\/layers\/.*-core-test\.json .*: it expires by itself within 5 minutes/);
  });

  it('breaks a lock left by a deploy that died on this machine, and says so', async () => {
    const root = makeWorkspace(files);
    const prefix = uniquePrefix('stale');
    await packageAll(root);
    const ctx = testContext(root, { prefix });
    const bucket = `${prefix}-artifacts`;
    await ensureEmulatorBucket(ctx.session.s3, bucket);
    const dead = { token: 'crashed', host: hostname(), pid: 2 ** 22 + 1, acquiredAt: Date.now(), expiresAt: Date.now() + 600_000 };
    await ctx.session.s3.send(new PutObjectCommand({ Bucket: bucket, Key: publishLockKey(`${prefix}-core-test`), Body: JSON.stringify(dead) }));

    await deployLayer(ctx, 'core', []);
    expect(ctx.events.map((e) => e.message)).toContain(`removed a stale publish lock left by ${hostname()} pid ${dead.pid}`);
    expect(publishes(ctx)).toHaveLength(1);
  });

  it('waits for a live holder, and fails with the lock to delete when it never lets go', async () => {
    const root = makeWorkspace(files);
    const prefix = uniquePrefix('held');
    await packageAll(root);
    const ctx = testContext(root, { prefix });
    const bucket = `${prefix}-artifacts`;
    await ensureEmulatorBucket(ctx.session.s3, bucket);
    const alive = { token: 'other', host: 'build-agent-7', pid: 1234, acquiredAt: Date.now(), expiresAt: Date.now() + 600_000 };
    await ctx.session.s3.send(new PutObjectCommand({ Bucket: bucket, Key: publishLockKey(`${prefix}-core-test`), Body: JSON.stringify(alive) }));
    const { withPublishLock } = await import('../src/apply/publish-lock');
    let waited = 0;
    await expect(withPublishLock(ctx.session.store, bucket, `${prefix}-core-test`, async () => 'ran', { maxWaitMs: 300, pollMs: 50, onWait: () => waited++ })).rejects.toThrow(/build-agent-7 pid 1234/);
    expect(waited).toBe(1);
  });
});
