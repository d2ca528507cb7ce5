import { describe, expect, it } from 'vitest';
import { approvalFor } from './approval';

describe('approvalFor', () => {
  it('needs no question when --yes was given', () => {
    expect(approvalFor('prod', 'core', true)).toBeUndefined();
  });

  it('refuses without a terminal, pointing at --dry-run and --yes', async () => {
    // vitest workers have no TTY on stdin, as in CI.
    await expect(approvalFor('prod', 'core', false)!(3)).rejects.toMatchObject({
      code: 'APPROVAL_REQUIRED',
      message: 'core: prod requires approval for 3 planned write(s) and there is no terminal to ask',
      hint: 'review the plan with --dry-run, then rerun with --yes',
    });
  });
});
