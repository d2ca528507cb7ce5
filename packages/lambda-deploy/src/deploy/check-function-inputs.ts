import { fillAccount } from '../config/function-config';
import { collectErrors, type DeployError, throwIfAny } from '../errors';
import type { DeployContext } from './deploy-context';
import { desiredFunction } from './desired-state';
import { checkExternalLayers } from './external-layers';
import { readSsmValues } from './read-ssm-values';

/**
 * What a run's functions take from AWS besides themselves, read for all of them before the run's
 * first write: the SSM parameters of their environment and their external layer versions. Every
 * problem is thrown at once (file, variable or ARN, fix), so a run of many projects (`run-many`)
 * fails before publishing any layer, not at the function that needs the missing input. The reads are
 * kept by the session, so each function's own plan then reads nothing again. `{account}` that only
 * the function's ARN would tell is left to that plan.
 */
export async function checkFunctionInputs(ctx: DeployContext, projects: string[]): Promise<void> {
  const errors: DeployError[] = [];
  const account = ctx.env.accountId ?? ctx.env.assumeRole?.split(':')[4] ?? ctx.env.functionRole?.split(':')[4];
  for (const project of projects.filter((p) => ctx.workspace.functions.has(p))) {
    const desired = desiredFunction(ctx, project, new Map(), { withCode: false });
    await collectErrors(errors, () => readSsmValues(ctx, fillAccount(desired.declaredEnvironment, account, desired.file, { strict: false })));
    await collectErrors(errors, () => checkExternalLayers(ctx, desired, account, { strict: false }));
  }
  throwIfAny(errors);
}
