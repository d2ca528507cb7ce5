import type { ExecutorContext } from '@nx/devkit';
import { newRetryStats } from '@vectora/lambda-deploy';
import { resolveEnvironment, type Environment } from '@vectora/lambda-deploy';
import { checkAwsNames } from '@vectora/lambda-deploy';
import { loadWorkspace } from '@vectora/lambda-deploy';
import { DEFAULT_CASCADE_CONCURRENCY, type DeployContext, type DeployOutcome } from '@vectora/lambda-deploy';

import { DEFAULT_CONTROL_PLANE_RATE, Pacer, renderError } from '@vectora/lambda-deploy';
import { formatDuration, prefixLines, renderEvent, shouldUseColor } from '@vectora/lambda-deploy';
import { EventLog } from '@vectora/lambda-deploy';
import { byteProgress } from '@vectora/lambda-deploy';
import { countCalls, errorsOf, outcomesOf, type TaskReport } from '@vectora/lambda-deploy';
import { rolloutTaskReport } from '@vectora/lambda-deploy';
import { approvalFor } from './approval';
import type { DeployExecutorOptions } from './deploy-options';
import { isDryRun, isVerbose, pluginOptionsOf, runIdOf, runWritesToTerminal } from './nx-context';
import { settleReport } from './run-ledger';
import { openSession } from './open-session';
import { projectsInRun } from './run-scope';
import { stdoutIo, type TaskIo } from './task-io';
import { TaskScope } from './task-scope';

/**
 * The frame every deploy-like executor shares: validate everything (environment, VERSION, every
 * layer.json and function.json) before the first AWS call, run the engine operation, log one line per
 * step, write the task's JSON report, and print the run summary when this is the run's last task.
 */
export async function runDeployTask(
  options: DeployExecutorOptions,
  context: ExecutorContext,
  operation: (ctx: DeployContext) => Promise<DeployOutcome>,
  io: TaskIo = stdoutIo,
  scope: TaskScope = new TaskScope(),
): Promise<{ success: boolean }> {
  const project = context.projectName!;
  const target = context.targetName!;
  const started = Date.now();
  const dryRun = isDryRun(options);
  const color = runWritesToTerminal() ?? shouldUseColor(process.stdout);
  const print = (line: string) => io.print(line);
  const log = new EventLog((event) => print(renderEvent(event, { color })));
  const runId = runIdOf();

  let env: Environment | undefined;
  let ctx: DeployContext | undefined;
  let outcome: DeployOutcome | undefined;
  let error: unknown;
  try {
    env = resolveEnvironment(pluginOptionsOf(context), options.environment, process.env);
    ctx = await openDeployContext(options, context, env, log, { readOnly: dryRun, print, io, scope });
    if (dryRun) log.emit({ project, step: 'dry-run', outcome: 'info', message: `dry-run against ${env.name} (${env.region}): reads only, nothing will be written` });
    outcome = await operation(ctx);
    for (const failure of outcome.failures) print(prefixLines(failure.project, renderError(failure.error)));
  } catch (caught) {
    error = caught;
    print(prefixLines(project, renderError(caught)));
  }

  const failed = error !== undefined || (outcome?.failures.length ?? 0) > 0;
  if (env) {
    const projects = [project, ...(outcome?.plans.map((plan) => plan.project) ?? [])].filter((p, i, all) => all.indexOf(p) === i);
    const report: TaskReport = {
      project,
      target,
      environment: env.name,
      dryRun,
      runId,
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      outcomes: outcomesOf(log.events, projects),
      plans: outcome?.plans ?? [],
      events: log.events,
      awsCalls: countCalls(ctx?.session.recorder.calls ?? []),
      awsWrites: ctx?.session.recorder.writes().length ?? 0,
      retries: ctx?.session.retryStats ?? newRetryStats(),
      errors: [...errorsOf(error), ...(outcome?.failures.flatMap((f) => errorsOf(f.error)) ?? [])],
    };
    if (error !== undefined) report.outcomes[project] = 'failed';
    // Environments with a rollout policy: the run's last task rolls out what every task held back.
    const rolledOut = await settleReport(context, env.name, runId, report, print, ctx && ((reports) => rolloutTaskReport(ctx!, reports, (event) => print(renderEvent(event, { color })))));
    return { success: !failed && rolledOut };
  }
  return { success: !failed };
}

/**
 * Validates the whole workspace, then opens the AWS session: nothing reaches AWS before every input
 * file has been read and checked.
 */
export async function openDeployContext(
  options: DeployExecutorOptions,
  context: ExecutorContext,
  env: Environment,
  log: EventLog,
  io: { readOnly: boolean; print: (line: string) => void; io?: TaskIo; scope?: TaskScope },
): Promise<DeployContext> {
  const scope = io.scope ?? new TaskScope();
  const workspace = scope.once(`workspace:${context.root}:${env.name}`, () => {
    const loaded = loadWorkspace(context.root, { scope: projectsInRun(context) });
    checkAwsNames([...loaded.layers.values(), ...loaded.functions.values()], env);
    return loaded;
  });
  const project = context.projectName!;
  const opened = await openSession(env, {
    workspaceRoot: context.root,
    readOnly: io.readOnly,
    // One quota per account and region: the tasks of a batch pace their writes together.
    pacer: scope.once(`pacer:${env.region}:${env.endpoint ?? ''}`, () => new Pacer(DEFAULT_CONTROL_PLANE_RATE, 1)),
    onCall: isVerbose(options) ? (call) => io.print(`[${project}] aws ${call.service}:${call.command} ${call.ok ? 'ok' : call.errorCode} (${formatDuration(call.durationMs)})`) : undefined,
  });
  return {
    workspace,
    env,
    session: opened.session,
    log,
    dryRun: io.readOnly,
    runId: runIdOf(),
    concurrency: options.concurrency ?? DEFAULT_CASCADE_CONCURRENCY,
    acceptAlarms: options.acceptAlarms === true,
    functionRole: opened.functionRole,
    beforeUpload: opened.beforeUpload,
    approve: env.requireApproval ? approvalFor(env.name, project, options.yes === true, io.io ?? stdoutIo, scope) : undefined,
    progress: runWritesToTerminal() ? (of, label) => byteProgress(io.print, `[${of}] ${label}`) : undefined,
  };
}
