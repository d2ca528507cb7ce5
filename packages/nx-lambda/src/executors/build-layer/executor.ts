import type { ExecutorContext } from '@nx/devkit';
import { buildLayer } from '@vectora/lambda-deploy';
import { runWritesToTerminal } from '../shared/nx-context';
import { runLocalTask } from '../shared/run-local-task';

export default async function buildLayerExecutor(_options: Record<string, never>, context: ExecutorContext): Promise<{ success: boolean }> {
  return runLocalTask(context, async (workspace, log) => {
    const result = await buildLayer(context.root, workspace.layers.get(context.projectName!)!, log, { showProgress: runWritesToTerminal() === true });
    return `build ${result.files} files -> ${result.outDir.slice(context.root.length + 1)}`;
  });
}
