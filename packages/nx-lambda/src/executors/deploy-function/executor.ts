import type { ExecutorContext } from '@nx/devkit';
import { deployFunction } from '@vectora/lambda-deploy';
import { batchOf } from '../shared/run-batch';
import { runDeployTask } from '../shared/run-deploy-task';
import type { TaskIo } from '../shared/task-io';
import type { TaskScope } from '../shared/task-scope';
import type { Schema } from './schema';

function runDeployFunction(options: Schema, context: ExecutorContext, io?: TaskIo, scope?: TaskScope): Promise<{ success: boolean }> {
  return runDeployTask(options, context, (ctx) => deployFunction(ctx, context.projectName!, { layersOnly: false }), io, scope);
}

export default async function deployFunctionExecutor(options: Schema, context: ExecutorContext): Promise<{ success: boolean }> {
  return runDeployFunction(options, context);
}

/** Every function deploy of a run in one process: Nx prefers this (executors.json `preferBatch`). */
export const batch = batchOf(runDeployFunction);
