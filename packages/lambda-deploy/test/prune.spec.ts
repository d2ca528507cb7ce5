import { LambdaClient, PublishVersionCommand } from '@aws-sdk/client-lambda';
import { describe, expect, inject, it } from 'vitest';
import { localAwsClientConfig } from '../../local-aws/src/local-credentials';
import { ensureEmulatorRole } from '../src/aws/bootstrap-emulator';
import { deployFunction } from '../src/deploy/deploy-function';
import { deployLayer } from '../src/deploy/deploy-layer';
import { DeployError } from '../src/errors';
import { pruneLayer } from '../src/prune/prune-layer';
import { ONE_LAYER_TWO_FUNCTIONS, makeWorkspace, packageAll, testContext, uniquePrefix, writeFile, type TestContext } from './harness';

const files = ONE_LAYER_TWO_FUNCTIONS;

/**
 * Publishes core versions 1..6 (one content change each); `attach` maps a version to the repo
 * functions deployed while it was the repo's, so they stay on it.
 */
async function publishSix(root: string, prefix: string, attach: Record<number, string[]> = {}): Promise<void> {
  for (let v = 1; v <= 6; v++) {
    writeFile(root, 'layers/core/src/core.py', `V = ${v}\n`);
    await packageAll(root);
    const ctx = testContext(root, { prefix });
    await deployLayer(ctx, 'core', []);
    for (const fn of attach[v] ?? []) await deployFunction(ctx, fn, { layersOnly: false });
  }
}

const layerName = (prefix: string) => `${prefix}-core-test`;
const remaining = async (ctx: TestContext, prefix: string) => (await ctx.session.lambda.listLayerVersions(layerName(prefix))).map((v) => v.version);
const planLines = (ctx: TestContext) => ctx.events.filter((e) => e.step === 'plan').map((e) => e.message.replace(/, [\d.]+ KB$/, ''));

