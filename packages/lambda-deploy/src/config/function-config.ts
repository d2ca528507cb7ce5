import { throwIfAny } from '../errors';
import { FieldReader } from './field-reader';
import { ARCHITECTURES, PYTHON_RUNTIMES, type Architecture } from './runtimes';

export const MAX_LAYERS_PER_FUNCTION = 5;

export interface FunctionConfig {
  kind: 'function';
  project: string;
  root: string;
  file: string;
  runtime: string;
  handler: string;
  architecture: Architecture;
  memory?: number;
  timeout?: number;
  environment?: Record<string, string>;
  /** Layer project names, in the order Lambda should stack them. */
  layers: string[];
  /** Folder (relative to root) zipped as the function code; default: the project folder. */
  source: string;
  excludes: string[];
  awsName?: string;
  description?: string;
  /** An alias moved to a freshly published version after each change, so its callers get the new code and layers. */
  alias?: string;
}

export const FUNCTION_KEYS = ['runtime', 'handler', 'architecture', 'memory', 'timeout', 'environment', 'layers', 'source', 'excludes', 'awsName', 'description', 'alias'] as const;
// Lambda's alias rule: letters, digits, - and _, not all digits (that would read as a version), up to 128.
const ALIAS = /^(?![0-9]+$)[a-zA-Z0-9_-]{1,128}$/;
const HANDLER = /^[A-Za-z_][\w/.-]*\.[A-Za-z_]\w*$/;
const ENV_NAME = /^[a-zA-Z]\w*$/;
// Lambda reserves these; setting them fails at UpdateFunctionConfiguration, so catch them here.
const RESERVED_ENV = ['_HANDLER', 'AWS_REGION', 'AWS_EXECUTION_ENV', 'AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR'];

/** Validates a parsed function.json; throws every problem at once, each naming the file and key. */
export function parseFunctionConfig(raw: unknown, where: { project: string; root: string; file: string }): FunctionConfig {
  const r = new FieldReader(raw, where.file, FUNCTION_KEYS);
  const architecture = r.string('architecture');
  if (architecture && !(ARCHITECTURES as readonly string[]).includes(architecture)) {
    r.fail('architecture', `"${architecture}" not supported`, `use one of: ${ARCHITECTURES.join(', ')}`);
  }
  const runtime = r.string('runtime', { required: true });
  if (runtime && !(PYTHON_RUNTIMES as readonly string[]).includes(runtime)) {
    r.fail('runtime', `"${runtime}" not supported`, `use one of: ${PYTHON_RUNTIMES.join(', ')}`);
  }
  const layers = r.stringArray('layers') ?? [];
  if (layers.length > MAX_LAYERS_PER_FUNCTION) {
    r.fail('layers', `lists ${layers.length} layers, Lambda allows at most ${MAX_LAYERS_PER_FUNCTION} per function`, 'merge layers or drop some');
  }
  const environment = r.stringMap('environment');
  for (const name of Object.keys(environment ?? {})) {
    if (!ENV_NAME.test(name)) r.fail(`environment.${name}`, 'is not a valid variable name', 'start with a letter; use letters, digits and _');
    if (RESERVED_ENV.includes(name)) r.fail(`environment.${name}`, 'is reserved by Lambda', 'rename the variable');
  }
  const config: FunctionConfig = {
    kind: 'function',
    ...where,
    runtime: runtime ?? '',
    handler: r.string('handler', { required: true, pattern: HANDLER, patternHint: 'use module.function, e.g. "handler.handler"' }) ?? '',
    architecture: (architecture ?? 'x86_64') as Architecture,
    memory: r.integer('memory', 128, 10240, 'MB'),
    timeout: r.integer('timeout', 1, 900, 'seconds'),
    environment,
    layers,
    source: r.string('source', { pattern: /^(?!\/)(?!.*(^|\/)\.\.(\/|$)).+$/, patternHint: 'use a folder inside the function folder' }) ?? '.',
    excludes: r.stringArray('excludes') ?? [],
    awsName: r.string('awsName', { pattern: /^[a-zA-Z0-9_{}-]+$/, patternHint: 'letters, digits, "-", "_" and the placeholders {env} and {prefix}' }),
    description: r.string('description'),
    alias: r.string('alias', { pattern: ALIAS, patternHint: 'letters, digits, "-" and "_", not only digits (e.g. "live")' }),
  };
  throwIfAny(r.errors);
  return config;
}
