import { execa } from '../util/lazy-modules';
import { DeployError } from '../errors';
import { findPython } from './find-python';

/** Lambda runs Amazon Linux on x86_64 or arm64: manylinux2014 wheels are what it can load. */
export function lambdaPlatform(architecture: 'x86_64' | 'arm64'): string {
  return architecture === 'arm64' ? 'manylinux2014_aarch64' : 'manylinux2014_x86_64';
}

/**
 * Installs requirements for Lambda, not for this machine: wheels only (Lambda cannot compile), for
 * the runtime's Python version and the layer's architecture.
 */
export async function pipInstallForLambda(opts: { requirementsFile: string; targetDir: string; pythonVersion: string; architecture: 'x86_64' | 'arm64'; log: (line: string) => void; label?: string; showProgress?: boolean }): Promise<void> {
  const shown = opts.label ?? opts.requirementsFile;
  const python = await findPython();
  const platform = lambdaPlatform(opts.architecture);
  opts.log(`pip install -r ${shown} for ${platform} python${opts.pythonVersion}`);
  const args = ['-m', 'pip', 'install', '-r', opts.requirementsFile, '--target', opts.targetDir, '--platform', platform, '--implementation', 'cp', '--python-version', opts.pythonVersion, '--only-binary=:all:', '--no-compile', '--disable-pip-version-check', '--no-input'];
  // On a terminal, pip's own "Collecting/Downloading" lines are the progress of a long step; in CI logs, quiet.
  const subprocess = execa(python, opts.showProgress ? args : [...args, '-q'], { reject: false, all: true, env: { PIP_NO_COLOR: '1', PIP_PROGRESS_BAR: 'off' } });
  if (opts.showProgress) {
    for await (const line of subprocess.iterable({ from: 'stdout' })) {
      if (/^(Collecting|Downloading|Installing|Successfully)/.test(String(line).trim())) opts.log(`pip: ${String(line).trim()}`);
    }
  }
  const result = await subprocess;
  if (result.exitCode !== 0) {
    // pip's ERROR lines say what failed; its WARNINGs are about this machine's index setup.
    const lines = (result.all ?? '').split('\n').filter((line) => line.trim());
    const errors = lines.filter((line) => line.startsWith('ERROR'));
    const tail = (errors.length > 0 ? errors : lines).slice(-4).join(' | ');
    throw new DeployError(
      'PIP_FAILED',
      `${shown}: pip could not install for ${platform} python${opts.pythonVersion}: ${tail}`,
      `check the package names and versions, and that each has a wheel for ${opts.architecture} and Python ${opts.pythonVersion} (binary wheels only: Lambda cannot compile)`,
    );
  }
}
