import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { Message, Plugin } from 'esbuild';
import { esbuild } from '../util/lazy-modules';
import { DeployError } from '../errors';
import { nodeMajorOf } from '../config/runtimes';

export type ModuleFormat = 'cjs' | 'esm';

/** A Node layer as the bundler sees it: its built `nodejs/` folder and the packages it provides. */
export interface BundleLayer {
  name: string;
  /** The layer tree's `nodejs/` folder: what Lambda mounts at /opt/nodejs. */
  nodejsDir: string;
  packages: string[];
}

export interface BundleInput {
  /** The function's code folder (absolute). */
  sourceDir: string;
  /** `src/handler.handler`: module path, then the exported function. */
  handler: string;
  runtime: string;
  layers: BundleLayer[];
  outDir: string;
  /** function.json, for error messages. */
  file: string;
}

const ENTRY_EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.jsx'];
/** Where Lambda mounts layers: a layer's `nodejs/` is /opt/nodejs. */
const LAYER_MOUNT = '/opt/nodejs';
// Lambda's Node runtimes ship AWS SDK v3: bundling it would only add megabytes.
const RUNTIME_PROVIDED = ['@aws-sdk/*'];
// ESM output has no `require`; a bundled CommonJS dependency calling require('node:fs') needs one.
const ESM_REQUIRE_BANNER = "import { createRequire as __lambdaCreateRequire } from 'node:module';\nconst require = __lambdaCreateRequire(import.meta.url);";

/** The handler's source file: `src/handler.handler` -> the first of src/handler.ts, .mts, ... that exists. */
export function handlerEntry(sourceDir: string, handler: string, file: string): string {
  const modulePath = handler.slice(0, handler.lastIndexOf('.'));
  const found = ENTRY_EXTENSIONS.map((ext) => join(sourceDir, modulePath + ext)).find((path) => existsSync(path));
  if (!found) {
    throw new DeployError('HANDLER_NOT_FOUND', `${file}: handler: "${handler}" names no file (looked for ${modulePath}{${ENTRY_EXTENSIONS.join(',')}} in ${sourceDir})`, `create ${modulePath}.ts, or set "handler" to <path without extension>.<exported function>`);
  }
  return found;
}

/**
 * ESM when the handler source says so (.mts/.mjs, or "type": "module" in the nearest package.json up to
 * the code folder), CommonJS otherwise: the bundle keeps the module system its source was written in.
 */
export function moduleFormatOf(entry: string, sourceDir: string): ModuleFormat {
  if (/\.m[jt]s$/.test(entry)) return 'esm';
  if (/\.c[jt]s$/.test(entry)) return 'cjs';
  for (let dir = dirname(entry); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: string }).type === 'module' ? 'esm' : 'cjs';
    if (dir === sourceDir || dirname(dir) === dir) return 'cjs';
  }
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * ES modules ignore NODE_PATH, so a bare `import 'pkg'` from /var/task never finds /opt/nodejs/node_modules.
 * Each import of a layer package is resolved here against the built layer, exactly as Node would
 * (esbuild's resolver, `import` conditions), and written as the absolute /opt/nodejs/... path Lambda mounts.
 */
function layerPathsPlugin(layers: BundleLayer[]): Plugin {
  return {
    name: 'layer-paths',
    setup(pluginBuild) {
      for (const layer of layers) {
        if (layer.packages.length === 0) continue;
        const filter = new RegExp(`^(${layer.packages.map(escapeRegExp).join('|')})(/.*)?$`);
        pluginBuild.onResolve({ filter }, async (args) => {
          if (args.pluginData === 'layer-paths') return undefined;
          const resolved = await pluginBuild.resolve(args.path, { kind: args.kind, resolveDir: layer.nodejsDir, pluginData: 'layer-paths' });
          if (resolved.errors.length > 0) return { errors: resolved.errors };
          const inLayer = relative(layer.nodejsDir, resolved.path).split(sep).join('/');
          return { path: `${LAYER_MOUNT}/${inLayer}`, external: true };
        });
      }
    },
  };
}

function describeMessage(message: Message): string {
  const where = message.location ? `${message.location.file}:${message.location.line}:${message.location.column}: ` : '';
  return `${where}${message.text}`;
}

/**
 * Bundles a Node handler into one file at the handler's own path (`src/handler.js`, `.mjs` for ESM),
 * so the handler string of function.json is the one Lambda gets. Deterministic: no timestamps, no
 * absolute paths (comments are relative to the code folder), no source map.
 */
export async function bundleFunction(input: BundleInput): Promise<{ outFile: string; format: ModuleFormat; externals: string[] }> {
  const entry = handlerEntry(input.sourceDir, input.handler, input.file);
  const format = moduleFormatOf(entry, input.sourceDir);
  const modulePath = input.handler.slice(0, input.handler.lastIndexOf('.'));
  const outFile = join(input.outDir, `${modulePath}.${format === 'esm' ? 'mjs' : 'js'}`);
  const layerPackages = [...new Set(input.layers.flatMap((layer) => layer.packages))].sort();
  await rm(input.outDir, { recursive: true, force: true });
  const result = await esbuild().build({
    entryPoints: [entry],
    outfile: outFile,
    absWorkingDir: input.sourceDir,
    bundle: true,
    platform: 'node',
    target: `node${nodeMajorOf(input.runtime)}`,
    format,
    // CommonJS: bare requires of layer packages resolve through Lambda's NODE_PATH (/opt/nodejs/node_modules).
    external: format === 'cjs' ? [...RUNTIME_PROVIDED, ...layerPackages] : RUNTIME_PROVIDED,
    plugins: format === 'esm' ? [layerPathsPlugin(input.layers)] : [],
    banner: format === 'esm' ? { js: ESM_REQUIRE_BANNER } : undefined,
    sourcemap: false,
    metafile: false,
    logLevel: 'silent',
    write: true,
  }).catch((error: { errors?: Message[] }) => {
    const messages = (error.errors ?? []).map(describeMessage);
    throw new DeployError('BUNDLE_FAILED', `${input.file}: esbuild could not bundle ${relative(input.sourceDir, entry)}: ${messages.slice(0, 3).join(' | ') || String(error)}`, 'fix the import or syntax error named; a package the function imports must be installed in the workspace or provided by one of its Node layers', error);
  });
  if (result.errors.length > 0) {
    throw new DeployError('BUNDLE_FAILED', `${input.file}: esbuild could not bundle: ${result.errors.map(describeMessage).join(' | ')}`, 'fix the errors named');
  }
  return { outFile, format, externals: [...RUNTIME_PROVIDED, ...layerPackages] };
}
