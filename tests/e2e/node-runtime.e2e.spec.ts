// @module-tag e2e
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MotoServer } from '../../packages/local-aws/src/moto-server';
import type { AwsProxy } from '../../packages/local-aws/src/proxy/aws-proxy';
import { EmulatorLambda, NxWorkspace, planLines, startOwnAws, stopOwnAws } from './nx-workspace';

/** package.json + package-lock.json pinning ms at one version, made with `npm install --package-lock-only`. */
const FIXTURES = join(__dirname, 'fixtures', 'node-deps');

let moto: MotoServer;
let proxy: AwsProxy;
let ws: NxWorkspace;
let aws: EmulatorLambda;

const dependenciesAt = (version: '2.1.2' | '2.1.3') => {
  for (const file of ['package.json', 'package-lock.json']) ws.write(`layers/node-deps/${file}`, readFileSync(join(FIXTURES, `ms-${version}`, file), 'utf8'));
};
const configuration = async () => (await aws.client.send(new GetFunctionCommand({ FunctionName: ws.awsName('digest-v2') }))).Configuration!;
const layerVersions = async () => (await aws.layersOf(ws.awsName('digest-v2'))).map((arn) => arn.split(':').slice(-2).join(':'));
const writesDuring = async <T>(run: () => Promise<T>): Promise<{ result: T; writes: string[] }> => {
  const before = proxy.requests.length;
  const result = await run();
  return { result, writes: proxy.requests.slice(before).filter((r) => r.write).map((r) => r.operation) };
};
/** The project names a `nx show projects` run printed, sorted. */
const projectsIn = (output: string) => output.split('\n').map((line) => line.trim()).filter((line) => /^[@\w/-]+$/.test(line)).sort();
/** Every file under a folder whose name ends with `suffix`, as text. */
const filesEndingWith = (dir: string, suffix: string) =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(suffix))
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'utf8'));

