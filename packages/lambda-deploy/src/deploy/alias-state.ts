import type { FunctionState, LambdaPort } from '../aws/lambda-port';
import type { AliasState } from '../plan/plan-alias';

/** Two reads, only for functions that declare an alias: where it points, and what that version holds. */
export async function readAliasState(lambda: LambdaPort, actual: FunctionState | undefined, alias: string | undefined): Promise<AliasState | undefined> {
  if (!alias || !actual) return undefined;
  const current = await lambda.getAlias(actual.name, alias);
  if (!current) return { exists: false };
  const version = await lambda.getFunction(actual.name, current.functionVersion);
  return { exists: true, pointsAt: version && { version: current.functionVersion, codeSha256: version.codeSha256, layers: version.layers } };
}
