import type { ExecutorContext } from '@nx/devkit';
import { checkFunctionInputs, dependentsOf, deployFunction, deployLayer } from '@vectora/lambda-deploy';
import { deployTasksInRun } from '../shared/nx-context';
import { batchOf, DEPLOY_BATCH_CONCURRENCY } from '../shared/run-batch';
import { runDeployTask } from '../shared/run-deploy-task';
import type { TaskIo } from '../shared/task-io';
import { TaskScope } from '../shared/task-scope';
import type { Schema } from './schema';

/**
 * One executor for layers and functions, so that Nx batches a run's layer and function deploys
 * together (it groups batches by executor): a layer publishes (or reuses) its version, then cascades
 * to dependents that no task of this run deploys itself; a function updates code, configuration and
 * layers.
 */
function runDeploy(options: Schema, context: ExecutorContext, io?: TaskIo, scope: TaskScope = new TaskScope()): Promise<{ success: boolean }> {
  const project = context.projectName!;
  return runDeployTask(
    options,
    context,
    async (ctx) => {
      if (!ctx.workspace.layers.has(project)) return deployFunction(ctx, project, { layersOnly: false });
      const deployedByOwnTask = new Set(deployTasksInRun(context).map((task) => task.project));
      // A function checks its SSM values and external layers before its own writes, but its layers
      // publish first: so before a layer's first write, every function this run deploys is checked
      // (reads only; once per process), and a run fails before it has published anything.
      await scope.once(`function-inputs:${ctx.env.name}:${ctx.env.region}`, () => checkFunctionInputs(ctx, [...deployedByOwnTask]));
      const cascadeTo = dependentsOf(ctx.workspace, project)
        .map((fn) => fn.project)
        .filter((fn) => !deployedByOwnTask.has(fn));
      return deployLayer(ctx, project, cascadeTo);
    },
    io,
    scope,
  );
}

export default async function deployExecutor(options: Schema, context: ExecutorContext): Promise<{ success: boolean }> {
  return runDeploy(options, context);
}

/**
 * Every deploy of a run that is ready at once, in one process: Nx prefers this (executors.json
 * `preferBatch`). Deploys mostly wait on reads (GetFunction has its own 100/s quota) and their writes
 * share one paced quota, so many may be in flight.
 */
export const batch = batchOf(runDeploy, DEPLOY_BATCH_CONCURRENCY);
