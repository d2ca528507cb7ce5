import type { ExecutorContext } from '@nx/devkit';
import { mergeRetryStats, newRetryStats } from '@vectora/lambda-deploy';
import { resolveEnvironments, type Environment } from '@vectora/lambda-deploy';
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
import { regionBlocks, regionSkipMessage, regionVerdict, hasDeployDependents, type RegionBlock } from './region-failures';
import { settleReport, upstreamReports } from './run-ledger';
import { openSession } from './open-session';
import { RegionGate } from './region-gate';
import { projectsInRun } from './run-scope';
import { stdoutIo, type TaskIo } from './task-io';
import { TaskScope } from './task-scope';

/**
 * An operation in two phases: `check` (reads only) runs in every region of the environment, and no
 * region starts `apply` (the writes) before every region passed its check.
 */
export interface CheckedOperation<T> {
  check(ctx: DeployContext): Promise<T>;
  apply(ctx: DeployContext, checked: T): Promise<DeployOutcome>;
}

/**
 * The frame every deploy-like executor shares: validate everything (environment, VERSION, every
 * layer.json and function.json) before the first AWS call, run the engine operation, log one line per
 * step, write the task's JSON report, and print the run summary when this is the run's last task.
 */
export async function runDeployTask<T>(
  options: DeployExecutorOptions,
  context: ExecutorContext,
  operation: ((ctx: DeployContext) => Promise<DeployOutcome>) | CheckedOperation<T>,
  io: TaskIo = stdoutIo,
  scope: TaskScope = new TaskScope(),
): Promise<{ success: boolean }> {
  const project = context.projectName!;
  const target = context.targetName!;
  const started = Date.now();
  const dryRun = isDryRun(options);
  const color = runWritesToTerminal() ?? shouldUseColor(process.stdout);
  const print = (line: string) => io.print(line);
  const runId = runIdOf();

  let envs: Environment[] | undefined;
  try {
    envs = resolveEnvironments(pluginOptionsOf(context), options.environment, process.env);
  } catch (caught) {
    print(prefixLines(project, renderError(caught)));
  }
  if (!envs) return { success: false };

  // Several regions: the same operation once per region, in parallel, each with its own session and
  // paced quota; a failing region does not stop the others, except before the first write of a
  // CheckedOperation (each region waits at the gate for every region's checks). Rows then read
  // `project (region)`. A region where a task this one depends on failed is skipped (region-failures.ts).
  const several = envs.length > 1;
  const blocks = several ? regionBlocks(upstreamReports(context, envs[0].name, runId)) : new Map<string, RegionBlock>();
  const gate = new RegionGate(envs.length);
  const runs = await Promise.all(envs.map((env) => runInRegion(env, several ? (p: string) => `${p} (${env.region})` : (p: string) => p)));

  async function runInRegion(env: Environment, label: (project: string) => string) {
    const log = new EventLog((event) => print(renderEvent({ ...event, project: label(event.project) }, { color })));
    const block = blocks.get(env.region);
    let arrived = false;
    const arrive = (failed: boolean): Promise<string[]> => {
      if (arrived) return Promise.resolve([]);
      arrived = true;
      return gate.arrive(env.region, failed);
    };
    if (block) {
      void arrive(false);
      log.emit({ project, step: 'skip-region', outcome: 'warning', message: regionSkipMessage(block, target) });
      const events = log.events.map((event) => ({ ...event, project: label(event.project) }));
      return { region: env.region, ctx: undefined, failed: true, outcomes: { [label(project)]: 'not run' as const }, errors: [], plans: [], events };
    }
    let ctx: DeployContext | undefined;
    let outcome: DeployOutcome | undefined;
    let failure: unknown;
    try {
      ctx = await openDeployContext(options, context, env, log, { readOnly: dryRun, print, io, scope });
      if (dryRun) log.emit({ project, step: 'dry-run', outcome: 'info', message: `dry-run against ${env.name} (${env.region}): reads only, nothing will be written` });
      outcome = await runOperation(ctx, env.region, arrive);
      for (const f of outcome.failures) print(prefixLines(label(f.project), renderError(f.error)));
    } catch (caught) {
      void arrive(true);
      failure = caught;
      print(prefixLines(label(project), renderError(caught)));
    }
    const projects = [project, ...(outcome?.plans.map((plan) => plan.project) ?? [])].filter((p, i, all) => all.indexOf(p) === i);
    const outcomes = Object.fromEntries(Object.entries(outcomesOf(log.events, projects)).map(([p, o]) => [label(p), o]));
    if (failure !== undefined) outcomes[label(project)] = 'failed';
    const errors = [...errorsOf(failure).map((e) => ({ ...e, project: label(project) })), ...(outcome?.failures.flatMap((f) => errorsOf(f.error).map((e) => ({ ...e, project: label(f.project) }))) ?? [])];
    return {
      region: env.region,
      ctx,
      failed: failure !== undefined || (outcome?.failures.length ?? 0) > 0,
      outcomes,
      errors,
      plans: (outcome?.plans ?? []).map((plan) => ({ ...plan, project: label(plan.project) })),
      events: log.events.map((event) => ({ ...event, project: label(event.project) })),
    };
  }

  async function runOperation(ctx: DeployContext, region: string, arrive: (failed: boolean) => Promise<string[]>): Promise<DeployOutcome> {
    if (typeof operation === 'function') return operation(ctx);
    const checked = await operation.check(ctx);
    const failed = await arrive(false);
    if (failed.length > 0) throw RegionGate.refusal(region, failed);
    return operation.apply(ctx, checked);
  }

  const env = envs[0];
  const calls = runs.flatMap((run) => run.ctx?.session.recorder.calls ?? []);
  const report: TaskReport = {
    project,
    target,
    environment: env.name,
    dryRun,
    runId,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    outcomes: Object.assign({}, ...runs.map((run) => run.outcomes)),
    plans: runs.flatMap((run) => run.plans),
    events: runs.flatMap((run) => run.events),
    awsCalls: countCalls(calls),
    awsWrites: runs.reduce((sum, run) => sum + (run.ctx?.session.recorder.writes().length ?? 0), 0),
    retries: mergeRetryStats(runs.map((run) => run.ctx?.session.retryStats ?? newRetryStats())),
    errors: several ? runs.flatMap((run) => run.errors) : runs.flatMap((run) => run.errors.map(({ project: _, ...e }) => e)),
  };
  const verdict = regionVerdict(runs, () => runId !== undefined && hasDeployDependents(context));
  if (verdict.failedRegions) {
    report.failedRegions = verdict.failedRegions;
    print(`[${project}] failed in ${verdict.failedRegions.join(', ')}: the tasks that depend on it skip ${verdict.failedRegions.length > 1 ? 'those regions' : 'that region'} and run in the others`);
  }
  // Environments with a rollout policy (one region only): the run's last task rolls out what every task held back.
  const ctx = runs[0].ctx;
  const rolledOut = await settleReport(context, env.name, runId, report, print, ctx && ((reports) => rolloutTaskReport(ctx, reports, (event) => print(renderEvent(event, { color })))));
  return { success: verdict.success && rolledOut };
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
    // One quota per account and region: the tasks of a batch pace their writes together, and two
    // environments in two accounts (assumeRole) each draw on their own.
    pacer: scope.once(`pacer:${env.assumeRole ?? env.accountId ?? ''}:${env.region}:${env.endpoint ?? ''}`, () => new Pacer(DEFAULT_CONTROL_PLANE_RATE, 1)),
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
