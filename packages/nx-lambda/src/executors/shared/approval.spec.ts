import { describe, expect, it } from 'vitest';
import { approvalFor } from './approval';
import { BufferedIo } from './task-io';

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

  it('in a batch (output held per task) without a terminal behind Nx, refuses the same way instead of asking where nobody sees', async () => {
    const io = new BufferedIo();
    io.print('[core] plan publish-layer: content sha256:abc.. not published');
    await expect(approvalFor('prod', 'core', false, io)!(1)).rejects.toMatchObject({ code: 'APPROVAL_REQUIRED' });
    // Nothing was written on the task's behalf: its plan is still held for Nx to print.
    expect(io.text()).toBe('[core] plan publish-layer: content sha256:abc.. not published\n');
  });
});
