import type { FunctionState } from '../aws/lambda-port';
import type { LayerUse } from '../plan/plan-prune';

/**
 * Every layer ARN attached to these functions, with a name to print for the user: the repo's
 * project name for its own functions, the AWS name plus "(not in this repo)" for anyone else's
 * (another team's function counts just as much), and `:<n>` for a published function version.
 */
export function layerUsesOf(functions: FunctionState[], repoFunctions: Map<string, string>): LayerUse[] {
  return functions.flatMap((fn) => {
    const project = repoFunctions.get(fn.name);
    const qualifier = fn.version && fn.version !== '$LATEST' ? `:${fn.version}` : '';
    const by = project ? `${project}${qualifier}` : `${fn.name}${qualifier} (not in this repo)`;
    return fn.layers.map((arn) => ({ arn, by }));
  });
}

/** `812 KB`, `3.4 MB`: sizes as prune reports what it frees of the account's code storage. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1048576).toFixed(1)} MB`;
}
