import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findPython } from './find-python';

const savedPath = process.env.PATH;
afterEach(() => {
  process.env.PATH = savedPath;
});

describe('findPython', () => {
  it('fails with PYTHON_MISSING and the install command when no Python 3 with pip is on the PATH', async () => {
    process.env.PATH = mkdtempSync(join(tmpdir(), 'no-python-'));
    await expect(findPython()).rejects.toMatchObject({ code: 'PYTHON_MISSING', hint: expect.stringContaining('apt-get install python3 python3-pip python3-venv') });
  });
});
