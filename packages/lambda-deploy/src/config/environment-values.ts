import { DeployError } from '../errors';
import type { FieldReader } from './field-reader';

/** A variable whose value lives in SSM Parameter Store, read at deploy time and never written anywhere by this tool. */
export interface SsmValue {
  ssm: string;
  /** The file (and block) that declared it, for errors: after the defaults/environments merge, it is no longer evident. */
  declaredIn: string;
}

export type EnvironmentValue = string | SsmValue;
export type EnvironmentMap = Record<string, EnvironmentValue>;

export function isSsmValue(value: unknown): value is SsmValue {
  return typeof value === 'object' && value !== null && typeof (value as SsmValue).ssm === 'string';
}

/** What logs, plans and status show for a value: itself, or `ssm:<name>` for a parameter. */
export function shownValue(value: EnvironmentValue): string {
  return isSsmValue(value) ? `ssm:${value.ssm}` : value;
}

const ENV_NAME = /^[a-zA-Z]\w*$/;
// SSM's own name rule (letters, digits, . - _ and / separators), plus the placeholders substituted at deploy.
const PARAMETER_NAME = /^\/?([a-zA-Z0-9_.{}-]+\/)*[a-zA-Z0-9_.{}-]+$/;
// Lambda reserves these; setting them fails at UpdateFunctionConfiguration, so catch them here.
const RESERVED_ENV = ['_HANDLER', 'AWS_REGION', 'AWS_EXECUTION_ENV', 'AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR'];

/** `environment`: variable names to a string, or to `{ "ssm": "/parameter/name" }`. */
export function readEnvironmentMap(r: FieldReader, key: string): EnvironmentMap | undefined {
  const raw = r.raw(key);
  if (raw === undefined) return undefined;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    r.fail(key, `must be an object of variables, got ${JSON.stringify(raw).slice(0, 60)}`, `set "${key}" to { "NAME": "value", "SECRET": { "ssm": "/app/{env}/secret" } }`);
    return undefined;
  }
  const result: EnvironmentMap = {};
  for (const [name, value] of Object.entries(raw)) {
    const at = `${key}.${name}`;
    if (!ENV_NAME.test(name)) r.fail(at, 'is not a valid variable name', 'start with a letter; use letters, digits and _');
    if (RESERVED_ENV.includes(name)) r.fail(at, 'is reserved by Lambda', 'rename the variable');
    if (typeof value === 'string') {
      result[name] = value;
    } else if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).join() === 'ssm' && typeof (value as SsmValue).ssm === 'string') {
      const parameter = (value as SsmValue).ssm;
      if (!PARAMETER_NAME.test(parameter) || parameter.length > 2048) {
        r.fail(at, `"${parameter}" is not a valid SSM parameter name`, 'use a name such as "/shop/{env}/table-name" (letters, digits, . - _ and / between levels)');
      } else {
        result[name] = { ssm: parameter, declaredIn: r.file };
      }
    } else {
      r.fail(at, `must be a string or { "ssm": "<parameter name>" }, got ${JSON.stringify(value).slice(0, 60)}`, 'quote numbers and booleans; read a value from Parameter Store with { "ssm": "/app/{env}/name" }');
    }
  }
  return result;
}

export interface PlaceholderValues {
  env: string;
  region: string;
  prefix: string;
  account?: string;
}

/** `{env}`, `{region}`, `{prefix}`, and `{account}` when known (else left for fillAccount to refuse or fill). */
export function substituteText(text: string, values: PlaceholderValues): string {
  const done = text.replaceAll('{env}', values.env).replaceAll('{region}', values.region).replaceAll('{prefix}', values.prefix);
  return values.account ? done.replaceAll('{account}', values.account) : done;
}

/** Substitutes in a plain value, or in a parameter's name (the parameter's value is never touched). */
export function substituteValue(value: EnvironmentValue, substitute: (text: string) => string): EnvironmentValue {
  return isSsmValue(value) ? { ...value, ssm: substitute(value.ssm) } : substitute(value);
}

/** `{account}` still in a value or a parameter name. */
export function needsAccount(value: EnvironmentValue): boolean {
  return (isSsmValue(value) ? value.ssm : value).includes('{account}');
}

/** One error per parameter that does not exist, naming the file, the variable and the parameter; thrown before any write. */
export function missingParameterError(variable: string, value: SsmValue, region: string): DeployError {
  return new DeployError(
    'SSM_PARAMETER_MISSING',
    `${value.declaredIn}: environment.${variable}: SSM parameter ${value.ssm} does not exist in ${region}`,
    `create it (aws ssm put-parameter --region ${region} --name ${value.ssm} --type SecureString --value ...) or fix the name in that file`,
  );
}
