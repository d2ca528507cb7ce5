import { execa } from 'execa';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO_ROOT = join(__dirname, '..');
// Set by scripts/test-node-versions.sh for each Node of the CI matrix; unset in a plain `npm test`.
const expected = process.env.VECTORA_EXPECTED_NODE;

/**
 * The matrix puts a Node first on PATH; a test run that silently fell back to the machine's Node
 * would pass on the wrong version. Both the test workers and the `nx` CLI the e2e tests start (its bin
 * resolves `node` on PATH; Nx forks its tasks with its own executable) must be the version asked for.
 */
describe.skipIf(!expected)(`the Node version the CI matrix asked for (${expected})`, () => {
  it('runs the tests', () => {
    expect(process.version).toBe(expected);
  });

  it('runs the nx CLI, and so the deploy tasks', async () => {
    const report = await execa(join(REPO_ROOT, 'node_modules', '.bin', 'nx'), ['report'], {
      cwd: REPO_ROOT,
      reject: false,
      all: true,
      env: { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
    });
    expect(report.exitCode, report.all).toBe(0);
    expect(report.all).toMatch(new RegExp(`Node\\s*:\\s*${expected!.slice(1).replaceAll('.', '\\.')}\\b`));
  });
});
