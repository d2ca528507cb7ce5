import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * What each shipped package's code may import once installed on its own: Node's builtins, its own
 * files, and the packages its package.json declares (dependencies and peers), by their root only. A
 * deep path into the engine (`@vectora/lambda-deploy/src/...`, `../../lambda-deploy/...`) or an
 * undeclared package works inside this repo's workspaces and breaks in a user's node_modules.
 */
const PACKAGES_DIR = join(__dirname, '..', '..', 'packages');
const SHIPPED = ['lambda-deploy', 'local-aws', 'nx-lambda'];

interface Import {
  file: string;
  specifier: string;
}

/** The files a package ships compiled: its sources minus tests and test helpers (see tsconfig.build.json). */
function shippedSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return shippedSources(path);
    return /\.ts$/.test(name) && !/\.spec\.ts$|^test-tree\.ts$/.test(name) ? [path] : [];
  });
}

/** Every module specifier of a file: static imports and exports, require(), import(), import types. */
function importsOf(file: string): Import[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.map((ref) => ({ file, specifier: ref.fileName }));
}

function packageJson(name: string): { name: string; version: string; dependencies?: Record<string, string>; peerDependencies?: Record<string, string> } {
  return JSON.parse(readFileSync(join(PACKAGES_DIR, name, 'package.json'), 'utf8'));
}

const isBuiltin = (specifier: string) => specifier.startsWith('node:') || builtinModules.includes(specifier);
const packageRootOf = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

/** The imports that would not resolve, or would reach past a package's root, once `name` is installed on its own. */
function violations(name: string, imports: Import[] = shippedSources(join(PACKAGES_DIR, name, 'src')).flatMap(importsOf)): string[] {
  const src = join(PACKAGES_DIR, name, 'src');
  const manifest = packageJson(name);
  const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
  const where = (i: Import) => `${relative(PACKAGES_DIR, i.file)}: '${i.specifier}'`;
  return imports.flatMap((i) => {
    if (isBuiltin(i.specifier)) return [];
    if (i.specifier.startsWith('.')) {
      const target = resolve(dirname(i.file), i.specifier);
      return target.startsWith(`${src}/`) ? [] : [`${where(i)} leaves the package's src/`];
    }
    const pkg = packageRootOf(i.specifier);
    if (!declared.has(pkg)) return [`${where(i)}: ${pkg} is not in ${manifest.name}'s dependencies or peerDependencies`];
    if (pkg.startsWith('@vectora/') && i.specifier !== pkg) return [`${where(i)}: import ${pkg} (its public index), not a path inside it`];
    return [];
  });
}

describe('imports of the shipped packages, as installed on their own', () => {
  it.each(SHIPPED)('%s imports only builtins, its own files and its declared packages', (name) => {
    expect(shippedSources(join(PACKAGES_DIR, name, 'src')).length).toBeGreaterThan(5);
    expect(violations(name)).toEqual([]);
  });

  it('the plugin reaches the engine and the emulator tooling through their package roots only, and depends on their current versions', () => {
    const plugin = packageJson('nx-lambda');
    const vectora = shippedSources(join(PACKAGES_DIR, 'nx-lambda', 'src'))
      .flatMap(importsOf)
      .map((i) => i.specifier)
      .filter((specifier) => specifier.startsWith('@vectora/'));
    expect([...new Set(vectora)].sort()).toEqual(['@vectora/lambda-deploy', '@vectora/local-aws']);
    expect(plugin.dependencies).toEqual({ '@vectora/lambda-deploy': packageJson('lambda-deploy').version, '@vectora/local-aws': packageJson('local-aws').version });
  });

  it('the engine knows nothing of Nx', () => {
    const nx = shippedSources(join(PACKAGES_DIR, 'lambda-deploy', 'src'))
      .flatMap(importsOf)
      .filter((i) => /^(nx|@nx\/)/.test(i.specifier));
    expect(nx).toEqual([]);
  });

  it('finds a deep engine path, a path out of the package and an undeclared package', () => {
    const file = join(PACKAGES_DIR, 'nx-lambda', 'src', 'graph', 'probe.ts');
    const text = "import { a } from '@vectora/lambda-deploy/src/config';\nconst b = require('../../../lambda-deploy/src/errors');\nexport * from '@aws-sdk/client-lambda';\nimport type { C } from './plugin-options';\nimport('node:fs');";
    const imports = ts.preProcessFile(text, true, true).importedFiles.map((ref) => ({ file, specifier: ref.fileName }));
    expect(violations('nx-lambda', imports)).toEqual([
      "nx-lambda/src/graph/probe.ts: '@vectora/lambda-deploy/src/config': import @vectora/lambda-deploy (its public index), not a path inside it",
      "nx-lambda/src/graph/probe.ts: '../../../lambda-deploy/src/errors' leaves the package's src/",
      "nx-lambda/src/graph/probe.ts: '@aws-sdk/client-lambda': @aws-sdk/client-lambda is not in @vectora/nx-lambda's dependencies or peerDependencies",
    ]);
  });
});
