// @module-tag e2e
import { execFileSync } from 'node:child_process';
import { execa } from 'execa';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { motoVenvDir, MOTO_VENV_VARIABLE } from '../../packages/local-aws/src/venv';
import { EmulatorLambda, NX_RUN_HANG_MS, REPO_ROOT, type NxResult } from './nx-workspace';

/**
 * What a team with its own Nx workspace does: a brand-new Nx 23 workspace from the npm registry (no
 * file of this repo), the tarballs of `npm run pack` installed into it, `init`, generated layer and
 * functions, a first deploy, then a layer change deployed with `nx affected`. One workspace for the
 * whole file: installing nx is the slow part.
 */
const NX_VERSION = '23.3.1';
const PACKAGES = ['lambda-deploy', 'local-aws', 'nx-lambda'];
const PREFIX = `inst${process.pid % 10000}`;
// Hang bounds, not speed budgets (the test itself has no timeout): one npm command is hung once npm's
// own limits for a single stalled request have passed (fetch-timeout 5 min, tried 1 + fetch-retries 2
// times); an nx run once the tool's own waits have (NX_RUN_HANG_MS).
const INSTALL_HANG_MS = 3 * 5 * 60_000;

let root: string;
let aws: EmulatorLambda;
const tarballs: Record<string, string> = {};

const gitEnv = { GIT_AUTHOR_NAME: 'e2e', GIT_AUTHOR_EMAIL: 'e2e@test', GIT_COMMITTER_NAME: 'e2e', GIT_COMMITTER_EMAIL: 'e2e@test' };
const git = (...args: string[]) => execFileSync('git', args, { cwd: root, env: { ...process.env, ...gitEnv } }).toString();
const commit = (message: string) => {
  git('add', '-A');
  git('commit', '-q', '-m', message);
};
const read = (path: string) => readFileSync(join(root, path), 'utf8');

async function run(file: string, args: string[], opts: { cwd?: string; env?: Record<string, string>; timeout?: number } = {}): Promise<NxResult> {
  const result = await execa(file, args, { cwd: opts.cwd ?? root, reject: false, all: true, timeout: opts.timeout ?? NX_RUN_HANG_MS, env: opts.env });
  // Nx colours its output when CI is set, terminal or not: compare the text only.
  return { status: result.exitCode ?? -1, output: stripVTControlCharacters(result.all ?? '') };
}

/** `nx ...` from the workspace's own node_modules, against the test's moto, never a real account. */
const nx = (args: string[]) =>
  run(join(root, 'node_modules', '.bin', 'nx'), args, {
    env: {
      NX_DAEMON: 'false',
      NX_NO_CLOUD: 'true',
      NX_TUI: 'false',
      AWS_ENDPOINT_URL: inject('motoEndpoint'),
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_PROFILE: '',
    },
  });
const npm = (args: string[]) => run('npm', [...args, '--prefer-offline', '--no-audit', '--no-fund'], { timeout: INSTALL_HANG_MS });
/**
 * The installed emulator tooling's CLI. Its moto comes from the venv the test run already installed
 * (VECTORA_LOCAL_AWS_VENV, as a team shares one between workspaces): a Python install, not this repo's code.
 */
const localAws = (command: string) => run(join(root, 'node_modules', '.bin', 'local-aws'), [command], { env: { [MOTO_VENV_VARIABLE]: motoVenvDir(REPO_ROOT) } });
const awsName = (project: string) => `${PREFIX}-${project}-local`;
const layerVersionsOf = async (fn: string) => (await aws.layersOf(awsName(fn))).map((arn) => arn.split(':').slice(-2).join(':'));

beforeAll(async () => {
  const pack = await run('npm', ['run', 'pack'], { cwd: REPO_ROOT, timeout: INSTALL_HANG_MS });
  expect(pack.status, pack.output).toBe(0);
  for (const name of PACKAGES) tarballs[name] = join(REPO_ROOT, 'dist', 'packages', `vectora-${name}-0.1.0.tgz`);

  // What create-nx-workspace leaves for an empty workspace: package.json with nx, nx.json, .gitignore.
  root = mkdtempSync(join(tmpdir(), 'e2e-install-'));
  writeFileSync(join(root, 'package.json'), `${JSON.stringify({ name: '@acme/source', version: '0.0.0', private: true, devDependencies: { nx: NX_VERSION, '@nx/devkit': NX_VERSION } }, null, 2)}\n`);
  writeFileSync(join(root, 'nx.json'), `${JSON.stringify({ $schema: './node_modules/nx/schemas/nx-schema.json', defaultBase: 'main' }, null, 2)}\n`);
  writeFileSync(join(root, '.gitignore'), 'node_modules\n.nx/cache\n.nx/workspace-data\n');
  const install = await npm(['install']);
  expect(install.status, install.output).toBe(0);
  git('init', '-q', '-b', 'main');
  commit('empty Nx workspace');

  // The team keeps the tarballs it was handed in its repo and installs them from there.
  mkdirSync(join(root, 'vendor'));
  for (const file of Object.values(tarballs)) cpSync(file, join(root, 'vendor', relative(join(REPO_ROOT, 'dist', 'packages'), file)));
  const added = await npm(['install', '-D', ...PACKAGES.map((name) => `./vendor/vectora-${name}-0.1.0.tgz`)]);
  expect(added.status, added.output).toBe(0);
  commit('add @vectora/nx-lambda');
  aws = new EmulatorLambda(inject('motoEndpoint'));
});

