import { functionForEnvironment } from '../config/function-config';
import type { DeployContext } from '../deploy/deploy-context';
import { DeployError } from '../errors';
import { codeArtifactKey } from '../history/history-record';
import { requireSourceArtifact } from './artifacts';
import { checkPromotable, type SourceLayer } from './check-target';
import type { SourceFunction } from './detect-drift';
import { readSourceLayers } from './read-source';

/** What a function's promotion deploys: the source function, the managed layer versions it runs, and its code zip's key. */
export interface FunctionSource {
  source: SourceFunction;
  sourceLayers: SourceLayer[];
  key: string;
}

/**
 * The read-only part of a function's promotion, after its drift check: it exists in the source, the
 * repo's target configuration can run it, and its code zip is in the source's bucket. Run for every
 * function of a run before the run's first write (checkPromotion), and again by its own task.
 */
export async function inspectFunctionPromotion(ctx: DeployContext, sctx: DeployContext, project: string, source: SourceFunction | undefined): Promise<FunctionSource> {
  const config = ctx.workspace.functions.get(project);
  if (!config) throw new DeployError('UNKNOWN_FUNCTION', `${project}: not a function of this repo`, 'check the project name');
  const from = sctx.env.name;
  if (!source) {
    throw new DeployError('PROMOTE_SOURCE_MISSING', `${project}: does not exist in ${from}, so there is nothing to promote`, `deploy it to ${from} first (\`nx run ${project}:deploy -c ${from}\`)`);
  }
  const sourceLayers = await readSourceLayers(sctx, source.actual);
  const target = functionForEnvironment(config, ctx.env.name);
  checkPromotable({ file: config.file, project, from, to: ctx.env.name, source: source.actual, sourceLayers, target });
  const key = codeArtifactKey(project, source.actual.codeSha256);
  await requireSourceArtifact(sctx, key, source.functionName);
  return { source, sourceLayers, key };
}
