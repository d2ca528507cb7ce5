import type { FunctionState } from '../aws/lambda-port';
import type { Environment } from '../config/environment';
import type { Architecture } from '../config/runtimes';
import { DeployError, throwIfAny } from '../errors';

/** A managed layer version a source function uses, as its Description identifies it. */
export interface SourceLayer {
  project: string;
  layerName: string;
  arn: string;
  version: number;
  semver: string;
  /** Hex sha256 of the zip, as the Description records it (and names the zip's key). */
  sha256: string;
  /** Lambda's base64 sha256 of what the version holds (Content.CodeSha256): the same zip, checked. */
  codeSha256: string;
}

const NX_JSON = 'nx.json plugins[@vectora/nx-lambda].options.environments';

/**
 * Both environments keep their artifacts in a bucket: the source's holds the zips to copy and the
 * deploy history that proves them, the target's receives the copies (and its own history).
 */
export function checkPromoteBuckets(from: Environment, to: Environment): void {
  const missing = [from, to].filter((env) => !env.artifactBucket);
  throwIfAny(missing.map((env) => new DeployError(
    'PROMOTE_NEEDS_BUCKET',
    `${NX_JSON}.${env.name} has no artifactBucket: a promotion ${env === from ? 'copies the zips (and reads the deploy history) kept' : 'copies the zips into'} there`,
    `set "artifactBucket" for ${env.name} in nx.json${env === from ? `, deploy ${env.name} once with it,` : ''} then promote again`,
  )));
}

/**
 * The source region that feeds one target region: the same region when the source has it, else the
 * source's only region (Lambda reads zips from S3 in any region once copied); ambiguous otherwise.
 */
export function sourceRegionFor(sources: Environment[], target: Environment): Environment {
  const same = sources.find((env) => env.region === target.region);
  if (same) return same;
  if (sources.length === 1) return sources[0];
  throw new DeployError(
    'PROMOTE_REGIONS',
    `${target.name} deploys to ${target.region}, which ${sources[0].name} does not (it has ${sources.map((env) => env.region).join(', ')}): which region to promote from is ambiguous`,
    `give ${target.name} regions that ${sources[0].name} also has in nx.json, or promote from an environment with one region`,
  );
}

/**
 * Whether the repo's configuration for the target can run what the source runs: same runtime and
 * architecture (the code and layers were built for them), and the same managed layers in the same
 * order (else the code would meet other libraries than it was tested with). Every mismatch at once. Pure.
 */
export function checkPromotable(input: {
  file: string;
  project: string;
  from: string;
  to: string;
  source: Pick<FunctionState, 'name' | 'runtime' | 'architecture'>;
  sourceLayers: Pick<SourceLayer, 'project'>[];
  target: { runtime: string; architecture: Architecture; layers: string[] };
}): void {
  const { file, from, to, source, target } = input;
  const errors: DeployError[] = [];
  const fail = (what: string, fix: string) => errors.push(new DeployError('PROMOTE_INCOMPATIBLE', `${file}: ${input.project} cannot be promoted from ${from} to ${to}: ${what}`, fix));
  if (source.runtime !== target.runtime) {
    fail(`${source.name} runs ${source.runtime} in ${from}, the repo says ${target.runtime} for ${to}`, `deploy ${from} with the repo's runtime first, or align "runtime" (and its environments.${to} override) in ${file}`);
  }
  if (source.architecture !== target.architecture) {
    fail(`${source.name} runs on ${source.architecture} in ${from}, the repo says ${target.architecture} for ${to}`, `deploy ${from} with the repo's architecture first, or align "architecture" in ${file}`);
  }
  const used = input.sourceLayers.map((layer) => layer.project);
  if (used.join() !== target.layers.join()) {
    fail(`${source.name} uses the layers [${used.join(', ')}] in ${from}, the repo declares [${target.layers.join(', ')}] for ${to}`, `deploy ${from} from the repo first (\`nx run ${input.project}:deploy -c ${from}\`), then promote`);
  }
  throwIfAny(errors);
}

/**
 * `--from=<env>` of a promotion into `to`: given, another environment than `to`, and defined in
 * nx.json (every region of it, as resolveEnvironments reads them).
 */
export function checkPromoteFrom(from: string | undefined, to: string, defined: string[], flag = '--from'): string {
  const known = defined.filter((name) => name !== to).join(', ') || '(none other defined)';
  if (!from) {
    throw new DeployError('PROMOTE_FROM_MISSING', `promote to ${to} needs ${flag}=<environment>: the environment whose code and layer contents to copy`, `rerun with ${flag}=<one of ${known}> (environments are defined in ${NX_JSON})`);
  }
  if (from === to) {
    throw new DeployError('PROMOTE_FROM_SELF', `${flag}=${from} is the environment being promoted to (-c ${to})`, `promote from another environment: one of ${known}`);
  }
  if (!defined.includes(from)) {
    throw new DeployError('ENVIRONMENT_UNKNOWN', `${flag}=${from}: environment "${from}" is not defined in ${NX_JSON}`, `use one of: ${known}, or add "${from}" there`);
  }
  return from;
}
