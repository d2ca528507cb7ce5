import { AddLayerVersionPermissionCommand, GetLayerVersionPolicyCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { describe, expect, inject, it } from 'vitest';
import { localAwsClientConfig } from '../../local-aws/src/local-credentials';
import { deployLayer } from '../src/deploy/deploy-layer';
import { pruneLayer } from '../src/prune/prune-layer';
import { makeWorkspace, packageAll, testContext, uniquePrefix, writeFile } from './harness';

const lambda = () => new LambdaClient(localAwsClientConfig(inject('motoEndpoint')));
const layerJson = (share: unknown) => JSON.stringify({ sources: 'src', share });

/** The statement ids of a version's policy, read straight from the emulator. */
async function sidsOf(layerName: string, version: number): Promise<string[]> {
  try {
    const out = await lambda().send(new GetLayerVersionPolicyCommand({ LayerName: layerName, VersionNumber: version }));
    return (JSON.parse(out.Policy!).Statement as { Sid: string }[]).map((s) => s.Sid).sort();
  } catch (error) {
    if ((error as { name?: string }).name === 'ResourceNotFoundException') return [];
    throw error;
  }
}

const writesOf = (ctx: ReturnType<typeof testContext>) => ctx.session.recorder.writes().map((call) => call.command).filter((c) => c.includes('LayerVersionPermission'));

describe('layer sharing against moto', () => {
  it('gives each kept version exactly the permissions of share, changing only what differs, on deploy and on prune', async () => {
    const share = { accounts: ['111122223333'], organizationId: 'o-abc1234567', public: false };
    const root = makeWorkspace({ VERSION: 'core=1.0.0\n', 'layers/core/layer.json': layerJson(share), 'layers/core/src/core/__init__.py': 'VALUE = 1\n' });
    const prefix = uniquePrefix('share');
    const layerName = `${prefix}-core-test`;
    await packageAll(root);

    const first = testContext(root, { prefix });
    await deployLayer(first, 'core', []);
    expect(await sidsOf(layerName, 1)).toEqual(['share-account-111122223333', 'share-org-o-abc1234567']);
    expect(writesOf(first)).toEqual(['AddLayerVersionPermission', 'AddLayerVersionPermission']);

    // Already right: one read, no permission write.
    const rerun = testContext(root, { prefix });
    await deployLayer(rerun, 'core', []);
    expect(rerun.session.recorder.writes()).toEqual([]);
    expect(rerun.events.find((e) => e.step === 'share')).toMatchObject({ outcome: 'unchanged' });

    // A statement added by hand is not what layer.json shares: it goes, the others stay untouched.
    await lambda().send(new AddLayerVersionPermissionCommand({ LayerName: layerName, VersionNumber: 1, StatementId: 'by-hand', Action: 'lambda:GetLayerVersion', Principal: '*' }));
    // A dry-run says what it would change, and changes nothing.
    const dry = testContext(root, { prefix, dryRun: true });
    await deployLayer(dry, 'core', []);
    expect(dry.session.recorder.writes()).toEqual([]);
    expect(dry.events.find((e) => e.step === 'plan' && e.message.startsWith('plan share'))?.message).toBe('plan share v1: -by-hand');
    const repair = testContext(root, { prefix });
    await deployLayer(repair, 'core', []);
    expect(writesOf(repair)).toEqual(['RemoveLayerVersionPermission']);
    expect(await sidsOf(layerName, 1)).toEqual(['share-account-111122223333', 'share-org-o-abc1234567']);

    // A new version gets the current share; prune then brings the version it keeps to the same share.
    writeFile(root, 'layers/core/src/core/__init__.py', 'VALUE = 2\n');
    writeFile(root, 'layers/core/layer.json', layerJson({ accounts: ['444455556666'], public: false }));
    await packageAll(root);
    const dryNew = testContext(root, { prefix, dryRun: true });
    await deployLayer(dryNew, 'core', []);
    expect(dryNew.events.find((e) => e.message.startsWith('plan share'))?.message).toBe('plan share the new version: +share-account-444455556666');
    const changed = testContext(root, { prefix });
    await deployLayer(changed, 'core', []);
    expect(await sidsOf(layerName, 2)).toEqual(['share-account-444455556666']);
    expect(await sidsOf(layerName, 1)).toEqual(['share-account-111122223333', 'share-org-o-abc1234567']);

    const prune = testContext(root, { prefix });
    const pruned = await pruneLayer(prune, 'core', { keep: 2 });
    expect(pruned.decisions.map((d) => [d.version, d.action])).toEqual(expect.arrayContaining([[1, 'keep'], [2, 'keep']]));
    expect(await sidsOf(layerName, 1)).toEqual(['share-account-444455556666']);
    expect(await sidsOf(layerName, 2)).toEqual(['share-account-444455556666']);
    expect(writesOf(prune).sort()).toEqual(['AddLayerVersionPermission', 'RemoveLayerVersionPermission', 'RemoveLayerVersionPermission']);
  });
});
