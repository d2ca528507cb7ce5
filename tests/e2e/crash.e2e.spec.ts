// @module-tag e2e
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MotoServer } from '../../packages/local-aws/src/moto-server';
import type { AwsProxy } from '../../packages/local-aws/src/proxy/aws-proxy';
import type { RequestKind } from '../../packages/local-aws/src/proxy/classify-request';
import { createFaultInjector } from '../../packages/local-aws/src/proxy/fault-injector';
import { noFaults, type FaultInjector } from '../../packages/local-aws/src/proxy/faults';
import { EmulatorLambda, NxWorkspace, PYTHON_FUNCTIONS as FUNCTIONS, SAMPLE_PROJECTS, startOwnAws, stopOwnAws } from './nx-workspace';

const CORE_FILE = 'layers/vectora-core/src/vectora_core/scoring.py';

let moto: MotoServer;
let proxy: AwsProxy;
let ws: NxWorkspace;
let aws: EmulatorLambda;

const name = (project: string) => ws.awsName(project);
const versionsOf = (layer: string) => aws.versionsOf(name(layer));
const layersOf = (fn: string) => aws.layersOf(name(fn));

/** A fault injector that SIGKILLs the running nx (its whole process group) at one point of the deploy. */
function killAt(point: { before?: (kind: RequestKind) => boolean; after?: (kind: RequestKind) => boolean }, pid: () => number | undefined): FaultInjector & { fired: boolean } {
  const injector = {
    fired: false,
    kill() {
      if (injector.fired) return;
      injector.fired = true;
      process.kill(-pid()!, 'SIGKILL');
    },
    async before(kind: RequestKind) {
      if (point.before?.(kind)) injector.kill();
      return injector.fired && point.before ? { respond: { status: 500, name: 'ServiceException', message: 'the deploy was killed' } } : {};
    },
    after(kind: RequestKind) {
      if (point.after?.(kind)) injector.kill();
      return undefined;
    },
  };
  return injector;
}

/** Runs a full deploy and kills it where `point` says; then a plain rerun must converge. */
async function killThenRerun(point: Parameters<typeof killAt>[0]): Promise<{ killed: boolean; rerun: string }> {
  const child = ws.spawnNx(['run-many', '-t', 'deploy', '-c', 'local']);
  const injector = killAt(point, () => child.pid);
  proxy.faults = injector;
  const killed = await child;
  proxy.faults = noFaults;
  expect(injector.fired, killed.all).toBe(true);
  expect(killed.signal ?? killed.exitCode).not.toBe(0);
  const rerun = await ws.nx(['run-many', '-t', 'deploy', '-c', 'local']);
  expect(rerun.status, rerun.output).toBe(0);
  return { killed: injector.fired, rerun: rerun.output };
}

/** One vectora-core version per content ever deployed, and every function on the one for the current content. */
async function expectConverged(contents: number): Promise<void> {
  const versions = await versionsOf('vectora-core');
  const descriptions = versions.map((v) => v.Description);
  expect(new Set(descriptions).size, `duplicate versions: ${descriptions.join(' | ')}`).toBe(descriptions.length);
  expect(versions).toHaveLength(contents);
  const newest = versions.reduce((a, b) => (a.Version! > b.Version! ? a : b));
  for (const fn of FUNCTIONS) expect((await layersOf(fn))[0], fn).toBe(newest.LayerVersionArn);
}

function changeCore(revision: number): void {
  ws.write(CORE_FILE, `${ws.read(CORE_FILE).replace(/\n# revision \d+\n$/, '\n')}\n# revision ${revision}\n`);
}

beforeAll(async () => {
  ({ moto, proxy } = await startOwnAws());
  ws = new NxWorkspace(proxy.endpoint);
  aws = new EmulatorLambda(moto.endpoint);
  const first = await ws.nx(['run-many', '-t', 'deploy', '-c', 'local']);
  expect(first.status, first.output).toBe(0);
});
afterAll(() => stopOwnAws({ moto, proxy }));

