import { generateFiles, type Tree } from '@nx/devkit';
import { ARCHITECTURES, LAMBDA_RUNTIMES, parseLayerConfig, pythonVersionOf, runtimeFamilyOf, VERSION_FILE } from '@vectora/lambda-deploy';
import { join } from 'node:path';
import { formatConfigJson } from '../shared/config-json';
import { GeneratorProblems } from '../shared/generator-errors';
import { checkNewProject, checkProjectName, configFileOf, projectRootOf } from '../shared/projects';
import { docstringSentence, isPythonIdentifier, pythonPackageOf } from '../shared/python';
import { appendVersionLine, isSemver, readVersions } from '../shared/versions';
import type { LayerGeneratorSchema } from './schema';

interface NormalizedOptions {
  name: string;
  /** `both`: installed requirements with the layer's own sources on top (a Python layer). */
  kind: 'sources' | 'requirements' | 'both';
  runtime: string;
  architecture: string;
  version: string;
  description?: string;
}

function normalizeOptions(options: LayerGeneratorSchema): NormalizedOptions {
  const description = options.description?.replace(/\s+/g, ' ').trim();
  return {
    name: String(options.name ?? '').trim(),
    kind: options.requirements ? (options.sources ? 'both' : 'requirements') : 'sources',
    runtime: options.runtime ?? 'python3.12',
    architecture: options.architecture ?? 'x86_64',
    // yargs may turn `--layerVersion=1` into a number: keep it as text and let the semver check speak.
    version: String(options.layerVersion ?? '0.1.0').trim(),
    description: description || undefined,
  };
}

/** The layer.json the engine will read, in the key order of the sample layers. */
export function layerJsonOf(options: NormalizedOptions): Record<string, unknown> {
  return {
    description: options.description,
    runtimes: [options.runtime],
    architectures: [options.architecture],
    ...(options.kind === 'requirements' ? {} : { sources: 'src' }),
    ...(options.kind === 'sources' ? {} : runtimeFamilyOf(options.runtime) === 'nodejs' ? { dependencies: 'package.json' } : { requirements: 'requirements.txt' }),
  };
}

/**
 * `nx g @vectora/nx-lambda:layer <name>`: every option is checked first (all problems reported at
 * once) and nothing is written unless all pass; the layer.json written is one the engine accepts.
 */
export async function layerGenerator(tree: Tree, schema: LayerGeneratorSchema): Promise<void> {
  const options = normalizeOptions(schema);
  const { name, version } = options;
  const problems = new GeneratorProblems();

  if (checkProjectName(tree, problems, 'layer', name)) {
    checkNewProject(tree, problems, 'layer', name);
    if (options.kind !== 'requirements' && runtimeFamilyOf(options.runtime) === 'python' && !isPythonIdentifier(pythonPackageOf(name))) {
      problems.add('INVALID_NAME', `"${name}" would ship the Python package "${pythonPackageOf(name)}", a reserved word that cannot be imported`, 'choose another name, e.g. one with a second word');
    }
  }
  if (schema.version !== undefined) {
    problems.add('RESERVED_OPTION', '--version is the Nx CLI\'s own flag (it prints the Nx version, or turns "--version=1.2.0" into false)', `pass the layer's version as --layerVersion=1.2.0`);
  } else if (!isSemver(version)) {
    problems.add('INVALID_VERSION', `--layerVersion "${version}" is not a semver version`, 'use MAJOR.MINOR.PATCH, e.g. 0.1.0 or 1.0.0-beta.1 (no leading v)');
  }
  if (!(LAMBDA_RUNTIMES as readonly string[]).includes(options.runtime)) {
    problems.add('INVALID_RUNTIME', `--runtime "${options.runtime}" is not supported`, `use one of: ${LAMBDA_RUNTIMES.join(', ')}`);
  } else if (options.kind === 'both' && runtimeFamilyOf(options.runtime) === 'nodejs') {
    problems.add('INVALID_OPTION', '--sources with --requirements is for Python layers', 'make two Node layers: one with --requirements (npm dependencies), one of sources (a TypeScript package)');
  }
  if (schema.sources && !schema.requirements) {
    problems.add('INVALID_OPTION', '--sources alone is the default: it only adds to --requirements', 'drop --sources, or add --requirements for a layer of both');
  }
  if (!(ARCHITECTURES as readonly string[]).includes(options.architecture)) {
    problems.add('INVALID_ARCHITECTURE', `--architecture "${options.architecture}" is not supported`, `use one of: ${ARCHITECTURES.join(', ')}`);
  }
  const existing = readVersions(tree, problems).get(name);
  if (existing) {
    problems.add('VERSION_EXISTS', `${VERSION_FILE}:${existing.line}: already sets a version for "${name}" (${name}=${existing.semver})`, `choose another name, or remove line ${existing.line} of ${VERSION_FILE} if it is left over from a deleted layer`);
  }
  const root = projectRootOf('layer', name);
  const file = configFileOf('layer', name);
  const layerJson = layerJsonOf(options);
  if (problems.errors.length === 0) {
    // The options all passed: the engine must accept the result too, or the generator has a bug.
    problems.collect(() => parseLayerConfig(JSON.parse(formatConfigJson(layerJson)), { project: name, root, file }));
  }
  problems.throwIfAny();

  tree.write(file, formatConfigJson(layerJson));
  // Node: `--requirements` means npm dependencies (package.json + lockfile), sources a TypeScript package.
  const substitutions = {
    name,
    pythonPackage: pythonPackageOf(name),
    summary: docstringSentence(options.description ?? `The ${options.name} layer`),
    architecture: options.architecture,
    pythonVersion: pythonVersionOf(options.runtime),
  };
  const kinds = options.kind === 'both' ? (['sources', 'requirements'] as const) : [options.kind];
  for (const kind of kinds) {
    const files = runtimeFamilyOf(options.runtime) === 'nodejs' ? join(__dirname, 'files-node', kind === 'sources' ? 'sources' : 'dependencies') : join(__dirname, 'files', kind);
    generateFiles(tree, files, root, substitutions);
  }
  tree.write(VERSION_FILE, appendVersionLine(tree.read(VERSION_FILE, 'utf-8'), name, version));
}

export default layerGenerator;
