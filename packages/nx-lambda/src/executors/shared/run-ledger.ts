import type { ExecutorContext } from '@nx/devkit';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { newRetryStats } from '@vectora/lambda-deploy';
import { artifactPaths } from '@vectora/lambda-deploy';
import { renderSummary } from '@vectora/lambda-deploy';
import { errorsOf, readTaskReports, writeTaskReport, type TaskReport } from '@vectora/lambda-deploy';
import { deployTasksInRun, runIdOf } from './nx-context';
import { blocksDependents, upstreamTasks } from './region-failures';

/**
 * The run's shared record: each deploy task (and any build/package task that fails in a deploy run)
 * leaves its report in dist/deploy/<env>/runs/<run>/; whichever task finishes last prints the summary.
 * Tasks Nx will never start, because something they depend on failed, are not waited for: they are
 * listed as "not run", so a partial run says what it left undone.
 */
export function runDirOf(root: string, environment: string, runId: string | undefined): string {
  return join(root, artifactPaths.deployDir(environment), 'runs', runId ?? `standalone-${process.pid}-${Date.now()}`);
}

/** The environment of the deploy tasks in this run (their configuration), if any. */
export function deployEnvironmentOf(context: ExecutorContext): string | undefined {
  const deployIds = new Set(deployTasksInRun(context).map((t) => `${t.project}:${t.target}`));
  return Object.values(context.taskGraph?.tasks ?? {}).find((task) => deployIds.has(`${task.target.project}:${task.target.target}`))?.target.configuration;
}

/** A build/package failure inside a deploy run: recorded so the summary names it and stops waiting for what it blocks. */
export function recordLocalFailure(context: ExecutorContext, error: unknown, print: (line: string) => void): void {
  const environment = deployEnvironmentOf(context);
  const runId = runIdOf();
  if (!environment || !runId) return;
  const project = context.projectName!;
  const report: TaskReport = {
    project,
    target: context.targetName!,
    environment,
    dryRun: false,
    runId,
    startedAt: new Date().toISOString(),
    durationMs: 0,
    outcomes: { [project]: 'failed' },
    plans: [],
    events: [],
    awsCalls: {},
    awsWrites: 0,
    retries: newRetryStats(),
    errors: errorsOf(error),
  };
  void settleReport(context, environment, runId, report, print);
}

// Reports already parsed by this process (the tasks of a batch share it): see readTaskReports.
const parsedReports = new Map<string, TaskReport>();

/** The reports of the tasks this one depends on directly, those already in the run's folder, by project name. */
export function upstreamReports(context: ExecutorContext, environment: string, runId: string | undefined): TaskReport[] {
  if (!runId) return [];
  const upstream = new Set(upstreamTasks(context).map((task) => `${task.project}:${task.target}`));
  return readTaskReports(runDirOf(context.root, environment, runId), parsedReports).filter((r) => upstream.has(`${r.project}:${r.target}`))
    .sort((a, b) => a.project.localeCompare(b.project));
}

/**
 * Writes this task's report, then prints the run summary if every task still to report has. The
 * printer first runs `finish` (the run's rollout), whose report joins the summary; false when that
 * report has errors.
 */
export async function settleReport(context: ExecutorContext, environment: string, runId: string | undefined, report: TaskReport, print: (line: string) => void, finish?: (reports: TaskReport[]) => Promise<TaskReport | undefined>): Promise<boolean> {
  const runDir = runDirOf(context.root, environment, runId);
  writeTaskReport(runDir, report);
  const reports = readTaskReports(runDir, parsedReports);
  const expected = runId ? deployTasksInRun(context) : [{ project: report.project, target: report.target }];
  const blocked = runId ? blockedTasks(context, reports) : new Map<string, string>();
  const reportedKeys = new Set(reports.map((r) => `${r.project}:${r.target}`));
  const reported = (task: { project: string; target: string }) => reportedKeys.has(`${task.project}:${task.target}`);
  if (!expected.every((task) => reported(task) || blocked.has(`${task.project}:${task.target}`))) return true;
  try {
    // Several tasks can finish at once and each see a complete set: mkdir elects exactly one printer.
    mkdirSync(join(runDir, 'summary.printed'));
  } catch {
    return true;
  }
  const finished = await finish?.(reports);
  if (finished) {
    writeTaskReport(runDir, finished);
    reports.push(finished);
  }
  const notRun = expected.filter((task) => !reported(task)).map((task) => ({ project: task.project, reason: blocked.get(`${task.project}:${task.target}`)! }));
  print(renderSummary(reports, environment, report.dryRun, notRun));
  print(`reports: ${runDir}`);
  return (finished?.errors.length ?? 0) === 0;
}

/** `project:target` of each task downstream of a failed one, with the failure that blocks it. */
function blockedTasks(context: ExecutorContext, reports: TaskReport[]): Map<string, string> {
  const graph = context.taskGraph;
  const blocked = new Map<string, string>();
  if (!graph) return blocked;
  const failed = new Set(reports.filter(blocksDependents).map((r) => `${r.project}:${r.target}`));
  // Every task of a run settles its report here: with nothing failed, there is no graph to walk.
  if (failed.size === 0) return blocked;
  const keyOf = (taskId: string) => `${graph.tasks[taskId].target.project}:${graph.tasks[taskId].target.target}`;
  const cause = (taskId: string, seen = new Set<string>()): string | undefined => {
    for (const dep of graph.dependencies[taskId] ?? []) {
      if (seen.has(dep)) continue;
      seen.add(dep);
      if (failed.has(keyOf(dep))) return keyOf(dep);
      const upstream = cause(dep, seen);
      if (upstream) return upstream;
    }
    return undefined;
  };
  for (const taskId of Object.keys(graph.tasks)) {
    const why = cause(taskId);
    if (why) blocked.set(keyOf(taskId), why);
  }
  return blocked;
}
