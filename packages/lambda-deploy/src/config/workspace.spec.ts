import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadWorkspace } from './workspace';

let root: string;
const write = (file: string, content: unknown) => {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), typeof content === 'string' ? content : JSON.stringify(content));
};
const fn = (layers: string[]) => ({ runtime: 'python3.12', handler: 'handler.handler', layers });

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'workspace-'));
  write('VERSION', 'core=1.0.0\ndeps=1.0.0\n');
  write('layers/core/layer.json', { sources: 'src' });
  write('layers/deps/layer.json', { requirements: 'requirements.txt' });
  write('lambdas/ingest/function.json', fn(['core', 'deps']));
  write('lambdas/report/function.json', fn(['deps']));
  write('lambdas/broken/function.json', { ...fn(['core']), memory: 64 });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const BROKEN = 'lambdas/broken/function.json: memory: must be a whole number of MB from 128 to 10240, got 64';

describe('loadWorkspace', () => {
  it('without a scope, refuses a workspace with any invalid file', () => {
    expect(() => loadWorkspace(root)).toThrow(BROKEN);
  });

  it('with a scope of every project (run-many), still refuses it before anything is deployed', () => {
    expect(() => loadWorkspace(root, { scope: ['core', 'deps', 'ingest', 'report', 'broken'] })).toThrow(BROKEN);
  });

  it('lets a run that does not touch the broken function through, leaving it out', () => {
    const workspace = loadWorkspace(root, { scope: ['report', 'deps'] });
    expect([...workspace.functions.keys()]).toEqual(['ingest', 'report']);
    expect(workspace.excluded).toEqual(['broken']);
  });

  it('refuses a layer run whose cascade would repoint the broken function, and the broken function itself', () => {
    expect(() => loadWorkspace(root, { scope: ['core'] })).toThrow(BROKEN);
    expect(() => loadWorkspace(root, { scope: ['broken'] })).toThrow(BROKEN);
    expect(loadWorkspace(root, { scope: ['deps'] }).excluded).toEqual(['broken']);
  });

  it('counts a function whose layers cannot be read as a user of every layer', () => {
    write('lambdas/broken/function.json', '{ "layers": [,] }');
    expect(() => loadWorkspace(root, { scope: ['deps'] })).toThrow(/lambdas\/broken\/function\.json.*invalid JSON/);
    expect(loadWorkspace(root, { scope: ['report'] }).excluded).toEqual(['broken']);
  });

  it('refuses a function of the scope whose layer file is invalid', () => {
    write('layers/deps/layer.json', { requirements: 'requirements.txt', runtimes: ['python2.7'] });
    expect(() => loadWorkspace(root, { scope: ['report'] })).toThrow('layers/deps/layer.json: runtimes: "python2.7" not supported');
    expect(loadWorkspace(root, { scope: [] }).excluded).toEqual(['broken', 'deps']);
  });

  it('always refuses a broken VERSION file: every layer reads it', () => {
    write('VERSION', 'core=1.0.0\n');
    expect(() => loadWorkspace(root, { scope: ['report'] })).toThrow('VERSION: no version for layer deps');
  });

  it('merges lambdas/defaults.json under every function; a broken one stops function runs only, reported once', () => {
    write('lambdas/broken/function.json', fn(['core']));
    write('lambdas/defaults.json', { memory: 512, layers: ['deps'] });
    write('lambdas/ingest/function.json', { runtime: 'python3.12', handler: 'handler.handler' });
    const workspace = loadWorkspace(root);
    expect(workspace.functions.get('ingest')).toMatchObject({ memory: 512, layers: ['deps'] });
    expect(workspace.functions.get('broken')).toMatchObject({ memory: 512, layers: ['core'] });

    write('lambdas/defaults.json', { memory: 1 });
    expect(() => loadWorkspace(root, { scope: ['report'] })).toThrow(/^lambdas\/defaults\.json: memory: must be a whole number/);
    expect(loadWorkspace(root, { scope: [] }).excluded).toEqual(['broken', 'ingest', 'report']);
  });
});
