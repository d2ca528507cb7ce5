import { describe, expect, it } from 'vitest';
import { SAMPLE_APP } from '../../test/fixtures/sample-app';
import { resolveEnvironment, type EnvironmentOptions } from '../config/environment';
import { loadWorkspace } from '../config/workspace';
import { partitionOf } from './arns';
import { deployPolicy, MANAGED_POLICY_MAX_CHARS } from './deploy-policy';
import { policyScope } from './policy-scope';

// The tests' copy of the sample app: layers vectora-core and common-deps, three functions on both.
const sampleApp = loadWorkspace(SAMPLE_APP);
const env = (options: EnvironmentOptions = {}, name = 'dev') =>
  resolveEnvironment({ namePrefix: 'vectora-inbox', environments: { [name]: { region: 'eu-west-1', artifactBucket: 'vectora-inbox-artifacts-dev', accountId: '123456789012', ...options } } }, name, {});
const lambda = 'arn:aws:lambda:eu-west-1:123456789012';
const fnArns = ['ingest-v2', 'newsletter-v2', 'normalize-score-v2'].map((fn) => `${lambda}:function:vectora-inbox-${fn}-dev`);
const statement = (policy: ReturnType<typeof deployPolicy>, sid: string) => policy.document.Statement.find((s) => s.Sid === sid);

