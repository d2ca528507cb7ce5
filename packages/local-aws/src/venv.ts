import { execa } from 'execa';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { withDirLock } from './dir-lock';
import { localAwsDir } from './repo-root';

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

export function venvPython(dir: string): string {
  return process.platform === 'win32' ? join(dir, 'venv', 'Scripts', 'python.exe') : join(dir, 'venv', 'bin', 'python');
}

/**
 * The project's own moto: a venv under `.local-aws/` (git-ignored) with the pinned moto[server].
 * Created on first use; a marker file records what was installed, so a changed pin reinstalls.
 */
export async function ensureMotoVenv(opts: { root?: string; log?: (line: string) => void } = {}): Promise<{ python: string }> {
  const dir = opts.root ? join(opts.root, '.local-aws') : localAwsDir();
  const python = venvPython(dir);
  const marker = join(dir, 'venv', 'installed.txt');
  const ready = () => existsSync(python) && existsSync(marker) && readFileSync(marker, 'utf8').trim() === MOTO_REQUIREMENT;
  if (ready()) return { python };
  await mkdir(dir, { recursive: true });
  await withDirLock(join(dir, 'install.lock'), async () => {
    if (ready()) return;
    const log = opts.log ?? (() => {});
    const system = await findSystemPython();
    log(`local-aws: creating ${join(dir, 'venv')} and installing ${MOTO_REQUIREMENT} (first use only)`);
    await rm(join(dir, 'venv'), { recursive: true, force: true });
    const venv = await execa(system, ['-m', 'venv', join(dir, 'venv')], { reject: false, all: true });
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
