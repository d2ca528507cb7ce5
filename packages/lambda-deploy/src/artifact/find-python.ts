import { execa } from '../util/lazy-modules';
import { DeployError } from '../errors';

let found: Promise<string> | undefined;

/**
 * The build machine's Python 3 with pip, needed for requirements only: the interpreter's own path
 * (`sys.executable`), not the name on the PATH. A version manager's shim there (pyenv's) runs its own
 * hooks around every pip call; pyenv rehashes its shims after a pip install, and Nx runs installs in
 * parallel, so two rehashes at once failed an install ("pyenv: cannot rehash: ... isn't writable").
 */
export function findPython(): Promise<string> {
  found ??= (async () => {
    for (const candidate of ['python3', 'python']) {
      const result = await execa(candidate, ['-c', 'import sys, pip; assert sys.version_info[0] == 3; print(sys.executable)'], { reject: false });
      // sys.executable may be empty where Python cannot tell (embedded): the name found still runs it.
      if (result.exitCode === 0) return String(result.stdout).trim() || candidate;
    }
    throw new DeployError('PYTHON_MISSING', 'no Python 3 with pip found (tried python3, python)', 'install them, e.g. `apt-get install python3 python3-pip python3-venv`, or `brew install python`');
  })();
  return found;
}
