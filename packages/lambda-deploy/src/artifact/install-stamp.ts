import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeployError } from '../errors';

/** What pip's output depends on, and all it depends on: a layer's sources are not part of it. */
export interface InstallKey {
  /** The requirements file, relative to the layer folder as written in layer.json. */
  requirements: string;
  pythonVersion: string;
  architecture: 'x86_64' | 'arm64';
}

const STAMP_FILE = 'install.json';

interface InstallStamp extends InstallKey {
  requirementsSha256: string;
}

function stampOf(key: InstallKey, requirementsFile: string): InstallStamp {
  let text: Buffer;
  try {
    text = readFileSync(requirementsFile);
  } catch (error) {
    throw new DeployError('REQUIREMENTS_MISSING', `${requirementsFile}: the requirements file named by "requirements" cannot be read`, 'create it, or fix "requirements" in layer.json', error);
  }
  return { ...key, requirementsSha256: createHash('sha256').update(text).digest('hex') };
}

/** Written beside the installed tree once pip succeeded: build checks it before using the tree. */
export function writeInstallStamp(installDir: string, key: InstallKey, requirementsFile: string): void {
  writeFileSync(join(installDir, STAMP_FILE), `${JSON.stringify(stampOf(key, requirementsFile), null, 2)}\n`);
}

/**
 * The installed tree may be absent (install never ran, e.g. build run with --exclude-task-dependencies)
 * or left from other requirements: assembling it would ship packages the repo no longer asks for.
 */
export function checkInstallStamp(installDir: string, key: InstallKey, requirementsFile: string, where: { project: string; file: string }): void {
  const rerun = `run \`nx run ${where.project}:install\` (\`nx run ${where.project}:build\` runs it first unless told not to)`;
  // A missing requirements file is the first thing to fix: reported before a missing install.
  const wanted = stampOf(key, requirementsFile);
  let found: Partial<InstallStamp>;
  try {
    found = JSON.parse(readFileSync(join(installDir, STAMP_FILE), 'utf8')) as Partial<InstallStamp>;
  } catch (error) {
    throw new DeployError('INSTALL_MISSING', `${where.file}: the requirements of "${where.project}" are not installed (no ${join(installDir, STAMP_FILE)})`, rerun, error);
  }
  const differs = (Object.keys(wanted) as Array<keyof InstallStamp>).filter((field) => found[field] !== wanted[field]);
  if (differs.length > 0) {
    throw new DeployError('INSTALL_STALE', `${where.file}: the installed requirements of "${where.project}" were made for other inputs (${differs.join(', ')} changed)`, rerun);
  }
}
