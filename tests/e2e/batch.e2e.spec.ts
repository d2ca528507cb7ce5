// @module-tag e2e
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startAwsProxy, type AwsProxy } from '../../packages/local-aws/src/proxy/aws-proxy';
import { createFaultInjector } from '../../packages/local-aws/src/proxy/fault-injector';
import { noFaults } from '../../packages/local-aws/src/proxy/faults';
import { NxWorkspace, SAMPLE_FUNCTIONS, SAMPLE_LAYERS, SAMPLE_PROJECTS as PROJECTS, planLines } from './nx-workspace';

let proxy: AwsProxy;
let ws: NxWorkspace;

beforeAll(async () => {
  proxy = await startAwsProxy({ target: inject('motoEndpoint') });
  // A prefix, hence an nx.json, of its own: its first deploy must package (it checks the package batches),
  // not replay what another workspace packaged.
  ws = new NxWorkspace(proxy.endpoint, `batch${process.pid % 10000}`);
});
afterAll(async () => proxy?.stop());

/** The lines Nx printed for one task: from its `> nx run <project>:deploy` header to the next header. */
function taskBlocks(output: string): Map<string, string[]> {
  const blocks = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of output.split('\n')) {
    const header = /^> nx run ([\w-]+):([\w-]+)/.exec(line);
    if (header) {
      current = header[2] === 'deploy' ? (blocks.get(header[1]) ?? []) : undefined;
      if (current) blocks.set(header[1], current);
    } else if (/^\s*(NX|Deploy summary)/.test(line)) {
      current = undefined;
    } else if (current && line.trim()) {
      current.push(line);
    }
  }
  return blocks;
}

/** `[project] ...` lines with timings removed: what a run said, comparable between runs. */
const steps = (lines: string[]) => lines.filter((l) => /^\[[\w-]+\] /.test(l)).map((l) => l.replace(/ \(\d+(\.\d+)?m?s\)$/, ''));

