import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

function runtimeIn(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const raw = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    const runtime = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>).runtime : undefined;
    return typeof runtime === 'string' ? runtime : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The runtime a function.json declares (or lambdas/defaults.json under it), read leniently for the
 * graph: a Node function's package needs its layers built first. Undefined when neither file says;
 * the function's tasks then report the error.
 */
export function declaredRuntimeOf(root: string, file: string, defaultsFile: string): string | undefined {
  return runtimeIn(join(root, file)) ?? runtimeIn(join(root, defaultsFile));
}
