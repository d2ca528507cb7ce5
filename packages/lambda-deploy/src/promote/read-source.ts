import type { FunctionState } from '../aws/lambda-port';
import { fillAccount, functionForEnvironment } from '../config/function-config';
import { awsNameOf } from '../config/naming';
import type { DeployContext } from '../deploy/deploy-context';
import { desiredFunction, managedLayerNames } from '../deploy/desired-state';
import { fillSettingsAccount } from '../deploy/fill-settings-account';
import { readSsmValues } from '../deploy/read-ssm-values';
import { DeployError } from '../errors';
import { HistoryStore } from '../history/history-store';
import { parseLayerArn } from '../plan/layer-arn';
import { parseLayerDescription } from '../plan/layer-description';
import { diffSettings } from '../plan/settings-diff';
import type { EnvironmentSession } from './copy-artifact';
import type { SourceLayer } from './check-target';
import type { SourceFunction } from './detect-drift';
import { contentHashOf } from './provenance';

/** The target's context turned to the source environment: same workspace, the source's settings and (read-only) clients. */
export function sourceContext(ctx: DeployContext, source: EnvironmentSession): DeployContext {
  return { ...ctx, env: source.env, session: source.session, dryRun: true, approve: undefined, beforeUpload: undefined, functionRole: undefined };
}

/**
 * One function as the source environment runs it: GetFunction, the newest entry of its deploy
 * history, and its settings compared with the repo's for that environment (SSM values read there).
 * Undefined when the function does not exist there.
 */
export async function readSourceFunction(sctx: DeployContext, project: string): Promise<SourceFunction | undefined> {
  const desired = desiredFunction(sctx, project, new Map(), { withCode: false });
  const actual = await sctx.session.lambda.getFunction(desired.functionName);
  if (!actual) return undefined;
  const latest = sctx.env.artifactBucket ? await new HistoryStore(sctx.session.store, sctx.env.artifactBucket).latest(desired.functionName) : undefined;
  const account = sctx.env.accountId ?? actual.arn.split(':')[4];
  const environment = await readSsmValues(sctx, fillAccount(desired.declaredEnvironment, account, desired.file, { strict: false }));
  const filled = fillSettingsAccount(desired, account, { strict: false });
  const settingsDiffs = diffSettings({ ...filled.settings, environment }, actual, sctx.session.secrets).diffs;
  return { project, functionName: desired.functionName, actual, latest, settingsDiffs };
}

/** The managed layer versions a source function uses, in order, each identified by its Description. */
export async function readSourceLayers(sctx: DeployContext, actual: FunctionState): Promise<SourceLayer[]> {
  const managed = managedLayerNames(sctx);
  const layers: SourceLayer[] = [];
  for (const arn of actual.layers) {
    const parsed = parseLayerArn(arn);
    const project = parsed && managed.get(parsed.layerName);
    if (parsed && project) layers.push(await readSourceLayer(sctx, project, parsed.version));
  }
  return layers;
}

/**
 * A layer version of the source environment, with the content and semver its Description records,
 * which must be what Lambda holds (Content.CodeSha256 is the same zip's hash): a Description that
 * claims other content than the version's is refused like one this tool did not write.
 */
export async function readSourceLayer(sctx: DeployContext, project: string, version: number): Promise<SourceLayer> {
  const layerName = awsNameOf(sctx.workspace.layers.get(project)!, sctx.env);
  const info = await sctx.session.lambda.getLayerVersion(layerName, version);
  const described = info && parseLayerDescription(info.description);
  const holds = info?.codeSha256 ? contentHashOf(info.codeSha256) : undefined;
  if (info && described && described.project === project && holds !== `sha256:${described.sha256}`) {
    throw new DeployError(
      'PROMOTE_FOREIGN_LAYER',
      `${layerName}:${version} in ${sctx.env.name} holds ${holds ? `${holds.slice(0, 19)}..` : 'content Lambda did not report'} (Content.CodeSha256), not the sha256:${described.sha256.slice(0, 12)}.. its Description "${info.description}" names: its content is unknown`,
      `deploy ${project} to ${sctx.env.name} with this tool (\`nx run ${project}:deploy -c ${sctx.env.name}\`), then promote`,
    );
  }
  if (!info || !described || described.project !== project) {
    throw new DeployError(
      'PROMOTE_FOREIGN_LAYER',
      `${layerName}:${version} in ${sctx.env.name} ${info ? `has the Description "${info.description}", not one this tool writes for ${project}` : 'no longer exists'}: its content is unknown`,
      `deploy ${project} to ${sctx.env.name} with this tool (\`nx run ${project}:deploy -c ${sctx.env.name}\`), then promote`,
    );
  }
  return { project, layerName, arn: info.arn, version, semver: described.semver, sha256: described.sha256, codeSha256: info.codeSha256! };
}

/** The functions of the repo that declare this layer for the source environment. */
export function usersOfLayer(sctx: DeployContext, project: string): string[] {
  return [...sctx.workspace.functions.values()].filter((fn) => functionForEnvironment(fn, sctx.env.name).layers.includes(project)).map((fn) => fn.project);
}
