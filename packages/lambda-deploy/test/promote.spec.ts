import { createHash } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { deployFunction } from '../src/deploy/deploy-function';
import { deployLayer } from '../src/deploy/deploy-layer';
import { codeArtifactKey } from '../src/history/history-record';
import { HistoryStore } from '../src/history/history-store';
import { parseLayerDescription } from '../src/plan/layer-description';
import { checkPromotion } from '../src/promote/check-promotion';
import { artifactCopier } from '../src/promote/copy-artifact';
import { promoteFunction } from '../src/promote/promote-function';
import { promoteLayer } from '../src/promote/promote-layer';
import type { PromoteOptions } from '../src/promote/promote-options';
import { contentWrites, makeWorkspace, ONE_LAYER_TWO_FUNCTIONS, packageAll, testContext, uniquePrefix, writeFile, type TestContext } from './harness';

const FUNCTIONS = ['fn-a', 'fn-b'];

function contexts(root: string, prefix: string, options: { dryRun?: boolean } = {}) {
  const dev = testContext(root, { prefix, environment: 'dev', bucket: `${prefix}-dev` });
  const staging = testContext(root, { prefix, environment: 'staging', bucket: `${prefix}-staging`, dryRun: options.dryRun });
  return { dev, staging, from: { from: { env: dev.env, session: dev.session }, commit: '0123456789abcdef0123' } satisfies PromoteOptions };
}

async function deployDev(root: string, prefix: string): Promise<void> {
  await packageAll(root);
  const { dev } = contexts(root, prefix);
  await deployLayer(dev, 'core', []);
  for (const fn of FUNCTIONS) await deployFunction(dev, fn, { layersOnly: false });
}

/** What one promote task of a run does (each in its own process): the run-wide read-only check, then its own promotion. */
async function promoteTask(staging: TestContext, project: string, run: string[], options: PromoteOptions): Promise<unknown> {
  await checkPromotion(staging, run, options);
  return staging.workspace.layers.has(project) ? promoteLayer(staging, project, options) : promoteFunction(staging, project, options);
}

/** What `nx run-many -t promote` does: the layer first (^promote), then each function. */
async function promoteAll(staging: TestContext, options: PromoteOptions): Promise<void> {
  const run = ['core', ...FUNCTIONS];
  for (const project of run) await promoteTask(staging, project, run, options);
}

async function runs(ctx: TestContext, fn: string) {
  const state = (await ctx.session.lambda.getFunction(`${ctx.env.namePrefix}-${fn}-${ctx.env.name}`))!;
  const layers = await Promise.all(state.layers.map(async (arn) => {
    const [name, version] = arn.split(':').slice(-2);
    return (await ctx.session.lambda.getLayerVersion(name, Number(version)))!.description;
  }));
  return { code: state.codeSha256, content: layers.map((description) => parseLayerDescription(description)!.sha256), descriptions: layers };
}

