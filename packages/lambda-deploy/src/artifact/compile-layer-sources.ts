import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { esbuild } from '../util/lazy-modules';
import { DeployError } from '../errors';

const TYPESCRIPT = /(?<!\.d)\.(ts|mts|cts)$/;
const JS_EXTENSION: Record<string, string> = { ts: 'js', mts: 'mjs', cts: 'cjs' };

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** `src/index.ts` -> `src/index.js`, in package.json's entry fields, so the compiled package resolves to its output. */
function renameEntries(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(TYPESCRIPT, (_match, ext: string) => `.${JS_EXTENSION[ext]}`);
  if (Array.isArray(value)) return value.map(renameEntries);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, key === 'types' ? inner : renameEntries(inner)]));
  return value;
}

/**
 * A Node layer's `sources` package, compiled in place in the layer tree (a copy, never the repo's
 * files): each TypeScript file becomes the JavaScript file beside it, in the module system of its
 * package ("type": "module" or .mts: ESM; else CommonJS), so functions load it from
 * /opt/nodejs/node_modules without a build step of their own. No declarations: functions bundle
 * against the library's sources in the workspace, the layer only has to run.
 */
export async function compileLayerSources(packageDir: string, file: string): Promise<void> {
  const manifestPath = join(packageDir, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
  const esmPackage = manifest.type === 'module';
  for (const path of filesUnder(packageDir).filter((p) => TYPESCRIPT.test(p))) {
    const ext = path.match(TYPESCRIPT)![1];
    const format = ext === 'mts' || (ext === 'ts' && esmPackage) ? 'esm' : 'cjs';
    const out = path.replace(TYPESCRIPT, `.${JS_EXTENSION[ext]}`);
    if (existsSync(out)) continue;
    const result = await esbuild().transform(readFileSync(path, 'utf8'), { loader: 'ts', format, platform: 'node', sourcefile: path.slice(packageDir.length + 1) }).catch((error: { message?: string }) => {
      throw new DeployError('LAYER_SOURCES_INVALID', `${file}: sources: ${path.slice(packageDir.length + 1)} does not compile: ${error.message ?? String(error)}`, 'fix the TypeScript error named', error);
    });
    writeFileSync(out, result.code);
    await rm(path);
  }
  for (const field of ['main', 'module', 'exports', 'bin']) {
    if (manifest[field] !== undefined) manifest[field] = renameEntries(manifest[field]);
  }
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
}
