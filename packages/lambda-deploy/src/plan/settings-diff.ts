import type { FunctionState } from '../aws/lambda-port';
import { isSsmReference, SecretValues, type PlannedEnvironment } from './planned-environment';
import type { PlannedSettings } from './types';

export interface SettingsDiff {
  change: Partial<PlannedSettings>;
  /** Human lines; environment values are never shown, only which names changed (they may be secrets). */
  diffs: string[];
}

/**
 * Settings the repo leaves out (memory, timeout, environment, description) are not managed and never
 * reset. SSM values are compared in memory with `secrets`, the values read for this plan.
 */
export function diffSettings(desired: PlannedSettings, actual: FunctionState, secrets: SecretValues = new SecretValues()): SettingsDiff {
  const change: Partial<PlannedSettings> = {};
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
    const names = environmentChanges(desired.environment, actual.environment, secrets);
    if (names.length > 0) {
      change.environment = desired.environment;
      diffs.push(`environment ${names.join(' ')}`);
    }
  }
  return { change, diffs };
}

/** `+NEW -GONE ~CHANGED`, an SSM variable as `~NAME(ssm:/its/parameter)`. */
function environmentChanges(want: PlannedEnvironment, have: Record<string, string>, secrets: SecretValues): string[] {
  const names = new Set([...Object.keys(want), ...Object.keys(have)]);
  return [...names].sort().flatMap((name) => {
    const wanted = want[name];
    const shown = wanted !== undefined && isSsmReference(wanted) ? `${name}(ssm:${wanted.ssm})` : name;
    if (!(name in have)) return [`+${shown}`];
    if (wanted === undefined) return [`-${name}`];
    const value = isSsmReference(wanted) ? secrets.get(wanted) : wanted;
    return value !== have[name] ? [`~${shown}`] : [];
  });
}
