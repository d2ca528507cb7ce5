import { afterEach, describe, expect, inject, it } from 'vitest';
import { startAwsProxy, type AwsProxy } from '../../local-aws/src/proxy/aws-proxy';
import { createFaultInjector, type FaultOptions } from '../../local-aws/src/proxy/fault-injector';
import { deployFunction } from '../src/deploy/deploy-function';
import { deployLayer } from '../src/deploy/deploy-layer';
import { DeployError } from '../src/errors';
import { fleetFiles, layersOf, makeWorkspace, packageAll, testContext, uniquePrefix, writeFile } from './harness';

let proxy: AwsProxy | undefined;
afterEach(async () => {
  await proxy?.stop();
  proxy = undefined;
});

/** A fleet deployed without faults, then a context that reaches moto through a proxy with these faults. */
async function fleetBehindFaults(label: string, functions: number, faults: FaultOptions, session?: Parameters<typeof testContext>[1]['session']) {
  const root = makeWorkspace(fleetFiles(['core'], functions));
  const prefix = uniquePrefix(label);
  await packageAll(root);
  const setup = testContext(root, { prefix });
  await deployLayer(setup, 'core', []);
  for (let i = 0; i < functions; i++) await deployFunction(setup, `fn-${i}`, { layersOnly: false });
  const injector = createFaultInjector(faults);
  proxy = await startAwsProxy({ target: inject('motoEndpoint'), faults: injector });
  const ctx = () => testContext(root, { prefix, endpoint: proxy!.endpoint, session });
  return { root, prefix, injector, ctx, proxy };
}

const all = (n: number) => Array.from({ length: n }, (_, i) => `fn-${i}`);

/**
 * A Lambda-like window (InProgress, conflict) opened by one update must still be open when the
 * deploy's next call arrives, however loaded the machine: as long as a dry-run of the same deploy
 * (its reads and planning) takes here and now, three times over for the load to change, and never
 * shorter than the window the test was written with.
 */
async function windowFor(fleet: Awaited<ReturnType<typeof fleetBehindFaults>>, fn: string, atLeastMs: number): Promise<number> {
  const started = performance.now();
  await deployFunction(testContext(fleet.root, { prefix: fleet.prefix, endpoint: fleet.proxy.endpoint, dryRun: true }), fn, { layersOnly: false });
  return Math.max(atLeastMs, Math.ceil(3 * (performance.now() - started)));
}

