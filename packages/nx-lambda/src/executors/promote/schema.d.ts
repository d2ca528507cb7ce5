import type { DeployExecutorOptions } from '../shared/deploy-options';

export interface Schema extends DeployExecutorOptions {
  from?: string;
}
