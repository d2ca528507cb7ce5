import { posix } from 'node:path';
import { DeployError, throwIfAny } from '../errors';
import { needsAccount, readEnvironmentMap, substituteText, substituteValue, type EnvironmentMap, type PlaceholderValues } from './environment-values';
import { FieldReader } from './field-reader';
import { EXTRA_SETTING_KEYS, readExtraSettings, type ExtraFunctionSettings } from './function-settings-reader';
import { ARCHITECTURES, LAMBDA_RUNTIMES, PYTHON_RUNTIMES, type Architecture } from './runtimes';

export const MAX_LAYERS_PER_FUNCTION = 5;

/** What a function.json (or lambdas/defaults.json) may set, for every environment or for one. */
export interface FunctionSettingsConfig extends ExtraFunctionSettings {
  runtime: string;
  handler: string;
  architecture: Architecture;
  memory?: number;
  timeout?: number;
  /** Values (and SSM parameter names) may hold {env}, {region}, {account} and {prefix}, substituted at deploy. */
  environment?: EnvironmentMap;
  /** Layer project names, in the order Lambda should stack them (external ARNs left out: they are not projects). */
  layers: string[];
  /** Every `layers` entry in declared order: project names and external layer version ARNs (`arn:...`, `{region}`/`{account}` allowed). */
  layerStack?: string[];
  /** Folder (relative to root) zipped as the function code; default: the project folder. */
  source: string;
  excludes: string[];
  awsName?: string;
  description?: string;
  /** An alias moved to a freshly published version after each change, so its callers get the new code and layers. */
  alias?: string;
  /** A Python requirements file (relative to the function folder) pip-installs into the function's own zip. */
  requirements?: string;
  /** What a layer stack conflict (one package in two layers, a layer shadowing the runtime's boto3) does: warn (default) or fail the deploy. */
  layerConflicts?: LayerConflictMode;
}

export const LAYER_CONFLICT_MODES = ['warn', 'error'] as const;
export type LayerConflictMode = (typeof LAYER_CONFLICT_MODES)[number];

/** Keys an `environments.<env>` block may override: not what is built (one package serves every environment), nor the graph's edges. */
export const ENVIRONMENT_KEYS = ['runtime', 'handler', 'memory', 'timeout', 'environment', 'description', 'alias', ...EXTRA_SETTING_KEYS] as const;
export type FunctionOverrides = Partial<Pick<FunctionSettingsConfig, (typeof ENVIRONMENT_KEYS)[number]>>;

export interface FunctionConfig extends FunctionSettingsConfig {
  kind: 'function';
  project: string;
  root: string;
  file: string;
  /** Per-environment overrides (defaults.json's merged under the function's own), applied by functionForEnvironment. */
  environments: Record<string, FunctionOverrides>;
}

/** lambdas/defaults.json, checked on its own: merged under every function.json. */
export interface FunctionDefaults {
  file: string;
  settings: Partial<FunctionSettingsConfig>;
  environments: Record<string, FunctionOverrides>;
}

export const FUNCTION_KEYS = ['runtime', 'handler', 'architecture', 'memory', 'timeout', 'environment', 'layers', 'source', 'excludes', 'requirements', 'awsName', 'description', 'alias', 'layerConflicts', ...EXTRA_SETTING_KEYS, 'environments'] as const;
// Lambda's alias rule: letters, digits, - and _, not all digits (that would read as a version), up to 128.
const ALIAS = /^(?![0-9]+$)[a-zA-Z0-9_-]{1,128}$/;
const HANDLER = /^[A-Za-z_][\w/.-]*\.[A-Za-z_]\w*$/;
const ENVIRONMENT_NAME = /^[a-zA-Z0-9_-]+$/;

// A layer version of another account or team: partition, region (or {region}), account (or {account}), name, version.
const EXTERNAL_LAYER_ARN = /^arn:aws[a-z-]*:lambda:([a-z]{2}(-[a-z]+)+-\d|\{region\}):(\d{12}|\{account\}):layer:[a-zA-Z0-9_-]+:\d+$/;

