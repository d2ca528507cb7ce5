import type { ExecutorContext } from '@nx/devkit';
import { installLayer } from '@vectora/lambda-deploy';
import { runWritesToTerminal } from '../shared/nx-context';
import { runLocalTask } from '../shared/run-local-task';

/** Its options are only the cache key (see inferred-targets): the layer's own file says what to install. */
export default async function installExecutor(_options: Record<string, unknown>, context: ExecutorContext): Promise<{ success: boolean }> {
  return runLocalTask(context, async (workspace, log) => {
    const result = await installLayer(context.root, workspace.layers.get(context.projectName!)!, log, { showProgress: runWritesToTerminal() === true });
    return `install -> ${result.outDir.slice(context.root.length + 1)}`;
  });
}
