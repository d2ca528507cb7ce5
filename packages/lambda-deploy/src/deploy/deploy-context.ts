import type { AwsSession } from '../aws/clients';
import type { WaitOptions } from '../aws/wait-for-update';
import type { Environment } from '../config/environment';
import type { Workspace } from '../config/workspace';
import type { ProjectPlan } from '../plan/types';
import type { EventLog } from '../report/events';

/** Everything one deploy-like task needs; built by the caller (the Nx executor, a test, a benchmark). */
export interface DeployContext {
  workspace: Workspace;
  env: Environment;
  session: AwsSession;
  log: EventLog;
  dryRun: boolean;
  /** Identifies one `nx` invocation, so tasks of the same run can share what they resolved. */
  runId?: string;
  /** Functions updated at once in a cascade (each still waits for its own update). */
  concurrency: number;
  /** Role for created functions: from the environment, or made in the emulator. */
  functionRole?: () => Promise<string>;
  /** Prepares the artifact bucket before the first upload (the emulator starts empty). */
  beforeUpload?: (bucket: string) => Promise<void>;
  wait?: WaitOptions;
  /** Asked after the plan is printed when it holds writes (environments with requireApproval); throws to refuse. */
  approve?: (writes: number) => Promise<void>;
  /** Go on although a rollout's alarms are already in ALARM (so the fix for them can ship). */
  acceptAlarms?: boolean;
  /** On a terminal: byte progress of long steps (uploads over a few MB). */
  progress?: (project: string, label: string) => (done: number, total: number) => void;
}

/**
 * Functions in flight in a cascade. Writes are paced separately (clients.ts), so this bounds the
 * waiting for InProgress, not the request rate: with about a second of InProgress per update, some
 * 20 in flight are needed to keep a 15/s control plane busy.
 */
export const DEFAULT_CASCADE_CONCURRENCY = 24;

/** What a deploy-like operation reports back: its plans, and failures that did not stop the others. */
export interface DeployOutcome {
  plans: ProjectPlan[];
  /** Failures of cascaded functions: they do not stop the others, but fail the task. */
  failures: { project: string; error: unknown }[];
}