/** A `layers` entry that is a layer version ARN the repo does not build, rather than a layer project. */
export function isExternalLayer(entry: string): boolean {
  return entry.startsWith('arn:');
}

/** Every key a function file sets, unvalidated keys left out; no defaults filled in (the merge does that). */
function readSettings(r: FieldReader, keys: readonly string[]): Partial<FunctionSettingsConfig> {
  const settings: Partial<FunctionSettingsConfig> = {};
  const set = <K extends keyof FunctionSettingsConfig>(key: K, value: FunctionSettingsConfig[K] | undefined) => {
    if (keys.includes(key) && value !== undefined) settings[key] = value;
  };
  const architecture = r.string('architecture');
  if (architecture && !(ARCHITECTURES as readonly string[]).includes(architecture)) {
    r.fail('architecture', `"${architecture}" not supported`, `use one of: ${ARCHITECTURES.join(', ')}`);
  } else {
    set('architecture', architecture as Architecture | undefined);
  }
  const runtime = r.string('runtime');
  if (runtime && !(LAMBDA_RUNTIMES as readonly string[]).includes(runtime)) {
    r.fail('runtime', `"${runtime}" not supported`, `use one of: ${LAMBDA_RUNTIMES.join(', ')}`);
  } else {
    set('runtime', runtime);
  }
  const layers = r.stringArray('layers');
  const badArns = (layers ?? []).filter((entry) => entry.startsWith('arn:') && !EXTERNAL_LAYER_ARN.test(entry));
  if (layers && layers.length > MAX_LAYERS_PER_FUNCTION) {
    r.fail('layers', `lists ${layers.length} layers, Lambda allows at most ${MAX_LAYERS_PER_FUNCTION} per function`, 'merge layers or drop some');
  } else if (badArns.length > 0) {
    r.fail('layers', `${badArns.map((a) => `"${a}"`).join(', ')} is not a layer version ARN`, 'use arn:aws:lambda:<region>:<account>:layer:<name>:<version> ({region} and {account} allowed); the version is required, as Lambda attaches exact versions');
  } else if (layers) {
    set('layers', layers.filter((entry) => !isExternalLayer(entry)));
    if (keys.includes('layers')) settings.layerStack = layers;
  }
  set('environment', readEnvironmentMap(r, 'environment'));
  set('handler', r.string('handler', { pattern: HANDLER, patternHint: 'use module.function, e.g. "handler.handler"' }));
  set('memory', r.integer('memory', 128, 10240, 'MB'));
  set('timeout', r.integer('timeout', 1, 900, 'seconds'));
  set('source', r.string('source', { pattern: /^(?![/\\])(?![a-zA-Z]:)[^\\]+$/, patternHint: 'use a folder relative to the function folder, with "/" (e.g. "src" or "../../services/cart")' }));
  set('excludes', r.stringArray('excludes'));
  set('requirements', r.string('requirements', { pattern: /^(?![/\\])(?![a-zA-Z]:)[^\\]+$/, patternHint: 'use a file relative to the function folder, with "/" (e.g. "requirements.txt")' }));
  set('awsName', r.string('awsName', { pattern: /^[a-zA-Z0-9_{}-]+$/, patternHint: 'letters, digits, "-", "_" and the placeholders {env} and {prefix}' }));
  set('description', r.string('description'));
  set('alias', r.string('alias', { pattern: ALIAS, patternHint: 'letters, digits, "-" and "_", not only digits (e.g. "live")' }));
  const layerConflicts = r.string('layerConflicts');
  if (layerConflicts && !(LAYER_CONFLICT_MODES as readonly string[]).includes(layerConflicts)) r.fail('layerConflicts', `"${layerConflicts}" not supported`, `use one of: ${LAYER_CONFLICT_MODES.join(', ')}`);
  else set('layerConflicts', layerConflicts as LayerConflictMode | undefined);
  const extra: ExtraFunctionSettings = {};
  readExtraSettings(r, extra);
  for (const key of EXTRA_SETTING_KEYS) set(key, extra[key] as never);
  return settings;
}

