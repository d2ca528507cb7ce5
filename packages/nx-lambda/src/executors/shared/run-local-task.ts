import type { ExecutorContext } from '@nx/devkit';
import { loadWorkspace, type Workspace } from '@vectora/lambda-deploy';
import { renderError } from '@vectora/lambda-deploy';
import { formatDuration, prefixLines } from '@vectora/lambda-deploy';
import { recordLocalFailure } from './run-ledger';

/** Frame of the local (no AWS) executors: validate the workspace, run, print `[project] ... (time)` or the error with its fix. */
export async function runLocalTask(context: ExecutorContext, run: (workspace: Workspace, log: (line: string) => void) => Promise<string>): Promise<{ success: boolean }> {
  const project = context.projectName!;
  const log = (line: string) => process.stdout.write(`[${project}] ${line}\n`);
  const started = performance.now();
  try {
    const summary = await run(loadWorkspace(context.root), log);
    log(`${summary} (${formatDuration(performance.now() - started)})`);
    return { success: true };
  } catch (error) {
    process.stdout.write(`${prefixLines(project, renderError(error))}\n`);
    recordLocalFailure(context, error, (line) => process.stdout.write(`${line}\n`));
    return { success: false };
  }
}