beforeAll(async () => {
  ({ moto, proxy } = await startOwnAws());
  ws = new NxWorkspace(proxy.endpoint);
  aws = new EmulatorLambda(moto.endpoint);
  // Only the Node projects: the sample app's Python ones are not what this spec is about.
  for (const dir of ['layers', 'lambdas']) rmSync(join(ws.root, dir), { recursive: true, force: true });
  ws.write('VERSION', 'node-deps=1.0.0\n');
  // As in a user's repo: build outputs are not committed.
  ws.write('.gitignore', 'node_modules/\ndist/\n.nx/\n');
  ws.write('layers/node-deps/layer.json', JSON.stringify({ runtimes: ['nodejs22.x'], dependencies: 'package.json', sources: 'lib' }, null, 2));
  dependenciesAt('2.1.3');
  ws.write('layers/node-deps/lib/package.json', JSON.stringify({ name: '@digest/format', main: 'index.ts' }));
  ws.write('layers/node-deps/lib/index.ts', 'export const headline = (count: number): string => `${count} new items`;\n');
  // A workspace library (an npm workspace with its own package.json), which the bundle inlines; esbuild
  // finds it through the tsconfig paths, as in a repo that does not link its workspaces into node_modules.
  ws.write('package.json', JSON.stringify({ ...JSON.parse(ws.read('package.json')), workspaces: ['libs/*'] }, null, 2));
  ws.write('tsconfig.json', JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@digest/text': ['libs/digest-text/index.ts'] } } }, null, 2));
  ws.write('libs/digest-text/package.json', JSON.stringify({ name: '@digest/text', version: '1.0.0', main: 'index.ts' }, null, 2));
  ws.write('libs/digest-text/index.ts', "export const subject = (title: string): string => `Digest: ${title}`;\n");
  ws.write('libs/unused/package.json', JSON.stringify({ name: '@digest/unused', version: '1.0.0', main: 'index.ts' }, null, 2));
  ws.write('libs/unused/index.ts', 'export const nothing = 0;\n');
  ws.write('lambdas/digest-v2/function.json', JSON.stringify({ runtime: 'nodejs22.x', handler: 'src/handler.handler', memory: 256, layers: ['node-deps'] }, null, 2));
  // An ES module handler importing both a registry package and the layer's own TypeScript package.
  ws.write(
    'lambdas/digest-v2/src/handler.mts',
    "import ms from 'ms';\nimport { headline } from '@digest/format';\nimport { subject } from '@digest/text';\nimport { window } from './window.mjs';\n\nexport async function handler(event: { count: number }) {\n  return { title: subject(headline(event.count)), windowMs: ms(window) };\n}\n",
  );
  ws.write('lambdas/digest-v2/src/window.mts', "export const window = '1d';\n");
  ws.commit('a Node layer and a TypeScript function');
});
afterAll(async () => {
  await stopOwnAws({ moto, proxy });
  rmSync(ws?.root ?? '/nonexistent', { recursive: true, force: true });
});

describe('a Node layer and a TypeScript function, through the real nx CLI', () => {
  it('run-many deploy publishes the layer for nodejs22.x and creates the function on it, bundled without the layer packages', async () => {
    const run = await ws.nx(['run-many', '-t', 'deploy', '-c', 'local']);
    expect(run.status, run.output).toBe(0);
    expect(run.output).toMatch(/Deploy summary \(local\): 2 updated/);
    const layer = (await aws.versionsOf(ws.awsName('node-deps')))[0];
    expect({ version: layer.Version, runtimes: layer.CompatibleRuntimes }).toEqual({ version: 1, runtimes: ['nodejs22.x'] });
    const fn = await configuration();
    expect({ runtime: fn.Runtime, handler: fn.Handler }).toEqual({ runtime: 'nodejs22.x', handler: 'src/handler.handler' });
    expect(await layerVersions()).toEqual([`${ws.awsName('node-deps')}:1`]);

    // The bundle the function shipped: its own module inlined, the layer's packages imported from where
    // Lambda mounts the layer (an ES module does not read NODE_PATH).
    const [bundle, ...others] = filesEndingWith(join(ws.root, 'dist'), 'handler.mjs');
    expect(others).toEqual([]);
    expect(bundle).toContain('"1d"');
    expect(bundle).toContain('"/opt/nodejs/node_modules/ms/index.js"');
    expect(bundle).toMatch(/"\/opt\/nodejs\/node_modules\/@digest\/format\/index\.js"/);
    expect(bundle).not.toContain('new items');
    expect(bundle).toContain('Digest: ');
  });

  it('a rerun with no change writes nothing', async () => {
    const { result, writes } = await writesDuring(() => ws.nx(['run-many', '-t', 'deploy', '-c', 'local']));
    expect(result.status, result.output).toBe(0);
    expect(result.output).toMatch(/Deploy summary \(local\): 2 unchanged; \d+ AWS calls, 0 writes/);
    expect(writes).toEqual([]);
  });

  it('another pinned version in package.json and the lockfile: the dry-run writes nothing, nx affected publishes a new layer version and repoints the function without new code', async () => {
    const codeBefore = (await configuration()).CodeSha256;
    dependenciesAt('2.1.2');
    ws.commit('ms 2.1.2');
    const affected = await ws.nx(['show', 'projects', '--affected', '--base=HEAD~1']);
    expect(projectsIn(affected.output)).toEqual(['digest-v2', 'node-deps']);

    const dry = await writesDuring(() => ws.nx(['affected', '-t', 'deploy', '-c', 'local', '--base=HEAD~1', '--dry-run']));
    expect(dry.result.status, dry.result.output).toBe(0);
    expect(dry.writes).toEqual([]);
    expect(await aws.versionsOf(ws.awsName('node-deps'))).toHaveLength(1);

    const real = await writesDuring(() => ws.nx(['affected', '-t', 'deploy', '-c', 'local', '--base=HEAD~1']));
    expect(real.result.status, real.result.output).toBe(0);
    // The dry-run cannot know the number the publish will get; the real run's plan names it.
    expect(planLines(dry.result.output).map((line) => line.replace('(new version)', '2'))).toEqual(planLines(real.result.output));
    expect(planLines(real.result.output)).toEqual([
      '[digest-v2] plan update-layers: layers node-deps 1 -> 2',
      expect.stringMatching(/^\[node-deps\] plan publish-layer: content sha256:\w+\.\. not published \(latest is version 1: 1\.0\.0 /),
      expect.stringMatching(/^\[node-deps\] plan upload-artifact: /),
    ]);
    expect(await layerVersions()).toEqual([`${ws.awsName('node-deps')}:2`]);
    expect((await configuration()).CodeSha256).toBe(codeBefore);
    expect(real.writes).not.toContain('UpdateFunctionCode');
    expect(real.writes.filter((op) => op === 'PublishLayerVersion')).toHaveLength(1);
  });

  it('a change to the layer sources cascades the same way, and status reports the function in sync', async () => {
    const codeBefore = (await configuration()).CodeSha256;
    ws.write('layers/node-deps/lib/index.ts', 'export const headline = (count: number): string => `${count} new items today`;\n');
    ws.commit('reword the headline');
    const run = await writesDuring(() => ws.nx(['affected', '-t', 'deploy', '-c', 'local', '--base=HEAD~1']));
    expect(run.result.status, run.result.output).toBe(0);
    expect(await layerVersions()).toEqual([`${ws.awsName('node-deps')}:3`]);
    expect((await configuration()).CodeSha256).toBe(codeBefore);
    expect(run.writes).not.toContain('UpdateFunctionCode');

    const status = await ws.nx(['run', 'digest-v2:status', '-c', 'local', '--json']);
    expect(status.status, status.output).toBe(0);
    const report = JSON.parse(status.output.split('\n').find((line) => line.startsWith('{"project"'))!);
    expect({ code: report.code, layers: report.layers.map((l: { layer: string; attached: number; sync: string }) => [l.layer, l.attached, l.sync]) }).toEqual({ code: 'in sync', layers: [['node-deps', 3, 'in sync']] });
  });

  it('a workspace library the function imports by package name: nx affected lists exactly the function, and its deploy ships new code on the same layer', async () => {
    const before = await configuration();
    const affected = await ws.nx(['show', 'projects', '--affected', '--files=libs/digest-text/index.ts']);
    expect(affected.status, affected.output).toBe(0);
    expect(projectsIn(affected.output)).toEqual(['@digest/text', 'digest-v2']);
    const unused = await ws.nx(['show', 'projects', '--affected', '--files=libs/unused/index.ts']);
    expect(projectsIn(unused.output)).toEqual(['@digest/unused']);

    ws.write('libs/digest-text/index.ts', "export const subject = (title: string): string => `Your digest: ${title}`;\n");
    ws.commit('reword the subject');
    const run = await writesDuring(() => ws.nx(['affected', '-t', 'deploy', '-c', 'local', '--base=HEAD~1']));
    expect(run.result.status, run.result.output).toBe(0);
    expect(run.writes).toContain('UpdateFunctionCode');
    expect(run.writes).not.toContain('PublishLayerVersion');
    const after = await configuration();
    expect(after.CodeSha256).not.toBe(before.CodeSha256);
    expect(await layerVersions()).toEqual([`${ws.awsName('node-deps')}:3`]);
    expect(filesEndingWith(join(ws.root, 'dist'), 'handler.mjs')[0]).toContain('Your digest: ');
  });
});
