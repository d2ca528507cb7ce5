import { readManifest } from '../artifact/manifest';
import { checkFunctionLimits, checkLayerLimits } from '../artifact/limits';
import { manifestPathOf, zipPathOf } from '../config/artifact-paths';
import { awsNameOf } from '../config/naming';
import { DeployError } from '../errors';
import type { DeclaredLayer, LayerTarget } from '../plan/merge-layers';
import type { DesiredFunction } from '../plan/plan-function';
import type { DesiredLayer } from '../plan/plan-layer';
import { functionForEnvironment, isExternalLayer, substitutePlaceholders, type FunctionConfig } from '../config/function-config';
import { substituteText } from '../config/environment-values';
import type { DeployContext } from './deploy-context';

/** The layer as the repo describes it in this environment: name, semver from VERSION, content hash from its package manifest. */
export function desiredLayer(ctx: DeployContext, project: string): DesiredLayer {
  const config = ctx.workspace.layers.get(project);
  if (!config) throw new DeployError('UNKNOWN_LAYER', `${project}: not a layer of this repo`, 'check the project name');
  const manifest = readManifest(manifestPathOf(ctx.workspace.root, 'layer', project), `${project} package manifest`);
  checkLayerLimits(manifest, project);
  return {
    project,
    layerName: awsNameOf(config, ctx.env),
    semver: ctx.workspace.versions.get(project)!.semver,
    sha256: manifest.sha256,
    zipFile: zipPathOf(ctx.workspace.root, 'layer', project),
    zipSize: manifest.size,
    runtimes: config.runtimes,
    architectures: config.architectures,
    bucket: ctx.env.artifactBucket,
  };
}

/** `withCode: false` for layers-only updates (a cascade, update-layers), which must work before the function is packaged. */
export function desiredFunction(ctx: DeployContext, project: string, targets: Map<string, LayerTarget>, options: { withCode: boolean }): DesiredFunction {
  const base = ctx.workspace.functions.get(project);
  if (!base) throw new DeployError('UNKNOWN_FUNCTION', `${project}: not a function of this repo`, 'check the project name');
  const config = functionForEnvironment(base, ctx.env.name);
  const account = ctx.env.accountId ?? ctx.env.assumeRole?.split(':')[4] ?? ctx.env.functionRole?.split(':')[4];
  const values = { env: ctx.env.name, region: ctx.env.region, prefix: ctx.env.namePrefix, account };
  const environment = substitutePlaceholders(config.environment, values);
  const text = (value: string | undefined) => value && substituteText(value, values);
  const manifest = options.withCode ? readManifest(manifestPathOf(ctx.workspace.root, 'function', project), `${project} package manifest`) : undefined;
  return {
    project,
    file: config.file,
    functionName: awsNameOf(config, ctx.env),
    code: manifest && { sha256Base64: manifest.sha256Base64, zipFile: zipPathOf(ctx.workspace.root, 'function', project) },
    architecture: config.architecture,
    alias: config.alias,
    settings: {
      runtime: config.runtime,
      handler: config.handler,
      memory: config.memory,
      timeout: config.timeout,
      description: config.description,
      role: text(config.role),
      tracing: config.tracing,
      ephemeralStorage: config.ephemeralStorage,
      logging: config.logging && { ...config.logging, logGroup: text(config.logging.logGroup) },
      vpc: config.vpc,
      deadLetter: text(config.deadLetter),
    },
    tags: config.tags && Object.fromEntries(Object.entries(config.tags).map(([key, value]) => [key, text(value)!])),
    reservedConcurrency: config.reservedConcurrency,
    declaredEnvironment: environment,
    layers: (config.layerStack ?? config.layers).map((layer): DeclaredLayer =>
      isExternalLayer(layer)
        ? externalLayer(layer, { region: ctx.env.region, account })
        : {
            project: layer,
            layerName: awsNameOf(ctx.workspace.layers.get(layer)!, ctx.env),
            // Layers outside a cascade's scope are never repointed, so a placeholder target is enough for them.
            target: targets.get(layer) ?? { pending: true },
          },
    ),
  };
}

/** An external layer version ARN with `{region}` (and `{account}` when known) substituted; fillExternalAccount does the rest once the function is read. */
export function externalLayer(entry: string, values: { region: string; account?: string }): DeclaredLayer {
  const arn = values.account ? entry.replaceAll('{region}', values.region).replaceAll('{account}', values.account) : entry.replaceAll('{region}', values.region);
  const cut = arn.lastIndexOf(':');
  const version = Number(arn.slice(cut + 1));
  return { project: arn.slice(0, cut), layerName: arn.slice(arn.indexOf(':layer:') + ':layer:'.length, cut), target: { arn, version }, external: true };
}

/**
 * Code (when read) plus declared layers against Lambda's 250 MB: managed layers from their package
 * manifests, external ones by the size GetLayerVersion gives (zipped: a lower bound of their share).
 */
export function checkFunctionSize(ctx: DeployContext, config: FunctionConfig, options: { withCode: boolean }, external: { project: string; unzippedSize: number }[] = []): void {
  const manifest = (kind: 'layer' | 'function', project: string) => readManifest(manifestPathOf(ctx.workspace.root, kind, project), `${project} package manifest`);
  const code = options.withCode ? manifest('function', config.project).unzippedSize : undefined;
  checkFunctionLimits(config.file, code, [...config.layers.map((layer) => ({ project: layer, unzippedSize: manifest('layer', layer).unzippedSize })), ...external]);
}

/** AWS layer name -> project, for every layer of the repo: what counts as "managed" in a function's Layers list. */
export function managedLayerNames(ctx: DeployContext): Map<string, string> {
  return new Map([...ctx.workspace.layers.values()].map((config) => [awsNameOf(config, ctx.env), config.project]));
}
