export interface FunctionGeneratorSchema {
  /** Function project name: the folder under lambdas/. */
  name: string;
  /** Layer projects and external layer version ARNs, in stacking order (`--layers=a,b` on the command line). */
  layers?: string[] | string;
  runtime?: string;
  architecture?: string;
  /** Memory in MB (128..10240). */
  memory?: number;
  /** Timeout in seconds (1..900). */
  timeout?: number;
  /** `module.function`, e.g. handler.handler (Python) or src/handler.handler (Node.js). */
  handler?: string;
  description?: string;
  /** A shared code folder, relative to the function folder (e.g. ../../services/cart). */
  source?: string;
  /** A requirements.txt of its own, pip-installed into the function's zip (Python only). */
  requirements?: boolean;
  /** Execution role ARN ({account}, {env}, {region}, {prefix} allowed). */
  role?: string;
  /** X-Ray tracing: Active or PassThrough. */
  tracing?: string;
  /** Alias moved to a new version after each change, e.g. live. */
  alias?: string;
}
