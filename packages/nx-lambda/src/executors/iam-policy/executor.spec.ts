import type { ExecutorContext } from '@nx/devkit';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SAMPLE_APP } from '../../../../lambda-deploy/test/fixtures/sample-app';
import iamPolicyExecutor from './executor';
import { policyProjectsInRun } from './policy-tasks';

const PROJECTS = ['common-deps', 'vectora-core', 'ingest-v2', 'newsletter-v2', 'normalize-score-v2'];
let root: string;

/** The context Nx hands one task of `nx run-many -t iam-policy -c dev` over `inRun`. */
function contextFor(project: string, inRun: string[], options: Record<string, unknown> = {}): ExecutorContext {
  const projects = Object.fromEntries(PROJECTS.map((p) => [p, { root: p, targets: { 'iam-policy': { executor: '@vectora/nx-lambda:iam-policy' }, deploy: { executor: '@vectora/nx-lambda:deploy' } } }]));
  const tasks = Object.fromEntries(inRun.map((p) => [`${p}:iam-policy:dev`, { id: `${p}:iam-policy:dev`, target: { project: p, target: 'iam-policy', configuration: 'dev' } }]));
  return {
    root,
    projectName: project,
    targetName: 'iam-policy',
    projectsConfigurations: { version: 2, projects },
    taskGraph: { roots: [], tasks, dependencies: {} },
    nxJsonConfiguration: { plugins: [{ plugin: '@vectora/nx-lambda', options: { namePrefix: 'vectora-inbox', environments: { dev: { region: 'eu-west-1', artifactBucket: 'vectora-inbox-artifacts-dev', ...options } } } }] },
  } as unknown as ExecutorContext;
}

