import { DeployError, DeployErrors, renderError, throwIfAny } from '@vectora/lambda-deploy';

/**
 * Generators collect every problem with the options (like the engine does with config files) and
 * stop before writing anything. Nx prints only an error's message, so the message carries the fix.
 */
export class GeneratorProblems {
  readonly errors: DeployError[] = [];

  add(code: string, message: string, hint: string): void {
    this.errors.push(new DeployError(code, message, hint));
  }

  /**
   * Runs an engine check and keeps the DeployErrors it throws (`reword` may restate each message, code
   * and fix kept); anything else is a bug and propagates.
   */
  collect<T>(check: () => T, reword?: (message: string) => string): T | undefined {
    try {
      return check();
    } catch (error) {
      if (!(error instanceof DeployError)) throw error;
      const errors = error instanceof DeployErrors ? error.errors : [error];
      this.errors.push(...(reword ? errors.map((e) => new DeployError(e.code, reword(e.message), e.hint, e)) : errors));
      return undefined;
    }
  }

  /** Throws one Error listing every problem as `error CODE: message` / `  fix: hint`. */
  throwIfAny(): void {
    try {
      throwIfAny(this.errors);
    } catch (error) {
      throw new Error(renderError(error));
    }
  }
}
