import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeInstallStamp } from '../artifact/install-stamp';
import { artifactPaths } from '../config/artifact-paths';
import { parseLayerConfig, type LayerConfig } from '../config/layer-config';
import { buildLayer, layerInstallKey } from './package-projects';

let root: string;
const write = (path: string, content: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
};
const layer = (raw: Record<string, unknown>): LayerConfig => parseLayerConfig(raw, { project: 'deps', root: 'layers/deps', file: 'layers/deps/layer.json' });
const installDir = () => join(root, artifactPaths.layerInstallDir('deps'));
const built = (path: string) => readFileSync(join(root, artifactPaths.layerBuildDir('deps'), 'python', path), 'utf8');

/** What the install step leaves: pip's tree under python/ and the stamp of the inputs it was made for. */
function fakeInstalled(config: LayerConfig, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) write(`${artifactPaths.layerInstallDir('deps')}/python/${path}`, content);
  writeInstallStamp(installDir(), layerInstallKey(config)!, join(root, config.root));
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'build-layer-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('buildLayer with requirements', () => {
  const raw = { sources: 'src', requirements: 'requirements.txt', excludes: ['**/*.md'] };

  it('assembles the installed tree and the sources; a source wins over an installed file of the same path; excludes apply to both', async () => {
    const config = layer(raw);
    write('layers/deps/requirements.txt', 'six==1.16.0\n');
    write('layers/deps/src/shop/cart.py', 'CART = 1\n');
    write('layers/deps/src/six.py', '# ours\n');
    fakeInstalled(config, { 'six.py': '# pip\n', 'yaml/__init__.py': 'Y = 1\n', 'yaml/README.md': 'docs\n' });
    const result = await buildLayer(root, config);
    expect(result.files).toBe(3);
    expect(built('shop/cart.py')).toBe('CART = 1\n');
    expect(built('yaml/__init__.py')).toBe('Y = 1\n');
    expect(built('six.py')).toBe('# ours\n');
    expect(() => built('yaml/README.md')).toThrow();
    // The installed tree itself is left as it was: the next build links from it again.
    expect(readFileSync(join(installDir(), 'python', 'six.py'), 'utf8')).toBe('# pip\n');
    expect(statSync(join(root, artifactPaths.layerBuildDir('deps'), 'python', 'yaml', '__init__.py')).mode & 0o777).toBe(statSync(join(installDir(), 'python', 'yaml', '__init__.py')).mode & 0o777);
  });

  it('refuses to build before install ran, naming the layer file and the target to run', async () => {
    write('layers/deps/requirements.txt', 'six==1.16.0\n');
    write('layers/deps/src/a.py', '');
    await expect(buildLayer(root, layer(raw))).rejects.toMatchObject({ code: 'INSTALL_MISSING', message: expect.stringContaining('layers/deps/layer.json'), hint: expect.stringContaining('nx run deps:install') });
  });

  it('names the requirements file when it is missing', async () => {
    write('layers/deps/src/a.py', '');
    await expect(buildLayer(root, layer(raw))).rejects.toMatchObject({ code: 'REQUIREMENTS_MISSING', message: expect.stringContaining('requirements.txt') });
  });

  it('refuses an installed tree made for other requirements or another architecture', async () => {
    write('layers/deps/requirements.txt', 'six==1.16.0\n');
    write('layers/deps/src/a.py', '');
    fakeInstalled(layer(raw), { 'six.py': '' });
    write('layers/deps/requirements.txt', 'six==1.17.0\n');
    await expect(buildLayer(root, layer(raw))).rejects.toMatchObject({ code: 'INSTALL_STALE', message: expect.stringContaining('requirementsSha256') });
    await expect(buildLayer(root, layer({ ...raw, architectures: ['arm64'] }))).rejects.toMatchObject({ code: 'INSTALL_STALE', message: expect.stringContaining('architecture') });
  });
});
