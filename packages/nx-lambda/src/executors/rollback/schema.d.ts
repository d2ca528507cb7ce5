import type { DeployExecutorOptions } from '../shared/deploy-options';

export interface Schema extends DeployExecutorOptions {
  to?: string;
  unit?: boolean;
}
