import type { ExecutorContext } from '@nx/devkit';
import { describePackage, packageFunction, packageLayer } from '@vectora/lambda-deploy';
import { runLocalTask } from '../shared/run-local-task';

/** One executor for both kinds: a layer zips its built tree, a function its source folder. */
export default async function packageExecutor(_options: { pluginVersion?: string }, context: ExecutorContext): Promise<{ success: boolean }> {
  return runLocalTask(context, async (workspace) => {
    const project = context.projectName!;
    const layer = workspace.layers.get(project);
    const manifest = layer ? await packageLayer(context.root, layer) : await packageFunction(context.root, workspace.functions.get(project)!);
    return describePackage(manifest);
  });
}
