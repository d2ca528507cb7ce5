import type { ExecutorContext } from '@nx/devkit';
import { offerUnitRollback, rollbackFunction, rollbackUnit } from '@vectora/lambda-deploy';
import { runDeployTask } from '../shared/run-deploy-task';
import type { Schema } from './schema';

export default async function rollbackExecutor(options: Schema, context: ExecutorContext): Promise<{ success: boolean }> {
  const project = context.projectName!;
  return runDeployTask(options, context, async (ctx) => {
    if (options.unit) return rollbackUnit(ctx, project);
    const outcome = await rollbackFunction(ctx, project, { to: options.to });
    // A function that moved with others in a rollout: say how to put the whole unit back.
    await offerUnitRollback(ctx, project);
    return outcome;
  });
}
