import type { ExecutorContext } from '@nx/devkit';
import { deployFunction } from '@vectora/lambda-deploy';
import { runDeployTask } from '../shared/run-deploy-task';
import type { Schema } from './schema';

export default async function deployFunctionExecutor(options: Schema, context: ExecutorContext): Promise<{ success: boolean }> {
  return runDeployTask(options, context, (ctx) => deployFunction(ctx, context.projectName!, { layersOnly: false }));
}
