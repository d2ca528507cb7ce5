import { DeployError, isDeployError } from '../errors';
import type { AwsSession } from '../aws/clients';
import type { LayerVersionInfo } from '../aws/lambda-port';
import type { DeclaredLayer } from '../plan/merge-layers';
import type { DesiredFunction } from '../plan/plan-function';
import type { DeployContext } from './deploy-context';
import { externalLayer } from './desired-state';
import { zipDirectoryAt } from '../aws/zip-unzipped-size';
import { pythonPackagesOf, type PythonPackage } from '../artifact/python-packages';

export interface ExternalLayers {
  /** The declared layers, external ones with `{account}` filled in. */
  layers: DeclaredLayer[];
  /** Each external layer's unzipped size from its zip's directory, or, when that cannot be read, its zipped size (a lower bound), said in the label. */
  sizes: { project: string; unzippedSize: number }[];
  /** Each external layer's top-level Python packages, by layer version ARN, when its zip's directory could be read. */
  packages: Map<string, PythonPackage[]>;
}

/**
 * Reads every external layer version a function declares (GetLayerVersion, a read), so one that does
 * not exist, or is not shared with this account, fails while planning rather than at
 * UpdateFunctionConfiguration. `{account}` is filled from what readAndPlanFunction learnt; a dry-run
 * that cannot know it plans without reading.
 */
export async function checkExternalLayers(ctx: DeployContext, desired: DesiredFunction, account: string | undefined, options: { strict: boolean }): Promise<ExternalLayers> {
  const sizes: ExternalLayers['sizes'] = [];
  const packages: ExternalLayers['packages'] = new Map();
  const layers: DeclaredLayer[] = [];
  for (const declared of desired.layers) {
    if (!declared.external || !('arn' in declared.target)) {
      layers.push(declared);
      continue;
    }
    let layer = declared;
    if (declared.target.arn.includes('{account}')) {
      if (account) layer = externalLayer(declared.target.arn, { region: ctx.env.region, account });
      else if (options.strict) throw new DeployError('ACCOUNT_UNKNOWN', `${desired.file}: layers: "${declared.target.arn}" uses {account}, but the account is not known (the function does not exist yet)`, 'set "accountId" for the environment in nx.json');
    }
    layers.push(layer);
    const target = layer.target as { arn: string; version: number };
    if (target.arn.includes('{account}')) continue;
    const found = await readOnce(ctx, layer.project, target.version).catch((error: unknown) => {
      if (isDeployError(error) && error.code === 'AWS_AccessDeniedException') {
        throw new DeployError('EXTERNAL_LAYER_DENIED', `${desired.file}: layers: ${target.arn} cannot be read by this account (${error.message})`, 'the layer\'s owner must grant lambda:GetLayerVersion to this account, and the deploy role needs it too (see iam-policy)', error);
      }
      throw error;
    });
    if (!found) {
      throw new DeployError(
        'EXTERNAL_LAYER_MISSING',
        `${desired.file}: layers: ${target.arn} does not exist in ${ctx.env.region}`,
        'check the name, version and region of the ARN (a public layer lists its ARNs per region; "{region}" in the entry follows the environment), or remove the entry',
      );
    }
    sizes.push(found.unzipped !== undefined ? { project: layer.layerName, unzippedSize: found.unzipped } : { project: `${layer.layerName} (zipped size; unzipped unknown)`, unzippedSize: found.codeSize ?? 0 });
    if (found.names) packages.set(target.arn, pythonPackagesOf(found.names));
  }
  return { layers, sizes, packages };
}

// A layer version is immutable: one read per session is enough (checkFunctionInputs, then the plan; every function a session deploys).
type ReadLayer = (LayerVersionInfo & { unzipped?: number; names?: string[] }) | undefined;
const reads = new WeakMap<AwsSession, Map<string, Promise<ReadLayer>>>();

/** GetLayerVersion, then the unzipped size and entry names from the zip's directory when its URL allows (zipDirectoryAt). */
function readOnce(ctx: DeployContext, layer: string, version: number): Promise<ReadLayer> {
  const cache = reads.get(ctx.session) ?? new Map<string, Promise<ReadLayer>>();
  reads.set(ctx.session, cache);
  const key = `${layer}:${version}`;
  if (!cache.has(key)) {
    cache.set(key, ctx.session.lambda.getLayerVersion(layer, version).then(async (found) => found && { ...found, ...(await directoryOf(found)) }));
  }
  return cache.get(key)!;
}

async function directoryOf(found: LayerVersionInfo): Promise<{ unzipped?: number; names?: string[] }> {
  const directory = await zipDirectoryAt(found.location, found.codeSize ?? 0);
  return directory ? { unzipped: directory.unzippedSize, names: directory.names } : {};
}