describe('pruneLayer against moto', () => {
  it('keep=2: deletes exactly the unused old versions; a dry-run first deletes nothing and prints the same plan', async () => {
    const root = makeWorkspace(files);
    const prefix = uniquePrefix('prune');
    await publishSix(root, prefix, { 1: ['fn-a'], 3: ['fn-b'] });

    const dry = testContext(root, { prefix, dryRun: true });
    const planned = await pruneLayer(dry, 'core', { keep: 2 });
    expect(dry.session.recorder.writes()).toEqual([]);
    expect(planned.deleted.map((d) => d.version)).toEqual([4, 2]);
    expect(planLines(dry)).toEqual([
      'keep v6 (what the repo describes: 1.0.0; one of the 2 newest)',
      'keep v5 (one of the 2 newest)',
      'delete v4 (unused, older than the 2 newest)',
      'keep v3 (in use by fn-b)',
      'delete v2 (unused, older than the 2 newest)',
      'keep v1 (in use by fn-a)',
    ]);
    expect(dry.events.at(-1)).toMatchObject({ outcome: 'planned', message: expect.stringMatching(/^dry-run: would delete 2 version\(s\) \(v4, v2\), freeing [\d.]+ KB; nothing deleted$/) });
    expect(await remaining(dry, prefix)).toEqual([6, 5, 4, 3, 2, 1]);

    const real = testContext(root, { prefix });
    const pruned = await pruneLayer(real, 'core', { keep: 2 });
    expect(planLines(real)).toEqual(planLines(dry));
    expect(real.session.recorder.writes().map((c) => `${c.command} ${c.target}`)).toEqual([`DeleteLayerVersion ${layerName(prefix)}`, `DeleteLayerVersion ${layerName(prefix)}`]);
    expect(await remaining(real, prefix)).toEqual([6, 5, 3, 1]);
    // Sizes come from GetLayerVersion, one per deleted version and no more.
    expect(real.session.recorder.counts().GetLayerVersion).toBe(2);
    expect(pruned.deleted.every((d) => (d.codeSize ?? 0) > 0)).toBe(true);
    expect(pruned.freedBytes).toBe(pruned.deleted.reduce((sum, d) => sum + d.codeSize!, 0));
    expect(real.events.filter((e) => e.step === 'delete-layer-version').map((e) => e.message)).toEqual([expect.stringMatching(/^deleted v4, [\d.]+ KB$/), expect.stringMatching(/^deleted v2, [\d.]+ KB$/)]);
    expect(real.events.at(-1)).toMatchObject({ outcome: 'done', message: expect.stringMatching(/^deleted 2 version\(s\) \(v4, v2\), freed [\d.]+ KB; kept 4$/) });

    // A rerun has nothing left to do.
    const again = testContext(root, { prefix });
    await pruneLayer(again, 'core', { keep: 2 });
    expect(again.session.recorder.writes()).toEqual([]);
    expect(again.events.at(-1)?.message).toBe('nothing to prune: all 4 version(s) kept');
  });

  it('keeps the version a rollback would restore (from the deploy history), even though nothing uses it now', async () => {
    const root = makeWorkspace(files);
    const prefix = uniquePrefix('rbtarget');
    // Both functions follow every version: each deploy records the layers they had before it.
    await publishSix(root, prefix, { 1: ['fn-a', 'fn-b'], 2: ['fn-a', 'fn-b'], 3: ['fn-a', 'fn-b'], 4: ['fn-a', 'fn-b'], 5: ['fn-a', 'fn-b'], 6: ['fn-a', 'fn-b'] });
    const ctx = testContext(root, { prefix });
    await pruneLayer(ctx, 'core', { keep: 1 });
    expect(planLines(ctx)).toEqual([
      'keep v6 (in use by fn-a, fn-b; what the repo describes: 1.0.0; the newest)',
      'keep v5 (in use by fn-a (rollback target), fn-b (rollback target))',
      'delete v4 (unused, older than the newest)',
      'delete v3 (unused, older than the newest)',
      'delete v2 (unused, older than the newest)',
      'delete v1 (unused, older than the newest)',
    ]);
    expect(await remaining(ctx, prefix)).toEqual([6, 5]);
  });

  it("keeps a version used only by another team's function, and one used only by a published function version", async () => {
    const root = makeWorkspace(files);
    const prefix = uniquePrefix('prune-foreign');
    await publishSix(root, prefix, { 2: ['fn-a'] });
    const ctx = testContext(root, { prefix });
    const v1 = (await ctx.session.lambda.listLayerVersions(layerName(prefix))).find((v) => v.version === 1)!;
    // Not in this repo: created straight through the API, on core v1.
    const handlerZip = Buffer.from('UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==', 'base64');
    await ctx.session.lambda.createFunction({ name: `${prefix}-billing`, role: await ensureEmulatorRole(ctx.session.iam, `${prefix}-role`), code: { zipFile: handlerZip }, architecture: 'x86_64', settings: { runtime: 'python3.12', handler: 'h.h' }, layers: [v1.arn] });
    // fn-a's published version 1 snapshots core v2; then fn-a's $LATEST moves on to v6.
    await new LambdaClient(localAwsClientConfig(inject('motoEndpoint'))).send(new PublishVersionCommand({ FunctionName: `${prefix}-fn-a-test` }));
    await deployFunction(ctx, 'fn-a', { layersOnly: true });

    const prune = testContext(root, { prefix });
    await pruneLayer(prune, 'core', { keep: 2 });
    expect(planLines(prune)).toEqual([
      'keep v6 (in use by fn-a; what the repo describes: 1.0.0; one of the 2 newest)',
      'keep v5 (one of the 2 newest)',
      'delete v4 (unused, older than the 2 newest)',
      'delete v3 (unused, older than the 2 newest)',
      // fn-a moved on from v2 in its latest deploy: v2 is what its rollback would restore.
      'keep v2 (in use by fn-a (rollback target), fn-a:1)',
      `keep v1 (in use by ${prefix}-billing (not in this repo))`,
    ]);
    expect(await remaining(prune, prefix)).toEqual([6, 5, 2, 1]);
  });

  it('asks for approval with the number of deletions, and a refusal deletes nothing', async () => {
    const root = makeWorkspace(files);
    const prefix = uniquePrefix('prune-approval');
    await publishSix(root, prefix);
    const ctx = testContext(root, { prefix });
    let asked: number | undefined;
    ctx.approve = async (writes) => {
      asked = writes;
      throw new DeployError('NOT_APPROVED', 'core: not approved, nothing written', 'rerun and answer y');
    };
    await expect(pruneLayer(ctx, 'core', { keep: 3 })).rejects.toThrow('not approved');
    expect(asked).toBe(3);
    expect(ctx.session.recorder.writes()).toEqual([]);
    expect(await remaining(ctx, prefix)).toEqual([6, 5, 4, 3, 2, 1]);
  });

  it('refuses --keep 0 before any AWS call, and skips the function scan when nothing can go', async () => {
    const root = makeWorkspace(files);
    const prefix = uniquePrefix('prune-keep');
    await packageAll(root);
    const bad = testContext(root, { prefix });
    await expect(pruneLayer(bad, 'core', { keep: 0 })).rejects.toThrow('--keep must be a whole number of at least 1');
    expect(bad.session.recorder.calls).toEqual([]);

    await deployLayer(testContext(root, { prefix }), 'core', []);
    const few = testContext(root, { prefix });
    await pruneLayer(few, 'core', { keep: 3 });
    expect(few.session.recorder.counts()).toEqual({ ListLayerVersions: 1 });
    expect(few.events.map((e) => e.message)).toEqual([`nothing to prune: ${prefix}-core-test has 1 version(s), --keep is 3`]);
  });
});
