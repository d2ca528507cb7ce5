import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A top-level importable name a layer puts on sys.path, and the distribution version that installed it when known. */
export interface PythonPackage {
  name: string;
  version?: string;
}

const DIST_INFO = /^(.+)-([^-]+)\.dist-info$/;
// Metadata folders and scripts pip writes beside packages: not importable.
const NOT_IMPORTABLE = /(\.dist-info|\.egg-info|\.data)$|^(bin|__pycache__)$/;

/** PEP 503 normalised distribution name, as pip compares them (`PyYAML` and `pyyaml` are one project). */
function normalise(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '_');
}

/**
 * The top-level packages and modules under a layer's `python/`, from its file paths (`python/yaml/__init__.py`,
 * `python/six.py`, `python/_yaml.cpython-312-x86_64-linux-gnu.so`). Versions come from the
 * `<name>-<version>.dist-info` folders: `topLevelOf` says which names a distribution installed (its
 * RECORD or top_level.txt, read from a built tree); without it a distribution covers the name its own
 * name normalises to, which misses `python-dateutil` -> `dateutil` (no version then, never a wrong one).
 */
export function pythonPackagesOf(paths: string[], topLevelOf?: (distInfo: string) => string[] | undefined): PythonPackage[] {
  const names = new Set<string>();
  const distInfos = new Set<string>();
  for (const path of paths) {
    const parts = path.split('/');
    if (parts[0] !== 'python' || parts.length < 2 || parts[1] === '') continue;
    const top = parts[1];
    if (DIST_INFO.test(top)) distInfos.add(top);
    if (NOT_IMPORTABLE.test(top) || top.startsWith('.')) continue;
    if (parts.length > 2) names.add(top);
    else if (/\.py$/.test(top)) names.add(top.slice(0, -3));
    else if (/\.(so|pyd)$/.test(top)) names.add(top.split('.')[0]);
  }
  const versions = new Map<string, string>();
  for (const distInfo of [...distInfos].sort()) {
    const [, dist, version] = DIST_INFO.exec(distInfo)!;
    for (const name of topLevelOf?.(distInfo) ?? [...names].filter((n) => normalise(n) === normalise(dist))) versions.set(name, version);
  }
  return [...names].sort().map((name) => (versions.has(name) ? { name, version: versions.get(name) } : { name }));
}

/** The names a distribution installed at the top of the tree, from its RECORD (or top_level.txt when RECORD is absent). */
function topLevelInTree(pythonDir: string, distInfo: string): string[] | undefined {
  const record = join(pythonDir, distInfo, 'RECORD');
  if (existsSync(record)) {
    const tops = readFileSync(record, 'utf8').split('\n').map((line) => line.split(',')[0].split('/'));
    return [...new Set(tops.filter((parts) => parts[0] && !parts[0].startsWith('..') && !NOT_IMPORTABLE.test(parts[0])).map((parts) => (parts.length > 1 ? parts[0] : parts[0].replace(/\.py$/, '').split('.')[0])))];
  }
  const topLevel = join(pythonDir, distInfo, 'top_level.txt');
  return existsSync(topLevel) ? readFileSync(topLevel, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean) : undefined;
}

/** pythonPackagesOf for a built layer tree (`<tree>/python/...`); [] when the tree has no python/ (a Node layer). */
export function pythonPackagesOfTree(treeDir: string): PythonPackage[] {
  const pythonDir = join(treeDir, 'python');
  if (!existsSync(pythonDir)) return [];
  const paths = readdirSync(pythonDir, { withFileTypes: true }).map((entry) => `python/${entry.name}${entry.isDirectory() ? '/' : ''}`);
  return pythonPackagesOf(paths, (distInfo) => topLevelInTree(pythonDir, distInfo));
}
