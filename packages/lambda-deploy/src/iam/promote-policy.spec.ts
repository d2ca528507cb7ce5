import { describe, expect, it } from 'vitest';
import { SAMPLE_APP } from '../../test/fixtures/sample-app';
import { resolveEnvironments, type EnvironmentOptions } from '../config/environment';
import { loadWorkspace } from '../config/workspace';
import { fleetDeployPolicy } from './fleet-policy';
import { promotePolicy } from './promote-policy';

const sampleApp = loadWorkspace(SAMPLE_APP);
// Two environments in two accounts: dev the source (one region), staging the target (its regions vary by test).
const environments = (staging: EnvironmentOptions, dev: EnvironmentOptions = {}) => ({
  namePrefix: 'vectora-inbox',
  environments: {
    dev: { region: 'eu-west-1', artifactBucket: 'vectora-inbox-artifacts-dev', accountId: '111111111111', ...dev },
    staging: { region: 'eu-west-1', artifactBucket: 'vectora-inbox-artifacts-staging', accountId: '222222222222', ...staging },
  },
});
const policyFor = (staging: EnvironmentOptions = {}, dev: EnvironmentOptions = {}, selection?: string[]) => {
  const options = environments(staging, dev);
  return promotePolicy(sampleApp, resolveEnvironments(options, 'staging', {}), resolveEnvironments(options, 'dev', {}), selection);
};
const statement = (policy: ReturnType<typeof promotePolicy>, sid: string) => policy.document.Statement.find((s) => s.Sid === sid);
const devLambda = 'arn:aws:lambda:eu-west-1:111111111111';
const FUNCTIONS = ['ingest-v2', 'newsletter-v2', 'normalize-score-v2'];

