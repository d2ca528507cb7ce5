import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const savedPath = process.env.PATH;
afterEach(() => {
  process.env.PATH = savedPath;
});
// findPython remembers what it found for the process: each test looks afresh.
beforeEach(() => vi.resetModules());
const findPython = async () => (await import('./find-python')).findPython();

describe('findPython', () => {
  it('fails with PYTHON_MISSING and the install command when no Python 3 with pip is on the PATH', async () => {
    process.env.PATH = mkdtempSync(join(tmpdir(), 'no-python-'));
    await expect(findPython()).rejects.toMatchObject({ code: 'PYTHON_MISSING', hint: expect.stringContaining('apt-get install python3 python3-pip python3-venv') });
  });

  it("gives the interpreter's own path, not a shim's on the PATH (pyenv's hooks around pip broke parallel installs)", async () => {
    const interpreter = execFileSync('python3', ['-c', 'import sys; print(sys.executable)']).toString().trim();
    const shims = mkdtempSync(join(tmpdir(), 'shims-'));
    writeFileSync(join(shims, 'python3'), `#!/bin/sh\nexec "${interpreter}" "$@"\n`);
    chmodSync(join(shims, 'python3'), 0o755);
    process.env.PATH = `${shims}${delimiter}${savedPath}`;

    expect(await findPython()).toBe(interpreter);
  });
});
