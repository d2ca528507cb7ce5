import { DeployError, throwIfAny } from '../errors';
import type { LayerShare } from '../plan/plan-layer-share';
import { FieldReader } from './field-reader';
import { ARCHITECTURES, LAMBDA_RUNTIMES, runtimeFamilyOf, type Architecture, type RuntimeFamily } from './runtimes';

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
  /**
   * Folder (relative to root): for Python its contents become `python/`; for Node it is a package
   * (its package.json names it) compiled into `nodejs/node_modules/<name>`.
   */
  sources?: string;
  /** requirements.txt (relative to root) installed with pip for the Lambda platform (Python layers). */
  requirements?: string;
  /** package.json (relative to root, package-lock.json beside it) whose production dependencies npm installs for Lambda (Node layers). */
  dependencies?: string;
  excludes: string[];
  /** AWS layer name override; `{env}` and `{prefix}` are substituted. */
  awsName?: string;
  /** Who may use the versions this tool keeps; absent: their permissions are left as they are. */
  share?: LayerShare;
}

export const LAYER_KEYS = ['description', 'runtimes', 'architectures', 'sources', 'requirements', 'dependencies', 'excludes', 'awsName', 'share'] as const;
const SHARE_KEYS = ['accounts', 'organizationId', 'public'] as const;
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
    runtimes: r.stringArray('runtimes', { allowed: LAMBDA_RUNTIMES, nonEmpty: true }) ?? ['python3.12'],
    architectures: (r.stringArray('architectures', { allowed: ARCHITECTURES, nonEmpty: true }) ?? ['x86_64']) as Architecture[],
    sources: r.string('sources', { pattern: RELATIVE_PATH, patternHint: pathHint }),
    requirements: r.string('requirements', { pattern: RELATIVE_PATH, patternHint: pathHint }),
    dependencies: r.string('dependencies', { pattern: /^(?!\/)(?!.*(^|\/)\.\.(\/|$))(.*\/)?package\.json$/, patternHint: 'name the layer\'s package.json, e.g. "package.json" (its package-lock.json sits beside it)' }),
    excludes: r.stringArray('excludes') ?? [],
    awsName: r.string('awsName', { pattern: AWS_NAME, patternHint: 'letters, digits, "-", "_" and the placeholders {env} and {prefix}' }),
    share: r.has('share') ? readShare(r.raw('share'), where.file, r.errors) : undefined,
  };
  const families = [...new Set(config.runtimes.map(runtimeFamilyOf))];
  const installs = families[0] === 'nodejs' ? 'dependencies' : 'requirements';
  if (families.length > 1) {
    // One layer tree has one top folder (python/ or nodejs/): mixing would ship half a layer to each.
    r.fail('runtimes', `mixes Python and Node.js runtimes (${config.runtimes.join(', ')})`, 'make one layer per language');
  } else if (families[0] === 'nodejs' && r.has('requirements')) {
    r.fail('requirements', 'is for Python layers, this layer lists Node.js runtimes', 'use "dependencies": "package.json" (with its package-lock.json) for npm packages');
  } else if (families[0] === 'python' && r.has('dependencies')) {
    r.fail('dependencies', 'is for Node.js layers, this layer lists Python runtimes', 'use "requirements": "requirements.txt" for pip packages, or list nodejs runtimes');
  } else if (!r.has('sources') && !r.has(installs)) {
    const sourcesHint = families[0] === 'nodejs' ? '"sources": "src" (a package compiled into nodejs/node_modules/<name>)' : '"sources": "src" (a folder copied into python/)';
    const installHint = families[0] === 'nodejs' ? '"dependencies": "package.json"' : '"requirements": "requirements.txt"';
    r.errors.push(new DeployError('CONFIG_INVALID', `${where.file}: a layer needs "sources", "${installs}" or both`, `add ${sourcesHint} and/or ${installHint}`));
  }
  if ((config.requirements || config.dependencies) && config.architectures.length > 1) {
    // pip and npm install binaries for one platform; a layer mixing x86_64 and arm64 binaries would break on one of them.
    r.fail('architectures', `a layer with "${installs}" is built for one architecture, got ${config.architectures.join(', ')}`, 'keep one architecture, or make one layer per architecture');
  }
  throwIfAny(r.errors);
  return config;
}

/** A layer's language, from its runtimes (parseLayerConfig refuses a mix): decides `python/` or `nodejs/`. */
export function layerFamilyOf(config: Pick<LayerConfig, 'runtimes'>): RuntimeFamily {
  return runtimeFamilyOf(config.runtimes[0]);
}

/** `share`: 12-digit accounts, an organization id, public; each problem named with file and key. */
function readShare(raw: unknown, file: string, errors: DeployError[]): LayerShare | undefined {
  const r = new FieldReader(raw, `${file}: share`, SHARE_KEYS);
  const accounts = r.stringArray('accounts') ?? [];
  const bad = accounts.filter((account) => !/^\d{12}$/.test(account));
  if (bad.length) r.fail('accounts', `${bad.map((b) => `"${b}"`).join(', ')} is not a 12-digit account id`, 'list account ids as strings, e.g. ["111122223333"]');
  const share: LayerShare = {
    accounts,
    organizationId: r.string('organizationId', { pattern: /^o-[a-z0-9]{10,32}$/, patternHint: 'use the organization id as AWS Organizations shows it, e.g. "o-a1b2c3d4e5"' }),
    public: r.boolean('public') ?? false,
  };
  errors.push(...r.errors);
  return r.errors.length ? undefined : share;
}
