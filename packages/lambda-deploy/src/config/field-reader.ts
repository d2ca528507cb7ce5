import { DeployError } from '../errors';

/**
 * Reads typed fields out of a parsed JSON object and collects one error per bad key (naming the
 * file, the key and the value received), so a config file is reported whole rather than one
 * mistake per run.
 */
export class FieldReader {
  readonly errors: DeployError[] = [];
  private readonly object: Record<string, unknown>;

  constructor(
    value: unknown,
    readonly file: string,
    allowedKeys: readonly string[],
  ) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.errors.push(new DeployError('CONFIG_INVALID', `${file}: must hold a JSON object`, 'wrap the settings in { ... }'));
      this.object = {};
      return;
    }
    this.object = value as Record<string, unknown>;
    for (const key of Object.keys(this.object)) {
      if (key !== '$schema' && !allowedKeys.includes(key)) {
        this.fail(key, `unknown key "${key}"`, `remove it, or use one of: ${allowedKeys.join(', ')}`);
      }
    }
  }

  fail(key: string, problem: string, hint: string): void {
    this.errors.push(new DeployError('CONFIG_INVALID', `${this.file}: ${key}: ${problem}`, hint));
  }

  has(key: string): boolean {
    return this.object[key] !== undefined;
  }

  string(key: string, opts: { required?: boolean; pattern?: RegExp; patternHint?: string } = {}): string | undefined {
    const value = this.object[key];
    if (value === undefined) {
      if (opts.required) this.fail(key, 'is required', `add "${key}": "..."`);
      return undefined;
    }
    if (typeof value !== 'string' || value.trim() === '') {
      this.fail(key, `must be a non-empty string, got ${show(value)}`, `set "${key}" to a string`);
      return undefined;
    }
    if (opts.pattern && !opts.pattern.test(value)) {
      this.fail(key, `"${value}" is not valid`, opts.patternHint ?? `match ${opts.pattern}`);
      return undefined;
    }
    return value;
  }

  integer(key: string, min: number, max: number, unit: string): number | undefined {
    const value = this.object[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.fail(key, `must be a whole number of ${unit} from ${min} to ${max}, got ${show(value)}`, `set "${key}" within ${min}..${max}`);
      return undefined;
    }
    return value;
  }

  boolean(key: string): boolean | undefined {
    const value = this.object[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') {
      this.fail(key, `must be true or false, got ${show(value)}`, `set "${key}" to true or false`);
      return undefined;
    }
    return value;
  }

  stringArray(key: string, opts: { allowed?: readonly string[]; nonEmpty?: boolean } = {}): string[] | undefined {
    const value = this.object[key];
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item === '')) {
      this.fail(key, `must be a list of strings, got ${show(value)}`, `set "${key}" to ["...", "..."]`);
      return undefined;
    }
    if (opts.nonEmpty && value.length === 0) {
      this.fail(key, 'must not be empty', `list at least one value in "${key}"`);
      return undefined;
    }
    if (opts.allowed) {
      const bad = value.filter((item) => !opts.allowed!.includes(item));
      if (bad.length > 0) {
        this.fail(key, `${bad.map((b) => `"${b}"`).join(', ')} not supported`, `use one of: ${opts.allowed.join(', ')}`);
        return undefined;
      }
    }
    const duplicates = value.filter((item, index) => value.indexOf(item) !== index);
    if (duplicates.length > 0) {
      this.fail(key, `lists ${duplicates.map((d) => `"${d}"`).join(', ')} more than once`, 'list each value once');
      return undefined;
    }
    return value as string[];
  }

  stringMap(key: string): Record<string, string> | undefined {
    const value = this.object[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string')) {
      this.fail(key, `must be an object of string values, got ${show(value)}`, `set "${key}" to { "NAME": "value" } (numbers and booleans must be quoted)`);
      return undefined;
    }
    return value as Record<string, string>;
  }

  raw(key: string): unknown {
    return this.object[key];
  }
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
