import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPaths } from '../config/artifact-paths';
import { loadWorkspace } from '../config/workspace';
import { buildLayer, installLayer, packageFunction, packageLayer } from './package-projects';

const FIXTURES = join(__dirname, '../../test/fixtures');
let root: string;
const write = (path: string, content: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
};
const layerTree = (project: string) => join(root, artifactPaths.layerBuildDir(project));
const bundleDir = (project: string) => join(root, artifactPaths.functionBundleDir(project));

/**
 * Runs a bundled handler as Lambda would: CommonJS finds layer packages through NODE_PATH (Lambda sets
 * /opt/nodejs/node_modules); ES modules import absolute /opt/nodejs/... paths, mapped here to the built
 * layer tree by a resolve hook, since this machine has no /opt/nodejs.
 */
async function invoke(file: string, optNodejs: string, event: unknown): Promise<unknown> {
  const hook = join(root, 'opt-hook.mjs');
  writeFileSync(
    hook,
    [
      `const OPT = 'file:///opt/nodejs/';`,
      `const TO = ${JSON.stringify(pathToFileURL(optNodejs).href + '/')};`,
      'export async function resolve(specifier, context, next) {',
      '  const url = specifier.startsWith("/opt/nodejs/") ? "file://" + specifier : specifier;',
      '  return next(url.startsWith(OPT) ? TO + url.slice(OPT.length) : specifier, context);',
      '}',
    ].join('\n'),
  );
  const register = join(root, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hook).href)});\n`);
  const script = `const m = await import(${JSON.stringify(pathToFileURL(file).href)}); const h = m.handler ?? m.default?.handler; console.log(JSON.stringify(await h(${JSON.stringify(event)})));`;
  const result = await execa(process.execPath, ['--import', pathToFileURL(register).href, '--input-type=module', '-e', script], { env: { NODE_PATH: join(optNodejs, 'node_modules') }, reject: false, cwd: tmpdir() });
  if (result.exitCode !== 0) throw new Error(`handler failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'node-package-'));
  write('VERSION', 'node-deps=1.0.0\n');
  cpSync(join(FIXTURES, 'node-layer'), join(root, 'layers/node-deps'), { recursive: true });
  write('layers/node-deps/layer.json', JSON.stringify({ runtimes: ['nodejs22.x'], dependencies: 'package.json', sources: 'lib' }));
  write('layers/node-deps/lib/package.json', JSON.stringify({ name: '@demo/greet', main: 'src/index.ts' }));
  write('layers/node-deps/lib/src/index.ts', "import { suffix } from './suffix';\nexport const greet = (name: string): string => `hello ${name}${suffix}`;\n");
  write('layers/node-deps/lib/src/suffix.ts', "export const suffix: string = '!';\n");
  const handlerBody = "  return { took: ms(60000), greeting: greet(event.name), shout: shout(event.name) };\n}\n";
  write('lambdas/digest-cjs/function.json', JSON.stringify({ runtime: 'nodejs22.x', handler: 'src/handler.handler', layers: ['node-deps'] }));
  write('lambdas/digest-cjs/src/shout.ts', 'export const shout = (text: string): string => text.toUpperCase();\n');
  write('lambdas/digest-cjs/src/handler.ts', `import ms from 'ms';\nimport { greet } from '@demo/greet';\nimport { shout } from './shout';\nexport async function handler(event: { name: string }) {\n${handlerBody}`);
  write('lambdas/digest-esm/function.json', JSON.stringify({ runtime: 'nodejs22.x', handler: 'src/handler.handler', layers: ['node-deps'] }));
  write('lambdas/digest-esm/src/shout.mts', 'export const shout = (text: string): string => text.toUpperCase();\n');
  write('lambdas/digest-esm/src/handler.mts', `import ms from 'ms';\nimport { greet } from '@demo/greet';\nimport { shout } from './shout.mjs';\nexport async function handler(event: { name: string }) {\n${handlerBody}`);
  const workspace = loadWorkspace(root);
  const layer = workspace.layers.get('node-deps')!;
  await installLayer(root, layer, () => {});
  await buildLayer(root, layer);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a Node layer', () => {
  it('holds the production dependencies and the compiled sources package under nodejs/node_modules, nothing else', () => {
    const tree = layerTree('node-deps');
    expect(existsSync(join(tree, 'nodejs/node_modules/ms/index.js'))).toBe(true);
    // is-number is a devDependency: --omit=dev leaves it out.
    expect(existsSync(join(tree, 'nodejs/node_modules/is-number'))).toBe(false);
    expect(existsSync(join(tree, 'nodejs/package.json'))).toBe(false);
    expect(existsSync(join(tree, 'python'))).toBe(false);
    const greet = join(tree, 'nodejs/node_modules/@demo/greet');
    expect(JSON.parse(readFileSync(join(greet, 'package.json'), 'utf8')).main).toBe('src/index.js');
    expect(existsSync(join(greet, 'src/index.ts'))).toBe(false);
    // The repo's sources are never rewritten.
    expect(existsSync(join(root, 'layers/node-deps/lib/src/index.ts'))).toBe(true);
  });

  it('zips to the same bytes when built again from scratch', async () => {
    const layer = loadWorkspace(root).layers.get('node-deps')!;
    const first = await packageLayer(root, layer);
    await installLayer(root, layer, () => {});
    await buildLayer(root, layer);
    const second = await packageLayer(root, layer);
    expect(second.sha256).toBe(first.sha256);
    expect(first.files).toBeGreaterThan(3);
  });

  it('refuses a dependencies file without its lockfile, naming it, before installing anything', async () => {
    const layer = { ...loadWorkspace(root).layers.get('node-deps')!, dependencies: 'other/package.json' };
    write('layers/node-deps/other/package.json', '{"dependencies":{}}');
    await expect(installLayer(root, layer, () => {})).rejects.toMatchObject({ code: 'LOCKFILE_MISSING', message: expect.stringContaining('layers/node-deps/other/package-lock.json') });
  });
});

