import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pipInstallForLambda } from './pip-install';

describe('pipInstallForLambda', () => {
  it('installs a manylinux wheel for the Lambda runtime, not the host: PyYAML for cp312 x86_64', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pip-'));
    writeFileSync(join(dir, 'requirements.txt'), 'PyYAML==6.0.2\n');
    await pipInstallForLambda({ requirementsFile: join(dir, 'requirements.txt'), targetDir: join(dir, 'out'), pythonVersion: '3.12', architecture: 'x86_64', log: () => {} });
    // The compiled extension is tagged for CPython 3.12 even though this host runs another Python.
    expect(existsSync(join(dir, 'out', 'yaml', '_yaml.cpython-312-x86_64-linux-gnu.so'))).toBe(true);
  });

  it('on a terminal, passes pip progress lines through the log; quiet otherwise', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pip-'));
    writeFileSync(join(dir, 'requirements.txt'), 'PyYAML==6.0.2\n');
    const loud: string[] = [];
    await pipInstallForLambda({ requirementsFile: join(dir, 'requirements.txt'), targetDir: join(dir, 'out'), pythonVersion: '3.12', architecture: 'x86_64', log: (line) => loud.push(line), showProgress: true });
    expect(loud).toContainEqual(expect.stringMatching(/^pip: Collecting PyYAML==6\.0\.2/));
    expect(loud).toContainEqual(expect.stringMatching(/^pip: Successfully installed PyYAML-6\.0\.2/));
    const quiet: string[] = [];
    await pipInstallForLambda({ requirementsFile: join(dir, 'requirements.txt'), targetDir: join(dir, 'out2'), pythonVersion: '3.12', architecture: 'x86_64', log: (line) => quiet.push(line) });
    expect(quiet.filter((line) => line.startsWith('pip:'))).toEqual([]);
  });

  it('fails with PIP_FAILED naming the requirements file when a package cannot be resolved', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pip-'));
    writeFileSync(join(dir, 'requirements.txt'), 'this-package-does-not-exist-vectora==9.9.9\n');
    await expect(pipInstallForLambda({ requirementsFile: join(dir, 'requirements.txt'), targetDir: join(dir, 'out'), pythonVersion: '3.12', architecture: 'x86_64', log: () => {} })).rejects.toMatchObject({
      code: 'PIP_FAILED',
      message: expect.stringContaining(`${join(dir, 'requirements.txt')}: pip could not install for manylinux2014_x86_64 python3.12`),
    });
  });
});
