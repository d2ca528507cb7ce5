/**
 * Every failure the engine reports on purpose is a DeployError: a stable code (for tests, docs and
 * the troubleshooting table), a message naming the file/key/value involved, and a hint saying what
 * to do. One renderer prints them, so the wording stays uniform.
 */
export class DeployError extends Error {
  readonly code: string;
  readonly hint: string;
  override readonly cause?: unknown;

  constructor(code: string, message: string, hint: string, cause?: unknown) {
    super(message);
    this.name = 'DeployError';
    this.code = code;
    this.hint = hint;
    this.cause = cause;
  }
}

/** Several input errors found in one pass, so a user fixes them all before the next run. */
export class DeployErrors extends DeployError {
  readonly errors: DeployError[];

  constructor(errors: DeployError[]) {
    super(
      errors.length === 1 ? errors[0].code : 'INVALID_INPUT',
      errors.map((e) => e.message).join('\n'),
      errors.map((e) => e.hint).join('\n'),
    );
    this.errors = errors;
  }
}

export function isDeployError(error: unknown): error is DeployError {
  return error instanceof DeployError;
}

/** Throw all collected errors at once, or nothing when the list is empty. */
export function throwIfAny(errors: DeployError[]): void {
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new DeployErrors(errors);
}

/**
 * Runs one check and keeps the DeployErrors it throws (every one of a DeployErrors), so a pass over
 * many projects reports all their problems at once; any other failure is thrown on.
 */
export async function collectErrors(errors: DeployError[], check: () => Promise<unknown>): Promise<void> {
  try {
    await check();
  } catch (error) {
    if (!isDeployError(error)) throw error;
    errors.push(...(error instanceof DeployErrors ? error.errors : [error]));
  }
}

/** One text block per error: `error CODE: message` then `  fix: hint`. Unknown errors keep their message. */
export function renderError(error: unknown): string {
  if (error instanceof DeployErrors) return error.errors.map(renderError).join('\n');
  if (error instanceof DeployError) return `error ${error.code}: ${error.message}\n  fix: ${error.hint}`;
  if (error instanceof Error) return `error: ${error.message}`;
  return `error: ${String(error)}`;
}
