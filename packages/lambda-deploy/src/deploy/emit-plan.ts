import { describeAction, passiveEvent } from '../apply/describe-action';
import { isWrite, type ProjectPlan } from '../plan/types';
import { gateOnAlarms } from '../rollout/alarm-gate';
import type { DeployContext } from './deploy-context';

/**
 * Prints the write actions of the plans before anything is applied. A dry-run prints the same lines
 * and stops, so what it shows is exactly what the real run then does.
 */
function emitPlan(ctx: DeployContext, plans: ProjectPlan[]): number {
  let writes = 0;
  for (const plan of plans) {
    for (const action of plan.actions.filter(isWrite)) {
      writes++;
      ctx.log.emit({ project: plan.project, step: 'plan', outcome: 'planned', message: `plan ${describeAction(action)}`, details: { action: action.kind } });
    }
  }
  return writes;
}

/** In a dry-run, skips and warnings are still reported as they would be; nothing else happens. */
function emitDryRunOutcome(ctx: DeployContext, plans: ProjectPlan[], writes: number): void {
  for (const plan of plans) {
    for (const action of plan.actions.filter((a) => !isWrite(a))) {
      ctx.log.emit(passiveEvent(plan.project, action));
    }
  }
  const project = plans[0]?.project ?? 'deploy';
  ctx.log.emit({ project, step: 'dry-run', outcome: 'info', message: `dry-run: ${writes} write${writes === 1 ? '' : 's'} planned, none made` });
}

/**
 * Prints the plans; then, in a dry-run, reports what would happen and answers false (apply nothing);
 * otherwise stops when a rollout's alarm is already firing, asks for approval where the environment requires it (which throws on a refusal) and
 * answers true.
 */
export async function presentPlan(ctx: DeployContext, plans: ProjectPlan[]): Promise<boolean> {
  const writes = emitPlan(ctx, plans);
  if (ctx.dryRun) {
    emitDryRunOutcome(ctx, plans, writes);
    return false;
  }
  if (writes > 0) {
    await gateOnAlarms(ctx, plans);
    await ctx.approve?.(writes);
  }
  return true;
}
