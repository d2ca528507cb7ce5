import type { ExecutorContext } from '@nx/devkit';
import { loadWorkspace, type Workspace } from '@vectora/lambda-deploy';
import { renderError } from '@vectora/lambda-deploy';
import { formatDuration, prefixLines } from '@vectora/lambda-deploy';
import { recordLocalFailure } from './run-ledger';
import { projectsInRun } from './run-scope';
import { stdoutIo, type TaskIo } from './task-io';
import { TaskScope } from './task-scope';

/** Frame of the local (no AWS) executors: validate the workspace, run, print `[project] ... (time)` or the error with its fix. */
export async function runLocalTask(
  context: ExecutorContext,
  run: (workspace: Workspace, log: (line: string) => void) => Promise<string>,
  io: TaskIo = stdoutIo,
  scope: TaskScope = new TaskScope(),
): Promise<{ success: boolean }> {
  const project = context.projectName!;
  const log = (line: string) => io.print(`[${project}] ${line}`);
  const started = performance.now();
  try {
    const summary = await run(scope.once(`workspace:${context.root}`, () => loadWorkspace(context.root, { scope: projectsInRun(context) })), log);
    log(`${summary} (${formatDuration(performance.now() - started)})`);
    return { success: true };
  } catch (error) {
    io.print(prefixLines(project, renderError(error)));
    recordLocalFailure(context, error, (line) => io.print(line));
    return { success: false };
  }
}
