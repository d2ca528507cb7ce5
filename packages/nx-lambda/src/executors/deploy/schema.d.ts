import type { DeployExecutorOptions } from '../shared/deploy-options';

/** deploy's options are exactly the shared deploy options (schema.json describes each for --help). */
export type Schema = DeployExecutorOptions;
