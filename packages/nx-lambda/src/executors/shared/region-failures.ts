import type { ExecutorContext } from '@nx/devkit';
import type { TaskReport } from '@vectora/lambda-deploy';
import { deployTasksInRun } from './nx-context';

/**
 * Several regions: a region that fails stops only that region. A task that failed in some regions and
 * succeeded in others still succeeds in Nx's eyes when tasks of this run depend on it (so Nx runs them),
 * records the failed regions in its report, and those tasks skip exactly those regions and fail
 * themselves: the run still exits non-zero. Without such dependents (or without a run ledger to tell
 * them) the task fails, as with one region.
 */
export function regionVerdict(runs: { region: string; failed: boolean }[], dependentsWillSkip: () => boolean): { success: boolean; failedRegions?: string[] } {
  const failedRegions = runs.filter((run) => run.failed).map((run) => run.region);
  if (failedRegions.length === 0) return { success: true };
  // Asked last: it walks the run's task graph, and every task of a run comes here.
  if (runs.length < 2 || failedRegions.length === runs.length || !dependentsWillSkip()) return { success: false };
  return { success: true, failedRegions };
}

/** What stops a task in a region: the first task it depends on that failed there, and that failure. */
export interface RegionBlock {
  upstream: string;
  cause: string;
}

/**
 * Per region, the dependency that failed there (from the reports of the tasks this one depends on), so
 * this task skips that region and runs in the others.
 */
export function regionBlocks(upstream: TaskReport[]): Map<string, RegionBlock> {
  const blocks = new Map<string, RegionBlock>();
  for (const report of upstream) {
    for (const region of report.failedRegions ?? []) {
      if (blocks.has(region)) continue;
      const row = `${report.project} (${region})`;
      const error = report.errors.find((e) => e.project === row);
      blocks.set(region, { upstream: row, cause: error ? `${error.code}: ${error.message.split('\n')[0]}` : 'see its lines above' });
    }
  }
  return blocks;
}

/** The one line a task prints for a region it skips: what failed, that nothing was done, and the fix. */
export function regionSkipMessage(block: RegionBlock, target: string): string {
  return `${block.upstream} failed: not run here, left as it was (${block.cause}); fix ${block.upstream} and rerun ${target}`;
}

/** A report's failure stops what depends on it, unless it failed in some regions only (`failedRegions`). */
export function blocksDependents(report: TaskReport): boolean {
  if (report.failedRegions?.length) return false;
  return report.errors.length > 0 || report.outcomes[report.project] === 'failed' || Object.values(report.outcomes).includes('not run');
}

/** Nx's ids of this task's own task (project and target of the context). */
function ownTaskIds(context: ExecutorContext): string[] {
  const tasks = context.taskGraph?.tasks ?? {};
  return Object.keys(tasks).filter((id) => tasks[id].target.project === context.projectName && tasks[id].target.target === context.targetName);
}

/** `project:target` of the tasks this one depends on directly. */
export function upstreamTasks(context: ExecutorContext): { project: string; target: string }[] {
  const graph = context.taskGraph;
  if (!graph) return [];
  return ownTaskIds(context)
    .flatMap((id) => graph.dependencies[id] ?? [])
    .map((dep) => ({ project: graph.tasks[dep].target.project, target: graph.tasks[dep].target.target }));
}

/** True when a deploy-like task of this run depends directly on this one: it would read our failed regions. */
export function hasDeployDependents(context: ExecutorContext): boolean {
  const graph = context.taskGraph;
  if (!graph) return false;
  const own = new Set(ownTaskIds(context));
  const deployLike = new Set(deployTasksInRun(context).map((task) => `${task.project}:${task.target}`));
  return Object.entries(graph.dependencies).some(([id, deps]) => deps.some((dep) => own.has(dep)) && deployLike.has(`${graph.tasks[id].target.project}:${graph.tasks[id].target.target}`));
}
