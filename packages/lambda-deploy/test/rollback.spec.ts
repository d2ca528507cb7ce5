import { describe, expect, it } from 'vitest';
import { deployFunction } from '../src/deploy/deploy-function';
import { deployLayer } from '../src/deploy/deploy-layer';
import { HistoryStore } from '../src/history/history-store';
import { rollbackFunction } from '../src/rollback/rollback-function';
import { contentWrites, layersOf, makeWorkspace, packageAll, testContext, uniquePrefix, writeFile, type TestContext } from './harness';

const files = {
  VERSION: 'core=1.0.0\n',
  'layers/core/layer.json': JSON.stringify({ sources: 'src' }),
  'layers/core/src/core.py': 'VALUE = 1\n',
  'lambdas/fn/function.json': JSON.stringify({ runtime: 'python3.12', handler: 'handler.handler', layers: ['core'] }),
  'lambdas/fn/handler.py': 'def handler(e, c):\n    return 1\n',
};

async function deployAll(root: string, prefix: string): Promise<TestContext> {
  await packageAll(root);
  const ctx = testContext(root, { prefix });
  await deployLayer(ctx, 'core', []);
  await deployFunction(ctx, 'fn', { layersOnly: false });
  return ctx;
}

const state = async (ctx: TestContext) => {
  const fn = (await ctx.session.lambda.getFunction(`${ctx.env.namePrefix}-fn-test`))!;
  return { code: fn.codeSha256, layers: await layersOf(ctx, 'fn') };
};

describe('deploy history and rollback against moto', () => {
  it('records each deploy; rollback undoes the last one (code and layers), and a second rollback undoes the rollback', async () => {
    const root = makeWorkspace(files);
    const prefix = uniquePrefix('rollback');
    const first = await deployAll(root, prefix);
    const v1 = await state(first);

    writeFile(root, 'layers/core/src/core.py', 'VALUE = 2\n');
    writeFile(root, 'lambdas/fn/handler.py', 'def handler(e, c):\n    return 2\n');
    const second = await deployAll(root, prefix);
    const v2 = await state(second);
    expect(v2.code).not.toBe(v1.code);
    expect(v2.layers).toEqual([`${prefix}-core-test:2`]);

    const history = await new HistoryStore(second.session.store, `${prefix}-artifacts`).list(`${prefix}-fn-test`);
    expect(history.map((r) => [r.kind, r.before?.codeSha256, r.after.codeSha256])).toEqual([
      ['deploy', undefined, v1.code],
      ['deploy', v1.code, v2.code],
    ]);

    const dry = testContext(root, { prefix, dryRun: true });
    await rollbackFunction(dry, 'fn', {});
    expect(dry.session.recorder.writes()).toEqual([]);
    expect(dry.events.filter((e) => e.step === 'plan').map((e) => e.message)).toEqual([
      expect.stringMatching(/^plan update-code: code .* \(the state before deploy \d{8}T\d{9}Z-/),
      `plan update-layers: layers ${prefix}-core-test 2 -> 1`,
    ]);

    const back = testContext(root, { prefix });
    await rollbackFunction(back, 'fn', {});
    expect(await state(back)).toEqual(v1);
    // The code came from the bucket's copy, not from the repo (which now holds v2).
    expect(contentWrites(back).map((c) => c.command)).toEqual(['UpdateFunctionCode', 'UpdateFunctionConfiguration']);

    const again = testContext(root, { prefix });
    await rollbackFunction(again, 'fn', {});
    expect(await state(again)).toEqual(v2);

    const records = await new HistoryStore(again.session.store, `${prefix}-artifacts`).list(`${prefix}-fn-test`);
    expect(records.map((r) => r.kind)).toEqual(['deploy', 'deploy', 'rollback', 'rollback']);
    const to = testContext(root, { prefix });
    await rollbackFunction(to, 'fn', { to: records[0].id });
    expect(await state(to)).toEqual(v1);
  });

  it('restores the layers and says so when the old code was not deployed by this tool', async () => {
    const root = makeWorkspace(files);
    const prefix = uniquePrefix('foreign');
    const ctx = await deployAll(root, prefix);
    // Someone deploys code by hand (inline): the bucket has no copy of it.
    await ctx.session.lambda.updateFunctionCode(`${prefix}-fn-test`, { zipFile: Buffer.from('UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==', 'base64') }, 'x86_64');
    writeFile(root, 'layers/core/src/core.py', 'VALUE = 3\n');
    await deployAll(root, prefix);

    const back = testContext(root, { prefix });
    await rollbackFunction(back, 'fn', {});
    expect(back.events.find((e) => e.outcome === 'warning')?.message).toMatch(/is not in s3:\/\/.*\/functions\/fn\/[0-9a-f]{64}\.zip \(not deployed by this tool\): code left as it is/);
    expect(await layersOf(back, 'fn')).toEqual([`${prefix}-core-test:1`]);
  });

  it('refuses clearly when there is nothing to roll back to', async () => {
    const root = makeWorkspace(files);
    const prefix = uniquePrefix('nohistory');
    await packageAll(root);
    await expect(rollbackFunction(testContext(root, { prefix }), 'fn', {})).rejects.toMatchObject({ code: 'NO_HISTORY' });
    const ctx = await deployAll(root, prefix);
    await expect(rollbackFunction(ctx, 'fn', {})).rejects.toMatchObject({ code: 'ROLLBACK_TARGET_UNKNOWN', message: expect.stringContaining('created the function') });
    await expect(rollbackFunction(ctx, 'fn', { to: 'nope' })).rejects.toMatchObject({ code: 'ROLLBACK_TARGET_UNKNOWN', hint: expect.stringMatching(/use one of the latest: \d{8}T/) });
  });
});
