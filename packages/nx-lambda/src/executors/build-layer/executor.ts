import type { ExecutorContext } from '@nx/devkit';
import { buildLayer } from '@vectora/lambda-deploy';
import { batchOf, LOCAL_BATCH_CONCURRENCY } from '../shared/run-batch';
import { runLocalTask } from '../shared/run-local-task';
import type { TaskIo } from '../shared/task-io';
import type { TaskScope } from '../shared/task-scope';

export default async function buildLayerExecutor(_options: { pluginVersion?: string }, context: ExecutorContext, io?: TaskIo, scope?: TaskScope): Promise<{ success: boolean }> {
  return runLocalTask(context, async (workspace) => {
    const result = await buildLayer(context.root, workspace.layers.get(context.projectName!)!);
    return `build ${result.files} files -> ${result.outDir.slice(context.root.length + 1)}`;
  }, io, scope);
}

export const batch = batchOf((options: { pluginVersion?: string }, context, io, scope) => buildLayerExecutor(options, context, io, scope), LOCAL_BATCH_CONCURRENCY);
