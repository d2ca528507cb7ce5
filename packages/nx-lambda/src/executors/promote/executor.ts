import { execFileSync } from 'node:child_process';
import type { ExecutorContext } from '@nx/devkit';
import { checkPromoteFrom, checkPromotion, DEFAULT_CONTROL_PLANE_RATE, Pacer, promoteFunction, promoteLayer, resolveEnvironments, sourceRegionFor, type DeployContext, type PromoteOptions } from '@vectora/lambda-deploy';
import { deployTasksInRun, pluginOptionsOf } from '../shared/nx-context';
import { openSession } from '../shared/open-session';
import { batchOf, DEPLOY_BATCH_CONCURRENCY } from '../shared/run-batch';
import { runDeployTask } from '../shared/run-deploy-task';
import type { TaskIo } from '../shared/task-io';
import { TaskScope } from '../shared/task-scope';
import type { Schema } from './schema';

/**
 * Promotes a layer or a function from `--from` into `-c`: reads the source environment with its own
 * read-only session, the engine plans and copies. Every promote task first checks the whole run with
 * reads only (checkPromotion: drift of every function in the source, what the target's configuration
 * can take), so a refusal anywhere stops every task before its first write, whichever task Nx starts
 * first. Tasks of one process (a batch) share the source session and that check: it runs once per
 * environment, region and source, and every task awaits its verdict. With several regions, every
 * region (its source region resolved, the run checked there) passes before any region writes.
 */
function runPromote(options: Schema, context: ExecutorContext, io?: TaskIo, scope: TaskScope = new TaskScope()): Promise<{ success: boolean }> {
  const project = context.projectName!;
  return runDeployTask(
    options,
    context,
    {
      check: async (ctx: DeployContext) => {
        const key = `promote:${ctx.env.name}:${ctx.env.region}:${options.from}`;
        const promote = await scope.once(`${key}:source`, () => promoteOptions(options, context, ctx));
        await scope.once(`${key}:check`, () => checkPromotion(ctx, promoteTasksInRun(context), promote));
        return promote;
      },
      apply: (ctx: DeployContext, promote: PromoteOptions) => (ctx.workspace.layers.has(project) ? promoteLayer(ctx, project, promote) : promoteFunction(ctx, project, promote)),
    },
    io,
    scope,
  );
}

export default async function promoteExecutor(options: Schema, context: ExecutorContext): Promise<{ success: boolean }> {
  return runPromote(options, context);
}

/**
 * Every promote of a run that is ready at once, in one process (executors.json `preferBatch`): the
 * run-wide check reads the source once instead of once per task (a fleet of N functions: N
 * GetFunction calls, not N per task). A function still starts after its layers (^promote).
 */
export const batch = batchOf(runPromote, DEPLOY_BATCH_CONCURRENCY);

/** The projects this run promotes: every task of this target (its `^promote` layers included), and this one. */
function promoteTasksInRun(context: ExecutorContext): string[] {
  const projects = deployTasksInRun(context).filter((task) => task.target === context.targetName).map((task) => task.project);
  return [...new Set([...projects, context.projectName!])];
}

async function promoteOptions(options: Schema, context: ExecutorContext, ctx: DeployContext): Promise<PromoteOptions> {
  const plugin = pluginOptionsOf(context);
  const from = checkPromoteFrom(options.from, ctx.env.name, Object.keys(plugin.environments ?? {}));
  const env = sourceRegionFor(resolveEnvironments(plugin, from, process.env), ctx.env);
  // Read-only: a promotion never writes to the environment it copies from.
  const opened = await openSession(env, { workspaceRoot: context.root, readOnly: true, pacer: new Pacer(DEFAULT_CONTROL_PLANE_RATE, 1) });
  return { from: { env, session: opened.session }, commit: repoCommit(context.root) };
}

/** The commit the repo is at, recorded as the promotion's; undefined outside git. */
function repoCommit(root: string): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
}
