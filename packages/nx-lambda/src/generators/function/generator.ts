import { generateFiles, type Tree } from '@nx/devkit';
import { ARCHITECTURES, isExternalLayer, LAMBDA_RUNTIMES, MAX_LAYERS_PER_FUNCTION, parseFunctionConfig, runtimeFamilyOf } from '@vectora/lambda-deploy';
import { join, posix } from 'node:path';
import { formatConfigJson } from '../shared/config-json';
import { GeneratorProblems } from '../shared/generator-errors';
import { checkNewProject, checkProjectName, configFileOf, knownLayers, projectRootOf, readLayerConfig } from '../shared/projects';
import { docstringSentence, isPythonIdentifier } from '../shared/python';
import type { FunctionGeneratorSchema } from './schema';

interface NormalizedOptions {
  name: string;
  layers: string[];
  runtime: string;
  architecture: string;
  memory: number;
  timeout: number;
  handler: string;
  description?: string;
  requirements: boolean;
  source?: string;
  role?: string;
  tracing?: string;
  alias?: string;
}

// Names the generated test and handler import themselves: a handler function of that name would shadow them.
const RESERVED_HANDLER_NAMES = ['json', 'unittest', 'HandlerTest'];

function normalizeOptions(options: FunctionGeneratorSchema): NormalizedOptions {
  const layers = Array.isArray(options.layers) ? options.layers : (options.layers ?? '').split(',');
  const description = options.description?.replace(/\s+/g, ' ').trim();
  return {
    name: String(options.name ?? '').trim(),
    layers: layers.map((layer) => layer.trim()).filter((layer) => layer !== ''),
    runtime: options.runtime ?? 'python3.12',
    architecture: options.architecture ?? 'x86_64',
    memory: options.memory ?? 256,
    timeout: options.timeout ?? 30,
    handler: (options.handler ?? (runtimeFamilyOf(options.runtime ?? '') === 'nodejs' ? 'src/handler.handler' : 'handler.handler')).trim(),
    description: description || undefined,
    requirements: options.requirements ?? false,
    source: options.source?.trim().replace(/\/+$/, '') || undefined,
    role: options.role?.trim() || undefined,
    tracing: options.tracing?.trim() || undefined,
    alias: options.alias?.trim() || undefined,
  };
}

/** The function.json the engine will read, in the key order of the sample functions. */
export function functionJsonOf(options: NormalizedOptions): Record<string, unknown> {
  return {
    description: options.description,
    runtime: options.runtime,
    handler: options.handler,
    source: options.source,
    architecture: options.architecture,
    memory: options.memory,
    timeout: options.timeout,
    layers: options.layers,
    requirements: options.requirements ? 'requirements.txt' : undefined,
    role: options.role,
    tracing: options.tracing,
    alias: options.alias,
  };
}

/** `handler.handler` -> module `handler` in handler.py; `pkg.app.main` -> module `pkg.app` in pkg/app.py. */
function splitHandler(handler: string): { module: string; fn: string; path: string } | undefined {
  const parts = handler.split('.');
  if (parts.length < 2 || !parts.every(isPythonIdentifier)) return undefined;
  const fn = parts.pop()!;
  return { module: parts.join('.'), fn, path: parts.join('/') };
}

/** `src/handler.handler` -> file src/handler.ts exporting `handler`; the test sits beside it. */
function splitNodeHandler(handler: string): { module: string; fn: string; path: string } | undefined {
  const match = /^((?:[A-Za-z_][\w-]*\/)*[A-Za-z_][\w-]*)\.([A-Za-z_$][\w$]*)$/.exec(handler);
  if (!match) return undefined;
  return { module: match[1].split('/').pop()!, fn: match[2], path: match[1] };
}

/**
 * `nx g @vectora/nx-lambda:function <name> --layers=a,b`: every option is checked first (all problems
 * reported at once) and nothing is written unless all pass; the function.json written is one the
 * engine accepts, and its layers are layers of this repo that declare the function's runtime and
 * architecture.
 */
