import { describe, expect, it } from 'vitest';
import { SAMPLE_APP } from '../../test/fixtures/sample-app';
import { resolveEnvironments } from '../config/environment';
import { loadWorkspace } from '../config/workspace';
import { deployPolicy } from './deploy-policy';
import { fleetDeployPolicy } from './fleet-policy';

const sampleApp = loadWorkspace(SAMPLE_APP);
const envs = (regions: string[]) =>
  resolveEnvironments({ namePrefix: 'vectora-inbox', environments: { prod: { regions, artifactBucket: 'vectora-inbox-artifacts-{region}', accountId: '123456789012', exportParameterPrefix: '/vectora/{env}/layers' } } }, 'prod', {});

describe('fleetDeployPolicy', () => {
  it('is the region\'s own policy for one region', () => {
    expect(fleetDeployPolicy(sampleApp, envs(['eu-west-1'])).document).toEqual(deployPolicy(sampleApp, envs(['eu-west-1'])[0]).document);
  });

  it('joins each purpose\'s resources over every region, buckets and exported parameters included', () => {
    const policy = fleetDeployPolicy(sampleApp, envs(['eu-west-1', 'us-east-1']));
    const statement = (sid: string) => policy.document.Statement.find((s) => s.Sid === sid)!;
    expect(statement('ListAndPublishLayerVersions').Resource).toEqual([
      'arn:aws:lambda:eu-west-1:123456789012:layer:vectora-inbox-common-deps-prod',
      'arn:aws:lambda:eu-west-1:123456789012:layer:vectora-inbox-vectora-core-prod',
      'arn:aws:lambda:us-east-1:123456789012:layer:vectora-inbox-common-deps-prod',
      'arn:aws:lambda:us-east-1:123456789012:layer:vectora-inbox-vectora-core-prod',
    ]);
    expect(statement('ArtifactBucketHeadAndMissingKeys').Resource).toEqual(['arn:aws:s3:::vectora-inbox-artifacts-eu-west-1', 'arn:aws:s3:::vectora-inbox-artifacts-us-east-1']);
    expect(statement('ExportLayerVersionArnsToSsm').Resource).toContain('arn:aws:ssm:us-east-1:123456789012:parameter/vectora/prod/layers/vectora-core/us-east-1');
    expect(new Set(policy.document.Statement.map((s) => s.Sid)).size).toBe(policy.document.Statement.length);
    expect(policy.document.Statement.every((s) => /^[A-Za-z0-9]+$/.test(s.Sid))).toBe(true);
  });
});
