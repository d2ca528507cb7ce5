import type { ExecutorContext } from '@nx/devkit';
import { resolveEnvironments, type Environment } from '@vectora/lambda-deploy';
import { renderError } from '@vectora/lambda-deploy';
import { prefixLines } from '@vectora/lambda-deploy';
import { EventLog } from '@vectora/lambda-deploy';
import { functionStatus, renderFunctionStatus } from '@vectora/lambda-deploy';
import { layerStatus, renderLayerStatus } from '@vectora/lambda-deploy';
import { isProgressive, renderRolloutStatus, unfinishedRollouts } from '@vectora/lambda-deploy';
import { pluginOptionsOf } from '../shared/nx-context';
import { openDeployContext } from '../shared/run-deploy-task';
import type { Schema } from './schema';

/** Read-only: the session refuses any write, whatever the code below does. */
export default async function statusExecutor(options: Schema, context: ExecutorContext): Promise<{ success: boolean }> {
  const project = context.projectName!;
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const statusIn = async (env: Environment): Promise<{ json: unknown; lines: string[] }> => {
    const ctx = await openDeployContext(options, context, env, new EventLog(), { readOnly: true, print });
    if (ctx.workspace.layers.has(project)) {
      const status = await layerStatus(ctx, project);
      return { json: status, lines: renderLayerStatus(status) };
    }
    const status = await functionStatus(ctx, project);
    // A killed run can leave the alias split between two versions: say so, with the weights.
    const rollouts = isProgressive(env.rollout) ? await unfinishedRollouts(ctx, project) : [];
    return { json: rollouts.length > 0 ? { ...status, rollouts } : status, lines: [...renderFunctionStatus(status), ...rollouts.flatMap(renderRolloutStatus)] };
  };
  try {
    const envs = resolveEnvironments(pluginOptionsOf(context), options.environment, process.env);
    // One status per region, read in parallel, printed in the order nx.json lists the regions.
    const results = await Promise.all(envs.map((env) => statusIn(env)));
    if (options.json) print(JSON.stringify(envs.length > 1 ? Object.fromEntries(envs.map((env, i) => [env.region, results[i].json])) : results[0].json));
    else print(results.map((result, i) => [...(envs.length > 1 ? [`${project} in ${envs[i].region}:`] : []), ...result.lines].join('\n')).join('\n'));
    return { success: true };
  } catch (error) {
    print(prefixLines(project, renderError(error)));
    return { success: false };
  }
}