/** `environments`: one block of overrides per environment name, each read like the file itself but limited to ENVIRONMENT_KEYS. */
function readEnvironments(r: FieldReader, file: string): Record<string, FunctionOverrides> {
  const raw = r.raw('environments');
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    r.fail('environments', 'must be an object of environment names', 'set "environments": { "prod": { "memory": 1024 } }');
    return {};
  }
  const result: Record<string, FunctionOverrides> = {};
  for (const [name, block] of Object.entries(raw)) {
    if (!ENVIRONMENT_NAME.test(name)) {
      r.fail(`environments.${name}`, 'is not a valid environment name', 'use the name of an environment of nx.json (letters, digits, "-", "_")');
      continue;
    }
    const inner = new FieldReader(block, `${file}: environments.${name}`, ENVIRONMENT_KEYS);
    const overrides = readSettings(inner, ENVIRONMENT_KEYS) as FunctionOverrides;
    r.errors.push(...inner.errors);
    result[name] = overrides;
  }
  return result;
}

// What is zipped (source, excludes, requirements) and the AWS name belong to each function: shared, they would zip the wrong folder or collide.
export const DEFAULTS_KEYS = FUNCTION_KEYS.filter((key) => !['source', 'excludes', 'requirements', 'awsName'].includes(key));

/** Validates lambdas/defaults.json: the keys of a function.json but source, excludes and awsName; none required. */
export function parseFunctionDefaults(raw: unknown, file: string): FunctionDefaults {
  const r = new FieldReader(raw, file, DEFAULTS_KEYS);
  const defaults = { file, settings: readSettings(r, DEFAULTS_KEYS), environments: readEnvironments(r, file) };
  throwIfAny(r.errors);
  return defaults;
}

/** The function wins key by key; the two `environment` maps merge (the function's value wins per variable), and so do `tags`. */
function mergeSettings<T extends Partial<FunctionSettingsConfig>>(under: T | undefined, over: T): T {
  const merged = { ...under, ...over };
  if (under?.environment || over.environment) merged.environment = { ...under?.environment, ...over.environment };
  if (under?.tags || over.tags) merged.tags = { ...under?.tags, ...over.tags };
  return merged;
}

