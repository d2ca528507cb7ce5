import { planAlias } from '../plan/plan-alias';
import { planFunction, type DesiredFunction, type FunctionPlanContext } from '../plan/plan-function';
import type { ProjectPlan } from '../plan/types';
import { readAliasState } from './alias-state';
import type { DeployContext } from './deploy-context';

/**
 * Gather and plan one function, as its own deploy and a layer's cascade both do: one GetFunction,
 * the alias reads when it declares one, then the pure planners.
 */
export async function readAndPlanFunction(ctx: DeployContext, desired: DesiredFunction, planContext: FunctionPlanContext): Promise<ProjectPlan> {
  const actual = await ctx.session.lambda.getFunction(desired.functionName);
  const plan = planFunction(desired, actual, planContext);
  planAlias(plan, desired.alias, await readAliasState(ctx.session.lambda, actual, desired.alias));
  return plan;
}
