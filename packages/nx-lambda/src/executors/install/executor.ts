import type { ExecutorContext } from '@nx/devkit';
import { installFunction, installLayer } from '@vectora/lambda-deploy';
import { runWritesToTerminal } from '../shared/nx-context';
import { runLocalTask } from '../shared/run-local-task';

/** Its options are only the cache key (see inferred-targets): the layer's (or Python function's) own file says what to install. */
export default async function installExecutor(_options: Record<string, unknown>, context: ExecutorContext): Promise<{ success: boolean }> {
  return runLocalTask(context, async (workspace, log) => {
    const options = { showProgress: runWritesToTerminal() === true };
    const layer = workspace.layers.get(context.projectName!);
    const result = layer ? await installLayer(context.root, layer, log, options) : await installFunction(context.root, workspace.functions.get(context.projectName!)!, log, options);
    return `install -> ${result.outDir.slice(context.root.length + 1)}`;
  });
}
