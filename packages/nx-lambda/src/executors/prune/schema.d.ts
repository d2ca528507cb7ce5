export interface Schema {
  environment?: string;
  keep?: number;
  dryRun?: boolean;
  yes?: boolean;
  verbose?: boolean;
}