afterAll(async () => {
  if (!root) return;
  try {
    // A failed test must not leave the workspace's moto running.
    if (existsSync(join(root, 'node_modules', '.bin', 'local-aws'))) await localAws('stop');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

describe('the packed tarballs', () => {
  const entries = (name: string) => execFileSync('tar', ['tzf', tarballs[name]]).toString().trim().split('\n');

  it('ship compiled JavaScript with declarations, and no sources, tests or build state', () => {
    for (const name of PACKAGES) {
      const files = entries(name);
      expect(files, name).toContain('package/dist/index.js');
      expect(files, name).toContain('package/dist/index.d.ts');
      expect(files.filter((f) => /\.spec\.|\.tsbuildinfo$|^package\/(src|test)\/|(?<!\.d)\.ts$|test-tree/.test(f)), name).toEqual([]);
    }
  });

  it('ship no source maps, nor comments pointing at them (the build makes both; pack takes the build output)', () => {
    for (const name of PACKAGES) {
      expect(entries(name).filter((f) => f.endsWith('.map')), name).toEqual([]);
      const code = execFileSync('tar', ['xzf', tarballs[name], '-O', '--wildcards', '*.js', '*.d.ts'], { maxBuffer: 64 << 20 }).toString();
      expect(code.length, name).toBeGreaterThan(0);
      expect(code, name).not.toContain('sourceMappingURL');
    }
  });

  it('the plugin ships its registries, every schema and template they name, and the emulator tooling its bin', () => {
    const plugin = entries('nx-lambda');
    for (const registry of ['executors.json', 'generators.json']) {
      expect(plugin).toContain(`package/${registry}`);
      const entries = Object.values<Record<string, string>>(JSON.parse(readFileSync(join(REPO_ROOT, 'packages/nx-lambda', registry), 'utf8'))[registry.replace('.json', '')]);
      for (const entry of entries) {
        expect(plugin).toContain(`package/${entry.schema.replace('./', '')}`);
        expect(plugin).toContain(`package/${(entry.implementation ?? entry.factory).replace('./', '')}.js`);
      }
    }
    expect(plugin.filter((f) => f.endsWith('.template')).length).toBeGreaterThanOrEqual(4);
    expect(entries('local-aws')).toContain('package/bin/local-aws.cjs');
    // The emulator's Python requirement ships pinned in the compiled venv module.
    expect(execFileSync('tar', ['xzf', tarballs['local-aws'], '-O', 'package/dist/venv.js']).toString()).toMatch(/moto\[server\]==\d+\.\d+\.\d+/);
  });
});

describe('installed into a brand-new Nx workspace', () => {
  it('the packages are real folders in its node_modules, with the dependencies and peers they declare', () => {
    for (const name of PACKAGES) {
      const folder = join(root, 'node_modules', '@vectora', name);
      expect(lstatSync(folder).isSymbolicLink(), folder).toBe(false);
      expect(realpathSync(folder).startsWith(root), folder).toBe(true);
    }
    const plugin = JSON.parse(read('node_modules/@vectora/nx-lambda/package.json'));
    expect(plugin.peerDependencies).toMatchObject({ nx: expect.stringContaining(NX_VERSION), '@nx/devkit': expect.stringContaining(NX_VERSION) });
    const engine = JSON.parse(read('node_modules/@vectora/lambda-deploy/package.json'));
    for (const dependency of Object.keys(engine.dependencies)) expect(existsSync(join(root, 'node_modules', dependency)), dependency).toBe(true);
  });

  it('loading the plugin, every executor and generator reads nothing of this repo, and needs no TypeScript transpiler', async () => {
    const script = `
      const { join } = require('node:path');
      const pkg = join(require.resolve('@vectora/nx-lambda/package.json'), '..');
      require('@vectora/nx-lambda');
      for (const registry of ['executors', 'generators']) {
        for (const entry of Object.values(require(join(pkg, registry + '.json'))[registry])) require(join(pkg, entry.implementation || entry.factory));
      }
      const transpilers = ['typescript', 'ts-node', '@swc-node/register', 'tsx'].filter((name) => { try { require.resolve(name); return true; } catch { return false; } });
      console.log(JSON.stringify({ loaded: Object.keys(require.cache), transpilers }));`;
    const result = await run(process.execPath, ['-e', script]);
    expect(result.status, result.output).toBe(0);
    const { loaded, transpilers } = JSON.parse(result.output.trim().split('\n').pop()!) as { loaded: string[]; transpilers: string[] };
    const ours = loaded.filter((path) => path.includes('@vectora'));
    expect(ours.length).toBeGreaterThan(50);
    expect(ours.filter((path) => !realpathSync(path).startsWith(realpathSync(join(root, 'node_modules', '@vectora'))))).toEqual([]);
    expect(loaded.filter((path) => realpathSync(path).startsWith(realpathSync(REPO_ROOT)))).toEqual([]);
    expect(transpilers).toEqual([]);
  });

  it('nx g @vectora/nx-lambda:init --dry-run lists the files it would write, and writes none', async () => {
    const result = await nx(['g', '@vectora/nx-lambda:init', `--prefix=${PREFIX}`, '--dry-run']);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toMatch(/UPDATE nx\.json\nCREATE VERSION\nUPDATE \.gitignore/);
    expect(git('status', '--porcelain')).toBe('');
  });

  it('init registers the plugin with a local environment, creates VERSION, ignores .local-aws/ and dist/', async () => {
    const result = await nx(['g', '@vectora/nx-lambda:init', `--prefix=${PREFIX}`]);
    expect(result.status, result.output).toBe(0);
    expect(git('status', '--porcelain').split('\n').filter(Boolean).sort()).toEqual([' M .gitignore', ' M nx.json', '?? VERSION']);
    expect(JSON.parse(read('nx.json')).plugins).toEqual([
      { plugin: '@vectora/nx-lambda', options: { namePrefix: PREFIX, environments: { local: { emulator: true, region: 'us-east-1', artifactBucket: `${PREFIX}-artifacts-local`, createMissingFunctions: true } } } },
    ]);
    expect(read('.gitignore')).toMatch(/^node_modules\n\.nx\/cache\n\.nx\/workspace-data\n\n#.*\n\.local-aws\/\ndist\/\n$/);
    commit('nx g @vectora/nx-lambda:init');
  });

  it('a second init changes nothing', async () => {
    const result = await nx(['g', '@vectora/nx-lambda:init']);
    expect(result.status, result.output).toBe(0);
    expect(git('status', '--porcelain')).toBe('');
  });

  it('the local-aws bin of the emulator tooling starts, reports and stops the moto of this workspace', async () => {
    const before = await localAws('status');
    expect(before.status, before.output).toBe(0);
    expect(before.output).toMatch(/not running for workspace/);
    const started = await localAws('start');
    expect(started.status, started.output).toBe(0);
    const endpoint = /(http:\/\/127\.0\.0\.1:\d+)/.exec(started.output)?.[1];
    expect(endpoint, started.output).toBeDefined();
    expect(await (await fetch(`${endpoint}/moto-api/`)).text()).toMatch(/moto/i);
    expect(started.output).toContain(realpathSync(root));
    expect(started.output).not.toContain(REPO_ROOT);
    const stopped = await localAws('stop');
    expect(stopped.output).toMatch(/stopped/);
    expect((await localAws('status')).output).toMatch(/not running/);
    // Its state lives in .local-aws/, which init ignored.
    expect(git('status', '--porcelain')).toBe('');
  });

  it('the layer and function generators add one layer and two functions on it', async () => {
    for (const args of [['layer', 'core', '--layerVersion=1.0.0'], ['function', 'api', '--layers=core'], ['function', 'worker', '--layers=core']]) {
      const result = await nx(['g', `@vectora/nx-lambda:${args[0]}`, ...args.slice(1), '--no-interactive']);
      expect(result.status, result.output).toBe(0);
    }
    commit('a layer and two functions');
    const shown = await nx(['show', 'projects', '--json']);
    expect(JSON.parse(shown.output.slice(shown.output.indexOf('['))).sort()).toEqual(['api', 'core', 'worker']);
  });

  it('nx run-many -t deploy -c local publishes the layer and creates both functions on it', async () => {
    const result = await nx(['run-many', '-t', 'deploy', '-c', 'local', '--output-style=static']);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toMatch(/Deploy summary \(local\): 3 updated/);
    for (const fn of ['api', 'worker']) expect(await layerVersionsOf(fn)).toEqual([`${awsName('core')}:1`]);
    // The report lands in the ignored dist/: the run leaves the work tree clean.
    expect(git('status', '--porcelain')).toBe('');
  });

  it('a committed change to the layer: nx affected publishes version 2 and moves both functions to it', async () => {
    writeFileSync(join(root, 'layers/core/src/core/__init__.py'), `${read('layers/core/src/core/__init__.py')}\nGREETING = "hello again"\n`);
    commit('change the core layer');
    const result = await nx(['affected', '-t', 'deploy', '-c', 'local', '--base=HEAD~1', '--head=HEAD', '--output-style=static']);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toMatch(/\[api\] layers core 1 -> 2/);
    expect(result.output).toMatch(/\[worker\] layers core 1 -> 2/);
    expect((await aws.versionsOf(awsName('core'))).map((v) => v.Version).sort()).toEqual([1, 2]);
    for (const fn of ['api', 'worker']) expect(await layerVersionsOf(fn)).toEqual([`${awsName('core')}:2`]);
  });

  it('...and the workspace still holds no file of this repo and no link to it', () => {
    const links = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const path = join(dir, entry.name);
        if (entry.isSymbolicLink()) return realpathSync(path).startsWith(REPO_ROOT) ? [path] : [];
        return entry.isDirectory() ? links(path) : [];
      });
    expect(links(root)).toEqual([]);
  });
});
