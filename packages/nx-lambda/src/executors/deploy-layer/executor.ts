import type { ExecutorContext } from '@nx/devkit';
import { dependentsOf } from '@vectora/lambda-deploy';
import { deployLayer } from '@vectora/lambda-deploy';
import { deployTasksInRun } from '../shared/nx-context';
import { runDeployTask } from '../shared/run-deploy-task';
import type { Schema } from './schema';

/** Publish (or reuse) the layer, then cascade to dependents that no task of this run will deploy itself. */
export default async function deployLayerExecutor(options: Schema, context: ExecutorContext): Promise<{ success: boolean }> {
  return runDeployTask(options, context, (ctx) => {
    const deployedByOwnTask = new Set(deployTasksInRun(context).map((task) => task.project));
    const cascadeTo = dependentsOf(ctx.workspace, context.projectName!)
      .map((fn) => fn.project)
      .filter((fn) => !deployedByOwnTask.has(fn));
    return deployLayer(ctx, context.projectName!, cascadeTo);
  });
}
