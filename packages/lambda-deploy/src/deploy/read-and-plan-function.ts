import type { FunctionState } from '../aws/lambda-port';
import { fillAccount } from '../config/function-config';
import { planAlias } from '../plan/plan-alias';
import { planFunction, type DesiredFunction, type FunctionPlanContext } from '../plan/plan-function';
import type { ProjectPlan } from '../plan/types';
import { readAliasState } from './alias-state';
import { readSsmValues } from './read-ssm-values';
import { fillSettingsAccount } from './fill-settings-account';
import { checkExternalLayers, type ExternalLayers } from './external-layers';
import type { DeployContext } from './deploy-context';

/**
 * Gather and plan one function, as its own deploy and a layer's cascade both do: one GetFunction,
 * the SSM values of its environment and its external layer versions (not for a cascade, which sends
 * neither), the alias reads when it declares one, then the pure planners. Every input read from AWS
 * is checked here, before the plan is applied.
 */
export async function readAndPlanFunction(ctx: DeployContext, desired: DesiredFunction, planContext: FunctionPlanContext, options: { checkSize?: (external: ExternalLayers['sizes']) => unknown; checkStack?: (external: ExternalLayers) => void } = {}): Promise<ProjectPlan> {
  const actual = await ctx.session.lambda.getFunction(desired.functionName);
  const strict = !ctx.dryRun && (actual !== undefined || planContext.createMissing);
  const account = await accountOf(ctx, actual, planContext);
  // A layers-only update never sends the environment, so its values (and SSM parameters) are not read.
  const environment = planContext.layersOnly ? undefined : await readSsmValues(ctx, fillAccount(desired.declaredEnvironment, account, desired.file, { strict }));
  // A cascade repoints one managed layer and leaves every other entry, external ones included, as it is.
  const external = planContext.scope === 'all' ? await checkExternalLayers(ctx, desired, account, { strict }) : { layers: desired.layers, sizes: [], packages: new Map() };
  options.checkSize?.(external.sizes);
  // A cascade checks the stack too (the new layer version may be what brings a conflict), external layers' content unknown there.
  options.checkStack?.(external);
  const managedLayerNames = new Map([...planContext.managedLayerNames, ...external.layers.filter((l) => l.external).map((l) => [l.layerName, l.project] as const)]);
  const filled = planContext.layersOnly ? desired : fillSettingsAccount(desired, account, { strict });
  const plan = planFunction({ ...desired, ...filled, layers: external.layers, settings: { ...filled.settings, environment }, secrets: ctx.session.secrets }, actual, { ...planContext, managedLayerNames });
  planAlias(plan, desired.alias, await readAliasState(ctx.session.lambda, actual, desired.alias));
  return plan;
}

/**
 * For {account} in a value the environment does not pin: the function's own ARN, or for a function
 * about to be created, its execution role's (a dry-run never makes the emulator's role, so it plans
 * with {account} unresolved: values never show in a plan anyway).
 */
async function accountOf(ctx: DeployContext, actual: FunctionState | undefined, planContext: FunctionPlanContext): Promise<string | undefined> {
  if (ctx.env.accountId) return ctx.env.accountId;
  const fromArn = actual?.arn.split(':')[4];
  if (fromArn) return fromArn;
  if (!actual && planContext.createMissing && !ctx.dryRun && ctx.functionRole) return (await ctx.functionRole()).split(':')[4];
  return undefined;
}
