/** Options shared by every deploy-like executor; each schema.json describes them for `--help`. */
export interface DeployExecutorOptions {
  environment?: string;
  dryRun?: boolean;
  yes?: boolean;
  verbose?: boolean;
  concurrency?: number;
  acceptAlarms?: boolean;
}
