import { createInterface } from 'node:readline/promises';
import { DeployError } from '@vectora/lambda-deploy';

/**
 * For environments with `requireApproval`: after the plan is printed, ask on a terminal; without one
 * (CI, or Nx running tasks without a TTY) refuse unless `--yes` was given. Never a silent yes.
 */
export function approvalFor(environment: string, project: string, yes: boolean): ((writes: number) => Promise<void>) | undefined {
  if (yes) return undefined;
  return async (writes) => {
    if (!(process.stdin.isTTY && process.stdout.isTTY)) {
      throw new DeployError('APPROVAL_REQUIRED', `${project}: ${environment} requires approval for ${writes} planned write(s) and there is no terminal to ask`, `review the plan with --dry-run, then rerun with --yes`);
    }
    const prompt = createInterface({ input: process.stdin, output: process.stdout });
    try {
      const answer = await prompt.question(`[${project}] apply ${writes} write(s) to ${environment}? [y/N] `);
      if (!/^y(es)?$/i.test(answer.trim())) throw new DeployError('NOT_APPROVED', `${project}: not approved, nothing written`, 'rerun and answer y to apply the plan');
    } finally {
      prompt.close();
    }
  };
}
