import type { Environment } from '../config/environment';
import { awsNameOf } from '../config/naming';
import type { Workspace } from '../config/workspace';
import { historyPrefix } from '../history/history-record';
import { layerArtifactKey } from '../plan/plan-layer';
import { sourceRegionFor } from '../promote/check-target';
import { accountOf, arnsFor } from './arns';
import { sizeNote, ssmParameterNames, withoutSizeNote, type DeployPolicy, type PolicyStatement } from './deploy-policy';
import { fleetDeployPolicy, mergeRegionStatements } from './fleet-policy';
import { policyScope } from './policy-scope';

/**
 * The policy for `promote -c <targets> --from=<sources>`: the target's deploy policy (a promotion
 * publishes, updates and copies into the target's bucket as a deploy does) plus the reads promote makes
 * in the source, on exact ARNs of the source regions it reads (each target region reads the source's
 * same region, or the source's only one). Built from the repo alone, no AWS call.
 */
export function promotePolicy(workspace: Workspace, targets: Environment[], sources: Environment[], selection?: string[]): DeployPolicy {
  const base = fleetDeployPolicy(workspace, targets, selection);
  const read = [...new Map(targets.map((target) => sourceRegionFor(sources, target)).map((env) => [env.region, env])).values()];
  const statements = mergeRegionStatements(read.map((env) => promoteSourceStatements(workspace, env, selection)), read.map((env) => env.region));
  const document = { ...base.document, Statement: [...base.document.Statement, ...statements] };
  const from = sources[0];
  const to = targets[0];
  const notes = withoutSizeNote(base.notes);
  notes.push(`the PromoteRead* statements are promote's reads of ${from.name} (${read.map((env) => env.region).join(', ')}, account ${accountOf(from).id})${from.assumeRole === to.assumeRole ? `: they run with ${to.name}'s credentials (CopyObject reads the source zip as the caller), so this one policy covers both sides` : `: they run as ${from.assumeRole ?? 'the caller\'s own credentials (the normal chain)'}, not as ${to.assumeRole ?? 'the caller'}: attach them there, and the other statements to ${to.name}'s role`}`);
  if (accountOf(from).source === 'unknown') notes.push(`no accountId for environment ${from.name}: its ARNs use * for the account only; add "accountId" to environments.${from.name} in nx.json to pin it`);
  const size = sizeNote(document, 'the policy with the promote reads');
  if (size) notes.push(size);
  return { ...base, document, notes };
}

/**
 * What promote reads in one source region (read-source.ts, artifacts.ts, copy-artifact.ts): each
 * function it reads (the selected ones and every user of a selected layer: a layer's promote checks
 * them all), their SSM values (to compare settings), the layer versions they run, the deploy history
 * that proves them, and the zips it copies.
 */
export function promoteSourceStatements(workspace: Workspace, source: Environment, selection?: string[]): PolicyStatement[] {
  const scope = policyScope(workspace, selection);
  const account = accountOf(source).id;
  const arn = arnsFor(source, account);
  const read = [...new Set([...scope.functions, ...scope.cascaded])].sort();
  const functionName = (project: string) => awsNameOf(workspace.functions.get(project)!, source);
  const statements: PolicyStatement[] = [];
  const add = (Sid: string, Action: string[], Resource: string[], Condition?: PolicyStatement['Condition']) => {
    if (Resource.length) statements.push({ Sid, Effect: 'Allow', Action, Resource, ...(Condition ? { Condition } : {}) });
  };

  add('PromoteReadSourceFunctions', ['lambda:GetFunction'], read.map((p) => arn.function(functionName(p))));
  // Each managed layer version a source function runs is identified by its Description.
  add('PromoteReadSourceLayerVersions', ['lambda:GetLayerVersion'], scope.attached.map((p) => arn.layerVersions(awsNameOf(workspace.layers.get(p)!, source))));
  const parameters = ssmParameterNames(workspace, source, read, account);
  add('PromoteReadSourceSsmValues', ['ssm:GetParameters'], parameters.map(arn.parameter));
  if (parameters.length) add('PromoteDecryptSourceSsmValuesThroughSsmOnly', ['kms:Decrypt'], ['*'], { StringEquals: { 'kms:ViaService': `ssm.${source.region}.amazonaws.com` } });
  if (source.artifactBucket && (read.length || scope.layers.length)) {
    const bucket = source.artifactBucket;
    // The history is listed by prefix; with ListBucket a zip that is not there answers 404 (PROMOTE_ARTIFACT_MISSING), not 403.
    add('PromoteReadSourceBucket', ['s3:ListBucket'], [arn.bucket(bucket)]);
    // HeadObject and GetObject (a copy across credentials), or CopyObject's read of its source: all s3:GetObject.
    add('PromoteReadSourceArtifactsAndHistory', ['s3:GetObject'], [
      ...scope.layers.map((p) => arn.object(bucket, layerArtifactKey(p, '*'))),
      ...scope.functions.map((p) => arn.object(bucket, `functions/${p}/*.zip`)),
      ...read.map((p) => arn.object(bucket, `${historyPrefix(functionName(p))}*`)),
    ]);
  }
  return statements;
}