export async function functionGenerator(tree: Tree, schema: FunctionGeneratorSchema): Promise<void> {
  const options = normalizeOptions(schema);
  const { name, layers } = options;
  const problems = new GeneratorProblems();

  if (checkProjectName(tree, problems, 'function', name)) checkNewProject(tree, problems, 'function', name);

  const node = runtimeFamilyOf(options.runtime) === 'nodejs';
  const handler = node ? splitNodeHandler(options.handler) : splitHandler(options.handler);
  if (!handler && node) {
    problems.add('INVALID_HANDLER', `--handler "${options.handler}" is not path/module.function`, 'use a file path without extension and an exported function, e.g. src/handler.handler (the module becomes src/handler.ts)');
  } else if (!handler) {
    problems.add('INVALID_HANDLER', `--handler "${options.handler}" is not module.function`, 'use Python identifiers joined by dots, e.g. handler.handler or app.main (the module becomes app.py)');
  } else if (handler.module === 'test_handler' || RESERVED_HANDLER_NAMES.includes(handler.fn)) {
    problems.add('INVALID_HANDLER', `--handler "${options.handler}" collides with the generated test_handler.py`, 'choose another module or function name, e.g. handler.handler');
  }
  if (options.source && node) {
    problems.add('INVALID_OPTION', '--source is for Python functions here', 'a TypeScript function shares code through a workspace library it imports (bundled by esbuild), or a Node layer');
  }
  if (!(LAMBDA_RUNTIMES as readonly string[]).includes(options.runtime)) {
    problems.add('INVALID_RUNTIME', `--runtime "${options.runtime}" is not supported`, `use one of: ${LAMBDA_RUNTIMES.join(', ')}`);
  }
  if (!(ARCHITECTURES as readonly string[]).includes(options.architecture)) {
    problems.add('INVALID_ARCHITECTURE', `--architecture "${options.architecture}" is not supported`, `use one of: ${ARCHITECTURES.join(', ')}`);
  }
  checkLayers(tree, problems, options);

  const root = projectRootOf('function', name);
  const file = configFileOf('function', name);
  const functionJson = functionJsonOf(options);
  if (problems.errors.length === 0) {
    // memory and timeout ranges, role, tracing, alias, requirements and ARNs in --layers are the engine's rules: its errors, told as options.
    problems.collect(() => parseFunctionConfig(JSON.parse(formatConfigJson(functionJson)), { project: name, root, file }), (message) => asOption(message, file));
  }
  problems.throwIfAny();

  tree.write(file, formatConfigJson(functionJson));
  const substitutions = {
    name,
    layers,
    summary: docstringSentence(options.description ?? `The ${options.name} Lambda function`),
    handlerPath: handler!.path,
    handlerModule: handler!.module,
    handlerFunction: handler!.fn,
  };
  if (node) {
    generateFiles(tree, join(__dirname, 'files-node'), root, substitutions);
  } else if (options.source) {
    // A shared code folder holds other functions' code: a stub only where the handler's module is missing, and no sample test (it would be shared too).
    const folder = posix.normalize(posix.join(root, options.source));
    if (!tree.exists(`${folder}/${handler!.path}.py`)) generateFiles(tree, join(__dirname, 'files', 'handler'), folder, substitutions);
  } else {
    generateFiles(tree, join(__dirname, 'files', 'handler'), root, substitutions);
    generateFiles(tree, join(__dirname, 'files', 'test'), root, substitutions);
  }
  if (options.requirements) {
    tree.write(`${root}/requirements.txt`, '# Packages only this function needs, one per line with an exact version (e.g. requests==2.32.3):\n# pip installs them for Lambda\'s platform into the function\'s zip. Shared ones belong in a layer.\n');
  }
}

/** `lambdas/x/function.json: tracing: "On" not supported` -> `--tracing: "On" not supported`: the user typed an option, not the file. */
function asOption(message: string, file: string): string {
  return message.startsWith(`${file}: `) ? `--${message.slice(file.length + 2)}` : message;
}

function checkLayers(tree: Tree, problems: GeneratorProblems, options: NormalizedOptions): void {
  const { layers } = options;
  const known = knownLayers(tree);
  const knownList = known.join(', ') || '(none: create one with nx g @vectora/nx-lambda:layer <name>)';
  const duplicates = [...new Set(layers.filter((layer, index) => layers.indexOf(layer) !== index))];
  if (duplicates.length > 0) {
    problems.add('DUPLICATE_LAYER', `--layers lists ${duplicates.map((d) => `"${d}"`).join(', ')} more than once`, 'list each layer once');
  }
  if (layers.length > MAX_LAYERS_PER_FUNCTION) {
    problems.add('TOO_MANY_LAYERS', `--layers lists ${layers.length} layers, Lambda allows at most ${MAX_LAYERS_PER_FUNCTION} per function`, 'merge layers or drop some');
  }
  // External layer version ARNs are not projects: the engine checks their form, a deploy that they exist.
  for (const layer of [...new Set(layers)].filter((entry) => !isExternalLayer(entry))) {
    if (!known.includes(layer)) {
      problems.add('UNKNOWN_LAYER', `--layers: "${layer}" is not a layer of this repo (no layers/${layer}/layer.json)`, `use one of: ${knownList}`);
      continue;
    }
    const config = readLayerConfig(tree, problems, layer);
    if (!config) continue;
    if (!config.runtimes.includes(options.runtime)) {
      problems.add('LAYER_INCOMPATIBLE', `layer "${layer}" is built for ${config.runtimes.join(', ')}, not ${options.runtime}`, `use --runtime=${config.runtimes[0]}, or add "${options.runtime}" to "runtimes" in ${config.file}`);
    }
    if (!(config.architectures as string[]).includes(options.architecture)) {
      problems.add('LAYER_INCOMPATIBLE', `layer "${layer}" is built for ${config.architectures.join(', ')}, not ${options.architecture}`, `use --architecture=${config.architectures[0]}, or change "architectures" in ${config.file}`);
    }
  }
}

export default functionGenerator;
