import type { DeployContext } from '../deploy/deploy-context';
import { mapLimit } from '../util/map-limit';
import type { SourceFunction } from './detect-drift';
import { driftError } from './detect-drift';
import type { PromoteOptions } from './promote-options';
import { readSourceFunction, sourceContext } from './read-source';

/**
 * Checks every function a run promotes for drift in the source environment (reads only), so a run
 * whose layers promote first still fails before its first write when any of its functions drifted.
 * Functions missing there are left to their own task, which says so.
 */
export async function checkPromotionSources(ctx: DeployContext, functions: string[], options: PromoteOptions): Promise<void> {
  const sctx = sourceContext(ctx, options.from);
  const projects = functions.filter((fn) => ctx.workspace.functions.has(fn));
  const sources = (await mapLimit(projects, ctx.concurrency, (fn) => readSourceFunction(sctx, fn))).filter((s): s is SourceFunction => s !== undefined);
  const drift = driftError(sources, options.from.env.name);
  if (drift) throw drift;
}
