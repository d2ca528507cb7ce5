import { readManifest } from '../artifact/manifest';
import { manifestPathOf } from '../config/artifact-paths';
import { awsNameOf } from '../config/naming';
import type { DeployContext } from '../deploy/deploy-context';
import { fillAccount } from '../config/function-config';
import { desiredFunction, desiredLayer } from '../deploy/desired-state';
import { readSsmValues } from '../deploy/read-ssm-values';
import { fillSettingsAccount } from '../deploy/fill-settings-account';
import { diffTags } from '../plan/tags-diff';
import { diffSettings } from '../plan/settings-diff';
import { parseLayerArn } from '../plan/layer-arn';
import { layerLabel } from '../plan/merge-layers';
import { findMatchingVersion } from '../plan/layer-description';

export type LayerSync = 'in sync' | 'behind' | 'ahead' | 'missing' | 'unpublished';

export interface FunctionStatus {
  project: string;
  functionName: string;
  exists: boolean;
  code?: 'in sync' | 'drift';
  /** Managed layers, then external ones (`external`: an ARN from `layers`, expected = its declared version). */
  layers: { layer: string; attached?: number; expected?: number; sync: LayerSync; external?: boolean }[];
  unmanaged: string[];
  /** Managed settings that differ in AWS, as a deploy would describe them (variable names only, never values). */
  settings?: string[];
  /** The alias function.json declares and the version it serves (undefined: the alias does not exist). */
  alias?: { name: string; version?: string };
}

/** A function's layers, code, settings and alias vs. what the repo describes. Reads only: one GetFunction, one ListLayerVersions per declared layer, GetAlias when it declares one. */
export async function functionStatus(ctx: DeployContext, project: string): Promise<FunctionStatus> {
  const config = ctx.workspace.functions.get(project)!;
  const functionName = awsNameOf(config, ctx.env);
  const actual = await ctx.session.lambda.getFunction(functionName);
  if (!actual) return { project, functionName, exists: false, layers: [], unmanaged: [] };
  const manifest = readManifest(manifestPathOf(ctx.workspace.root, 'function', project), `${project} package manifest`);
  const attached = actual.layers.map((arn) => ({ arn, parsed: parseLayerArn(arn) }));
  const layers: FunctionStatus['layers'] = [];
  const managedNames = new Set<string>();
  for (const layer of config.layers) {
    const desired = desiredLayer(ctx, layer);
    managedNames.add(desired.layerName);
    const expected = findMatchingVersion(await ctx.session.lambda.listLayerVersions(desired.layerName), desired.semver, desired.sha256)?.version;
    const current = attached.find((a) => a.parsed?.layerName === desired.layerName)?.parsed?.version;
    const sync: LayerSync = current === undefined ? 'missing' : expected === undefined ? 'unpublished' : current === expected ? 'in sync' : current < expected ? 'behind' : 'ahead';
    layers.push({ layer, attached: current, expected, sync });
  }
  // The settings a deploy would set in this environment, compared as a deploy compares them.
  const desired = desiredFunction(ctx, project, new Map(), { withCode: false });
  // External layers: the declared version against the attached one (no read: the ARN says the version).
  for (const layer of desired.layers.filter((l) => l.external)) {
    const arn = (layer.target as { arn: string }).arn.replaceAll('{account}', actual.arn.split(':')[4]);
    const expected = parseLayerArn(arn)!.version;
    managedNames.add(layer.layerName);
    const current = attached.find((a) => a.parsed?.layerName === layer.layerName)?.parsed?.version;
    const sync: LayerSync = current === undefined ? 'missing' : current === expected ? 'in sync' : current < expected ? 'behind' : 'ahead';
    layers.push({ layer: layerLabel(layer.project), attached: current, expected, sync, external: true });
  }
  const environment = await readSsmValues(ctx, fillAccount(desired.declaredEnvironment, actual.arn.split(':')[4], config.file));
  const filled = fillSettingsAccount(desired, actual.arn.split(':')[4], { strict: true });
  const tags = diffTags(filled.tags, actual.tags ?? {}).diff;
  const concurrency = desired.reservedConcurrency !== undefined && desired.reservedConcurrency !== actual.reservedConcurrency ? `reservedConcurrency ${actual.reservedConcurrency ?? '(unreserved)'} -> ${desired.reservedConcurrency}` : undefined;
  const settings = [...diffSettings({ ...filled.settings, environment }, actual, ctx.session.secrets).diffs, ...(tags ? [tags] : []), ...(concurrency ? [concurrency] : [])];
  const alias = desired.alias ? { name: desired.alias, version: (await ctx.session.lambda.getAlias(functionName, desired.alias))?.functionVersion } : undefined;
  return {
    project,
    functionName,
    exists: true,
    code: actual.codeSha256 === manifest.sha256Base64 ? 'in sync' : 'drift',
    layers,
    settings,
    alias,
    unmanaged: attached.filter((a) => !a.parsed || !managedNames.has(a.parsed.layerName)).map((a) => a.arn),
  };
}

export function renderFunctionStatus(status: FunctionStatus): string[] {
  if (!status.exists) return [`[${status.project}] ${status.functionName}: not found`];
  const layers = status.layers.map((l) => `${l.layer} ${l.attached ?? '-'}${l.sync === 'in sync' ? '' : ` (${l.sync}${l.expected !== undefined ? `, repo: ${l.expected}` : ''})`}`);
  return [
    `[${status.project}] ${status.functionName}: code ${status.code}; layers ${layers.join(', ') || '(none)'}${status.unmanaged.length ? `; unmanaged ${status.unmanaged.join(', ')}` : ''}`,
    `[${status.project}] settings ${status.settings?.length ? `drift: ${status.settings.join(', ')}` : 'in sync'}${status.alias ? `; alias ${status.alias.name} -> ${status.alias.version ?? '(missing)'}` : ''}`,
  ];
}
