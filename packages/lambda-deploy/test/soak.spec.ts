import { afterAll, describe, expect, inject, it } from 'vitest';
import { startAwsProxy, type AwsProxy } from '../../local-aws/src/proxy/aws-proxy';
import { createFaultInjector } from '../../local-aws/src/proxy/fault-injector';
import { deployFunction } from '../src/deploy/deploy-function';
import { deployLayer } from '../src/deploy/deploy-layer';
import { parseLayerDescription } from '../src/plan/layer-description';
import { mapSettled } from '../src/util/map-limit';
import { fleetFiles, layersOf, makeWorkspace, packageAll, testContext, uniquePrefix, writeFile, type TestContext } from './harness';

const FUNCTIONS = 20;
const LAYERS = ['core', 'deps'];
const functions = Array.from({ length: FUNCTIONS }, (_, i) => `fn-${i}`);

let proxy: AwsProxy | undefined;
afterAll(async () => proxy?.stop());

/**
 * The reliability soak: 20 functions on 2 layers, deployed through the fault proxy at about 30%
 * injected faults (5xx before and after the write) and a 10 req/s limit, with Lambda's InProgress and
 * conflict windows. A run that fails is rerun, as a user would; every round must converge exactly.
 */
describe('soak: 20 functions, 2 layers, 30% faults, 10 req/s', () => {
  it('converges after each of three layer changes, with no duplicate layer version', async () => {
    const root = makeWorkspace(fleetFiles(LAYERS, FUNCTIONS));
    const prefix = uniquePrefix('soak');
    const faults = createFaultInjector({ serverErrorRate: 0.25, lostResponseRate: 0.15, rateLimit: { perSecond: 10 }, inProgressAfterUpdateMs: 200, conflictAfterUpdateMs: 200, latencyMs: 5, seed: 20261125 });
    proxy = await startAwsProxy({ target: inject('motoEndpoint'), faults });
    const figures = { runs: 0, rerunsNeeded: 0, retries: 0, roundsConverged: 0 };
    const revisions: Record<string, number> = { core: 0, deps: 0 };
    const causes: string[] = [];

    const run = async (changed: string[]): Promise<boolean> => {
      figures.runs++;
      const ctx = testContext(root, { prefix, endpoint: proxy!.endpoint });
      try {
        const failures: unknown[] = [];
        for (const layer of LAYERS) {
          // A changed layer cascades to its functions, as `nx run <layer>:deploy` does.
          const outcome = await deployLayer(ctx, layer, changed.includes(layer) ? functions : []);
          failures.push(...outcome.failures);
        }
        if (changed.length === 0) {
          const results = await mapSettled(functions, 8, (fn) => deployFunction(ctx, fn, { layersOnly: false }));
          failures.push(...results.filter((r) => r.status === 'rejected'));
        }
        causes.push(...failures.map((failure) => String((failure as { error?: Error; reason?: Error }).error?.message ?? (failure as { reason?: Error }).reason?.message)));
        return failures.length === 0;
      } catch (error) {
        causes.push((error as Error).message);
        return false;
      } finally {
        figures.retries += ctx.session.retryStats.retries;
      }
    };

    const converge = async (changed: string[]) => {
      let attempts = 0;
      while (!(await run(changed))) {
        attempts++;
        figures.rerunsNeeded++;
        expect(attempts, 'a round did not converge in 5 reruns').toBeLessThan(5);
      }
      await expectExactState(testContext(root, { prefix }), revisions);
      figures.roundsConverged++;
    };

    await packageAll(root);
    await converge([]);
    for (const change of [['core'], ['deps'], ['core', 'deps']]) {
      for (const layer of change) writeFile(root, `layers/${layer}/src/${layer}.py`, `REVISION = ${++revisions[layer]}\n`);
      await packageAll(root);
      await converge(change);
    }

    const requests = proxy.requests.length;
    const injected = proxy.requests.filter((r) => r.injected).length;
    const duplicates = await duplicateVersions(testContext(root, { prefix }));
    const table = [
      ['requests through the proxy', requests],
      ['faults injected', `${injected} (${((injected / requests) * 100).toFixed(1)}%)`],
      ['  5xx before the write', faults.stats.serverErrors],
      ['  5xx after the write (lost answer)', faults.stats.lostResponses],
      ['  429 rate limit', faults.stats.throttled],
      ['  409 conflict', faults.stats.conflicts],
      ['InProgress views served', faults.stats.inProgressViews],
      ['retries made by the tool', figures.retries],
      ['runs (reruns after a failure)', `${figures.runs} (${figures.rerunsNeeded})`],
      ['rounds converged', `${figures.roundsConverged} of 4`],
      ['duplicate layer versions', duplicates],
      ...causes.map((cause) => ['  a run failed with', cause]),
    ];
    process.stdout.write(`\nsoak figures\n${table.map(([k, v]) => `  ${String(k).padEnd(36)} ${v}`).join('\n')}\n`);

    expect(duplicates).toBe(0);
    expect(figures.roundsConverged).toBe(4);
    expect(injected / requests).toBeGreaterThanOrEqual(0.27);
    // Each injected fault cost exactly one retry: none was retried for nothing, and unless a call ran
    // out of attempts (a rare streak of faults; the rerun then converged), none surfaced.
    if (figures.rerunsNeeded === 0) expect(figures.retries).toBe(injected);
    else expect(figures.retries).toBeLessThan(injected);
  });
});

/** Every function on exactly the versions holding the current content of each layer; one version per content. */
async function expectExactState(ctx: TestContext, revisions: Record<string, number>): Promise<void> {
  const current: string[] = [];
  for (const layer of LAYERS) {
    const versions = await ctx.session.lambda.listLayerVersions(`${ctx.env.namePrefix}-${layer}-test`);
    expect(versions, `${layer}: one version per content published`).toHaveLength(revisions[layer] + 1);
    current.push(`${ctx.env.namePrefix}-${layer}-test:${versions[0].version}`);
  }
  for (const fn of functions) expect(await layersOf(ctx, fn), fn).toEqual(current);
}

async function duplicateVersions(ctx: TestContext): Promise<number> {
  let duplicates = 0;
  for (const layer of LAYERS) {
    const versions = await ctx.session.lambda.listLayerVersions(`${ctx.env.namePrefix}-${layer}-test`);
    const contents = new Set(versions.map((v) => parseLayerDescription(v.description)?.sha256));
    duplicates += versions.length - contents.size;
  }
  return duplicates;
}
