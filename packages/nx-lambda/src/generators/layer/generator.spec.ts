import type { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { loadWorkspace, parseLayerConfig, parseVersionFile } from '@vectora/lambda-deploy';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { SAMPLE_APP, sampleAppTree, writeTreeToDisk } from '../shared/test-tree';
import { layerGenerator } from './generator';

let tree: Tree;
const read = (path: string) => tree.read(path, 'utf-8');
const layerConfig = (name: string) => parseLayerConfig(JSON.parse(read(`layers/${name}/layer.json`)!), { project: name, root: `layers/${name}`, file: `layers/${name}/layer.json` });
const snapshot = (t: Tree) => t.listChanges().map((c) => `${c.type} ${c.path} ${c.content?.toString('base64')}`);
const SAMPLE_VERSION = readFileSync(join(SAMPLE_APP, 'VERSION'), 'utf8');

beforeEach(() => {
  tree = sampleAppTree();
});

describe('layer generator: what it writes', () => {
  it('--requirements --sources: a Python layer of both, requirements.txt and a src/ package, that the engine accepts', async () => {
    await layerGenerator(tree, { name: 'shop-core', requirements: true, sources: true });
    expect(layerConfig('shop-core')).toMatchObject({ sources: 'src', requirements: 'requirements.txt', runtimes: ['python3.12'] });
    expect(tree.exists('layers/shop-core/requirements.txt')).toBe(true);
    expect(tree.exists('layers/shop-core/src/shop_core/__init__.py')).toBe(true);
  });

  it('a sources layer by default: layer.json (python3.12, x86_64, src), a package with a real function, and its VERSION line', async () => {
    await layerGenerator(tree, { name: 'billing-core' });
    expect(read('layers/billing-core/layer.json')).toBe('{\n  "runtimes": ["python3.12"],\n  "architectures": ["x86_64"],\n  "sources": "src"\n}\n');
    expect(layerConfig('billing-core')).toMatchObject({ runtimes: ['python3.12'], architectures: ['x86_64'], sources: 'src', requirements: undefined });
    const init = read('layers/billing-core/src/billing_core/__init__.py')!;
    expect(init).toMatch(/^"""The billing-core layer\.\n/);
    expect(init).toContain('import billing_core');
    expect(init).toContain('def greet(name="world"):');
    expect(tree.exists('layers/billing-core/requirements.txt')).toBe(false);
    expect(read('VERSION')).toBe(`${SAMPLE_VERSION}billing-core=0.1.0\n`);
  });

  it('appends to VERSION without touching the existing lines and comments, and the engine reads every entry back', async () => {
    await layerGenerator(tree, { name: 'billing-core', layerVersion: '2.0.0-rc.1' });
    const version = read('VERSION')!;
    expect(version.startsWith(SAMPLE_VERSION)).toBe(true);
    expect(version.slice(SAMPLE_VERSION.length)).toBe('billing-core=2.0.0-rc.1\n');
    const entries = parseVersionFile(version, 'VERSION');
    expect([...entries].map(([name, entry]) => `${name}=${entry.semver}@${entry.line}`)).toEqual(['vectora-core=1.4.2@3', 'common-deps=1.1.0@4', 'billing-core=2.0.0-rc.1@5']);
  });

  it('a requirements layer: requirements.txt holding only comments, no src/, and a layer.json shaped like the sample common-deps', async () => {
    await layerGenerator(tree, { name: 'shared-deps', requirements: true, description: 'Third-party packages shared by the Vectora inbox functions' });
    // Same options as the hand-written sample: same bytes.
    expect(read('layers/shared-deps/layer.json')).toBe(readFileSync(join(SAMPLE_APP, 'layers/common-deps/layer.json'), 'utf8'));
    expect(read('layers/shared-deps/requirements.txt')).toBe('# Installed for Lambda (manylinux x86_64, CPython 3.12, wheels only), not for the build host.\n# One pinned package per line, e.g.:\n# requests==2.32.3\n');
    expect(tree.exists('layers/shared-deps/src')).toBe(false);
    expect(layerConfig('shared-deps')).toMatchObject({ requirements: 'requirements.txt', sources: undefined });
  });

  it('passes runtime, architecture and description through to layer.json and the docstring', async () => {
    await layerGenerator(tree, { name: 'pdf-tools', runtime: 'python3.13', architecture: 'arm64', description: 'PDF "rendering" helpers' });
    expect(layerConfig('pdf-tools')).toMatchObject({ description: 'PDF "rendering" helpers', runtimes: ['python3.13'], architectures: ['arm64'] });
    expect(read('layers/pdf-tools/src/pdf_tools/__init__.py')).toMatch(/^"""PDF "rendering" helpers\.\n/);
    await layerGenerator(tree, { name: 'pdf-deps', requirements: true, runtime: 'python3.11', architecture: 'arm64' });
    expect(read('layers/pdf-deps/requirements.txt')).toContain('(manylinux arm64, CPython 3.11, wheels only)');
  });

  it('creates VERSION with a header comment when the repo has none', async () => {
    tree = createTreeWithEmptyWorkspace();
    await layerGenerator(tree, { name: 'core', layerVersion: '1.0.0' });
    expect(read('VERSION')).toMatch(/^# Layer versions: .*\n(#.*\n)*core=1\.0\.0\n$/);
    expect(parseVersionFile(read('VERSION')!, 'VERSION').get('core')?.semver).toBe('1.0.0');
  });

  it('keeps a VERSION without a final newline, or with CRLF line ends, intact', async () => {
    tree.write('VERSION', 'vectora-core=1.4.2\r\ncommon-deps=1.1.0 # pinned');
    await layerGenerator(tree, { name: 'billing-core' });
    expect(read('VERSION')).toBe('vectora-core=1.4.2\r\ncommon-deps=1.1.0 # pinned\r\nbilling-core=0.1.0\r\n');
  });

  it('leaves a workspace the engine loads whole (layer.json, VERSION and their cross-checks)', async () => {
    await layerGenerator(tree, { name: 'billing-core', layerVersion: '1.0.0' });
    await layerGenerator(tree, { name: 'pdf-deps', requirements: true });
    const root = writeTreeToDisk(tree);
    try {
      const workspace = loadWorkspace(root);
      expect([...workspace.layers.keys()]).toEqual(['billing-core', 'common-deps', 'pdf-deps', 'vectora-core']);
      expect(workspace.versions.get('billing-core')?.semver).toBe('1.0.0');
      expect(workspace.versions.get('pdf-deps')?.semver).toBe('0.1.0');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('layer generator: refusals (nothing written, every problem reported, each with its fix)', () => {
  const refused = async (options: Parameters<typeof layerGenerator>[1]) => {
    const before = snapshot(tree);
    const error = await layerGenerator(tree, options).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error, 'the generator should have refused').toBeInstanceOf(Error);
    expect(snapshot(tree), 'nothing written').toEqual(before);
    return error!.message;
  };

  it.each(['Billing', 'billing_core', 'billing--core', 'billing-', '-billing', '9lives', 'billing core', ''])('an invalid name: %j', async (name) => {
    const message = await refused({ name });
    expect(message).toContain(`error INVALID_NAME: "${name}" is not a valid layer name`);
    expect(message).toContain('fix: use lowercase letters, digits and single dashes, starting with a letter');
  });

  it('a name whose AWS layer name would be over 140 characters in some environment of nx.json', async () => {
    const name = `a${'-bc'.repeat(40)}`; // 121 characters: fits alone, not as vectora-inbox-<name>-staging
    const message = await refused({ name });
    expect(message).toContain(`error NAME_TOO_LONG: the layer name "${name}" gives the AWS layer name "vectora-inbox-${name}-local" (141 characters), over Lambda's limit`);
    expect(message).toContain('fix: choose a shorter name');
  });

  it('a name over 140 characters even without a prefix', async () => {
    tree = createTreeWithEmptyWorkspace();
    expect(await refused({ name: 'a'.repeat(141) })).toContain('error NAME_TOO_LONG');
    await layerGenerator(tree, { name: 'a'.repeat(140) });
  });

  it('a sources layer whose package name would be a Python keyword (fine for a requirements layer)', async () => {
    expect(await refused({ name: 'lambda' })).toContain('"lambda" would ship the Python package "lambda", a reserved word');
    await layerGenerator(tree, { name: 'lambda', requirements: true });
  });

  it('an existing layer project', async () => {
    const message = await refused({ name: 'vectora-core' });
    expect(message).toContain('error PROJECT_EXISTS: layers/vectora-core already exists');
    expect(message).toContain('fix: choose another name');
    // VERSION has it too: both reported at once.
    expect(message).toContain('error VERSION_EXISTS: VERSION:3: already sets a version for "vectora-core" (vectora-core=1.4.2)');
  });

  it('a name a function project already has', async () => {
    expect(await refused({ name: 'ingest-v2' })).toContain('error PROJECT_EXISTS: the project "ingest-v2" already exists (lambdas/ingest-v2)');
  });

  it('a name another Nx project (project.json) already has', async () => {
    tree.write('tools/scripts/project.json', JSON.stringify({ name: 'scripts', root: 'tools/scripts' }));
    expect(await refused({ name: 'scripts' })).toContain('error PROJECT_EXISTS: the Nx project "scripts" already exists (tools/scripts)');
  });

  it('a VERSION line left over for the name', async () => {
    tree.write('VERSION', `${SAMPLE_VERSION}# old\nbilling-core=0.3.0\n`);
    const message = await refused({ name: 'billing-core' });
    expect(message).toContain('error VERSION_EXISTS: VERSION:6: already sets a version for "billing-core" (billing-core=0.3.0)');
    expect(message).toContain('fix: choose another name, or remove line 6 of VERSION if it is left over from a deleted layer');
  });

  it('a malformed VERSION is reported as the engine reports it, not rewritten', async () => {
    tree.write('VERSION', 'vectora-core 1.4.2\n');
    expect(await refused({ name: 'billing-core' })).toContain('error VERSION_MALFORMED: VERSION:1: "vectora-core 1.4.2" is not of the form layer-name=semver');
  });

  it.each(['v1.0.0', '1.0', '01.2.3', '1.0.0 # note', '1.0.0=2', 'latest'])('an invalid semver: %j', async (layerVersion) => {
    const message = await refused({ name: 'billing-core', layerVersion });
    expect(message).toContain(`error INVALID_VERSION: --layerVersion "${layerVersion}" is not a semver version`);
    expect(message).toContain('fix: use MAJOR.MINOR.PATCH');
  });

  it('--version, which the Nx CLI keeps for itself, points to --layerVersion', async () => {
    const message = await refused({ name: 'billing-core', version: false });
    expect(message).toContain('error RESERVED_OPTION: --version is the Nx CLI\'s own flag');
    expect(message).toContain('fix: pass the layer\'s version as --layerVersion=1.2.0');
  });

  it('a runtime or architecture the engine does not support (no schema enum: the tool\'s own codes reach the CLI)', async () => {
    const message = await refused({ name: 'billing-core', runtime: 'python2.7', architecture: 'arm' });
    expect(message).toContain('error INVALID_RUNTIME: --runtime "python2.7" is not supported\n  fix: use one of: python3.9, python3.10, python3.11, python3.12, python3.13');
    expect(message).toContain('error INVALID_ARCHITECTURE: --architecture "arm" is not supported\n  fix: use one of: x86_64, arm64');
  });

  it('--sources without --requirements, or on a Node.js layer', async () => {
    expect(await refused({ name: 'billing-core', sources: true })).toContain('error INVALID_OPTION: --sources alone is the default');
    expect(await refused({ name: 'billing-core', sources: true, requirements: true, runtime: 'nodejs22.x' })).toContain('error INVALID_OPTION: --sources with --requirements is for Python layers');
  });

  it('reports every problem at once', async () => {
    const message = await refused({ name: 'Bad_Name', layerVersion: 'v2' });
    expect(message.match(/^error /gm)).toHaveLength(2);
  });
});
