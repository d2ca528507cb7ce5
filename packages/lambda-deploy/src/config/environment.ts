import { DeployError, throwIfAny } from '../errors';
import { FieldReader } from './field-reader';
import { isProgressive, readRolloutPolicy, type RolloutPolicy } from './rollout-policy';

/** What nx.json holds under the plugin's options: defined once, read by every target. */
export interface EnvironmentOptions {
  region?: string;
  /** Several regions instead of `region`: layers publish and functions deploy in each, in parallel. */
  regions?: string[];
  artifactBucket?: string;
  namePrefix?: string;
  createMissingFunctions?: boolean;
  /** Talk to the embedded moto server (started on demand) instead of AWS. */
  emulator?: boolean;
  requireApproval?: boolean;
  /** Execution role for functions this tool creates (required where createMissingFunctions is on, outside the emulator). */
  functionRole?: string;
  /**
   * The 12-digit AWS account the environment deploys to. Only `iam-policy` reads it, to name exact
   * resource ARNs without calling AWS; deploys use whatever account the credentials belong to.
   */
  accountId?: string;
  /** How functions with an alias move onto the versions a run publishes (rollout-policy.ts). */
  rollout?: unknown;
  /** SSM path under which each deploy writes its layer version ARNs: `<prefix>/<layer>/<region>`. */
  exportParameterPrefix?: string;
  /** A role ARN assumed through STS for this environment (the normal credential chain otherwise). */
  assumeRole?: string;
}

export interface Environment {
  name: string;
  region: string;
  /** Every region of the environment, `region` among them (one entry unless nx.json sets `regions`). */
  regions: string[];
  /** This region's bucket: `{region}` in nx.json's artifactBucket filled in. */
  artifactBucket?: string;
  namePrefix: string;
  createMissingFunctions: boolean;
  emulator: boolean;
  requireApproval: boolean;
  functionRole?: string;
  accountId?: string;
  rollout?: RolloutPolicy;
  /** Role the environment's clients sign as, assumed with the normal chain's credentials. */
  assumeRole?: string;
  /** `{env}` and `{prefix}` filled in; each region writes `<this>/<layer>/<region>` in its own SSM. */
  exportParameterPrefix?: string;
  /** AWS_ENDPOINT_URL when set: points any environment at another endpoint (an emulator, a proxy). */
  endpoint?: string;
}

const ENV_KEYS = ['region', 'regions', 'artifactBucket', 'namePrefix', 'createMissingFunctions', 'emulator', 'requireApproval', 'functionRole', 'accountId', 'rollout', 'exportParameterPrefix', 'assumeRole'] as const;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const PREFIX = /^[a-zA-Z0-9_-]+$/;
const PARAMETER_PATH = /^(\/([a-zA-Z0-9_.-]|\{env\}|\{prefix\})+)+$/;

/**
 * Resolves `-c <name>` against the plugin options. The region in nx.json wins over AWS_REGION: an
 * environment's bucket and functions live in that region, and a shell variable must not silently
 * send a prod deploy elsewhere. AWS_REGION only fills in when nx.json leaves the region out.
 */
