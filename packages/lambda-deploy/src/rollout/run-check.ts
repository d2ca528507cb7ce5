import { execa } from '../util/lazy-modules';

export interface CheckResult {
  exitCode: number;
  /** The last line the command printed, to name the failure in one line. */
  lastLine: string;
}

export type CheckRunner = (command: string, step: { index: number; percent: number }) => Promise<CheckResult>;

/** Runs the rollout's check through the shell, in the workspace, told which step it checks. */
export function shellCheckRunner(cwd: string, environment: string): CheckRunner {
  return async (command, step) => {
    const result = await execa(command, {
      shell: true,
      cwd,
      reject: false,
      all: true,
      env: { VECTORA_ENV: environment, VECTORA_ROLLOUT_STEP: String(step.index + 1), VECTORA_ROLLOUT_PERCENT: String(step.percent) },
    });
    const lines = (result.all ?? '').trim().split('\n');
    return { exitCode: result.exitCode ?? 1, lastLine: lines.at(-1) ?? '' };
  };
}
