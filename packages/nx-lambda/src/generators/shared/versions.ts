import type { Tree } from '@nx/devkit';
import { parseVersionFile, VERSION_FILE, type VersionEntry } from '@vectora/lambda-deploy';
import type { GeneratorProblems } from './generator-errors';

/** The entries of VERSION as the engine reads them; a malformed file is reported, not rewritten. */
export function readVersions(tree: Tree, problems: GeneratorProblems): Map<string, VersionEntry> {
  const text = tree.read(VERSION_FILE, 'utf-8');
  if (text === null) return new Map();
  return problems.collect(() => parseVersionFile(text, VERSION_FILE)) ?? new Map();
}

/** Semver exactly as the engine accepts it in VERSION (strict 2.0, no leading `v`). */
export function isSemver(version: string): boolean {
  if (!/^[^\s#=]+$/.test(version)) return false;
  try {
    return parseVersionFile(`layer=${version}`, VERSION_FILE).get('layer')?.semver === version;
  } catch {
    return false;
  }
}

/** What a new VERSION starts with (init writes only this; the first layer appends below it). */
export const NEW_VERSION_FILE_HEADER = '# Layer versions: one `layer-name=semver` per line. A bump publishes a new layer version\n# even when the content is unchanged.\n';

/** Appends `name=version` as the last line, leaving every existing line and comment as it was. */
export function appendVersionLine(existing: string | null, name: string, version: string): string {
  if (existing === null) return `${NEW_VERSION_FILE_HEADER}${name}=${version}\n`;
  const eol = existing.includes('\r\n') ? '\r\n' : '\n';
  const separator = existing === '' || existing.endsWith('\n') ? '' : eol;
  return `${existing}${separator}${name}=${version}${eol}`;
}
