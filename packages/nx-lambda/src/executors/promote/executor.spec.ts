import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { deployFunction } from '../../../../lambda-deploy/src/deploy/deploy-function';
import { deployLayer } from '../../../../lambda-deploy/src/deploy/deploy-layer';
import { fleetFiles, makeWorkspace, packageAll, testContext, uniquePrefix } from '../../../../lambda-deploy/test/harness';
import { startAwsProxy, type AwsProxy } from '../../../../local-aws/src/proxy/aws-proxy';
import type { BatchTaskResult } from '../shared/run-batch';
import promoteExecutor, { batch } from './executor';
import type { Schema } from './schema';

// Five functions on one layer, and a layerless one whose task waits on nothing (as Nx starts it).
const FUNCTIONS = [...Array.from({ length: 5 }, (_, i) => `fn-${i}`), 'solo'];
const PROJECTS = ['core', ...FUNCTIONS];
const taskId = (project: string) => `${project}:promote:staging`;

let proxy: AwsProxy;
let runs = 0;
const roots: string[] = [];

beforeAll(async () => {
  proxy = await startAwsProxy({ target: inject('motoEndpoint') });
  process.env.AWS_ENDPOINT_URL = proxy.endpoint;
});
afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL;
  await proxy?.stop();
});
afterEach(() => {
  delete process.env.NX_INVOCATION_ROOT_PID;
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A repo of the fleet above deployed to dev (straight to moto, not through the proxy). */
async function deployedDev(label: string): Promise<{ root: string; prefix: string }> {
  const root = makeWorkspace({
    ...fleetFiles(['core'], 5),
    'lambdas/solo/function.json': JSON.stringify({ runtime: 'python3.12', handler: 'handler.handler', layers: [] }),
    'lambdas/solo/handler.py': 'def handler(e, c):\n    return 3\n',
  });
  roots.push(root);
  const prefix = uniquePrefix(label);
  await packageAll(root);
  const dev = testContext(root, { prefix, environment: 'dev', bucket: `${prefix}-dev` });
  await deployLayer(dev, 'core', []);
  for (const fn of FUNCTIONS) await deployFunction(dev, fn, { layersOnly: false });
  return { root, prefix };
}

/** `nx run-many -t promote -c staging --from=dev`: every project's task, each function after its layer (^promote). */
function runGraph(): TaskGraph {
  const tasks = Object.fromEntries(PROJECTS.map((p) => [taskId(p), { id: taskId(p), target: { project: p, target: 'promote', configuration: 'staging' }, overrides: {}, outputs: [], parallelism: true }]));
  const dependencies = Object.fromEntries(PROJECTS.map((p) => [taskId(p), p === 'core' || p === 'solo' ? [] : [taskId('core')]]));
  return { roots: [taskId('core'), taskId('solo')], tasks, dependencies, continuousDependencies: {} } as unknown as TaskGraph;
}

function contextOf(root: string, prefix: string, project?: string): ExecutorContext {
  const environment = (name: string) => ({ emulator: true, region: 'us-east-1', artifactBucket: `${prefix}-${name}`, createMissingFunctions: true });
  const projects = Object.fromEntries(PROJECTS.map((p) => [p, { root: p, targets: { promote: { executor: '@vectora/nx-lambda:promote' } } }]));
  return {
    root,
    cwd: root,
    isVerbose: false,
    projectName: project,
    targetName: 'promote',
    configurationName: 'staging',
    projectsConfigurations: { version: 2, projects },
    taskGraph: runGraph(),
    nxJsonConfiguration: { plugins: [{ plugin: '@vectora/nx-lambda', options: { namePrefix: prefix, environments: { dev: environment('dev'), staging: environment('staging') } } }] },
  } as unknown as ExecutorContext;
}

const options = (extra: Partial<Schema> = {}): Schema => ({ environment: 'staging', from: 'dev', ...extra });

/** A run of its own: a run id no other run of this file shares (reports and summary are per run). */
function newRun(): void {
  process.env.NX_INVOCATION_ROOT_PID = `promote-spec-${process.pid}-${runs++}`;
}

async function runBatch(root: string, prefix: string, schema: Schema): Promise<Record<string, BatchTaskResult>> {
  newRun();
  const inputs = Object.fromEntries(PROJECTS.map((p) => [taskId(p), schema]));
  const results: Record<string, BatchTaskResult> = {};
  for await (const { task, result } of batch(runGraph(), inputs, {}, contextOf(root, prefix))) results[task] = result;
  return results;
}

/** `--batch=false`: each task alone, in its own process (a scope of its own), the layer first. */
async function runEachAlone(root: string, prefix: string, schema: Schema): Promise<boolean[]> {
  newRun();
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    const results: boolean[] = [];
    for (const project of PROJECTS) results.push((await promoteExecutor(schema, contextOf(root, prefix, project))).success);
    return results;
  } finally {
    spy.mockRestore();
  }
}

/** What the proxy saw from `since`: the GetFunction calls on dev's functions, and every write. */
function sinceMark(since: number, prefix: string) {
  const requests = proxy.requests.slice(since);
  return {
    sourceGetFunction: requests.filter((r) => r.operation === 'GetFunction' && r.functionName?.startsWith(`${prefix}-`) && r.functionName.endsWith('-dev')).length,
    writes: requests.filter((r) => r.write),
  };
}

describe('promote executor, batched', () => {
  it('checks the run once per batch: source GetFunction calls grow with the functions, not with tasks x functions', async () => {
    const { root, prefix } = await deployedDev('promote-batch');

    let mark = proxy.requests.length;
    expect(await runEachAlone(root, prefix, options({ dryRun: true }))).toEqual(PROJECTS.map(() => true));
    const alone = sinceMark(mark, prefix);
    expect(alone.writes).toEqual([]);

    mark = proxy.requests.length;
    const results = await runBatch(root, prefix, options());
    for (const [task, result] of Object.entries(results)) expect(result.success, `${task}\n${result.terminalOutput}`).toBe(true);
    expect(Object.keys(results).sort()).toEqual(PROJECTS.map(taskId).sort());
    const batched = sinceMark(mark, prefix);
    // Each task keeps its own output: its own lines, and its own promote step.
    for (const fn of FUNCTIONS) expect(results[taskId(fn)].terminalOutput).toMatch(new RegExp(`^\\[${fn}\\] .*from dev`, 'm'));
    expect(results[taskId('fn-0')].terminalOutput).not.toMatch(/^\[fn-1\]/m);
    expect(batched.writes.filter((w) => w.operation === 'CreateFunction')).toHaveLength(FUNCTIONS.length);

    // Alone: every one of the 7 tasks reads all 6 functions for the run-wide check (plus its own reads).
    expect(alone.sourceGetFunction).toBeGreaterThanOrEqual(PROJECTS.length * FUNCTIONS.length);
    // Batched: the check once (6), the layer's users (5), each function its own (6).
    expect(batched.sourceGetFunction).toBeLessThanOrEqual(3 * FUNCTIONS.length);
  });

  it('refuses every task of the batch on a drift in dev, with no write; the functions behind the layer do not start', async () => {
    const { root, prefix } = await deployedDev('promote-batch-drift');
    const dev = testContext(root, { prefix, environment: 'dev', bucket: `${prefix}-dev` });
    await dev.session.lambda.updateFunctionConfiguration(`${prefix}-fn-3-dev`, { timeout: 42 });

    const mark = proxy.requests.length;
    const results = await runBatch(root, prefix, options());
    for (const project of ['core', 'solo']) {
      const result = results[taskId(project)];
      expect(result.success, result.terminalOutput).toBe(false);
      expect(result.terminalOutput).toContain(`[${project}] error PROMOTE_DRIFT`);
      expect(result.terminalOutput).toContain(`${prefix}-fn-3-dev (fn-3): configuration changed since deploy`);
    }
    for (const fn of FUNCTIONS.filter((f) => f !== 'solo')) expect(results[taskId(fn)]).toMatchObject({ success: false, status: 'skipped' });
    const { writes, sourceGetFunction } = sinceMark(mark, prefix);
    expect(writes).toEqual([]);
    expect(sourceGetFunction).toBe(FUNCTIONS.length);
  });
});
