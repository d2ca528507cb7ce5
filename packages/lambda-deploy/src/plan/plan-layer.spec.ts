import { describe, expect, it } from 'vitest';
import { formatLayerDescription } from './layer-description';
import { layerNeedsArtifactCheck, planLayer, type DesiredLayer } from './plan-layer';

const sha = 'ab'.repeat(32);
const desired: DesiredLayer = { project: 'vectora-core', layerName: 'vi-vectora-core-dev', semver: '1.4.2', sha256: sha, zipFile: '/tmp/layer.zip', zipSize: 1000, runtimes: ['python3.12'], architectures: ['x86_64'], bucket: 'artifacts' };
const published = (version: number, semver: string, hash: string) => ({ arn: `arn:aws:lambda:us-east-1:1:layer:vi-vectora-core-dev:${version}`, version, description: formatLayerDescription('vectora-core', semver, hash) });

describe('planLayer', () => {
  it('reuses the version holding the same content and semver: no writes', () => {
    const { plan, target } = planLayer(desired, { versions: [published(49, '1.4.2', sha)] });
    expect(plan.actions.map((a) => a.kind)).toEqual(['skip']);
    expect(target).toEqual({ arn: published(49, '1.4.2', sha).arn, version: 49 });
    expect(layerNeedsArtifactCheck(desired, { versions: [published(49, '1.4.2', sha)] })).toBe(false);
  });

  it('reuses the oldest of several versions holding the content and deletes the newer ones', () => {
    const versions = [published(51, '1.4.2', sha), published(50, '1.4.2', sha), published(49, '1.4.2', sha), published(48, '1.4.1', sha)];
    const { plan, target } = planLayer(desired, { versions });
    expect(plan.actions.map((a) => a.kind)).toEqual(['skip', 'delete-layer-duplicates']);
    expect(plan.actions[1]).toMatchObject({ layerName: desired.layerName, semver: '1.4.2', sha256: sha });
    expect(plan.actions[1].reason).toBe('versions 50, 51 hold the same 1.4.2 sha256:abababababab.. as version 49, which deploys use (left by a run that stopped before deleting them)');
    expect(target).toEqual({ arn: published(49, '1.4.2', sha).arn, version: 49 });
  });

  it('uploads to the content-addressed key and publishes from S3 when nothing matches', () => {
    const { plan, target } = planLayer(desired, { versions: [published(48, '1.4.1', 'cd'.repeat(32))], artifactExists: false });
    expect(plan.actions.map((a) => a.kind)).toEqual(['upload-artifact', 'publish-layer']);
    expect(plan.actions[0]).toMatchObject({ bucket: 'artifacts', key: `layers/vectora-core/${sha}.zip` });
    expect(plan.actions[1]).toMatchObject({ description: `vectora-core 1.4.2 sha256:${sha}`, content: { s3Bucket: 'artifacts', s3Key: `layers/vectora-core/${sha}.zip` } });
    expect(plan.actions[1].reason).toContain('not published (latest is version 48');
    expect(target).toEqual({ pending: true });
  });

  it('skips the upload when the artifact is already in the bucket (rerun after a crash)', () => {
    const { plan } = planLayer(desired, { versions: [], artifactExists: true });
    expect(plan.actions.map((a) => a.kind)).toEqual(['publish-layer']);
  });

  it('publishes a VERSION bump of unchanged content, saying so', () => {
    const { plan } = planLayer({ ...desired, semver: '1.4.3' }, { versions: [published(49, '1.4.2', sha)], artifactExists: true });
    expect(plan.actions[0].reason).toContain('1.4.3 not published (content sha256:abababababab.. is version 49, a VERSION bump)');
  });

  it('uploads inline without a bucket, and refuses a zip over 50 MB there', () => {
    const { plan } = planLayer({ ...desired, bucket: undefined }, { versions: [] });
    expect(plan.actions[0]).toMatchObject({ kind: 'publish-layer', content: { file: '/tmp/layer.zip' } });
    expect(() => planLayer({ ...desired, bucket: undefined, zipSize: 60 * 1048576 }, { versions: [] })).toThrow(/over the 50 MB/);
  });
});
