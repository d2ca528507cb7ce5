// @module-tag e2e
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MotoServer } from '../../packages/local-aws/src/moto-server';
import type { AwsProxy } from '../../packages/local-aws/src/proxy/aws-proxy';
import { EmulatorLambda, NxWorkspace, startOwnAws, stopOwnAws } from './nx-workspace';

let moto: MotoServer;
let proxy: AwsProxy;
let ws: NxWorkspace;
let aws: EmulatorLambda;

const name = (project: string) => ws.awsName(project);
const coreVersionOf = async (fn: string) => (await aws.layersOf(name(fn)))[0].split(':').pop();
const coreVersions = async () => (await aws.versionsOf(name('vectora-core'))).map((v) => v.Version).sort();
const nx = async (...args: string[]) => {
  const before = proxy.requests.length;
  const run = await ws.nx(args);
  return { ...run, writes: proxy.requests.slice(before).filter((r) => r.write) };
};

beforeAll(async () => {
  ({ moto, proxy } = await startOwnAws());
  ws = new NxWorkspace(proxy.endpoint);
  aws = new EmulatorLambda(moto.endpoint);
  expect((await ws.nx(['run-many', '-t', 'deploy', '-c', 'local'])).status).toBe(0);
  ws.write('layers/vectora-core/src/vectora_core/scoring.py', `${ws.read('layers/vectora-core/src/vectora_core/scoring.py')}\n# v2\n`);
  expect((await ws.nx(['run-many', '-t', 'deploy', '-c', 'local'])).status).toBe(0);
});
afterAll(() => stopOwnAws({ moto, proxy }));

describe('day-two commands through the real nx CLI', () => {
  it('rollback: a dry-run shows the plan and writes nothing; the real one puts the function back on the previous layer', async () => {
    const dry = await nx('run', 'ingest-v2:rollback', '-c', 'local', '--dry-run');
    expect(dry.status, dry.output).toBe(0);
    expect(dry.writes).toEqual([]);
    expect(dry.output).toContain(`[ingest-v2] plan update-layers: layers ${name('vectora-core')} 2 -> 1`);

    const real = await nx('run', 'ingest-v2:rollback', '-c', 'local');
    expect(real.status, real.output).toBe(0);
    expect(await coreVersionOf('ingest-v2')).toBe('1');
    expect(await coreVersionOf('newsletter-v2')).toBe('2');
  });

  it('status --json reports the rolled-back function as behind, the others in sync', async () => {
    const run = await ws.nx(['run-many', '-t', 'status', '-c', 'local', '--json']);
    expect(run.status, run.output).toBe(0);
    const statuses = run.output.split('\n').filter((line) => line.startsWith('{"project"')).map((line) => JSON.parse(line));
    const core = (project: string) => statuses.find((s) => s.project === project)?.layers.find((l: { layer: string }) => l.layer === 'vectora-core');
    expect(core('ingest-v2')).toMatchObject({ attached: 1, expected: 2, sync: 'behind' });
    expect(core('newsletter-v2')).toMatchObject({ attached: 2, expected: 2, sync: 'in sync' });
  });

  it('prune keeps versions in use and the ones a rollback would restore; deletes the rest', async () => {
    const keep = await nx('run', 'vectora-core:prune', '-c', 'local', '--keep=1');
    expect(keep.status, keep.output).toBe(0);
    expect(keep.output).toMatch(/\[vectora-core\] keep v1 \(in use by ingest-v2/);
    expect(await coreVersions()).toEqual([1, 2]);

    // A second rollback undoes the first: ingest-v2 back on v2, and v1 is what rolling back would restore.
    expect((await ws.nx(['run', 'ingest-v2:rollback', '-c', 'local'])).status).toBe(0);
    expect(await coreVersionOf('ingest-v2')).toBe('2');
    const target = await nx('run', 'vectora-core:prune', '-c', 'local', '--keep=1');
    expect(target.output).toMatch(/\[vectora-core\] keep v1 \(in use by ingest-v2 \(rollback target\)/);
    expect(await coreVersions()).toEqual([1, 2]);

    // After the next deploy everything is on v3 and would roll back to v2: v1 goes.
    ws.write('layers/vectora-core/src/vectora_core/scoring.py', `${ws.read('layers/vectora-core/src/vectora_core/scoring.py')}\n# v3\n`);
    expect((await ws.nx(['run-many', '-t', 'deploy', '-c', 'local'])).status).toBe(0);
    const prune = await nx('run', 'vectora-core:prune', '-c', 'local', '--keep=1');
    expect(prune.status, prune.output).toBe(0);
    expect(prune.output).toMatch(/\[vectora-core\] delete v1 \(unused/);
    expect(await coreVersions()).toEqual([2, 3]);
  });

  it('iam-policy prints one least-privilege policy for the run, naming exact resources', async () => {
    const run = await ws.nx(['run-many', '-t', 'iam-policy', '-c', 'dev']);
    expect(run.status, run.output).toBe(0);
    const json = run.output.slice(run.output.indexOf('{\n'), run.output.indexOf('\n}', run.output.indexOf('{\n')) + 2);
    const policy = JSON.parse(json);
    const sids = policy.Statement.map((s: { Sid: string }) => s.Sid);
    expect(sids).toEqual(expect.arrayContaining(['ListAndPublishLayerVersions', 'DeployFunctions', 'LayerPublishLocks', 'DeployHistory']));
    expect(JSON.stringify(policy)).toContain(`function:${ws.prefix}-ingest-v2-dev`);
  });
});
