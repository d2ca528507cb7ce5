import { isProgressive } from '../config/rollout-policy';
import type { DeployContext } from '../deploy/deploy-context';
import { EventLog } from '../report/events';
import { isReadCommand } from '../aws/call-recorder';
import { countCalls, errorsOf, type TaskReport } from '../report/task-report';
import { finishRunRollouts, type RolloutTiming } from './finish-run-rollout';

/**
 * The rollout step of a run, for a front end: given the reports of every task of the run, finishes
 * the rollouts (finish-run-rollout.ts) and answers them as one more report, project `rollout`, so the
 * run summary has a row naming the outcome (a rollback's alarm or check and step). Undefined when
 * the environment has no stepped policy or there was nothing to roll out.
 */
export async function rolloutTaskReport(ctx: DeployContext, reports: TaskReport[], print: (event: Parameters<EventLog['emit']>[0]) => void, timing?: RolloutTiming): Promise<TaskReport | undefined> {
  if (!isProgressive(ctx.env.rollout) || !ctx.runId) return undefined;
  const started = Date.now();
  const log = new EventLog(print);
  const callsBefore = ctx.session.recorder.calls.length;
  let error: unknown;
  let results: Awaited<ReturnType<typeof finishRunRollouts>> = [];
  try {
    results = await finishRunRollouts(
      { ...ctx, log },
      {
        runId: ctx.runId,
        events: reports.flatMap((r) => r.events),
        plans: reports.flatMap((r) => r.plans),
        runFailed: reports.some((r) => r.errors.length > 0 || Object.values(r.outcomes).includes('failed')),
      },
      timing,
    );
  } catch (caught) {
    error = caught;
    log.emit({ project: 'rollout', step: 'rollout', outcome: 'failed', message: `rollout failed: ${(caught as Error).message.split('\n')[0]}` });
  }
  if (log.events.length === 0) return undefined;
  const calls = ctx.session.recorder.calls.slice(callsBefore);
  const rolledBack = results.filter((r) => r.outcome === 'rolled-back');
  const outcome = error !== undefined || rolledBack.length > 0 ? 'failed' : ctx.dryRun ? 'planned' : results.length > 0 ? 'updated' : 'warning';
  return {
    project: 'rollout',
    target: 'rollout',
    environment: ctx.env.name,
    dryRun: ctx.dryRun,
    runId: ctx.runId,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    outcomes: { rollout: outcome },
    plans: [],
    events: log.events,
    awsCalls: countCalls(calls),
    awsWrites: calls.filter((c) => !isReadCommand(c.command)).length,
    retries: ctx.session.retryStats,
    errors: [
      ...errorsOf(error),
      ...rolledBack.map((r) => ({ code: 'ROLLOUT_ROLLED_BACK', message: `${r.reason}; ${r.members.length} function${r.members.length === 1 ? '' : 's'} back on their previous version (${r.members.map((m) => m.project).join(', ')})`, hint: 'fix what the alarm or check reports, then deploy again; the aliases are on their previous versions' })),
    ],
  };
}
