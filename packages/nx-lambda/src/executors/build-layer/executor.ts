import type { ExecutorContext } from '@nx/devkit';
import { buildLayer } from '@vectora/lambda-deploy';
import { runLocalTask } from '../shared/run-local-task';

export default async function buildLayerExecutor(_options: { pluginVersion?: string }, context: ExecutorContext): Promise<{ success: boolean }> {
  return runLocalTask(context, async (workspace) => {
    const result = await buildLayer(context.root, workspace.layers.get(context.projectName!)!);
    return `build ${result.files} files -> ${result.outDir.slice(context.root.length + 1)}`;
  });
}
