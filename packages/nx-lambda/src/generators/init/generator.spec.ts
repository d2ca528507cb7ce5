import { readNxJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { loadWorkspace, parseVersionFile, resolveEnvironment } from '@vectora/lambda-deploy';
import { rmSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { functionGenerator } from '../function/generator';
import { layerGenerator } from '../layer/generator';
import { writeTreeToDisk } from '../shared/test-tree';
import { initGenerator } from './generator';

let tree: Tree;
const read = (path: string) => tree.read(path, 'utf-8');
/** The files whose content `run` changed (createTreeWithEmptyWorkspace's own files are changes of the tree too). */
async function filesChangedBy(run: () => Promise<void>): Promise<string[]> {
  const before = new Map(tree.listChanges().map((c) => [c.path, c.content?.toString('base64')]));
  await run();
  return tree
    .listChanges()
    .filter((c) => before.get(c.path) !== c.content?.toString('base64'))
    .map((c) => `${before.has(c.path) ? 'UPDATE' : 'CREATE'} ${c.path}`)
    .sort();
}
const snapshot = (t: Tree) => t.listChanges().map((c) => `${c.type} ${c.path} ${c.content?.toString('base64')}`);
const pluginEntries = () => (readNxJson(tree)?.plugins ?? []).filter((p) => (typeof p === 'string' ? p : p.plugin) === '@vectora/nx-lambda');
interface InitEntry {
  options: { namePrefix: string; environments: { local: Record<string, unknown> & { artifactBucket: string } } };
}
const initEntry = () => pluginEntries()[0] as unknown as InitEntry;

beforeEach(() => {
  tree = createTreeWithEmptyWorkspace();
  tree.write('package.json', JSON.stringify({ name: '@acme/platform', private: true }));
});

describe('init generator: a workspace that has none of it', () => {
  it('registers the plugin with a namePrefix and a local emulator environment the engine accepts', async () => {
    await initGenerator(tree, {});
    expect(pluginEntries()).toEqual([
      {
        plugin: '@vectora/nx-lambda',
        options: {
          namePrefix: 'acme-platform',
          environments: { local: { emulator: true, region: 'us-east-1', artifactBucket: 'acme-platform-artifacts-local', createMissingFunctions: true } },
        },
      },
    ]);
    expect(resolveEnvironment(initEntry().options, 'local', {})).toMatchObject({ name: 'local', emulator: true, namePrefix: 'acme-platform', createMissingFunctions: true });
  });

  it('keeps the rest of nx.json, and the plugins already registered, in order', async () => {
    const before = readNxJson(tree)!;
    tree.write('nx.json', JSON.stringify({ ...before, plugins: ['@nx/js/typescript', { plugin: '@nx/eslint/plugin', options: { targetName: 'lint' } }] }, null, 2));
    await initGenerator(tree, {});
    const after = readNxJson(tree)!;
    expect(after.plugins?.slice(0, 2)).toEqual(['@nx/js/typescript', { plugin: '@nx/eslint/plugin', options: { targetName: 'lint' } }]);
    expect(after.plugins).toHaveLength(3);
    expect({ ...after, plugins: undefined }).toEqual({ ...before, plugins: undefined });
  });

  it('creates nx.json when the workspace has none (Nx then runs from package.json alone)', async () => {
    tree.delete('nx.json');
    await initGenerator(tree, {});
    expect(JSON.parse(read('nx.json')!).plugins).toEqual([expect.objectContaining({ plugin: '@vectora/nx-lambda' })]);
  });

  it('creates VERSION holding only its comment header: no layers yet, and the engine reads it', async () => {
    await initGenerator(tree, {});
    const version = read('VERSION')!;
    expect(version).toMatch(/^(#.*\n)+$/);
    expect(parseVersionFile(version, 'VERSION').size).toBe(0);
  });

  it('creates a .gitignore ignoring .local-aws/ and dist/ when there is none', async () => {
    expect(tree.exists('.gitignore')).toBe(false);
    await initGenerator(tree, {});
    const lines = read('.gitignore')!.split('\n');
    expect(lines.filter((line) => !line.startsWith('#'))).toEqual(['.local-aws/', 'dist/', '']);
  });

  it('appends only the missing lines to an existing .gitignore, keeping its lines and line ends', async () => {
    tree.write('.gitignore', 'node_modules\r\n/dist');
    await initGenerator(tree, {});
    expect(read('.gitignore')).toMatch(/^node_modules\r\n\/dist\r\n\r\n#[^\r\n]*\r\n\.local-aws\/\r\n$/);
  });

  it('writes nx.json, VERSION and .gitignore, and nothing else', async () => {
    expect(await filesChangedBy(() => initGenerator(tree, {}))).toEqual(['CREATE .gitignore', 'CREATE VERSION', 'UPDATE nx.json']);
  });

  it('leaves a workspace the engine loads, in which the layer and function generators work', async () => {
    await initGenerator(tree, {});
    await layerGenerator(tree, { name: 'core' });
    await functionGenerator(tree, { name: 'send-digest', layers: 'core' });
    expect(read('VERSION')).toMatch(/\ncore=0\.1\.0\n$/);
    const root = writeTreeToDisk(tree);
    try {
      const workspace = loadWorkspace(root);
      expect([...workspace.layers.keys()]).toEqual(['core']);
      expect(workspace.functions.get('send-digest')?.layers).toEqual(['core']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('init generator: a second run, and a workspace that has some of it', () => {
  it('changes nothing the second time', async () => {
    await initGenerator(tree, {});
    expect(await filesChangedBy(() => initGenerator(tree, {}))).toEqual([]);
    expect(await filesChangedBy(() => initGenerator(tree, { prefix: 'other' }))).toEqual([]);
  });

  it('never rewrites an existing plugin entry, in either spelling', async () => {
    for (const entry of ['@vectora/nx-lambda', { plugin: '@vectora/nx-lambda', options: { namePrefix: 'mine', environments: { dev: { region: 'eu-west-1' } } } }]) {
      tree.write('nx.json', JSON.stringify({ plugins: [entry] }));
      await initGenerator(tree, { prefix: 'other' });
      expect(readNxJson(tree)?.plugins).toEqual([entry]);
    }
  });

  it('keeps an existing VERSION and a .gitignore that already ignores both folders', async () => {
    tree.write('VERSION', 'core=1.2.3\n');
    tree.write('.gitignore', '.local-aws\ndist/\n');
    await initGenerator(tree, {});
    expect(read('VERSION')).toBe('core=1.2.3\n');
    expect(read('.gitignore')).toBe('.local-aws\ndist/\n');
  });
});

describe('init generator: the name prefix', () => {
  it.each([
    ['@acme/platform', 'acme-platform'],
    ['@acme/source', 'acme'],
    ['Billing_Service', 'billing-service'],
    ['123-go', 'go'],
    ['a-workspace-name-that-goes-on-and-on-and-on', 'a-workspace-name-that-goes-on-an'],
  ])('package.json "%s" gives %s', async (name, prefix) => {
    tree.write('package.json', JSON.stringify({ name }));
    await initGenerator(tree, {});
    expect(initEntry().options.namePrefix).toBe(prefix);
    expect(initEntry().options.environments.local.artifactBucket).toBe(`${prefix}-artifacts-local`);
  });

  it('--prefix wins over the workspace name', async () => {
    await initGenerator(tree, { prefix: 'billing' });
    expect(pluginEntries()).toMatchObject([{ options: { namePrefix: 'billing', environments: { local: { artifactBucket: 'billing-artifacts-local' } } } }]);
  });

  it.each(['Billing', 'billing_core', 'billing--core', '-billing', '9lives', 'bill ing', ''])('refuses --prefix %j before writing anything', async (prefix) => {
    const before = snapshot(tree);
    await expect(initGenerator(tree, { prefix })).rejects.toThrow(`error INVALID_PREFIX: --prefix "${prefix}" is not a valid name prefix`);
    expect(snapshot(tree)).toEqual(before);
  });

  it('refuses a prefix too long for Lambda names, with the limit', async () => {
    await expect(initGenerator(tree, { prefix: `a${'-b'.repeat(20)}` })).rejects.toThrow(/has 41 characters, more than 32\n.*fix: choose a shorter prefix/);
  });

  it('asks for --prefix when neither package.json nor the folder name gives one', async () => {
    tree.write('package.json', JSON.stringify({ name: '@123/source' }));
    Object.defineProperty(tree, 'root', { value: '/work/2024' });
    await expect(initGenerator(tree, {})).rejects.toThrow(/error PREFIX_MISSING: .*\n.*fix: pass one, e.g. --prefix=my-app/);
    expect(tree.exists('VERSION')).toBe(false);
  });
});
