import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureMotoVenv, motoVenvDir } from './venv';

const savedPath = process.env.PATH;
afterEach(() => {
  process.env.PATH = savedPath;
});

describe('the local emulator venv', () => {
  it('says which Python is needed and how to install it when none is on the PATH', async () => {
    process.env.PATH = mkdtempSync(join(tmpdir(), 'no-python-'));
    await expect(ensureMotoVenv({ venvDir: join(mkdtempSync(join(tmpdir(), 'venv-')), 'venv') })).rejects.toThrow(
      /local AWS needs Python 3\.9\+ and none was found \(tried python3, python\): install Python 3 with venv and pip, e\.g\. `apt-get install python3 python3-venv python3-pip`/,
    );
  });

  it("is the workspace's own .local-aws/venv, unless VECTORA_LOCAL_AWS_VENV names a shared one", () => {
    expect(motoVenvDir('/ws/a', {})).toBe(join('/ws/a', '.local-aws', 'venv'));
    expect(motoVenvDir('/ws/a', { VECTORA_LOCAL_AWS_VENV: '/cache/moto-venv' })).toBe('/cache/moto-venv');
    expect(motoVenvDir('/ws/a', { VECTORA_LOCAL_AWS_VENV: '' })).toBe(join('/ws/a', '.local-aws', 'venv'));
  });
});
