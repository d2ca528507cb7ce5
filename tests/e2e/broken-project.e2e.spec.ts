// @module-tag e2e
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MotoServer } from '../../packages/local-aws/src/moto-server';
import type { AwsProxy } from '../../packages/local-aws/src/proxy/aws-proxy';
import { NxWorkspace, SAMPLE_PROJECTS, startOwnAws, stopOwnAws } from './nx-workspace';

let moto: MotoServer;
let proxy: AwsProxy;
beforeAll(async () => {
  ({ moto, proxy } = await startOwnAws());
});
afterAll(() => stopOwnAws({ moto, proxy }));

const BROKEN_ERROR = /lambdas\/ingest-v2\/function\.json: memory: must be a whole number of MB from 128 to 10240, got 64/;

describe('one broken function.json', () => {
  it('leaves the graph whole, and a run of everything still writes nothing before failing with the file, key and fix', async () => {
    const ws = new NxWorkspace(proxy.endpoint);
    const fn = JSON.parse(ws.read('lambdas/ingest-v2/function.json'));
    ws.write('lambdas/ingest-v2/function.json', JSON.stringify({ ...fn, memory: 64 }, null, 2));

    const shown = await ws.nx(['show', 'projects']);
    expect(shown.status, shown.output).toBe(0);
    for (const project of SAMPLE_PROJECTS) expect(shown.output).toContain(project);

    const graph = await ws.nx(['graph', '--file=graph.json']);
    expect(graph.status, graph.output).toBe(0);
    const deps = JSON.parse(ws.read('graph.json')).graph.dependencies as Record<string, { target: string }[]>;
    // The broken file's layers list is still readable: its edges stay, so affected and ^deploy still follow them.
    expect(deps['ingest-v2'].map((d) => d.target).sort()).toEqual(['common-deps', 'vectora-core']);

    const before = proxy.requests.length;
    const all = await ws.nx(['run-many', '-t', 'deploy', '-c', 'local']);
    expect(all.status, all.output).not.toBe(0);
    expect(all.output).toMatch(BROKEN_ERROR);
    expect(all.output).toMatch(/fix: set "memory" within 128\.\.10240/);
    expect(proxy.requests.slice(before).filter((r) => r.write)).toEqual([]);

    const own = await ws.nx(['run', 'ingest-v2:deploy', '-c', 'local']);
    expect(own.status, own.output).not.toBe(0);
    expect(own.output).toMatch(BROKEN_ERROR);
    expect(proxy.requests.slice(before).filter((r) => r.write)).toEqual([]);

    // A project that shares nothing with the broken one deploys: only what a run touches must be valid.
    ws.write('layers/solo-layer/layer.json', JSON.stringify({ sources: 'src' }));
    ws.write('layers/solo-layer/src/solo.py', 'VALUE = 1\n');
    ws.write('VERSION', `${ws.read('VERSION')}solo-layer=1.0.0\n`);
    ws.write('lambdas/solo-fn/function.json', JSON.stringify({ runtime: 'python3.12', handler: 'handler.handler', layers: ['solo-layer'] }));
    ws.write('lambdas/solo-fn/handler.py', 'def handler(event, context):\n    return 1\n');
    const unrelated = await ws.nx(['run', 'solo-fn:deploy', '-c', 'local']);
    expect(unrelated.status, unrelated.output).toBe(0);
    expect(unrelated.output).toMatch(/\[solo-fn\] created \S+-solo-fn-local with layers solo-layer \+1/);
    expect(unrelated.output).not.toMatch(BROKEN_ERROR);
  });
});
