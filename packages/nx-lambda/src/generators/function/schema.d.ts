export interface FunctionGeneratorSchema {
  /** Function project name: the folder under lambdas/. */
  name: string;
  /** Layer projects the function uses, in stacking order (`--layers=a,b` on the command line). */
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
}
