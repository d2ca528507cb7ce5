import { inspect } from 'node:util';

/**
 * A variable read from SSM, as a plan holds it: the parameter and the version whose value the plan
 * compared, never the value. Apply reads exactly that version (`name:version`), so it sets what was
 * planned even if the parameter moved on meanwhile; the next deploy then sees the change.
 *
 * No hash of the value either: a plan lands in the JSON report, and an unsalted hash of a short secret
 * (a PIN, a password) can be guessed offline. "Changed" is decided in memory at plan time, against the
 * value GetFunction returns, and the version number names the value as precisely as a hash would.
 */
export interface SsmReference {
  ssm: string;
  version: number;
}

export type PlannedValue = string | SsmReference;
export type PlannedEnvironment = Record<string, PlannedValue>;

export function isSsmReference(value: PlannedValue): value is SsmReference {
  return typeof value === 'object' && value !== null && typeof value.ssm === 'string';
}

export function referenceKey(ref: SsmReference): string {
  return `${ref.ssm}:${ref.version}`;
}

/**
 * Parameter values read in this process, by `name:version`. Plans refer to them and never contain
 * them; the holder refuses to be serialised or printed, so a value cannot reach a report or a log by
 * way of an object dump.
 */
export class SecretValues {
  readonly #values = new Map<string, string>();

  get(ref: SsmReference): string | undefined {
    return this.#values.get(referenceKey(ref));
  }

  set(ref: SsmReference, value: string): void {
    this.#values.set(referenceKey(ref), value);
  }

  toJSON(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return `SecretValues(${this.#values.size} redacted)`;
  }
}
