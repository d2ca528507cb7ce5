import type { ExecutorContext } from '@nx/devkit';
import { DEFAULT_KEEP } from '@vectora/lambda-deploy';
import { pruneLayer } from '@vectora/lambda-deploy';
import { runDeployTask } from '../shared/run-deploy-task';
import type { Schema } from './schema';

/**
 * Deletes the layer's unused old versions. Runs in the deploy frame so it validates the workspace
 * first, honours --dry-run and requireApproval, and leaves a JSON report and a summary like a deploy.
 */
export default async function pruneExecutor(options: Schema, context: ExecutorContext): Promise<{ success: boolean }> {
  return runDeployTask(options, context, (ctx) => pruneLayer(ctx, context.projectName!, { keep: options.keep ?? DEFAULT_KEEP }));
}