describe('a deploy killed at any point, then rerun, converges without a second version for the same content', () => {
  it('killed between the upload and the publish', async () => {
    changeCore(1);
    const { rerun } = await killThenRerun({ before: (kind) => kind.operation === 'PublishLayerVersion' });
    await expectConverged(2);
    // The killed task held the publish lock; the rerun saw its process gone and took the lock over.
    expect(rerun).toMatch(/\[vectora-core\] removed a stale publish lock left by .* pid \d+/);
  });

  it('killed between the publish and the function updates (the publish went through, its answer never arrived)', async () => {
    changeCore(2);
    await killThenRerun({ after: (kind) => kind.operation === 'PublishLayerVersion' });
    await expectConverged(3);
  });

  it('killed during the cascade, after the first function update', async () => {
    changeCore(3);
    const { rerun } = await killThenRerun({ after: (kind) => kind.operation === 'UpdateFunctionConfiguration' });
    await expectConverged(4);
    // The rerun found the version published before the kill and reused it.
    expect(rerun).toMatch(/\[vectora-core\] unchanged: version 4 holds/);
  });
});

describe('two deploys of the same environment at once', () => {
  it('publish the same content once: one run publishes, the other reuses it', async () => {
    const twin = new NxWorkspace(proxy.endpoint);
    changeCore(4);
    twin.write(CORE_FILE, ws.read(CORE_FILE));
    const before = proxy.requests.length;
    const [a, b] = await Promise.all([ws.nx(['run', 'vectora-core:deploy', '-c', 'local']), twin.nx(['run', 'vectora-core:deploy', '-c', 'local'])]);
    expect(a.status, a.output).toBe(0);
    expect(b.status, b.output).toBe(0);
    expect(proxy.requests.slice(before).filter((r) => r.operation === 'PublishLayerVersion')).toHaveLength(1);
    await expectConverged(5);
  });
});

describe('one function failing', () => {
  it('does not stop the others; the summary names it with its cause; the run exits non-zero', async () => {
    changeCore(5);
    const denied = name('normalize-score-v2');
    proxy.faults = createFaultInjector({ deny: [{ operation: 'UpdateFunctionConfiguration', functionName: denied, error: { status: 403, name: 'AccessDeniedException', message: `not authorized to perform lambda:UpdateFunctionConfiguration on ${denied}` } }] });
    const run = await ws.nx(['run-many', '-t', 'deploy', '-c', 'local']);
    proxy.faults = noFaults;

    expect(run.status, run.output).not.toBe(0);
    // vectora-core and two of its functions updated, the denied one failed; the other projects unchanged.
    expect(run.output).toMatch(new RegExp(`Deploy summary \\(local\\): 3 updated, ${SAMPLE_PROJECTS.length - 1 - FUNCTIONS.length} unchanged, 1 failed`));
    const error = run.output.match(/\[normalize-score-v2\] error (AWS_AccessDeniedException: .*AccessDeniedException on lambda:UpdateFunctionConfiguration.*)$/m);
    expect(error, run.output).not.toBeNull();
    // The summary's row is that error, cut at the row's 100 characters when longer (the names here make it so).
    const detail = error![1];
    const row = detail.length > 100 ? `${detail.slice(0, 97)}...` : detail;
    const summaryRow = /^normalize-score-v2 +failed +/;
    expect(run.output.split('\n').find((line) => summaryRow.test(line))?.replace(summaryRow, ''), run.output).toBe(row);
    expect(run.output).toContain('fix: the deploy role needs permission for lambda:UpdateFunctionConfiguration');
    const newest = (await versionsOf('vectora-core')).reduce((a, b) => (a.Version! > b.Version! ? a : b));
    for (const fn of ['ingest-v2', 'newsletter-v2']) expect((await layersOf(fn))[0], fn).toBe(newest.LayerVersionArn);
    expect((await layersOf('normalize-score-v2'))[0]).not.toBe(newest.LayerVersionArn);
  });
});
