import { copyFile, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from '../util/lazy-modules';
import { DeployError } from '../errors';
import { npmCpuOf } from '../config/runtimes';

// A parent `npm run` passes its own settings down as npm_config_*: a prefix, workspace or omit meant for the
// repo would redirect or change this install. Only where packages come from (and the cache) is kept.
const KEPT_NPM_SETTINGS = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig']);

function installEnvironment(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.toLowerCase().startsWith('npm_config_') || KEPT_NPM_SETTINGS.has(name.toLowerCase())) env[name] = value;
  }
  return { ...env, NO_COLOR: '1', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
}

/**
 * Installs a layer's production dependencies for Lambda, not for this machine: exactly the lockfile's
 * versions (`npm ci`), dev dependencies left out, and optional platform packages chosen for linux,
 * glibc and the layer's architecture (`--os/--cpu/--libc`, npm 10.4 and later). Install scripts do not
 * run: a script compiling a native addon would build it for this machine, which Lambda cannot load.
 */
export async function npmInstallForLambda(opts: { packageJson: string; lockfile: string; targetDir: string; architecture: 'x86_64' | 'arm64'; log: (line: string) => void; label: string }): Promise<void> {
  const cpu = npmCpuOf(opts.architecture);
  await rm(opts.targetDir, { recursive: true, force: true });
  await mkdir(opts.targetDir, { recursive: true });
  await copyFile(opts.packageJson, join(opts.targetDir, 'package.json'));
  await copyFile(opts.lockfile, join(opts.targetDir, 'package-lock.json'));
  opts.log(`npm ci --omit=dev ${opts.label} for linux ${cpu}`);
  const args = ['ci', '--omit=dev', '--os=linux', `--cpu=${cpu}`, '--libc=glibc', '--ignore-scripts', '--no-audit', '--no-fund', '--prefix', opts.targetDir];
  const result = await execa('npm', args, { cwd: opts.targetDir, reject: false, all: true, env: installEnvironment(), extendEnv: false });
  if (result.exitCode !== 0) {
    const lines = (result.all ?? '').split('\n').filter((line) => line.trim());
    const errors = lines.filter((line) => line.startsWith('npm error'));
    const tail = (errors.length > 0 ? errors : lines).slice(0, 4).join(' | ');
    throw new DeployError(
      'NPM_FAILED',
      `${opts.label}: npm ci could not install for linux ${cpu}: ${tail || `exit code ${result.exitCode}`}`,
      'check that package-lock.json matches package.json (run `npm install` in the layer folder and commit the lockfile), and that the registry is reachable',
    );
  }
  // Only node_modules is the layer's: the manifests are in the repo, npm's hidden lockfile is its own bookkeeping.
  await rm(join(opts.targetDir, 'package.json'), { force: true });
  await rm(join(opts.targetDir, 'package-lock.json'), { force: true });
  await rm(join(opts.targetDir, 'node_modules', '.package-lock.json'), { force: true });
}
