import type { EnvironmentSession } from './copy-artifact';

export interface PromoteOptions {
  /** The environment whose code and layer contents are promoted, with its own (read-only) clients. */
  from: EnvironmentSession;
  /** The repo commit the promotion runs at: recorded in layer Descriptions and history entries. */
  commit?: string;
}