export function resolveEnvironment(
  options: { namePrefix?: unknown; environments?: unknown },
  name: string | undefined,
  processEnv: NodeJS.ProcessEnv,
  source = 'nx.json plugins[@vectora/nx-lambda].options',
): Environment {
  const environments = (options.environments ?? {}) as Record<string, unknown>;
  const known = Object.keys(environments);
  if (!name) {
    throw new DeployError('ENVIRONMENT_MISSING', 'no environment given', `run with -c <environment>, one of: ${known.join(', ') || '(none defined in nx.json)'}`);
  }
  if (!Object.prototype.hasOwnProperty.call(environments, name)) {
    throw new DeployError('ENVIRONMENT_UNKNOWN', `environment "${name}" is not defined in ${source}.environments`, `use one of: ${known.join(', ')}, or add "${name}" there`);
  }
  const r = new FieldReader(environments[name], `${source}.environments.${name}`, ENV_KEYS);
  const emulator = r.boolean('emulator') ?? false;
  const where = `${source}.environments.${name}`;
  const regions = readRegions(r, where, processEnv);
  const region = regions[0];
  const bucketTemplate = r.string('artifactBucket');
  const namePrefix = r.string('namePrefix', { pattern: PREFIX }) ?? (typeof options.namePrefix === 'string' ? options.namePrefix : undefined);
  const environment: Environment = {
    name,
    region: region ?? '',
    regions,
    artifactBucket: bucketTemplate === undefined ? undefined : bucketIn(bucketTemplate, region ?? ''),
    namePrefix: namePrefix ?? '',
    createMissingFunctions: r.boolean('createMissingFunctions') ?? false,
    emulator,
    requireApproval: r.boolean('requireApproval') ?? false,
    functionRole: r.string('functionRole', { pattern: /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, patternHint: 'use a full IAM role ARN' }),
    accountId: r.string('accountId', { pattern: /^\d{12}$/, patternHint: 'use the 12-digit account id, as a string (e.g. "123456789012"), as `aws sts get-caller-identity` shows it' }),
    rollout: readRolloutPolicy(r.raw('rollout'), `${source}.environments.${name}.rollout`, r.errors),
    assumeRole: r.string('assumeRole', { pattern: /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, patternHint: 'use a full IAM role ARN, e.g. "arn:aws:iam::111122223333:role/deployer"' }),
    exportParameterPrefix: r.string('exportParameterPrefix', { pattern: PARAMETER_PATH, patternHint: 'use an SSM path such as "/vectora/{env}/layers" (leading /, no trailing /; letters, digits, _ . - and {env}, {prefix})' })?.replaceAll('{env}', name).replaceAll('{prefix}', namePrefix ?? ''),
    endpoint: processEnv.AWS_ENDPOINT_URL || undefined,
  };
  if (!region && !r.has('regions')) {
    r.errors.push(new DeployError('REGION_MISSING', `${where}: no region`, `add "region": "eu-west-1" there, or set AWS_REGION`));
  }
  // Each region's bucket must be a valid name once {region} is filled in; a name without it serves one region only.
  if (bucketTemplate !== undefined) {
    for (const each of regions.length ? regions : ['']) {
      if (!BUCKET.test(bucketIn(bucketTemplate, each))) r.fail('artifactBucket', `"${bucketIn(bucketTemplate, each)}" is not a valid S3 bucket name`, 'use a valid S3 bucket name (lowercase, 3-63 characters); {region} is filled in with each region');
    }
    if (regions.length > 1 && !bucketTemplate.includes('{region}')) {
      r.fail('artifactBucket', `"${bucketTemplate}" names one bucket for ${regions.length} regions, but S3 buckets live in one region`, 'put {region} in the name, e.g. "my-artifacts-{region}"');
    }
  }
  // A rollout moves aliases of one region as one unit; several regions would each need their own unit.
  if (regions.length > 1 && isProgressive(environment.rollout)) {
    r.fail('rollout', `strategy "${environment.rollout.strategy}" is not supported with several regions`, 'use "strategy": "all-at-once" for this environment, or one environment per region');
  }
  if (!namePrefix) {
    r.errors.push(new DeployError('CONFIG_INVALID', `${source}: no namePrefix for environment ${name}`, 'add "namePrefix": "my-app" to the plugin options'));
  }
  if (environment.createMissingFunctions && !emulator && !environment.functionRole) {
    r.fail('functionRole', 'is required when createMissingFunctions is true outside the emulator', 'set "functionRole" to the execution role ARN new functions should use');
  }
  // A stepped rollout keeps its state in the bucket, so that a rerun after a kill can finish or undo it.
  if (isProgressive(environment.rollout) && !environment.artifactBucket) {
    r.fail('rollout', `strategy "${environment.rollout.strategy}" needs an artifactBucket (the rollout's state is kept there)`, 'set "artifactBucket" for this environment, or use "strategy": "all-at-once"');
  }
  // Lambda only accepts an execution role of the function's own account: two different accounts is a typo.
  const roleAccount = environment.functionRole?.split(':')[4];
  if (environment.accountId && roleAccount && roleAccount !== environment.accountId) {
    r.fail('functionRole', `is in account ${roleAccount}, but accountId is ${environment.accountId}`, 'use a role of the environment\'s own account, or fix "accountId"');
  }
  // The role decides the account every call lands in: a different accountId is a typo either way.
  const assumedAccount = environment.assumeRole?.split(':')[4];
  if (environment.accountId && assumedAccount && assumedAccount !== environment.accountId) {
    r.fail('assumeRole', `is in account ${assumedAccount}, but accountId is ${environment.accountId}`, 'assume a role of the environment\'s own account, or fix "accountId"');
  }
  throwIfAny(r.errors);
  return environment;
}

/**
 * One Environment per region of `-c <name>`, each with its own region and bucket; the first is what
 * resolveEnvironment returns. A deploy runs once per entry, each with its own session and quota.
 */
export function resolveEnvironments(
  options: { namePrefix?: unknown; environments?: unknown },
  name: string | undefined,
  processEnv: NodeJS.ProcessEnv,
  source?: string,
): Environment[] {
  return environmentPerRegion(resolveEnvironment(options, name, processEnv, source), (options.environments as Record<string, { artifactBucket?: unknown }>)[name!]?.artifactBucket);
}

function environmentPerRegion(first: Environment, bucketTemplate: unknown): Environment[] {
  return first.regions.map((region) => ({ ...first, region, artifactBucket: typeof bucketTemplate === 'string' ? bucketIn(bucketTemplate, region) : undefined }));
}

function bucketIn(template: string, region: string): string {
  return template.replaceAll('{region}', region);
}

/** `region` or `regions`, never both: with both, which one a deploy used would be a guess. */
function readRegions(r: FieldReader, where: string, processEnv: NodeJS.ProcessEnv): string[] {
  const hint = 'use AWS region codes such as eu-west-1';
  if (r.has('region') && r.has('regions')) {
    r.fail('regions', 'is set together with "region"', 'keep one: "region": "eu-west-1" for one region, or "regions": ["eu-west-1", "us-east-1"] for several');
    return [];
  }
  if (!r.has('regions')) {
    const region = r.string('region', { pattern: REGION, patternHint: hint }) ?? regionFromEnv(processEnv);
    return region ? [region] : [];
  }
  const regions = r.stringArray('regions', { nonEmpty: true }) ?? [];
  const bad = regions.filter((region) => !REGION.test(region));
  if (bad.length) r.fail('regions', `${bad.map((b) => `"${b}"`).join(', ')} is not an AWS region code (${where})`, hint);
  return bad.length ? [] : regions;
}

function regionFromEnv(processEnv: NodeJS.ProcessEnv): string | undefined {
  return processEnv.AWS_REGION || processEnv.AWS_DEFAULT_REGION || undefined;
}
