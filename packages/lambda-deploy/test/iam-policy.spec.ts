import { CreatePolicyCommand, GetPolicyVersionCommand, IAMClient } from '@aws-sdk/client-iam';
import { describe, expect, inject, it } from 'vitest';
import { localAwsClientConfig } from '../../local-aws/src/local-credentials';
import { resolveEnvironment, resolveEnvironments, type EnvironmentOptions } from '../src/config/environment';
import { loadWorkspace } from '../src/config/workspace';
import { deployPolicy } from '../src/iam/deploy-policy';
import { fleetDeployPolicy } from '../src/iam/fleet-policy';
import { SAMPLE_APP } from './fixtures/sample-app';
import { uniquePrefix } from './harness';

const iam = () => new IAMClient(localAwsClientConfig(inject('motoEndpoint')));
const sampleApp = () => loadWorkspace(SAMPLE_APP);
const env = (options: EnvironmentOptions) => resolveEnvironment({ namePrefix: 'vectora-inbox', environments: { dev: { region: 'eu-west-1', artifactBucket: 'vectora-inbox-artifacts-dev', ...options } } }, 'dev', {});

/** IAM's own validator (moto implements CreatePolicy's checks): what a user pastes must be accepted. */
async function createPolicy(name: string, document: unknown) {
  const created = await iam().send(new CreatePolicyCommand({ PolicyName: name, PolicyDocument: JSON.stringify(document) }));
  return created.Policy!;
}

describe('iam-policy documents against IAM (moto)', () => {
  it('every variant is a valid managed policy, stored as generated', async () => {
    const role = 'arn:aws:iam::123456789012:role/vectora-inbox-lambda-dev';
    const variants: [string, EnvironmentOptions, string[]?][] = [
      ['account', { accountId: '123456789012' }],
      ['wildcard-account', {}],
      ['create-and-pass-role', { accountId: '123456789012', createMissingFunctions: true, functionRole: role }],
      ['no-bucket', { accountId: '123456789012', artifactBucket: undefined }],
      ['one-layer', { accountId: '123456789012' }, ['vectora-core']],
      ['export-to-ssm', { accountId: '123456789012', exportParameterPrefix: '/vectora/{env}/layers' }],
    ];
    for (const [label, options, selection] of variants) {
      const { document } = deployPolicy(sampleApp(), env(options), selection);
      const policy = await createPolicy(`${uniquePrefix(`deploy-${label}`)}`, document);
      const stored = await iam().send(new GetPolicyVersionCommand({ PolicyArn: policy.Arn!, VersionId: policy.DefaultVersionId! }));
      expect(JSON.parse(decodeURIComponent(stored.PolicyVersion!.Document!)), label).toEqual(document);
    }
  });

  it('a policy over several regions is a valid managed policy too', async () => {
    const envs = resolveEnvironments({ namePrefix: 'vectora-inbox', environments: { prod: { regions: ['eu-west-1', 'us-east-1'], artifactBucket: 'vectora-inbox-artifacts-{region}', accountId: '123456789012' } } }, 'prod', {});
    const { document } = fleetDeployPolicy(sampleApp(), envs);
    const policy = await createPolicy(uniquePrefix('deploy-regions'), document);
    const stored = await iam().send(new GetPolicyVersionCommand({ PolicyArn: policy.Arn!, VersionId: policy.DefaultVersionId! }));
    expect(JSON.parse(decodeURIComponent(stored.PolicyVersion!.Document!))).toEqual(document);
  });

  it('the validator is real: a malformed statement is refused', async () => {
    const { document } = deployPolicy(sampleApp(), env({ accountId: '123456789012' }));
    const broken = { ...document, Statement: [{ ...document.Statement[0], Action: ['lambda ListLayerVersions'] }] };
    await expect(createPolicy(uniquePrefix('broken'), broken)).rejects.toThrow(/Actions\/Conditions must be prefaced by a vendor|MalformedPolicyDocument/);
  });
});
