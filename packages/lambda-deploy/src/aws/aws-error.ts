import { DeployError } from '../errors';

/** The error code the SDK puts on a service exception (`name`), or undefined for non-AWS errors. */
export function awsErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const name = (error as { name?: unknown }).name;
  return typeof name === 'string' && name !== 'Error' ? name : undefined;
}

export function httpStatusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

const THROTTLING = new Set(['TooManyRequestsException', 'ThrottlingException', 'Throttling', 'ThrottledException', 'RequestLimitExceeded', 'SlowDown', 'ProvisionedThroughputExceededException']);
const TRANSIENT = new Set(['ServiceException', 'InternalFailure', 'InternalError', 'ServiceUnavailable', 'ServiceUnavailableException', 'EC2ThrottledException', 'TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND']);

// The codes S3-compatible stores give a request header they do not implement (e.g. a precondition).
const NOT_SUPPORTED = new Set(['NotImplemented', 'NotSupported', 'UnsupportedOperation', 'InvalidArgument', 'InvalidRequest', 'UnsupportedHeader']);

/**
 * Whether an answer means "this service does not do that", not "try again": 501 in any form, or a 400
 * whose code or message says so. Stores answer an S3 condition header they lack either way.
 */
export function isNotSupported(error: unknown): boolean {
  const status = httpStatusOf(error);
  const code = awsErrorCode(error);
  if (status === 501 || code === 'NotImplemented') return true;
  if (status !== 400) return false;
  return (code !== undefined && NOT_SUPPORTED.has(code)) || /not (supported|implemented)|unsupported/i.test((error as Error)?.message ?? '');
}

export type RetryClass = 'throttled' | 'conflict' | 'transient' | 'fatal';

/**
 * Sorts a failure into what to do about it: throttling and conflicts (a function still InProgress)
 * and server-side or network faults are worth another try; validation and permission errors never are.
 */
export function classifyError(error: unknown): RetryClass {
  const code = awsErrorCode(error);
  const status = httpStatusOf(error);
  if ((code && THROTTLING.has(code)) || status === 429) return 'throttled';
  if (code === 'ResourceConflictException') return 'conflict';
  // 501 is a 5xx that no retry can change: the store lacks the feature.
  if (status === 501 || code === 'NotImplemented') return 'fatal';
  if ((code && TRANSIENT.has(code)) || (status !== undefined && status >= 500)) return 'transient';
  const sysCode = (error as { code?: string })?.code;
  if (sysCode && NETWORK.has(sysCode)) return 'transient';
  return 'fatal';
}

// Hints for the errors a deploy role or an input typically causes; the rest keep AWS's own message.
const HINTS: Record<string, (action: string) => string> = {
  AccessDeniedException: (action) => `the deploy role needs permission for ${action} on this resource (see \`nx run-many -t iam-policy\` or the README's IAM section)`,
  AccessDenied: (action) => `the deploy role needs permission for ${action} on this resource`,
  UnrecognizedClientException: () => 'the AWS credentials are invalid: check AWS_PROFILE / AWS_ACCESS_KEY_ID, or run `aws sso login`',
  InvalidSignatureException: () => 'the AWS credentials are invalid or the clock is skewed: check AWS_PROFILE and the system time',
  ExpiredTokenException: () => 'the AWS session expired: refresh the credentials (e.g. `aws sso login`) and rerun',
  CredentialsProviderError: () => 'no AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY',
  NoSuchBucket: () => 'create the artifact bucket or fix "artifactBucket" for this environment in nx.json',
  PermanentRedirect: () => 'the artifact bucket is in another region than the environment: fix "region" or "artifactBucket" in nx.json',
  AuthorizationHeaderMalformed: () => 'the artifact bucket is in another region than the environment: fix "region" or "artifactBucket" in nx.json',
  CodeStorageExceededException: () => 'the account is out of Lambda code storage (75 GB by default): run `nx run <layer>:prune -c <env>`',
  InvalidParameterValueException: () => 'AWS rejected a value: check the function.json/layer.json key named in the message',
  ResourceConflictException: () => 'the function is being updated by someone else or is still InProgress: wait and rerun',
  TooManyRequestsException: () => 'Lambda throttled the deploy beyond the retry budget: rerun later, or lower the concurrency',
  ResourceNotFoundException: () => 'the resource does not exist in this account and region: check the environment and the name',
};

/** Wraps an SDK failure into a DeployError that names the AWS code, the action, and a fix. */
export function toDeployError(error: unknown, action: string, subject: string): DeployError {
  if (error instanceof DeployError) return error;
  const code = awsErrorCode(error) ?? 'UnknownError';
  const message = (error as Error)?.message ?? String(error);
  const hint = HINTS[code]?.(action) ?? 'see the AWS message above; rerun with --verbose to list the calls made';
  return new DeployError(`AWS_${code}`, `${subject}: ${code} on ${action}: ${message}`, hint, error);
}
