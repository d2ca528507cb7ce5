import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import { describe, expect, it } from 'vitest';
import { BATCH_CONCURRENCY, batchOf, type BatchTaskResult } from './run-batch';

/** A task graph of `project:deploy` tasks with the given in-batch dependencies. */
function graphOf(deps: Record<string, string[]>): TaskGraph {
  const id = (project: string) => `${project}:deploy`;
  const tasks = Object.fromEntries(Object.keys(deps).map((p) => [id(p), { id: id(p), target: { project: p, target: 'deploy', configuration: 'local' }, overrides: {}, outputs: [], parallelism: true }]));
  return {
    roots: Object.keys(deps).filter((p) => deps[p].length === 0).map(id),
    tasks,
    dependencies: Object.fromEntries(Object.entries(deps).map(([p, d]) => [id(p), d.map(id)])),
    continuousDependencies: {},
  } as unknown as TaskGraph;
}

const context = { root: '/ws', cwd: '/ws', isVerbose: false } as ExecutorContext;

async function collect(gen: AsyncGenerator<{ task: string; result: BatchTaskResult }>) {
  const results: { task: string; result: BatchTaskResult }[] = [];
  for await (const item of gen) results.push(item);
  return results;
}

describe('batchOf', () => {
  it('runs each task with its own context and options, and keeps each task’s lines apart', async () => {
    const batch = batchOf<{ n: number }>(async (options, ctx, io) => {
      io.print(`[${ctx.projectName}] step one of ${ctx.targetName}:${ctx.configurationName} n=${options.n}`);
      await new Promise((r) => setTimeout(r, 5));
      io.print(`[${ctx.projectName}] step two`);
      return { success: true };
    });
    const results = await collect(batch(graphOf({ a: [], b: [] }), { 'a:deploy': { n: 1 }, 'b:deploy': { n: 2 } }, {}, context));
    const byTask = Object.fromEntries(results.map((r) => [r.task, r.result]));
    expect(byTask['a:deploy'].terminalOutput).toBe('[a] step one of deploy:local n=1\n[a] step two\n');
    expect(byTask['b:deploy'].terminalOutput).toBe('[b] step one of deploy:local n=2\n[b] step two\n');
    expect(results.every((r) => r.result.success && r.result.endTime >= r.result.startTime)).toBe(true);
  });

  it('starts a task only after the tasks it depends on in the batch succeeded, and skips it when one failed', async () => {
    const order: string[] = [];
    const batch = batchOf<object>(async (_o, ctx) => {
      order.push(`start ${ctx.projectName}`);
      await new Promise((r) => setTimeout(r, 5));
      order.push(`end ${ctx.projectName}`);
      return { success: ctx.projectName !== 'broken' };
    });
    const results = await collect(batch(graphOf({ layer: [], broken: [], fn: ['layer'], orphan: ['broken'], leaf: ['orphan'] }), {}, {}, context));
    expect(order.indexOf('start fn')).toBeGreaterThan(order.indexOf('end layer'));
    expect(order.some((line) => line.includes('orphan') || line.includes('leaf'))).toBe(false);
    const status = Object.fromEntries(results.map((r) => [r.task, r.result.status ?? (r.result.success ? 'success' : 'failure')]));
    expect(status).toEqual({ 'layer:deploy': 'success', 'broken:deploy': 'failure', 'fn:deploy': 'success', 'orphan:deploy': 'skipped', 'leaf:deploy': 'skipped' });
  });

  it('reports a task that throws as failed, with the error in its own output, and goes on with the others', async () => {
    const batch = batchOf<object>(async (_o, ctx) => {
      if (ctx.projectName === 'bad') throw new Error('boom');
      return { success: true };
    });
    const results = await collect(batch(graphOf({ bad: [], good: [] }), {}, {}, context));
    const bad = results.find((r) => r.task === 'bad:deploy')!.result;
    expect(bad.success).toBe(false);
    expect(bad.terminalOutput).toMatch(/^\[bad\] Error: boom/);
    expect(results.find((r) => r.task === 'good:deploy')!.result.success).toBe(true);
  });

  it(`never has more than ${BATCH_CONCURRENCY} tasks in flight`, async () => {
    let inFlight = 0;
    let most = 0;
    const batch = batchOf<object>(async () => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight--;
      return { success: true };
    });
    const projects = Object.fromEntries(Array.from({ length: BATCH_CONCURRENCY * 3 }, (_, i) => [`p${i}`, []]));
    const results = await collect(batch(graphOf(projects), {}, {}, context));
    expect(results).toHaveLength(BATCH_CONCURRENCY * 3);
    expect(most).toBe(BATCH_CONCURRENCY);
  });

  it('shares one scope between the tasks of a batch: a value is made once', async () => {
    let made = 0;
    const batch = batchOf<object>(async (_o, _ctx, _io, scope) => {
      scope.once('workspace', () => ++made);
      return { success: true };
    });
    await collect(batch(graphOf({ a: [], b: [], c: ['a'] }), {}, {}, context));
    expect(made).toBe(1);
  });
});
