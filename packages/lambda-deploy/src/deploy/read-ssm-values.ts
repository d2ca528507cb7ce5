import type { AwsSession } from '../aws/clients';
import { isSsmValue, missingParameterError, type EnvironmentMap, type SsmValue } from '../config/environment-values';
import { throwIfAny } from '../errors';
import type { PlannedEnvironment } from '../plan/planned-environment';
import type { DeployContext } from './deploy-context';

// Every function a session plans shares what it read (checkFunctionInputs, then each plan): each name is read once per session. Only
// the version is kept here; the values live in the session's SecretValues, which never serialise.
const latestVersions = new WeakMap<AwsSession, Map<string, number>>();

/**
 * Reads the SSM parameters an environment map names (one GetParameters per ten), keeps their values
 * in the session's SecretValues and answers the map as a plan holds it: each SSM variable as its
 * parameter and version. A parameter that does not exist fails here, naming the file, variable and
 * parameter: this runs while planning, before any write.
 */
export async function readSsmValues(ctx: DeployContext, environment: EnvironmentMap | undefined): Promise<PlannedEnvironment | undefined> {
  if (!environment) return undefined;
  const wanted = Object.entries(environment).filter((entry): entry is [string, SsmValue] => isSsmValue(entry[1]));
  // `{account}` still unresolved only in a dry-run of a function to be created: nothing can be read yet, version 0 says "unknown".
  const readable = wanted.filter(([, value]) => !value.ssm.includes('{account}'));
  const versions = latestVersions.get(ctx.session) ?? new Map<string, number>();
  latestVersions.set(ctx.session, versions);
  const unread = [...new Set(readable.map(([, value]) => value.ssm))].filter((name) => !versions.has(name));
  const { found, missing } = unread.length ? await ctx.session.parameters.read(unread) : { found: [], missing: [] };
  throwIfAny(readable.filter(([, value]) => missing.includes(value.ssm)).map(([variable, value]) => missingParameterError(variable, value, ctx.env.region)));
  for (const parameter of found) {
    versions.set(parameter.name, parameter.version);
    ctx.session.secrets.set({ ssm: parameter.name, version: parameter.version }, parameter.value);
  }
  const planned: PlannedEnvironment = {};
  for (const [variable, value] of Object.entries(environment)) {
    planned[variable] = isSsmValue(value) ? { ssm: value.ssm, version: versions.get(value.ssm) ?? 0 } : value;
  }
  return planned;
}
