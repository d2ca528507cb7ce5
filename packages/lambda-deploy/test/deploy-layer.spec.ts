import { GetObjectCommand } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readManifest } from '../src/artifact/manifest';
import { manifestPathOf } from '../src/config/artifact-paths';
import { deployLayer } from '../src/deploy/deploy-layer';
import { contentWrites, makeWorkspace, packageAll, testContext, uniquePrefix, writeFile } from './harness';

const files = {
  VERSION: 'core=1.0.0\n',
  'layers/core/layer.json': JSON.stringify({ sources: 'src' }),
  'layers/core/src/core/__init__.py': 'VALUE = 1\n',
};

describe('deployLayer against moto', () => {
  it('publishes version 1, then nothing on a rerun, then 2 on a source change, then 3 on a VERSION bump alone', async () => {
    const root = makeWorkspace(files);
    const prefix = uniquePrefix('layer');
    await packageAll(root);

    const first = testContext(root, { prefix });
    await deployLayer(first, 'core', []);
    expect(first.events.find((e) => e.step === 'publish-layer')?.message).toMatch(/^published version 1 /);

    const rerun = testContext(root, { prefix });
    await deployLayer(rerun, 'core', []);
    expect(rerun.session.recorder.writes()).toEqual([]);
    expect(rerun.session.recorder.counts()).toEqual({ ListLayerVersions: 1 });
    expect(rerun.events.map((e) => e.message)).toEqual([expect.stringMatching(/^unchanged: version 1 holds 1\.0\.0 sha256:/)]);

    writeFile(root, 'layers/core/src/core/__init__.py', 'VALUE = 2\n');
    await packageAll(root);
    const changed = testContext(root, { prefix });
    await deployLayer(changed, 'core', []);
    expect(changed.events.find((e) => e.step === 'publish-layer')?.message).toMatch(/^published version 2 /);

    writeFile(root, 'VERSION', 'core=1.0.1\n');
    const bumped = testContext(root, { prefix });
    await deployLayer(bumped, 'core', []);
    // Same content: the artifact is already in S3, so the bump publishes without uploading again.
    expect(contentWrites(bumped).map((c) => c.command)).toEqual(['PublishLayerVersion']);
    expect(bumped.events.find((e) => e.step === 'publish-layer')?.message).toMatch(/^published version 3 /);

    const versions = await bumped.session.lambda.listLayerVersions(`${prefix}-core-test`);
    expect(versions.map((v) => [v.version, v.description.split(' ').slice(0, 2).join(' ')])).toEqual([
      [3, 'core 1.0.1'],
      [2, 'core 1.0.0'],
      [1, 'core 1.0.0'],
    ]);
  });

  it('uploads the zip to its content-addressed key, and the object hashes to the manifest', async () => {
    const root = makeWorkspace(files);
    const prefix = uniquePrefix('object');
    await packageAll(root);
    const ctx = testContext(root, { prefix });
    await deployLayer(ctx, 'core', []);
    const manifest = readManifest(manifestPathOf(root, 'layer', 'core'), 'core');
    const object = await ctx.session.s3.send(new GetObjectCommand({ Bucket: `${prefix}-artifacts`, Key: `layers/core/${manifest.sha256}.zip` }));
    const bytes = Buffer.from(await object.Body!.transformToByteArray());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(manifest.sha256);
  });

  it('publishes inline when the environment has no bucket', async () => {
    const root = makeWorkspace(files);
    const prefix = uniquePrefix('inline');
    await packageAll(root);
    const ctx = testContext(root, { prefix, bucket: null });
    await deployLayer(ctx, 'core', []);
    expect(ctx.session.recorder.writes().map((c) => `${c.service}:${c.command}`)).toEqual(['lambda:PublishLayerVersion']);
  });

  it('dry-run: lists, plans "publish-layer", and writes nothing', async () => {
    const root = makeWorkspace(files);
    const prefix = uniquePrefix('dry');
    await packageAll(root);
    const ctx = testContext(root, { prefix, dryRun: true });
    const outcome = await deployLayer(ctx, 'core', []);
    expect(outcome.plans[0].actions.map((a) => a.kind)).toEqual(['upload-artifact', 'publish-layer']);
    expect(ctx.session.recorder.writes()).toEqual([]);
    expect((await testContext(root, { prefix }).session.lambda.listLayerVersions(`${prefix}-core-test`)).length).toBe(0);
  });
});
