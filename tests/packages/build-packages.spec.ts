import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');
const PACKAGES = ['lambda-deploy', 'local-aws', 'nx-lambda'];

/** The executor and generator schemas the build copies into each package's dist/: what every nx run reads. */
function schemas(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name));
      else if (entry.name === 'schema.json') found.push(join(dir, entry.name));
    }
  };
  for (const name of PACKAGES) walk(join(ROOT, 'packages', name, 'dist'));
  return found;
}

describe('npm run build', () => {
  // nx runs read the executors' schemas from dist/ while a build may be going on (the installed-tool e2e
  // packs, hence builds, beside the other e2e specs; a developer rebuilds beside an nx run). Copied over
  // with cpSync, a schema was missing for an instant in every build (8-20 of ~120,000 looks at one file),
  // and an nx run starting then failed with "Could not resolve schema".
  it('never leaves a schema missing while it runs', async () => {
    const files = schemas();
    expect(files.some((path) => path.endsWith(join('executors', 'deploy', 'schema.json')))).toBe(true);
    const build = spawn(process.execPath, [join(ROOT, 'scripts', 'build-packages.mjs')], { cwd: ROOT, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => build.on('exit', resolve));
    let running = true;
    void exited.then(() => (running = false));
    const missed = new Set<string>();
    let looks = 0;
    while (running) {
      for (const file of files) if (!existsSync(file)) missed.add(file);
      looks++;
      await nextTurn();
    }
    expect(await exited).toBe(0);
    expect(looks).toBeGreaterThan(1);
    expect([...missed]).toEqual([]);
  });
});
