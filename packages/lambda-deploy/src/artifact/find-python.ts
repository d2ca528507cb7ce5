import { execa } from '../util/lazy-modules';
import { DeployError } from '../errors';

let found: Promise<string> | undefined;

/** The build machine's Python 3 with pip: needed for requirements layers only. */
export function findPython(): Promise<string> {
  found ??= (async () => {
    for (const candidate of ['python3', 'python']) {
      const result = await execa(candidate, ['-c', 'import sys, pip; assert sys.version_info[0] == 3'], { reject: false });
      if (result.exitCode === 0) return candidate;
    }
    throw new DeployError('PYTHON_MISSING', 'no Python 3 with pip found (tried python3, python)', 'install them, e.g. `apt-get install python3 python3-pip python3-venv`, or `brew install python`');
  })();
  return found;
}