describe('deployPolicy', () => {
  it('the sample app in dev: one statement per purpose, exact resources, no wildcard but ListFunctions', () => {
    const policy = deployPolicy(sampleApp, env());
    expect(policy.document).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'ListAndPublishLayerVersions', Effect: 'Allow', Action: ['lambda:ListLayerVersions', 'lambda:PublishLayerVersion'], Resource: [`${lambda}:layer:vectora-inbox-common-deps-dev`, `${lambda}:layer:vectora-inbox-vectora-core-dev`] },
        { Sid: 'AttachLayerVersionsToFunctions', Effect: 'Allow', Action: ['lambda:GetLayerVersion'], Resource: [`${lambda}:layer:vectora-inbox-common-deps-dev:*`, `${lambda}:layer:vectora-inbox-vectora-core-dev:*`] },
        { Sid: 'DeleteDuplicateAndPrunedLayerVersions', Effect: 'Allow', Action: ['lambda:DeleteLayerVersion'], Resource: [`${lambda}:layer:vectora-inbox-common-deps-dev:*`, `${lambda}:layer:vectora-inbox-vectora-core-dev:*`] },
        { Sid: 'PruneListFunctionsHasNoResourceLevelPermissions', Effect: 'Allow', Action: ['lambda:ListFunctions'], Resource: ['*'] },
        { Sid: 'DeployFunctions', Effect: 'Allow', Action: ['lambda:GetFunction', 'lambda:UpdateFunctionCode', 'lambda:UpdateFunctionConfiguration'], Resource: fnArns },
        { Sid: 'ArtifactBucketHeadAndMissingKeys', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: ['arn:aws:s3:::vectora-inbox-artifacts-dev'] },
        { Sid: 'LayerArtifacts', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: ['arn:aws:s3:::vectora-inbox-artifacts-dev/layers/common-deps/*.zip', 'arn:aws:s3:::vectora-inbox-artifacts-dev/layers/vectora-core/*.zip'] },
        {
          Sid: 'LayerPublishLocks',
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
          Resource: ['arn:aws:s3:::vectora-inbox-artifacts-dev/locks/layers/vectora-inbox-common-deps-dev.json', 'arn:aws:s3:::vectora-inbox-artifacts-dev/locks/layers/vectora-inbox-vectora-core-dev.json'],
        },
        {
          Sid: 'FunctionCodeArtifacts',
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:PutObject'],
          Resource: ['ingest-v2', 'newsletter-v2', 'normalize-score-v2'].map((p) => `arn:aws:s3:::vectora-inbox-artifacts-dev/functions/${p}/*.zip`),
        },
        {
          Sid: 'DeployHistory',
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:PutObject'],
          Resource: ['ingest-v2', 'newsletter-v2', 'normalize-score-v2'].map((p) => `arn:aws:s3:::vectora-inbox-artifacts-dev/history/vectora-inbox-${p}-dev/*`),
        },
      ],
    });
    expect(policy.account).toBe('123456789012');
    expect(new Set(policy.document.Statement.map((s) => s.Sid)).size).toBe(policy.document.Statement.length);
    expect(policy.document.Statement.filter((s) => s.Resource.some((r) => r.includes('*') && !r.endsWith(':*') && !r.endsWith('/*.zip') && !r.endsWith('/*')))).toEqual([statement(policy, 'PruneListFunctionsHasNoResourceLevelPermissions')]);
  });

  it('creates functions only where createMissingFunctions is on, passing the role to Lambda only', () => {
    const role = 'arn:aws:iam::123456789012:role/vectora-inbox-lambda-dev';
    const policy = deployPolicy(sampleApp, env({ createMissingFunctions: true, functionRole: role }));
    expect(statement(policy, 'CreateMissingFunctions')).toEqual({ Sid: 'CreateMissingFunctions', Effect: 'Allow', Action: ['lambda:CreateFunction'], Resource: fnArns });
    expect(statement(policy, 'PassExecutionRoleToLambdaOnly')).toEqual({ Sid: 'PassExecutionRoleToLambdaOnly', Effect: 'Allow', Action: ['iam:PassRole'], Resource: [role], Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } } });
    expect(statement(deployPolicy(sampleApp, env()), 'CreateMissingFunctions')).toBeUndefined();
    expect(statement(deployPolicy(sampleApp, env()), 'PassExecutionRoleToLambdaOnly')).toBeUndefined();
  });

  it('lets functions with an alias publish versions and move the alias, on their own ARNs and qualifiers only', () => {
    const withAlias = { ...sampleApp, functions: new Map(sampleApp.functions) };
    withAlias.functions.set('ingest-v2', { ...withAlias.functions.get('ingest-v2')!, alias: 'live' });
    const ingest = 'arn:aws:lambda:eu-west-1:123456789012:function:vectora-inbox-ingest-v2-dev';
    expect(statement(deployPolicy(withAlias, env()), 'PublishVersionsAndMoveAliases')).toEqual({
      Sid: 'PublishVersionsAndMoveAliases',
      Effect: 'Allow',
      Action: ['lambda:PublishVersion', 'lambda:GetAlias', 'lambda:CreateAlias', 'lambda:UpdateAlias', 'lambda:GetFunction'],
      Resource: [ingest, `${ingest}:*`],
    });
    expect(statement(deployPolicy(sampleApp, env()), 'PublishVersionsAndMoveAliases')).toBeUndefined();
  });

  it('under a stepped rollout: reads the alarms of the aliased functions, and appends and reads the rollout state', () => {
    const withAlias = { ...sampleApp, functions: new Map(sampleApp.functions) };
    withAlias.functions.set('ingest-v2', { ...withAlias.functions.get('ingest-v2')!, alias: 'live' });
    const rollout = { strategy: 'canary', percent: 10, intervalSeconds: 60, alarms: ['{prefix}-{env}-errors', '{prefix}-{function}-5xx'] };
    const policy = deployPolicy(withAlias, env({ rollout }));
    expect(statement(policy, 'WatchRolloutAlarms')).toEqual({
      Sid: 'WatchRolloutAlarms',
      Effect: 'Allow',
      Action: ['cloudwatch:DescribeAlarms'],
      Resource: ['arn:aws:cloudwatch:eu-west-1:123456789012:alarm:vectora-inbox-dev-errors', 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:vectora-inbox-ingest-v2-5xx'],
    });
    expect(statement(policy, 'RolloutState')?.Resource).toEqual(['arn:aws:s3:::vectora-inbox-artifacts-dev/rollouts/*']);
    // No stepped policy, or no function with an alias: neither statement.
    expect(statement(deployPolicy(withAlias, env()), 'WatchRolloutAlarms')).toBeUndefined();
    expect(statement(deployPolicy(sampleApp, env({ rollout })), 'RolloutState')).toBeUndefined();
  });

  it('reads the SSM parameters of the deployed functions in this environment, and decrypts SecureStrings through SSM only', () => {
    const withSsm = { ...sampleApp, functions: new Map(sampleApp.functions) };
    const ingest = withSsm.functions.get('ingest-v2')!;
    withSsm.functions.set('ingest-v2', {
      ...ingest,
      environment: { TABLE: { ssm: '/inbox/{env}/table', declaredIn: ingest.file }, PLAIN: 'x' },
      environments: { dev: { environment: { KEY: { ssm: 'key-{account}', declaredIn: ingest.file } } }, prod: { environment: { P: { ssm: '/prod-only', declaredIn: ingest.file } } } },
    });
    const policy = deployPolicy(withSsm, env());
    expect(statement(policy, 'ReadEnvironmentValuesFromSsm')).toEqual({
      Sid: 'ReadEnvironmentValuesFromSsm',
      Effect: 'Allow',
      Action: ['ssm:GetParameters'],
      Resource: ['arn:aws:ssm:eu-west-1:123456789012:parameter/inbox/dev/table', 'arn:aws:ssm:eu-west-1:123456789012:parameter/key-123456789012'],
    });
    expect(statement(policy, 'DecryptSecureStringParametersThroughSsmOnly')).toEqual({ Sid: 'DecryptSecureStringParametersThroughSsmOnly', Effect: 'Allow', Action: ['kms:Decrypt'], Resource: ['*'], Condition: { StringEquals: { 'kms:ViaService': 'ssm.eu-west-1.amazonaws.com' } } });
    // A layer's cascade sends no environment: no SSM read for functions it only repoints.
    expect(statement(deployPolicy(withSsm, env(), ['vectora-core']), 'ReadEnvironmentValuesFromSsm')).toBeUndefined();
    expect(statement(deployPolicy(sampleApp, env()), 'DecryptSecureStringParametersThroughSsmOnly')).toBeUndefined();
  });

  it('lets a deploy and a cascade read the external layer versions the functions declare', () => {
    const withExternal = { ...sampleApp, functions: new Map(sampleApp.functions) };
    const ingest = withExternal.functions.get('ingest-v2')!;
    withExternal.functions.set('ingest-v2', { ...ingest, layerStack: ['arn:aws:lambda:{region}:017000801446:layer:AWSLambdaPowertoolsPythonV3:7', ...ingest.layers, 'arn:aws:lambda:{region}:{account}:layer:team-layer:3'] });
    const expected = { Sid: 'ReadAndAttachExternalLayerVersions', Effect: 'Allow', Action: ['lambda:GetLayerVersion'], Resource: ['arn:aws:lambda:eu-west-1:017000801446:layer:AWSLambdaPowertoolsPythonV3:7', `${lambda}:layer:team-layer:3`] };
    expect(statement(deployPolicy(withExternal, env()), 'ReadAndAttachExternalLayerVersions')).toEqual(expected);
    expect(statement(deployPolicy(withExternal, env(), ['vectora-core']), 'ReadAndAttachExternalLayerVersions')).toEqual(expected);
    expect(statement(deployPolicy(sampleApp, env()), 'ReadAndAttachExternalLayerVersions')).toBeUndefined();
  });

  it('passes each function\'s own role to Lambda only, and grants tags, concurrency and VPC checks only where declared', () => {
    const withSettings = { ...sampleApp, functions: new Map(sampleApp.functions) };
    const ingest = withSettings.functions.get('ingest-v2')!;
    withSettings.functions.set('ingest-v2', { ...ingest, role: 'arn:aws:iam::{account}:role/inbox-{env}-ingest', tags: { team: 'inbox' }, environments: { dev: { reservedConcurrency: 5, vpc: { subnetIds: ['subnet-0123456789abcdef0'], securityGroupIds: ['sg-0123456789abcdef0'] } } } });
    const policy = deployPolicy(withSettings, env());
    const ingestArn = `${lambda}:function:vectora-inbox-ingest-v2-dev`;
    expect(statement(policy, 'PassExecutionRoleToLambdaOnly')).toEqual({ Sid: 'PassExecutionRoleToLambdaOnly', Effect: 'Allow', Action: ['iam:PassRole'], Resource: ['arn:aws:iam::123456789012:role/inbox-dev-ingest'], Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } } });
    expect(statement(policy, 'ManageDeclaredTags')!.Resource).toEqual([ingestArn]);
    expect(statement(policy, 'SetReservedConcurrency')!.Resource).toEqual([ingestArn]);
    expect(statement(policy, 'DescribeVpcOfFunctionsEc2HasNoResourceLevelPermissions')!.Resource).toEqual(['*']);
    // prod has neither concurrency nor VPC for it.
    const prod = deployPolicy(withSettings, env({}, 'prod'));
    expect([statement(prod, 'SetReservedConcurrency'), statement(prod, 'DescribeVpcOfFunctionsEc2HasNoResourceLevelPermissions')]).toEqual([undefined, undefined]);
  });

  it('without accountId: the account from functionRole, else * in the account field only, with a note', () => {
    const fromRole = deployPolicy(sampleApp, env({ accountId: undefined, createMissingFunctions: true, functionRole: 'arn:aws:iam::210987654321:role/r' }));
    expect(fromRole.account).toBe('210987654321');
    expect(statement(fromRole, 'DeployFunctions')!.Resource[0]).toBe('arn:aws:lambda:eu-west-1:210987654321:function:vectora-inbox-ingest-v2-dev');
    expect(fromRole.notes[0]).toContain('account 210987654321 taken from functionRole');

    const unknown = deployPolicy(sampleApp, env({ accountId: undefined }));
    expect(statement(unknown, 'DeployFunctions')!.Resource[0]).toBe('arn:aws:lambda:eu-west-1:*:function:vectora-inbox-ingest-v2-dev');
    expect(statement(unknown, 'ListAndPublishLayerVersions')!.Resource[1]).toBe('arn:aws:lambda:eu-west-1:*:layer:vectora-inbox-vectora-core-dev');
    expect(unknown.notes[0]).toBe('no accountId for environment dev: ARNs use * for the account only; add "accountId": "<12 digits>" to environments.dev in nx.json to pin it');
  });

  it('no bucket (inline publishes): no S3 statement', () => {
    const policy = deployPolicy(sampleApp, env({ artifactBucket: undefined }));
    expect(policy.document.Statement.flatMap((s) => s.Action).filter((a) => a.startsWith('s3:'))).toEqual([]);
  });

  it('names the partition of the region', () => {
    expect([partitionOf('eu-west-1'), partitionOf('cn-north-1'), partitionOf('us-gov-west-1')]).toEqual(['aws', 'aws-cn', 'aws-us-gov']);
    expect(statement(deployPolicy(sampleApp, env({ region: 'cn-north-1' })), 'DeployFunctions')!.Resource[0]).toMatch(/^arn:aws-cn:lambda:cn-north-1:/);
  });

  it('says when the emulator environment is asked, and when the document is over the managed-policy size', () => {
    expect(deployPolicy(sampleApp, env({ emulator: true }, 'local')).notes).toContain('local uses the emulator, which does not enforce IAM: this is what the same settings need in AWS');
    const big = { ...sampleApp, functions: new Map(Array.from({ length: 80 }, (_, i) => [`fn-${i}`, { ...sampleApp.functions.get('ingest-v2')!, project: `fn-${i}`, file: `lambdas/fn-${i}/function.json` }])) };
    const policy = deployPolicy(big, env());
    expect(JSON.stringify(policy.document).length).toBeGreaterThan(MANAGED_POLICY_MAX_CHARS);
    expect(policy.notes.at(-1)).toMatch(/^the policy has \d+ characters, over IAM's 6144 for a managed policy/);
  });
});

