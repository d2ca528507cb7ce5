import type { FieldReader } from './field-reader';

export const TRACING_MODES = ['Active', 'PassThrough'] as const;
export const LOG_FORMATS = ['JSON', 'Text'] as const;
export const APPLICATION_LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
export const SYSTEM_LOG_LEVELS = ['DEBUG', 'INFO', 'WARN'] as const;

/** Lambda's logging configuration; only the fields set are managed. */
export interface LoggingSettings {
  format?: (typeof LOG_FORMATS)[number];
  applicationLogLevel?: (typeof APPLICATION_LOG_LEVELS)[number];
  systemLogLevel?: (typeof SYSTEM_LOG_LEVELS)[number];
  logGroup?: string;
}

/** Both lists together (Lambda replaces the pair); two empty lists take the function out of its VPC. */
export interface VpcSettings {
  subnetIds: string[];
  securityGroupIds: string[];
}

/** The settings of issue 7: each managed only when set, each may vary per environment. */
export interface ExtraFunctionSettings {
  /** Execution role ARN; `{account}`, `{env}`, `{region}`, `{prefix}` substituted. */
  role?: string;
  tracing?: (typeof TRACING_MODES)[number];
  reservedConcurrency?: number;
  /** /tmp size in MB. */
  ephemeralStorage?: number;
  tags?: Record<string, string>;
  logging?: LoggingSettings;
  vpc?: VpcSettings;
  /** SQS queue or SNS topic ARN for failed asynchronous invocations; placeholders substituted. */
  deadLetter?: string;
}

export const EXTRA_SETTING_KEYS = ['role', 'tracing', 'reservedConcurrency', 'ephemeralStorage', 'tags', 'logging', 'vpc', 'deadLetter'] as const;

/** The key that records which tags the repo manages, so a tag removed from the file is removed from the function and nobody else's is. */
export const MANAGED_TAGS_KEY = 'lambda-deploy:managed-tags';

const ROLE = /^arn:aws[a-z-]*:iam::(\d{12}|\{account\}):role\/[\w+=,.@{}/-]+$/;
const DEAD_LETTER = /^arn:aws[a-z-]*:(sqs|sns):([a-z]{2}(-[a-z]+)+-\d|\{region\}):(\d{12}|\{account\}):[\w.{}-]+$/;
const LOG_GROUP = /^[\w#./{}-]{1,512}$/;
const TAG_KEY = /^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@{}]{0,256}$/u;

/** Reads the settings above into `out`; every problem lands in the reader's errors, naming file and key. */
export function readExtraSettings(r: FieldReader, out: ExtraFunctionSettings): void {
  out.role = r.string('role', { pattern: ROLE, patternHint: 'use an IAM role ARN, e.g. "arn:aws:iam::{account}:role/shop-{env}-lambda"' });
  const tracing = r.string('tracing');
  if (tracing && !(TRACING_MODES as readonly string[]).includes(tracing)) r.fail('tracing', `"${tracing}" not supported`, `use one of: ${TRACING_MODES.join(', ')}`);
  else out.tracing = tracing as ExtraFunctionSettings['tracing'];
  out.reservedConcurrency = r.integer('reservedConcurrency', 0, 1_000_000, 'concurrent executions');
  out.ephemeralStorage = r.integer('ephemeralStorage', 512, 10240, 'MB');
  out.deadLetter = r.string('deadLetter', { pattern: DEAD_LETTER, patternHint: 'use an SQS queue or SNS topic ARN, e.g. "arn:aws:sqs:{region}:{account}:shop-dlq"' });
  out.tags = readTags(r);
  out.logging = readLogging(r);
  out.vpc = readVpc(r);
}

