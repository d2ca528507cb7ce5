import { PutObjectCommand } from '@aws-sdk/client-s3';
import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { startAwsProxy, type AwsProxy } from '../../local-aws/src/proxy/aws-proxy';
import { createFaultInjector, type UnsupportedCondition } from '../../local-aws/src/proxy/fault-injector';
import type { FaultInjector } from '../../local-aws/src/proxy/faults';
import { publishLockKey } from '../src/apply/publish-lock';
import { ensureEmulatorBucket } from '../src/aws/bootstrap-emulator';
import { deployLayer } from '../src/deploy/deploy-layer';
import { makeWorkspace, packageAll, testContext, uniquePrefix, writeFile } from './harness';
import { withPublishLock } from '../src/apply/publish-lock';

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

  it('a publish whose answer is lost twice leaves one version: every copy a lost answer left is deleted, not only the last', async () => {
    const root = makeWorkspace(files);
    const prefix = uniquePrefix('lost2');
    await packageAll(root);
    // The first delete's answer is lost too: its retry finds the version gone.
    const failCalls = [
      { operation: 'PublishLayerVersion', calls: [1, 2], fault: 'lose' as const },
      { operation: 'DeleteLayerVersion', calls: [1], fault: 'lose' as const },
    ];
    proxy = await startAwsProxy({ target: inject('motoEndpoint'), faults: createFaultInjector({ failCalls }) });
    const ctx = testContext(root, { prefix, endpoint: proxy.endpoint });
    await deployLayer(ctx, 'core', []);

    // Three writes reached Lambda (versions 1, 2, 3); only the third answer came back.
    expect(proxy.requests.filter((r) => r.operation === 'PublishLayerVersion').map((r) => r.status)).toEqual([201, 201, 201]);
    const versions = await ctx.session.lambda.listLayerVersions(`${prefix}-core-test`);
    expect(versions.map((v) => v.version)).toEqual([1]);
    expect(publishedArn(ctx)).toBe(versions[0].arn);
    expect(publishStep(ctx)?.message).toBe(`published a duplicate of version 1, deleted it: reused ${versions[0].arn}; also deleted version 2, another copy of the same content`);
    expect(proxy.requests.filter((r) => r.operation === 'DeleteLayerVersion').map((r) => r.path.split('/').pop())).toEqual(['2', '2', '3']);
  });

  it('a duplicate whose delete failed fails the run, and the rerun deletes it and says so', async () => {
    const root = makeWorkspace(files);
    const prefix = uniquePrefix('leftdup');
    await packageAll(root);
    // Version 1's answer is lost, the retry publishes version 2, whose delete is refused until the attempts run out.
    const attempts = Array.from({ length: 10 }, (_, i) => i + 1);
    proxy = await startAwsProxy({ target: inject('motoEndpoint'), faults: createFaultInjector({ failCalls: [{ operation: 'PublishLayerVersion', calls: [1], fault: 'lose' }, { operation: 'DeleteLayerVersion', calls: attempts, fault: 'refuse' }] }) });
    const retry = { maxAttempts: 10, baseDelayMs: 1, maxDelayMs: 1, maxTotalDelayMs: 1000 };
    const first = testContext(root, { prefix, endpoint: proxy.endpoint, session: { retry } });
    await expect(deployLayer(first, 'core', [])).rejects.toThrow(/DeleteLayerVersion/);
    expect((await first.session.lambda.listLayerVersions(`${prefix}-core-test`)).map((v) => v.version)).toEqual([2, 1]);

    const rerun = testContext(root, { prefix, endpoint: proxy.endpoint });
    await deployLayer(rerun, 'core', []);
    expect((await rerun.session.lambda.listLayerVersions(`${prefix}-core-test`)).map((v) => v.version)).toEqual([1]);
    expect(messages(rerun).filter((m) => m.startsWith('plan '))).toEqual([expect.stringMatching(/^plan delete-layer-duplicates: version 2 holds the same 1\.0\.0 sha256:[0-9a-f]{12}\.\. as version 1, which deploys use \(left by a run that stopped before deleting it\)$/)]);
    expect(rerun.events.find((e) => e.step === 'delete-layer-duplicates')).toMatchObject({ outcome: 'done', message: 'deleted version 2, a duplicate of version 1' });
    expect(publishes(rerun)).toHaveLength(0);
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
    expect(ctx.events.map((e) => e.message)).toContain(`removed a stale publish lock left by ${hostname()} pid ${dead.pid} (its process is gone)`);
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
    let waited = 0;
    await expect(withPublishLock(ctx.session.store, bucket, `${prefix}-core-test`, async () => 'ran', { maxWaitMs: 300, pollMs: 50, onWait: () => waited++ })).rejects.toThrow(/build-agent-7 pid 1234/);
    expect(waited).toBe(1);
  });
});

