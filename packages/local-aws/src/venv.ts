import type * as Execa from 'execa';

// Loaded on first use: every deploy task imports this package, and only a first start installs anything.
let execaModule: typeof Execa | undefined;
const execa = ((...args: unknown[]) => ((execaModule ??= require('execa') as typeof Execa).execa as (...a: unknown[]) => unknown)(...args)) as typeof Execa.execa;
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { withDirLock } from './dir-lock';
import { localAwsDir } from './workspace-root';

/** Pinned so every machine and CI run the same emulator; changing it reinstalls on next use. */
export const MOTO_REQUIREMENT = 'moto[server]==5.2.5';

const FIX = 'install Python 3 with venv and pip, e.g. `apt-get install python3 python3-venv python3-pip` (Debian/Ubuntu) or `brew install python` (macOS)';

async function findSystemPython(): Promise<string> {
  for (const candidate of ['python3', 'python']) {
    const result = await execa(candidate, ['-c', 'import sys; assert sys.version_info >= (3, 9)'], { reject: false });
    if (result.exitCode === 0) return candidate;
  }
  throw new Error(`local AWS needs Python 3.9+ and none was found (tried python3, python): ${FIX}`);
}

/** Names a moto venv to use instead of the workspace's own (e.g. one shared by many throwaway workspaces). */
export const MOTO_VENV_VARIABLE = 'VECTORA_LOCAL_AWS_VENV';

/**
 * Where a workspace's moto is installed: `<workspace>/.local-aws/venv`, so a checkout installs
 * nothing outside itself, unless VECTORA_LOCAL_AWS_VENV names another venv. Only the installed
 * package is shared that way; each workspace still runs its own server with its own state.
 */
export function motoVenvDir(workspaceRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  return env[MOTO_VENV_VARIABLE] || join(localAwsDir(workspaceRoot), 'venv');
}

export function venvPython(venvDir: string): string {
  return process.platform === 'win32' ? join(venvDir, 'Scripts', 'python.exe') : join(venvDir, 'bin', 'python');
}

/**
 * A venv at `venvDir` with the pinned moto[server], created on first use. A marker file records what
 * was installed, so a changed pin reinstalls; a lock beside the venv lets one of several concurrent
 * callers (Nx tasks, vitest workers, two workspaces sharing it) install while the others wait.
 */
export async function ensureMotoVenv(opts: { venvDir: string; log?: (line: string) => void }): Promise<{ python: string }> {
  const dir = opts.venvDir;
  const python = venvPython(dir);
  const marker = join(dir, 'installed.txt');
  const ready = () => existsSync(python) && existsSync(marker) && readFileSync(marker, 'utf8').trim() === MOTO_REQUIREMENT;
  if (ready()) return { python };
  await mkdir(dirname(dir), { recursive: true });
  await withDirLock(`${dir}.install.lock`, async () => {
    if (ready()) return;
    const log = opts.log ?? (() => {});
    const system = await findSystemPython();
    log(`local-aws: creating ${dir} and installing ${MOTO_REQUIREMENT} (first use only)`);
    await rm(dir, { recursive: true, force: true });
    const venv = await execa(system, ['-m', 'venv', dir], { reject: false, all: true });
    if (venv.exitCode !== 0) throw new Error(`local AWS: could not create a Python venv (${lastLine(venv.all)}): ${FIX}`);
    const pip = await execa(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '-q', MOTO_REQUIREMENT], { reject: false, all: true });
    if (pip.exitCode !== 0) throw new Error(`local AWS: pip could not install ${MOTO_REQUIREMENT} (${lastLine(pip.all)}); check network access to PyPI, or ${FIX}`);
    writeFileSync(marker, `${MOTO_REQUIREMENT}\n`);
  });
  return { python };
}

function lastLine(text: string | undefined): string {
  return (text ?? '').trim().split('\n').slice(-2).join(' | ') || 'no output';
}