describe('policyScope', () => {
  it('a layer alone: it is deployed, and its dependents are only repointed by the cascade', () => {
    expect(policyScope(sampleApp, ['vectora-core'])).toEqual({ layers: ['vectora-core'], functions: [], cascaded: ['ingest-v2', 'newsletter-v2', 'normalize-score-v2'], attached: ['common-deps', 'vectora-core'] });
    const policy = deployPolicy(sampleApp, env(), ['vectora-core']);
    expect(statement(policy, 'DeployFunctions')).toBeUndefined();
    expect(statement(policy, 'CascadeLayerVersionsToDependentFunctions')).toEqual({ Sid: 'CascadeLayerVersionsToDependentFunctions', Effect: 'Allow', Action: ['lambda:GetFunction', 'lambda:UpdateFunctionConfiguration'], Resource: fnArns });
    // The cascade sends each function's whole Layers list, common-deps included, but does not deploy common-deps.
    expect(statement(policy, 'AttachLayerVersionsToFunctions')!.Resource).toEqual([`${lambda}:layer:vectora-inbox-common-deps-dev:*`, `${lambda}:layer:vectora-inbox-vectora-core-dev:*`]);
    expect(statement(policy, 'ListAndPublishLayerVersions')!.Resource).toEqual([`${lambda}:layer:vectora-inbox-vectora-core-dev`]);
  });

  it('a function alone: its layers are deployed first (^deploy), and they cascade to the other functions', () => {
    expect(policyScope(sampleApp, ['ingest-v2'])).toEqual({ layers: ['common-deps', 'vectora-core'], functions: ['ingest-v2'], cascaded: ['newsletter-v2', 'normalize-score-v2'], attached: ['common-deps', 'vectora-core'] });
  });

  it('refuses a project that is not a layer or function', () => {
    expect(() => policyScope(sampleApp, ['lambda-deploy'])).toThrow('iam-policy: lambda-deploy is not a layer or function of this repo');
  });

  it('with exportParameterPrefix: read and write each deployed layer\'s parameter under it, in the region, nothing else', () => {
    const policy = deployPolicy(sampleApp, env({ exportParameterPrefix: '/vectora/{env}/layers' }), ['vectora-core']);
    expect(statement(policy, 'ExportLayerVersionArnsToSsm')).toEqual({
      Sid: 'ExportLayerVersionArnsToSsm',
      Effect: 'Allow',
      Action: ['ssm:GetParameters', 'ssm:PutParameter'],
      Resource: ['arn:aws:ssm:eu-west-1:123456789012:parameter/vectora/dev/layers/vectora-core/eu-west-1'],
    });
    expect(statement(deployPolicy(sampleApp, env()), 'ExportLayerVersionArnsToSsm')).toBeUndefined();
  });

  it('a layer with share: read and change the permissions of its versions, and only of that layer', () => {
    const shared = loadWorkspace(SAMPLE_APP);
    shared.layers.get('vectora-core')!.share = { accounts: ['111122223333'], public: false };
    expect(statement(deployPolicy(shared, env()), 'ShareLayerVersions')).toEqual({
      Sid: 'ShareLayerVersions',
      Effect: 'Allow',
      Action: ['lambda:AddLayerVersionPermission', 'lambda:GetLayerVersionPolicy', 'lambda:RemoveLayerVersionPermission'],
      Resource: [`${lambda}:layer:vectora-inbox-vectora-core-dev:*`],
    });
    expect(statement(deployPolicy(sampleApp, env()), 'ShareLayerVersions')).toBeUndefined();
  });
});