async function run(project: string, inRun: string[], options?: Record<string, unknown>, schema: { environment: string; promoteFrom?: string } = { environment: 'dev' }) {
  const out: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out.push(String(chunk));
    return true;
  });
  try {
    const context = contextFor(project, inRun, options);
    // A second environment, in another account, for --promoteFrom.
    const plugin = context.nxJsonConfiguration!.plugins![0] as { options: { environments: Record<string, unknown> } };
    plugin.options.environments.staging = { region: 'eu-west-1', artifactBucket: 'vectora-inbox-artifacts-staging', accountId: '222222222222' };
    const result = await iamPolicyExecutor(schema, context);
    return { ...result, output: out.join('') };
  } finally {
    spy.mockRestore();
  }
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'iam-policy-'));
  for (const part of ['layers', 'lambdas', 'VERSION']) cpSync(join(SAMPLE_APP, part), join(root, part), { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('iam-policy executor', () => {
  it('run-many over all five: the first project by name prints the whole policy once and writes it; the others point to it', async () => {
    const printer = await run('common-deps', PROJECTS, { accountId: '123456789012' });
    expect(printer.success).toBe(true);
    const lines = printer.output.split('\n');
    expect(lines[0]).toBe('[common-deps] deploy-role policy for dev (eu-west-1, account 123456789012): layers common-deps, vectora-core; functions ingest-v2, newsletter-v2, normalize-score-v2; bucket vectora-inbox-artifacts-dev');
    const json = printer.output.slice(printer.output.indexOf('{'), printer.output.lastIndexOf('}') + 1);
    const document = JSON.parse(json);
    expect(document.Statement.map((s: { Sid: string }) => s.Sid)).toContain('DeployFunctions');
    expect(JSON.parse(readFileSync(join(root, 'dist/deploy/dev/iam-policy.json'), 'utf8'))).toEqual(document);
    expect(lines.at(-2)).toBe('[common-deps] written to dist/deploy/dev/iam-policy.json');

    for (const other of PROJECTS.slice(1)) {
      const result = await run(other, PROJECTS, { accountId: '123456789012' });
      expect(result).toEqual({ success: true, output: `[${other}] included in the policy printed by common-deps (dist/deploy/dev/iam-policy.json)\n` });
    }
  });

  it('a single project prints its own scope, and says when the account is not known', async () => {
    const result = await run('ingest-v2', ['ingest-v2']);
    expect(result.output.split('\n')[0]).toBe('[ingest-v2] deploy-role policy for dev (eu-west-1, account *): layers common-deps, vectora-core; functions ingest-v2; repointed by the cascade newsletter-v2, normalize-score-v2; bucket vectora-inbox-artifacts-dev');
    expect(result.output).toContain('[ingest-v2] note: no accountId for environment dev: ARNs use * for the account only');
  });

  it('fails on a bad accountId, naming the key, and writes nothing', async () => {
    const result = await run('common-deps', PROJECTS, { accountId: '1234' });
    expect(result.success).toBe(false);
    expect(result.output).toContain('[common-deps] error CONFIG_INVALID: nx.json plugins[@vectora/nx-lambda].options.environments.dev: accountId: "1234" is not valid');
    expect(existsSync(join(root, 'dist/deploy/dev/iam-policy.json'))).toBe(false);
  });

  it('--promoteFrom adds the reads of the source environment, on its exact ARNs, to a file of its own', async () => {
    const result = await run('common-deps', PROJECTS, { accountId: '111111111111' }, { environment: 'staging', promoteFrom: 'dev' });
    expect(result.success, result.output).toBe(true);
    expect(result.output.split('\n')[0]).toMatch(/^\[common-deps\] deploy-role policy for staging \(eu-west-1, account 222222222222\): .*; with promote's reads of dev$/);
    const document = JSON.parse(readFileSync(join(root, 'dist/deploy/staging/iam-policy.promote-from-dev.json'), 'utf8'));
    const bySid = (sid: string) => document.Statement.find((s: { Sid: string }) => s.Sid === sid);
    expect(bySid('PromoteReadSourceFunctions')).toMatchObject({ Action: ['lambda:GetFunction'], Resource: ['ingest-v2', 'newsletter-v2', 'normalize-score-v2'].map((fn) => `arn:aws:lambda:eu-west-1:111111111111:function:vectora-inbox-${fn}-dev`) });
    expect(bySid('PromoteReadSourceLayerVersions').Resource).toEqual(['common-deps', 'vectora-core'].map((l) => `arn:aws:lambda:eu-west-1:111111111111:layer:vectora-inbox-${l}-dev:*`));
    expect(bySid('PromoteReadSourceBucket')).toMatchObject({ Action: ['s3:ListBucket'], Resource: ['arn:aws:s3:::vectora-inbox-artifacts-dev'] });
    expect(bySid('PromoteReadSourceArtifactsAndHistory').Action).toEqual(['s3:GetObject']);
    expect(bySid('DeployFunctions').Resource[0]).toBe('arn:aws:lambda:eu-west-1:222222222222:function:vectora-inbox-ingest-v2-staging');
    expect(existsSync(join(root, 'dist/deploy/staging/iam-policy.json'))).toBe(false);
  });

  it('--promoteFrom naming the same or an unknown environment fails, naming the option, and writes nothing', async () => {
    const self = await run('common-deps', PROJECTS, {}, { environment: 'dev', promoteFrom: 'dev' });
    expect(self.success).toBe(false);
    expect(self.output).toContain('[common-deps] error PROMOTE_FROM_SELF: --promoteFrom=dev is the environment being promoted to (-c dev)');
    const unknown = await run('ingest-v2', PROJECTS, {}, { environment: 'dev', promoteFrom: 'qa' });
    expect(unknown.output).toContain('[ingest-v2] error ENVIRONMENT_UNKNOWN: --promoteFrom=qa: environment "qa" is not defined in nx.json');
    expect(existsSync(join(root, 'dist/deploy/dev'))).toBe(false);
  });

  it('outside a task graph, the project alone', () => {
    const context = { ...contextFor('vectora-core', []), taskGraph: undefined } as unknown as ExecutorContext;
    expect(policyProjectsInRun(context)).toEqual(['vectora-core']);
  });
});
