import { DeployError, throwIfAny } from '../errors';

/** Strict semver 2.0 (no leading `v`): what goes into a layer version's Description. */
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;
const LAYER_NAME = /^[a-z0-9][a-z0-9-]*$/;

export interface VersionEntry {
  semver: string;
  line: number;
}

/**
 * Parses VERSION: one `layer-name=semver` per line, `#` comments (whole-line or trailing) and blank
 * lines allowed. Every bad line is reported at once, each naming its line number.
 */
export function parseVersionFile(text: string, file: string): Map<string, VersionEntry> {
  const { entries, errors } = readVersionLines(text, file);
  throwIfAny(errors);
  return entries;
}

/** The valid entries and the errors of the bad lines, so the caller can report both in one pass. */
export function readVersionLines(text: string, file: string): { entries: Map<string, VersionEntry>; errors: DeployError[] } {
  const entries = new Map<string, VersionEntry>();
  const errors: DeployError[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const content = raw.replace(/#.*$/, '').trim();
    if (content === '') return;
    const match = /^([^=\s]+)\s*=\s*(\S+)$/.exec(content);
    if (!match) {
      errors.push(new DeployError('VERSION_MALFORMED', `${file}:${line}: "${raw.trim()}" is not of the form layer-name=semver`, 'write one `layer-name=1.2.3` per line'));
      return;
    }
    const [, name, semver] = match;
    if (!LAYER_NAME.test(name)) {
      errors.push(new DeployError('VERSION_MALFORMED', `${file}:${line}: "${name}" is not a valid layer name`, 'use the layer folder name: lowercase letters, digits and dashes'));
    } else if (!SEMVER.test(semver)) {
      errors.push(new DeployError('VERSION_MALFORMED', `${file}:${line}: "${semver}" is not a semver version for ${name}`, 'use MAJOR.MINOR.PATCH, e.g. 1.4.2 (no leading v)'));
    } else if (entries.has(name)) {
      errors.push(new DeployError('VERSION_DUPLICATE', `${file}:${line}: ${name} is already set on line ${entries.get(name)!.line}`, 'keep one line per layer'));
    } else {
      entries.set(name, { semver, line });
    }
  });
  return { entries, errors };
}

/** Each layer needs a version and each version needs a layer: a stale line usually means a rename. */
export function checkVersionsMatchLayers(versions: Map<string, VersionEntry>, layerNames: string[], file: string, options: { fileHasBadLines?: boolean } = {}): DeployError[] {
  const errors: DeployError[] = [];
  for (const name of layerNames) {
    // With bad lines already reported, a "missing" layer is most likely on one of them.
    if (!versions.has(name) && !options.fileHasBadLines) {
      errors.push(new DeployError('VERSION_MISSING', `${file}: no version for layer ${name}`, `add a line \`${name}=0.1.0\` to ${file}`));
    }
  }
  for (const [name, entry] of versions) {
    if (!layerNames.includes(name)) {
      errors.push(new DeployError('VERSION_UNKNOWN_LAYER', `${file}:${entry.line}: ${name} is not a layer (no layers/${name}/layer.json)`, `remove line ${entry.line} or create layers/${name}/layer.json`));
    }
  }
  return errors;
}
