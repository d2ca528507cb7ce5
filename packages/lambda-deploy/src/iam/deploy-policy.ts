import { exportedParameterName } from '../deploy/export-parameters';
import type { Environment } from '../config/environment';
import { awsNameOf } from '../config/naming';
import { isSsmValue } from '../config/environment-values';
import { functionForEnvironment, isExternalLayer, substitutePlaceholders } from '../config/function-config';
import { substituteText } from '../config/environment-values';
import type { Workspace } from '../config/workspace';
import { publishLockKey } from '../apply/publish-lock';
import { historyPrefix } from '../history/history-record';
import { layerArtifactKey } from '../plan/plan-layer';
import { isProgressive } from '../config/rollout-policy';
import { alarmNames } from '../rollout/plan-rollout';
import { ROLLOUTS_PREFIX } from '../rollout/rollout-record';
import { accountOf, arnsFor, partitionOf } from './arns';
import { policyScope, type PolicyScope } from './policy-scope';

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

export interface DeployPolicy {
  document: PolicyDocument;
  scope: PolicyScope;
  account: string;
  /** What the document cannot say itself: a wildcard account, roles it leaves out, size limits. */
  notes: string[];
}

/** IAM counts a managed policy's size without whitespace, and allows 6,144 characters. */
export const MANAGED_POLICY_MAX_CHARS = 6144;

/**
 * The least-privilege policy a deploy role needs for the selected projects in one environment: one
 * statement per purpose, each on exact resource ARNs, built from the repo alone (no AWS call). The
 * actions are the ones the engine sends (sdk-lambda-port.ts, s3-artifact-store.ts); emulator-only
 * calls (CreateBucket, CreateRole) are left out, since a real environment's bucket and role exist.
 */