describe('promote against moto', () => {
  it('copies the exact code and layer content dev runs to staging, builds nothing, records provenance; a rerun writes nothing', async () => {
    const root = makeWorkspace(ONE_LAYER_TWO_FUNCTIONS);
    const prefix = uniquePrefix('promote');
    await deployDev(root, prefix);
    // The repo moves on and nothing is packaged: promotion must neither need nor use the local zips.
    writeFile(root, 'layers/core/src/core.py', 'V = 2\n');
    writeFile(root, 'lambdas/fn-a/handler.py', 'def handler(e, c):\n    return 99\n');
    rmSync(join(root, 'dist'), { recursive: true, force: true });

    const dry = contexts(root, prefix, { dryRun: true });
    await promoteAll(dry.staging, dry.from);
    expect(dry.staging.session.recorder.writes()).toEqual([]);
    expect(dry.staging.events.filter((e) => e.step === 'plan').map((e) => e.message.split(':')[0])).toEqual([
      'plan copy-artifact', 'plan publish-layer',
      'plan copy-artifact', 'plan create-function',
      'plan copy-artifact', 'plan create-function',
    ]);

    const { dev, staging, from } = contexts(root, prefix);
    await promoteAll(staging, from);
    for (const fn of FUNCTIONS) {
      const [source, target] = [await runs(dev, fn), await runs(staging, fn)];
      expect(target.code).toBe(source.code);
      expect(target.content).toEqual(source.content);
      expect(target.descriptions[0]).toBe(`${source.descriptions[0]} from=dev commit=0123456789ab`);
    }
    // Server-side copies (same credentials): the layer zip and both code zips.
    expect(staging.session.recorder.writes().filter((c) => c.command === 'CopyObject')).toHaveLength(3);
    const history = await new HistoryStore(staging.session.store, `${prefix}-staging`).list(`${prefix}-fn-a-staging`);
    expect(history.map((r) => [r.kind, r.provenance])).toEqual([['promote', { from: 'dev', contentHash: `sha256:${Buffer.from((await runs(dev, 'fn-a')).code, 'base64').toString('hex')}`, commit: '0123456789abcdef0123' }]]);

    const again = contexts(root, prefix);
    await promoteAll(again.staging, again.from);
    expect(again.staging.session.recorder.writes()).toEqual([]);
    expect(again.staging.events.filter((e) => e.outcome === 'unchanged').map((e) => e.project)).toEqual(['core', 'fn-a', 'fn-b']);
  });

  it('refuses, writing nothing, when a function in dev was changed by hand (configuration or code)', async () => {
    const root = makeWorkspace(ONE_LAYER_TWO_FUNCTIONS);
    const prefix = uniquePrefix('promote-drift');
    await deployDev(root, prefix);
    const { dev } = contexts(root, prefix);
    await dev.session.lambda.updateFunctionConfiguration(`${prefix}-fn-a-dev`, { memory: 512 });

    const byConfig = contexts(root, prefix);
    await expect(promoteLayer(byConfig.staging, 'core', byConfig.from)).rejects.toMatchObject({ code: 'PROMOTE_DRIFT', message: expect.stringContaining(`${prefix}-fn-a-dev (fn-a): configuration changed since deploy `) });
    await expect(promoteFunction(byConfig.staging, 'fn-a', byConfig.from)).rejects.toMatchObject({ code: 'PROMOTE_DRIFT', hint: expect.stringContaining('nx run-many -t deploy -p fn-a -c dev') });
    expect(byConfig.staging.session.recorder.writes()).toEqual([]);

    await deployFunction(dev, 'fn-a', { layersOnly: false });
    await dev.session.lambda.updateFunctionCode(`${prefix}-fn-b-dev`, { zipFile: Buffer.from('UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==', 'base64') }, 'x86_64');
    const byCode = contexts(root, prefix);
    await expect(promoteFunction(byCode.staging, 'fn-b', byCode.from)).rejects.toMatchObject({ code: 'PROMOTE_DRIFT', message: expect.stringMatching(/fn-b-dev \(fn-b\): code .* is not the .* of deploy /) });
    expect(byCode.staging.session.recorder.writes()).toEqual([]);
    // fn-a is back in line, so it alone could go; the layer's promote still refuses while fn-b (a user of it) drifts.
    await expect(promoteLayer(byCode.staging, 'core', byCode.from)).rejects.toMatchObject({ code: 'PROMOTE_DRIFT' });
    expect(contentWrites(byCode.staging)).toEqual([]);
  });

  it('across credentials copies by download, sha256 check and upload, refusing a zip that is not what its key names', async () => {
    const prefix = uniquePrefix('promote-copy');
    const { dev, staging } = contexts(makeWorkspace(ONE_LAYER_TWO_FUNCTIONS), prefix);
    for (const ctx of [dev, staging]) await ctx.beforeUpload!(ctx.env.artifactBucket!);
    const zip = join(tmpdir(), `${prefix}.zip`);
    writeFileSync(zip, 'zip bytes');
    const sha256 = createHash('sha256').update('zip bytes').digest('hex');
    await dev.session.store.upload(`${prefix}-dev`, `layers/core/${sha256}.zip`, zip);
    // Another role for dev: the target's credentials may not read dev's bucket, so no CopyObject.
    const copy = artifactCopier({ env: { ...dev.env, assumeRole: 'arn:aws:iam::111122223333:role/dev-deployer' }, session: dev.session }, staging);
    const action = { kind: 'copy-artifact' as const, project: 'core', reason: '', from: { environment: 'dev', bucket: `${prefix}-dev`, key: `layers/core/${sha256}.zip` }, bucket: `${prefix}-staging`, key: `layers/core/${sha256}.zip`, sha256 };
    await copy(action);
    expect(await staging.session.store.read(`${prefix}-staging`, action.key)).toMatchObject({ body: 'zip bytes' });
    expect(staging.session.recorder.writes().map((c) => c.command)).toEqual(['CreateBucket', 'PutObject']);

    await expect(copy({ ...action, sha256: 'b'.repeat(64), key: 'layers/core/other.zip' })).rejects.toMatchObject({ code: 'PROMOTE_ARTIFACT_CORRUPT' });
    expect(await staging.session.store.exists(`${prefix}-staging`, 'layers/core/other.zip')).toBe(false);
  });

  it('refuses every task of a run, writing nothing, when one function drifted: a layerless function too, whichever task starts first', async () => {
    const root = makeWorkspace({
      ...ONE_LAYER_TWO_FUNCTIONS,
      'lambdas/solo/function.json': JSON.stringify({ runtime: 'python3.12', handler: 'handler.handler', layers: [] }),
      'lambdas/solo/handler.py': 'def handler(e, c):\n    return 3\n',
    });
    const prefix = uniquePrefix('promote-run');
    await deployDev(root, prefix);
    const { dev } = contexts(root, prefix);
    await deployFunction(dev, 'solo', { layersOnly: false });
    await dev.session.lambda.updateFunctionConfiguration(`${prefix}-fn-b-dev`, { timeout: 42 });

    // solo has no ^promote dependency: Nx starts it alongside the layer, in its own process.
    const run = ['core', ...FUNCTIONS, 'solo'];
    const { staging, from } = contexts(root, prefix);
    for (const project of ['solo', 'core', 'fn-a', 'fn-b']) {
      await expect(promoteTask(staging, project, run, from), project).rejects.toMatchObject({ code: 'PROMOTE_DRIFT', message: expect.stringContaining(`${prefix}-fn-b-dev (fn-b): configuration changed`) });
    }
    expect(staging.session.recorder.writes()).toEqual([]);
  });

  it("refuses a function the target cannot run (another runtime) in the layer's task, before the layer publishes", async () => {
    const root = makeWorkspace(ONE_LAYER_TWO_FUNCTIONS);
    const prefix = uniquePrefix('promote-incompatible');
    await deployDev(root, prefix);
    writeFile(root, 'lambdas/fn-a/function.json', JSON.stringify({ runtime: 'python3.12', handler: 'handler.handler', layers: ['core'], environments: { staging: { runtime: 'python3.13' } } }));

    const { staging, from } = contexts(root, prefix);
    await expect(promoteTask(staging, 'core', ['core', ...FUNCTIONS], from)).rejects.toMatchObject({ code: 'PROMOTE_INCOMPATIBLE', message: expect.stringContaining('runs python3.12 in dev, the repo says python3.13 for staging') });
    expect(staging.session.recorder.writes()).toEqual([]);
    // Without the run-wide check the layer's own promotion has nothing against it: it publishes.
    await promoteLayer(staging, 'core', from);
    expect(contentWrites(staging).map((c) => c.command)).toContain('PublishLayerVersion');
  });

  it('refuses a copy whose bytes are not what dev runs, naming the key: the layer version is deleted, the function says what it now runs, and deleting the object lets a rerun converge', async () => {
    const root = makeWorkspace(ONE_LAYER_TWO_FUNCTIONS);
    const prefix = uniquePrefix('promote-corrupt');
    await deployDev(root, prefix);
    const { dev, staging, from } = contexts(root, prefix);
    const bucket = `${prefix}-staging`;
    const [layerKey] = await dev.session.store.list(`${prefix}-dev`, 'layers/core/');
    const codeKey = codeArtifactKey('fn-a', (await runs(dev, 'fn-a')).code);
    // Another zip already under the keys in staging's bucket: content-addressed, so it is never copied again.
    const wrong = join(tmpdir(), `${prefix}-wrong.zip`);
    writeFileSync(wrong, Buffer.from('UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==', 'base64'));
    await staging.beforeUpload!(bucket);
    for (const key of [layerKey, codeKey]) await staging.session.store.upload(bucket, key, wrong);
    const removeObject = (key: string) => staging.session.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));

    await expect(promoteLayer(staging, 'core', from)).rejects.toMatchObject({ code: 'PROMOTE_ARTIFACT_CORRUPT', message: expect.stringContaining(`s3://${bucket}/${layerKey}`), hint: expect.stringContaining(`delete s3://${bucket}/${layerKey}`) });
    expect(await staging.session.lambda.listLayerVersions(`${prefix}-core-staging`)).toEqual([]);
    await removeObject(layerKey);
    await promoteLayer(staging, 'core', from);

    const refused = expect(promoteFunction(staging, 'fn-a', from)).rejects;
    await refused.toMatchObject({ code: 'PROMOTE_ARTIFACT_CORRUPT', message: expect.stringContaining(`${prefix}-fn-a-staging in staging now runs`), hint: expect.stringContaining(`delete s3://${bucket}/${codeKey}`) });
    const history = new HistoryStore(staging.session.store, bucket);
    expect((await history.latest(`${prefix}-fn-a-staging`))?.provenance).toBeUndefined();
    await removeObject(codeKey);
    await promoteFunction(staging, 'fn-a', from);
    expect((await runs(staging, 'fn-a')).code).toBe((await runs(dev, 'fn-a')).code);
    expect((await history.latest(`${prefix}-fn-a-staging`))?.provenance).toMatchObject({ from: 'dev' });
  });
});
