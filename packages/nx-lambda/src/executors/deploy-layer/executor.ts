import type { ExecutorContext } from '@nx/devkit';
import { dependentsOf, deployLayer } from '@vectora/lambda-deploy';
import { deployTasksInRun } from '../shared/nx-context';
import { batchOf } from '../shared/run-batch';
import { runDeployTask } from '../shared/run-deploy-task';
import type { TaskIo } from '../shared/task-io';
import type { TaskScope } from '../shared/task-scope';
import type { Schema } from './schema';

/** Publish (or reuse) the layer, then cascade to dependents that no task of this run will deploy itself. */
function runDeployLayer(options: Schema, context: ExecutorContext, io?: TaskIo, scope?: TaskScope): Promise<{ success: boolean }> {
  return runDeployTask(
    options,
    context,
    (ctx) => {
      const deployedByOwnTask = new Set(deployTasksInRun(context).map((task) => task.project));
      const cascadeTo = dependentsOf(ctx.workspace, context.projectName!)
        .map((fn) => fn.project)
        .filter((fn) => !deployedByOwnTask.has(fn));
      return deployLayer(ctx, context.projectName!, cascadeTo);
    },
    io,
    scope,
  );
}

export default async function deployLayerExecutor(options: Schema, context: ExecutorContext): Promise<{ success: boolean }> {
  return runDeployLayer(options, context);
}

/** Every layer deploy of a run in one process (each still cascades on its own). */
export const batch = batchOf(runDeployLayer);