function readTags(r: FieldReader): Record<string, string> | undefined {
  const tags = r.stringMap('tags');
  if (!tags) return undefined;
  let ok = true;
  for (const [key, value] of Object.entries(tags)) {
    if (!TAG_KEY.test(key) || key === MANAGED_TAGS_KEY) {
      r.fail(`tags.${key}`, 'is not a tag key this tool can manage', `use 1-128 letters, digits, spaces and _ . : / = + - @, not starting with "aws:", and not "${MANAGED_TAGS_KEY}" (the tool's own)`);
      ok = false;
    } else if (!TAG_VALUE.test(value)) {
      r.fail(`tags.${key}`, `"${value}" is not a valid tag value`, 'use up to 256 letters, digits, spaces and _ . : / = + - @');
      ok = false;
    }
  }
  // Lambda allows 50 tags; the tool's record of managed keys is one of them, and holds their names.
  if (Object.keys(tags).length > 49) {
    r.fail('tags', `sets ${Object.keys(tags).length} tags, at most 49 can be managed (Lambda allows 50, one records the managed keys)`, 'drop some tags');
    ok = false;
  } else if (Object.keys(tags).join(' ').length > 256) {
    r.fail('tags', 'the tag keys together are over 256 characters, too long to record which ones are managed', 'use fewer or shorter tag keys');
    ok = false;
  }
  return ok ? tags : undefined;
}

function readLogging(r: FieldReader): LoggingSettings | undefined {
  const raw = r.raw('logging');
  if (raw === undefined) return undefined;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    r.fail('logging', 'must be an object', 'set "logging": { "format": "JSON", "applicationLogLevel": "INFO", "systemLogLevel": "WARN", "logGroup": "/aws/lambda/shop" }');
    return undefined;
  }
  const logging = raw as Record<string, unknown>;
  const errors = r.errors.length;
  const oneOf = <T extends string>(key: string, allowed: readonly T[]): T | undefined => {
    const value = logging[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) r.fail(`logging.${key}`, `${JSON.stringify(value)} not supported`, `use one of: ${allowed.join(', ')}`);
    return value as T;
  };
  for (const key of Object.keys(logging)) {
    if (!['format', 'applicationLogLevel', 'systemLogLevel', 'logGroup'].includes(key)) r.fail(`logging.${key}`, `unknown key "${key}"`, 'use format, applicationLogLevel, systemLogLevel, logGroup');
  }
  const result: LoggingSettings = { format: oneOf('format', LOG_FORMATS), applicationLogLevel: oneOf('applicationLogLevel', APPLICATION_LOG_LEVELS), systemLogLevel: oneOf('systemLogLevel', SYSTEM_LOG_LEVELS) };
  if (logging.logGroup !== undefined) {
    if (typeof logging.logGroup !== 'string' || !LOG_GROUP.test(logging.logGroup)) r.fail('logging.logGroup', `${JSON.stringify(logging.logGroup)} is not a log group name`, 'use a CloudWatch log group name, e.g. "/aws/lambda/shop-{env}"');
    else result.logGroup = logging.logGroup;
  }
  // Lambda applies log levels to JSON logs only, and refuses them with Text.
  if ((result.applicationLogLevel || result.systemLogLevel) && result.format !== 'JSON') {
    r.fail('logging', 'log levels need "format": "JSON"', 'add "format": "JSON", or remove applicationLogLevel/systemLogLevel');
  }
  return r.errors.length === errors ? Object.fromEntries(Object.entries(result).filter(([, v]) => v !== undefined)) : undefined;
}

function readVpc(r: FieldReader): VpcSettings | undefined {
  const raw = r.raw('vpc');
  if (raw === undefined) return undefined;
  const vpc = raw as Record<string, unknown>;
  const list = (key: string, prefix: string) => {
    const value = vpc?.[key];
    if (!Array.isArray(value) || value.some((id) => typeof id !== 'string' || !new RegExp(`^${prefix}-[0-9a-f]{8,17}$`).test(id))) {
      r.fail(`vpc.${key}`, `must be a list of ${prefix}-... ids, got ${JSON.stringify(value)?.slice(0, 60)}`, `set "${key}": ["${prefix}-0123456789abcdef0"]`);
      return undefined;
    }
    return value as string[];
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || Object.keys(vpc).some((k) => !['subnetIds', 'securityGroupIds'].includes(k))) {
    r.fail('vpc', 'must be { "subnetIds": [...], "securityGroupIds": [...] }', 'set both lists (both empty to take the function out of its VPC)');
    return undefined;
  }
  const subnetIds = list('subnetIds', 'subnet');
  const securityGroupIds = list('securityGroupIds', 'sg');
  if (!subnetIds || !securityGroupIds) return undefined;
  if ((subnetIds.length === 0) !== (securityGroupIds.length === 0)) {
    r.fail('vpc', 'needs subnets and security groups together', 'list at least one of each, or leave both empty to take the function out of its VPC');
    return undefined;
  }
  return { subnetIds, securityGroupIds };
}
