import type { DeployContext } from '../deploy/deploy-context';
import { checkFunctionInputs } from '../deploy/check-function-inputs';
import { collectErrors, type DeployError, throwIfAny } from '../errors';
import { mapLimit } from '../util/map-limit';
import { checkPromoteBuckets } from './check-target';
import { driftError, type SourceFunction } from './detect-drift';
import { inspectFunctionPromotion } from './inspect-function';
import { inspectLayerPromotion } from './inspect-layer';
import type { PromoteOptions } from './promote-options';
import { readSourceFunction, sourceContext, usersOfLayer } from './read-source';

/**
 * Everything a promotion run could refuse, checked with reads only for every project of the run
 * (layers and functions alike), so that each promote task can run it before its first write and a
 * refusal anywhere stops every write: no function in the source (of the run, or using one of its
 * layers) drifted; then every problem at once: a function missing there, one the target's repo
 * configuration cannot run (runtime, architecture, layers), a zip not in the source's bucket, a layer
 * whose users disagree on its version, an SSM parameter or external layer missing in the target.
 */
export async function checkPromotion(ctx: DeployContext, projects: string[], options: PromoteOptions): Promise<void> {
  checkPromoteBuckets(options.from.env, ctx.env);
  const sctx = sourceContext(ctx, options.from);
  const layers = projects.filter((p) => ctx.workspace.layers.has(p));
  const functions = projects.filter((p) => ctx.workspace.functions.has(p));
  const read = [...new Set([...functions, ...layers.flatMap((layer) => usersOfLayer(sctx, layer))])];
  const sources = new Map(await mapLimit(read, ctx.concurrency, async (fn) => [fn, await readSourceFunction(sctx, fn)] as const));
  const drift = driftError([...sources.values()].filter((s): s is SourceFunction => s !== undefined), options.from.env.name);
  if (drift) throw drift;

  const errors: DeployError[] = [];
  for (const layer of layers) {
    const users = usersOfLayer(sctx, layer).map((fn) => sources.get(fn)).filter((s): s is SourceFunction => s !== undefined);
    await collectErrors(errors, () => inspectLayerPromotion(sctx, layer, users));
  }
  for (const fn of functions) await collectErrors(errors, () => inspectFunctionPromotion(ctx, sctx, fn, sources.get(fn)));
  await collectErrors(errors, () => checkFunctionInputs(ctx, functions));
  throwIfAny(errors);
}