describe('deploys under Lambda-like faults (moto behind the fault proxy)', () => {
  it('retries throttling with backoff until every function of a cascade is on the new version', async () => {
    const fleet = await fleetBehindFaults('throttle', 6, { rateLimit: { perSecond: 3 } });
    writeFile(fleet.root, 'layers/core/src/core.py', 'REVISION = 1\n');
    await packageAll(fleet.root);
    const ctx = fleet.ctx();
    const outcome = await deployLayer(ctx, 'core', all(6));

    expect(outcome.failures).toEqual([]);
    for (const fn of all(6)) expect(await layersOf(ctx, fn)).toEqual([`${fleet.prefix}-core-test:2`]);
    expect(fleet.injector.stats.throttled).toBeGreaterThan(0);
    // Every 429 the proxy sent was retried, none surfaced.
    expect(ctx.session.retryStats.byClass.throttled).toBe(fleet.injector.stats.throttled);
  });

  it('waits out InProgress before the next update of the same function, so a conflict window is never hit', async () => {
    const fleet = await fleetBehindFaults('inprogress', 1, {});
    writeFile(fleet.root, 'lambdas/fn-0/handler.py', 'def handler(event, context):\n    return "new"\n');
    writeFile(fleet.root, 'lambdas/fn-0/function.json', JSON.stringify({ runtime: 'python3.12', handler: 'handler.handler', memory: 512, layers: ['core'] }));
    await packageAll(fleet.root);
    const windowMs = await windowFor(fleet, 'fn-0', 400);
    const injector = createFaultInjector({ inProgressAfterUpdateMs: windowMs, conflictAfterUpdateMs: windowMs });
    fleet.proxy.faults = injector;
    const ctx = fleet.ctx();
    await deployFunction(ctx, 'fn-0', { layersOnly: false });

    const updates = fleet.proxy.requests.filter((r) => r.operation.startsWith('UpdateFunction'));
    expect(updates.map((r) => r.operation)).toEqual(['UpdateFunctionCode', 'UpdateFunctionConfiguration']);
    expect(updates[1].at - updates[0].at).toBeGreaterThanOrEqual(windowMs);
    expect(injector.stats.inProgressViews).toBeGreaterThan(0);
    expect(injector.stats.conflicts).toBe(0);
  });

  it('retries a ResourceConflictException from an update someone else started, then succeeds', async () => {
    const fleet = await fleetBehindFaults('conflict', 1, {});
    writeFile(fleet.root, 'lambdas/fn-0/function.json', JSON.stringify({ runtime: 'python3.12', handler: 'handler.handler', memory: 1024, layers: ['core'] }));
    await packageAll(fleet.root);
    const injector = createFaultInjector({ conflictAfterUpdateMs: await windowFor(fleet, 'fn-0', 600) });
    fleet.proxy.faults = injector;
    // Another actor updates the function just before our deploy.
    await fleet.ctx().session.lambda.updateFunctionConfiguration(`${fleet.prefix}-fn-0-test`, { description: 'touched by someone else' });
    const ctx = fleet.ctx();
    await deployFunction(ctx, 'fn-0', { layersOnly: false });

    expect(injector.stats.conflicts).toBeGreaterThan(0);
    expect(ctx.session.retryStats.byClass.conflict).toBe(injector.stats.conflicts);
    expect((await ctx.session.lambda.getFunction(`${fleet.prefix}-fn-0-test`))!.memory).toBe(1024);
  });

  it('fails at once on AccessDenied with the AWS code and a hint, and still updates the other functions', async () => {
    const fleet = await fleetBehindFaults('denied', 3, {});
    const denied = `${fleet.prefix}-fn-1-test`;
    proxy!.faults = createFaultInjector({ deny: [{ operation: 'UpdateFunctionConfiguration', functionName: denied, error: { status: 403, name: 'AccessDeniedException', message: `User is not authorized to perform: lambda:UpdateFunctionConfiguration on resource: ${denied}` } }] });
    writeFile(fleet.root, 'layers/core/src/core.py', 'REVISION = 1\n');
    await packageAll(fleet.root);
    const ctx = fleet.ctx();
    const outcome = await deployLayer(ctx, 'core', all(3));

    expect(outcome.failures.map((f) => f.project)).toEqual(['fn-1']);
    const error = outcome.failures[0].error as DeployError;
    expect(error.message).toContain('AccessDeniedException on lambda:UpdateFunctionConfiguration');
    expect(error.hint).toMatch(/deploy role needs permission for lambda:UpdateFunctionConfiguration/);
    expect(proxy!.requests.filter((r) => r.operation === 'UpdateFunctionConfiguration' && r.functionName === denied)).toHaveLength(1);
    expect(await layersOf(ctx, 'fn-0')).toEqual([`${fleet.prefix}-core-test:2`]);
    expect(await layersOf(ctx, 'fn-2')).toEqual([`${fleet.prefix}-core-test:2`]);
  });

  it('ends a fault storm with a clear error once the retry budget is spent', async () => {
    const fleet = await fleetBehindFaults('storm', 1, { serverErrorRate: 1, faultOperations: ['ListLayerVersions'] }, { retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 20, maxTotalDelayMs: 1000 } });
    const ctx = fleet.ctx();
    await expect(deployLayer(ctx, 'core', [])).rejects.toMatchObject({ code: 'RETRIES_EXHAUSTED', message: expect.stringMatching(/lambda:ListLayerVersions: still failing after 3 attempts .*transient/) });
    expect(ctx.session.recorder.writes()).toEqual([]);
  });
});