export function deployPolicy(workspace: Workspace, env: Environment, selection?: string[]): DeployPolicy {
  const scope = policyScope(workspace, selection);
  const account = accountOf(env);
  const arn = arnsFor(env, account.id);
  const layerName = (project: string) => awsNameOf(workspace.layers.get(project)!, env);
  const functionArns = (projects: string[]) => projects.map((p) => arn.function(awsNameOf(workspace.functions.get(p)!, env)));
  const layerNames = scope.layers.map(layerName);
  const statements: PolicyStatement[] = [];
  const notes: string[] = [];
  const add = (Sid: string, Action: string[], Resource: string[], Condition?: PolicyStatement['Condition']) => {
    if (Resource.length) statements.push({ Sid, Effect: 'Allow', Action, Resource, ...(Condition ? { Condition } : {}) });
  };

  // deploy and status find the version holding the repo's content by listing; deploy publishes.
  add('ListAndPublishLayerVersions', ['lambda:ListLayerVersions', 'lambda:PublishLayerVersion'], layerNames.map(arn.layer));
  // Lambda checks GetLayerVersion on each layer version a CreateFunction/UpdateFunctionConfiguration
  // attaches; prune reads the size of each version it deletes with it.
  add('AttachLayerVersionsToFunctions', ['lambda:GetLayerVersion'], scope.attached.map(layerName).map(arn.layerVersions));
  // A publish that raced another deletes its duplicate (publish-once.ts); prune deletes unused versions.
  add('DeleteDuplicateAndPrunedLayerVersions', ['lambda:DeleteLayerVersion'], layerNames.map(arn.layerVersions));
  // Layers with `share`: deploy and prune read each kept version's policy and change only what differs.
  add('ShareLayerVersions', ['lambda:AddLayerVersionPermission', 'lambda:GetLayerVersionPolicy', 'lambda:RemoveLayerVersionPermission'], scope.layers.filter((p) => workspace.layers.get(p)!.share).map(layerName).map(arn.layerVersions));
  // prune must see every function of the account, whoever owns it, to keep the versions in use.
  if (scope.layers.length) add('PruneListFunctionsHasNoResourceLevelPermissions', ['lambda:ListFunctions'], ['*']);

  // External layer versions (ARNs in `layers`): a deploy reads each before writing, and Lambda checks
  // GetLayerVersion on every layer an update sends, a cascade's included.
  add('ReadAndAttachExternalLayerVersions', ['lambda:GetLayerVersion'], externalLayerArns(workspace, env, [...scope.functions, ...scope.cascaded], account.id));
  add('DeployFunctions', ['lambda:GetFunction', 'lambda:UpdateFunctionCode', 'lambda:UpdateFunctionConfiguration'], functionArns(scope.functions));
  add('CascadeLayerVersionsToDependentFunctions', ['lambda:GetFunction', 'lambda:UpdateFunctionConfiguration'], functionArns(scope.cascaded));
  // Functions with an alias: a version is published and the alias moved; GetFunction reads the version it serves.
  const aliased = [...new Set([...scope.functions, ...scope.cascaded])].filter((p) => workspace.functions.get(p)!.alias).sort();
  add('PublishVersionsAndMoveAliases', ['lambda:PublishVersion', 'lambda:GetAlias', 'lambda:CreateAlias', 'lambda:UpdateAlias', 'lambda:GetFunction'], functionArns(aliased).flatMap((fn) => [fn, `${fn}:*`]));
  const inEnv = (project: string) => functionForEnvironment(workspace.functions.get(project)!, env.name);
  const text = (value: string) => substituteText(value, { env: env.name, region: env.region, prefix: env.namePrefix, account: account.id });
  const roles = new Set(scope.functions.flatMap((p) => (inEnv(p).role ? [text(inEnv(p).role!)] : [])));
  if (env.createMissingFunctions && scope.functions.length) {
    add('CreateMissingFunctions', ['lambda:CreateFunction'], functionArns(scope.functions));
    if (env.functionRole) roles.add(env.functionRole);
    else notes.push('createMissingFunctions without functionRole (emulator only): the role the emulator makes is not in this policy');
  }
  // The environment's role for created functions, and each function's own `role`: passed to Lambda, to nothing else.
  add('PassExecutionRoleToLambdaOnly', ['iam:PassRole'], [...roles].sort(), { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } });
  // GetFunction returns a function's tags only to a caller allowed lambda:ListTags; the diff needs them.
  add('ManageDeclaredTags', ['lambda:ListTags', 'lambda:TagResource', 'lambda:UntagResource'], functionArns(scope.functions.filter((p) => inEnv(p).tags)));
  add('SetReservedConcurrency', ['lambda:PutFunctionConcurrency'], functionArns(scope.functions.filter((p) => inEnv(p).reservedConcurrency !== undefined)));
  // Lambda checks that the caller may describe the subnets and security groups it is given; EC2's
  // Describe actions have no resource-level permissions, so `*` is the only resource they take.
  if (scope.functions.some((p) => inEnv(p).vpc)) add('DescribeVpcOfFunctionsEc2HasNoResourceLevelPermissions', ['ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs'], ['*']);
  if (scope.functions.some((p) => inEnv(p).tracing === 'Active' || inEnv(p).deadLetter || inEnv(p).logging?.logGroup)) {
    notes.push('tracing, deadLetter and logging.logGroup need permissions on each function\'s execution role (xray:PutTraceSegments, sqs:SendMessage/sns:Publish, logs:CreateLogStream/PutLogEvents on the group), not on the deploy role');
  }

  // Environment values from SSM, read at deploy and by status for the functions deployed themselves (a cascade sends no environment).
  const parameters = ssmParameterNames(workspace, env, scope.functions, account.id);
  add('ReadEnvironmentValuesFromSsm', ['ssm:GetParameters'], parameters.map(arn.parameter));
  // SecureString values are decrypted by the parameter's KMS key, which the repo does not name (the
  // account's aws/ssm key, or a key of the team's): the key cannot be an exact ARN, so the condition
  // limits Decrypt to requests SSM makes in this region on the deploy's behalf.
  if (parameters.length) add('DecryptSecureStringParametersThroughSsmOnly', ['kms:Decrypt'], ['*'], { StringEquals: { 'kms:ViaService': `ssm.${env.region}.amazonaws.com` } });

  // Each layer deploy writes its version ARN under exportParameterPrefix, after reading whether it changed.
  if (env.exportParameterPrefix) add('ExportLayerVersionArnsToSsm', ['ssm:GetParameters', 'ssm:PutParameter'], scope.layers.map((p) => arn.parameter(exportedParameterName(env.exportParameterPrefix!, p, env.region))));

  const touchedFunctions = [...new Set([...scope.functions, ...scope.cascaded])].sort();
  if (env.artifactBucket && (scope.layers.length || touchedFunctions.length)) {
    const bucket = env.artifactBucket;
    // HeadBucket checks the bucket and its region before the first upload; with ListBucket, a
    // HeadObject on a key not uploaded yet answers 404 (upload it) rather than 403 (fail), and
    // rollback lists a function's history.
    add('ArtifactBucketHeadAndMissingKeys', ['s3:ListBucket'], [arn.bucket(bucket)]);
    // Content-addressed layer zips: HeadObject (s3:GetObject) to skip an upload, PutObject to make one.
    add('LayerArtifacts', ['s3:GetObject', 's3:PutObject'], scope.layers.map((p) => arn.object(bucket, layerArtifactKey(p, '*'))));
    // One lock object per layer, taken with a conditional PutObject, read, and released (publish-lock.ts).
    add('LayerPublishLocks', ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], layerNames.map((name) => arn.object(bucket, publishLockKey(name))));
    // Function code zips kept by hash (rollback restores them), and one history entry per deploy.
    add('FunctionCodeArtifacts', ['s3:GetObject', 's3:PutObject'], scope.functions.map((p) => arn.object(bucket, `functions/${p}/*.zip`)));
    add('DeployHistory', ['s3:GetObject', 's3:PutObject'], touchedFunctions.map((p) => arn.object(bucket, `${historyPrefix(awsNameOf(workspace.functions.get(p)!, env))}*`)));
    // A stepped rollout appends its state (conditional PutObject) and a rerun reads it back.
    if (isProgressive(env.rollout) && aliased.length) add('RolloutState', ['s3:GetObject', 's3:PutObject'], [arn.object(bucket, `${ROLLOUTS_PREFIX}*`)]);
  }
  // The rollout's alarms, read before the first write and during each bake.
  if (isProgressive(env.rollout) && aliased.length) {
    add('WatchRolloutAlarms', ['cloudwatch:DescribeAlarms'], alarmNames(env.rollout.alarms, env, aliased).map((name) => `arn:${partitionOf(env.region)}:cloudwatch:${env.region}:${account.id}:alarm:${name}`));
  }

  if (account.source === 'unknown') {
    notes.push(`no accountId for environment ${env.name}: ARNs use * for the account only; add "accountId": "<12 digits>" to environments.${env.name} in nx.json to pin it`);
  } else if (account.source === 'functionRole') {
    notes.push(`account ${account.id} taken from functionRole; set "accountId" in environments.${env.name} to state it`);
  }
  if (env.assumeRole) notes.push(`deploys of ${env.name} run as ${env.assumeRole}: attach this policy to that role, and let the caller's identity assume it (sts:AssumeRole in its policy, the caller in the role's trust policy)`);
  if (env.emulator) notes.push(`${env.name} uses the emulator, which does not enforce IAM: this is what the same settings need in AWS`);
  if (scope.functions.length || scope.cascaded.length) {
    notes.push('a function that also carries layers not declared in its function.json (a vendor extension, another team\'s layer) needs lambda:GetLayerVersion on those versions too: Lambda checks every layer it is sent');
  }
  const document: PolicyDocument = { Version: '2012-10-17', Statement: statements };
  const size = sizeNote(document, 'the policy');
  if (size) notes.push(size);
  return { document, scope, account: account.id, notes };
}

