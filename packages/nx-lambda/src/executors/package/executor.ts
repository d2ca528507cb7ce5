import type { ExecutorContext } from '@nx/devkit';
import { describePackage, packageFunction, packageLayer } from '@vectora/lambda-deploy';
import { batchOf, LOCAL_BATCH_CONCURRENCY } from '../shared/run-batch';
import { runLocalTask } from '../shared/run-local-task';
import type { TaskIo } from '../shared/task-io';
import type { TaskScope } from '../shared/task-scope';

/** One executor for both kinds: a layer zips its built tree, a function its source folder. */
export default async function packageExecutor(_options: { pluginVersion?: string }, context: ExecutorContext, io?: TaskIo, scope?: TaskScope): Promise<{ success: boolean }> {
  return runLocalTask(context, async (workspace) => {
    const project = context.projectName!;
    const layer = workspace.layers.get(project);
    const manifest = layer ? await packageLayer(context.root, layer) : await packageFunction(context.root, workspace.functions.get(project)!);
    return describePackage(manifest);
  }, io, scope);
}

export const batch = batchOf((options: { pluginVersion?: string }, context, io, scope) => packageExecutor(options, context, io, scope), LOCAL_BATCH_CONCURRENCY);
