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

  it('adds an edge from each file of a Node function that imports a workspace library by package name, tests and Python functions left out', async () => {
    const withLibrary = { ...projects, 'libs/format': { name: 'format', root: 'libs/format', metadata: { js: { packageName: '@digest/format' } } } };
    write('lambdas/ingest/function.json', { runtime: 'nodejs22.x', handler: 'src/handler.handler', layers: ['core'] });
    write('lambdas/ingest/src/handler.ts', "import { headline } from '@digest/format/headline';\nimport ms from 'ms';\n");
    write('lambdas/ingest/src/handler.spec.ts', "import { headline } from '@digest/format';\n");
    write('lambdas/ingest/src/plain.ts', "export const x = 1;\n");
    write('lambdas/other/handler.py', "import format\n");
    const fileMap = { projectFileMap: { ingest: ['function.json', 'src/handler.ts', 'src/handler.spec.ts', 'src/plain.ts', 'src/gone.ts'].map((f) => ({ file: `lambdas/ingest/${f}`, hash: '' })), other: [{ file: 'lambdas/other/handler.py', hash: '' }] }, nonProjectFiles: [] };
    const found = await createDependencies(options, { externalNodes: {}, projects: withLibrary, nxJsonConfiguration: {}, workspaceRoot: root, fileMap, filesToProcess: fileMap } as never);
    expect(found).toEqual([edge('ingest', 'core'), edge('other', 'deps'), { source: 'ingest', target: 'format', type: 'static', sourceFile: 'lambdas/ingest/src/handler.ts' }]);
  });

  it('takes the layers of lambdas/defaults.json when the function names none', async () => {
    write('lambdas/defaults.json', { layers: ['core'] });
    write('lambdas/ingest/function.json', { runtime: 'python3.12', handler: 'handler.handler' });
    expect(await edges()).toEqual([edge('ingest', 'core'), edge('other', 'deps')]);
  });
});
