import type { ParameterReader } from '../aws/ssm-parameter-reader';
import { DeployError } from '../errors';
import { isSsmReference, referenceKey, type PlannedEnvironment, type SecretValues } from '../plan/planned-environment';

/**
 * The variables Lambda is sent: SSM references replaced by the value of exactly the planned version,
 * from what planning read (no second call), else read by `name:version`.
 */
export async function revealEnvironment(project: string, environment: PlannedEnvironment | undefined, deps: { parameters?: ParameterReader; secrets?: SecretValues }): Promise<Record<string, string> | undefined> {
  if (!environment) return undefined;
  const values = new Map<string, string>();
  const refs = Object.values(environment).filter(isSsmReference);
  for (const ref of refs) {
    const known = deps.secrets?.get(ref);
    if (known !== undefined) values.set(referenceKey(ref), known);
  }
  const unknown = refs.filter((ref) => !values.has(referenceKey(ref)));
  if (unknown.length > 0 && deps.parameters) {
    for (const parameter of (await deps.parameters.read(unknown.map(referenceKey))).found) {
      values.set(referenceKey({ ssm: parameter.name, version: parameter.version }), parameter.value);
    }
  }
  const still = unknown.filter((ref) => !values.has(referenceKey(ref)));
  if (still.length > 0) {
    throw new DeployError('SSM_PARAMETER_MISSING', `${project}: SSM parameter ${still.map(referenceKey).join(', ')} (name:version) was planned but cannot be read now`, 'it was deleted, or that version is no longer kept, since the plan: rerun the deploy');
  }
  return Object.fromEntries(Object.entries(environment).map(([name, value]) => [name, isSsmReference(value) ? values.get(referenceKey(value))! : value]));
}