/** Validates a parsed function.json, merged over the defaults; throws every problem at once, each naming the file and key. */
export function parseFunctionConfig(raw: unknown, where: { project: string; root: string; file: string }, defaults?: FunctionDefaults): FunctionConfig {
  const r = new FieldReader(raw, where.file, FUNCTION_KEYS);
  const settings = mergeSettings(defaults?.settings, readSettings(r, FUNCTION_KEYS));
  const own = readEnvironments(r, where.file);
  const environments: Record<string, FunctionOverrides> = {};
  for (const name of new Set([...Object.keys(defaults?.environments ?? {}), ...Object.keys(own)])) {
    environments[name] = mergeSettings(defaults?.environments[name], own[name] ?? {});
  }
  const inDefaults = defaults ? ` (in this file or ${defaults.file})` : '';
  if (settings.source && sourceFolderOf({ root: where.root, source: settings.source }).startsWith('..')) {
    r.fail('source', `"${settings.source}" leaves the workspace`, 'use a folder inside the workspace, relative to the function folder (e.g. "../../services/cart")');
  }
  if (settings.requirements && settings.runtime && !PYTHON_RUNTIMES.includes(settings.runtime as (typeof PYTHON_RUNTIMES)[number])) {
    r.fail('requirements', `is for Python functions, this one runs ${settings.runtime}`, 'a Node function bundles its dependencies with esbuild: list them in its package.json, or put them in a Node layer');
  } else if (settings.requirements && posix.normalize(posix.join(where.root, settings.requirements)).startsWith('..')) {
    r.fail('requirements', `"${settings.requirements}" leaves the workspace`, 'use a file inside the workspace, relative to the function folder (e.g. "requirements.txt")');
  }
  // One install serves every environment: the wheels are chosen for the function's own runtime.
  const runtimeOverrides = Object.keys(environments).filter((name) => settings.requirements && environments[name].runtime && environments[name].runtime !== settings.runtime);
  if (runtimeOverrides.length > 0) {
    r.fail(`environments.${runtimeOverrides[0]}.runtime`, `differs from "runtime" while "requirements" is set: one install serves every environment`, 'keep one runtime for the function, or move those packages into a layer per runtime');
  }
  if (!settings.runtime && !r.has('runtime')) r.fail('runtime', `is required${inDefaults}`, `add "runtime": "${PYTHON_RUNTIMES.at(-2)}"`);
  if (!settings.handler && !r.has('handler')) r.fail('handler', `is required${inDefaults}`, 'add "handler": "handler.handler"');
  throwIfAny(r.errors);
  return {
    kind: 'function',
    ...where,
    runtime: settings.runtime!,
    handler: settings.handler!,
    architecture: settings.architecture ?? 'x86_64',
    memory: settings.memory,
    timeout: settings.timeout,
    environment: settings.environment,
    layers: settings.layers ?? [],
    layerStack: settings.layerStack ?? settings.layers ?? [],
    source: settings.source ?? '.',
    excludes: settings.excludes ?? [],
    requirements: settings.requirements,
    awsName: settings.awsName,
    description: settings.description,
    alias: settings.alias,
    layerConflicts: settings.layerConflicts,
    ...Object.fromEntries(EXTRA_SETTING_KEYS.filter((key) => settings[key] !== undefined).map((key) => [key, settings[key]])),
    environments,
  };
}

/**
 * The folder zipped as the function's code, relative to the workspace root: the function's own folder
 * by default, or a shared one (`"source": "../../services/cart"`) that several functions zip with
 * different handlers. `..` as the result means it leaves the workspace, which parseFunctionConfig refuses.
 */
export function sourceFolderOf(config: Pick<FunctionConfig, 'root' | 'source'>): string {
  return posix.normalize(posix.join(config.root, config.source)).replace(/\/$/, '');
}

/** The function as one environment sees it: that environment's overrides over the rest, `environment` maps merged. */
export function functionForEnvironment(config: FunctionConfig, environment: string): FunctionConfig {
  const overrides = config.environments[environment];
  return overrides ? { ...config, ...mergeSettings<Partial<FunctionSettingsConfig>>(config, overrides) } : config;
}

/**
 * `{env}`, `{region}`, `{account}` and `{prefix}` in environment variable values and SSM parameter
 * names. The account is known from the environment's accountId, or from the function's ARN once it
 * has been read; without it `{account}` is left as is, and fillAccount refuses it before any write.
 */
export function substitutePlaceholders(environment: EnvironmentMap | undefined, values: PlaceholderValues): EnvironmentMap | undefined {
  if (!environment) return undefined;
  return Object.fromEntries(Object.entries(environment).map(([name, value]) => [name, substituteValue(value, (text) => substituteText(text, values))]));
}

/** Fills `{account}` once the account is known; an error naming each variable that needs it when it is not. */
export function fillAccount(environment: EnvironmentMap | undefined, account: string | undefined, file: string, options: { strict: boolean } = { strict: true }): EnvironmentMap | undefined {
  if (!environment) return undefined;
  const needing = Object.keys(environment).filter((name) => needsAccount(environment[name]));
  if (needing.length === 0 || (!account && !options.strict)) return environment;
  if (!account) {
    throw new DeployError('ACCOUNT_UNKNOWN', `${file}: environment.${needing.join(', environment.')}: uses {account}, but the account is not known (the function does not exist yet)`, 'set "accountId" for the environment in nx.json');
  }
  return substitutePlaceholders(environment, { env: '{env}', region: '{region}', prefix: '{prefix}', account });
}
