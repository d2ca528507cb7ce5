import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AwsCall } from '../aws/call-recorder';
import type { RetryStats } from '../aws/retry';
import { DeployError, DeployErrors } from '../errors';
import type { ProjectPlan } from '../plan/types';
import { countBy } from '../util/count-by';
import type { StepEvent } from './events';

/** `not run`: a region the task skipped because a task it depends on failed there (see `failedRegions`). */
export type ProjectOutcome = 'updated' | 'unchanged' | 'warning' | 'failed' | 'planned' | 'not run';

/** The JSON record one deploy-like task leaves under dist/deploy/<env>/runs/<run>/. */
export interface TaskReport {
  project: string;
  target: string;
  environment: string;
  dryRun: boolean;
  runId?: string;
  startedAt: string;
  durationMs: number;
  /** Per project touched by the task (a layer and its cascade): what happened. */
  outcomes: Record<string, ProjectOutcome>;
  plans: ProjectPlan[];
  events: StepEvent[];
  awsCalls: Record<string, number>;
  awsWrites: number;
  retries: RetryStats;
  /** `project`: the row an error belongs to, when a task has rows of several regions. */
  errors: { code: string; message: string; hint: string; project?: string }[];
  /**
   * Several regions: the regions this task failed in while it succeeded in the others and tasks of the
   * run depend on it. It then reports success to Nx, and those tasks skip these regions only.
   */
  failedRegions?: string[];
}

/** Failed beats done beats warning beats planned: a project's worst-or-most-significant event decides. */
export function outcomesOf(events: StepEvent[], projects: string[]): Record<string, ProjectOutcome> {
  const outcomes: Record<string, ProjectOutcome> = {};
  for (const project of projects) {
    const mine = events.filter((event) => event.project === project);
    const has = (outcome: StepEvent['outcome']) => mine.some((event) => event.outcome === outcome);
    outcomes[project] = has('failed') ? 'failed' : has('done') ? 'updated' : has('warning') ? 'warning' : has('planned') ? 'planned' : 'unchanged';
  }
  return outcomes;
}

export function errorsOf(error: unknown): TaskReport['errors'] {
  if (error === undefined) return [];
  const list = error instanceof DeployErrors ? error.errors : [error];
  return list.map((e) => (e instanceof DeployError ? { code: e.code, message: e.message, hint: e.hint } : { code: 'UNEXPECTED', message: (e as Error)?.message ?? String(e), hint: 'rerun with --verbose; report it if it persists' }));
}

export function countCalls(calls: AwsCall[]): Record<string, number> {
  return countBy(calls, (call) => `${call.service}:${call.command}`);
}

/** Atomic write (temp + rename), so a concurrent reader never sees half a report. */
export function writeTaskReport(dir: string, report: TaskReport): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${report.project}.${report.target}.json`);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(report, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
  return file;
}

/**
 * The reports in a run's folder. Each is written once (atomically) and never changed, so `seen` may
 * keep those already parsed: the tasks of a batch each read the folder, and without it a run of N
 * tasks would parse N^2/2 reports.
 */
export function readTaskReports(dir: string, seen: Map<string, TaskReport> = new Map()): TaskReport[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.endsWith('.json') && name !== 'summary.json')
    .map((name) => {
      const path = join(dir, name);
      let report = seen.get(path);
      if (!report) {
        report = JSON.parse(readFileSync(path, 'utf8')) as TaskReport;
        seen.set(path, report);
      }
      return report;
    });
}
