import type { ExecutorContext } from '@nx/devkit';
import { rollbackFunction } from '@vectora/lambda-deploy';
import { runDeployTask } from '../shared/run-deploy-task';
import type { Schema } from './schema';

export default async function rollbackExecutor(options: Schema, context: ExecutorContext): Promise<{ success: boolean }> {
  return runDeployTask(options, context, (ctx) => rollbackFunction(ctx, context.projectName!, { to: options.to }));
}
