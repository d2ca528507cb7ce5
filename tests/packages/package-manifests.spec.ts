import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The manifests `npm run pack` ships: what a user's npm reads to install the three packages together. */
const ROOT = join(__dirname, '..', '..');
const SHIPPED = ['lambda-deploy', 'local-aws', 'nx-lambda'];

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  main?: string;
  types?: string;
  files?: string[];
  engines?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const manifest = (path: string): Manifest => JSON.parse(readFileSync(join(ROOT, path, 'package.json'), 'utf8'));
const root = manifest('.');
const lock: { packages: Record<string, { version?: string }> } = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));

describe.each(SHIPPED)('packages/%s/package.json', (name) => {
  const pkg = manifest(`packages/${name}`);

  it('is packable, loads from its compiled dist/, and ships only what `files` lists', () => {
    expect(pkg.private).toBeUndefined();
    expect(pkg.main).toBe('dist/index.js');
    expect(pkg.types).toBe('dist/index.d.ts');
    expect(pkg.files?.length).toBeGreaterThan(0);
    expect(pkg.files!.filter((pattern) => /src|test|spec|tsbuildinfo|\.map/.test(pattern))).toEqual([]);
  });

  it('has the version of the other two and the Node engines of the repo', () => {
    expect(pkg.version).toBe(manifest('packages/lambda-deploy').version);
    expect(pkg.engines).toEqual(root.engines);
  });

  it('pins each dependency exactly, to the version this repo installs and tests (package-lock.json)', () => {
    for (const [dependency, version] of Object.entries(pkg.dependencies ?? {})) {
      expect(version, dependency).toMatch(/^\d+\.\d+\.\d+$/);
      const tested = dependency.startsWith('@vectora/') ? manifest(`packages/${dependency.slice('@vectora/'.length)}`).version : lock.packages[`node_modules/${dependency}`]?.version;
      expect(version, `${dependency}: package-lock.json has ${tested}`).toBe(tested);
    }
  });
});

describe('the plugin', () => {
  it('takes nx and @nx/devkit from the workspace (peers), from the version this repo tests up to the next major', () => {
    const plugin = manifest('packages/nx-lambda');
    for (const peer of ['nx', '@nx/devkit']) {
      const tested = root.devDependencies![peer];
      expect(plugin.peerDependencies?.[peer], peer).toBe(`>=${tested} <${Number(tested.split('.')[0]) + 1}.0.0`);
      expect(plugin.dependencies?.[peer], `${peer} is a peer, never a dependency`).toBeUndefined();
    }
  });
});
