import type { FunctionSettings, FunctionState } from '../aws/lambda-port';

export interface SettingsDiff {
  change: Partial<FunctionSettings>;
  /** Human lines; environment values are never shown, only which names changed (they may be secrets). */
  diffs: string[];
}

/** Settings the repo leaves out (memory, timeout, environment, description) are not managed and never reset. */
export function diffSettings(desired: FunctionSettings, actual: FunctionState): SettingsDiff {
  const change: Partial<FunctionSettings> = {};
  const diffs: string[] = [];
  const scalar = <K extends 'runtime' | 'handler' | 'memory' | 'timeout' | 'description'>(key: K) => {
    const want = desired[key];
    if (want !== undefined && want !== actual[key]) {
      (change as Record<string, unknown>)[key] = want;
      diffs.push(key === 'description' ? 'description changed' : `${key} ${actual[key]} -> ${want}`);
    }
  };
  scalar('runtime');
  scalar('handler');
  scalar('memory');
  scalar('timeout');
  scalar('description');
  if (desired.environment !== undefined) {
    const names = environmentChanges(desired.environment, actual.environment);
    if (names.length > 0) {
      change.environment = desired.environment;
      diffs.push(`environment ${names.join(' ')}`);
    }
  }
  return { change, diffs };
}

function environmentChanges(want: Record<string, string>, have: Record<string, string>): string[] {
  const names = new Set([...Object.keys(want), ...Object.keys(have)]);
  return [...names].sort().flatMap((name) => {
    if (!(name in have)) return [`+${name}`];
    if (!(name in want)) return [`-${name}`];
    return want[name] !== have[name] ? [`~${name}`] : [];
  });
}
