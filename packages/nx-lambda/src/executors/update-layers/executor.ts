import type { ExecutorContext } from '@nx/devkit';
import { deployFunction } from '@vectora/lambda-deploy';
import { batchOf, DEPLOY_BATCH_CONCURRENCY } from '../shared/run-batch';
import { runDeployTask } from '../shared/run-deploy-task';
import type { TaskIo } from '../shared/task-io';
import type { TaskScope } from '../shared/task-scope';
import type { Schema } from './schema';

function runUpdateLayers(options: Schema, context: ExecutorContext, io?: TaskIo, scope?: TaskScope): Promise<{ success: boolean }> {
  return runDeployTask(options, context, (ctx) => deployFunction(ctx, context.projectName!, { layersOnly: true }), io, scope);
}

export default async function updateLayersExecutor(options: Schema, context: ExecutorContext): Promise<{ success: boolean }> {
  return runUpdateLayers(options, context);
}

/** Every update-layers of a run in one process. */
export const batch = batchOf(runUpdateLayers, DEPLOY_BATCH_CONCURRENCY);
