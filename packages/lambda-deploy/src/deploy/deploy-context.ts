import type { AwsSession } from '../aws/clients';
import type { WaitOptions } from '../aws/wait-for-update';
import type { Environment } from '../config/environment';
import type { Workspace } from '../config/workspace';
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
}

export const DEFAULT_CASCADE_CONCURRENCY = 8;
