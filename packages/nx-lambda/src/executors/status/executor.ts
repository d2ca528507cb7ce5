import type { ExecutorContext } from '@nx/devkit';
import { resolveEnvironment } from '@vectora/lambda-deploy';
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
  try {
    const env = resolveEnvironment(pluginOptionsOf(context), options.environment, process.env);
    const ctx = await openDeployContext(options, context, env, new EventLog(), { readOnly: true, print });
    if (ctx.workspace.layers.has(project)) {
      const status = await layerStatus(ctx, project);
      print(options.json ? JSON.stringify(status) : renderLayerStatus(status).join('\n'));
    } else {
      const status = await functionStatus(ctx, project);
      // A killed run can leave the alias split between two versions: say so, with the weights.
      const rollouts = isProgressive(env.rollout) ? await unfinishedRollouts(ctx, project) : [];
      print(options.json ? JSON.stringify(rollouts.length > 0 ? { ...status, rollouts } : status) : [...renderFunctionStatus(status), ...rollouts.flatMap(renderRolloutStatus)].join('\n'));
    }
    return { success: true };
  } catch (error) {
    print(prefixLines(project, renderError(error)));
    return { success: false };
  }
}
