export interface Schema {
  environment?: string;
  dryRun?: boolean;
  yes?: boolean;
  verbose?: boolean;
  concurrency?: number;
  acceptAlarms?: boolean;
}