/** The notes without the size warning, which a joined document must recompute. */
export function withoutSizeNote(notes: string[]): string[] {
  return notes.filter((note) => !note.includes(`over IAM's ${MANAGED_POLICY_MAX_CHARS}`));
}

/** A warning when the document is over IAM's managed-policy size; `what` names it. */
export function sizeNote(document: PolicyDocument, what: string): string | undefined {
  const size = JSON.stringify(document).length;
  if (size <= MANAGED_POLICY_MAX_CHARS) return undefined;
  return `${what} has ${size} characters, over IAM's ${MANAGED_POLICY_MAX_CHARS} for a managed policy: split it by project (nx run-many -t iam-policy -p ...) or attach several`;
}

/** Every SSM parameter the functions' environment reads in this environment, placeholders substituted (`{account}` as the policy's account). */
export function ssmParameterNames(workspace: Workspace, env: Environment, functions: string[], account: string): string[] {
  const names = new Set<string>();
  for (const project of functions) {
    const config = functionForEnvironment(workspace.functions.get(project)!, env.name);
    const environment = substitutePlaceholders(config.environment, { env: env.name, region: env.region, prefix: env.namePrefix, account });
    for (const value of Object.values(environment ?? {})) if (isSsmValue(value)) names.add(value.ssm);
  }
  return [...names].sort();
}

/** The external layer version ARNs the functions declare, `{region}` and `{account}` substituted. */
function externalLayerArns(workspace: Workspace, env: Environment, functions: string[], account: string): string[] {
  const arns = functions.flatMap((project) => (workspace.functions.get(project)!.layerStack ?? []).filter(isExternalLayer));
  return [...new Set(arns.map((arn) => arn.replaceAll('{region}', env.region).replaceAll('{account}', account)))].sort();
}
