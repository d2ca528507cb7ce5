import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeInstallStamp } from '../artifact/install-stamp';
import { artifactPaths } from '../config/artifact-paths';
import { parseFunctionConfig, parseFunctionDefaults, type FunctionConfig } from '../config/function-config';
import { functionInstallKey, installFunction, packageFunction } from './package-projects';

let root: string;
const FILE = 'lambdas/cart/function.json';
const write = (path: string, content: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
};
const fn = (raw: Record<string, unknown>): FunctionConfig => parseFunctionConfig({ runtime: 'python3.12', handler: 'app.handler', ...raw }, { project: 'cart', root: 'lambdas/cart', file: FILE });
const installDir = () => join(root, artifactPaths.functionInstallDir('cart'));

/** What the install step leaves: pip's tree under packages/ and the stamp of the inputs it was made for. */
function fakeInstalled(config: FunctionConfig, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) write(`${artifactPaths.functionInstallDir('cart')}/packages/${path}`, content);
  writeInstallStamp(installDir(), functionInstallKey(config)!, join(root, config.root));
}

/** Names and one member's text, read by Python's zipfile (not by our writer). */
function readZip(member: string): { names: string[]; text: string } {
  const script = 'import json,sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); print(json.dumps({"names": sorted(z.namelist()), "text": z.read(sys.argv[2]).decode()}))';
  return JSON.parse(execFileSync('python3', ['-c', script, join(root, artifactPaths.functionPackageDir('cart'), 'function.zip'), member]).toString());
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'function-requirements-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('function.json "requirements"', () => {
  it('is keyed on exactly the file, the runtime\'s Python version and the architecture', () => {
    expect(functionInstallKey(fn({ requirements: 'requirements.txt', runtime: 'python3.11', architecture: 'arm64', memory: 256 }))).toEqual({ requirements: 'requirements.txt', pythonVersion: '3.11', architecture: 'arm64' });
    expect(functionInstallKey(fn({}))).toBeUndefined();
  });

  it('is refused with file and key on a Node function, an absolute path or one leaving the workspace, and in defaults.json', () => {
    expect(() => fn({ runtime: 'nodejs22.x', handler: 'src/handler.handler', requirements: 'requirements.txt' })).toThrow(`${FILE}: requirements: is for Python functions, this one runs nodejs22.x`);
    expect(() => fn({ requirements: '/etc/requirements.txt' })).toThrow(`${FILE}: requirements`);
    expect(() => fn({ requirements: '../../../requirements.txt' })).toThrow(`${FILE}: requirements: "../../../requirements.txt" leaves the workspace`);
    expect(() => parseFunctionDefaults({ requirements: 'requirements.txt' }, 'lambdas/defaults.json')).toThrow('lambdas/defaults.json: requirements');
    expect(() => fn({ environments: { prod: { requirements: 'prod.txt' } } })).toThrow(`${FILE}: environments.prod: requirements`);
    expect(() => fn({ requirements: 'requirements.txt', environments: { prod: { runtime: 'python3.13' } } })).toThrow(`${FILE}: environments.prod.runtime: differs from "runtime" while "requirements" is set`);
    expect(fn({ requirements: 'requirements.txt', environments: { prod: { runtime: 'python3.12', memory: 512 } } }).requirements).toBe('requirements.txt');
  });

  it('packages the installed packages with the source on top: a source file wins a path clash, excludes apply to both, the stamp stays out', async () => {
    const config = fn({ requirements: 'requirements.txt', excludes: ['**/*.md'] });
    write('lambdas/cart/requirements.txt', 'six==1.16.0\n');
    write('lambdas/cart/app.py', 'def handler(e, c): return 1\n');
    write('lambdas/cart/six.py', '# ours\n');
    write('lambdas/cart/tests/test_app.py', 'assert True\n');
    fakeInstalled(config, { 'six.py': '# pip\n', 'yaml/__init__.py': 'Y = 1\n', 'yaml/README.md': 'docs\n' });
    const manifest = await packageFunction(root, config);
    const zip = readZip('six.py');
    expect(zip.text).toBe('# ours\n');
    expect(zip.names).toEqual(['app.py', 'requirements.txt', 'six.py', 'yaml/__init__.py']);
    expect(manifest.files).toBe(4);
    // Same inputs, same bytes: the assembled tree is rebuilt from scratch each time.
    const again = await packageFunction(root, config);
    expect(again.sha256).toBe(manifest.sha256);
  });

  it('packages a shared source folder over the function\'s own installed requirements', async () => {
    const config = fn({ requirements: 'requirements.txt', source: '../../services/cart' });
    write('lambdas/cart/requirements.txt', 'six==1.16.0\n');
    write('services/cart/cart_get.py', 'X = 1\n');
    fakeInstalled(config, { 'six.py': '# pip\n' });
    await packageFunction(root, config);
    expect(readZip('cart_get.py').names).toEqual(['cart_get.py', 'six.py']);
  });

  it('refuses to package before install ran or after the requirements changed, naming the file and the target to run', async () => {
    const config = fn({ requirements: 'requirements.txt' });
    write('lambdas/cart/requirements.txt', 'six==1.16.0\n');
    write('lambdas/cart/app.py', '');
    await expect(packageFunction(root, config)).rejects.toMatchObject({ code: 'INSTALL_MISSING', message: expect.stringContaining(FILE), hint: expect.stringContaining('nx run cart:package') });
    fakeInstalled(config, { 'six.py': '' });
    write('lambdas/cart/requirements.txt', 'six==1.17.0\n');
    await expect(packageFunction(root, config)).rejects.toMatchObject({ code: 'INSTALL_STALE', message: expect.stringContaining('requirementsSha256') });
    await expect(packageFunction(root, fn({ requirements: 'requirements.txt', runtime: 'python3.13' }))).rejects.toMatchObject({ code: 'INSTALL_STALE', message: expect.stringContaining('pythonVersion') });
  });

  it('install names the function file and key when the requirements file is missing', async () => {
    await expect(installFunction(root, fn({ requirements: 'requirements.txt' }), () => {})).rejects.toMatchObject({ code: 'REQUIREMENTS_MISSING', message: `${FILE}: requirements: lambdas/cart/requirements.txt not found` });
  });
});