/** A lock body as another deploy writes it. */
const holderBody = (over: Partial<{ token: string; host: string; pid: number; acquiredAt: number; expiresAt: number }>) => JSON.stringify({ token: 'other', host: 'build-agent-7', pid: 1234, acquiredAt: Date.now(), expiresAt: Date.now() + 600_000, ...over });
const conditionalDeletes = (p: AwsProxy) => p.requests.filter((r) => r.operation === 'DeleteObject' && r.condition === 'If-Match');
const messages = (ctx: ReturnType<typeof testContext>) => ctx.events.map((e) => e.message ?? '');
const REFUSED = { 'answer-501': '501 NotImplemented', 'answer-400': '400 InvalidArgument' } as const;

describe('on S3-compatible stores without conditional deletes, the lock still serialises publishes and never stays behind', () => {
  it.each(['answer-501', 'answer-400', 'ignore'] as UnsupportedCondition[])('DeleteObject If-Match %s: two publishes in one session release the lock each time, the refused call is sent once and never retried', async (mode) => {
    const root = makeWorkspace(files);
    const prefix = uniquePrefix(`nodelete-${mode}`);
    await packageAll(root);
    proxy = await startAwsProxy({ target: inject('motoEndpoint'), faults: createFaultInjector({ unsupportedConditions: { delete: mode } }) });
    const ctx = testContext(root, { prefix, endpoint: proxy.endpoint });
    const bucket = `${prefix}-artifacts`;
    const lockKey = publishLockKey(`${prefix}-core-test`);

    await deployLayer(ctx, 'core', []);
    expect(await ctx.session.store.read(bucket, lockKey)).toBeUndefined();
    writeFile(root, 'layers/core/src/core/__init__.py', 'VALUE = 2\n');
    await packageAll(root);
    await deployLayer(ctx, 'core', []);
    expect(await ctx.session.store.read(bucket, lockKey)).toBeUndefined();

    expect((await ctx.session.lambda.listLayerVersions(`${prefix}-core-test`)).map((v) => v.version).sort()).toEqual([1, 2]);
    expect(ctx.session.retryStats.retries).toBe(0);
    const released = messages(ctx).filter((m) => m.startsWith('released the publish lock'));
    if (mode === 'ignore') {
      // The store deleted without looking at the condition: nothing to notice, nothing left behind.
      expect(conditionalDeletes(proxy)).toHaveLength(2);
      expect(released).toEqual([]);
    } else {
      // Refused once, remembered: the second release reads then deletes without asking again.
      expect(conditionalDeletes(proxy).map((r) => r.status)).toEqual([mode === 'answer-501' ? 501 : 400]);
      expect(released).toEqual(Array(2).fill(`released the publish lock by reading it back (still ours) then deleting it (the store refused a conditional delete, DeleteObject If-Match: ${REFUSED[mode]})`));
      // In order, each after it happened: the release is part of the publish step, whose line ends it.
      const order = messages(ctx).filter((m) => /^(published version|released the publish lock)/.test(m)).map((m) => m.split(' ')[0]);
      expect(order).toEqual(['released', 'published', 'released', 'published']);
    }
  });

  it.each([
    ['left by a deploy that died on this machine', { host: hostname(), pid: 2 ** 22 + 1 }, 'its process is gone'],
    ['expired, from another machine', { acquiredAt: Date.now() - 600_000, expiresAt: Date.now() - 300_000 }, 'expired at'],
  ])('a stale lock %s is broken on a store answering 501, and said so only once removed', async (_label, holder, why) => {
    const root = makeWorkspace(files);
    const prefix = uniquePrefix('stale501');
    await packageAll(root);
    proxy = await startAwsProxy({ target: inject('motoEndpoint'), faults: createFaultInjector({ unsupportedConditions: { delete: 'answer-501' } }) });
    const ctx = testContext(root, { prefix, endpoint: proxy.endpoint });
    const bucket = `${prefix}-artifacts`;
    const lockKey = publishLockKey(`${prefix}-core-test`);
    await ensureEmulatorBucket(ctx.session.s3, bucket);
    await ctx.session.s3.send(new PutObjectCommand({ Bucket: bucket, Key: lockKey, Body: holderBody(holder) }));

    await deployLayer(ctx, 'core', []);
    const steps = messages(ctx).filter((m) => /^(removed a stale|published version|released the publish lock)/.test(m));
    expect(steps[0]).toMatch(new RegExp(`^removed a stale publish lock left by .* pid \\d+ \\(${why}.*\\), by reading it back unchanged then deleting it \\(the store refused a conditional delete, DeleteObject If-Match: 501 NotImplemented\\)$`));
    expect(steps.slice(1).map((m) => m.split(' ')[0])).toEqual(['released', 'published']);
    expect(publishes(ctx)).toHaveLength(1);
    expect(await ctx.session.store.read(bucket, lockKey)).toBeUndefined();
    expect(conditionalDeletes(proxy)).toHaveLength(1);
    expect(ctx.session.retryStats.retries).toBe(0);
  });

  it('the read-then-delete release leaves alone a lock that another deploy holds by then', async () => {
    const prefix = uniquePrefix('notours');
    proxy = await startAwsProxy({ target: inject('motoEndpoint'), faults: createFaultInjector({ unsupportedConditions: { delete: 'answer-501' } }) });
    const ctx = testContext(makeWorkspace(files), { prefix, endpoint: proxy.endpoint });
    const bucket = `${prefix}-artifacts`;
    const lockKey = publishLockKey(`${prefix}-core-test`);
    await ensureEmulatorBucket(ctx.session.s3, bucket);
    const other = holderBody({ token: 'took-over' });
    const released: unknown[] = [];
    await withPublishLock(ctx.session.store, bucket, `${prefix}-core-test`, async () => {
      // What a deploy that broke our lock (we outlived its TTL) and took it would leave.
      await ctx.session.s3.send(new PutObjectCommand({ Bucket: bucket, Key: lockKey, Body: other }));
    }, { onReleased: (result) => released.push(result) });
    expect((await ctx.session.store.read(bucket, lockKey))?.body).toBe(other);
    expect(released).toEqual([{ done: false, withoutCondition: '501 NotImplemented' }]);
  });

  it('a stale lock that cannot be removed stops the run with the object to delete and why that is safe, before any publish', async () => {
    const root = makeWorkspace(files);
    const prefix = uniquePrefix('stuck');
    await packageAll(root);
    proxy = await startAwsProxy({
      target: inject('motoEndpoint'),
      faults: createFaultInjector({ unsupportedConditions: { delete: 'answer-501' }, deny: [{ operation: 'DeleteObject', error: { status: 403, name: 'AccessDenied', message: 'no s3:DeleteObject' } }] }),
    });
    const ctx = testContext(root, { prefix, endpoint: proxy.endpoint });
    const bucket = `${prefix}-artifacts`;
    const lockKey = publishLockKey(`${prefix}-core-test`);
    await ensureEmulatorBucket(ctx.session.s3, bucket);
    await ctx.session.s3.send(new PutObjectCommand({ Bucket: bucket, Key: lockKey, Body: holderBody({ host: hostname(), pid: 2 ** 22 + 1 }) }));

    await expect(deployLayer(ctx, 'core', [])).rejects.toMatchObject({
      code: 'LOCK_STUCK',
      message: expect.stringContaining(`cannot remove the stale publish lock s3://${bucket}/${lockKey} left by ${hostname()} pid ${2 ** 22 + 1} (its process is gone)`),
      hint: expect.stringMatching(new RegExp(`^delete it by hand \\(\`aws s3 rm s3://${bucket}/${lockKey}\`\\) and rerun\\. That is safe: no deploy is publishing under it`)),
    });
    expect(messages(ctx).filter((m) => m.startsWith('removed a stale'))).toEqual([]);
    expect(publishes(ctx)).toHaveLength(0);
  });

  it.each(['answer-501', 'answer-400', 'ignore'] as UnsupportedCondition[])('PutObject If-None-Match %s: two deploys at once still leave one version and no lock', async (mode) => {
    const root = makeWorkspace(files);
    const prefix = uniquePrefix(`noput-${mode}`);
    await packageAll(root);
    proxy = await startAwsProxy({ target: inject('motoEndpoint'), faults: createFaultInjector({ unsupportedConditions: { put: mode } }) });
    const [a, b] = [testContext(root, { prefix, endpoint: proxy.endpoint }), testContext(root, { prefix, endpoint: proxy.endpoint })];
    await ensureEmulatorBucket(a.session.s3, `${prefix}-artifacts`);
    await Promise.all([deployLayer(a, 'core', []), deployLayer(b, 'core', [])]);

    const versions = await a.session.lambda.listLayerVersions(`${prefix}-core-test`);
    expect(versions).toHaveLength(1);
    expect(publishedArn(a)).toBe(versions[0].arn);
    expect(publishedArn(b)).toBe(versions[0].arn);
    expect(await a.session.store.read(`${prefix}-artifacts`, publishLockKey(`${prefix}-core-test`))).toBeUndefined();
    expect(a.session.retryStats.retries + b.session.retryStats.retries).toBe(0);
    if (mode !== 'ignore') {
      const took = [...messages(a), ...messages(b)].filter((m) => m.startsWith('took the publish lock'));
      expect(took.length).toBeGreaterThan(0);
      expect(took[0]).toContain(`the store refused a conditional write (PutObject If-None-Match: ${REFUSED[mode]})`);
      // Each session sends the refused condition at most once.
      expect(proxy.requests.filter((r) => r.operation === 'PutObject' && r.condition === 'If-None-Match').length).toBeLessThanOrEqual(2);
    }
  });
});
