import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DeployError } from '../errors';
import type { ZipManifest } from './zip-deterministic';

export function writeManifest(path: string, manifest: ZipManifest): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(manifest, null, 2)}\n`);
}

/** The package manifest a deploy relies on; its absence means `package` did not run for this project. */
export function readManifest(path: string, label: string): ZipManifest {
  let parsed: Partial<ZipManifest>;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<ZipManifest>;
  } catch (error) {
    throw new DeployError('MANIFEST_MISSING', `${label}: ${path} is missing or unreadable`, 'run the package target first (deploy targets depend on it, so `nx run <project>:deploy` does this)', error);
  }
  if (typeof parsed.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(parsed.sha256) || typeof parsed.sha256Base64 !== 'string' || typeof parsed.size !== 'number' || typeof parsed.unzippedSize !== 'number' || typeof parsed.files !== 'number') {
    throw new DeployError('MANIFEST_INVALID', `${label}: ${path} is not a valid package manifest`, 'delete dist/ and rerun the package target');
  }
  return parsed as ZipManifest;
}
