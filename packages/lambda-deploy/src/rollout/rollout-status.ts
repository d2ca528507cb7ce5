import type { DeployContext } from '../deploy/deploy-context';
import type { AliasRoute } from '../aws/alias-router';
import { RolloutStore } from './rollout-store';

export interface RolloutStatus {
  runId: string;
  phase: string;
  step?: number;
  steps: number;
  members: { project: string; functionName: string; alias: string; from: string; to: string; route?: AliasRoute }[];
}

/** Rollouts of the environment that did not finish (a killed run), with each alias's current split; `project`: only those it is part of. */
export async function unfinishedRollouts(ctx: DeployContext, project?: string): Promise<RolloutStatus[]> {
  if (!ctx.env.artifactBucket) return [];
  const store = new RolloutStore(ctx.session.store, ctx.env.artifactBucket);
  const statuses: RolloutStatus[] = [];
  for (const runId of await store.unfinished()) {
    const progress = await store.progress(runId);
    if (!progress || (project && !progress.plan.members.some((m) => m.project === project))) continue;
    const members = await Promise.all(progress.plan.members.filter((m) => !project || m.project === project).map(async (m) => ({ ...m, route: await ctx.session.aliases.read(m.functionName, m.alias) })));
    const step = progress.last.phase === 'step' || progress.last.phase === 'rolling-back' ? progress.last.step + 1 : undefined;
    statuses.push({ runId, phase: progress.last.phase, step, steps: progress.plan.steps.length, members });
  }
  return statuses;
}

/** `[fn] mid-rollout (run r, step 1/2): alias live version 3 90% / version 4 10%`. */
export function renderRolloutStatus(status: RolloutStatus): string[] {
  return status.members.map((m) => {
    const weights = Object.entries(m.route?.weights ?? {});
    const split = !m.route ? 'alias missing' : weights.length === 0 ? `version ${m.route.version} 100%` : `version ${m.route.version} ${Math.round((1 - weights.reduce((s, [, w]) => s + w, 0)) * 100)}% / ${weights.map(([v, w]) => `version ${v} ${Math.round(w * 100)}%`).join(' / ')}`;
    return `[${m.project}] mid-rollout (run ${status.runId}, ${status.phase === 'step' ? '' : `${status.phase} `}${status.step ? `at step ${status.step}/${status.steps}` : ''}): alias ${m.alias} ${split}; the next deploy finishes it`;
  });
}