describe('deploy tasks run as Nx batches (one process per batch), with the same logs, reports and exit codes', () => {
  it('each project’s lines stay under its own task, and only its own', async () => {
    const run = await ws.nx(['run-many', '-t', 'deploy', '-c', 'local']);
    expect(run.status, run.output).toBe(0);
    // Nx announces a batch when it runs several tasks of one executor in one process.
    expect(run.output).toMatch(/Running \d+ tasks with @vectora\/nx-lambda:deploy/);
    // The first run packages everything: the functions' packages, ready together, zip in one process.
    expect(run.output).toMatch(/Running \d+ tasks with @vectora\/nx-lambda:package/);
    for (const project of PROJECTS) expect(run.output).toMatch(new RegExp(`^\\[${project}\\] package sha256:`, 'm'));
    const blocks = taskBlocks(run.output);
    for (const project of PROJECTS) {
      const own = steps(blocks.get(project) ?? []);
      expect(own.length, `${project}:\n${run.output}`).toBeGreaterThan(0);
      expect(own.every((line) => line.startsWith(`[${project}] `)), own.join('\n')).toBe(true);
    }
  });

  it('a change planned in a batch and without one (--batch=false) gives the same plan, outcomes, calls and writes', async () => {
    ws.write('layers/vectora-core/src/vectora_core/scoring.py', `${ws.read('layers/vectora-core/src/vectora_core/scoring.py')}\n# batch e2e\n`);
    const batched = await ws.nx(['run-many', '-t', 'deploy', '-c', 'local', '--dry-run']);
    const single = await ws.nx(['run-many', '-t', 'deploy', '-c', 'local', '--dry-run', '--batch=false']);
    expect(batched.status, batched.output).toBe(0);
    expect(single.status, single.output).toBe(0);
    expect(single.output).not.toMatch(/Running \d+ tasks with/);
    expect(planLines(batched.output)).toEqual(planLines(single.output));
    expect(planLines(batched.output).length).toBeGreaterThan(0);
    const summary = (output: string) => output.split('\n').filter((l) => /^(Deploy summary|[\w-]+\s+(updated|unchanged|would update|warning|failed))/.test(l));
    expect(summary(batched.output)).toEqual(summary(single.output));

    // A real run, then a no-op, each as a batch: one read per project, no write, and every report on disk.
    const before = proxy.requests.length;
    const real = await ws.nx(['run-many', '-t', 'deploy', '-c', 'local']);
    expect(real.status, real.output).toBe(0);
    const noopStart = proxy.requests.length;
    const noop = await ws.nx(['run-many', '-t', 'deploy', '-c', 'local']);
    expect(noop.status, noop.output).toBe(0);
    // Every layer is packaged after the same steps, so Nx's cache replay makes all deploys ready at once: one batch process.
    expect(noop.output.match(/Running \d+ tasks with @vectora\/nx-lambda:deploy/g), noop.output).toEqual([`Running ${PROJECTS.length} tasks with @vectora/nx-lambda:deploy`]);
    expect(proxy.requests.slice(noopStart).filter((r) => r.write)).toEqual([]);
    expect(proxy.requests.length - noopStart).toBe(PROJECTS.length);
    expect(proxy.requests.slice(before, noopStart).some((r) => r.operation === 'PublishLayerVersion')).toBe(true);
    const runDir = /^reports: (.+)$/m.exec(noop.output)![1].trim();
    const reports = PROJECTS.map((p) => JSON.parse(readFileSync(join(runDir.startsWith('/') ? runDir : join(ws.root, runDir), `${p}.deploy.json`), 'utf8')));
    expect(reports.map((r) => r.outcomes[r.project])).toEqual(PROJECTS.map(() => 'unchanged'));
  });

  it('a failing task in a batch fails the run and its summary, while the others still deploy', async () => {
    for (const fn of SAMPLE_FUNCTIONS) {
      const config = JSON.parse(ws.read(`lambdas/${fn}/function.json`));
      ws.write(`lambdas/${fn}/function.json`, JSON.stringify({ ...config, memory: 1024 }));
    }
    const denied = ws.awsName('newsletter-v2');
    proxy.faults = createFaultInjector({ deny: [{ operation: 'UpdateFunctionConfiguration', functionName: denied, error: { status: 403, name: 'AccessDeniedException', message: `not authorized to perform lambda:UpdateFunctionConfiguration on ${denied}` } }] });
    const run = await ws.nx(['run-many', '-t', 'deploy', '-c', 'local']);
    proxy.faults = noFaults;
    expect(run.status, run.output).not.toBe(0);
    expect(run.output).toMatch(/^newsletter-v2\s+failed/m);
    expect(run.output).toMatch(/^ingest-v2\s+updated/m);
    expect(run.output).toMatch(/^normalize-score-v2\s+updated/m);
    // Every function but the denied one updated, the layers unchanged.
    expect(run.output).toMatch(new RegExp(`Deploy summary \\(local\\): ${SAMPLE_FUNCTIONS.length - 1} updated, ${SAMPLE_LAYERS.length} unchanged, 1 failed`));
  });

  it('a function whose SSM parameter is missing stops the whole run before its layers publish anything', async () => {
    const config = JSON.parse(ws.read('lambdas/ingest-v2/function.json'));
    ws.write('lambdas/ingest-v2/function.json', JSON.stringify({ ...config, environment: { TABLE: { ssm: '/{prefix}/{env}/no-such-table' } } }));
    ws.write('layers/vectora-core/src/vectora_core/scoring.py', `${ws.read('layers/vectora-core/src/vectora_core/scoring.py')}\n# needs a publish\n`);
    const before = proxy.requests.length;
    const run = await ws.nx(['run-many', '-t', 'deploy', '-c', 'local']);
    expect(run.status, run.output).not.toBe(0);
    expect(run.output).toMatch(/SSM_PARAMETER_MISSING/);
    expect(run.output).toContain(`/${ws.prefix}/local/no-such-table`);
    // SSM's GetParameters is a POST the proxy does not classify ('other'): a read, not a write.
    expect(proxy.requests.slice(before).filter((r) => r.write && r.service !== 'other')).toEqual([]);
    expect(proxy.requests.slice(before).some((r) => r.service === 'other')).toBe(true);
  });
});