describe('a bundled Node function', () => {
  for (const [project, format, file] of [['digest-cjs', 'CommonJS', 'src/handler.js'], ['digest-esm', 'ESM', 'src/handler.mjs']] as const) {
    it(`${format}: runs with its layer mounted, the layer's packages left out of the bundle, same bytes twice`, async () => {
      const fn = loadWorkspace(root).functions.get(project)!;
      const first = await packageFunction(root, fn);
      const bundle = readFileSync(join(bundleDir(project), file), 'utf8');
      // ms's own code (its parse function) and the layer library's are not inlined; the function's own module is.
      expect(bundle).not.toMatch(/function parse\(/);
      expect(bundle).not.toContain('hello ');
      expect(bundle).toContain('toUpperCase');
      if (format === 'ESM') expect(bundle).toContain('"/opt/nodejs/node_modules/ms/index.js"');
      else expect(bundle).toMatch(/require\("ms"\)/);
      expect(first.files).toBe(1);
      await expect(invoke(join(bundleDir(project), file), join(layerTree('node-deps'), 'nodejs'), { name: 'ada' })).resolves.toEqual({ took: '1m', greeting: 'hello ada!', shout: 'ADA' });
      expect((await packageFunction(root, fn)).sha256).toBe(first.sha256);
    });
  }

  it('fails with HANDLER_NOT_FOUND naming function.json when the handler names no file', async () => {
    const fn = { ...loadWorkspace(root).functions.get('digest-cjs')!, handler: 'src/missing.handler' };
    await expect(packageFunction(root, fn)).rejects.toMatchObject({ code: 'HANDLER_NOT_FOUND', message: expect.stringContaining('lambdas/digest-cjs/function.json: handler: "src/missing.handler"') });
  });
});

describe('a Node layer with native packages', () => {
  it('installs the optional platform package for linux and the layer architecture, never the build host one', async () => {
    const native = mkdtempSync(join(tmpdir(), 'node-native-'));
    try {
      cpSync(join(FIXTURES, 'node-native-layer'), join(native, 'layers/native'), { recursive: true });
      writeFileSync(join(native, 'VERSION'), 'native=1.0.0\n');
      writeFileSync(join(native, 'layers/native/layer.json'), JSON.stringify({ runtimes: ['nodejs22.x'], architectures: ['arm64'], dependencies: 'package.json' }));
      await installLayer(native, loadWorkspace(native).layers.get('native')!, () => {});
      const modules = join(native, artifactPaths.layerInstallDir('native'), 'nodejs/node_modules/@esbuild');
      expect(existsSync(join(modules, 'linux-arm64/package.json'))).toBe(true);
      expect(existsSync(join(modules, `${process.platform}-${process.arch}`)) && `${process.platform}-${process.arch}` !== 'linux-arm64').toBe(false);
    } finally {
      rmSync(native, { recursive: true, force: true });
    }
  });
});