describe('promotePolicy: the target\'s deploy policy plus promote\'s reads of the source', () => {
  it('reads each source function, its managed layer versions, the source bucket, its zips and deploy history, on dev\'s exact ARNs', () => {
    const policy = policyFor();
    expect(statement(policy, 'PromoteReadSourceFunctions')).toEqual({ Sid: 'PromoteReadSourceFunctions', Effect: 'Allow', Action: ['lambda:GetFunction'], Resource: FUNCTIONS.map((fn) => `${devLambda}:function:vectora-inbox-${fn}-dev`) });
    expect(statement(policy, 'PromoteReadSourceLayerVersions')).toEqual({
      Sid: 'PromoteReadSourceLayerVersions',
      Effect: 'Allow',
      Action: ['lambda:GetLayerVersion'],
      Resource: [`${devLambda}:layer:vectora-inbox-common-deps-dev:*`, `${devLambda}:layer:vectora-inbox-vectora-core-dev:*`],
    });
    expect(statement(policy, 'PromoteReadSourceBucket')).toEqual({ Sid: 'PromoteReadSourceBucket', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: ['arn:aws:s3:::vectora-inbox-artifacts-dev'] });
    expect(statement(policy, 'PromoteReadSourceArtifactsAndHistory')).toEqual({
      Sid: 'PromoteReadSourceArtifactsAndHistory',
      Effect: 'Allow',
      Action: ['s3:GetObject'],
      Resource: [
        'arn:aws:s3:::vectora-inbox-artifacts-dev/layers/common-deps/*.zip',
        'arn:aws:s3:::vectora-inbox-artifacts-dev/layers/vectora-core/*.zip',
        ...FUNCTIONS.map((fn) => `arn:aws:s3:::vectora-inbox-artifacts-dev/functions/${fn}/*.zip`),
        ...FUNCTIONS.map((fn) => `arn:aws:s3:::vectora-inbox-artifacts-dev/history/vectora-inbox-${fn}-dev/*`),
      ],
    });
    // Promote writes nothing in dev: no write action on any dev resource.
    const devStatements = policy.document.Statement.filter((s) => s.Resource.some((r) => r.includes(':111111111111:') || r.includes('artifacts-dev')));
    expect(devStatements.map((s) => s.Sid).sort()).toEqual(['PromoteReadSourceArtifactsAndHistory', 'PromoteReadSourceBucket', 'PromoteReadSourceFunctions', 'PromoteReadSourceLayerVersions']);
    expect(devStatements.flatMap((s) => s.Action).every((a) => /^(lambda:Get|s3:Get|s3:List)/.test(a))).toBe(true);
  });

  it('keeps the target\'s deploy statements as they are: publish, update and the PutObject side of the copy in staging', () => {
    const options = environments({});
    const deploy = fleetDeployPolicy(sampleApp, resolveEnvironments(options, 'staging', {}));
    const policy = policyFor();
    expect(policy.document.Statement.slice(0, deploy.document.Statement.length)).toEqual(deploy.document.Statement);
    expect(statement(policy, 'LayerArtifacts')!.Resource).toContain('arn:aws:s3:::vectora-inbox-artifacts-staging/layers/vectora-core/*.zip');
    expect(statement(policy, 'LayerArtifacts')!.Action).toContain('s3:PutObject');
    expect(statement(policy, 'FunctionCodeArtifacts')!.Resource).toContain('arn:aws:s3:::vectora-inbox-artifacts-staging/functions/ingest-v2/*.zip');
  });

  it('a selected layer reads every function on it (its promote checks them all for drift), but copies only the selected zips', () => {
    const policy = policyFor({}, {}, ['vectora-core']);
    expect(statement(policy, 'PromoteReadSourceFunctions')!.Resource).toEqual(FUNCTIONS.map((fn) => `${devLambda}:function:vectora-inbox-${fn}-dev`));
    const objects = statement(policy, 'PromoteReadSourceArtifactsAndHistory')!.Resource;
    expect(objects).toContain('arn:aws:s3:::vectora-inbox-artifacts-dev/layers/vectora-core/*.zip');
    expect(objects.some((r) => r.includes('/functions/') || r.includes('/layers/common-deps/'))).toBe(false);
  });

  it('several target regions read the source\'s same region, or its only one; a target region the source lacks is refused', () => {
    const one = policyFor({ region: undefined, regions: ['eu-west-1', 'us-east-1'], artifactBucket: 'vectora-inbox-artifacts-staging-{region}' });
    expect(statement(one, 'PromoteReadSourceFunctions')!.Resource.every((r) => r.startsWith(devLambda))).toBe(true);
    const both = policyFor(
      { region: undefined, regions: ['eu-west-1', 'us-east-1'], artifactBucket: 'vectora-inbox-artifacts-staging-{region}' },
      { region: undefined, regions: ['eu-west-1', 'us-east-1'], artifactBucket: 'vectora-inbox-artifacts-dev-{region}' },
    );
    expect(statement(both, 'PromoteReadSourceBucket')!.Resource).toEqual(['arn:aws:s3:::vectora-inbox-artifacts-dev-eu-west-1', 'arn:aws:s3:::vectora-inbox-artifacts-dev-us-east-1']);
    expect(statement(both, 'PromoteReadSourceLayerVersions')!.Resource).toContain('arn:aws:lambda:us-east-1:111111111111:layer:vectora-inbox-vectora-core-dev:*');
    expect(() => policyFor({ region: 'us-east-1' }, { region: undefined, regions: ['eu-west-1', 'ap-south-1'], artifactBucket: 'b-{region}' })).toThrow(/PROMOTE_REGIONS|which region to promote from/);
  });

  it('says who runs the reads: the target\'s credentials when they are shared, the source\'s role with assumeRole', () => {
    expect(policyFor().notes.some((n) => n.includes("they run with staging's credentials"))).toBe(true);
    const split = policyFor({ assumeRole: 'arn:aws:iam::222222222222:role/deployer' }, { assumeRole: 'arn:aws:iam::111111111111:role/reader' });
    expect(split.notes.find((n) => n.startsWith('the PromoteRead*'))).toContain('they run as arn:aws:iam::111111111111:role/reader, not as arn:aws:iam::222222222222:role/deployer');
  });

  it('reads the source functions\' SSM values in the source and decrypts them through the source region\'s SSM only', () => {
    const withSsm = { ...sampleApp, functions: new Map(sampleApp.functions) };
    const ingest = withSsm.functions.get('ingest-v2')!;
    withSsm.functions.set('ingest-v2', { ...ingest, environment: { TABLE: { ssm: '/inbox/{env}/table', declaredIn: ingest.file } } });
    const options = environments({});
    const policy = promotePolicy(withSsm, resolveEnvironments(options, 'staging', {}), resolveEnvironments(options, 'dev', {}));
    expect(statement(policy, 'PromoteReadSourceSsmValues')).toEqual({ Sid: 'PromoteReadSourceSsmValues', Effect: 'Allow', Action: ['ssm:GetParameters'], Resource: ['arn:aws:ssm:eu-west-1:111111111111:parameter/inbox/dev/table'] });
    expect(statement(policy, 'PromoteDecryptSourceSsmValuesThroughSsmOnly')!.Condition).toEqual({ StringEquals: { 'kms:ViaService': 'ssm.eu-west-1.amazonaws.com' } });
  });
});
