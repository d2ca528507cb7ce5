import type { FunctionState } from '../aws/lambda-port';
import { snapshotOf } from '../history/history-record';
import { MAX_LAYERS_PER_FUNCTION } from '../config/function-config';
import type { EnvironmentMap } from '../config/environment-values';
import type { Architecture } from '../config/runtimes';
import { DeployError } from '../errors';
import { parseLayerArn } from './layer-arn';
import { describeLayerChanges, mergeLayers, type DeclaredLayer } from './merge-layers';
import { diffSettings } from './settings-diff';
import { diffTags, tagsForCreate } from './tags-diff';
import type { SecretValues } from './planned-environment';
import type { Action, ArtifactRef, PlannedSettings, ProjectPlan } from './types';

export interface DesiredFunction {
  project: string;
  /** function.json path, for errors. */
  file: string;
  functionName: string;
  /** Absent for a layers-only update: the function's own package is not needed (nor built) then. */
  code?: { sha256Base64: string; zipFile: string };
  architecture: Architecture;
  settings: PlannedSettings;
  /**
   * The environment as declared for this environment, placeholders substituted, SSM values still
   * parameter names: the deploy reads those into `settings.environment` before planning.
   */
  declaredEnvironment?: EnvironmentMap;
  /** The values of the SSM parameters `settings` refers to, for comparing with the function's: never part of the plan. */
  secrets?: SecretValues;
  tags?: Record<string, string>;
  reservedConcurrency?: number;
  /** Declared layers in order, each resolved to a version (or pending a publish in this run). */
  layers: DeclaredLayer[];
  alias?: string;
}

export interface FunctionPlanContext {
  /** AWS layer name -> layer project, for every layer the repo manages in this environment. */
  managedLayerNames: Map<string, string>;
  createMissing: boolean;
  environment: string;
  /** 'all' for a function's own deploy/update-layers; the cascading layers for a cascade. */
  scope: 'all' | string[];
  /** A cascade or update-layers touches layers only, never code or settings. */
  layersOnly: boolean;
}

/** Compares the function the repo describes with the one in AWS; every difference becomes one action with its reason. */
export function planFunction(desired: DesiredFunction, actual: FunctionState | undefined, ctx: FunctionPlanContext): ProjectPlan {
  const plan: ProjectPlan = { project: desired.project, kind: 'function', awsName: desired.functionName, actions: [] };
  if (!actual) {
    if (ctx.createMissing && !ctx.layersOnly) {
      const code = codeOf(desired);
      const merged = mergeLayers([], desired.layers, ctx.managedLayerNames, 'all');
      plan.actions.push({
        kind: 'create-function',
        project: desired.project,
        reason: `${desired.functionName} does not exist in ${ctx.environment}`,
        functionName: desired.functionName,
        code,
        codeSha256: desired.code!.sha256Base64,
        architecture: desired.architecture,
        settings: desired.settings,
        layers: merged.slots,
        layerChanges: merged.changes,
        tags: tagsForCreate(desired.tags),
      });
      if (desired.reservedConcurrency !== undefined) {
        plan.actions.push({ kind: 'put-concurrency', project: desired.project, reason: `reservedConcurrency ${desired.reservedConcurrency}`, functionName: desired.functionName, reservedConcurrency: desired.reservedConcurrency });
      }
    } else {
      plan.actions.push({ kind: 'warn', project: desired.project, reason: `function ${desired.functionName} not found, skipped` });
    }
    return plan;
  }

  plan.before = snapshotOf(actual);
  const actions: Action[] = [];
  if (!ctx.layersOnly) {
    const code = codeOf(desired);
    if (actual.codeSha256 !== desired.code!.sha256Base64 || actual.architecture !== desired.architecture) {
      const why = actual.architecture !== desired.architecture ? `architecture ${actual.architecture} -> ${desired.architecture}` : `code ${actual.codeSha256.slice(0, 10)}.. -> ${desired.code!.sha256Base64.slice(0, 10)}..`;
      actions.push({ kind: 'update-code', project: desired.project, reason: why, functionName: desired.functionName, code, codeSha256: desired.code!.sha256Base64, architecture: desired.architecture });
    }
  }
  const settings = ctx.layersOnly ? { change: {}, diffs: [] } : diffSettings(desired.settings, actual, desired.secrets);
  const merged = mergeLayers(actual.layers, desired.layers, ctx.managedLayerNames, ctx.scope);
  if (merged.slots.length > MAX_LAYERS_PER_FUNCTION) {
    const unmanaged = actual.layers.filter((arn) => !isManaged(arn, ctx.managedLayerNames));
    throw new DeployError(
      'LAYER_LIMIT',
      `${desired.file}: ${desired.functionName} would have ${merged.slots.length} layers (declared: ${desired.layers.map((l) => l.project).join(', ')}; not managed here: ${unmanaged.join(', ') || 'none'}), Lambda allows ${MAX_LAYERS_PER_FUNCTION}`,
      'declare fewer layers in function.json, or remove an unmanaged layer from the function',
    );
  }
  if (merged.changed || settings.diffs.length > 0) {
    const layerText = describeLayerChanges(merged.changes);
    actions.push({
      kind: settings.diffs.length > 0 ? 'update-config' : 'update-layers',
      project: desired.project,
      reason: [...settings.diffs, ...(merged.changed ? [`layers ${layerText}`] : [])].join('; '),
      functionName: desired.functionName,
      settings: settings.change,
      layers: merged.changed ? merged.slots : undefined,
      layerChanges: merged.changes,
    });
  }
  if (!ctx.layersOnly) actions.push(...tagAndConcurrencyActions(desired, actual));
  if (actions.length === 0) {
    const layerText = describeLayerChanges(merged.changes);
    actions.push({ kind: 'skip', project: desired.project, reason: `unchanged${layerText ? `: layers ${layerText}` : ''}` });
  }
  plan.actions.push(...actions);
  return plan;
}

/** Tags and reserved concurrency have their own calls, outside UpdateFunctionConfiguration; each only when declared and different. */
function tagAndConcurrencyActions(desired: DesiredFunction, actual: FunctionState): Action[] {
  const actions: Action[] = [];
  const tags = diffTags(desired.tags, actual.tags ?? {});
  if (Object.keys(tags.set).length > 0 || tags.remove.length > 0) {
    actions.push({ kind: 'tag-function', project: desired.project, reason: tags.diff ?? 'tags: record of the managed keys', functionArn: actual.arn, set: tags.set, remove: tags.remove });
  }
  if (desired.reservedConcurrency !== undefined && desired.reservedConcurrency !== actual.reservedConcurrency) {
    actions.push({ kind: 'put-concurrency', project: desired.project, reason: `reservedConcurrency ${actual.reservedConcurrency ?? '(unreserved)'} -> ${desired.reservedConcurrency}`, functionName: desired.functionName, reservedConcurrency: desired.reservedConcurrency });
  }
  return actions;
}

function isManaged(arn: string, managed: Map<string, string>): boolean {
  const parsed = parseLayerArn(arn);
  return parsed !== undefined && managed.has(parsed.layerName);
}

function codeOf(desired: DesiredFunction): ArtifactRef {
  if (!desired.code) throw new DeployError('CODE_UNKNOWN', `${desired.project}: the function's package was not read`, 'run the package target first (deploy depends on it)');
  return { file: desired.code.zipFile };
}
