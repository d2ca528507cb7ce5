import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDependencies } from './create-dependencies';

let root: string;
const write = (file: string, content: unknown) => {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), typeof content === 'string' ? content : JSON.stringify(content));
};
const options = { namePrefix: 'vi', environments: { local: {}, dev: {} } };
const projects = {
  'layers/core': { name: 'core', root: 'layers/core', tags: ['layer'] },
  'layers/deps': { name: 'deps', root: 'layers/deps', tags: ['layer'] },
  'lambdas/ingest': { name: 'ingest', root: 'lambdas/ingest', tags: ['function'] },
  'lambdas/other': { name: 'other', root: 'lambdas/other', tags: ['function'] },
};
const edges = async () => createDependencies(options, { externalNodes: {}, projects, nxJsonConfiguration: {}, workspaceRoot: root, fileMap: { projectFileMap: {}, nonProjectFiles: [] }, filesToProcess: { projectFileMap: {}, nonProjectFiles: [] } } as never);
const edge = (source: string, target: string) => ({ source, target, type: 'static', sourceFile: `lambdas/${source}/function.json` });

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'nx-lambda-deps-'));
  write('lambdas/other/function.json', { runtime: 'python3.12', handler: 'handler.handler', layers: ['deps'] });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('createDependencies', () => {
  it('adds a static edge from the function to each layer it names, sourced from function.json', async () => {
    write('lambdas/ingest/function.json', { runtime: 'python3.12', handler: 'handler.handler', layers: ['core', 'deps'] });
    expect(await edges()).toEqual([edge('ingest', 'core'), edge('ingest', 'deps'), edge('other', 'deps')]);
  });

  it('makes no edge for an external layer ARN or an unknown name, and does not fail the graph', async () => {
    write('lambdas/ingest/function.json', { runtime: 'python3.12', handler: 'handler.handler', layers: ['core', 'vectora-kore', 'arn:aws:lambda:{region}:017000801446:layer:AWSLambdaPowertoolsPythonV3:7'] });
    expect(await edges()).toEqual([edge('ingest', 'core'), edge('other', 'deps')]);
  });

  it('keeps the edges of a file with invalid settings, and the other functions of a file that is not JSON', async () => {
    write('lambdas/ingest/function.json', { runtime: 'nodejs20.x', memory: 64, layers: ['core'] });
    expect(await edges()).toEqual([edge('ingest', 'core'), edge('other', 'deps')]);
    write('lambdas/ingest/function.json', '{\n  "runtime": "python3.12",,\n}');
    expect(await edges()).toEqual([edge('other', 'deps')]);
  });

  it('takes the layers of lambdas/defaults.json when the function names none', async () => {
    write('lambdas/defaults.json', { layers: ['core'] });
    write('lambdas/ingest/function.json', { runtime: 'python3.12', handler: 'handler.handler' });
    expect(await edges()).toEqual([edge('ingest', 'core'), edge('other', 'deps')]);
  });
});
