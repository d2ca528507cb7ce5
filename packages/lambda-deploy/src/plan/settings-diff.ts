import type { FunctionState } from '../aws/lambda-port';
import type { LoggingSettings, VpcSettings } from '../config/function-settings-reader';
import { isSsmReference, SecretValues, type PlannedEnvironment } from './planned-environment';
import type { PlannedSettings } from './types';

export interface SettingsDiff {
  change: Partial<PlannedSettings>;
  /** Human lines; environment values are never shown, only which names changed (they may be secrets). */
  diffs: string[];
}

/**
 * Settings the repo leaves out (memory, timeout, environment, description, role, tracing, ...) are not
 * managed and never reset. SSM values are compared in memory with `secrets`, the values read for this plan.
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
  if (desired.role !== undefined && desired.role !== actual.role) {
    change.role = desired.role;
    diffs.push(`role ${actual.role.split('/').pop()} -> ${desired.role.split('/').pop()}`);
  }
  if (desired.tracing !== undefined && desired.tracing !== actual.tracing) {
    change.tracing = desired.tracing;
    diffs.push(`tracing ${actual.tracing} -> ${desired.tracing}`);
  }
  if (desired.ephemeralStorage !== undefined && desired.ephemeralStorage !== actual.ephemeralStorage) {
    change.ephemeralStorage = desired.ephemeralStorage;
    diffs.push(`ephemeralStorage ${actual.ephemeralStorage} -> ${desired.ephemeralStorage}`);
  }
  if (desired.deadLetter !== undefined && desired.deadLetter !== actual.deadLetter) {
    change.deadLetter = desired.deadLetter;
    diffs.push(`deadLetter ${actual.deadLetter ?? '(none)'} -> ${desired.deadLetter}`);
  }
  const logging = loggingChanges(desired.logging, actual.logging);
  if (logging.length > 0) {
    // Lambda replaces the whole LoggingConfig: the fields the repo leaves out keep their current values.
    change.logging = { ...withoutUndefined(actual.logging), ...desired.logging };
    diffs.push(`logging ${logging.join(', ')}`);
  }
  if (desired.vpc !== undefined && !sameVpc(desired.vpc, actual.vpc)) {
    change.vpc = desired.vpc;
    diffs.push(`vpc ${describeVpc(actual.vpc)} -> ${describeVpc(desired.vpc)}`);
  }
  if (desired.environment !== undefined) {
    const names = environmentChanges(desired.environment, actual.environment, secrets);
    if (names.length > 0) {
      change.environment = desired.environment;
      diffs.push(`environment ${names.join(' ')}`);
    }
  }
  return { change, diffs };
}

function loggingChanges(want: LoggingSettings | undefined, have: LoggingSettings): string[] {
  if (!want) return [];
  return (Object.keys(want) as (keyof LoggingSettings)[]).filter((key) => want[key] !== have[key]).map((key) => `${key} ${have[key] ?? '(default)'} -> ${want[key]}`);
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function sameVpc(a: VpcSettings, b: VpcSettings): boolean {
  const same = (x: string[], y: string[]) => x.length === y.length && [...x].sort().every((id, i) => id === [...y].sort()[i]);
  return same(a.subnetIds, b.subnetIds) && same(a.securityGroupIds, b.securityGroupIds);
}

function describeVpc(vpc: VpcSettings): string {
  return vpc.subnetIds.length === 0 ? '(none)' : `${vpc.subnetIds.length} subnets/${vpc.securityGroupIds.length} security groups`;
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
