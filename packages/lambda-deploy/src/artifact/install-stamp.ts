import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeployError } from '../errors';

/** What pip's output depends on, and all it depends on: a layer's sources (a function's handler) are not part of it. */
export interface PipInstallKey {
  /** The requirements file, relative to the layer (or function) folder as written in layer.json (function.json). */
  requirements: string;
  pythonVersion: string;
  architecture: 'x86_64' | 'arm64';
}

/** What `npm ci` for Lambda depends on: the manifest, its lockfile, the Node major and the architecture. */
export interface NpmInstallKey {
  /** The package.json, relative to the layer folder as written in layer.json. */
  dependencies: string;
  /** package-lock.json beside it: `npm ci` installs exactly what it pins. */
  lockfile: string;
  nodeVersion: string;
  architecture: 'x86_64' | 'arm64';
}

export type InstallKey = PipInstallKey | NpmInstallKey;

export function isNpmInstall(key: InstallKey): key is NpmInstallKey {
  return 'dependencies' in key;
}

/** The files (relative to the layer folder) the installed tree is a function of: the install step's only file inputs. */
export function installInputsOf(key: InstallKey): Record<string, string> {
  return isNpmInstall(key) ? { dependencies: key.dependencies, lockfile: key.lockfile } : { requirements: key.requirements };
}

const STAMP_FILE = 'install.json';

type InstallStamp = InstallKey & Record<string, string>;

function stampOf(key: InstallKey, layerDir: string): InstallStamp {
  const hashes: Record<string, string> = {};
  for (const [field, file] of Object.entries(installInputsOf(key))) {
    let text: Buffer;
    try {
      text = readFileSync(join(layerDir, file));
    } catch (error) {
      const fix = field === 'lockfile' ? `run \`npm install\` in ${layerDir} to create it, and commit it` : `create it, or fix "${field}" in the project's layer.json or function.json`;
      throw new DeployError(field === 'lockfile' ? 'LOCKFILE_MISSING' : 'REQUIREMENTS_MISSING', `${join(layerDir, file)}: the ${field === 'lockfile' ? 'lockfile' : `file named by "${field}"`} cannot be read`, fix, error);
    }
    hashes[`${field}Sha256`] = createHash('sha256').update(text).digest('hex');
  }
  return { ...key, ...hashes } as InstallStamp;
}

/** Written beside the installed tree once the installer succeeded: build checks it before using the tree. */
export function writeInstallStamp(installDir: string, key: InstallKey, layerDir: string): void {
  writeFileSync(join(installDir, STAMP_FILE), `${JSON.stringify(stampOf(key, layerDir), null, 2)}\n`);
}

/**
 * The installed tree may be absent (install never ran, e.g. build run with --exclude-task-dependencies)
 * or left from other inputs: assembling it would ship packages the repo no longer asks for.
 */
export function checkInstallStamp(installDir: string, key: InstallKey, layerDir: string, where: { project: string; file: string; kind?: 'layer' | 'function' }): void {
  const next = where.kind === 'function' ? 'package' : 'build';
  const rerun = `run \`nx run ${where.project}:install\` (\`nx run ${where.project}:${next}\` runs it first unless told not to)`;
  // A missing input file is the first thing to fix: reported before a missing install.
  const wanted = stampOf(key, layerDir);
  const what = isNpmInstall(key) ? 'dependencies' : 'requirements';
  let found: Record<string, unknown>;
  try {
    found = JSON.parse(readFileSync(join(installDir, STAMP_FILE), 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new DeployError('INSTALL_MISSING', `${where.file}: the ${what} of "${where.project}" are not installed (no ${join(installDir, STAMP_FILE)})`, rerun, error);
  }
  const differs = Object.keys(wanted).filter((field) => found[field] !== wanted[field]);
  if (differs.length > 0) {
    throw new DeployError('INSTALL_STALE', `${where.file}: the installed ${what} of "${where.project}" were made for other inputs (${differs.join(', ')} changed)`, rerun);
  }
}
