import { describe, expect, inject, it } from 'vitest';
import { localAwsClientConfig } from '../../local-aws/src/local-credentials';
import { emulatorBootstrap } from '../src/aws/bootstrap-emulator';
import { createAwsSession } from '../src/aws/clients';
import { resolveEnvironment } from '../src/config/environment';
import { loadWorkspace } from '../src/config/workspace';
import { deployLayer } from '../src/deploy/deploy-layer';
import { EventLog } from '../src/report/events';
import { makeWorkspace, packageAll, uniquePrefix, type TestContext } from './harness';

const OTHER_ACCOUNT = '222233334444';

/** A context for environment `name` of a workspace whose environments differ only by their account. */
function contextFor(root: string, prefix: string, name: string, extra: Record<string, unknown>, dryRun = false): TestContext {
  const env = resolveEnvironment({ namePrefix: prefix, environments: { [name]: { emulator: true, region: 'us-east-1', artifactBucket: `${prefix}-${name}`, ...extra } } }, name, {});
  const session = createAwsSession(env, { readOnly: dryRun, clientConfig: localAwsClientConfig(inject('motoEndpoint')) });
  const log = new EventLog();
  const emulator = emulatorBootstrap(session, `${prefix}-role`);
  return { workspace: loadWorkspace(root), env, session, log, events: log.events, dryRun, concurrency: 4, functionRole: emulator.functionRole, beforeUpload: emulator.beforeUpload };
}

describe('assumeRole against moto (STS, two accounts)', () => {
  it('an environment with assumeRole deploys into the role\'s account, once-assumed credentials serving every call; one without stays in the caller\'s', async () => {
    const root = makeWorkspace({ VERSION: 'core=1.0.0\n', 'layers/core/layer.json': JSON.stringify({ sources: 'src' }), 'layers/core/src/core/__init__.py': 'VALUE = 1\n' });
    const prefix = uniquePrefix('assume');
    await packageAll(root);

    const other = contextFor(root, prefix, 'staging', { assumeRole: `arn:aws:iam::${OTHER_ACCOUNT}:role/deployer`, accountId: OTHER_ACCOUNT });
    const own = contextFor(root, prefix, 'dev', {});
    await Promise.all([deployLayer(other, 'core', []), deployLayer(own, 'core', [])]);

    const [otherVersions, ownVersions] = await Promise.all([other.session.lambda.listLayerVersions(`${prefix}-core-staging`), own.session.lambda.listLayerVersions(`${prefix}-core-dev`)]);
    expect(otherVersions.map((v) => v.arn.split(':')[4])).toEqual([OTHER_ACCOUNT]);
    expect(ownVersions).toHaveLength(1);
    expect(ownVersions[0].arn.split(':')[4]).not.toBe(OTHER_ACCOUNT);
    // The caller's own account does not see the layer published in the role's account.
    expect(await own.session.lambda.listLayerVersions(`${prefix}-core-staging`)).toEqual([]);
    const assumed = other.session.recorder.calls.filter((call) => call.service === 'sts');
    expect(assumed.map((call) => call.command)).toEqual(['AssumeRole']);
    expect(own.session.recorder.calls.some((call) => call.service === 'sts')).toBe(false);

    // A dry-run assumes the role too (AssumeRole writes nothing) and reads the role's account.
    const dry = contextFor(root, prefix, 'staging', { assumeRole: `arn:aws:iam::${OTHER_ACCOUNT}:role/deployer` }, true);
    await deployLayer(dry, 'core', []);
    expect(dry.session.recorder.writes()).toEqual([]);
    expect(dry.events.map((e) => e.message)).toEqual([expect.stringMatching(/^unchanged: version 1 holds/), 'dry-run: 0 writes planned, none made']);
  });

  it('refuses an assumeRole in another account than accountId, and a role that is not an ARN', () => {
    const env = (extra: Record<string, unknown>) => () => resolveEnvironment({ namePrefix: 'p', environments: { prod: { region: 'us-east-1', ...extra } } }, 'prod', {});
    expect(env({ assumeRole: `arn:aws:iam::${OTHER_ACCOUNT}:role/deployer`, accountId: '111122223333' })).toThrow(`environments.prod: assumeRole: is in account ${OTHER_ACCOUNT}, but accountId is 111122223333`);
    expect(env({ assumeRole: 'deployer' })).toThrow('environments.prod: assumeRole');
  });
});
