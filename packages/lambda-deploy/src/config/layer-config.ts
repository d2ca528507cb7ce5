import { DeployError, throwIfAny } from '../errors';
import { FieldReader } from './field-reader';
import { ARCHITECTURES, PYTHON_RUNTIMES, type Architecture } from './runtimes';

export interface LayerConfig {
  kind: 'layer';
  /** Nx project name = folder name under layers/. */
  project: string;
  /** Folder of the layer, relative to the workspace root (posix). */
  root: string;
  /** layer.json path relative to the workspace root, for error messages. */
  file: string;
  description?: string;
  runtimes: string[];
  architectures: Architecture[];
  /** Folder (relative to root) whose contents become `python/` in the layer. */
  sources?: string;
  /** requirements.txt (relative to root) installed with pip for the Lambda platform. */
  requirements?: string;
  excludes: string[];
  /** AWS layer name override; `{env}` and `{prefix}` are substituted. */
  awsName?: string;
}

export const LAYER_KEYS = ['description', 'runtimes', 'architectures', 'sources', 'requirements', 'excludes', 'awsName'] as const;
const AWS_NAME = /^[a-zA-Z0-9_{}-]+$/;
const RELATIVE_PATH = /^(?!\/)(?!.*(^|\/)\.\.(\/|$)).+$/;

/** Validates a parsed layer.json; throws every problem at once, each naming the file and key. */
export function parseLayerConfig(raw: unknown, where: { project: string; root: string; file: string }): LayerConfig {
  const r = new FieldReader(raw, where.file, LAYER_KEYS);
  const pathHint = 'use a path inside the layer folder, without ".." or a leading "/"';
  const config: LayerConfig = {
    kind: 'layer',
    ...where,
    description: r.string('description'),
    runtimes: r.stringArray('runtimes', { allowed: PYTHON_RUNTIMES, nonEmpty: true }) ?? ['python3.12'],
    architectures: (r.stringArray('architectures', { allowed: ARCHITECTURES, nonEmpty: true }) ?? ['x86_64']) as Architecture[],
    sources: r.string('sources', { pattern: RELATIVE_PATH, patternHint: pathHint }),
    requirements: r.string('requirements', { pattern: RELATIVE_PATH, patternHint: pathHint }),
    excludes: r.stringArray('excludes') ?? [],
    awsName: r.string('awsName', { pattern: AWS_NAME, patternHint: 'letters, digits, "-", "_" and the placeholders {env} and {prefix}' }),
  };
  if (!r.has('sources') && !r.has('requirements')) {
    r.errors.push(new DeployError('CONFIG_INVALID', `${where.file}: a layer needs "sources", "requirements" or both`, 'add "sources": "src" (a folder copied into python/) and/or "requirements": "requirements.txt"'));
  }
  if (config.requirements && config.architectures.length > 1) {
    // pip installs wheels for one platform; a layer mixing x86_64 and arm64 binaries would break on one of them.
    r.fail('architectures', `a layer with "requirements" is built for one architecture, got ${config.architectures.join(', ')}`, 'keep one architecture, or make one layer per architecture');
  }
  throwIfAny(r.errors);
  return config;
}
